// count(*) and count(expr): a row counter, int8 result (0 for no rows).
import { OID } from '../../types/oids.js';
import { registerAggregate, type AggregateImpl } from './aggregate.js';
import { decodeState, encodeState } from './state-codec.js';

const countImpl: AggregateImpl<number> = {
  resultType: OID.int8,
  init: () => 0,
  step: (n) => n + 1,
  merge: (a, b) => a + b,
  final: (n) => BigInt(n),
  serialize: (n) => encodeState(n),
  deserialize: (b) => decodeState<number>(b),
};

registerAggregate(
  { name: 'count', args: [], ret: OID.int8, strict: false, create: () => countImpl },
  { name: 'count', args: [OID.any], ret: OID.int8, strict: true, create: () => countImpl },
);
