// In-process stand-ins for a worker and a reader, for planner tests: one
// group table over a set of rows, and the finalized rows of such a table.
import type { EvalContext } from '../sql/functions/catalog.js';
import type { CompiledContinuousPlan } from './continuous-plan.js';

export interface Group {
  key: Uint8Array;
  states: unknown[];
}

/** One group table over `rows` (what a worker builds for a batch). */
export function aggregate(plan: CompiledContinuousPlan, rows: unknown[][], ctx: EvalContext): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const row of rows) {
    const key = plan.groupKey(row, ctx);
    if (key === null) continue;
    const bytes = plan.encodeKey(key);
    const mk = Buffer.from(bytes).toString('latin1');
    let g = groups.get(mk);
    if (!g) groups.set(mk, (g = { key: bytes, states: plan.newStates() }));
    plan.step(g.states, row, ctx);
  }
  return groups;
}

/** The view's rows for a group table (what a read returns). */
export function finalizeAll(plan: CompiledContinuousPlan, groups: Map<string, Group>, ctx: EvalContext): unknown[][] {
  return [...groups.values()].map((g) => plan.finalize(plan.decodeKey(g.key), g.states, ctx));
}
