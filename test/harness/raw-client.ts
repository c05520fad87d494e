// A minimal PostgreSQL wire-protocol client for protocol-level tests: it
// writes frontend messages byte for byte (pg-protocol's serializer or raw
// buffers) and hands back every backend message parsed by pg-protocol.
import { connect, type Socket } from 'node:net';
import { serialize } from 'pg-protocol';
import { Parser } from 'pg-protocol/dist/parser.js';
import type { BackendMessage } from 'pg-protocol/dist/messages.js';
import { Wakeup } from './wait.js';

/** A parsed backend message; fields depend on `name` (see pg-protocol's messages.d.ts). */
export type Msg = BackendMessage & Record<string, any>;

/** Frontend message builders (pg-protocol's serializer). */
export const frontend = serialize;

/** A typed frontend message: type byte, int32 length (body + 4), body. */
export function rawMessage(type: string | number, body: Buffer = Buffer.alloc(0)): Buffer {
  return rawMessageWithLength(type, body.length + 4, body);
}

/** Like rawMessage but with an arbitrary (possibly lying) length field. */
export function rawMessageWithLength(type: string | number, length: number, body: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(5);
  head[0] = typeof type === 'number' ? type : type.charCodeAt(0);
  head.writeInt32BE(length | 0, 1);
  return Buffer.concat([head, body]);
}

/** A NUL-terminated string as the protocol encodes it. */
export function cstring(s: string): Buffer {
  return Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])]);
}

const EMPTY = Buffer.alloc(0);

/**
 * DataRow with each value both as text (`fields`, like pg-protocol) and as
 * exact bytes (`buffers`): pg-protocol decodes every value as UTF-8, which
 * mangles binary-format values.
 */
function parseDataRow(frame: Buffer): Msg {
  const count = frame.readInt16BE(5);
  const fields: (string | null)[] = new Array(count);
  const buffers: (Buffer | null)[] = new Array(count);
  let off = 7;
  for (let i = 0; i < count; i++) {
    const len = frame.readInt32BE(off);
    off += 4;
    if (len === -1) {
      fields[i] = null;
      buffers[i] = null;
    } else {
      const bytes = frame.subarray(off, off + len);
      off += len;
      buffers[i] = bytes;
      fields[i] = bytes.toString('utf8');
    }
  }
  return { name: 'dataRow', length: frame.length - 1, fieldCount: count, fields, buffers } as unknown as Msg;
}

export class RawClient {
  readonly socket: Socket;
  private readonly parser = new Parser();
  private readonly queue: Msg[] = [];
  private pending: Buffer = EMPTY;
  private readonly arrived = new Wakeup();
  private pendingByte: ((b: number) => void) | null = null;
  private _closed = false;
  /** Resolves when the server (or we) closed the connection. */
  readonly closed: Promise<void>;

