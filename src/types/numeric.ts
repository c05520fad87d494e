// PostgreSQL numeric: text I/O, arithmetic with PostgreSQL's result-scale
// rules, typmod application and conversions. Values are `Numeric` (values.ts):
// an exact decimal.js value plus the display scale (dscale).
import { Decimal } from 'decimal.js';
import { PgError, SQLSTATE } from '../errors.js';
import { Dec, Numeric } from './values.js';
import { digitCount, writeDigits } from './ascii-digits.js';

/** Minimum significant digits PostgreSQL keeps in inexact results (div, sqrt, exp, ln ...). */
const MIN_SIG_DIGITS = 16;
const MAX_DISPLAY_SCALE = 1000;
const MAX_RESULT_SCALE = 2000;
const MAX_PRECISION = 1000;

/** decimal.js clone for transcendental functions; precision is set per call to what is needed. */
const DecWork = Dec.clone({ precision: 40, rounding: Decimal.ROUND_DOWN });
/** Division truncates at 1000 digits so the final half-up rounding at rscale is exact. */
const DecDown = Dec.clone({ rounding: Decimal.ROUND_DOWN });

export const NUMERIC_NAN = new Numeric(new Dec(NaN), 0);
export const NUMERIC_ZERO = new Numeric(new Dec(0), 0);
export const NUMERIC_ONE = new Numeric(new Dec(1), 0);

function invalidNumeric(input: string): PgError {
  return new PgError(SQLSTATE.invalid_text_representation, `invalid input syntax for type numeric: "${input}"`);
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** numeric_in: whitespace, sign, digits with optional point, optional exponent, or NaN. */
export function parseNumeric(input: string): Numeric {
  let i = 0;
  let end = input.length;
  while (i < end && isSpace(input.charCodeAt(i))) i++;
  while (end > i && isSpace(input.charCodeAt(end - 1))) end--;
  if (end - i === 3 && input.slice(i, end).toLowerCase() === 'nan') return NUMERIC_NAN;
  const start = i;
  let c = input.charCodeAt(i);
  if (c === 43 /* + */ || c === 45 /* - */) i++;
  let digits = 0;
  let fracDigits = 0;
  let seenPoint = false;
  for (; i < end; i++) {
    c = input.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      if (seenPoint) fracDigits++;
    } else if (c === 46 && !seenPoint) {
      seenPoint = true;
    } else break;
  }
  if (digits === 0) throw invalidNumeric(input);
  let exponent = 0;
  if (i < end && (c === 101 || c === 69)) {
    i++;
    let neg = false;
    c = input.charCodeAt(i);
    if (c === 43 || c === 45) {
      neg = c === 45;
      i++;
    }
    const expStart = i;
    while (i < end) {
      c = input.charCodeAt(i);
      if (c < 48 || c > 57) break;
      exponent = exponent * 10 + (c - 48);
      if (exponent > MAX_PRECISION) throw invalidNumeric(input);
      i++;
    }
    if (i === expStart) throw invalidNumeric(input);
    if (neg) exponent = -exponent;
  }
  if (i !== end) throw invalidNumeric(input);
  const dscale = Math.max(0, fracDigits - exponent);
  let value = new Dec(input.slice(start, end));
  if (value.isZero() && value.isNeg()) value = new Dec(0);
  return new Numeric(value, dscale);
}

/** numeric_out: plain notation with exactly dscale fraction digits, never an exponent. */
export function formatNumeric(n: Numeric): string {
  if (n.text !== undefined) return n.text;
  const v = n.value;
  if (v.isNaN()) return 'NaN';
  if (v.isZero()) return n.dscale > 0 ? '0.' + '0'.repeat(n.dscale) : '0';
  return v.toFixed(n.dscale);
}

/** Builds a Numeric rounded (half away from zero) to `dscale`, normalizing -0. */
export function makeNumeric(value: Decimal, dscale: number): Numeric {
  if (value.isNaN()) return NUMERIC_NAN;
  let v = value.toDecimalPlaces(dscale < 0 ? 0 : dscale, Decimal.ROUND_HALF_UP);
  if (v.isZero() && v.isNeg()) v = new Dec(0);
  return new Numeric(v, dscale);
}

