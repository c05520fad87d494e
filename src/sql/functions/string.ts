// Character-string functions (PostgreSQL 11 "String Functions and Operators").
// Positions and lengths count code points, as PostgreSQL does on UTF-8 text.
import { PgError, SQLSTATE } from '../../errors.js';
import { OID } from '../../types/oids.js';
import { PgArray } from '../../types/values.js';
import { registerFunction } from './catalog.js';
import { fn } from './define.js';
import { checkResultLength, codePoints, cpIndex, cpLength, cpSlice, isHighSurrogate, utf8Length } from './text-util.js';

const { text, int4, bool, bpchar, _text, int8 } = OID;

const SUBSTRING_ERROR = '22011';

function negativeLength(): PgError {
  return new PgError(SUBSTRING_ERROR, 'negative substring length not allowed');
}

function int4OutOfRange(): PgError {
  return new PgError(SQLSTATE.numeric_value_out_of_range, 'integer out of range');
}

/** bpchar's trailing blanks are padding, not data. */
function stripPadding(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 32) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** SQL substring semantics: 1-based start, which may be before the string. */
export function textSubstr(s: string, start: number, len?: number): string {
  if (len === undefined) return start <= 1 ? s : s.slice(cpIndex(s, start - 1));
  if (len < 0) throw negativeLength();
  const end = start + len; // exclusive, 1-based; may exceed int4 harmlessly here
  const from = Math.max(start, 1);
  if (end <= from) return '';
  return cpSlice(s, from - 1, end - from);
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Word characters for initcap: letters and digits in any script. */
const ALNUM = /[\p{L}\p{N}]/u;

function isAlnum(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return c < 128 ? isAsciiAlnum(c) : ALNUM.test(ch);
}

/** Per-character case mapping (towupper/towlower): no expansions like ß -> SS. */
function mapCase(s: string, upper: boolean): string {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 128) {
      ascii = false;
      break;
    }
  }
  if (ascii) return upper ? s.toUpperCase() : s.toLowerCase();
  let out = '';
  for (const ch of s) out += mapChar(ch, upper);
  return out;
}

function mapChar(ch: string, upper: boolean): string {
  const m = upper ? ch.toUpperCase() : ch.toLowerCase();
  return cpLength(m) === 1 ? m : ch;
}

export function initcap(s: string): string {
  let out = '';
  let inWord = false;
  for (const ch of s) {
    const alnum = isAlnum(ch);
    out += mapChar(ch, !inWord);
    inWord = alnum;
  }
  return out;
}

/** Characters of `chars` as a set of code points, for the trim family. */
function trimSet(chars: string): Set<string> {
  return new Set(codePoints(chars));
}

export function trimText(s: string, chars: string, leading: boolean, trailing: boolean): string {
  if (chars === ' ') {
    let a = 0;
    let b = s.length;
    if (leading) while (a < b && s.charCodeAt(a) === 32) a++;
    if (trailing) while (b > a && s.charCodeAt(b - 1) === 32) b--;
    return s.slice(a, b);
  }
  if (s === '' || chars === '') return s;
  const set = trimSet(chars);
  const cps = codePoints(s);
  let a = 0;
  let b = cps.length;
  if (leading) while (a < b && set.has(cps[a]!)) a++;
  if (trailing) while (b > a && set.has(cps[b - 1]!)) b--;
  return cps.slice(a, b).join('');
}

function pad(s: string, len: number, fill: string, left: boolean): string {
  if (len <= 0) return '';
  const cps = codePoints(s);
  if (cps.length >= len) return cps.slice(0, len).join('');
  if (fill === '') return s;
  const fillCps = codePoints(fill);
  const need = len - cps.length;
  checkResultLength(need * 4 + utf8Length(s));
  let padding = '';
  const whole = Math.floor(need / fillCps.length);
  padding = fill.repeat(whole) + fillCps.slice(0, need - whole * fillCps.length).join('');
  return left ? padding + s : s + padding;
}

export function strpos(s: string, sub: string): number {
  if (sub === '') return 1;
  const i = s.indexOf(sub);
  if (i < 0) return 0;
  return cpLength(s.slice(0, i)) + 1;
}

