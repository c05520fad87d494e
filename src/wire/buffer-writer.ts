// One growing output buffer shared by all backend messages of a connection.
//
// Bytes are appended at `pos`; take() hands out [start, pos) as a subarray and
// moves `start` up instead of rewinding, so a taken Buffer is never
// overwritten (the socket may still hold it) and no copy is made. A fresh
// chunk is allocated only when the current one runs out or grew oversized.

import { digitCount, writeDigits } from '../types/ascii-digits.js';

const DEFAULT_CHUNK_SIZE = 64 * 1024;
/** Below this much free space after take() a new chunk is started. */
const MIN_FREE_AFTER_TAKE = 4096;
/** Strings up to this length are UTF-8 encoded by hand (cheaper than Buffer.write). */
const SHORT_STRING = 64;
const MAX_SAFE_BIGINT = BigInt(Number.MAX_SAFE_INTEGER);

/** A value that can write its text as ASCII bytes in place (numeric's avg results). */
export interface AsciiText {
  /** Writes at `at` of `out` and answers the end, or -1 when it cannot. */
  writeText(out: Uint8Array, at: number): number;
}

export class Writer {
  private buf: Buffer;
  private start = 0;
  private pos = 0;
  /** Absolute offset of the type byte of the message being written, or -1. */
  private msgStart = -1;
  private readonly chunkSize: number;

  constructor(chunkSize: number = DEFAULT_CHUNK_SIZE) {
    this.chunkSize = Math.max(256, chunkSize | 0);
    this.buf = Buffer.allocUnsafe(this.chunkSize);
  }

  /** Bytes written since the last take(). */
  get length(): number {
    return this.pos - this.start;
  }

  byte(n: number): this {
    if (this.pos + 1 > this.buf.length) this.grow(1);
    this.buf[this.pos++] = n;
    return this;
  }

  int16(n: number): this {
    if (this.pos + 2 > this.buf.length) this.grow(2);
    const b = this.buf;
    const p = this.pos;
    b[p] = n >>> 8;
    b[p + 1] = n;
    this.pos = p + 2;
    return this;
  }

  /** Accepts signed or unsigned 32-bit values (OIDs above 2^31 included). */
  int32(n: number): this {
    if (this.pos + 4 > this.buf.length) this.grow(4);
    const b = this.buf;
    const p = this.pos;
    b[p] = n >>> 24;
    b[p + 1] = n >>> 16;
    b[p + 2] = n >>> 8;
    b[p + 3] = n;
    this.pos = p + 4;
    return this;
  }

  /**
   * UTF-8 text followed by NUL. A NUL inside `s` would desynchronise the
   * protocol, so the string is cut there, as C code handling it would.
   */
  cstring(s: string): this {
    let len = s.length;
    if (len > SHORT_STRING) {
      const nul = s.indexOf('\0');
      if (nul !== -1) {
        s = s.slice(0, nul);
        len = nul;
      }
    }
    this.reserveUtf8(s, 1);
    this.pos = this.writeUtf8(s, this.pos, true);
    this.buf[this.pos++] = 0;
    return this;
  }

  /** UTF-8 text with no terminator or length (COPY data lines). */
  utf8(s: string): this {
    this.reserveUtf8(s, 0);
    this.pos = this.writeUtf8(s, this.pos, false);
    return this;
  }

  bytes(src: Uint8Array): this {
    const n = src.length;
    if (this.pos + n > this.buf.length) this.grow(n);
    this.buf.set(src, this.pos);
    this.pos += n;
    return this;
  }

  /** int32 UTF-8 byte length (-1 for null), then the bytes; encoded in place. */
  lengthPrefixedString(s: string | null): this {
    if (s === null) return this.int32(-1);
    this.reserveUtf8(s, 4);
    const lenAt = this.pos;
    return this.endLengthPrefixed(lenAt, this.writeUtf8(s, lenAt + 4, false));
  }

  /**
   * int32 length, then an integer's decimal digits (int2 / int4 / int8 text
   * output), written in place: no string is made for it.
   */
  lengthPrefixedInteger(value: number | bigint): this {
    let v = typeof value === 'bigint' ? (value > MAX_SAFE_BIGINT || value < -MAX_SAFE_BIGINT ? NaN : Number(value)) : value;
    // Past 2^53, or anything but an integer: String() says it, as the type's output function does.
    if (!Number.isSafeInteger(v)) return this.lengthPrefixedString(String(value));
    // A sign and at most 16 digits (|v| <= 2^53).
    if (this.pos + 4 + 17 > this.buf.length) this.grow(4 + 17);
    const lenAt = this.pos;
    let p = lenAt + 4;
    if (v < 0) {
      this.buf[p++] = 0x2d; // '-'
      v = -v;
    }
    return this.endLengthPrefixed(lenAt, writeDigits(this.buf, p, digitCount(v), v));
  }

  /**
   * int32 length, then the ASCII text `value` writes in place (at most
   * `maxLength` bytes); false, with nothing written, when it writes none.
   */
  lengthPrefixedAsciiText(value: AsciiText, maxLength: number): boolean {
    if (this.pos + 4 + maxLength > this.buf.length) this.grow(4 + maxLength);
    const lenAt = this.pos;
    const end = value.writeText(this.buf, lenAt + 4);
    if (end < 0) return false;
    this.endLengthPrefixed(lenAt, end);
    return true;
  }