export function numericAdd(a: Numeric, b: Numeric): Numeric {
  if (a.value.isNaN() || b.value.isNaN()) return NUMERIC_NAN;
  return makeNumeric(a.value.plus(b.value), Math.max(a.dscale, b.dscale));
}

export function numericSub(a: Numeric, b: Numeric): Numeric {
  if (a.value.isNaN() || b.value.isNaN()) return NUMERIC_NAN;
  return makeNumeric(a.value.minus(b.value), Math.max(a.dscale, b.dscale));
}

export function numericMul(a: Numeric, b: Numeric): Numeric {
  if (a.value.isNaN() || b.value.isNaN()) return NUMERIC_NAN;
  return makeNumeric(a.value.times(b.value), a.dscale + b.dscale);
}

/** Weight (power of 10000) and first base-10000 digit of |v|, as PostgreSQL stores numerics. */
function nbaseWeight(v: Decimal): { weight: number; first: number } {
  if (v.isZero()) return { weight: 0, first: 0 };
  const e = v.e; // decimal exponent of the leading digit
  const weight = Math.floor(e / 4);
  const leadDigits = e - weight * 4 + 1; // 1..4 digits in the leading group
  const sig = v.abs().toExponential().replace('.', '');
  let s = sig.slice(0, sig.indexOf('e'));
  s = s.length >= leadDigits ? s.slice(0, leadDigits) : s + '0'.repeat(leadDigits - s.length);
  return { weight, first: Number(s) };
}

/** PostgreSQL's select_div_scale: at least 16 significant digits, never less than the inputs' scales. */
export function divisionScale(a: Numeric, b: Numeric): number {
  const wa = nbaseWeight(a.value);
  const wb = nbaseWeight(b.value);
  let qweight = wa.weight - wb.weight;
  if (wa.first <= wb.first) qweight--;
  let rscale = MIN_SIG_DIGITS - qweight * 4;
  rscale = Math.max(rscale, a.dscale, b.dscale, 0);
  return Math.min(rscale, MAX_DISPLAY_SCALE);
}

/** Base-10000 weight of a non-negative safe integer (0 for 0), as nbaseWeight gives it. */
function intWeight(x: number): number {
  let weight = 0;
  for (let p = 10000; x >= p; p *= 10000) weight++;
  return weight;
}

/** First base-10000 digit of a non-negative safe integer of that weight. */
function intFirstDigit(x: number, weight: number): number {
  const p = 10000 ** weight;
  const first = Math.trunc(x / p);
  return first * p > x ? first - 1 : first;
}

/** Largest |dividend| for numericDivSmallInts: remainders and quotients stay exact in doubles. */
const SMALL_DIVIDEND = 2 ** 52;
const SMALL_DIVISOR = 2 ** 31;
/**
 * The quotient's fraction digits being built, in chunks of up to
 * CHUNK_DIGITS (at most 16 + 3 * 4 digits for divisors below 2^31); shared,
 * as numericDivSmallInts runs to completion.
 */
const CHUNK_DIGITS = 6;
const fractionChunks = new Float64Array(8);
const chunkSizes = new Uint8Array(8);
const POW10 = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];

/**
 * a / b for integers (scale 0), as numericDiv computes it but by long
 * division in doubles instead of decimal.js: avg() over integer columns
 * finalizes every group this way. The scale is known at once; the digits
 * are worked out when something first reads the text (a read that finalizes
 * avg for every group but prints ten pays for ten), and a decimal.js value
 * is made only if something computes with it. Null when |a| > 2^52 or b is
 * not in 1 .. 2^31 - 1 (the caller falls back to numericDiv).
 */
export function numericDivSmallInts(a: number, b: number): Numeric | null {
  if (!(b >= 1 && b < SMALL_DIVISOR && Number.isInteger(b) && Number.isInteger(a) && Math.abs(a) <= SMALL_DIVIDEND)) return null;
  const x = Math.abs(a);
  // select_div_scale, as divisionScale does for two scale-0 values.
  const wa = intWeight(x);
  const wb = intWeight(b);
  let qweight = wa - wb;
  if (intFirstDigit(x, wa) <= intFirstDigit(b, wb)) qweight--;
  return new SmallIntQuotient(a, b, Math.max(MIN_SIG_DIGITS - qweight * 4, 0));
}

