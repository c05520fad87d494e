// WHERE over one relation some of whose columns a read can fail on (a
// continuous view's column computed by an expression over its aggregates,
// such as 100 / sum(x)). PostgreSQL pushes a WHERE on a grouped view below
// the view's target list: conditions on group columns alone before the
// grouping, the others into its HAVING (volatile ones too), evaluated
// cheapest first. So such a column is computed, and fails, only for the
// groups that pass the conditions that do not read it. Here the WHERE's
// top-level AND conditions that read only columns whose reading cannot
// fail (group columns, plain aggregate results) run first, on rows of only
// their columns; for the rows that pass, the other conditions' columns are
// read and those conditions run; the rows that pass them too are read
// whole. Used only then: a read of plain columns alone filters as it scans.
// A WHERE that fixes the key reads its one group the same way, through the
// point lookup (PointLookup.partial).
import type { EvalContext } from '../functions/catalog.js';
import { INTERRUPT_MASK } from '../functions/row-meter.js';
import { compilePredicate } from '../expr/compile.js';
import type { TypedExpr } from '../expr/typed-expr.js';
import { OID } from '../../types/oids.js';
import { collectColumns } from './from-clause.js';
import { conjuncts } from './point-lookup.js';
import type { PartialScan, Relation } from './relation.js';

export interface FilterFirst {
  /**
   * The rows that pass the WHERE, each read whole (the columns the query
   * reads), from the relation's scan or from `source` (a point lookup's one
   * row), which gives rows of the `needed` columns.
   */
  rows(ctx: EvalContext, source?: (needed: readonly boolean[]) => PartialScan): Iterable<unknown[]>;
}

type Predicate = (row: unknown[], ctx: EvalContext) => boolean;

/**
 * Filtering first for a query over `relation` alone that reads the columns
 * `used` (null: not known) with `where`; null when every column that can
 * fail would be read before any condition runs anyway (or the relation
 * cannot read rows later).
 */
export function planFilterFirst(relation: Relation | null, where: TypedExpr | null, used: ReadonlySet<number> | null): FilterFirst | null {
  if (!where || !used || !relation?.scanPartial || !relation.rowCompleter || !relation.deferrable) return null;
  const deferrable = relation.deferrable;
  const width = relation.columns.length;
  const safe: TypedExpr[] = [];
  const unsafe: TypedExpr[] = [];
  const safeColumns = new Set<number>();
  const unsafeColumns = new Set<number>();
  for (const c of conjuncts(where)) {
    const columns = new Set<number>();
    if (!collectColumns(c, columns)) return null;
    const isSafe = [...columns].every((k) => k < width && deferrable[k]);
    (isSafe ? safe : unsafe).push(c);
    for (const k of columns) (isSafe ? safeColumns : unsafeColumns).add(k);
  }
  // Columns that can fail: filtering first helps when one is read only after some condition has run.
  const failing = [...used].filter((c) => c < width && !deferrable[c]);
  if (safe.length > 0 ? failing.length === 0 : !failing.some((c) => !unsafeColumns.has(c))) return null;
  const first = safe.length > 0 ? predicateOf(safe, where.location) : null;
  const then = unsafe.length > 0 ? predicateOf(unsafe, where.location) : null;
  const needed = relation.columns.map((_, c) => safeColumns.has(c));
  const middle = relation.columns.map((_, c) => unsafeColumns.has(c) && !safeColumns.has(c));
  // Each column is read once for a row (a view's expression may be volatile), and kept as filtered by.
  const rest = relation.columns.map((_, c) => used.has(c) && !safeColumns.has(c) && !unsafeColumns.has(c));
  const firstColumns = [...safeColumns];
  const middleColumns = [...unsafeColumns].filter((c) => !safeColumns.has(c));
  const rel = relation;
  return {
    *rows(ctx, source) {
      const scan = source ? source(needed) : rel.scanPartial!(ctx, needed);
      const readMiddle = then ? rel.rowCompleter!(middle) : null;
      const complete = rel.rowCompleter!(rest);
      let i = 0;
      for (const r of scan) {
        if ((++i & INTERRUPT_MASK) === 0) ctx.checkInterrupts();
        if (first && !first(r, ctx)) continue;
        const kept = scan.keep();
        let mid: unknown[] | null = null;
        if (then) {
          mid = readMiddle!(kept, ctx);
          for (const c of firstColumns) mid[c] = r[c];
          if (!then(mid, ctx)) continue;
        }
        const row = complete(kept, ctx);
        for (const c of firstColumns) row[c] = r[c];
        if (mid) for (const c of middleColumns) row[c] = mid[c];
        yield row;
      }
    },
  };
}

/** The AND of `conditions`, compiled. */
function predicateOf(conditions: TypedExpr[], location: number): Predicate {
  return compilePredicate(conditions.length === 1 ? conditions[0]! : { kind: 'bool', op: 'and', args: conditions, type: OID.bool, typmod: -1, location });
}
