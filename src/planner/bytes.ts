// A growable byte writer and its reader: the primitives of the key and state
// encodings. One writer is reused per plan (plans are thread-local and used
// synchronously), so encoding allocates only the result copy.
import { PgError } from '../errors.js';

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);

/**
 * Writes unsigned LEB128 of a non-negative safe integer (at most 8 bytes)
 * at `p` of `buf`, which has room; returns the position after it.
 */
export function putUvarint(buf: Uint8Array, p: number, n: number): number {
  if (n < 0x80000000) {
    // Below 2^31 the shifts are exact and cheaper than division.
    while (n >= 0x80) {
      buf[p++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
  } else {
    while (n >= 0x80) {
      buf[p++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
  }
  buf[p++] = n;
  return p;
}

export class ByteWriter {
  buf: Uint8Array;
  pos = 0;

  constructor(initialSize = 256) {
    this.buf = new Uint8Array(initialSize);
  }

  reset(): void {
    this.pos = 0;
  }

  /** A copy of the bytes written since the last reset. */
  finish(): Uint8Array {
    const n = this.pos;
    // A plain loop beats slice()'s generic path for the short keys and states of most groups.
    if (n > 32) return this.buf.slice(0, n);
    const out = new Uint8Array(n);
    const buf = this.buf;
    for (let i = 0; i < n; i++) out[i] = buf[i];
    return out;
  }

  /** The bytes written since the last reset, as a view of the buffer: valid until the next write. */
  view(): Uint8Array {
    return new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.pos);
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  byte(b: number): void {
    if (this.pos >= this.buf.length) this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** Unsigned LEB128 of a non-negative safe integer. */
  uvarint(n: number): void {
    if (n < 0x80 && this.pos < this.buf.length) {
      this.buf[this.pos++] = n;
      return;
    }
    this.ensure(8);
    this.pos = putUvarint(this.buf, this.pos, n);
  }

  /** Zigzag LEB128 of a safe integer (small magnitudes of either sign stay short). */
  svarint(n: number): void {
    this.uvarint(n < 0 ? -2 * n - 1 : 2 * n);
  }

  float64(x: number): void {
    this.ensure(8);
    f64[0] = x;
    this.buf.set(f64Bytes, this.pos);
    this.pos += 8;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** UTF-8 with a uvarint byte-length prefix. */
  string(s: string): void {
    const n = s.length;
    // Short ASCII strings (the common case) skip the encoder.
    if (n < 128) {
      this.ensure(n + 1);
      const buf = this.buf;
      const start = this.pos;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + 1 + i] = c;
      }
      if (i === n) {
        buf[start] = n;
        this.pos = start + 1 + n;
        return;
      }
    }
    const len = Buffer.byteLength(s, 'utf8');
    this.uvarint(len);
    this.ensure(len);
    Buffer.from(this.buf.buffer, this.buf.byteOffset, this.buf.length).write(s, this.pos, len, 'utf8');
    this.pos += len;
  }
}

export class ByteReader {
  pos = 0;
  end: number;

  constructor(public buf: Uint8Array) {
    this.end = buf.length;
  }

  /** Reads bytes [start, end) of `buf` next: one reader serves many ranges, with no view made of each. */
  reset(buf: Uint8Array, start: number, end: number): void {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  byte(): number {
    if (this.pos >= this.end) throw truncated();
    return this.buf[this.pos++];
  }

  uvarint(): number {
    const buf = this.buf;
    let n = 0;
    let scale = 1;
    for (;;) {
      if (this.pos >= this.end) throw truncated();
      const b = buf[this.pos++];
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
    }
  }

  svarint(): number {
    const z = this.uvarint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  float64(): number {
    if (this.pos + 8 > this.end) throw truncated();
    f64Bytes.set(this.buf.subarray(this.pos, this.pos + 8));
    this.pos += 8;
    return f64[0];
  }

  bytes(n: number): Uint8Array {
    if (this.pos + n > this.end) throw truncated();
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  string(): string {
    const n = this.uvarint();
    if (this.pos + n > this.end) throw truncated();
    const buf = this.buf;
    const start = this.pos;
    this.pos += n;
    if (n < 64) {
      let ascii = true;
      for (let i = start; i < start + n; i++) if (buf[i] >= 0x80) { ascii = false; break; }
      if (ascii) return String.fromCharCode.apply(null, buf.subarray(start, start + n) as unknown as number[]);
    }
    return Buffer.from(buf.buffer, buf.byteOffset + start, n).toString('utf8');
  }
}

function truncated(): PgError {
  return new PgError('XX001', 'truncated continuous view key or state encoding');
}