  /** Patches the length word at `lenAt` for a value that ends at `end`, and moves there. */
  private endLengthPrefixed(lenAt: number, end: number): this {
    const n = end - lenAt - 4;
    const b = this.buf;
    b[lenAt] = n >>> 24;
    b[lenAt + 1] = n >>> 16;
    b[lenAt + 2] = n >>> 8;
    b[lenAt + 3] = n;
    this.pos = end;
    return this;
  }

  /** int32 byte length (-1 for null), then the bytes. */
  lengthPrefixedBytes(src: Uint8Array | null): this {
    if (src === null) return this.int32(-1);
    const n = src.length;
    if (this.pos + 4 + n > this.buf.length) this.grow(4 + n);
    this.int32(n);
    this.buf.set(src, this.pos);
    this.pos += n;
    return this;
  }

  /** Writes the type byte and a placeholder length; endMessage() patches it. */
  startMessage(type: string | number): this {
    if (this.msgStart !== -1) throw new Error('Writer.startMessage: previous message not ended');
    if (this.pos + 5 > this.buf.length) this.grow(5);
    this.msgStart = this.pos;
    this.buf[this.pos] = typeof type === 'number' ? type : type.charCodeAt(0);
    this.pos += 5;
    return this;
  }

  endMessage(): this {
    const at = this.msgStart;
    if (at === -1) throw new Error('Writer.endMessage: no message started');
    const n = this.pos - at - 1;
    const b = this.buf;
    b[at + 1] = n >>> 24;
    b[at + 2] = n >>> 16;
    b[at + 3] = n >>> 8;
    b[at + 4] = n;
    this.msgStart = -1;
    return this;
  }

  /**
   * Drops everything written after `length` (as reported by the getter),
   * e.g. a half-written DataRow whose value conversion threw.
   */
  truncate(length: number): this {
    if (length < 0 || length > this.pos - this.start) throw new RangeError('Writer.truncate: bad length');
    this.pos = this.start + length;
    if (this.msgStart >= this.pos) this.msgStart = -1;
    return this;
  }

  /**
   * Returns the bytes written so far and resets length to 0. The returned
   * Buffer belongs to the caller: the writer never writes into it again.
   */
  take(): Buffer {
    if (this.msgStart !== -1) throw new Error('Writer.take: message not ended');
    const out = this.buf.subarray(this.start, this.pos);
    if (this.buf.length - this.pos < MIN_FREE_AFTER_TAKE || this.buf.length > this.chunkSize) {
      // Start a fresh chunk; an oversized one is released once `out` is dropped.
      this.buf = Buffer.allocUnsafe(this.chunkSize);
      this.pos = 0;
    }
    this.start = this.pos;
    return out;
  }

  /** Makes room for `extra` more bytes, moving only the untaken bytes. */
  private grow(extra: number): void {
    const used = this.pos - this.start;
    let size = this.chunkSize;
    while (size < used + extra) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, this.start, this.pos);
    if (this.msgStart !== -1) this.msgStart -= this.start;
    this.buf = next;
    this.start = 0;
    this.pos = used;
  }

  /** Ensures room for `extra` fixed bytes plus the UTF-8 form of `s`. */
  private reserveUtf8(s: string, extra: number): void {
    const free = this.buf.length - this.pos - extra;
    // A UTF-16 code unit never needs more than 3 UTF-8 bytes.
    if (s.length * 3 <= free) return;
    const need = s.length <= SHORT_STRING ? s.length * 3 : Buffer.byteLength(s, 'utf8');
    if (need > free) this.grow(need + extra);
  }

  /**
   * Encodes `s` at `p` (room already reserved) and returns the end offset.
   * With stopAtNul, encoding stops before a NUL (cstring; long strings were
   * already cut by the caller).
   */
  private writeUtf8(s: string, p: number, stopAtNul: boolean): number {
    const len = s.length;
    const b = this.buf;
    if (len > SHORT_STRING) return p + b.write(s, p, 'utf8');
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        if (c === 0 && stopAtNul) break;
        b[p++] = c;
      } else if (c < 0x800) {
        b[p++] = 0xc0 | (c >> 6);
        b[p++] = 0x80 | (c & 0x3f);
      } else if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < len ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          b[p++] = 0xf0 | (cp >> 18);
          b[p++] = 0x80 | ((cp >> 12) & 0x3f);
          b[p++] = 0x80 | ((cp >> 6) & 0x3f);
          b[p++] = 0x80 | (cp & 0x3f);
          i++;
        } else {
          // Lone surrogate: U+FFFD, as Buffer.write does.
          b[p++] = 0xef;
          b[p++] = 0xbf;
          b[p++] = 0xbd;
        }
      } else {
        b[p++] = 0xe0 | (c >> 12);
        b[p++] = 0x80 | ((c >> 6) & 0x3f);
        b[p++] = 0x80 | (c & 0x3f);
      }
    }
    return p;
  }
}
