// bytea text I/O: hex ("\x0102") and escape formats, as bytea_output selects.
import { PgError, SQLSTATE } from '../errors.js';

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

export function parseBytea(input: string): Uint8Array {
  if (input.length >= 2 && input.charCodeAt(0) === 92 && input.charCodeAt(1) === 120) return parseHex(input);
  return parseEscape(input);
}

function parseHex(input: string): Uint8Array {
  const out = Buffer.allocUnsafe((input.length - 2) >> 1);
  let n = 0;
  let i = 2;
  while (i < input.length) {
    const c = input.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const hi = hexVal(c);
    if (hi < 0) {
      throw new PgError(SQLSTATE.invalid_parameter_value, `invalid hexadecimal digit: "${input[i]}"`);
    }
    if (i + 1 >= input.length) {
      throw new PgError(SQLSTATE.invalid_parameter_value, 'invalid hexadecimal data: odd number of digits');
    }
    const lo = hexVal(input.charCodeAt(i + 1));
    if (lo < 0) {
      throw new PgError(SQLSTATE.invalid_parameter_value, `invalid hexadecimal digit: "${input[i + 1]}"`);
    }
    out[n++] = (hi << 4) | lo;
    i += 2;
  }
  return new Uint8Array(out.buffer, out.byteOffset, n);
}

function parseEscape(input: string): Uint8Array {
  const src = Buffer.from(input, 'utf8');
  const out = Buffer.allocUnsafe(src.length);
  let n = 0;
  for (let i = 0; i < src.length; ) {
    const c = src[i]!;
    if (c !== 92) {
      out[n++] = c;
      i++;
      continue;
    }
    const c1 = src[i + 1];
    if (c1 === 92) {
      out[n++] = 92;
      i += 2;
      continue;
    }
    const c2 = src[i + 2];
    const c3 = src[i + 3];
    if (c1 !== undefined && c2 !== undefined && c3 !== undefined && c1 >= 48 && c1 <= 51 && c2 >= 48 && c2 <= 55 && c3 >= 48 && c3 <= 55) {
      out[n++] = ((c1 - 48) << 6) | ((c2 - 48) << 3) | (c3 - 48);
      i += 4;
      continue;
    }
    throw new PgError(SQLSTATE.invalid_text_representation, 'invalid input syntax for type bytea');
  }
  return new Uint8Array(out.buffer, out.byteOffset, n);
}

export function formatByteaHex(b: Uint8Array): string {
  return '\\x' + Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
}

export function formatByteaEscape(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === 92) out += '\\\\';
    else if (c < 32 || c > 126) out += '\\' + c.toString(8).padStart(3, '0');
    else out += String.fromCharCode(c);
  }
  return out;
}
