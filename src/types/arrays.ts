// One-dimensional arrays: text form ('{1,2,NULL,"a b"}', '[0:1]={a,b}') and
// binary form (ndim, flags, element type, dimensions, elements) as PostgreSQL
// writes them. Elements are read and printed by the element type's functions.
import { PgError, SQLSTATE } from '../errors.js';
import { PgArray } from './values.js';

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function malformed(input: string, detail: string): PgError {
  return new PgError(SQLSTATE.invalid_text_representation, `malformed array literal: "${input}"`, { detail });
}

function multidimensional(): PgError {
  return new PgError(SQLSTATE.feature_not_supported, 'multidimensional arrays are not supported');
}

/**
 * array_in for one dimension. `readElem` converts an element's text (already
 * unquoted and unescaped); NULL elements become null without calling it.
 */
export function parseArrayText(input: string, elemType: number, readElem: (text: string) => unknown): PgArray {
  const s = input;
  const n = s.length;
  let i = 0;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  let lower = 1;
  let declaredLen = -1;
  if (s.charCodeAt(i) === 91 /* [ */) {
    // [lb:ub] or [ub]
    const close = s.indexOf(']', i);
    if (close < 0) throw malformed(input, 'Missing "]" after array dimensions.');
    const dims = s.slice(i + 1, close);
    const m = /^\s*([+-]?\d+)\s*(?::\s*([+-]?\d+)\s*)?$/.exec(dims);
    if (!m) throw malformed(input, '"[" must introduce explicitly-specified array dimensions.');
    const lb = m[2] !== undefined ? Number(m[1]) : 1;
    const ub = m[2] !== undefined ? Number(m[2]) : Number(m[1]);
    if (ub < lb) {
      throw new PgError(SQLSTATE.array_subscript_error, 'upper bound cannot be less than lower bound');
    }
    i = close + 1;
    if (s.charCodeAt(i) === 91) throw multidimensional();
    while (i < n && isSpace(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) !== 61 /* = */) throw malformed(input, 'Missing "=" after array dimensions.');
    i++;
    while (i < n && isSpace(s.charCodeAt(i))) i++;
    lower = lb;
    declaredLen = ub - lb + 1;
  }
  if (s.charCodeAt(i) !== 123 /* { */) {
    throw malformed(input, 'Array value must start with "{" or dimension information.');
  }
  i++;
  const items: unknown[] = [];
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  if (s.charCodeAt(i) === 125 /* } */) {
    i++;
  } else {
    for (;;) {
      while (i < n && isSpace(s.charCodeAt(i))) i++;
      if (i >= n) throw malformed(input, 'Unexpected end of input.');
      const c = s.charCodeAt(i);
      if (c === 123) throw multidimensional();
      if (c === 44 || c === 125) throw malformed(input, `Unexpected "${s[i]}" character.`);
      let text = '';
      let isNullCandidate = true;
      if (c === 34 /* " */) {
        isNullCandidate = false;
        i++;
        for (;;) {
          if (i >= n) throw malformed(input, 'Unexpected end of input.');
          const d = s.charCodeAt(i);
          if (d === 92) {
            if (i + 1 >= n) throw malformed(input, 'Unexpected end of input.');
            text += s[i + 1];
            i += 2;
          } else if (d === 34) {
            i++;
            break;
          } else {
            text += s[i];
            i++;
          }
        }
        while (i < n && isSpace(s.charCodeAt(i))) i++;
      } else {
        // Unquoted: up to the delimiter or brace; trailing unescaped spaces are dropped.
        let keepTo = 0;
        for (;;) {
          if (i >= n) throw malformed(input, 'Unexpected end of input.');
          const d = s.charCodeAt(i);
          if (d === 44 || d === 125) break;
          if (d === 92) {
            if (i + 1 >= n) throw malformed(input, 'Unexpected end of input.');
            text += s[i + 1];
            keepTo = text.length;
            isNullCandidate = false;
            i += 2;
            continue;
          }
          if (d === 123 || d === 34) throw malformed(input, `Unexpected "${s[i]}" character.`);
          text += s[i];
          if (!isSpace(d)) keepTo = text.length;
          i++;
        }
        text = text.slice(0, keepTo);
      }
      const isNull = isNullCandidate && text.length === 4 && text.toLowerCase() === 'null';
      items.push(isNull ? null : readElem(text));
      const d = s.charCodeAt(i);
      if (d === 44) {
        i++;
        continue;
      }
      if (d === 125) {
        i++;
        break;
      }
      if (i >= n) throw malformed(input, 'Unexpected end of input.');
      throw malformed(input, `Unexpected "${s[i]}" character.`);
    }
  }
  while (i < n) {
    if (!isSpace(s.charCodeAt(i))) throw malformed(input, 'Junk after closing right brace.');
    i++;
  }
  if (declaredLen >= 0 && declaredLen !== items.length) {
    throw malformed(input, 'Specified array dimensions do not match array contents.');
  }
  return new PgArray(elemType, items, items.length === 0 ? 1 : lower);
}

