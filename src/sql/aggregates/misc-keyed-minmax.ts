// keyed_max(key, value) / keyed_min(key, value) of PipelineDB: the value of the
// row with the greatest (least) key. On equal keys the later row wins, as in
// PipelineDB (it replaces when the comparison is <= 0), so merging a state of
// earlier rows with one of later rows equals stepping all rows in order.
// NULLs: the first row is kept whatever its key (PipelineDB's startup stores
// it); afterwards a NULL key never wins and a stored NULL key loses to any
// non-NULL key (PipelineDB compared NULL datums with the type's comparator,
// which is undefined). A NULL value is returned as NULL. No rows give NULL.
import { OID } from '../../types/oids.js';
import { requireCompareFn, type CompareFn } from '../expr/compare-values.js';
import { registerAggregate, type AggregateImpl } from './aggregate.js';
import { decodeState, encodeState } from './state-codec.js';

export interface KeyedState {
  key: unknown;
  value: unknown;
}

/** Whether `incoming` replaces `current`; sign 1 = keep the max key, -1 = the min. */
function replaces(cmp: CompareFn, sign: number, current: unknown, incoming: unknown): boolean {
  if (incoming === null) return false;
  if (current === null) return true;
  return sign * cmp(current, incoming) <= 0;
}

function keyedAggregate(keyType: number, valueType: number, sign: 1 | -1): AggregateImpl<KeyedState | null> {
  const cmp = requireCompareFn(keyType);
  return {
    resultType: valueType,
    init: () => null,
    step: (s, [key, value]) => {
      if (s === null) return { key, value };
      if (replaces(cmp, sign, s.key, key)) {
        s.key = key;
        s.value = value;
      }
      return s;
    },
    merge: (a, b) => (a === null ? b : b === null ? a : replaces(cmp, sign, a.key, b.key) ? b : a),
    final: (s) => (s === null ? null : s.value),
    serialize: (s) => encodeState(s === null ? null : [s.key, s.value]),
    deserialize: (bytes) => {
      const kv = decodeState<[unknown, unknown] | null>(bytes);
      return kv === null ? null : { key: kv[0], value: kv[1] };
    },
  };
}

registerAggregate(
  {
    name: 'keyed_max',
    args: [OID.any, OID.anyelement],
    ret: (t) => t[1]!,
    strict: false,
    create: (t) => keyedAggregate(t[0]!, t[1]!, 1),
  },
  {
    name: 'keyed_min',
    args: [OID.any, OID.anyelement],
    ret: (t) => t[1]!,
    strict: false,
    create: (t) => keyedAggregate(t[0]!, t[1]!, -1),
  },
);
