// COPY ... FROM STDIN: splitting the client's CopyData bytes into rows of
// field strings, in PostgreSQL's text and csv formats. Lines may be split
// across CopyData messages. Works on bytes with a lookup table per byte
// class, so plain field bytes cost one table load each; strings are made only
// for the fields themselves.
//
// text: fields split at the delimiter; backslash escapes \b \f \n \r \t \v,
//   \ooo (octal), \xhh (hex), \<any> = that character; a field whose raw
//   text equals the NULL string (default \N) is NULL; \. ends the data.
// csv: quoted fields (quote and escape characters), an unquoted field equal
//   to the NULL string (default empty) is NULL; HEADER skips the first line;
//   \. alone at the start of a line ends the data.
// Both: the first line's end (LF, CR or CRLF) fixes the newline style.
import { isUtf8 } from 'node:buffer';
import { PgError } from '../errors.js';
import { asciiString } from './ascii-string.js';

/** SQLSTATE bad_copy_file_format (not in the shared table). */
export const BAD_COPY_FILE_FORMAT = '22P04';
/** SQLSTATE character_not_in_repertoire: invalid UTF-8. */
const CHARACTER_NOT_IN_REPERTOIRE = '22021';

export interface CopyInOptions {
  csv: boolean;
  /** One byte. */
  delimiter: string;
  null: string;
  /** csv only. */
  quote: string;
  escape: string;
  header: boolean;
  /** csv: per field, a NULL reads as the NULL string instead (FORCE_NOT_NULL). */
  forceNotNull?: readonly boolean[];
  /** csv: per field, a value equal to the NULL string (even quoted) reads as NULL (FORCE_NULL). */
  forceNull?: readonly boolean[];
}

/** A row's fields: text, null for NULL, or a number for an integer read right away (CopyInParser's integerDigits). */
export type CopyRowSink = (fields: (string | number | null)[]) => void;

// Buffer methods Node has but @types/node does not declare.
interface FastBuffer extends Buffer {
  utf8Slice(start: number, end: number): string;
}

const LF = 10;
const CR = 13;
const BACKSLASH = 92;
const DOT = 46;
const MINUS = 45;

const enum Eol { Unknown, NL, CR, CRNL }

// Byte classes for the scanning loops; 0 = an ordinary byte.
const C_PLAIN = 0;
const C_DELIM = 1;
const C_NEWLINE = 2;
const C_BACKSLASH = 3;
const C_QUOTE = 4;
const C_ESCAPE = 5;
const C_NUL = 6;
const C_HIGH = 7;

// Field flags.
const F_ESCAPED = 1; // text: has backslashes; csv: has quotes
const F_HIGH = 2; // has bytes >= 0x80

const MAX_DATA_DISPLAY = 100; // bytes of a line or value shown in CONTEXT

/** A string cut to 100 bytes of UTF-8 (at a character boundary) with "..." appended, as COPY's CONTEXT shows data. */
function limitPrintout(s: string): string {
  if (s.length * 3 <= MAX_DATA_DISPLAY || Buffer.byteLength(s) <= MAX_DATA_DISPLAY) return s;
  let bytes = 0;
  let i = 0;
  while (i < s.length) {
    const cp = s.codePointAt(i)!;
    const len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + len > MAX_DATA_DISPLAY) break;
    bytes += len;
    i += cp >= 0x10000 ? 2 : 1;
  }
  return s.slice(0, i) + '...';
}

/** PostgreSQL's report for bytes that are not valid UTF-8: the offending sequence in hex. */
function invalidUtf8(b: Uint8Array, start: number, end: number): PgError {
  let i = start;
  while (i < end) {
    const c = b[i]!;
    const len = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (c === 0 || len === 0 || i + len > end || !isUtf8(b.subarray(i, i + len))) break;
    i += len;
  }
  const c = b[i] ?? 0;
  const want = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
  const shown: string[] = [];
  for (let k = i; k < Math.min(end, i + want); k++) shown.push('0x' + b[k]!.toString(16).padStart(2, '0'));
  return new PgError(CHARACTER_NOT_IN_REPERTOIRE, `invalid byte sequence for encoding "UTF8": ${shown.join(' ')}`);
}