/** A numericDivSmallInts result: its text is computed on first use. */
class SmallIntQuotient extends Numeric {
  constructor(
    private readonly dividend: number,
    private readonly divisor: number,
    dscale: number,
  ) {
    super(undefined, dscale, undefined);
  }

  protected override deferredText(): string {
    return quotientText(this.dividend, this.divisor, this.dscale);
  }

  override writeText(out: Uint8Array, at: number): number {
    return writeQuotientText(this.dividend, this.divisor, this.dscale, out, at);
  }
}

/**
 * An upper bound on the bytes writeQuotientText writes: a sign, up to 16
 * integer digits (|a| <= 2^52), the point and up to 16 + 3 * 4 fraction
 * digits (the longest fraction comes with the shortest integer part).
 */
export const MAX_QUOTIENT_TEXT = 1 + 16 + 1 + 28;

/** The remainder of the last divideExactly (a second result without an allocation). */
let remainder = 0;

/**
 * floor(x / b) for integers 0 <= x < 2^53, 1 <= b < 2^31, setting
 * `remainder`: the double quotient can be one off, and the remainder shows it.
 */
function divideExactly(x: number, b: number): number {
  let q = Math.trunc(x / b);
  let r = x - q * b;
  if (r < 0) {
    q--;
    r += b;
  } else if (r >= b) {
    q++;
    r -= b;
  }
  remainder = r;
  return q;
}

/** How many chunks the last divideQuotient left in fractionChunks / chunkSizes. */
let chunkCount = 0;

/**
 * |a| / b rounded half away from zero to rscale digits (the limits of
 * numericDivSmallInts): answers the integer part, and leaves the fraction's
 * digits in fractionChunks (chunkCount chunks of chunkSizes digits).
 */
function divideQuotient(a: number, b: number, rscale: number): number {
  let q = divideExactly(Math.abs(a), b);
  let r = remainder;
  // Fraction digits six at a time: r * 10^6 < 2^31 * 10^6 < 2^53 stays exact.
  let n = 0;
  for (let left = rscale; left > 0; n++) {
    const size = left < CHUNK_DIGITS ? left : CHUNK_DIGITS;
    fractionChunks[n] = divideExactly(r * POW10[size]!, b);
    r = remainder;
    chunkSizes[n] = size;
    left -= size;
  }
  // Half away from zero on the magnitude, carrying into the integer part.
  if (2 * r >= b) {
    let i = n - 1;
    while (i >= 0 && ++fractionChunks[i]! === POW10[chunkSizes[i]!]) fractionChunks[i--] = 0;
    if (i < 0) q++;
  }
  chunkCount = n;
  return q;
}

/** numeric_out of a / b rounded half away from zero to rscale digits (the limits of numericDivSmallInts). */
function quotientText(a: number, b: number, rscale: number): string {
  const q = divideQuotient(a, b, rscale);
  let text = a < 0 ? '-' + q : String(q);
  if (rscale > 0) {
    text += '.';
    for (let i = 0; i < chunkCount; i++) text += String(fractionChunks[i]).padStart(chunkSizes[i]!, '0');
  }
  return text;
}

/** quotientText's text as ASCII bytes at `at` of `out` (room for MAX_QUOTIENT_TEXT); answers the end. */
function writeQuotientText(a: number, b: number, rscale: number, out: Uint8Array, at: number): number {
  const q = divideQuotient(a, b, rscale);
  let p = at;
  if (a < 0) out[p++] = 0x2d; // '-'
  p = writeDigits(out, p, digitCount(q), q);
  if (rscale > 0) {
    out[p++] = 0x2e; // '.'
    for (let c = 0; c < chunkCount; c++) p = writeDigits(out, p, chunkSizes[c]!, fractionChunks[c]!);
  }
  return p;
}

function divide(a: Decimal, b: Decimal): Decimal {
  return new DecDown(a).div(b);
}

export function numericDiv(a: Numeric, b: Numeric): Numeric {
  if (a.value.isNaN() || b.value.isNaN()) return NUMERIC_NAN;
  if (b.value.isZero()) throw new PgError(SQLSTATE.division_by_zero, 'division by zero');
  return makeNumeric(divide(a.value, b.value), divisionScale(a, b));
}

