// min() and max() over every ordered type (and arrays); the result has the
// argument's type and is NULL for no rows.
import { OID } from '../../types/oids.js';
import { requireCompareFn } from '../expr/compare-values.js';
import { registerAggregate, type AggregateDef, type AggregateImpl } from './aggregate.js';
import { decodeState, encodeState } from './state-codec.js';

function extreme(type: number, sign: 1 | -1): AggregateImpl<unknown> {
  const cmp = requireCompareFn(type);
  const pick = (a: unknown, b: unknown) => (a === null ? b : b === null ? a : cmp(b, a) * sign > 0 ? b : a);
  return {
    resultType: type,
    init: () => null,
    step: (s, [v]) => pick(s, v),
    merge: pick,
    final: (s) => s,
    serialize: (s) => encodeState(s),
    deserialize: (b) => decodeState(b),
  };
}

const TYPES = [
  OID.int2, OID.int4, OID.int8, OID.float4, OID.float8, OID.numeric, OID.oid,
  OID.text, OID.bpchar, OID.date, OID.time, OID.timestamp, OID.timestamptz, OID.interval, OID.anyarray,
];

const defs: AggregateDef[] = [];
for (const t of TYPES) {
  for (const [name, sign] of [['min', -1], ['max', 1]] as const) {
    defs.push({ name, args: [t], ret: t, strict: true, create: (argTypes) => extreme(argTypes[0], sign) });
  }
}
registerAggregate(...defs);
