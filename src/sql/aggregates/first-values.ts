// PipelineDB's first_values: the n first input rows in sort order, kept in a
// bounded state (at most n rows, sorted) that merges exactly.
//
//   first_values(n, x)            x's array, sorted by x
//   first_values(n, x, o1[, o2])  records (x, o1[, o2]) sorted by all of them:
//                                 PipelineDB 1.0 returns records here too, though
//                                 its catalog calls the result x's array type;
//                                 we type it record[] so clients can decode it
//   first_values(n) WITHIN GROUP (ORDER BY k1[, k2, k3])
//                                 the form PipelineDB's docs show, same keys,
//                                 honouring DESC and NULLS FIRST
//
// NULLs sort last (after every value) and are kept, as are duplicates. No rows
// give NULL. n comes from the first row; a NULL, non-positive or varying n is
// an error (PipelineDB asserts a positive constant).
//
// States merge to the n smallest rows of the union. Rows that compare equal
// but print differently (numeric 1.0 and 1.00, float 0 and -0) are ordered by
// their text, so which one is kept never depends on the merge order.
import { PgError, SQLSTATE } from '../../errors.js';
import { defaultIoContext } from '../../types/io-context.js';
import { OID, typeByOid } from '../../types/oids.js';
import { PgRecord } from '../../types/record.js';
import { getTextOutput } from '../../types/type-io.js';
import { PgArray } from '../../types/values.js';
import { compareText } from '../expr/compare-values.js';
import { typeName } from '../expr/coerce.js';
import { rowComparator } from '../select/sort.js';
import { registerAggregate, type AggregateDef, type AggregateImpl, type WithinGroupOrder } from './aggregate.js';
import { decodeState, encodeState } from './state-codec.js';

export interface FirstValuesState {
  /** The number of rows to keep (null until the first row). */
  n: number | null;
  /** At most n sort rows, ascending. */
  rows: unknown[][];
}

type RowCompare = (a: unknown[], b: unknown[]) => number;

const FIXED_IO = defaultIoContext();

function checkN(n: unknown): number {
  if (n === null) throw new PgError(SQLSTATE.null_value_not_allowed, 'number of values for first_values must not be null');
  if ((n as number) <= 0) throw new PgError(SQLSTATE.invalid_parameter_value, 'number of values for first_values must be greater than zero');
  return n as number;
}

function sameN(a: number | null, b: number | null): number | null {
  if (a !== null && b !== null && a !== b) {
    throw new PgError(SQLSTATE.invalid_parameter_value, 'number of values for first_values must be constant');
  }
  return a ?? b;
}

/** The sort order plus a text tie-break, a total order on distinguishable rows. */
function totalOrder(types: number[], order: readonly WithinGroupOrder[] | undefined): RowCompare {
  const cmp = rowComparator(
    types.map((type, i) => ({
      index: i,
      type,
      desc: order?.[i]?.desc ?? false,
      nullsFirst: order?.[i]?.nullsFirst ?? false,
      location: order?.[i]?.location ?? -1,
    })),
  );
  const outs = types.map(getTextOutput);
  return (a, b) => {
    const c = cmp(a, b);
    if (c !== 0) return c;
    for (let i = 0; i < types.length; i++) {
      const x = a[i];
      const y = b[i];
      if (Object.is(x, y) || x === null || y === null) continue;
      const t = compareText(outs[i](x, FIXED_IO), outs[i](y, FIXED_IO));
      if (t !== 0) return t;
    }
    return 0;
  };
}

/** Inserts `row` into the sorted `rows`, dropping the last when more than n. */
function insertBounded(rows: unknown[][], row: unknown[], n: number, cmp: RowCompare): void {
  if (rows.length >= n && cmp(row, rows[rows.length - 1]) >= 0) return;
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(rows[mid], row) <= 0) lo = mid + 1;
    else hi = mid;
  }
  rows.splice(lo, 0, row);
  if (rows.length > n) rows.pop();
}

/** The first n rows of two sorted lists. */
function mergeSorted(a: unknown[][], b: unknown[][], n: number, cmp: RowCompare): unknown[][] {
  const out: unknown[][] = [];
  let i = 0;
  let j = 0;
  while (out.length < n && (i < a.length || j < b.length)) {
    if (j >= b.length || (i < a.length && cmp(a[i], b[j]) <= 0)) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out;
}

/**
 * The aggregate over sort columns of `types` (the first is the value when
 * alone); each step gets n then the sort values.
 */
function firstValues(types: number[], order?: readonly WithinGroupOrder[]): AggregateImpl<FirstValuesState> {
  const cmp = totalOrder(types, order);
  const single = types.length === 1;
  const resultType = single ? typeByOid(types[0])?.array : OID._record;
  if (resultType === undefined) {
    throw new PgError(SQLSTATE.undefined_object, `could not find array type for data type ${typeName(types[0])}`);
  }
  return {
    resultType,
    init: () => ({ n: null, rows: [] }),
    step: (st, args) => {
      const n = checkN(args[0]);
      st.n = sameN(st.n, n);
      insertBounded(st.rows, args.slice(1), n, cmp);
      return st;
    },
    merge: (a, b) => {
      const n = sameN(a.n, b.n);
      return n === null ? a : { n, rows: mergeSorted(a.rows, b.rows, n, cmp) };
    },
    final: (st) => {
      if (st.rows.length === 0) return null;
      if (single) return new PgArray(types[0], st.rows.map((r) => r[0]));
      return new PgArray(OID.record, st.rows.map((r) => new PgRecord(types, r)));
    },
    serialize: (st) => encodeState(st),
    deserialize: (bytes) => decodeState<FirstValuesState>(bytes),
  };
}

const ret = (t: number[]): number => (t.length > 2 ? OID._record : OID.anyarray);

/** Signatures with one to three sort columns: PipelineDB 1.0 declares exactly these. */
const SIGNATURES = [[OID.int4, OID.anyelement], [OID.int4, OID.anyelement, OID.any], [OID.int4, OID.anyelement, OID.any, OID.any]];

registerAggregate(
  ...SIGNATURES.map<AggregateDef>((args) => ({
    name: 'first_values',
    args,
    ret,
    strict: false,
    create: (t) => firstValues(t.slice(1)),
  })),
  ...SIGNATURES.map<AggregateDef>((args) => ({
    name: 'first_values',
    args,
    ret,
    strict: false,
    withinGroup: 'ordered',
    create: (t, order) => {
      // Only first_values(n) WITHIN GROUP (...): a second direct argument would be taken as a sort column.
      if (t.length - (order?.length ?? 0) !== 1) {
        throw new PgError(SQLSTATE.undefined_function, `function first_values(${t.map(typeName).join(', ')}) does not exist`, {
          hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
        });
      }
      return firstValues(t.slice(1), order);
    },
  })),
);