/** Integer division (div() function): truncated quotient, scale 0. */
export function numericDivTrunc(a: Numeric, b: Numeric): Numeric {
  if (a.value.isNaN() || b.value.isNaN()) return NUMERIC_NAN;
  if (b.value.isZero()) throw new PgError(SQLSTATE.division_by_zero, 'division by zero');
  return makeNumeric(divide(a.value, b.value).trunc(), 0);
}

/** x % y: sign of the dividend, scale = max of the inputs' scales. */
export function numericMod(a: Numeric, b: Numeric): Numeric {
  if (a.value.isNaN() || b.value.isNaN()) return NUMERIC_NAN;
  if (b.value.isZero()) throw new PgError(SQLSTATE.division_by_zero, 'division by zero');
  const q = divide(a.value, b.value).trunc();
  return makeNumeric(a.value.minus(q.times(b.value)), Math.max(a.dscale, b.dscale));
}

export function numericNegate(a: Numeric): Numeric {
  if (a.value.isNaN() || a.value.isZero()) return a;
  return new Numeric(a.value.neg(), a.dscale);
}

export function numericAbs(a: Numeric): Numeric {
  if (a.value.isNaN() || !a.value.isNeg()) return a;
  return new Numeric(a.value.abs(), a.dscale);
}

/** -1, 0 or 1 (numeric, scale 0); NaN stays NaN. */
export function numericSign(a: Numeric): Numeric {
  if (a.value.isNaN()) return NUMERIC_NAN;
  return new Numeric(new Dec(a.value.isZero() ? 0 : a.value.isNeg() ? -1 : 1), 0);
}

/** Total order used by comparisons, sorting and btree: NaN equals NaN and is above every number. */
export function numericCompare(a: Numeric, b: Numeric): number {
  // Values that carry their text (avg() results) compare by it: max(avg) over a
  // view's groups then builds no decimal.js values.
  if (a.text !== undefined && b.text !== undefined) return comparePlainText(a.text, b.text);
  const an = a.value.isNaN();
  const bn = b.value.isNaN();
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  return a.value.cmp(b.value);
}

/**
 * Compares two finite numbers written in numeric_out's plain notation
 * (optional '-', integer digits without leading zeros, optional fraction):
 * by sign, then integer-part length, then digit by digit, a missing
 * fraction digit counting as 0.
 */
export function comparePlainText(x: string, y: string): number {
  const xNeg = x.charCodeAt(0) === 45; // '-'
  const yNeg = y.charCodeAt(0) === 45;
  if (xNeg !== yNeg) {
    if (isZeroText(x) && isZeroText(y)) return 0;
    return xNeg ? -1 : 1;
  }
  const c = compareMagnitudes(x, xNeg ? 1 : 0, y, yNeg ? 1 : 0);
  return xNeg ? 0 - c : c; // not -c: no negative zero
}

function compareMagnitudes(x: string, xs: number, y: string, ys: number): number {
  let xPoint = x.indexOf('.', xs);
  if (xPoint < 0) xPoint = x.length;
  let yPoint = y.indexOf('.', ys);
  if (yPoint < 0) yPoint = y.length;
  const xInt = xPoint - xs;
  const yInt = yPoint - ys;
  if (xInt !== yInt) return xInt < yInt ? -1 : 1;
  for (let i = 0; i < xInt; i++) {
    const d = x.charCodeAt(xs + i) - y.charCodeAt(ys + i);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  const xFrac = x.length - xPoint - 1;
  const yFrac = y.length - yPoint - 1;
  const n = Math.max(xFrac, yFrac);
  for (let i = 1; i <= n; i++) {
    const dx = i <= xFrac ? x.charCodeAt(xPoint + i) : 48;
    const dy = i <= yFrac ? y.charCodeAt(yPoint + i) : 48;
    if (dx !== dy) return dx < dy ? -1 : 1;
  }
  return 0;
}

function isZeroText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 45 && c !== 46 && c !== 48) return false;
  }
  return true;
}

export function numericEquals(a: Numeric, b: Numeric): boolean {
  return numericCompare(a, b) === 0;
}

function clampScale(s: number): number {
  return Math.min(Math.max(s, -MAX_RESULT_SCALE), MAX_RESULT_SCALE);
}

