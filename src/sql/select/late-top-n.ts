// ORDER BY ... LIMIT over one relation that can read a row whole later (a
// continuous view: Relation.scanPartial / completeRow). The rows are chosen
// reading only the columns the sort keys and WHERE read, and only the rows
// the top-N keeps are read whole: a view finalizes its other aggregates
// (avg's numeric division, say) for the few groups shown, not for every
// group. Every other output column must be a plain column of the relation,
// so no expression goes unevaluated for a row where PostgreSQL would have
// evaluated it (and shown its error).
import type { EvalContext } from '../functions/catalog.js';
import type { EvalFn, TypedExpr } from '../expr/typed-expr.js';
import { collectColumns } from './from-clause.js';
import type { Relation } from './relation.js';
import type { RowComparator } from './sort.js';
import { TopN } from './top-n.js';

export interface LateTopN {
  /**
   * The best `bound` rows of the relation that pass `where`, projected by
   * `project` (every output column), best first.
   */
  run(
    ctx: EvalContext,
    bound: number,
    where: ((row: unknown[], ctx: EvalContext) => boolean) | null,
    project: (row: unknown[], ctx: EvalContext) => unknown[],
  ): unknown[][];
}

/**
 * The late top-N of a query over `relation` alone whose output expressions
 * (targets, then ORDER BY-only ones) are `exprs`, sorted by `sorter` on the
 * outputs `sortIndexes`; null when it does not apply or reads no fewer
 * columns than the plain scan.
 */
export function planLateTopN(
  relation: Relation | null,
  exprs: readonly TypedExpr[],
  fns: readonly EvalFn[],
  sortIndexes: readonly number[],
  sorter: RowComparator,
  where: TypedExpr | null,
): LateTopN | null {
  if (!relation?.scanPartial || !relation.completeRow || sortIndexes.length === 0) return null;
  const read = new Set<number>();
  for (const i of new Set(sortIndexes)) if (!collectColumns(exprs[i]!, read)) return null;
  if (where && !collectColumns(where, read)) return null;
  let deferred = false;
  for (let i = 0; i < exprs.length; i++) {
    if (sortIndexes.includes(i)) continue;
    const e = exprs[i]!;
    if (e.kind !== 'column') return null;
    if (!read.has(e.index)) deferred = true;
  }
  if (!deferred) return null;
  const needed = relation.columns.map((_, c) => read.has(c));
  const keys = [...new Set(sortIndexes)];
  const width = exprs.length;
  const rel = relation;
  return {
    run(ctx, bound, whereFn, project) {
      const scan = rel.scanPartial!(ctx, needed);
      // Rows of the sort keys' values alone, the kept handle after them.
      const topN = new TopN(sorter, bound, ctx, true);
      for (const r of scan) {
        if (whereFn && !whereFn(r, ctx)) continue;
        const sortRow = new Array<unknown>(width + 1);
        for (let k = 0; k < keys.length; k++) sortRow[keys[k]!] = fns[keys[k]!]!(r, ctx);
        if (topN.offer(sortRow)) sortRow[width] = scan.keep();
      }
      return topN.sorted().map((s) => project(rel.completeRow!(s[width], ctx), ctx));
    },
  };
}