/**
 * Incremental COPY FROM parser. push() each CopyData payload, end() at
 * CopyDone; each complete row is handed to the sink as an array of field
 * strings (null for NULL). The array is reused between rows: copy it if you
 * keep it. Errors are PgErrors with PostgreSQL's CONTEXT in `where`.
 *
 * `integerDigits` (per field; 0 or absent: text) lets a field of an integer
 * column come as a number when its text is plain decimal digits, with an
 * optional minus, of at most that many digits (so always in range): no
 * string is made, nor read again by the type's input function. Any other
 * text (spaces, a plus, too many digits, garbage) stays a string, for the
 * input function's own result or error.
 */
export class CopyInParser {
  /** Line number of the line most recently read (1-based, as COPY's CONTEXT counts). */
  lineNo = 0;
  /** Rows handed to the sink so far. */
  rowCount = 0;
  private ended = false;
  private headerSkipped = false;
  private eol: Eol = Eol.Unknown;
  private pending: Buffer[] = [];
  private readonly cls = new Uint8Array(256);
  private readonly delim: number;
  private readonly quote: number;
  private readonly escape: number;
  private readonly nullBytes: Buffer;
  private readonly fields: (string | number | null)[];
  private starts = new Int32Array(16);
  private ends = new Int32Array(16);
  private flags = new Uint8Array(16);
  private scratch = Buffer.allocUnsafe(256) as FastBuffer;
  private lineStart = 0;
  private lineEnd = 0;
  private buf: FastBuffer = Buffer.alloc(0) as FastBuffer;

  constructor(
    readonly relationName: string,
    readonly columnNames: readonly string[],
    readonly options: CopyInOptions,
    private readonly integerDigits: Uint8Array = new Uint8Array(columnNames.length),
  ) {
    this.delim = options.delimiter.charCodeAt(0);
    this.quote = options.csv ? options.quote.charCodeAt(0) : -1;
    this.escape = options.csv ? options.escape.charCodeAt(0) : -1;
    this.nullBytes = Buffer.from(options.null, 'utf8');
    this.fields = new Array(columnNames.length).fill(null);
    const cls = this.cls;
    for (let c = 0x80; c < 256; c++) cls[c] = C_HIGH;
    cls[0] = C_NUL;
    cls[LF] = C_NEWLINE;
    cls[CR] = C_NEWLINE;
    if (options.csv) {
      cls[this.escape] = C_ESCAPE;
      cls[this.quote] = C_QUOTE; // quote wins when escape = quote
    } else {
      cls[BACKSLASH] = C_BACKSLASH;
    }
    cls[this.delim] = C_DELIM;
  }

  /** True once the end-of-data marker \. was read; later data is ignored, as PostgreSQL does. */
  get done(): boolean {
    return this.ended;
  }

  /** Parses one CopyData payload. */
  push(chunk: Uint8Array, sink: CopyRowSink): void {
    if (this.ended || chunk.length === 0) return;
    let b: Buffer;
    if (this.pending.length > 0) {
      // Still inside a line: wait until a line end can be in it.
      if (chunk.indexOf(LF) < 0 && chunk.indexOf(CR) < 0) {
        this.pending.push(Buffer.from(chunk));
        return;
      }
      b = Buffer.concat([...this.pending, chunk]);
      this.pending = [];
    } else {
      b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    }
    const used = this.parse(b as FastBuffer, false, sink);
    // Keep the incomplete tail (copied: the caller may reuse its buffer).
    if (!this.ended && used < b.length) this.pending.push(Buffer.from(b.subarray(used)));
  }

  /** The client sent CopyDone: the last line may lack its newline. */
  end(sink: CopyRowSink): void {
    if (this.ended) return;
    const b = Buffer.concat(this.pending);
    this.pending = [];
    if (b.length > 0) this.parse(b as FastBuffer, true, sink);
    this.ended = true;
  }

  /** CONTEXT for an error converting field `index` of the current row ('COPY s, line 3, column val: "abc"'). */
  fieldContext(index: number, value: string | number | null): string {
    const col = this.columnNames[index] ?? '?';
    if (value === null) return `COPY ${this.relationName}, line ${this.lineNo}, column ${col}: null input`;
    return `COPY ${this.relationName}, line ${this.lineNo}, column ${col}: "${limitPrintout(String(value))}"`;
  }

