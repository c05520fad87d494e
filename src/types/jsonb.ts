// json and jsonb. json values stay the text as given (validated on input);
// jsonb values are a normalized tree: objects keep one entry per key (the
// last one given) in jsonb's key order (shorter keys first, then bytewise),
// numbers are exact Numerics printed as numeric prints them.
import { PgError, SQLSTATE } from '../errors.js';
import { formatNumeric, numericCompare, parseNumeric } from './numeric.js';
import { Numeric } from './values.js';

/** JSON null inside a jsonb value (SQL NULL is the JS `null`). */
export const JSONB_NULL: unique symbol = Symbol('jsonb null');
export type JsonbNull = typeof JSONB_NULL;

export type Jsonb = JsonbNull | boolean | string | Numeric | Jsonb[] | JsonbObject;

/** Compares keys as jsonb stores them: by UTF-8 length, then bytewise. */
export function compareJsonbKeys(a: string, b: string): number {
  const la = utf8Length(a);
  const lb = utf8Length(b);
  if (la !== lb) return la - lb;
  return compareUtf8(a, b);
}

function utf8Length(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return Buffer.byteLength(s, 'utf8');
  return s.length;
}

/** Bytewise UTF-8 order: code point order (UTF-16 unit order differs only around surrogates). */
function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca < cb ? -1 : 1;
    if (ca >= 0x10000) i++;
  }
  return a.length - b.length;
}

export class JsonbObject {
  /** Keys in jsonb order, values parallel. */
  constructor(readonly keys: string[], readonly values: Jsonb[]) {}

  get size(): number {
    return this.keys.length;
  }

  /** Binary search by jsonb key order. */
  indexOf(key: string): number {
    let lo = 0;
    let hi = this.keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = compareJsonbKeys(this.keys[mid]!, key);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  get(key: string): Jsonb | undefined {
    const i = this.indexOf(key);
    return i < 0 ? undefined : this.values[i];
  }

  /** Builds an object from pairs in input order; later duplicates win. */
  static fromPairs(keys: string[], values: Jsonb[]): JsonbObject {
    const idx = keys.map((_, i) => i);
    // stable sort keeps input order among equal keys, so the last one is the survivor
    idx.sort((x, y) => compareJsonbKeys(keys[x]!, keys[y]!) || x - y);
    const outK: string[] = [];
    const outV: Jsonb[] = [];
    for (const i of idx) {
      const k = keys[i]!;
      if (outK.length && outK[outK.length - 1] === k) outV[outV.length - 1] = values[i]!;
      else {
        outK.push(k);
        outV.push(values[i]!);
      }
    }
    return new JsonbObject(outK, outV);
  }
}

// ---- parsing --------------------------------------------------------------------------

type Builder = 'json' | 'jsonb';

class JsonParser {
  pos = 0;
  constructor(readonly text: string, readonly build: Builder) {}

  fail(detail: string, tokenEnd = this.pos, code: string = SQLSTATE.invalid_text_representation, message = 'invalid input syntax for type json'): never {
    // CONTEXT shows the line with the offending token, as PostgreSQL's json error context does.
    let lineStart = 0;
    let line = 1;
    for (let i = 0; i < tokenEnd && i < this.text.length; i++) {
      if (this.text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    let ctx = this.text.slice(lineStart, tokenEnd);
    let prefix = '';
    if (ctx.length > 30) {
      ctx = ctx.slice(ctx.length - 30);
      prefix = '...';
    }
    const tail = tokenEnd < this.text.length ? '...' : '';
    throw new PgError(code, message, { detail, where: `JSON data, line ${line}: ${prefix}${ctx}${tail}` });
  }

  skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }

  /** The token at pos as PostgreSQL's lexer would show it in an error message. */
  tokenText(): { text: string; end: number } {
    const t = this.text;
    const c = t[this.pos];
    if (c === undefined) return { text: '', end: this.pos };
    if ('{}[],:'.includes(c)) return { text: c, end: this.pos + 1 };
    if (c === '"') {
      let i = this.pos + 1;
      while (i < t.length && t[i] !== '"') i += t[i] === '\\' ? 2 : 1;
      return { text: t.slice(this.pos, Math.min(i + 1, t.length)), end: Math.min(i + 1, t.length) };
    }
    let i = this.pos;
    while (i < t.length && /[A-Za-z0-9_+\-.\u0080-\uffff]/.test(t[i]!)) i++;
    if (i === this.pos) i++;
    return { text: t.slice(this.pos, i), end: i };
  }

  unexpected(expected: string): never {
    this.skipSpace();
    if (this.pos >= this.text.length) this.fail('The input string ended unexpectedly.');
    const tok = this.tokenText();
    if (!this.isValidToken(tok.text)) this.fail(`Token "${tok.text}" is invalid.`, tok.end);
    this.fail(`Expected ${expected}, but found "${tok.text}".`, tok.end);
  }

  isValidToken(tok: string): boolean {
    if (tok.length === 1 && '{}[],:'.includes(tok)) return true;
    if (tok[0] === '"') return true;
    if (tok === 'true' || tok === 'false' || tok === 'null') return true;
    return /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(tok);
  }

  parseDocument(): Jsonb | undefined {
    this.skipSpace();
    const v = this.parseValue();
    this.skipSpace();
    if (this.pos < this.text.length) this.unexpected('end of input');
    return v;
  }

  parseValue(): Jsonb | undefined {
    this.skipSpace();
    const t = this.text;
    if (this.pos >= t.length) this.fail('The input string ended unexpectedly.');
    const c = t.charCodeAt(this.pos);
    if (c === 123) return this.parseObject();
    if (c === 91) return this.parseArray();
    if (c === 34) return this.parseString();
    if (c === 45 || (c >= 48 && c <= 57)) return this.parseNumber();
    const tok = this.tokenText();
    if (tok.text === 'true' || tok.text === 'false' || tok.text === 'null') {
      this.pos = tok.end;
      if (this.build === 'json') return undefined;
      return tok.text === 'null' ? JSONB_NULL : tok.text === 'true';
    }
    this.unexpected('JSON value');
  }

  parseNumber(): Jsonb | undefined {
    const tok = this.tokenText();
    if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(tok.text)) this.fail(`Token "${tok.text}" is invalid.`, tok.end);
    this.pos = tok.end;
    if (this.build === 'json') return undefined;
    return parseNumeric(tok.text);
  }

