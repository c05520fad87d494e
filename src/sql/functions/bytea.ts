// Binary-string functions: encode/decode, character-set conversion, md5 and
// the bytea forms of length/substr/position/overlay/btrim.
import { createHash } from 'node:crypto';
import { PgError, SQLSTATE } from '../../errors.js';
import { OID } from '../../types/oids.js';
import { registerFunction } from './catalog.js';
import { fn } from './define.js';

const { bytea, text, int4, name } = OID;

function invalidParam(msg: string, hint?: string): PgError {
  return new PgError(SQLSTATE.invalid_parameter_value, msg, hint ? { hint } : {});
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function decodeHex(s: string): Uint8Array {
  const out = new Uint8Array(s.length >> 1);
  let n = 0;
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (isBlank(c)) {
      i++;
      continue;
    }
    const hi = hexValue(c);
    if (hi < 0) throw invalidParam(`invalid hexadecimal digit: "${String.fromCodePoint(s.codePointAt(i)!)}"`);
    if (i + 1 >= s.length) throw invalidParam('invalid hexadecimal data: odd number of digits');
    const lo = hexValue(s.charCodeAt(i + 1));
    if (lo < 0) throw invalidParam(`invalid hexadecimal digit: "${String.fromCodePoint(s.codePointAt(i + 1)!)}"`);
    out[n++] = (hi << 4) | lo;
    i += 2;
  }
  return out.subarray(0, n);
}

/** base64 output wrapped at 76 characters, as PostgreSQL's encode() does. */
function encodeBase64(b: Uint8Array): string {
  const flat = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
  if (flat.length <= 76) return flat;
  const lines: string[] = [];
  for (let i = 0; i < flat.length; i += 76) lines.push(flat.slice(i, i + 76));
  return lines.join('\n');
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_VALUE[B64.charCodeAt(i)] = i;

function decodeBase64(s: string): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  let pad = 0;
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isBlank(c)) continue;
    if (c === 61 /* = */) {
      // padding is only allowed at the end of a 4-character group
      if (pad === 0 && count % 4 !== 2 && count % 4 !== 3) throw invalidParam('unexpected "=" while decoding base64 sequence');
      pad++;
      count++;
      continue;
    }
    const v = c < 128 ? B64_VALUE[c]! : -1;
    if (v < 0) throw invalidParam(`invalid symbol "${String.fromCodePoint(s.codePointAt(i)!)}" found while decoding base64 sequence`);
    if (pad > 0) throw invalidParam('unexpected "=" while decoding base64 sequence');
    acc = (acc << 6) | v;
    bits += 6;
    count++;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  if (count % 4 !== 0) {
    throw invalidParam('invalid base64 end sequence', 'Input data is missing padding, is truncated, or is otherwise corrupted.');
  }
  return Uint8Array.from(out);
}

function encodeEscape(b: Uint8Array): string {
  let out = '';
  for (const byte of b) {
    if (byte === 0 || byte >= 0x80) out += '\\' + byte.toString(8).padStart(3, '0');
    else if (byte === 92) out += '\\\\';
    else out += String.fromCharCode(byte);
  }
  return out;
}

function isOctal(c: number): boolean {
  return c >= 48 && c <= 55;
}

function decodeEscape(s: string): Uint8Array {
  const src = Buffer.from(s, 'utf8');
  const out = new Uint8Array(src.length);
  let n = 0;
  for (let i = 0; i < src.length; ) {
    const c = src[i]!;
    if (c !== 92) {
      out[n++] = c;
      i++;
    } else if (i + 3 < src.length + 0 && isOctal(src[i + 1]!) && isOctal(src[i + 2]!) && isOctal(src[i + 3]!) && src[i + 1]! <= 51) {
      out[n++] = ((src[i + 1]! - 48) << 6) | ((src[i + 2]! - 48) << 3) | (src[i + 3]! - 48);
      i += 4;
    } else if (i + 1 < src.length && src[i + 1] === 92) {
      out[n++] = 92;
      i += 2;
    } else {
      throw new PgError(SQLSTATE.invalid_text_representation, 'invalid input syntax for type bytea');
    }
  }
  return out.subarray(0, n);
}

function encode(data: Uint8Array, format: string): string {
  switch (format.toLowerCase()) {
    case 'hex':
      return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('hex');
    case 'base64':
      return encodeBase64(data);
    case 'escape':
      return encodeEscape(data);
    default:
      throw invalidParam(`unrecognized encoding: "${format}"`);
  }
}

