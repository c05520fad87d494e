// Cursor over the body of one frontend message. Every read is bounds-checked
// and fails with the message PostgreSQL's pqformat.c uses for the same
// violation; byte ranges are returned as subarrays, never copies.

import type { Severity } from '../errors.js';
import { decodeClientString } from './client-text.js';
import { ProtocolError } from './protocol-error.js';

export class BodyReader {
  pos = 0;

  /**
   * @param severity ERROR for messages of an established session (the
   *   session reports and continues), FATAL during authentication.
   */
  constructor(
    readonly buf: Buffer,
    private readonly severity: Severity = 'ERROR',
  ) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  fail(message: string): ProtocolError {
    return new ProtocolError(message, { severity: this.severity });
  }

  byte(): number {
    if (this.pos >= this.buf.length) throw this.fail('no data left in message');
    return this.buf[this.pos++]!;
  }

  /** Unsigned 16-bit, as pq_getmsgint(msg, 2) reads counts. */
  uint16(): number {
    const p = this.pos;
    if (p + 2 > this.buf.length) throw this.insufficient();
    this.pos = p + 2;
    return (this.buf[p]! << 8) | this.buf[p + 1]!;
  }

  /** Signed 16-bit (format codes). */
  int16(): number {
    const v = this.uint16();
    return v >= 0x8000 ? v - 0x10000 : v;
  }

  int32(): number {
    const p = this.pos;
    if (p + 4 > this.buf.length) throw this.insufficient();
    this.pos = p + 4;
    const b = this.buf;
    return (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
  }

  /** Unsigned 32-bit (OIDs). */
  uint32(): number {
    return this.int32() >>> 0;
  }

  /** `n` bytes as a subarray of the body. */
  bytes(n: number): Buffer {
    const p = this.pos;
    if (n < 0 || n > this.buf.length - p) throw this.insufficient();
    this.pos = p + n;
    return this.buf.subarray(p, p + n);
  }

  /** A NUL-terminated string, verified as UTF-8 (pq_getmsgstring). */
  cstring(): string {
    const p = this.pos;
    const buf = this.buf;
    if (p < buf.length && buf[p] === 0) {
      this.pos = p + 1;
      return '';
    }
    const nul = buf.indexOf(0, p);
    if (nul === -1) throw this.fail('invalid string in message');
    this.pos = nul + 1;
    return decodeClientString(buf, p, nul);
  }

  /** A NUL-terminated string taken as is, without encoding checks (pq_getmsgrawstring). */
  rawCstring(): string {
    const p = this.pos;
    const nul = this.buf.indexOf(0, p);
    if (nul === -1) throw this.fail('invalid string in message');
    this.pos = nul + 1;
    return this.buf.toString('utf8', p, nul);
  }

  /** Everything not read yet. */
  rest(): Buffer {
    const p = this.pos;
    this.pos = this.buf.length;
    return this.buf.subarray(p);
  }

  /** The body must be fully consumed (pq_getmsgend). */
  end(): void {
    if (this.pos !== this.buf.length) throw this.fail('invalid message format');
  }

  private insufficient(): ProtocolError {
    return this.fail('insufficient data left in message');
  }
}