  /** CONTEXT naming the current line with its text. */
  private lineContext(): string {
    const text = this.buf.utf8Slice(this.lineStart, this.lineEnd);
    return `COPY ${this.relationName}, line ${this.lineNo}: "${limitPrintout(text)}"`;
  }

  private lineError(message: string): PgError {
    return new PgError(BAD_COPY_FILE_FORMAT, message, { where: this.lineContext() });
  }

  /** Errors about line structure show only the line number, as PostgreSQL's do. */
  private bareLineError(message: string, hint?: string, code = BAD_COPY_FILE_FORMAT): PgError {
    return new PgError(code, message, { where: `COPY ${this.relationName}, line ${this.lineNo}`, ...(hint ? { hint } : {}) });
  }

  private newlineError(isCr: boolean): PgError {
    if (this.options.csv) {
      return isCr
        ? this.bareLineError('unquoted carriage return found in data', 'Use quoted CSV field to represent carriage return.')
        : this.bareLineError('unquoted newline found in data', 'Use quoted CSV field to represent newline.');
    }
    return isCr
      ? this.bareLineError('literal carriage return found in data', 'Use "\\r" to represent carriage return.')
      : this.bareLineError('literal newline found in data', 'Use "\\n" to represent newline.');
  }

  /**
   * A line end at b[i] (CR or LF): checks it against the newline style and
   * returns the index after it, or -1 when the byte after a CR is not here yet.
   */
  private lineTerminator(b: Buffer, i: number, limit: number, atEnd: boolean): number {
    const c = b[i]!;
    if (c === LF) {
      if (this.eol === Eol.Unknown) this.eol = Eol.NL;
      else if (this.eol !== Eol.NL) throw this.newlineError(false);
      return i + 1;
    }
    if (i + 1 >= limit && !atEnd) return -1;
    const crlf = i + 1 < limit && b[i + 1] === LF;
    if (this.eol === Eol.Unknown) this.eol = crlf ? Eol.CRNL : Eol.CR;
    else if (this.eol === Eol.NL) throw this.newlineError(true);
    else if (this.eol === Eol.CRNL && !crlf) throw this.newlineError(true);
    else if (this.eol === Eol.CR && crlf) {
      this.lineNo++; // PostgreSQL counts the LF as the start of the next line
      throw this.newlineError(false);
    }
    return crlf ? i + 2 : i + 1;
  }

  /**
   * The end-of-data marker: a backslash at b[i] followed by '.'. Returns the
   * index after the marker, or -1 when more bytes are needed; throws for a
   * corrupt marker (text mode); in csv returns -2 when it is just data.
   */
  private endMarker(b: Buffer, i: number, limit: number, atEnd: boolean): number {
    const csv = this.options.csv;
    let p = i + 2;
    if (this.eol === Eol.CRNL) {
      if (p >= limit && !atEnd) return -1;
      const c2 = p < limit ? b[p++] : 0;
      if (c2 === LF) {
        if (csv) return -2;
        throw this.bareLineError('end-of-copy marker does not match previous newline style');
      }
      if (c2 !== CR) {
        if (csv) return -2;
        throw this.bareLineError('end-of-copy marker corrupt');
      }
    }
    if (p >= limit && !atEnd) return -1;
    const c2 = p < limit ? b[p++] : 0;
    if (c2 !== CR && c2 !== LF) {
      if (csv) return -2;
      throw this.bareLineError('end-of-copy marker corrupt');
    }
    if ((this.eol === Eol.NL && c2 !== LF) || (this.eol === Eol.CRNL && c2 !== LF) || (this.eol === Eol.CR && c2 !== CR)) {
      throw this.bareLineError('end-of-copy marker does not match previous newline style');
    }
    return p;
  }

  private growFields(): void {
    const n = this.starts.length * 2;
    const s = new Int32Array(n);
    s.set(this.starts);
    const e = new Int32Array(n);
    e.set(this.ends);
    const f = new Uint8Array(n);
    f.set(this.flags);
    this.starts = s;
    this.ends = e;
    this.flags = f;
  }

