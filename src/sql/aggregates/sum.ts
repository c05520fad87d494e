// sum() with PostgreSQL's result types: int2/int4 -> int8, int8 -> numeric,
// numeric -> numeric, float4 -> float4, float8 -> float8, interval -> interval.
// An empty input gives NULL.
import { PgError, SQLSTATE } from '../../errors.js';
import { OID } from '../../types/oids.js';
import type { Interval, Numeric } from '../../types/values.js';
import { intervalAdd } from '../../types/interval.js';
import { numericAdd, numericFromInt } from '../../types/numeric.js';
import { checkFloat8Result } from '../../types/float-format.js';
import { registerAggregate, type AggregateImpl } from './aggregate.js';
import { decodeState, encodeState } from './state-codec.js';
import { addIntSum, intSumToBigint, type IntSum } from './int-sum.js';

const I8_MIN = -(2n ** 63n);
const I8_MAX = 2n ** 63n - 1n;

function codec<S>() {
  return { serialize: (s: S) => encodeState(s), deserialize: (b: Uint8Array) => decodeState<S>(b) };
}

/** Sums of integers accumulate exactly (IntSum); `toResult` makes the final value. */
function integerSum(resultType: number, toResult: (v: IntSum) => unknown, checkInt8: boolean): AggregateImpl<IntSum | null> {
  // A number form is below 2^50 in magnitude, so only a bigint can leave int8's range.
  const check = (v: IntSum) => {
    if (checkInt8 && typeof v === 'bigint' && (v < I8_MIN || v > I8_MAX)) throw new PgError(SQLSTATE.numeric_value_out_of_range, 'bigint out of range');
    return v;
  };
  return {
    resultType,
    init: () => null,
    step: (s, [v]) => check(addIntSum(s ?? 0, v as number | bigint)),
    merge: (a, b) => (a === null ? b : b === null ? a : check(addIntSum(a, b))),
    final: (s) => (s === null ? null : toResult(s)),
    ...codec<IntSum | null>(),
  };
}

const sumNumeric: AggregateImpl<Numeric | null> = {
  resultType: OID.numeric,
  init: () => null,
  step: (s, [v]) => (s === null ? (v as Numeric) : numericAdd(s, v as Numeric)),
  merge: (a, b) => (a === null ? b : b === null ? a : numericAdd(a, b)),
  final: (s) => s,
  ...codec<Numeric | null>(),
};

function floatSum(type: number): AggregateImpl<number | null> {
  const round = type === OID.float4 ? Math.fround : (x: number) => x;
  const add = (a: number, b: number) =>
    checkFloat8Result(round(a + b), !Number.isFinite(a) || !Number.isFinite(b), true);
  return {
    resultType: type,
    init: () => null,
    step: (s, [v]) => (s === null ? (v as number) : add(s, v as number)),
    merge: (a, b) => (a === null ? b : b === null ? a : add(a, b)),
    final: (s) => s,
    ...codec<number | null>(),
  };
}


const sumInterval: AggregateImpl<Interval | null> = {
  resultType: OID.interval,
  init: () => null,
  step: (s, [v]) => (s === null ? (v as Interval) : intervalAdd(s, v as Interval)),
  merge: (a, b) => (a === null ? b : b === null ? a : intervalAdd(a, b)),
  final: (s) => s,
  ...codec<Interval | null>(),
};

const int8Result = integerSum(OID.int8, intSumToBigint, true);
const numericResult = integerSum(OID.numeric, (v) => numericFromInt(v), false);

registerAggregate(
  { name: 'sum', args: [OID.int2], ret: OID.int8, strict: true, create: () => int8Result },
  { name: 'sum', args: [OID.int4], ret: OID.int8, strict: true, create: () => int8Result },
  { name: 'sum', args: [OID.int8], ret: OID.numeric, strict: true, create: () => numericResult },
  { name: 'sum', args: [OID.numeric], ret: OID.numeric, strict: true, create: () => sumNumeric },
  { name: 'sum', args: [OID.float4], ret: OID.float4, strict: true, create: () => floatSum(OID.float4) },
  { name: 'sum', args: [OID.float8], ret: OID.float8, strict: true, create: () => floatSum(OID.float8) },
  { name: 'sum', args: [OID.interval], ret: OID.interval, strict: true, create: () => sumInterval },
);
