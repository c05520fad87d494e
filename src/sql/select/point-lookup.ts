// WHERE pushdown into a keyed relation (a continuous view): when the
// top-level AND of WHERE fixes every key column, the FROM item reads one row
// through Relation.lookup instead of scanning. Planned once per statement;
// each run evaluates the key values, looks the row up and hands back zero or
// one row, which the whole WHERE still filters (so conjuncts that were not
// used, and duplicates like `id = 1 AND id = 2`, keep their meaning).
//
// A conjunct fixes key column c when it is
//   c = v   or   v = c   with PostgreSQL's same-type `=` of c's type, where v
//                        reads no column and calls nothing volatile; or with
//                        c under a cast that keeps equality exact (varchar ->
//                        text, a narrower integer -> a wider one);
//   c IS NULL            (the NULL group).
// Anything else (c cast to another type, c = c2, OR, IN with several values)
// leaves the scan. As with an index scan in PostgreSQL, the key values are
// computed before any row is read (an error in them is raised even when no
// row would have been compared).
import { OID } from '../../types/oids.js';
import type { EvalContext } from '../functions/catalog.js';
import { childrenOf, type EvalFn, type TypedExpr } from '../expr/typed-expr.js';
import { compile } from '../expr/compile.js';
import type { PartialScan, Relation } from './relation.js';

/** The rows of the relation that the key fixed by WHERE selects: none or one. */
export interface PointLookup {
  (ctx: EvalContext): unknown[][];
  /**
   * The same row as a partial scan of only the `needed` columns, for a WHERE
   * that filters first (filter-first.ts); null when the relation cannot.
   */
  partial: ((ctx: EvalContext, needed: readonly boolean[]) => PartialScan) | null;
}

/** How one key column's value is found at run time. */
interface KeyFix {
  /** Evaluated on an empty row; null: the IS NULL test (the key value is NULL). */
  value: EvalFn | null;
  /** Turns the compared value into the column's own type; undefined: no value of the column equals it. */
  narrow: Narrow | null;
}

type Narrow = (v: unknown) => unknown;

const NO_ROW: unknown[] = [];

/**
 * A lookup for `where` over `rel` reading the `needed` columns (undefined:
 * all), or null when WHERE does not fix all of rel's key columns.
 */
export function planPointLookup(where: TypedExpr | null, rel: Relation, needed?: readonly boolean[]): PointLookup | null {
  const keyColumns = rel.keyColumns;
  const lookup = rel.lookup;
  if (!keyColumns || !lookup) return null;
  const n = keyColumns.length;
  const fixes: (KeyFix | null)[] = new Array(n).fill(null);
  let fixed = 0;
  for (const c of conjuncts(where)) {
    const m = matchKeyConjunct(c, keyColumns, rel);
    if (m && fixes[m.key] === null) {
      fixes[m.key] = m.fix;
      fixed++;
    }
  }
  if (fixed < n) return null;
  const fx = fixes as KeyFix[];
  /** The key values for this run, or null when no row can match. */
  const keyValues = (ctx: EvalContext): unknown[] | null => {
    const values = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      const f = fx[i];
      if (f.value === null) {
        values[i] = null;
        continue;
      }
      let v = f.value(NO_ROW, ctx);
      // NULL = anything is never true.
      if (v === null) return null;
      if (f.narrow !== null && (v = f.narrow(v)) === undefined) return null;
      values[i] = v;
    }
    return values;
  };
  const pointLookup: PointLookup = Object.assign(
    (ctx: EvalContext): unknown[][] => {
      const values = keyValues(ctx);
      const row = values === null ? null : lookup.call(rel, values, ctx, needed);
      if (row === null) return [];
      ctx.countRows(1);
      return [row];
    },
    { partial: null as PointLookup['partial'] },
  );
  const lookupPartial = rel.lookupPartial;
  if (lookupPartial) {
    pointLookup.partial = (ctx, columns) => {
      const values = keyValues(ctx);
      // Not counted here: filtering first, a row is counted where it is kept, as a scan's is.
      const found = values === null ? null : lookupPartial.call(rel, values, ctx, columns);
      return oneRowScan(found);
    };
  }
  return pointLookup;
}

