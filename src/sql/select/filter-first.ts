// WHERE over one relation some of whose columns a read can fail on (a
// continuous view's column computed by an expression over its aggregates,
// such as 100 / sum(x)): the rows are filtered reading only the columns
// WHERE reads, and only the rows that pass are read whole. PostgreSQL
// pushes a WHERE on a grouped view below the view's target list (into its
// WHERE or HAVING, volatile conditions too), so such a column is computed,
// and fails, only for the groups that pass; reading every column first
// would fail for groups the WHERE drops. Used only then: a read of plain
// columns alone filters as it scans. (PostgreSQL also moves conditions on
// group columns alone before the grouping, and orders the rest by cost: a
// WHERE's own columns are all read here before any of it is evaluated.)
import type { EvalContext } from '../functions/catalog.js';
import { INTERRUPT_MASK } from '../functions/row-meter.js';
import type { TypedExpr } from '../expr/typed-expr.js';
import { collectColumns } from './from-clause.js';
import type { Relation } from './relation.js';

export interface FilterFirst {
  /** The rows that pass `where`, each read whole (the columns the query reads). */
  rows(ctx: EvalContext, where: (row: unknown[], ctx: EvalContext) => boolean): Iterable<unknown[]>;
}

/**
 * Filtering first for a query over `relation` alone that reads the columns
 * `used` (null: not known) with `where`; null when no column the query reads
 * beyond WHERE's could fail (or the relation cannot read rows later).
 */
export function planFilterFirst(relation: Relation | null, where: TypedExpr | null, used: ReadonlySet<number> | null): FilterFirst | null {
  if (!where || !used || !relation?.scanPartial || !relation.rowCompleter || !relation.deferrable) return null;
  const read = new Set<number>();
  if (!collectColumns(where, read)) return null;
  const deferrable = relation.deferrable;
  const width = relation.columns.length;
  if (![...used].some((c) => c < width && !read.has(c) && !deferrable[c])) return null;
  const needed = relation.columns.map((_, c) => read.has(c));
  // WHERE's columns are kept as filtered by: none is computed twice (a view's expression may be volatile).
  const rest = relation.columns.map((_, c) => used.has(c) && !read.has(c));
  const readColumns = [...read];
  const rel = relation;
  return {
    *rows(ctx, whereFn) {
      const scan = rel.scanPartial!(ctx, needed);
      const complete = rel.rowCompleter!(rest);
      let i = 0;
      for (const r of scan) {
        if ((++i & INTERRUPT_MASK) === 0) ctx.checkInterrupts();
        if (!whereFn(r, ctx)) continue;
        const row = complete(scan.keep(), ctx);
        for (const c of readColumns) row[c] = r[c];
        yield row;
      }
    },
  };
}
