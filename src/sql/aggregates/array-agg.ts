// array_agg(anynonarray): collects every value, NULLs included; no rows give NULL.
import { OID, typeByOid } from '../../types/oids.js';
import { PgArray } from '../../types/values.js';
import { registerAggregate, type AggregateImpl } from './aggregate.js';
import { decodeState, encodeState } from './state-codec.js';

function arrayAgg(elemType: number, arrayType: number): AggregateImpl<unknown[] | null> {
  return {
    resultType: arrayType,
    init: () => null,
    step: (s, [v]) => {
      if (s === null) return [v];
      s.push(v);
      return s;
    },
    merge: (a, b) => (a === null ? b : b === null ? a : a.concat(b)),
    final: (s) => (s === null ? null : new PgArray(elemType, s.slice())),
    serialize: (s) => encodeState(s),
    deserialize: (b) => decodeState<unknown[] | null>(b),
  };
}

registerAggregate({
  name: 'array_agg',
  args: [OID.anynonarray],
  ret: OID.anyarray,
  strict: false,
  create: (argTypes) => {
    const elem = argTypes[0];
    return arrayAgg(elem, typeByOid(elem)?.array ?? OID.anyarray);
  },
});