/** A partial scan of the one row found, or of none. */
function oneRowScan(found: { row: unknown[]; kept: unknown } | null): PartialScan {
  const rows = found === null ? [] : [found.row];
  return {
    [Symbol.iterator]: () => rows[Symbol.iterator](),
    keep: () => {
      if (found === null) throw new Error('keep() before a row was read');
      return found.kept;
    },
  };
}

/** The top-level AND operands of a WHERE (itself when it is no AND). */
export function conjuncts(where: TypedExpr | null): TypedExpr[] {
  if (where === null) return [];
  if (where.kind === 'bool' && where.op === 'and') return where.args.flatMap(conjuncts);
  return [where];
}

function matchKeyConjunct(e: TypedExpr, keyColumns: readonly number[], rel: Relation): { key: number; fix: KeyFix } | null {
  if (e.kind === 'nulltest') {
    if (!e.isNull) return null;
    const col = keyColumn(e.arg, keyColumns, rel);
    return col ? { key: col.key, fix: { value: null, narrow: null } } : null;
  }
  if (e.kind !== 'call' || !e.isOperator || e.name !== '=' || e.args.length !== 2) return null;
  const [a, b] = e.args;
  const t = a.type;
  // The same-type `=` only: it is the equality the key is unique under.
  if (b.type !== t || e.argTypes[0] !== t || e.argTypes[1] !== t) return null;
  for (const [side, other] of [[a, b], [b, a]]) {
    const col = keyColumn(side, keyColumns, rel);
    if (col && readsNoRow(other)) return { key: col.key, fix: { value: compile(other), narrow: col.narrow } };
  }
  return null;
}

/** Which key column `e` shows with equality intact, and how to bring a compared value back to its type. */
function keyColumn(e: TypedExpr, keyColumns: readonly number[], rel: Relation): { key: number; narrow: Narrow | null } | null {
  let narrow: Narrow | null = null;
  let c = e;
  if (c.kind === 'cast') {
    if (c.arg.kind !== 'column') return null;
    const from = c.arg.type;
    const to = c.type;
    if (from === OID.varchar && to === OID.text) narrow = null;
    else if ((narrow = integerNarrowing(from, to)) === null) return null;
    c = c.arg;
  }
  if (c.kind !== 'column') return null;
  const key = keyColumns.indexOf(c.index);
  if (key < 0 || rel.columns[c.index].type !== c.type) return null;
  return { key, narrow };
}

const INT2_RANGE = [-32768, 32767] as const;
const INT4_RANGE = [-2147483648, 2147483647] as const;

/** For a widening integer cast of the column: the value back in the column's type, undefined when out of its range. */
function integerNarrowing(from: number, to: number): Narrow | null {
  const range = from === OID.int2 ? INT2_RANGE : from === OID.int4 ? INT4_RANGE : null;
  if (range === null) return null;
  const [lo, hi] = range;
  if (to === OID.int8) {
    const blo = BigInt(lo);
    const bhi = BigInt(hi);
    return (v) => {
      const x = v as bigint;
      return x >= blo && x <= bhi ? Number(x) : undefined;
    };
  }
  if (to === OID.int4 && from === OID.int2) {
    return (v) => {
      const x = v as number;
      return x >= lo && x <= hi ? x : undefined;
    };
  }
  return null;
}

/** Whether `e` has one value per statement execution: no column, aggregate, sub-select or volatile call. */
function readsNoRow(e: TypedExpr): boolean {
  switch (e.kind) {
    case 'column':
    case 'aggref':
    case 'subquery':
      return false;
    case 'call':
      if (e.volatility === 'volatile' || e.returnsSet) return false;
      break;
    case 'cast':
      if (e.volatility === 'volatile') return false;
      break;
  }
  for (const c of childrenOf(e)) if (!readsNoRow(c)) return false;
  return true;
}
