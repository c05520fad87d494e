// float4 / float8 text I/O as PostgreSQL 11 does it: output through printf's
// %.<n>g with n = 15 (float8) or 6 (float4) plus extra_float_digits; input as
// strtod with PostgreSQL's checks and error messages.
import { PgError, SQLSTATE } from '../errors.js';

/** C printf("%.<precision>g", x) for finite x. */
export function formatG(x: number, precision: number): string {
  if (precision < 1) precision = 1;
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  let e = x.toExponential(precision - 1);
  // JS rounds exact ties away from zero; printf rounds them to even. Only a
  // value whose next digit is 5 can be a tie, so check those exactly.
  if (precision < 100) {
    const probe = x.toExponential(precision);
    if (probe.charCodeAt(probe.indexOf('e') - 1) === 53) e = tieToEven(x, precision, e);
  }
  const ePos = e.indexOf('e');
  const exp = Number(e.slice(ePos + 1));
  let mant = e.slice(0, ePos);
  if (exp < -4 || exp >= precision) {
    mant = stripFractionZeros(mant);
    const a = exp < 0 ? -exp : exp;
    return mant + (exp < 0 ? 'e-' : 'e+') + (a < 10 ? '0' + a : String(a));
  }
  // Fixed notation from the same rounded digits, so rounding matches the exponent form.
  const neg = mant.charCodeAt(0) === 45;
  const digits = (neg ? mant.slice(1) : mant).replace('.', '');
  let out: string;
  if (exp >= 0) {
    const intLen = exp + 1;
    out = digits.length > intLen ? digits.slice(0, intLen) + '.' + digits.slice(intLen) : digits;
  } else {
    out = '0.' + '0'.repeat(-exp - 1) + digits;
  }
  out = stripFractionZeros(out);
  return neg ? '-' + out : out;
}

/** If x lies exactly halfway at `precision` digits, returns the round-half-even form. */
function tieToEven(x: number, precision: number, roundedUp: string): string {
  const long = x.toExponential(Math.min(100, precision + 40));
  const ePos = long.indexOf('e');
  const neg = long.charCodeAt(0) === 45;
  const digits = long.slice(neg ? 1 : 0, ePos).replace('.', '');
  if (digits.charCodeAt(precision) !== 53) return roundedUp;
  for (let i = precision + 1; i < digits.length; i++) if (digits.charCodeAt(i) !== 48) return roundedUp;
  const kept = digits.slice(0, precision);
  if ((kept.charCodeAt(kept.length - 1) - 48) % 2 === 1) return roundedUp;
  const mant = kept.length > 1 ? kept[0] + '.' + kept.slice(1) : kept;
  return (neg ? '-' : '') + mant + long.slice(ePos);
}

function stripFractionZeros(s: string): string {
  if (s.indexOf('.') < 0) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}

function formatSpecial(x: number): string | null {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return null;
}

/** float8out with extra_float_digits (-15..3). */
export function formatFloat8(x: number, extraFloatDigits = 0): string {
  return formatSpecial(x) ?? formatG(x, 15 + extraFloatDigits);
}

/** float4out: the value is a float32 held in a double. */
export function formatFloat4(x: number, extraFloatDigits = 0): string {
  return formatSpecial(x) ?? formatG(x, 6 + extraFloatDigits);
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Result of scanning a float literal: NaN-returning sentinel is encoded via `ok`. */
function scanFloat(input: string, typeName: string): number {
  let i = 0;
  let end = input.length;
  while (i < end && isSpace(input.charCodeAt(i))) i++;
  while (end > i && isSpace(input.charCodeAt(end - 1))) end--;
  if (i === end) throw invalidFloat(typeName, input);
  const body = input.slice(i, end);
  let j = 0;
  let neg = false;
  const c0 = body.charCodeAt(0);
  if (c0 === 43 || c0 === 45) {
    neg = c0 === 45;
    j = 1;
  }
  const word = body.slice(j).toLowerCase();
  if (word === 'nan') return NaN;
  if (word === 'inf' || word === 'infinity') return neg ? -Infinity : Infinity;
  // [digits][.digits][e[sign]digits] with at least one mantissa digit
  let digits = 0;
  let nonZero = false;
  let k = j;
  let c = 0;
  for (; k < body.length; k++) {
    c = body.charCodeAt(k);
    if (c >= 48 && c <= 57) {
      digits++;
      if (c !== 48) nonZero = true;
    } else break;
  }
  if (c === 46 && k < body.length) {
    for (k++; k < body.length; k++) {
      c = body.charCodeAt(k);
      if (c >= 48 && c <= 57) {
        digits++;
        if (c !== 48) nonZero = true;
      } else break;
    }
  }
  if (digits === 0) throw invalidFloat(typeName, input);
  if (k < body.length && (c === 101 || c === 69)) {
    let m = k + 1;
    const s = body.charCodeAt(m);
    if (s === 43 || s === 45) m++;
    const expStart = m;
    while (m < body.length && body.charCodeAt(m) >= 48 && body.charCodeAt(m) <= 57) m++;
    if (m > expStart) k = m; // strtod stops before a bare 'e'
  }
  if (k !== body.length) throw invalidFloat(typeName, input);
  const x = Number(body);
  if (!Number.isFinite(x) || (nonZero && (x === 0 || Math.abs(x) < 2.2250738585072014e-308))) {
    // strtod reports ERANGE for overflow, underflow and subnormal results; PostgreSQL 11 rejects them.
    throw new PgError(SQLSTATE.numeric_value_out_of_range, `"${input}" is out of range for type ${typeName}`);
  }
  return x;
}

function invalidFloat(typeName: string, input: string): PgError {
  return new PgError(SQLSTATE.invalid_text_representation, `invalid input syntax for type ${typeName}: "${input}"`);
}

/** float8in */
export function parseFloat8(input: string): number {
  return scanFloat(input, 'double precision');
}

/** float4in: read as a double, then narrowed with PostgreSQL's overflow/underflow checks. */
export function parseFloat4(input: string): number {
  const d = scanFloat(input, 'real');
  const f = Math.fround(d);
  if (!Number.isFinite(f) && Number.isFinite(d)) {
    throw new PgError(SQLSTATE.numeric_value_out_of_range, 'value out of range: overflow');
  }
  if (f === 0 && d !== 0) throw new PgError(SQLSTATE.numeric_value_out_of_range, 'value out of range: underflow');
  return f;
}

/** Overflow/underflow check after float8 arithmetic (PostgreSQL's CHECKFLOATVAL). */
export function checkFloat8Result(result: number, infAllowed: boolean, zeroAllowed: boolean): number {
  if (result === Infinity || result === -Infinity) {
    if (!infAllowed) throw new PgError(SQLSTATE.numeric_value_out_of_range, 'value out of range: overflow');
  } else if (result === 0 && !zeroAllowed) {
    throw new PgError(SQLSTATE.numeric_value_out_of_range, 'value out of range: underflow');
  }
  return result;
}

/** float8 -> float4 cast (dtof). */
export function float8ToFloat4(x: number): number {
  const f = Math.fround(x);
  return checkFloat8Result(f, !Number.isFinite(x), x === 0);
}