  private constructor(socket: Socket) {
    this.socket = socket;
    this.closed = new Promise((resolve) => socket.once('close', () => {
      this._closed = true;
      this.arrived.wake();
      resolve();
    }));
    socket.on('error', () => {}); // resets are expected in protocol tests; 'close' follows
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  static connect(port: number, host = '127.0.0.1', timeoutMs = 10_000): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const sock = connect({ host, port });
      sock.setNoDelay(true);
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new Error(`connect to ${host}:${port} timed out`));
      }, timeoutMs);
      sock.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      sock.once('connect', () => {
        clearTimeout(timer);
        resolve(new RawClient(sock));
      });
    });
  }

  /** A client over a socket that is already connected, e.g. a tls.TLSSocket after an SSLRequest answered 'S'. */
  static wrap(socket: Socket): RawClient {
    return new RawClient(socket);
  }

  get isClosed(): boolean {
    return this._closed;
  }

  private onData(chunk: Buffer): void {
    if (this.pendingByte) {
      // Answer to SSLRequest / GSSENCRequest: one bare byte, not a message.
      const cb = this.pendingByte;
      this.pendingByte = null;
      cb(chunk[0]);
      chunk = chunk.subarray(1);
      if (chunk.length === 0) return;
    }
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let off = 0;
    while (this.pending.length - off >= 5) {
      const len = this.pending.readInt32BE(off + 1);
      if (len < 4) {
        // Not a protocol stream (the server misbehaved): surface it and stop parsing.
        this.queue.push({ name: 'error', length: len, message: `bad backend message length ${len}` } as unknown as Msg);
        off = this.pending.length;
        break;
      }
      if (this.pending.length - off < len + 1) break;
      const frame = this.pending.subarray(off, off + len + 1);
      off += len + 1;
      if (frame[0] === 0x44 /* D */) this.queue.push(parseDataRow(frame));
      else this.parser.parse(frame, (msg) => this.queue.push(msg as Msg));
    }
    this.pending = off === this.pending.length ? EMPTY : this.pending.subarray(off);
    this.arrived.wake();
  }

  /** Writes bytes (false if the socket is already gone). */
  write(...bufs: Buffer[]): boolean {
    if (this._closed || this.socket.destroyed) return false;
    this.socket.write(bufs.length === 1 ? bufs[0] : Buffer.concat(bufs));
    return true;
  }

  /** Writes bytes split at the given chunk sizes, as separate socket writes with a tick between them. */
  async writeChunked(buf: Buffer, chunkSizes: number[]): Promise<void> {
    let off = 0;
    for (let i = 0; off < buf.length; i++) {
      const n = Math.max(1, chunkSizes[i % chunkSizes.length]);
      if (!this.write(buf.subarray(off, off + n))) return;
      off += n;
      await new Promise((r) => setImmediate(r));
    }
  }

  /** Sends SSLRequest and returns the server's one-byte answer ('N' or 'S'). */
  requestSsl(timeoutMs = 10_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer to SSLRequest')), timeoutMs);
      this.pendingByte = (b) => {
        clearTimeout(timer);
        resolve(String.fromCharCode(b));
      };
      this.closed.then(() => {
        clearTimeout(timer);
        reject(new Error('connection closed before the SSLRequest answer'));
      });
      this.write(frontend.requestSsl());
    });
  }

  /** The next backend message; rejects when the connection closes first or on timeout. */
  async next(timeoutMs = 10_000): Promise<Msg> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.queue.shift();
      if (m) return m;
      if (this._closed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no backend message within ${timeoutMs} ms`);
      await this.arrived.wait(left);
    }
  }

  /** Messages up to and including the first one named `name`. */
  async until(name: string, timeoutMs = 10_000): Promise<Msg[]> {
    const got: Msg[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let m: Msg;
      try {
        m = await this.next(Math.max(1, deadline - Date.now()));
      } catch (e) {
        throw new Error(`${(e as Error).message} while waiting for ${name}; got: ${names(got).join(', ')}`);
      }
      got.push(m);
      if (m.name === name) return got;
    }
  }

  /** Messages through the next ReadyForQuery. */
  readyForQuery(timeoutMs = 10_000): Promise<Msg[]> {
    return this.until('readyForQuery', timeoutMs);
  }

  /** Every message until the server closes the connection (rejects on timeout). */
  async untilClosed(timeoutMs = 10_000): Promise<Msg[]> {
    const got: Msg[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        got.push(await this.next(Math.max(1, deadline - Date.now())));
      } catch (e) {
        if (this._closed && this.queue.length === 0) return got;
        throw new Error(`${(e as Error).message} while waiting for the server to close; got: ${names(got).join(', ')}`);
      }
    }
  }

  /** StartupMessage as `user` on `database`, trust auth only; returns the messages through ReadyForQuery. */
  async startup(user = 'postgres', database = 'postgres', extra: Record<string, string> = {}): Promise<Msg[]> {
    this.write(frontend.startup({ user, database, ...extra }));
    const msgs = await this.readyForQuery();
    const err = msgs.find((m) => m.name === 'error');
    if (err) throw new Error(`startup failed: ${err.code} ${err.message}`);
    return msgs;
  }

  /** Simple Query; returns the messages through ReadyForQuery. */
  query(sql: string, timeoutMs = 10_000): Promise<Msg[]> {
    this.write(frontend.query(sql));
    return this.readyForQuery(timeoutMs);
  }

  /** Sends Terminate and closes our side. */
  async terminate(): Promise<void> {
    this.write(frontend.end());
    this.socket.end();
    await this.closed;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Message names, handy in assertion messages and deepEqual on sequences. */
export function names(msgs: Msg[]): string[] {
  return msgs.map((m) => m.name);
}

/** Text values of the DataRow messages in a message list. */
export function rows(msgs: Msg[]): (string | null)[][] {
  return msgs.filter((m) => m.name === 'dataRow').map((m) => m.fields as (string | null)[]);
}

/** Sends a CancelRequest for (pid, secret) on a fresh connection and waits for the server to close it. */
export async function sendCancelRequest(port: number, processId: number, secretKey: number, host = '127.0.0.1'): Promise<void> {
  const c = await RawClient.connect(port, host);
  c.write(frontend.cancel(processId, secretKey));
  await c.untilClosed();
}
