// Code-point helpers. SQL text is UTF-8 and counts characters as code points;
// JavaScript strings are UTF-16, so astral characters take two units here.
import { PgError } from '../../errors.js';

/** PostgreSQL's MaxAllocSize - 1: no single text value may reach 1 GB. */
const MAX_VALUE_BYTES = 0x3fffffff;
/** V8 cannot build strings longer than this many UTF-16 units. */
const MAX_JS_STRING = 0x1fffffe8;

export function isHighSurrogate(u: number): boolean {
  return u >= 0xd800 && u <= 0xdbff;
}

function isLowSurrogate(u: number): boolean {
  return u >= 0xdc00 && u <= 0xdfff;
}

/** Number of code points in s. */
export function cpLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) if (isLowSurrogate(s.charCodeAt(i)) && i > 0 && isHighSurrogate(s.charCodeAt(i - 1))) n--;
  return n;
}

/** UTF-16 index of the code point numbered cp (0-based); s.length when past the end. */
export function cpIndex(s: string, cp: number, from = 0, fromCp = 0): number {
  let i = from;
  let k = fromCp;
  while (k < cp && i < s.length) {
    i += isHighSurrogate(s.charCodeAt(i)) && i + 1 < s.length && isLowSurrogate(s.charCodeAt(i + 1)) ? 2 : 1;
    k++;
  }
  return i;
}

/** Code points [start, start+count) (0-based), clamped to the string. */
export function cpSlice(s: string, start: number, count: number): string {
  if (count <= 0 || start >= s.length) return '';
  const a = cpIndex(s, start);
  return s.slice(a, cpIndex(s, count, a, 0));
}

/** Splits a string into its code points. */
export function codePoints(s: string): string[] {
  return Array.from(s);
}

/** Bytes the string occupies in UTF-8. */
export function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Throws 54000 when a result of this many bytes could not be stored. */
export function checkResultLength(bytes: number): void {
  if (bytes > MAX_VALUE_BYTES || bytes > MAX_JS_STRING) throw new PgError('54000', 'requested length too large');
}
