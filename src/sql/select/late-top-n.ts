// ORDER BY ... LIMIT over one relation that can read rows later (a
// continuous view: Relation.scanPartial, rowCompleter, deferrable). The
// rows are chosen reading only the columns the sort keys and WHERE read,
// and those a later read could show differently or fail on (a view column
// computed by an expression); the columns the query shows besides
// (a view's plain aggregate results, whose finalizing cannot fail) are read
// only for the rows the top-N keeps, OFFSET's included. So a view finalizes
// avg's numeric division and the like for the rows shown, not for every
// group. Every output that is not a sort key must be a plain column, so no
// expression goes unevaluated for a row where PostgreSQL evaluates it; the
// sort keys are evaluated once per row, in target-list order, as a full
// projection evaluates them, and shown as sorted; no column is computed
// twice for a row. (A WHERE that must run before a column that can fail is
// read takes filter-first.ts instead.)
import type { EvalContext } from '../functions/catalog.js';
import { INTERRUPT_MASK } from '../functions/row-meter.js';
import type { ColumnExpr, EvalFn, TypedExpr } from '../expr/typed-expr.js';
import { collectColumns } from './from-clause.js';
import type { Relation } from './relation.js';
import type { RowComparator } from './sort.js';
import { TopN } from './top-n.js';

export interface LateTopN {
  /**
   * The best `bound` rows of the relation that pass `where`, projected (as
   * many values as the outputs), best first.
   */
  run(ctx: EvalContext, bound: number, where: ((row: unknown[], ctx: EvalContext) => boolean) | null): unknown[][];
}

/**
 * The late top-N of a query over `relation` alone whose outputs (targets,
 * then ORDER BY-only expressions) are `exprs`, compiled as `fns`, sorted by
 * `sorter` on the outputs `sortIndexes`; null when it does not apply or
 * would read every column the query reads for every row anyway.
 */
export function planLateTopN(
  relation: Relation | null,
  exprs: readonly TypedExpr[],
  fns: readonly EvalFn[],
  sortIndexes: readonly number[],
  sorter: RowComparator,
  where: TypedExpr | null,
): LateTopN | null {
  if (!relation?.scanPartial || !relation.rowCompleter || !relation.deferrable || sortIndexes.length === 0) return null;
  const deferrable = relation.deferrable;
  // Evaluated for every row, in the order a projection evaluates them.
  const keys = [...new Set(sortIndexes)].sort((a, b) => a - b);
  // Columns read for every row: the sort keys' and WHERE's, then those that cannot wait.
  const read = new Set<number>();
  for (const i of keys) if (!collectColumns(exprs[i]!, read)) return null;
  if (where && !collectColumns(where, read)) return null;
  // The other outputs (plain columns): those read for every row are taken
  // from the row as it enters the heap, the deferred ones read for the rows
  // kept. None is computed twice (a view's expression may be volatile).
  const rest: number[] = [];
  for (let i = 0; i < exprs.length; i++) {
    if (keys.includes(i)) continue;
    if (exprs[i]!.kind !== 'column') return null;
    rest.push(i);
  }
  const columnOf = (i: number): number => (exprs[i] as ColumnExpr).index;
  for (const i of rest) if (!deferrable[columnOf(i)]) read.add(columnOf(i));
  const now = rest.filter((i) => read.has(columnOf(i)));
  const later = rest.filter((i) => !read.has(columnOf(i)));
  if (later.length === 0) return null;
  const needed = relation.columns.map((_, c) => read.has(c));
  const whole = relation.columns.map((_, c) => later.some((i) => columnOf(i) === c));
  const width = exprs.length;
  const rel = relation;
  return {
    run(ctx, bound, whereFn) {
      const scan = rel.scanPartial!(ctx, needed);
      const complete = rel.rowCompleter!(whole);
      // Rows of the sort keys' values alone, then what keep() took.
      const topN = new TopN(sorter, bound, ctx, true);
      for (const r of scan) {
        if (whereFn && !whereFn(r, ctx)) continue;
        const out = new Array<unknown>(width + 1);
        for (let k = 0; k < keys.length; k++) out[keys[k]!] = fns[keys[k]!]!(r, ctx);
        if (!topN.offer(out)) continue;
        for (let k = 0; k < now.length; k++) out[now[k]!] = fns[now[k]!]!(r, ctx);
        out[width] = scan.keep();
      }
      const kept = topN.sorted();
      for (let n = 0; n < kept.length; n++) {
        if ((n & INTERRUPT_MASK) === INTERRUPT_MASK) ctx.checkInterrupts();
        const out = kept[n]!;
        const row = complete(out[width], ctx);
        for (let k = 0; k < later.length; k++) out[later[k]!] = fns[later[k]!]!(row, ctx);
        out.length = width;
      }
      return kept;
    },
  };
}