/** Whether array_out must double-quote an element's text. */
function needsQuotes(t: string): boolean {
  if (t.length === 0) return true;
  if (t.length === 4 && (t.charCodeAt(0) | 32) === 110 && t.toLowerCase() === 'null') return true;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 34 || c === 92 || c === 123 || c === 125 || c === 44 || isSpace(c)) return true;
  }
  return false;
}

function quoteElement(t: string): string {
  let out = '"';
  let run = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 34 || c === 92) {
      out += t.slice(run, i) + '\\';
      run = i;
    }
  }
  return out + t.slice(run) + '"';
}

/** array_out for one dimension. */
export function formatArrayText(arr: PgArray, writeElem: (v: unknown) => string): string {
  const items = arr.items;
  let out = items.length > 0 && arr.lower !== 1 ? `[${arr.lower}:${arr.lower + items.length - 1}]={` : '{';
  for (let i = 0; i < items.length; i++) {
    if (i) out += ',';
    const v = items[i];
    if (v === null || v === undefined) {
      out += 'NULL';
      continue;
    }
    const t = writeElem(v);
    out += needsQuotes(t) ? quoteElement(t) : t;
  }
  return out + '}';
}

/** array_send: ndim, has-null flag, element OID, (size, lower bound), then length-prefixed elements. */
export function arrayToBinary(arr: PgArray, writeElem: (v: unknown) => Buffer): Buffer {
  const items = arr.items;
  if (items.length === 0) {
    const b = Buffer.alloc(12);
    b.writeInt32BE(0, 0);
    b.writeInt32BE(0, 4);
    b.writeUInt32BE(arr.elemType, 8);
    return b;
  }
  const parts: Buffer[] = [];
  let hasNull = 0;
  let total = 20;
  for (const v of items) {
    if (v === null || v === undefined) {
      hasNull = 1;
      total += 4;
      parts.push(NULL_LEN);
      continue;
    }
    const e = writeElem(v);
    const len = Buffer.allocUnsafe(4);
    len.writeInt32BE(e.length, 0);
    parts.push(len, e);
    total += 4 + e.length;
  }
  const head = Buffer.allocUnsafe(20);
  head.writeInt32BE(1, 0);
  head.writeInt32BE(hasNull, 4);
  head.writeUInt32BE(arr.elemType, 8);
  head.writeInt32BE(items.length, 12);
  head.writeInt32BE(arr.lower, 16);
  return Buffer.concat([head, ...parts], total);
}

const NULL_LEN = Buffer.from([0xff, 0xff, 0xff, 0xff]);

function insufficient(): PgError {
  return new PgError(SQLSTATE.protocol_violation, 'insufficient data left in message');
}

/** array_recv for one dimension; `readElem` gets each element's bytes. */
export function arrayFromBinary(buf: Buffer, elemType: number, readElem: (b: Buffer) => unknown): PgArray {
  if (buf.length < 12) throw insufficient();
  const ndim = buf.readInt32BE(0);
  const flags = buf.readInt32BE(4);
  const elem = buf.readUInt32BE(8);
  if (ndim < 0) throw new PgError(SQLSTATE.invalid_binary_representation, `invalid number of dimensions: ${ndim}`);
  if (flags !== 0 && flags !== 1) throw new PgError(SQLSTATE.invalid_binary_representation, 'invalid array flags');
  if (elem !== elemType) {
    throw new PgError(SQLSTATE.datatype_mismatch, 'wrong element type', {
      detail: `with elemtype ${elem} instead of ${elemType}`,
    });
  }
  if (ndim === 0) {
    if (buf.length !== 12) throw new PgError(SQLSTATE.invalid_binary_representation, 'incorrect binary data format');
    return new PgArray(elemType, [], 1);
  }
  if (ndim > 1) throw multidimensional();
  if (buf.length < 20) throw insufficient();
  const count = buf.readInt32BE(12);
  const lower = buf.readInt32BE(16);
  if (count < 0) throw new PgError(SQLSTATE.invalid_binary_representation, 'incorrect binary data format');
  const items: unknown[] = new Array(count);
  let off = 20;
  for (let k = 0; k < count; k++) {
    if (off + 4 > buf.length) throw insufficient();
    const len = buf.readInt32BE(off);
    off += 4;
    if (len === -1) {
      items[k] = null;
      continue;
    }
    if (len < 0) throw new PgError(SQLSTATE.invalid_binary_representation, `invalid array element length ${len}`);
    if (off + len > buf.length) throw insufficient();
    items[k] = readElem(buf.subarray(off, off + len));
    off += len;
  }
  if (off !== buf.length) throw new PgError(SQLSTATE.invalid_binary_representation, 'incorrect binary data format');
  return new PgArray(elemType, items, count === 0 ? 1 : lower);
}
