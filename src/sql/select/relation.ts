// How FROM finds named relations. Tables and views do not exist yet: the
// engine later supplies a RelationProvider that knows streams, views and
// tables; until then every name is unknown (42P01).
import type { EvalContext } from '../functions/catalog.js';
import type { ColumnDesc } from '../expr/scope.js';

/** A readable relation: its columns and a way to produce its rows. */
export interface Relation {
  columns: ColumnDesc[];
  /**
   * Rows as arrays in `columns` order (SQL NULL is null). With `needed`, the
   * query reads only the columns marked true: the relation may leave the
   * others null (a continuous view then skips finalizing them).
   */
  scan(ctx: EvalContext, needed?: readonly boolean[]): Iterable<unknown[]>;
  /**
   * Columns (indexes into `columns`, in key order) whose values identify at
   * most one row, under each column type's `=`; NULL is a key value of its
   * own (a continuous view's NULL group). Set together with `lookup`. An
   * empty list means the relation has at most one row.
   */
  keyColumns?: readonly number[];
  /**
   * The row whose key columns hold `keyValues` (one per keyColumns entry, each
   * a value of that column's type or null for the NULL key), or null when
   * there is none. Must return exactly the row scan(ctx, needed) would.
   */
  lookup?(keyValues: unknown[], ctx: EvalContext, needed?: readonly boolean[]): unknown[] | null;
  /**
   * lookup() with only the `needed` columns filled, and what a rowCompleter
   * needs to read the rest (as scanPartial's keep() gives it), or null when
   * there is no such row: a WHERE that fixes the key and filters first
   * (filter-first.ts). Set when lookup and scanPartial are.
   */
  lookupPartial?(keyValues: unknown[], ctx: EvalContext, needed: readonly boolean[]): { row: unknown[]; kept: unknown } | null;
  /**
   * Rows with only the `needed` columns filled (the others null), for a
   * top-N that reads few columns to choose its rows (late-top-n.ts) or a
   * WHERE that must filter before columns that can fail are read
   * (filter-first.ts); the scan's keep() takes the row it gave last, which
   * a rowCompleter then reads. Set together with rowCompleter and
   * deferrable.
   */
  scanPartial?(ctx: EvalContext, needed: readonly boolean[]): PartialScan;
  /**
   * Reads kept rows: for what a scanPartial's keep() took, the row
   * scan(ctx, needed) gave for it.
   */
  rowCompleter?(needed: readonly boolean[]): (kept: unknown, ctx: EvalContext) => unknown[];
  /**
   * Per column: reading it only for some rows (those a top-N keeps, or a
   * WHERE passes) shows the same values and raises no error that reading
   * it for every row would.
   */
  deferrable?: readonly boolean[];
}

/** A Relation.scanPartial's rows. */
export interface PartialScan extends Iterable<unknown[]> {
  /** What a rowCompleter needs of the row next() gave last, taken now (the scan moves on). */
  keep(): unknown;
}

/**
 * Rows a scan can also push, one callback per row, to a consumer that reads
 * every row (an aggregation): cheaper than a next() per row. Such
 * a rows object is read once, either way (next() after forEachRow() gives
 * done, as an iterator read to its end does).
 */
export interface PushedRows {
  forEachRow(fn: (row: unknown[]) => void): void;
}

export function pushesRows(rows: Iterable<unknown[]>): rows is Iterable<unknown[]> & PushedRows {
  return typeof (rows as Partial<PushedRows>).forEachRow === 'function';
}

export interface RelationProvider {
  /** `schema` is null when the name was not qualified. Null: no such relation. */
  lookup(schema: string | null, name: string): Relation | null;
}

/** Output column of a planned SELECT, as RowDescription needs it. */
export interface OutputColumn {
  name: string;
  typeOid: number;
  typmod: number;
}

export interface SelectPlan {
  columns: OutputColumn[];
  run(ctx: EvalContext): unknown[][];
  /**
   * The rows one at a time, made as they are read, when the query can give
   * them so: a plain projection (with WHERE, LIMIT / OFFSET) over a FROM
   * that streams without holding storage open (a set-returning function such
   * as generate_series). Null otherwise; run() then gives them. INSERT ...
   * SELECT into a stream sends such rows on in batches, so a load of any
   * size holds one batch.
   */
  rowsLazily?(ctx: EvalContext): Iterable<unknown[]> | null;
  /**
   * rowsLazily's rows, and a plain projection's (with WHERE, LIMIT /
   * OFFSET) over one stored relation, such as a continuous view, whose scan
   * holds its snapshot until its last row is read (or the iteration is
   * returned): for a consumer that reads them all soon, such as a client's
   * result, which then holds none of them in memory. Null otherwise.
   */
  rowsAsRead?(ctx: EvalContext): Iterable<unknown[]> | null;
}
