// avg(): integers and numeric give numeric (exact sum / count at numeric
// division scale), floats give float8, intervals give interval.
import { OID } from '../../types/oids.js';
import { Interval, type Numeric } from '../../types/values.js';
import { numericAdd, numericDiv, numericDivSmallInts, numericFromInt } from '../../types/numeric.js';
import { intervalAdd, intervalDiv } from '../../types/interval.js';
import { registerAggregate, type AggregateImpl } from './aggregate.js';
import { decodeState, encodeState } from './state-codec.js';
import { addIntSum, type IntSum } from './int-sum.js';

interface IntAvg { n: number; sum: IntSum }
const avgInt: AggregateImpl<IntAvg> = {
  resultType: OID.numeric,
  init: () => ({ n: 0, sum: 0 }),
  step: (s, [v]) => {
    s.n++;
    s.sum = addIntSum(s.sum, v as number | bigint);
    return s;
  },
  merge: (a, b) => ({ n: a.n + b.n, sum: addIntSum(a.sum, b.sum) }),
  final: (s) =>
    s.n === 0
      ? null
      : ((typeof s.sum === 'number' ? numericDivSmallInts(s.sum, s.n) : null) ?? numericDiv(numericFromInt(s.sum), numericFromInt(s.n))),
  serialize: (s) => encodeState(s),
  deserialize: (b) => decodeState<IntAvg>(b),
};

interface NumAvg { n: number; sum: Numeric | null }
const avgNumeric: AggregateImpl<NumAvg> = {
  resultType: OID.numeric,
  init: () => ({ n: 0, sum: null }),
  step: (s, [v]) => {
    s.n++;
    s.sum = s.sum === null ? (v as Numeric) : numericAdd(s.sum, v as Numeric);
    return s;
  },
  merge: (a, b) => ({ n: a.n + b.n, sum: a.sum === null ? b.sum : b.sum === null ? a.sum : numericAdd(a.sum, b.sum) }),
  final: (s) => (s.n === 0 || s.sum === null ? null : numericDiv(s.sum, numericFromInt(s.n))),
  serialize: (s) => encodeState(s),
  deserialize: (b) => decodeState<NumAvg>(b),
};

interface FloatAvg { n: number; sum: number }
const avgFloat: AggregateImpl<FloatAvg> = {
  resultType: OID.float8,
  init: () => ({ n: 0, sum: 0 }),
  step: (s, [v]) => {
    s.n++;
    s.sum += v as number;
    return s;
  },
  merge: (a, b) => ({ n: a.n + b.n, sum: a.sum + b.sum }),
  final: (s) => (s.n === 0 ? null : s.sum / s.n),
  serialize: (s) => encodeState(s),
  deserialize: (b) => decodeState<FloatAvg>(b),
};

interface IntervalAvg { n: number; sum: Interval }
const avgInterval: AggregateImpl<IntervalAvg> = {
  resultType: OID.interval,
  init: () => ({ n: 0, sum: new Interval(0, 0, 0) }),
  step: (s, [v]) => {
    s.n++;
    s.sum = intervalAdd(s.sum, v as Interval);
    return s;
  },
  merge: (a, b) => ({ n: a.n + b.n, sum: intervalAdd(a.sum, b.sum) }),
  final: (s) => (s.n === 0 ? null : intervalDiv(s.sum, s.n)),
  serialize: (s) => encodeState(s),
  deserialize: (b) => decodeState<IntervalAvg>(b),
};

registerAggregate(
  { name: 'avg', args: [OID.int2], ret: OID.numeric, strict: true, create: () => avgInt },
  { name: 'avg', args: [OID.int4], ret: OID.numeric, strict: true, create: () => avgInt },
  { name: 'avg', args: [OID.int8], ret: OID.numeric, strict: true, create: () => avgInt },
  { name: 'avg', args: [OID.numeric], ret: OID.numeric, strict: true, create: () => avgNumeric },
  { name: 'avg', args: [OID.float4], ret: OID.float8, strict: true, create: () => avgFloat },
  { name: 'avg', args: [OID.float8], ret: OID.float8, strict: true, create: () => avgFloat },
  { name: 'avg', args: [OID.interval], ret: OID.interval, strict: true, create: () => avgInterval },
);
