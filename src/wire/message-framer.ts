// Splits the client byte stream into messages.
//
// Chunks are kept as received. A message lying inside one chunk is returned
// as a subarray of it (no copy); one spanning chunks is copied exactly once,
// when its last byte has arrived, so a large message delivered in many
// small chunks costs O(size), not O(size^2).
//
// Length checks follow PostgreSQL: the type byte is checked as soon as it
// arrives (unknown -> FATAL "invalid frontend message type N"), the length
// word as soon as it is complete (bad -> "invalid message length", which
// PostgreSQL only logs before closing the connection).

import { MAX_STARTUP_PACKET_BODY } from './startup-packet.js';
import { invalidMessageType, ProtocolError } from './protocol-error.js';

/** PostgreSQL's PQ_LARGE_MESSAGE_LIMIT (MaxAllocSize - 1). */
export const LARGE_MESSAGE_LIMIT = 0x3ffffffe;
/** PostgreSQL's PQ_SMALL_MESSAGE_LIMIT, for messages that never carry much. */
export const SMALL_MESSAGE_LIMIT = 10000;
/** PostgreSQL's PG_MAX_AUTH_TOKEN_LENGTH, for 'p' messages. */
export const AUTH_MESSAGE_LIMIT = 65535;

export type FramerMode = 'startup' | 'normal';

export interface FramedMessage {
  /** Type byte; 0 for startup-mode packets, which have none. */
  type: number;
  /** Message body without type and length word. */
  body: Buffer;
}

export interface MessageFramerOptions {
  /** Initial mode; default 'startup'. */
  mode?: FramerMode;
  /** Limit (length word included) for large message types; default LARGE_MESSAGE_LIMIT. */
  maxMessageLength?: number;
}

const LARGE_TYPES = 'QFBPd';
const SMALL_TYPES = 'XCDEHScf';

export class MessageFramer {
  /** Switch to 'normal' once the StartupMessage has been read. */
  mode: FramerMode;
  /** Per type byte: max length including the length word, or -1 if unknown. */
  private readonly limits = new Int32Array(256).fill(-1);
  private chunks: Buffer[] = [];
  /** Read offset into chunks[0]. */
  private head = 0;
  /** Unconsumed bytes across all chunks. */
  private avail = 0;

  constructor(options: MessageFramerOptions = {}) {
    this.mode = options.mode ?? 'startup';
    const large = options.maxMessageLength ?? LARGE_MESSAGE_LIMIT;
    if (!(large >= 4 && large <= LARGE_MESSAGE_LIMIT)) throw new RangeError('maxMessageLength out of range');
    for (let i = 0; i < LARGE_TYPES.length; i++) this.limits[LARGE_TYPES.charCodeAt(i)] = large;
    for (let i = 0; i < SMALL_TYPES.length; i++) this.limits[SMALL_TYPES.charCodeAt(i)] = Math.min(SMALL_MESSAGE_LIMIT, large);
    this.limits[0x70] = Math.min(AUTH_MESSAGE_LIMIT, large); // p
  }

  /** Bytes received and not yet returned inside a message. */
  get buffered(): number {
    return this.avail;
  }

  /**
   * The type byte of the next message without consuming or validating it,
   * or -1 if nothing is buffered. PostgreSQL judges some states by the type
   * byte alone, before the length ("expected password response, got message
   * type N" during authentication, "unexpected message type 0x.. during
   * COPY from stdin").
   */
  peekType(): number {
    return this.avail === 0 ? -1 : this.chunks[0]![this.head]!;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.avail += chunk.length;
  }

  /** The next complete message, or null until more bytes arrive. Throws ProtocolError. */
  read(): FramedMessage | null {
    if (this.avail === 0) return null;
    return this.mode === 'normal' ? this.readTyped() : this.readStartup();
  }

  [Symbol.iterator](): Iterator<FramedMessage> {
    return {
      next: (): IteratorResult<FramedMessage> => {
        const m = this.read();
        return m === null ? { done: true, value: undefined } : { done: false, value: m };
      },
    };
  }

  private readTyped(): FramedMessage | null {
    const first = this.chunks[0]!;
    const h = this.head;
    const type = first[h]!;
    const limit = this.limits[type]!;
    if (limit < 0) throw invalidMessageType(type);
    if (this.avail < 5) return null;
    const len = first.length - h >= 5 ? first.readInt32BE(h + 1) : this.int32At(1);
    if (len < 4 || len > limit) throw new ProtocolError('invalid message length', { reportToClient: false });
    const total = len + 1;
    if (this.avail < total) return null;
    if (first.length - h >= total) {
      this.advanceInFirst(total);
      return { type, body: first.subarray(h + 5, h + total) };
    }
    return { type, body: this.takeSpanning(5, len - 4) };
  }

  private readStartup(): FramedMessage | null {
    if (this.avail < 4) return null;
    const first = this.chunks[0]!;
    const h = this.head;
    const len = first.length - h >= 4 ? first.readInt32BE(h) : this.int32At(0);
    if (len < 8 || len - 4 > MAX_STARTUP_PACKET_BODY) {
      throw new ProtocolError('invalid length of startup packet', { reportToClient: false });
    }
    if (this.avail < len) return null;
    if (first.length - h >= len) {
      this.advanceInFirst(len);
      return { type: 0, body: first.subarray(h + 4, h + len) };
    }
    return { type: 0, body: this.takeSpanning(4, len - 4) };
  }

  /** Consumes n bytes known to lie in chunks[0]. */
  private advanceInFirst(n: number): void {
    this.head += n;
    this.avail -= n;
    if (this.head === this.chunks[0]!.length) {
      this.chunks.shift();
      this.head = 0;
    }
  }

  /** Big-endian int32 at `offset` from the read position, across chunks. */
  private int32At(offset: number): number {
    let v = 0;
    let ci = 0;
    let p = this.head + offset;
    for (let k = 0; k < 4; k++) {
      while (p >= this.chunks[ci]!.length) {
        p -= this.chunks[ci]!.length;
        ci++;
      }
      v = (v << 8) | this.chunks[ci]![p]!;
      p++;
    }
    return v;
  }

  /** Skips `skip` header bytes, then copies out and consumes `n` body bytes. */
  private takeSpanning(skip: number, n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    const chunks = this.chunks;
    let ci = 0;
    let p = this.head + skip;
    while (ci < chunks.length && p >= chunks[ci]!.length) {
      p -= chunks[ci]!.length;
      ci++;
    }
    let filled = 0;
    while (filled < n) {
      const c = chunks[ci]!;
      const take = Math.min(c.length - p, n - filled);
      out.set(c.subarray(p, p + take), filled);
      filled += take;
      p += take;
      if (p === c.length) {
        ci++;
        p = 0;
      }
    }
    // Drop the fully consumed chunks in one splice.
    if (ci > 0) chunks.splice(0, ci);
    this.head = p;
    this.avail -= skip + n;
    return out;
  }
}