/** round(x, s): half away from zero; negative s rounds left of the point; result scale max(s, 0). */
export function numericRound(a: Numeric, s = 0): Numeric {
  if (a.value.isNaN()) return NUMERIC_NAN;
  s = clampScale(s);
  let v: Decimal;
  if (s >= 0) v = a.value.toDecimalPlaces(s, Decimal.ROUND_HALF_UP);
  else {
    const f = new Dec(10).pow(-s);
    v = a.value.div(f).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).times(f);
  }
  return makeNumeric(v, Math.max(s, 0));
}

/** trunc(x, s): toward zero. */
export function numericTrunc(a: Numeric, s = 0): Numeric {
  if (a.value.isNaN()) return NUMERIC_NAN;
  s = clampScale(s);
  let v: Decimal;
  if (s >= 0) v = a.value.toDecimalPlaces(s, Decimal.ROUND_DOWN);
  else {
    const f = new Dec(10).pow(-s);
    v = a.value.div(f).trunc().times(f);
  }
  return makeNumeric(v, Math.max(s, 0));
}

export function numericCeil(a: Numeric): Numeric {
  if (a.value.isNaN()) return NUMERIC_NAN;
  return makeNumeric(a.value.ceil(), 0);
}

export function numericFloor(a: Numeric): Numeric {
  if (a.value.isNaN()) return NUMERIC_NAN;
  return makeNumeric(a.value.floor(), 0);
}

function clampDisplayScale(r: number): number {
  return Math.min(Math.max(r, 0), MAX_DISPLAY_SCALE);
}

/** Runs a decimal.js computation with enough working precision for `rscale` digits after the point. */
function withPrecision<T>(rscale: number, magnitude: number, fn: () => T): T {
  DecWork.set({ precision: Math.max(rscale + Math.max(magnitude, 0) + 12, 20) });
  return fn();
}

function sqrtScale(a: Numeric): number {
  const weight = nbaseWeight(a.value).weight;
  const sweight = (weight + 1) * 2 - 1;
  return clampDisplayScale(Math.max(MIN_SIG_DIGITS - sweight, a.dscale));
}

export function numericSqrt(a: Numeric): Numeric {
  if (a.value.isNaN()) return NUMERIC_NAN;
  if (a.value.isNeg()) {
    throw new PgError(SQLSTATE.invalid_argument_for_power_function, 'cannot take square root of a negative number');
  }
  const rscale = sqrtScale(a);
  const r = withPrecision(rscale, a.value.e / 2 + 1, () => new DecWork(a.value).sqrt());
  return makeNumeric(r, rscale);
}

export function numericExp(a: Numeric): Numeric {
  if (a.value.isNaN()) return NUMERIC_NAN;
  let val = a.value.toNumber() * 0.434294481903252;
  val = Math.min(Math.max(val, -MAX_RESULT_SCALE), MAX_RESULT_SCALE);
  const rscale = clampDisplayScale(Math.max(MIN_SIG_DIGITS - Math.trunc(val), a.dscale));
  if (val > 1000 * 1.01) throw new PgError(SQLSTATE.numeric_value_out_of_range, 'value overflows numeric format');
  const r = withPrecision(rscale, Math.ceil(val) + 2, () => new DecWork(a.value).exp());
  return makeNumeric(r, rscale);
}

/** Approximate decimal weight of ln(x), as PostgreSQL estimates it to pick ln/log result scales. */
function estimateLnWeight(v: Decimal): number {
  if (v.gte(0.9) && v.lte(1.1)) {
    const x = v.minus(1);
    return x.isZero() ? 0 : x.e;
  }
  if (v.isZero()) return 0;
  // Using the leading 8 digits as PostgreSQL does (two base-10000 digits).
  const { weight } = nbaseWeight(v);
  const lead = v.div(new Dec(10000).pow(weight - 1)).trunc().toNumber();
  const lnv = Math.log(lead) + (weight - 1) * 4 * 2.302585092994046;
  return Math.trunc(Math.log10(Math.abs(lnv)));
}

function checkLogArg(v: Decimal): void {
  if (v.isZero()) throw new PgError(SQLSTATE.invalid_argument_for_logarithm, 'cannot take logarithm of zero');
  if (v.isNeg()) throw new PgError(SQLSTATE.invalid_argument_for_logarithm, 'cannot take logarithm of a negative number');
}