  /** Parses complete lines of b; returns where the first incomplete line starts. */
  private parse(b: FastBuffer, atEnd: boolean, sink: CopyRowSink): number {
    this.buf = b;
    const limit = b.length;
    let pos = 0;
    while (pos < limit && !this.ended) {
      const next = this.options.csv ? this.scanCsvLine(b, pos, limit, atEnd, sink) : this.scanTextLine(b, pos, limit, atEnd, sink);
      if (next < 0) break;
      pos = next;
    }
    return pos;
  }

  // ---- text format -----------------------------------------------------------------

  /** Reads one line starting at `start`; returns the next line's start, or -1 if incomplete. */
  private scanTextLine(b: FastBuffer, start: number, limit: number, atEnd: boolean, sink: CopyRowSink): number {
    const cls = this.cls;
    let nf = 0;
    let fieldStart = start;
    let fflags = 0;
    let i = start;
    let lineEnd: number;
    let next: number;
    for (;;) {
      let k = C_PLAIN;
      while (i < limit && (k = cls[b[i]!]!) === C_PLAIN) i++;
      if (i >= limit) {
        if (!atEnd) return -1;
        lineEnd = next = limit;
        break;
      }
      if (k === C_DELIM) {
        if (nf + 1 >= this.starts.length) this.growFields();
        this.starts[nf] = fieldStart;
        this.ends[nf] = i;
        this.flags[nf] = fflags;
        nf++;
        fieldStart = ++i;
        fflags = 0;
      } else if (k === C_BACKSLASH) {
        if (i + 1 >= limit) {
          if (!atEnd) return -1;
          fflags |= F_ESCAPED; // a lone trailing backslash is dropped
          i++;
          continue;
        }
        if (b[i + 1] === DOT) {
          this.lineNo++;
          const after = this.endMarker(b, i, limit, atEnd);
          this.lineNo--;
          if (after === -1) return -1;
          this.ended = true;
          lineEnd = i;
          next = after;
          break;
        }
        fflags |= F_ESCAPED;
        i += 2;
      } else if (k === C_NEWLINE) {
        this.lineNo++;
        const after = this.lineTerminator(b, i, limit, atEnd);
        this.lineNo--;
        if (after < 0) return -1;
        lineEnd = i;
        next = after;
        break;
      } else if (k === C_HIGH) {
        fflags |= F_HIGH;
        i++;
      } else {
        this.lineNo++;
        throw this.bareLineError('invalid byte sequence for encoding "UTF8": 0x00', undefined, CHARACTER_NOT_IN_REPERTOIRE);
      }
    }
    this.lineNo++;
    this.lineStart = start;
    this.lineEnd = lineEnd;
    // the marker alone on its line (or at the very end) ends the data without a row
    if (this.ended && lineEnd === start) return next;
    if (nf + 1 >= this.starts.length) this.growFields();
    this.starts[nf] = fieldStart;
    this.ends[nf] = lineEnd;
    this.flags[nf] = fflags;
    this.emitText(b, nf + 1, sink);
    return next;
  }

  private checkFieldCount(count: number): void {
    const want = this.columnNames.length;
    if (count > want) {
      // COPY with no columns accepts an empty line
      if (!(want === 0 && count === 1 && this.lineEnd === this.lineStart)) throw this.lineError('extra data after last expected column');
    }
    if (count < want) throw this.lineError(`missing data for column "${this.columnNames[count]}"`);
  }

  private isNullMarker(b: Buffer, s: number, e: number): boolean {
    const nb = this.nullBytes;
    if (e - s !== nb.length) return false;
    for (let k = 0; k < nb.length; k++) if (b[s + k] !== nb[k]) return false;
    return true;
  }

  private emitText(b: FastBuffer, count: number, sink: CopyRowSink): void {
    this.checkFieldCount(count);
    const out = this.fields;
    for (let f = 0; f < out.length; f++) {
      const s = this.starts[f]!;
      const e = this.ends[f]!;
      const fl = this.flags[f]!;
      if (this.isNullMarker(b, s, e)) out[f] = null;
      else if (fl === 0) out[f] = this.plainField(b, s, e, f);
      else if (fl === F_HIGH) {
        if (!isUtf8(b.subarray(s, e))) throw this.withLine(invalidUtf8(b, s, e));
        out[f] = b.utf8Slice(s, e);
      } else out[f] = this.unescapeText(b, s, e);
    }
    this.rowCount++;
    sink(out);
  }