  parseString(): string {
    const t = this.text;
    let i = this.pos + 1;
    let out = '';
    let runStart = i;
    for (;;) {
      if (i >= t.length) this.fail('The input string ended unexpectedly.', t.length);
      const c = t.charCodeAt(i);
      if (c === 34) break;
      if (c < 32) {
        this.fail(`Character with value 0x${c.toString(16).padStart(2, '0')} must be escaped.`, i + 1);
      }
      if (c !== 92) {
        i++;
        continue;
      }
      out += t.slice(runStart, i);
      const e = t[i + 1];
      if (e === undefined) this.fail('The input string ended unexpectedly.', t.length);
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          const hex = t.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            this.fail('"\\u" must be followed by four hexadecimal digits.', Math.min(i + 2 + hex.replace(/[^0-9a-fA-F].*$/, '').length + 1, t.length));
          }
          const code = parseInt(hex, 16);
          if (code >= 0xd800 && code <= 0xdbff) {
            const next = t.slice(i + 6, i + 8) === '\\u' ? t.slice(i + 8, i + 12) : '';
            const low = /^[0-9a-fA-F]{4}$/.test(next) ? parseInt(next, 16) : -1;
            if (low < 0xdc00 || low > 0xdfff) this.fail('Unicode low surrogate must follow a high surrogate.', i + 6);
            if (this.build === 'jsonb') out += String.fromCharCode(code, low);
            i += 12;
            runStart = i;
            continue;
          }
          if (code >= 0xdc00 && code <= 0xdfff) this.fail('Unicode low surrogate must follow a high surrogate.', i + 6);
          if (code === 0 && this.build === 'jsonb') {
            throw new PgError(SQLSTATE.untranslatable_character, 'unsupported Unicode escape sequence', {
              detail: '\\u0000 cannot be converted to text.',
              where: `JSON data, line 1: ${t.slice(0, i + 6)}...`,
            });
          }
          out += String.fromCharCode(code);
          i += 6;
          runStart = i;
          continue;
        }
        default:
          this.fail(`Escape sequence "\\${e}" is invalid.`, i + 2);
      }
      i += 2;
      runStart = i;
    }
    out += t.slice(runStart, i);
    this.pos = i + 1;
    return out;
  }

  parseArray(): Jsonb[] | undefined {
    this.pos++; // [
    const items: Jsonb[] = [];
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === 93) {
      this.pos++;
      return this.build === 'json' ? undefined : items;
    }
    for (;;) {
      const v = this.parseValue();
      if (this.build === 'jsonb') items.push(v!);
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        continue;
      }
      if (c === 93) {
        this.pos++;
        break;
      }
      this.unexpected('"," or "]"');
    }
    return this.build === 'json' ? undefined : items;
  }

  parseObject(): JsonbObject | undefined {
    this.pos++; // {
    const keys: string[] = [];
    const values: Jsonb[] = [];
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === 125) {
      this.pos++;
      return this.build === 'json' ? undefined : new JsonbObject(keys, values);
    }
    for (;;) {
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) !== 34) this.unexpected(keys.length === 0 ? 'string or "}"' : 'string');
      const k = this.parseString();
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) !== 58) this.unexpected('":"');
      this.pos++;
      const v = this.parseValue();
      if (this.build === 'jsonb') {
        keys.push(k);
        values.push(v!);
      }
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        continue;
      }
      if (c === 125) {
        this.pos++;
        break;
      }
      this.unexpected('"," or "}"');
    }
    return this.build === 'json' ? undefined : JsonbObject.fromPairs(keys, values);
  }
}