function overlay(s: string, repl: string, start: number, count: number): string {
  // overlay(s placing r from p for n) = substr(s, 1, p-1) || r || substr(s, p+n)
  const after = start + count;
  if (after > 2147483647 || after < -2147483648) throw int4OutOfRange();
  return textSubstr(s, 1, start - 1) + repl + textSubstr(s, after);
}

function repeatText(s: string, n: number): string {
  if (n <= 0 || s === '') return '';
  checkResultLength(utf8Length(s) * n);
  return s.repeat(n);
}

function reverseText(s: string): string {
  let out = '';
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > 0 && isHighSurrogate(s.charCodeAt(i - 1))) {
      out += s[i - 1]! + s[i]!;
      i--;
    } else out += s[i]!;
  }
  return out;
}

function splitPart(s: string, delim: string, field: number): string {
  if (field <= 0) throw new PgError(SQLSTATE.invalid_parameter_value, 'field position must be greater than zero');
  if (delim === '') return field === 1 ? s : '';
  let start = 0;
  for (let k = 1; k < field; k++) {
    const i = s.indexOf(delim, start);
    if (i < 0) return '';
    start = i + delim.length;
  }
  const end = s.indexOf(delim, start);
  return end < 0 ? s.slice(start) : s.slice(start, end);
}

function leftText(s: string, n: number): string {
  if (n >= 0) return cpSlice(s, 0, n);
  const len = cpLength(s);
  return cpSlice(s, 0, len + n);
}

function rightText(s: string, n: number): string {
  const len = cpLength(s);
  if (n >= 0) return n >= len ? s : s.slice(cpIndex(s, len - n));
  return -n >= len ? '' : s.slice(cpIndex(s, -n));
}

function translate(s: string, from: string, to: string): string {
  const fromCps = codePoints(from);
  const toCps = codePoints(to);
  const map = new Map<string, string>();
  for (let i = 0; i < fromCps.length; i++) {
    if (!map.has(fromCps[i]!)) map.set(fromCps[i]!, i < toCps.length ? toCps[i]! : '');
  }
  let out = '';
  for (const ch of s) {
    const m = map.get(ch);
    out += m === undefined ? ch : m;
  }
  return out;
}

function ascii(s: string): number {
  return s === '' ? 0 : s.codePointAt(0)!;
}

function chr(code: number): string {
  if (code === 0) throw new PgError(SQLSTATE.program_limit_exceeded, 'null character not permitted');
  if (code < 0) throw new PgError(SQLSTATE.program_limit_exceeded, 'character number must be positive');
  if (code > 0x10ffff) throw new PgError(SQLSTATE.program_limit_exceeded, `requested character too large for encoding: ${code}`);
  if (code >= 0xd800 && code <= 0xdfff) throw new PgError(SQLSTATE.program_limit_exceeded, `requested character not valid for encoding: ${code}`);
  return String.fromCodePoint(code);
}

function toHex(v: number | bigint, bits: 32 | 64): string {
  const b = BigInt(v);
  return BigInt.asUintN(bits, b).toString(16);
}

/** string_to_array(text, delimiter [, null_string]); not strict: NULL text gives NULL. */
function stringToArray(args: (string | null)[]): PgArray | null {
  const s = args[0];
  if (s === null || s === undefined) return null;
  const delim = args[1] ?? null;
  const nullStr = args.length > 2 ? (args[2] ?? null) : null;
  if (s === '') return new PgArray(text, []);
  let fields: string[];
  if (delim === null) fields = codePoints(s);
  else if (delim === '') fields = [s];
  else fields = s.split(delim);
  const items: (string | null)[] = nullStr === null ? fields : fields.map((f) => (f === nullStr ? null : f));
  return new PgArray(text, items);
}

const lengthText = (a: string[]) => cpLength(a[0]!);
const lengthBpchar = (a: string[]) => cpLength(stripPadding(a[0]!));

