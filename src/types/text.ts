// Character types: varchar(n) / bpchar(n) length rules, name truncation and
// the single-byte "char" type. Lengths count characters (code points), as
// PostgreSQL does in UTF-8 databases.
import { PgError, SQLSTATE } from '../errors.js';

const VARHDRSZ = 4;
/** NAMEDATALEN - 1: longest name in bytes. */
const NAME_MAX_BYTES = 63;

/** Number of code points (a JS string length counts UTF-16 units). */
export function charLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** The first `n` code points of s. */
export function charPrefix(s: string, n: number): string {
  let i = 0;
  let count = 0;
  while (i < s.length && count < n) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
    count++;
  }
  return s.slice(0, i);
}

function onlySpaces(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== 32) return false;
  return true;
}

/** varchar(n): implicit/assignment casts fail on non-space overflow; explicit casts truncate. */
export function applyVarcharTypmod(s: string, typmod: number, isExplicit: boolean): string {
  if (typmod < VARHDRSZ) return s;
  const max = typmod - VARHDRSZ;
  if (s.length <= max) return s;
  const len = charLength(s);
  if (len <= max) return s;
  const head = charPrefix(s, max);
  if (!isExplicit && !onlySpaces(s.slice(head.length))) {
    throw new PgError(SQLSTATE.string_data_right_truncation, `value too long for type character varying(${max})`);
  }
  return head;
}

/** bpchar(n): pads with spaces to n characters; overflow rules as varchar. */
export function applyBpcharTypmod(s: string, typmod: number, isExplicit: boolean): string {
  if (typmod < VARHDRSZ) return s;
  const max = typmod - VARHDRSZ;
  const len = charLength(s);
  if (len === max) return s;
  if (len < max) return s + ' '.repeat(max - len);
  const head = charPrefix(s, max);
  if (!isExplicit && !onlySpaces(s.slice(head.length))) {
    throw new PgError(SQLSTATE.string_data_right_truncation, `value too long for type character(${max})`);
  }
  return head;
}

/** bpchar semantics ignore trailing spaces (comparison, length, cast to text). */
export function bpcharStripTrailing(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 32) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** name: cut to 63 bytes of UTF-8 without splitting a character. */
export function truncateName(s: string): string {
  if (s.length <= NAME_MAX_BYTES / 3) return s;
  const bytes = Buffer.byteLength(s, 'utf8');
  if (bytes <= NAME_MAX_BYTES) return s;
  let total = 0;
  let i = 0;
  while (i < s.length) {
    const c = s.codePointAt(i)!;
    const w = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (total + w > NAME_MAX_BYTES) break;
    total += w;
    i += c >= 0x10000 ? 2 : 1;
  }
  return s.slice(0, i);
}

/** "char": one byte; input keeps the first character (empty stays empty). */
export function parseChar(s: string): string {
  if (s.length === 0) return '';
  const c = s.codePointAt(0)!;
  return String.fromCodePoint(c);
}

export function varcharTypmod(n: number, typeName = 'varchar'): number {
  if (n < 1) throw new PgError(SQLSTATE.invalid_parameter_value, `length for type ${typeName} must be at least 1`);
  if (n > 10485760) throw new PgError(SQLSTATE.invalid_parameter_value, `length for type ${typeName} cannot exceed 10485760`);
  return n + VARHDRSZ;
}