export function numericLn(a: Numeric): Numeric {
  if (a.value.isNaN()) return NUMERIC_NAN;
  checkLogArg(a.value);
  const rscale = clampDisplayScale(Math.max(MIN_SIG_DIGITS - estimateLnWeight(a.value), a.dscale));
  const r = withPrecision(rscale, 6, () => new DecWork(a.value).ln());
  return makeNumeric(r, rscale);
}

/** log(base, x); log(x) is log(10, x). */
export function numericLog(base: Numeric, a: Numeric): Numeric {
  if (a.value.isNaN() || base.value.isNaN()) return NUMERIC_NAN;
  checkLogArg(base.value);
  checkLogArg(a.value);
  if (base.value.eq(1)) throw new PgError(SQLSTATE.division_by_zero, 'division by zero');
  const dweight = estimateLnWeight(a.value) - estimateLnWeight(base.value);
  const rscale = clampDisplayScale(Math.max(MIN_SIG_DIGITS - dweight, base.dscale, a.dscale));
  const r = withPrecision(rscale, Math.abs(dweight) + 6, () => new DecWork(a.value).ln().div(new DecWork(base.value).ln()));
  return makeNumeric(r, rscale);
}

export function numericLog10(a: Numeric): Numeric {
  return numericLog(new Numeric(new Dec(10), 0), a);
}

export function numericPower(base: Numeric, exp: Numeric): Numeric {
  if (base.value.isNaN() || exp.value.isNaN()) return NUMERIC_NAN;
  const expIsInt = exp.value.isInteger();
  if (base.value.isZero() && exp.value.isNeg()) {
    throw new PgError(SQLSTATE.invalid_argument_for_power_function, 'zero raised to a negative power is undefined');
  }
  if (base.value.isNeg() && !expIsInt) {
    throw new PgError(
      SQLSTATE.invalid_argument_for_power_function,
      'a negative number raised to a non-integer power yields a complex result',
    );
  }
  if (expIsInt && exp.value.abs().lte(2147483647)) {
    const rscale = clampDisplayScale(Math.max(MIN_SIG_DIGITS, base.dscale));
    const n = exp.value.toNumber();
    const mag = base.value.isZero() ? 0 : Math.abs((base.value.e + 1) * n);
    if (mag > 4 * 131072) throw new PgError(SQLSTATE.numeric_value_out_of_range, 'value overflows numeric format');
    const r = withPrecision(rscale, mag + 2, () => new DecWork(base.value).pow(n));
    return makeNumeric(r, rscale);
  }
  if (base.value.isZero()) return new Numeric(new Dec(0), MIN_SIG_DIGITS);
  const lnNum = withPrecision(20, 20, () => new DecWork(base.value).ln().times(exp.value)).toNumber();
  if (Math.abs(lnNum) > MAX_RESULT_SCALE * 3.01) {
    throw new PgError(SQLSTATE.numeric_value_out_of_range, 'value overflows numeric format');
  }
  const val = lnNum * 0.434294481903252;
  const rscale = clampDisplayScale(Math.max(MIN_SIG_DIGITS - Math.trunc(val), base.dscale, exp.dscale));
  const r = withPrecision(rscale, Math.ceil(val) + 4, () => new DecWork(base.value).pow(exp.value));
  return makeNumeric(r, rscale);
}

// ---- conversions -------------------------------------------------------

export function numericFromInt(n: number | bigint): Numeric {
  return new Numeric(new Dec(typeof n === 'bigint' ? n.toString() : n), 0);
}

function nanToInt(typeName: string): PgError {
  return new PgError(SQLSTATE.feature_not_supported, `cannot convert NaN to ${typeName}`);
}

/** numeric -> int4, rounding half away from zero; 22003 "integer out of range". */
export function numericToInt4(a: Numeric): number {
  if (a.value.isNaN()) throw nanToInt('integer');
  const r = a.value.toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  if (r.gt(2147483647) || r.lt(-2147483648)) throw new PgError(SQLSTATE.numeric_value_out_of_range, 'integer out of range');
  return r.toNumber() || 0;
}

