// uuid: accepts PostgreSQL's spellings (upper/lower case, optional braces,
// hyphens after any group of four digits); stores the canonical form.
import { PgError, SQLSTATE } from '../errors.js';

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

const HEX = '0123456789abcdef';

export function parseUuid(input: string): string {
  let i = 0;
  let end = input.length;
  const braces = input.charCodeAt(0) === 123;
  if (braces) i++;
  let hex = '';
  for (; i < end; i++) {
    const c = input.charCodeAt(i);
    if (braces && c === 125 && i === end - 1) {
      end = i;
      break;
    }
    const v = hexVal(c);
    if (v >= 0) {
      hex += HEX[v];
      if (hex.length > 32) break;
      continue;
    }
    // a hyphen is allowed after each group of four digits (not first, not doubled, not last)
    if (c === 45 && hex.length > 0 && hex.length % 4 === 0 && hex.length < 32 && input.charCodeAt(i - 1) !== 45) continue;
    break;
  }
  if (hex.length !== 32 || i !== end || (braces && input.charCodeAt(input.length - 1) !== 125)) {
    throw new PgError(SQLSTATE.invalid_text_representation, `invalid input syntax for type uuid: "${input}"`);
  }
  return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-' + hex.slice(20);
}

export function uuidToBinary(u: string): Buffer {
  return Buffer.from(u.replace(/-/g, ''), 'hex');
}

export function uuidFromBinary(b: Buffer): string {
  if (b.length !== 16) throw new PgError(SQLSTATE.invalid_binary_representation, `invalid length in external "uuid" value`);
  const h = b.toString('hex');
  return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
}
