// Mathematical functions (PostgreSQL 11 "Mathematical Functions and Operators"),
// with the per-type overload sets PostgreSQL has, so that e.g. abs(int4) stays
// int4 and round(float8) rounds half to even while round(numeric) rounds half
// away from zero.
import { PgError, SQLSTATE } from '../../errors.js';
import { checkFloat8Result } from '../../types/float-format.js';
import {
  makeNumeric,
  numericAbs,
  numericCeil,
  numericCompare,
  numericDiv,
  numericDivTrunc,
  numericExp,
  numericFloor,
  numericLn,
  numericLog,
  numericLog10,
  numericMod,
  numericPower,
  numericRound,
  numericSign,
  numericSqrt,
  numericSub,
  numericMul,
  numericFromInt,
  numericTrunc,
} from '../../types/numeric.js';
import { OID } from '../../types/oids.js';
import { Dec, Numeric } from '../../types/values.js';
import { registerFunction, type SessionHooks } from './catalog.js';
import { fn } from './define.js';
import { GlibcRandom } from './glibc-random.js';

const { int2, int4, int8, float4, float8, numeric, void: voidType } = OID;

function outOfRange(typeName: 'smallint' | 'integer' | 'bigint'): PgError {
  return new PgError(SQLSTATE.numeric_value_out_of_range, `${typeName} out of range`);
}

function inputOutOfRange(): PgError {
  return new PgError(SQLSTATE.numeric_value_out_of_range, 'input is out of range');
}

// ---- integer -------------------------------------------------------------

function absInt(x: number, min: number, typeName: 'smallint' | 'integer'): number {
  if (x === min) throw outOfRange(typeName);
  return x < 0 ? -x : x;
}

function modInt(x: number, y: number): number {
  if (y === 0) throw new PgError(SQLSTATE.division_by_zero, 'division by zero');
  if (y === -1) return 0; // INT_MIN % -1 would trap in C; the answer is 0 anyway
  const r = x % y;
  return r === 0 ? 0 : r; // no -0
}

function modInt8(x: bigint, y: bigint): bigint {
  if (y === 0n) throw new PgError(SQLSTATE.division_by_zero, 'division by zero');
  if (y === -1n) return 0n;
  return x % y;
}

// ---- float8 --------------------------------------------------------------

/** C rint(): round half to even. */
/** PostgreSQL 11's numeric_fac: 1 for n <= 1; beyond 32177! numeric overflows. */
function factorial(n: bigint): Numeric {
  if (n > 32177n) throw new PgError(SQLSTATE.numeric_value_out_of_range, 'value overflows numeric format');
  let product = 1n;
  for (let i = 2n; i <= n; i++) product *= i;
  return makeNumeric(new Dec(product.toString()), 0);
}

export function rint(x: number): number {
  if (!Number.isFinite(x) || Math.abs(x) >= 4503599627370496) return x;
  const r = Math.round(x);
  if (r - x === 0.5 && r % 2 !== 0) return r - 1;
  return r === 0 && x < 0 ? -0 : r;
}