/** json input: validates and returns the text unchanged. */
export function parseJson(text: string): string {
  new JsonParser(text, 'json').parseDocument();
  return text;
}

/** jsonb input. */
export function parseJsonb(text: string): Jsonb {
  return new JsonParser(text, 'jsonb').parseDocument()!;
}

// ---- output ------------------------------------------------------------------------------

/** A JSON string literal with PostgreSQL's escaping (escape_json). */
export function quoteJsonString(s: string): string {
  let out = '"';
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 32 && c !== 34 && c !== 92) continue;
    out += s.slice(run, i);
    switch (c) {
      case 34: out += '\\"'; break;
      case 92: out += '\\\\'; break;
      case 8: out += '\\b'; break;
      case 12: out += '\\f'; break;
      case 10: out += '\\n'; break;
      case 13: out += '\\r'; break;
      case 9: out += '\\t'; break;
      default: out += '\\u' + c.toString(16).padStart(4, '0');
    }
    run = i + 1;
  }
  return out + s.slice(run) + '"';
}

/** jsonb_out: '{"a": 1, "b": [1, 2]}'. */
export function formatJsonb(v: Jsonb): string {
  if (v === JSONB_NULL) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'string') return quoteJsonString(v);
  if (v instanceof Numeric) return formatNumeric(v);
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i ? ', ' : '') + formatJsonb(v[i]!);
    return out + ']';
  }
  let out = '{';
  for (let i = 0; i < v.keys.length; i++) {
    out += (i ? ', ' : '') + quoteJsonString(v.keys[i]!) + ': ' + formatJsonb(v.values[i]!);
  }
  return out + '}';
}

// ---- comparison ----------------------------------------------------------------------------

/** Type rank in jsonb's sort order: Object > Array > Boolean > Number > String > Null. */
function rank(v: Jsonb): number {
  if (v === JSONB_NULL) return 0;
  if (typeof v === 'string') return 1;
  if (v instanceof Numeric) return 2;
  if (typeof v === 'boolean') return 3;
  if (Array.isArray(v)) return 4;
  return 5;
}

/** jsonb btree order. */
export function compareJsonb(a: Jsonb, b: Jsonb): number {
  // A top-level scalar is stored as a one-element "raw scalar" array: an empty array sorts below it.
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) {
    if (ra === 4 && (a as Jsonb[]).length === 0 && rb < 4) return -1;
    if (rb === 4 && (b as Jsonb[]).length === 0 && ra < 4) return 1;
    return ra < rb ? -1 : 1;
  }
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case 2:
      return numericCompare(a as Numeric, b as Numeric);
    case 3:
      return a === b ? 0 : a ? 1 : -1;
    case 4: {
      const x = a as Jsonb[];
      const y = b as Jsonb[];
      if (x.length !== y.length) return x.length < y.length ? -1 : 1;
      for (let i = 0; i < x.length; i++) {
        const c = compareJsonb(x[i]!, y[i]!);
        if (c) return c;
      }
      return 0;
    }
    default: {
      const x = a as JsonbObject;
      const y = b as JsonbObject;
      if (x.size !== y.size) return x.size < y.size ? -1 : 1;
      for (let i = 0; i < x.size; i++) {
        const kx = x.keys[i]!;
        const ky = y.keys[i]!;
        if (kx !== ky) return compareJsonbKeys(kx, ky);
        const c = compareJsonb(x.values[i]!, y.values[i]!);
        if (c) return c;
      }
      return 0;
    }
  }
}

export function jsonbEquals(a: Jsonb, b: Jsonb): boolean {
  return compareJsonb(a, b) === 0;
}

/** Binary send/recv: a version byte (1) followed by the text form. */
export function jsonbToBinary(v: Jsonb): Buffer {
  const text = Buffer.from(formatJsonb(v), 'utf8');
  const out = Buffer.allocUnsafe(text.length + 1);
  out[0] = 1;
  text.copy(out, 1);
  return out;
}

export function jsonbFromBinary(b: Buffer): Jsonb {
  if (b.length < 1 || b[0] !== 1) {
    throw new PgError(SQLSTATE.invalid_binary_representation, `unsupported jsonb version number ${b.length ? b[0] : 0}`);
  }
  return parseJsonb(b.toString('utf8', 1));
}
