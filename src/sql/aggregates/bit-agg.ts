// bit_and / bit_or over int2, int4 and int8: the result has the input type;
// no non-NULL rows give NULL.
import { OID } from '../../types/oids.js';
import { registerAggregate, type AggregateImpl } from './aggregate.js';
import { decodeState, encodeState } from './state-codec.js';

function bitAgg<T extends number | bigint>(type: number, op: (a: T, b: T) => T): AggregateImpl<T | null> {
  const combine = (a: T | null, b: T | null) => (a === null ? b : b === null ? a : op(a, b));
  return {
    resultType: type,
    init: () => null,
    step: (s, [v]) => combine(s, v as T),
    merge: combine,
    final: (s) => s,
    serialize: (s) => encodeState(s),
    deserialize: (b) => decodeState<T | null>(b),
  };
}

const and32 = bitAgg<number>(OID.int4, (a, b) => a & b);
const or32 = bitAgg<number>(OID.int4, (a, b) => a | b);
const and16 = bitAgg<number>(OID.int2, (a, b) => a & b);
const or16 = bitAgg<number>(OID.int2, (a, b) => a | b);
const and64 = bitAgg<bigint>(OID.int8, (a, b) => a & b);
const or64 = bitAgg<bigint>(OID.int8, (a, b) => a | b);

registerAggregate(
  { name: 'bit_and', args: [OID.int2], ret: OID.int2, strict: true, create: () => and16 },
  { name: 'bit_and', args: [OID.int4], ret: OID.int4, strict: true, create: () => and32 },
  { name: 'bit_and', args: [OID.int8], ret: OID.int8, strict: true, create: () => and64 },
  { name: 'bit_or', args: [OID.int2], ret: OID.int2, strict: true, create: () => or16 },
  { name: 'bit_or', args: [OID.int4], ret: OID.int4, strict: true, create: () => or32 },
  { name: 'bit_or', args: [OID.int8], ret: OID.int8, strict: true, create: () => or64 },
);