function sign8(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

function sqrt8(x: number): number {
  if (x < 0) throw new PgError(SQLSTATE.invalid_argument_for_power_function, 'cannot take square root of a negative number');
  return checkFloat8Result(Math.sqrt(x), x === Infinity, x === 0);
}

function cbrt8(x: number): number {
  return checkFloat8Result(Math.cbrt(x), !Number.isFinite(x), x === 0);
}

function exp8(x: number): number {
  const r = Math.exp(x);
  return checkFloat8Result(r, !Number.isFinite(x), false);
}

function checkLogArg(x: number): void {
  if (x === 0) throw new PgError(SQLSTATE.invalid_argument_for_logarithm, 'cannot take logarithm of zero');
  if (x < 0) throw new PgError(SQLSTATE.invalid_argument_for_logarithm, 'cannot take logarithm of a negative number');
}

function ln8(x: number): number {
  checkLogArg(x);
  return checkFloat8Result(Math.log(x), x === Infinity, x === 1);
}

function log10_8(x: number): number {
  checkLogArg(x);
  return checkFloat8Result(Math.log10(x), x === Infinity, x === 1);
}

/** C pow() semantics (JavaScript differs for 1^NaN, NaN^0 and (-1)^Inf). */
function pow8(x: number, y: number): number {
  if (Number.isNaN(x)) return y === 0 ? 1 : NaN;
  if (Number.isNaN(y)) return x === 1 ? 1 : NaN;
  if (x === 0 && y < 0) {
    throw new PgError(SQLSTATE.invalid_argument_for_power_function, 'zero raised to a negative power is undefined');
  }
  if (x < 0 && Math.floor(y) !== y) {
    throw new PgError(
      SQLSTATE.invalid_argument_for_power_function,
      'a negative number raised to a non-integer power yields a complex result',
    );
  }
  let r: number;
  if ((x === 1 || x === -1) && !Number.isFinite(y)) r = 1;
  else r = Math.pow(x, y);
  return checkFloat8Result(r, !Number.isFinite(x) || !Number.isFinite(y), x === 0);
}

function trig(f: (x: number) => number): (a: number[]) => number {
  return (a) => {
    const x = a[0]!;
    if (Number.isNaN(x)) return NaN;
    if (!Number.isFinite(x)) throw inputOutOfRange();
    return checkFloat8Result(f(x), true, true);
  };
}

function inverseTrig(f: (x: number) => number): (a: number[]) => number {
  return (a) => {
    const x = a[0]!;
    if (Number.isNaN(x)) return NaN;
    if (x < -1 || x > 1) throw inputOutOfRange();
    return checkFloat8Result(f(x), false, true);
  };
}

// Degree-based trigonometry, exact at the standard angles (sind(30) = 0.5):
// the first octants are computed relative to a known angle so that the
// reference points come out exactly.
const RAD = Math.PI / 180;
const SIN_30 = Math.sin(30 * RAD);
const ONE_MINUS_COS_60 = 1 - Math.cos(60 * RAD);
const ASIN_HALF = Math.asin(0.5);
const ACOS_HALF = Math.acos(0.5);
const ATAN_ONE = Math.atan(1);

function sin0to30(x: number): number {
  return Math.sin(x * RAD) / SIN_30 / 2;
}
function cos0to60(x: number): number {
  return 1 - (1 - Math.cos(x * RAD)) / ONE_MINUS_COS_60 / 2;
}
function sinQ1(x: number): number {
  return x <= 30 ? sin0to30(x) : cos0to60(90 - x);
}
function cosQ1(x: number): number {
  return x <= 60 ? cos0to60(x) : sin0to30(90 - x);
}
const TAN_45 = sinQ1(45) / cosQ1(45);
const COT_45 = cosQ1(45) / sinQ1(45);

function degreeArg(x: number): number {
  if (!Number.isFinite(x)) throw inputOutOfRange();
  return x % 360;
}

function sind(x: number): number {
  if (Number.isNaN(x)) return NaN;
  x = degreeArg(x);
  let sign = 1;
  if (x < 0) {
    x = -x;
    sign = -1;
  }
  if (x > 180) {
    x -= 180;
    sign = -sign;
  }
  if (x > 90) x = 180 - x;
  return sign * sinQ1(x);
}

function cosd(x: number): number {
  if (Number.isNaN(x)) return NaN;
  x = Math.abs(degreeArg(x));
  if (x > 180) x = 360 - x;
  let sign = 1;
  if (x > 90) {
    x = 180 - x;
    sign = -1;
  }
  return sign * cosQ1(x);
}

/** Reduces x into [0, 90] for tand/cotd, returning the sign to apply. */
function tanReduce(x: number): [number, number] {
  x = degreeArg(x);
  let sign = 1;
  if (x < 0) {
    x = -x;
    sign = -1;
  }
  if (x > 180) {
    x -= 180;
    sign = -sign;
  }
  if (x > 90) {
    x = 180 - x;
    sign = -sign;
  }
  return [x, sign];
}

function tand(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const [r, sign] = tanReduce(x);
  const t = sign * (sinQ1(r) / cosQ1(r) / TAN_45);
  return Object.is(t, -0) ? 0 : t;
}

function cotd(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const [r, sign] = tanReduce(x);
  const t = sign * (cosQ1(r) / sinQ1(r) / COT_45);
  return Object.is(t, -0) ? 0 : t;
}

function asinQ1(x: number): number {
  return x <= 0.5 ? (Math.asin(x) / ASIN_HALF) * 30 : 90 - (Math.acos(x) / ACOS_HALF) * 60;
}
function acosQ1(x: number): number {
  return x <= 0.5 ? 90 - (Math.asin(x) / ASIN_HALF) * 30 : (Math.acos(x) / ACOS_HALF) * 60;
}
function asind(x: number): number {
  return x >= 0 ? asinQ1(x) : -asinQ1(-x);
}
function acosd(x: number): number {
  return x >= 0 ? acosQ1(x) : 90 + asinQ1(-x);
}
function atand(x: number): number {
  if (Number.isNaN(x)) return NaN;
  return (Math.atan(x) / ATAN_ONE) * 45;
}
function atan2d(y: number, x: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  return (Math.atan2(y, x) / ATAN_ONE) * 45;
}

// ---- width_bucket --------------------------------------------------------

function bucketError(msg: string): PgError {
  return new PgError(SQLSTATE.invalid_argument_for_width_bucket_function, msg);
}

function widthBucket8(op: number, b1: number, b2: number, count: number): number {
  if (count <= 0) throw bucketError('count must be greater than zero');
  if (Number.isNaN(op) || Number.isNaN(b1) || Number.isNaN(b2)) {
    throw bucketError('operand, lower bound, and upper bound cannot be NaN');
  }
  if (!Number.isFinite(b1) || !Number.isFinite(b2)) throw bucketError('lower and upper bounds must be finite');
  if (b1 < b2) {
    if (op < b1) return 0;
    if (op >= b2) return bucketOverflow(count);
    return Math.trunc(((op - b1) * count) / (b2 - b1)) + 1;
  }
  if (b1 > b2) {
    if (op > b1) return 0;
    if (op <= b2) return bucketOverflow(count);
    return Math.trunc(((b1 - op) * count) / (b1 - b2)) + 1;
  }
  throw bucketError('lower bound cannot equal upper bound');
}

function bucketOverflow(count: number): number {
  if (count === 2147483647) throw outOfRange('integer');
  return count + 1;
}

function widthBucketNumeric(op: Numeric, b1: Numeric, b2: Numeric, count: number): number {
  if (count <= 0) throw bucketError('count must be greater than zero');
  if (op.isNaN() || b1.isNaN() || b2.isNaN()) throw bucketError('operand, lower bound, and upper bound cannot be NaN');
  const cmp = numericCompare(b1, b2);
  if (cmp === 0) throw bucketError('lower bound cannot equal upper bound');
  const n = numericFromInt(count);
  if (cmp < 0) {
    if (numericCompare(op, b1) < 0) return 0;
    if (numericCompare(op, b2) >= 0) return bucketOverflow(count);
    const q = numericDiv(numericMul(numericSub(op, b1), n), numericSub(b2, b1));
    return Number(q.value.trunc().toString()) + 1;
  }
  if (numericCompare(op, b1) > 0) return 0;
  if (numericCompare(op, b2) <= 0) return bucketOverflow(count);
  const q = numericDiv(numericMul(numericSub(b1, op), n), numericSub(b1, b2));
  return Number(q.value.trunc().toString()) + 1;
}

// ---- random --------------------------------------------------------------

/** Each session has its own generator, as each PostgreSQL backend does. */
const generators = new WeakMap<SessionHooks, GlibcRandom>();

function sessionGenerator(hooks: SessionHooks): GlibcRandom {
  let g = generators.get(hooks);
  if (!g) {
    g = new GlibcRandom((Math.random() * 0x100000000) | 0);
    generators.set(hooks, g);
  }
  return g;
}

const MAX_RANDOM_VALUE = 2147483647;

function setseed(seed: number, hooks: SessionHooks): string {
  if (!(seed >= -1 && seed <= 1)) {
    // PostgreSQL 11 raises this with elog(), hence the internal-error SQLSTATE.
    throw new PgError(SQLSTATE.internal_error, `setseed parameter ${seed.toFixed(6)} out of range [-1,1]`);
  }
  sessionGenerator(hooks).seed(Math.trunc(MAX_RANDOM_VALUE * seed));
  return '';
}

// ---- registration ---------------------------------------------------------

const f8 = (f: (x: number) => number) => (a: number[]) => f(a[0]!);

registerFunction(
  fn('abs', [int2], int2, (a: number[]) => absInt(a[0]!, -32768, 'smallint')),
  fn('abs', [int4], int4, (a: number[]) => absInt(a[0]!, -2147483648, 'integer')),
  fn('abs', [int8], int8, (a: bigint[]) => {
    const x = a[0]!;
    if (x === -9223372036854775808n) throw outOfRange('bigint');
    return x < 0n ? -x : x;
  }),
  fn('abs', [float4], float4, f8(Math.abs)),
  fn('abs', [float8], float8, f8(Math.abs)),
  fn('abs', [numeric], numeric, (a: Numeric[]) => numericAbs(a[0]!)),
  fn('factorial', [int8], numeric, (a: bigint[]) => factorial(a[0]!)),
  fn('sign', [float8], float8, f8(sign8)),
  fn('sign', [numeric], numeric, (a: Numeric[]) => numericSign(a[0]!)),
  fn('ceil', [float8], float8, f8(Math.ceil)),
  fn('ceil', [numeric], numeric, (a: Numeric[]) => numericCeil(a[0]!)),
  fn('ceiling', [float8], float8, f8(Math.ceil)),
  fn('ceiling', [numeric], numeric, (a: Numeric[]) => numericCeil(a[0]!)),
  fn('floor', [float8], float8, f8(Math.floor)),
  fn('floor', [numeric], numeric, (a: Numeric[]) => numericFloor(a[0]!)),
  fn('round', [float8], float8, f8(rint)),
  fn('round', [numeric], numeric, (a: Numeric[]) => numericRound(a[0]!, 0)),
  fn('round', [numeric, int4], numeric, (a: [Numeric, number]) => numericRound(a[0], a[1])),
  fn('trunc', [float8], float8, f8(Math.trunc)),
  fn('trunc', [numeric], numeric, (a: Numeric[]) => numericTrunc(a[0]!, 0)),
  fn('trunc', [numeric, int4], numeric, (a: [Numeric, number]) => numericTrunc(a[0], a[1])),
  fn('scale', [numeric], int4, (a: Numeric[]) => (a[0]!.isNaN() ? null : a[0]!.dscale)),
  fn('sqrt', [float8], float8, f8(sqrt8)),
  fn('sqrt', [numeric], numeric, (a: Numeric[]) => numericSqrt(a[0]!)),
  fn('cbrt', [float8], float8, f8(cbrt8)),
  fn('exp', [float8], float8, f8(exp8)),
  fn('exp', [numeric], numeric, (a: Numeric[]) => numericExp(a[0]!)),
  fn('ln', [float8], float8, f8(ln8)),
  fn('ln', [numeric], numeric, (a: Numeric[]) => numericLn(a[0]!)),
  fn('log', [float8], float8, f8(log10_8)),
  fn('log', [numeric], numeric, (a: Numeric[]) => numericLog10(a[0]!)),
  fn('log', [numeric, numeric], numeric, (a: Numeric[]) => numericLog(a[0]!, a[1]!)),
  fn('log10', [float8], float8, f8(log10_8)),
  fn('log10', [numeric], numeric, (a: Numeric[]) => numericLog10(a[0]!)),
  fn('power', [float8, float8], float8, (a: number[]) => pow8(a[0]!, a[1]!)),
  fn('power', [numeric, numeric], numeric, (a: Numeric[]) => numericPower(a[0]!, a[1]!)),
  fn('pow', [float8, float8], float8, (a: number[]) => pow8(a[0]!, a[1]!)),
  fn('pow', [numeric, numeric], numeric, (a: Numeric[]) => numericPower(a[0]!, a[1]!)),
  fn('mod', [int2, int2], int2, (a: number[]) => modInt(a[0]!, a[1]!)),
  fn('mod', [int4, int4], int4, (a: number[]) => modInt(a[0]!, a[1]!)),
  fn('mod', [int8, int8], int8, (a: bigint[]) => modInt8(a[0]!, a[1]!)),
  fn('mod', [numeric, numeric], numeric, (a: Numeric[]) => numericMod(a[0]!, a[1]!)),
  fn('div', [numeric, numeric], numeric, (a: Numeric[]) => numericDivTrunc(a[0]!, a[1]!)),
  fn('pi', [], float8, () => Math.PI),
  fn('degrees', [float8], float8, (a: number[]) => checkFloat8Result(a[0]! * (180 / Math.PI), !Number.isFinite(a[0]!), true)),
  fn('radians', [float8], float8, (a: number[]) => checkFloat8Result(a[0]! * (Math.PI / 180), !Number.isFinite(a[0]!), true)),
  fn('sin', [float8], float8, trig(Math.sin)),
  fn('cos', [float8], float8, trig(Math.cos)),
  fn('tan', [float8], float8, trig(Math.tan)),
  fn('cot', [float8], float8, trig((x) => 1 / Math.tan(x))),
  fn('asin', [float8], float8, inverseTrig(Math.asin)),
  fn('acos', [float8], float8, inverseTrig(Math.acos)),
  fn('atan', [float8], float8, (a: number[]) => Math.atan(a[0]!)),
  fn('atan2', [float8, float8], float8, (a: number[]) => Math.atan2(a[0]!, a[1]!)),
  fn('sind', [float8], float8, f8(sind)),
  fn('cosd', [float8], float8, f8(cosd)),
  fn('tand', [float8], float8, f8(tand)),
  fn('cotd', [float8], float8, f8(cotd)),
  fn('asind', [float8], float8, inverseTrig(asind)),
  fn('acosd', [float8], float8, inverseTrig(acosd)),
  fn('atand', [float8], float8, f8(atand)),
  fn('atan2d', [float8, float8], float8, (a: number[]) => atan2d(a[0]!, a[1]!)),
  fn('width_bucket', [float8, float8, float8, int4], int4, (a: number[]) => widthBucket8(a[0]!, a[1]!, a[2]!, a[3]!)),
  fn('width_bucket', [numeric, numeric, numeric, int4], int4, (a: [Numeric, Numeric, Numeric, number]) =>
    widthBucketNumeric(a[0], a[1], a[2], a[3]),
  ),
  fn('random', [], float8, (_a, ctx) => sessionGenerator(ctx.hooks).next() / (MAX_RANDOM_VALUE + 1), {
    volatility: 'volatile',
  }),
  fn('setseed', [float8], voidType, (a: number[], ctx) => setseed(a[0]!, ctx.hooks), { volatility: 'volatile' }),
);

