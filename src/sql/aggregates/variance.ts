// variance / var_samp / var_pop / stddev / stddev_samp / stddev_pop.
// Integer and numeric inputs give numeric, computed exactly from N, the sum
// and the sum of squares as PostgreSQL does (scale rules included); float
// inputs give float8 from Youngs–Cramer moments (float-moments.ts).
import { OID } from '../../types/oids.js';
import { Dec, Numeric } from '../../types/values.js';
import { NUMERIC_NAN, NUMERIC_ZERO, divisionScale, makeNumeric, numericAdd, numericMul } from '../../types/numeric.js';
import { registerAggregate, type AggregateImpl } from './aggregate.js';
import { decodeState, encodeState } from './state-codec.js';
import { momentsMerge, momentsStep, type FloatMoments } from './float-moments.js';

interface Kind {
  /** Divide by N - 1 (sample) rather than N (population). */
  sample: boolean;
  /** Take the square root (stddev). */
  root: boolean;
}

/** Integer inputs: exact bigint sums. */
export interface IntMomentsState {
  n: number;
  sx: bigint;
  sxx: bigint;
}

/** Numeric inputs: exact sums; sx's dscale is the largest input scale. */
export interface NumericMomentsState {
  n: number;
  sx: Numeric;
  sxx: Numeric;
}

/**
 * PostgreSQL's numeric variance: (N*Sxx - Sx*Sx) / (N*(N-1) or N*N), rounded
 * to select_div_scale's scale; stddev is the square root of that rounded
 * variance at the same scale. A non-positive numerator gives exactly 0.
 */
function numericResult(n: number, sx: Numeric, sxx: Numeric, k: Kind): Numeric | null {
  if (n === 0 || (k.sample && n === 1)) return null;
  if (sx.isNaN() || sxx.isNaN()) return NUMERIC_NAN;
  const N = new Dec(n);
  const num = N.times(sxx.value).minus(sx.value.times(sx.value));
  if (num.lte(0)) return NUMERIC_ZERO;
  const den = k.sample ? N.times(n - 1) : N.times(N);
  const scale = divisionScale(new Numeric(num, sx.dscale * 2), new Numeric(den, 0));
  const variance = makeNumeric(num.div(den), scale);
  return k.root ? makeNumeric(variance.value.sqrt(), scale) : variance;
}

function intVariance(k: Kind): AggregateImpl<IntMomentsState> {
  return {
    resultType: OID.numeric,
    init: () => ({ n: 0, sx: 0n, sxx: 0n }),
    step: (s, [v]) => {
      const x = BigInt(v as number | bigint);
      s.n++;
      s.sx += x;
      s.sxx += x * x;
      return s;
    },
    merge: (a, b) => ({ n: a.n + b.n, sx: a.sx + b.sx, sxx: a.sxx + b.sxx }),
    final: (s) => numericResult(s.n, new Numeric(new Dec(s.sx.toString()), 0), new Numeric(new Dec(s.sxx.toString()), 0), k),
    serialize: (s) => encodeState(s),
    deserialize: (b) => decodeState<IntMomentsState>(b),
  };
}

function numericVariance(k: Kind): AggregateImpl<NumericMomentsState> {
  return {
    resultType: OID.numeric,
    init: () => ({ n: 0, sx: NUMERIC_ZERO, sxx: NUMERIC_ZERO }),
    step: (s, [v]) => {
      const x = v as Numeric;
      s.n++;
      s.sx = numericAdd(s.sx, x);
      s.sxx = numericAdd(s.sxx, numericMul(x, x));
      return s;
    },
    merge: (a, b) => ({ n: a.n + b.n, sx: numericAdd(a.sx, b.sx), sxx: numericAdd(a.sxx, b.sxx) }),
    final: (s) => numericResult(s.n, s.sx, s.sxx, k),
    serialize: (s) => encodeState(s),
    deserialize: (b) => decodeState<NumericMomentsState>(b),
  };
}

function floatVariance(k: Kind): AggregateImpl<FloatMoments> {
  return {
    resultType: OID.float8,
    init: () => ({ n: 0, sx: 0, sxx: 0 }),
    step: (s, [v]) => momentsStep(s, v as number),
    merge: momentsMerge,
    final: (s) => {
      if (s.n === 0 || (k.sample && s.n === 1)) return null;
      const v = s.sxx / (k.sample ? s.n - 1 : s.n);
      return k.root ? Math.sqrt(v) : v;
    },
    serialize: (s) => encodeState(s),
    deserialize: (b) => decodeState<FloatMoments>(b),
  };
}

const KINDS: [string, Kind][] = [
  ['variance', { sample: true, root: false }],
  ['var_samp', { sample: true, root: false }],
  ['var_pop', { sample: false, root: false }],
  ['stddev', { sample: true, root: true }],
  ['stddev_samp', { sample: true, root: true }],
  ['stddev_pop', { sample: false, root: true }],
];

for (const [name, k] of KINDS) {
  const ints = intVariance(k);
  const nums = numericVariance(k);
  const floats = floatVariance(k);
  registerAggregate(
    { name, args: [OID.int2], ret: OID.numeric, strict: true, create: () => ints },
    { name, args: [OID.int4], ret: OID.numeric, strict: true, create: () => ints },
    { name, args: [OID.int8], ret: OID.numeric, strict: true, create: () => ints },
    { name, args: [OID.numeric], ret: OID.numeric, strict: true, create: () => nums },
    { name, args: [OID.float4], ret: OID.float8, strict: true, create: () => floats },
    { name, args: [OID.float8], ret: OID.float8, strict: true, create: () => floats },
  );
}
