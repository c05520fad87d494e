// WHERE over one relation some of whose columns a read can fail on (a
// continuous view's column computed by an expression over its aggregates,
// such as 100 / sum(x)): the rows are filtered reading only the columns the
// WHERE's pushable conditions read, and only the rows that pass are read
// whole. PostgreSQL pushes each top-level AND condition of a WHERE on a view
// below the view's target list (into its WHERE or HAVING), unless it calls
// something volatile, so such a column is computed, and fails, only for the
// groups that pass; reading every column first would fail for groups the
// WHERE drops. Used only then: a read of plain columns alone filters as it
// scans.
import type { EvalContext } from '../functions/catalog.js';
import { INTERRUPT_MASK } from '../functions/row-meter.js';
import { compilePredicate } from '../expr/compile.js';
import { childrenOf, type TypedExpr } from '../expr/typed-expr.js';
import { OID } from '../../types/oids.js';
import { collectColumns } from './from-clause.js';
import { conjuncts } from './point-lookup.js';
import type { Relation } from './relation.js';

export interface FilterFirst {
  /** The rows that pass `where` (the whole WHERE), each read whole (the columns the query reads). */
  rows(ctx: EvalContext, where: (row: unknown[], ctx: EvalContext) => boolean): Iterable<unknown[]>;
}

/**
 * Filtering first for a query over `relation` alone that reads the columns
 * `used` (null: not known) with `where`; null when no column the query reads
 * beyond the pushed conditions' could fail (or the relation cannot read rows
 * later).
 */
export function planFilterFirst(relation: Relation | null, where: TypedExpr | null, used: ReadonlySet<number> | null): FilterFirst | null {
  if (!where || !used || !relation?.scanPartial || !relation.rowCompleter || !relation.deferrable) return null;
  const all = conjuncts(where);
  const pushed = all.filter((c) => !callsVolatile(c));
  if (pushed.length === 0) return null;
  const read = new Set<number>();
  for (const c of pushed) if (!collectColumns(c, read)) return null;
  const deferrable = relation.deferrable;
  if (![...used].some((c) => !read.has(c) && !deferrable[c])) return null;
  const first =
    pushed.length === 1 ? compilePredicate(pushed[0]!) : compilePredicate({ kind: 'bool', op: 'and', args: pushed, type: OID.bool, typmod: -1, location: where.location });
  // The volatile conditions run after, once per row that passed the others, as above PostgreSQL's view.
  const after = pushed.length < all.length;
  const needed = relation.columns.map((_, c) => read.has(c));
  // The pushed conditions' columns are kept as filtered by: none is computed twice (a view's expression may be volatile).
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
        if (!first(r, ctx)) continue;
        const row = complete(scan.keep(), ctx);
        for (const c of readColumns) row[c] = r[c];
        if (after && !whereFn(row, ctx)) continue;
        yield row;
      }
    },
  };
}

/** Whether `e` calls a volatile function or cast. */
function callsVolatile(e: TypedExpr): boolean {
  if ((e.kind === 'call' || e.kind === 'cast') && e.volatility === 'volatile') return true;
  return childrenOf(e).some(callsVolatile);
}