function decode(s: string, format: string): Uint8Array {
  switch (format.toLowerCase()) {
    case 'hex':
      return decodeHex(s);
    case 'base64':
      return decodeBase64(s);
    case 'escape':
      return decodeEscape(s);
    default:
      throw invalidParam(`unrecognized encoding: "${format}"`);
  }
}

/** Encodings convert_from/convert_to handle; PostgreSQL spells them loosely (utf8, UTF-8, latin1 ...). */
type Charset = 'UTF8' | 'LATIN1' | 'SQL_ASCII';

const KNOWN_ENCODINGS = new Set([
  'utf8', 'unicode', 'sqlascii', 'latin1', 'iso88591', 'latin2', 'latin3', 'latin4', 'latin5', 'latin6', 'latin7',
  'latin8', 'latin9', 'latin10', 'win1250', 'win1251', 'win1252', 'win1253', 'win1254', 'win1255', 'win1256',
  'win1257', 'win1258', 'win866', 'win874', 'koi8r', 'koi8u', 'eucjp', 'euccn', 'euckr', 'euctw', 'sjis', 'big5',
  'gbk', 'gb18030', 'uhc', 'johab', 'mulecinternal', 'iso88595', 'iso88596', 'iso88597', 'iso88598',
  'eucjis2004', 'shiftjis2004', 'windows1252', 'windows1251', 'windows1250', 'alt', 'koi8', 'mskanji', 'shiftjis',
  'tcvn', 'tcvn5712', 'vscii', 'abc', 'win', 'cp1250', 'cp1251', 'cp1252', 'cp866', 'win932', 'win936', 'win949', 'win950',
]);

function charset(nameArg: string, role: 'source' | 'destination'): Charset {
  const key = nameArg.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (key === 'utf8' || key === 'unicode') return 'UTF8';
  if (key === 'latin1' || key === 'iso88591') return 'LATIN1';
  if (key === 'sqlascii') return 'SQL_ASCII';
  if (KNOWN_ENCODINGS.has(key)) {
    throw new PgError(SQLSTATE.feature_not_supported, `conversion with encoding "${nameArg}" is not supported`);
  }
  throw invalidParam(`invalid ${role} encoding name "${nameArg}"`);
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function invalidUtf8(b: Uint8Array): PgError {
  // report the first offending sequence like PostgreSQL: up to the bytes of one character
  let i = 0;
  while (i < b.length) {
    const len = utf8SeqLength(b, i);
    if (len < 0) break;
    i += len;
  }
  const bad = Array.from(b.subarray(i, Math.min(i + Math.max(1, expectedLength(b[i]!)), b.length)))
    .map((x) => x.toString(16).padStart(2, '0'))
    .join(' 0x');
  return new PgError(SQLSTATE.character_not_in_repertoire, `invalid byte sequence for encoding "UTF8": 0x${bad}`);
}

function expectedLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 1;
}

/** Length of a valid UTF-8 sequence at i, or -1. */
function utf8SeqLength(b: Uint8Array, i: number): number {
  const lead = b[i]!;
  if (lead === 0) return -1;
  const n = expectedLength(lead);
  if (n === 1) return lead < 0x80 ? 1 : -1;
  if (i + n > b.length) return -1;
  for (let k = 1; k < n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return -1;
  try {
    utf8Decoder.decode(b.subarray(i, i + n));
  } catch {
    return -1;
  }
  return n;
}

function convertFrom(data: Uint8Array, source: string): string {
  const cs = charset(source, 'source');
  if (cs === 'LATIN1') {
    if (data.includes(0)) throw invalidUtf8(data);
    return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
  }
  // SQL_ASCII and UTF8 source bytes must be valid in the server encoding (UTF8)
  if (data.includes(0)) throw invalidUtf8(data);
  try {
    return utf8Decoder.decode(data);
  } catch {
    throw invalidUtf8(data);
  }
}

function convertTo(s: string, dest: string): Uint8Array {
  const cs = charset(dest, 'destination');
  if (cs !== 'LATIN1') return new Uint8Array(Buffer.from(s, 'utf8'));
  const out = new Uint8Array(s.length);
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp > 0xff) {
      const bytes = Array.from(Buffer.from(ch, 'utf8'))
        .map((x) => x.toString(16).padStart(2, '0'))
        .join(' 0x');
      throw new PgError(SQLSTATE.untranslatable_character, `character with byte sequence 0x${bytes} in encoding "UTF8" has no equivalent in encoding "LATIN1"`);
    }
    out[n++] = cp;
  }
  return out.subarray(0, n);
}

