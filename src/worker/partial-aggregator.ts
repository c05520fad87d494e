// A worker's job for one batch: run every continuous view that reads the
// batch's stream over its rows, keeping one group table per view, then
// write each group's partial states into the message of the combiner that
// owns it (hash of the group key).
import type { CompiledContinuousPlan } from '../planner/continuous-plan.js';
import type { EvalContext } from '../sql/functions/catalog.js';
import { combinerFor, type PartialsWriter } from '../engine/partials-codec.js';
import type { KeyId } from '../engine/key-string.js';

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
 * Aggregates the batch for one view and writes its groups into `writers`
 * (one per combiner; writers[c] gets the groups combiner c owns). Returns
 * the groups written and their key and state bytes. When it throws, it
 * wrote nothing.
 */
export function aggregateView(
  view: ViewPlan,
  rows: RowSource,
  width: number,
  ctx: EvalContext,
  writers: readonly PartialsWriter[],
): { groups: number; bytes: number } {
  const { viewOid, plan } = view;
  const row: unknown[] = new Array(width);
  const groups = new Map<KeyId, Group>();
  for (let i = 0; i < rows.rowCount; i++) {
    if ((i & 4095) === 4095) ctx.checkInterrupts();
    rows.row(i, row);
    const key = plan.groupKey(row, ctx);
    if (key === null) continue;
    // The key's bytes are copied only for a new group.
    const id = plan.encodeKeyId(key);
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { key: plan.encodeKey(key), states: plan.newStates() }));
    plan.step(g.states, row, ctx);
  }
  const marks = writers.map((w) => w.mark());
  let bytes = 0;
  try {
    for (const g of groups.values()) {
      const writer = writers[combinerFor(g.key, writers.length)]!;
      plan.writeStates(writer.beginGroup(viewOid, g.key), g.states);
      bytes += writer.endGroup();
    }
  } catch (e) {
    writers.forEach((w, c) => w.rollback(marks[c]!));
    throw e;
  }
  return { groups: groups.size, bytes };
}
