// Integer types (int2, int4, int8, oid): text input with PostgreSQL 11's
// checks and messages, and the range checks arithmetic needs.
import { PgError, SQLSTATE } from '../errors.js';

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function invalidInteger(input: string): PgError {
  // PostgreSQL 11 spelled this without "type" for all integer widths.
  return new PgError(SQLSTATE.invalid_text_representation, `invalid input syntax for integer: "${input}"`);
}

function outOfRange(input: string, typeName: string): PgError {
  return new PgError(SQLSTATE.numeric_value_out_of_range, `value "${input}" is out of range for type ${typeName}`);
}

/** Reads [spaces][sign]digits[spaces]; returns the digits' bounds and sign, or throws 22P02. */
function scan(input: string): { neg: boolean; start: number; end: number } {
  let i = 0;
  let end = input.length;
  while (i < end && isSpace(input.charCodeAt(i))) i++;
  while (end > i && isSpace(input.charCodeAt(end - 1))) end--;
  let neg = false;
  const c = input.charCodeAt(i);
  if (c === 45 || c === 43) {
    neg = c === 45;
    i++;
  }
  if (i >= end) throw invalidInteger(input);
  for (let j = i; j < end; j++) {
    const d = input.charCodeAt(j);
    if (d < 48 || d > 57) throw invalidInteger(input);
  }
  return { neg, start: i, end };
}

function parseBounded(input: string, min: number, max: number, typeName: string): number {
  const { neg, start, end } = scan(input);
  let v = 0;
  for (let j = start; j < end; j++) {
    v = v * 10 + (input.charCodeAt(j) - 48);
    if (v > 4294967296) throw outOfRange(input, typeName); // stop early on long inputs
  }
  if (neg) v = -v;
  if (v < min || v > max) throw outOfRange(input, typeName);
  return v === 0 ? 0 : v;
}

export function parseInt2(input: string): number {
  return parseBounded(input, -32768, 32767, 'smallint');
}

export function parseInt4(input: string): number {
  return parseBounded(input, -2147483648, 2147483647, 'integer');
}

const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;

export function parseInt8(input: string): bigint {
  const { neg, start, end } = scan(input);
  if (end - start > 19 && input.slice(start, end).replace(/^0+/, '').length > 19) throw outOfRange(input, 'bigint');
  let v = BigInt(input.slice(start, end));
  if (neg) v = -v;
  if (v < INT8_MIN || v > INT8_MAX) throw outOfRange(input, 'bigint');
  return v;
}

/** oidin: unsigned 32-bit; negative input wraps as strtoul does. */
export function parseOid(input: string): number {
  let i = 0;
  let end = input.length;
  while (i < end && isSpace(input.charCodeAt(i))) i++;
  while (end > i && isSpace(input.charCodeAt(end - 1))) end--;
  const body = input.slice(i, end);
  if (!/^[+-]?\d+$/.test(body)) {
    throw new PgError(SQLSTATE.invalid_text_representation, `invalid input syntax for type oid: "${input}"`);
  }
  const v = Number(body);
  if (v > 4294967295 || v < -2147483648) {
    throw new PgError(SQLSTATE.numeric_value_out_of_range, `value "${input}" is out of range for type oid`);
  }
  return v < 0 ? v + 4294967296 : v;
}

/** Range checks after arithmetic (PostgreSQL: "integer out of range" etc.). */
export function checkInt4(v: number): number {
  if (v > 2147483647 || v < -2147483648 || Number.isNaN(v)) {
    throw new PgError(SQLSTATE.numeric_value_out_of_range, 'integer out of range');
  }
  return v;
}

export function checkInt2(v: number): number {
  if (v > 32767 || v < -32768 || Number.isNaN(v)) throw new PgError(SQLSTATE.numeric_value_out_of_range, 'smallint out of range');
  return v;
}

export function checkInt8(v: bigint): bigint {
  if (v > INT8_MAX || v < INT8_MIN) throw new PgError(SQLSTATE.numeric_value_out_of_range, 'bigint out of range');
  return v;
}

/** float8 -> int4/int2/int8 casts: round half to even (rint), then range check. */
export function float8ToInt4(x: number): number {
  const r = rint(x);
  if (!(r >= -2147483648 && r <= 2147483647)) throw new PgError(SQLSTATE.numeric_value_out_of_range, 'integer out of range');
  return r || 0;
}

export function float8ToInt2(x: number): number {
  const r = rint(x);
  if (!(r >= -32768 && r <= 32767)) throw new PgError(SQLSTATE.numeric_value_out_of_range, 'smallint out of range');
  return r || 0;
}

export function float8ToInt8(x: number): bigint {
  const r = rint(x);
  if (!(r >= -9223372036854775808 && r < 9223372036854775808)) {
    throw new PgError(SQLSTATE.numeric_value_out_of_range, 'bigint out of range');
  }
  return BigInt(r);
}

function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