registerFunction(
  fn('length', [text], int4, lengthText),
  fn('length', [bpchar], int4, lengthBpchar),
  fn('char_length', [text], int4, lengthText),
  fn('char_length', [bpchar], int4, lengthBpchar),
  fn('character_length', [text], int4, lengthText),
  fn('character_length', [bpchar], int4, lengthBpchar),
  fn('octet_length', [text], int4, (a: string[]) => utf8Length(a[0]!)),
  fn('octet_length', [bpchar], int4, (a: string[]) => utf8Length(a[0]!)),
  fn('bit_length', [text], int4, (a: string[]) => utf8Length(a[0]!) * 8),
  fn('lower', [text], text, (a: string[]) => mapCase(a[0]!, false)),
  fn('upper', [text], text, (a: string[]) => mapCase(a[0]!, true)),
  fn('initcap', [text], text, (a: string[]) => initcap(a[0]!)),
  fn('substr', [text, int4], text, (a: [string, number]) => textSubstr(a[0], a[1])),
  fn('substr', [text, int4, int4], text, (a: [string, number, number]) => textSubstr(a[0], a[1], a[2])),
  fn('substring', [text, int4], text, (a: [string, number]) => textSubstr(a[0], a[1])),
  fn('substring', [text, int4, int4], text, (a: [string, number, number]) => textSubstr(a[0], a[1], a[2])),
  fn('strpos', [text, text], int4, (a: string[]) => strpos(a[0]!, a[1]!)),
  // position(substring IN string) reaches the catalog as position(string, substring).
  fn('position', [text, text], int4, (a: string[]) => strpos(a[0]!, a[1]!)),
  fn('overlay', [text, text, int4], text, (a: [string, string, number]) => overlay(a[0], a[1], a[2], cpLength(a[1]))),
  fn('overlay', [text, text, int4, int4], text, (a: [string, string, number, number]) => {
    if (a[2] <= 0 || a[3] < 0) throw negativeLength();
    return overlay(a[0], a[1], a[2], a[3]);
  }),
  fn('btrim', [text], text, (a: string[]) => trimText(a[0]!, ' ', true, true)),
  fn('btrim', [text, text], text, (a: string[]) => trimText(a[0]!, a[1]!, true, true)),
  fn('ltrim', [text], text, (a: string[]) => trimText(a[0]!, ' ', true, false)),
  fn('ltrim', [text, text], text, (a: string[]) => trimText(a[0]!, a[1]!, true, false)),
  fn('rtrim', [text], text, (a: string[]) => trimText(a[0]!, ' ', false, true)),
  fn('rtrim', [text, text], text, (a: string[]) => trimText(a[0]!, a[1]!, false, true)),
  fn('lpad', [text, int4], text, (a: [string, number]) => pad(a[0], a[1], ' ', true)),
  fn('lpad', [text, int4, text], text, (a: [string, number, string]) => pad(a[0], a[1], a[2], true)),
  fn('rpad', [text, int4], text, (a: [string, number]) => pad(a[0], a[1], ' ', false)),
  fn('rpad', [text, int4, text], text, (a: [string, number, string]) => pad(a[0], a[1], a[2], false)),
  fn('left', [text, int4], text, (a: [string, number]) => leftText(a[0], a[1])),
  fn('right', [text, int4], text, (a: [string, number]) => rightText(a[0], a[1])),
  fn('repeat', [text, int4], text, (a: [string, number]) => repeatText(a[0], a[1])),
  fn('reverse', [text], text, (a: string[]) => reverseText(a[0]!)),
  fn('replace', [text, text, text], text, (a: string[]) => (a[1] === '' ? a[0] : a[0]!.split(a[1]!).join(a[2]!))),
  fn('split_part', [text, text, int4], text, (a: [string, string, number]) => splitPart(a[0], a[1], a[2])),
  fn('translate', [text, text, text], text, (a: string[]) => translate(a[0]!, a[1]!, a[2]!)),
  fn('ascii', [text], int4, (a: string[]) => ascii(a[0]!)),
  fn('chr', [int4], text, (a: number[]) => chr(a[0]!)),
  fn('to_hex', [int4], text, (a: number[]) => toHex(a[0]!, 32)),
  fn('to_hex', [int8], text, (a: bigint[]) => toHex(a[0]!, 64)),
  fn('starts_with', [text, text], bool, (a: string[]) => a[0]!.startsWith(a[1]!)),
  fn('textcat', [text, text], text, (a: string[]) => a[0]! + a[1]!),
  fn('string_to_array', [text, text], _text, stringToArray, { strict: false }),
  fn('string_to_array', [text, text, text], _text, stringToArray, { strict: false }),
);