  /** An unescaped ASCII field: a number when it is an integer field's plain digits (see the class comment), else its text. */
  private plainField(b: FastBuffer, s: number, e: number, f: number): string | number {
    const digits = this.integerDigits[f]!;
    if (digits === 0) return asciiString(b, s, e);
    let i = s;
    const neg = b[i] === MINUS;
    if (neg) i++;
    if (i === e || e - i > digits) return asciiString(b, s, e);
    let v = 0;
    for (; i < e; i++) {
      const d = b[i]! - 48;
      if (d < 0 || d > 9) return asciiString(b, s, e);
      v = v * 10 + d;
    }
    // 0 - v: "-0" reads as 0, not -0.
    return neg ? 0 - v : v;
  }

  private withLine(e: PgError): PgError {
    e.where = this.lineContext();
    return e;
  }

  private ensureScratch(n: number): FastBuffer {
    if (this.scratch.length < n) this.scratch = Buffer.allocUnsafe(Math.max(n, this.scratch.length * 2)) as FastBuffer;
    return this.scratch;
  }

  /** A field with backslash escapes, decoded. */
  private unescapeText(b: Buffer, s: number, e: number): string {
    const out = this.ensureScratch(e - s);
    let n = 0;
    let check = false;
    let i = s;
    while (i < e) {
      let c = b[i++]!;
      if (c === BACKSLASH) {
        if (i >= e) break; // trailing lone backslash
        c = b[i++]!;
        if (c >= 48 && c <= 55) {
          // up to three octal digits
          let v = c - 48;
          if (i < e && b[i]! >= 48 && b[i]! <= 55) {
            v = v * 8 + (b[i++]! - 48);
            if (i < e && b[i]! >= 48 && b[i]! <= 55) v = v * 8 + (b[i++]! - 48);
          }
          c = v & 0xff;
          check = true;
        } else if (c === 120 /* x */ && i < e && hexValue(b[i]!) >= 0) {
          let v = hexValue(b[i++]!);
          if (i < e && hexValue(b[i]!) >= 0) v = v * 16 + hexValue(b[i++]!);
          c = v;
          check = true;
        } else {
          switch (c) {
            case 98: c = 8; break; // \b
            case 102: c = 12; break; // \f
            case 110: c = 10; break; // \n
            case 114: c = 13; break; // \r
            case 116: c = 9; break; // \t
            case 118: c = 11; break; // \v
          }
        }
      }
      if (c >= 0x80) check = true;
      out[n++] = c;
    }
    if (check) {
      // escapes can make any byte: the result must still be valid UTF-8 without NULs
      const bytes = out.subarray(0, n);
      if (bytes.indexOf(0) >= 0 || !isUtf8(bytes)) throw this.withLine(invalidUtf8(out, 0, n));
    }
    return out.utf8Slice(0, n);
  }

  // ---- csv format ------------------------------------------------------------------