export function md5Hex(data: Uint8Array | string): string {
  return createHash('md5').update(data).digest('hex');
}

function byteaSubstr(b: Uint8Array, start: number, len?: number): Uint8Array {
  if (len !== undefined && len < 0) throw new PgError('22011', 'negative substring length not allowed');
  const from = Math.max(start, 1);
  const end = len === undefined ? b.length + 1 : start + len;
  if (end <= from) return new Uint8Array(0);
  return b.slice(from - 1, Math.min(end - 1, b.length));
}

function byteaPosition(haystack: Uint8Array, needle: Uint8Array): number {
  if (needle.length === 0) return 1;
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(Buffer.from(needle)) + 1;
}

function byteaOverlay(b: Uint8Array, repl: Uint8Array, start: number, count: number): Uint8Array {
  if (start <= 0 || count < 0) throw new PgError('22011', 'negative substring length not allowed');
  const head = byteaSubstr(b, 1, start - 1);
  const tail = byteaSubstr(b, start + count);
  const out = new Uint8Array(head.length + repl.length + tail.length);
  out.set(head, 0);
  out.set(repl, head.length);
  out.set(tail, head.length + repl.length);
  return out;
}

function byteaTrim(b: Uint8Array, set: Uint8Array): Uint8Array {
  let a = 0;
  let e = b.length;
  while (a < e && set.includes(b[a]!)) a++;
  while (e > a && set.includes(b[e - 1]!)) e--;
  return b.slice(a, e);
}

function byteIndex(b: Uint8Array, n: number): number {
  if (n < 0 || n >= b.length) {
    throw new PgError(SQLSTATE.array_subscript_error, `index ${n} out of valid range, 0..${b.length - 1}`);
  }
  return n;
}

registerFunction(
  fn('encode', [bytea, text], text, (a: [Uint8Array, string]) => encode(a[0], a[1])),
  fn('decode', [text, text], bytea, (a: [string, string]) => decode(a[0], a[1])),
  fn('convert_from', [bytea, name], text, (a: [Uint8Array, string]) => convertFrom(a[0], a[1]), { volatility: 'stable' }),
  fn('convert_to', [text, name], bytea, (a: [string, string]) => convertTo(a[0], a[1]), { volatility: 'stable' }),
  fn('md5', [text], text, (a: string[]) => md5Hex(a[0]!)),
  fn('md5', [bytea], text, (a: Uint8Array[]) => md5Hex(a[0]!)),
  fn('length', [bytea], int4, (a: Uint8Array[]) => a[0]!.length),
  fn('octet_length', [bytea], int4, (a: Uint8Array[]) => a[0]!.length),
  fn('bit_length', [bytea], int4, (a: Uint8Array[]) => a[0]!.length * 8),
  fn('substr', [bytea, int4], bytea, (a: [Uint8Array, number]) => byteaSubstr(a[0], a[1])),
  fn('substr', [bytea, int4, int4], bytea, (a: [Uint8Array, number, number]) => byteaSubstr(a[0], a[1], a[2])),
  fn('substring', [bytea, int4], bytea, (a: [Uint8Array, number]) => byteaSubstr(a[0], a[1])),
  fn('substring', [bytea, int4, int4], bytea, (a: [Uint8Array, number, number]) => byteaSubstr(a[0], a[1], a[2])),
  fn('position', [bytea, bytea], int4, (a: Uint8Array[]) => byteaPosition(a[0]!, a[1]!)),
  fn('overlay', [bytea, bytea, int4], bytea, (a: [Uint8Array, Uint8Array, number]) => byteaOverlay(a[0], a[1], a[2], a[1].length)),
  fn('overlay', [bytea, bytea, int4, int4], bytea, (a: [Uint8Array, Uint8Array, number, number]) =>
    byteaOverlay(a[0], a[1], a[2], a[3]),
  ),
  fn('btrim', [bytea, bytea], bytea, (a: Uint8Array[]) => byteaTrim(a[0]!, a[1]!)),
  fn('get_byte', [bytea, int4], int4, (a: [Uint8Array, number]) => a[0][byteIndex(a[0], a[1])]!),
  fn('set_byte', [bytea, int4, int4], bytea, (a: [Uint8Array, number, number]) => {
    const out = a[0].slice();
    out[byteIndex(a[0], a[1])] = a[2] & 0xff;
    return out;
  }),
);