export function numericToInt2(a: Numeric): number {
  if (a.value.isNaN()) throw nanToInt('smallint');
  const r = a.value.toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  if (r.gt(32767) || r.lt(-32768)) throw new PgError(SQLSTATE.numeric_value_out_of_range, 'smallint out of range');
  return r.toNumber() || 0;
}

export function numericToInt8(a: Numeric): bigint {
  if (a.value.isNaN()) throw nanToInt('bigint');
  const r = a.value.toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  if (r.gt('9223372036854775807') || r.lt('-9223372036854775808')) {
    throw new PgError(SQLSTATE.numeric_value_out_of_range, 'bigint out of range');
  }
  return BigInt(r.toFixed(0));
}

/** float8 -> numeric as PostgreSQL 11 did: through the float's text with 15 significant digits. */
export function numericFromFloat8(x: number): Numeric {
  return numericFromFloatDigits(x, 15);
}

/** float4 -> numeric: 6 significant digits. */
export function numericFromFloat4(x: number): Numeric {
  return numericFromFloatDigits(x, 6);
}

function numericFromFloatDigits(x: number, digits: number): Numeric {
  if (Number.isNaN(x)) return NUMERIC_NAN;
  if (!Number.isFinite(x)) throw new PgError(SQLSTATE.feature_not_supported, 'cannot convert infinity to numeric');
  // %.*g output, read back by numeric_in: the scale is the number of fraction digits printed.
  const s = x.toExponential(digits - 1);
  const ePos = s.indexOf('e');
  const exp = Number(s.slice(ePos + 1));
  let mant = s.slice(0, ePos);
  if (mant.indexOf('.') >= 0) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
  const fracDigits = mant.indexOf('.') >= 0 ? mant.length - mant.indexOf('.') - 1 : 0;
  const value = new Dec(mant + 'e' + exp);
  // Scale as numeric_in derives it from the %g text: in both the fixed and the exponent
  // form this is the mantissa's fraction digits minus the exponent.
  return new Numeric(value.isZero() ? new Dec(0) : value, Math.max(0, fracDigits - exp));
}

/** numeric -> float8 (nearest double); out of range -> 22003 as float8in reports it. */
export function numericToFloat8(a: Numeric): number {
  if (a.value.isNaN()) return NaN;
  const x = a.value.toNumber();
  if (!Number.isFinite(x) || (x === 0 && !a.value.isZero())) {
    throw new PgError(SQLSTATE.numeric_value_out_of_range, `"${formatNumeric(a)}" is out of range for type double precision`);
  }
  return x;
}

export function numericToFloat4(a: Numeric): number {
  if (a.value.isNaN()) return NaN;
  const x = Math.fround(a.value.toNumber());
  if (!Number.isFinite(x)) throw new PgError(SQLSTATE.numeric_value_out_of_range, 'value out of range: overflow');
  if (x === 0 && !a.value.isZero()) throw new PgError(SQLSTATE.numeric_value_out_of_range, 'value out of range: underflow');
  return x;
}

// ---- typmod ------------------------------------------------------------

const VARHDRSZ = 4;

/** numeric(p, s) -> PostgreSQL's encoded typmod; validates the bounds as PostgreSQL does. */
export function numericTypmod(precision: number, scale = 0): number {
  if (precision < 1 || precision > MAX_PRECISION) {
    throw new PgError(SQLSTATE.invalid_parameter_value, `NUMERIC precision ${precision} must be between 1 and ${MAX_PRECISION}`);
  }
  if (scale < 0 || scale > precision) {
    throw new PgError(SQLSTATE.invalid_parameter_value, `NUMERIC scale ${scale} must be between 0 and precision ${precision}`);
  }
  return ((precision << 16) | scale) + VARHDRSZ;
}

export function numericTypmodPrecision(typmod: number): number {
  return ((typmod - VARHDRSZ) >> 16) & 0xffff;
}

export function numericTypmodScale(typmod: number): number {
  return (typmod - VARHDRSZ) & 0xffff;
}