  private scanCsvLine(b: FastBuffer, start: number, limit: number, atEnd: boolean, sink: CopyRowSink): number {
    // \. alone at the start of a line ends the data
    if (b[start] === BACKSLASH && (start + 1 < limit || !atEnd)) {
      if (start + 1 >= limit) return -1;
      if (b[start + 1] === DOT) {
        this.lineNo++;
        const after = this.endMarker(b, start, limit, atEnd);
        this.lineNo--;
        if (after === -1) return -1;
        if (after >= 0) {
          this.ended = true;
          return after;
        }
      }
    }
    const cls = this.cls;
    const quote = this.quote;
    const escape = this.escape;
    let nf = 0;
    let fieldStart = start;
    let fflags = 0;
    let inQuote = false;
    let embeddedLines = 0;
    let i = start;
    let lineEnd: number;
    let next: number;
    for (;;) {
      let k = C_PLAIN;
      while (i < limit && (k = cls[b[i]!]!) === C_PLAIN) i++;
      if (i >= limit) {
        if (!atEnd) return -1;
        if (inQuote) {
          this.lineNo += 1 + embeddedLines;
          this.lineStart = start;
          this.lineEnd = limit;
          throw this.lineError('unterminated CSV quoted field');
        }
        lineEnd = next = limit;
        break;
      }
      const c = b[i]!;
      if (k === C_QUOTE) {
        fflags |= F_ESCAPED;
        if (!inQuote) inQuote = true;
        else if (escape === quote) {
          if (i + 1 >= limit && !atEnd) return -1;
          if (b[i + 1] === quote) i++; // doubled quote: a literal quote
          else inQuote = false;
        } else inQuote = false;
        i++;
      } else if (k === C_ESCAPE) {
        if (inQuote) {
          if (i + 1 >= limit && !atEnd) return -1;
          const n = b[i + 1];
          if (n === quote || n === escape) i++;
        }
        i++;
      } else if (k === C_DELIM) {
        if (!inQuote) {
          if (nf + 1 >= this.starts.length) this.growFields();
          this.starts[nf] = fieldStart;
          this.ends[nf] = i;
          this.flags[nf] = fflags;
          nf++;
          fieldStart = i + 1;
          fflags = 0;
        }
        i++;
      } else if (k === C_NEWLINE) {
        if (inQuote) {
          // PostgreSQL counts quoted line ends by one character: LF once the
          // newline style is known to be LF, else CR (so CRLF counts once).
          if (c === (this.eol === Eol.NL ? LF : CR)) embeddedLines++;
          i++;
          continue;
        }
        this.lineNo += 1 + embeddedLines;
        const after = this.lineTerminator(b, i, limit, atEnd);
        this.lineNo -= 1 + embeddedLines;
        if (after < 0) return -1;
        lineEnd = i;
        next = after;
        break;
      } else if (k === C_HIGH) {
        fflags |= F_HIGH;
        i++;
      } else {
        this.lineNo += 1 + embeddedLines;
        throw this.bareLineError('invalid byte sequence for encoding "UTF8": 0x00', undefined, CHARACTER_NOT_IN_REPERTOIRE);
      }
    }
    this.lineNo += 1 + embeddedLines;
    this.lineStart = start;
    this.lineEnd = lineEnd;
    if (this.options.header && !this.headerSkipped) {
      this.headerSkipped = true;
      return next;
    }
    if (nf + 1 >= this.starts.length) this.growFields();
    this.starts[nf] = fieldStart;
    this.ends[nf] = lineEnd;
    this.flags[nf] = fflags;
    this.emitCsv(b, nf + 1, sink);
    return next;
  }

  private emitCsv(b: FastBuffer, count: number, sink: CopyRowSink): void {
    this.checkFieldCount(count);
    const out = this.fields;
    const forceNotNull = this.options.forceNotNull;
    const forceNull = this.options.forceNull;
    for (let f = 0; f < out.length; f++) {
      const s = this.starts[f]!;
      const e = this.ends[f]!;
      const fl = this.flags[f]!;
      if ((fl & F_HIGH) !== 0 && !isUtf8(b.subarray(s, e))) throw this.withLine(invalidUtf8(b, s, e));
      let v: string | number | null;
      if ((fl & F_ESCAPED) === 0) {
        if (this.isNullMarker(b, s, e)) v = forceNotNull?.[f] ? this.options.null : null;
        // FORCE_NULL compares the text with the NULL string: it stays text.
        else v = fl !== 0 ? b.utf8Slice(s, e) : forceNull?.[f] ? asciiString(b, s, e) : this.plainField(b, s, e, f);
      } else v = this.unquoteCsv(b, s, e);
      if (forceNull?.[f] && v === this.options.null) v = null;
      out[f] = v;
    }
    this.rowCount++;
    sink(out);
  }

  /** A field with quotes, without them. */
  private unquoteCsv(b: Buffer, s: number, e: number): string {
    const out = this.ensureScratch(e - s);
    const quote = this.quote;
    const escape = this.escape;
    let n = 0;
    let inQuote = false;
    for (let i = s; i < e; i++) {
      const c = b[i]!;
      if (!inQuote) {
        if (c === quote) inQuote = true;
        else out[n++] = c;
        continue;
      }
      if (c === escape && i + 1 < e && (b[i + 1] === quote || b[i + 1] === escape)) {
        out[n++] = b[++i]!;
      } else if (c === quote) inQuote = false;
      else out[n++] = c;
    }
    return out.utf8Slice(0, n);
  }
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
