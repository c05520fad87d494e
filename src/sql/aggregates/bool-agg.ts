// bool_and / every and bool_or.
import { OID } from '../../types/oids.js';
import { registerAggregate, type AggregateImpl } from './aggregate.js';
import { decodeState, encodeState } from './state-codec.js';

function boolAgg(isAnd: boolean): AggregateImpl<boolean | null> {
  const combine = (a: boolean | null, b: boolean | null) => (a === null ? b : b === null ? a : isAnd ? a && b : a || b);
  return {
    resultType: OID.bool,
    init: () => null,
    step: (s, [v]) => combine(s, v as boolean),
    merge: combine,
    final: (s) => s,
    serialize: (s) => encodeState(s),
    deserialize: (b) => decodeState<boolean | null>(b),
  };
}

const and = boolAgg(true);
const or = boolAgg(false);
registerAggregate(
  { name: 'bool_and', args: [OID.bool], ret: OID.bool, strict: true, create: () => and },
  { name: 'every', args: [OID.bool], ret: OID.bool, strict: true, create: () => and },
  { name: 'bool_or', args: [OID.bool], ret: OID.bool, strict: true, create: () => or },
);
