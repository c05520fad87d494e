// PipelineDB's exact set aggregates: set_agg(anynonarray) collects the distinct
// input values into an array (first-seen order, a NULL input kept once as a
// NULL element; no rows give NULL); exact_count_distinct(anynonarray) counts
// them (int4 as in PipelineDB 1.0's script, NULL counting as one value; no rows
// give 0). set_cardinality(anyarray) is PipelineDB 0.9's function for the
// length of a set_agg array. Distinctness is the type's equality (keyFnFor),
// so numeric 1.0 and 1.00 are one value (PipelineDB compared datum bytes).
import { OID, typeByOid } from '../../types/oids.js';
import { PgArray } from '../../types/values.js';
import { keyFnFor, type KeyFn } from '../expr/compare-values.js';
import { registerFunction } from '../functions/catalog.js';
import { fn } from '../functions/define.js';
import { registerAggregate, type AggregateImpl } from './aggregate.js';
import { decodeState, encodeState } from './state-codec.js';

/** Distinct values in first-seen order; `keys` mirrors `values` (NULL has its own key). */
export interface DistinctSet {
  values: unknown[];
  keys: Set<string>;
}

// Keys of non-null values never start with this, NULL's can't collide.
const NULL_KEY = '\u0000null';

function keyOf(key: KeyFn, v: unknown): string {
  return v === null ? NULL_KEY : 'v' + key(v);
}

function add(s: DistinctSet, key: KeyFn, v: unknown): void {
  const k = keyOf(key, v);
  if (s.keys.has(k)) return;
  s.keys.add(k);
  s.values.push(v);
}

/** The mergeable distinct-set state both aggregates share; `result` turns a state into the value. */
function distinctSetAggregate<R>(
  elemType: number,
  resultType: number,
  result: (s: DistinctSet | null) => R,
): AggregateImpl<DistinctSet | null> {
  const key = keyFnFor(elemType);
  return {
    resultType,
    init: () => null,
    step: (s, [v]) => {
      const set = s ?? { values: [], keys: new Set<string>() };
      add(set, key, v);
      return set;
    },
    merge: (a, b) => {
      if (a === null) return b;
      if (b !== null) for (const v of b.values) add(a, key, v);
      return a;
    },
    final: (s) => result(s),
    serialize: (s) => encodeState(s === null ? null : s.values),
    deserialize: (bytes) => {
      const values = decodeState<unknown[] | null>(bytes);
      if (values === null) return null;
      const set: DistinctSet = { values: [], keys: new Set<string>() };
      for (const v of values) add(set, key, v);
      return set;
    },
  };
}

function arrayTypeOf(elemType: number): number {
  return typeByOid(elemType)?.array ?? OID.anyarray;
}

registerAggregate(
  {
    name: 'set_agg',
    args: [OID.anynonarray],
    ret: OID.anyarray,
    strict: false,
    create: ([t]) => distinctSetAggregate(t!, arrayTypeOf(t!), (s) => (s === null ? null : new PgArray(t!, s.values.slice()))),
  },
  {
    name: 'exact_count_distinct',
    args: [OID.anynonarray],
    ret: OID.int4,
    strict: false,
    create: ([t]) => distinctSetAggregate(t!, OID.int4, (s) => (s === null ? 0 : s.values.length)),
  },
);

// The length of the array's first dimension, NULL for an empty array (as array_length(a, 1)).
registerFunction(
  fn('set_cardinality', [OID.anyarray], OID.int4, ([a]: [PgArray]) => (a.items.length === 0 ? null : a.items.length)),
);
