// A worker's job for one batch: run every continuous view that reads the
// batch's stream over its rows, keeping one group table per view, then split
// the partial states by combiner (hash of the group key).
import type { CompiledContinuousPlan } from '../planner/continuous-plan.js';
import type { EvalContext } from '../sql/functions/catalog.js';
import { combinerFor, type ViewPartials } from '../engine/partials-codec.js';
import { keyId, type KeyId } from '../engine/key-string.js';

export interface ViewPlan {
  viewOid: number;
  plan: CompiledContinuousPlan;
}

interface Group {
  key: Uint8Array;
  states: unknown[];
}

/** Rows of a batch, visited one at a time through a reused array. */
export interface RowSource {
  readonly rowCount: number;
  row(i: number, out: unknown[]): void;
}

/**
 * Aggregates the batch for each view; returns, per combiner index, the
 * partials that combiner must merge (combiners with nothing are absent).
 */
export function aggregateBatch(views: readonly ViewPlan[], rows: RowSource, width: number, ctx: EvalContext, combiners: number): Map<number, ViewPartials[]> {
  const out = new Map<number, ViewPartials[]>();
  const row: unknown[] = new Array(width);
  for (const { viewOid, plan } of views) {
    const groups = new Map<KeyId, Group>();
    for (let i = 0; i < rows.rowCount; i++) {
      if ((i & 4095) === 4095) ctx.checkInterrupts();
      rows.row(i, row);
      const key = plan.groupKey(row, ctx);
      if (key === null) continue;
      const keyBytes = plan.encodeKey(key);
      const mapKey = keyId(keyBytes);
      let g = groups.get(mapKey);
      if (!g) groups.set(mapKey, (g = { key: keyBytes, states: plan.newStates() }));
      plan.step(g.states, row, ctx);
    }
    for (const g of groups.values()) {
      const c = combinerFor(g.key, combiners);
      let list = out.get(c);
      if (!list) out.set(c, (list = []));
      let vp = list[list.length - 1];
      if (!vp || vp.viewOid !== viewOid) list.push((vp = { viewOid, keys: [], states: [] }));
      vp.keys.push(g.key);
      vp.states.push(plan.serializeStates(g.states));
    }
  }
  return out;
}