/** Coerces to numeric(p, s): rounds to s digits, then 22003 "numeric field overflow" if too wide. */
export function numericApplyTypmod(a: Numeric, typmod: number): Numeric {
  if (typmod < VARHDRSZ || a.value.isNaN()) return a;
  const precision = numericTypmodPrecision(typmod);
  const scale = numericTypmodScale(typmod);
  const maxDigits = precision - scale;
  const r = makeNumeric(a.value, scale);
  if (!r.value.isZero()) {
    const intDigits = r.value.e + 1; // digits before the point
    if (intDigits > maxDigits) {
      throw new PgError(SQLSTATE.numeric_value_out_of_range, 'numeric field overflow', {
        detail:
          `A field with precision ${precision}, scale ${scale} must round to an absolute value less than ` +
          (maxDigits ? `10^${maxDigits}.` : '1.'),
      });
    }
  }
  return r;
}

// ---- binary (numeric_send / numeric_recv) ------------------------------

const NUMERIC_POS = 0x0000;
const NUMERIC_NEG = 0x4000;
const NUMERIC_NAN_SIGN = 0xc000;

export function numericToBinary(a: Numeric): Buffer {
  if (a.value.isNaN()) {
    const b = Buffer.alloc(8);
    b.writeUInt16BE(NUMERIC_NAN_SIGN, 4);
    return b;
  }
  const neg = a.value.isNeg();
  // Base-10000 digits of |value|, aligned so that groups fall on multiples of 4 decimal places.
  const text = a.value.abs().toFixed(a.dscale);
  const point = text.indexOf('.');
  let intPart = point >= 0 ? text.slice(0, point) : text;
  let fracPart = point >= 0 ? text.slice(point + 1) : '';
  if (intPart === '0') intPart = '';
  intPart = '0'.repeat((4 - (intPart.length % 4)) % 4) + intPart;
  fracPart = fracPart + '0'.repeat((4 - (fracPart.length % 4)) % 4);
  const groups: number[] = [];
  for (let i = 0; i < intPart.length; i += 4) groups.push(Number(intPart.slice(i, i + 4)));
  for (let i = 0; i < fracPart.length; i += 4) groups.push(Number(fracPart.slice(i, i + 4)));
  let weight = intPart.length / 4 - 1;
  let first = 0;
  while (first < groups.length && groups[first] === 0) {
    first++;
    weight--;
  }
  let last = groups.length;
  while (last > first && groups[last - 1] === 0) last--;
  const ndigits = last - first;
  if (ndigits === 0) weight = 0;
  const b = Buffer.alloc(8 + ndigits * 2);
  b.writeInt16BE(ndigits, 0);
  b.writeInt16BE(weight, 2);
  b.writeUInt16BE(neg ? NUMERIC_NEG : NUMERIC_POS, 4);
  b.writeUInt16BE(a.dscale, 6);
  for (let i = 0; i < ndigits; i++) b.writeUInt16BE(groups[first + i]!, 8 + i * 2);
  return b;
}

function badNumericBinary(msg: string): PgError {
  return new PgError(SQLSTATE.invalid_binary_representation, msg);
}

export function numericFromBinary(buf: Buffer): Numeric {
  if (buf.length < 8) throw badNumericBinary('insufficient data left in message');
  const ndigits = buf.readUInt16BE(0);
  const weight = buf.readInt16BE(2);
  const sign = buf.readUInt16BE(4);
  const dscale = buf.readUInt16BE(6);
  if (buf.length !== 8 + ndigits * 2) throw badNumericBinary('insufficient data left in message');
  if (sign === NUMERIC_NAN_SIGN) return NUMERIC_NAN;
  if (sign !== NUMERIC_POS && sign !== NUMERIC_NEG) throw badNumericBinary('invalid sign in external "numeric" value');
  if (dscale > MAX_DISPLAY_SCALE * 2) throw badNumericBinary('invalid scale in external "numeric" value');
  let digits = '';
  for (let i = 0; i < ndigits; i++) {
    const d = buf.readUInt16BE(8 + i * 2);
    if (d >= 10000) throw badNumericBinary('invalid digit in external "numeric" value');
    digits += String(d).padStart(4, '0');
  }
  if (ndigits === 0) return makeNumeric(new Dec(0), dscale);
  // digits represent 0.dddd... * 10000^(weight+1)
  let v = new Dec('0.' + digits + 'e' + (weight + 1) * 4);
  if (sign === NUMERIC_NEG) v = v.neg();
  return makeNumeric(v, dscale);
}
