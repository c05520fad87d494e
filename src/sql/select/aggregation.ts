// The grouping step of a SELECT: rows are grouped by the GROUP BY values and
// each aggregate's state is stepped through the AggregateImpl interface
// (FILTER, DISTINCT and ORDER BY inside the call handled here). Output rows
// are [group values..., aggregate results...]. Groups and buffered arguments
// are reported to ctx.countRows; the loops check interrupts.
import type { EvalContext } from '../functions/catalog.js';
import type { AggregateCall } from '../expr/scope.js';
import type { EvalFn } from '../expr/typed-expr.js';
import { INTERRUPT_MASK, RowMeter } from '../functions/row-meter.js';
import { rowComparator, sortRows, type SortKey } from './sort.js';
import { rowKeyFn, type RowKeyFn } from './row-key.js';
import { pushesRows } from './relation.js';

export interface CompiledAggregateCall {
  call: AggregateCall;
  argFns: EvalFn[];
  filter: ((row: unknown[], ctx: EvalContext) => boolean) | null;
  orderFns: EvalFn[];
}

export interface CompiledAggregate {
  groupFns: EvalFn[];
  groupTypes: number[];
  aggs: CompiledAggregateCall[];
}

interface Group {
  keys: unknown[];
  states: unknown[];
  seen: (Set<string> | null)[];
  /** For aggregates with ORDER BY or DISTINCT: [args..., sort values...] rows, stepped at the end. */
  buffers: (unknown[][] | null)[];
}

/** Aggregates `rows` (read once, in order; none is kept) into one row per group. */
export function runAggregation(plan: CompiledAggregate, rows: Iterable<unknown[]>, ctx: EvalContext): unknown[][] {
  const groupKey: RowKeyFn = rowKeyFn(plan.groupTypes);
  const distinctKeys = plan.aggs.map((a) => (a.call.distinct ? rowKeyFn(a.call.argTypes) : null));
  const groups = new Map<string, Group>();
  const newGroup = (keys: unknown[]): Group => ({
    keys,
    states: plan.aggs.map((a) => a.call.impl.init()),
    seen: plan.aggs.map((a) => (a.call.distinct ? new Set<string>() : null)),
    buffers: plan.aggs.map((a) => (a.call.order.length || a.call.distinct ? [] : null)),
  });
  const nAggs = plan.aggs.length;
  const meter = new RowMeter(ctx);
  // Without GROUP BY every row feeds the one group (which exists even for no rows).
  let single: Group | undefined;
  if (plan.groupFns.length === 0) {
    groups.set('', (single = newGroup([])));
  }
  let r = 0;
  const feed = (row: unknown[]): void => {
    // The one group is counted like any group made from rows (the empty input's row is not counted).
    if (r === 0 && single) meter.add();
    if ((++r & INTERRUPT_MASK) === 0) ctx.checkInterrupts();
    let g: Group | undefined;
    if (single) {
      g = single;
    } else {
      const keys = plan.groupFns.map((f) => f(row, ctx));
      const k = groupKey(keys);
      g = groups.get(k);
      if (!g) {
        meter.add();
        groups.set(k, (g = newGroup(keys)));
      }
    }
    for (let j = 0; j < nAggs; j++) {
      const a = plan.aggs[j];
      if (a.filter && !a.filter(row, ctx)) continue;
      const args = evalArgs(a.argFns, row, ctx);
      if (a.call.strict && hasNull(args)) continue;
      const seen = g.seen[j];
      if (seen) {
        const dk = distinctKeys[j]!(args);
        if (seen.has(dk)) continue;
        seen.add(dk);
      }
      const buf = g.buffers[j];
      if (buf) {
        meter.add();
        buf.push(args.concat(a.orderFns.map((f) => f(row, ctx))));
        continue;
      }
      g.states[j] = a.call.impl.step(g.states[j], args, ctx);
    }
  };
  if (pushesRows(rows)) rows.forEachRow(feed);
  else for (const row of rows) feed(row);
  meter.flush();
  const out: unknown[][] = [];
  let steps = 0;
  for (const g of groups.values()) {
    if ((++steps & INTERRUPT_MASK) === 0) ctx.checkInterrupts();
    for (let j = 0; j < nAggs; j++) {
      const buf = g.buffers[j];
      if (!buf) continue;
      const a = plan.aggs[j];
      const nArgs = a.argFns.length;
      // DISTINCT without ORDER BY feeds the values in sorted order, as PostgreSQL's sort-based DISTINCT does.
      const keys: SortKey[] = a.call.order.length
        ? a.call.order.map((o, i) => ({ index: nArgs + i, type: o.expr.type, desc: o.desc, nullsFirst: o.nullsFirst, location: o.expr.location }))
        : a.call.argTypes.map((t, i) => ({ index: i, type: t, desc: false, nullsFirst: false, location: a.call.location }));
      sortRows(buf, rowComparator(keys), ctx);
      for (const r of buf) {
        if ((++steps & INTERRUPT_MASK) === 0) ctx.checkInterrupts();
        g.states[j] = a.call.impl.step(g.states[j], r.slice(0, nArgs), ctx);
      }
    }
    out.push(g.keys.concat(g.states.map((s, j) => plan.aggs[j].call.impl.final(s, ctx))));
  }
  return out;
}

/** count(*)'s arguments, shared by every row (frozen: no step may keep or change them). */
const NO_ARGS: unknown[] = Object.freeze([]) as unknown as unknown[];

/** The arguments of one aggregate call for a row (the common arities without map's closure). */
function evalArgs(fns: EvalFn[], row: unknown[], ctx: EvalContext): unknown[] {
  switch (fns.length) {
    case 0:
      return NO_ARGS;
    case 1:
      return [fns[0](row, ctx)];
    case 2:
      return [fns[0](row, ctx), fns[1](row, ctx)];
    default:
      return fns.map((f) => f(row, ctx));
  }
}

function hasNull(values: unknown[]): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] === null) return true;
  return false;
}
