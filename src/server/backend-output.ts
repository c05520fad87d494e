// A connection's outgoing side: backend messages are appended to one Writer
// and handed to the socket in batches (on flush), so pipelined queries cost
// one write syscall per batch rather than per message. Tracks socket
// backpressure so a client that stops reading does not grow memory unbounded.
import type { Socket } from 'node:net';
import * as msg from '../wire/backend-messages.js';
import { Writer } from '../wire/buffer-writer.js';
import { typeByOid } from '../types/oids.js';
import type { PgError } from '../errors.js';
import { TEXT_BY_STRING, TEXT_INTEGER, type RowEncoder } from './row-encoder.js';
import { MAX_QUOTIENT_TEXT } from '../types/numeric.js';
import { Numeric } from '../types/values.js';
import type { ResultColumn } from './statement-plan.js';

/** Past this many buffered bytes a flush happens even mid-result. */
const FLUSH_THRESHOLD = 64 * 1024;

const DATA_ROW = 0x44; // 'D'
const COPY_DATA = 0x64; // 'd'

export class BackendOutput {
  private readonly w = new Writer();
  private blocked = false;
  private drainWaiters: (() => void)[] = [];

  constructor(private socket: Socket) {}

  setSocket(socket: Socket): void {
    this.socket = socket;
  }

  // --- flushing ----------------------------------------------------------------

  flush(): void {
    if (this.w.length === 0 || this.socket.destroyed) {
      if (this.socket.destroyed) this.w.take();
      return;
    }
    if (!this.socket.write(this.w.take())) this.blocked = true;
  }

  /** True when the socket's buffer is full: the caller should waitForDrain() before producing more. */
  get mustWait(): boolean {
    return this.blocked && !this.socket.destroyed;
  }

  waitForDrain(): Promise<void> {
    if (!this.mustWait) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  async flushAndWait(): Promise<void> {
    this.flush();
    await this.waitForDrain();
  }

  /** The socket is gone: wake anything waiting for it to drain; later output is dropped. */
  abandon(): void {
    this.w.truncate(0);
    this.drained();
  }

  /** The socket's 'drain' event. */
  drained(): void {
    this.blocked = false;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }

  private maybeFlush(): void {
    if (this.w.length >= FLUSH_THRESHOLD) this.flush();
  }

  // --- startup and authentication -------------------------------------------------

  /** Drops whatever was buffered and not yet sent (after an internal error mid-message). */
  reset(): void {
    this.w.truncate(0);
  }

  sslResponse(accept: boolean): void {
    msg.sslResponse(this.w, accept);
  }
  gssEncResponse(accept: boolean): void {
    msg.gssEncResponse(this.w, accept);
  }
  negotiateProtocolVersion(minor: number, options: string[]): void {
    msg.negotiateProtocolVersion(this.w, minor, options);
  }
  authenticationOk(): void {
    msg.authenticationOk(this.w);
  }
  authenticationCleartextPassword(): void {
    msg.authenticationCleartextPassword(this.w);
  }
  authenticationMD5Password(salt: Uint8Array): void {
    msg.authenticationMD5Password(this.w, salt);
  }
  authenticationSASL(mechanisms: readonly string[]): void {
    msg.authenticationSASL(this.w, mechanisms);
  }
  authenticationSASLContinue(data: Uint8Array): void {
    msg.authenticationSASLContinue(this.w, data);
  }
  authenticationSASLFinal(data: Uint8Array): void {
    msg.authenticationSASLFinal(this.w, data);
  }
  parameterStatus(name: string, value: string): void {
    msg.parameterStatus(this.w, name, value);
  }
  backendKeyData(pid: number, key: number): void {
    msg.backendKeyData(this.w, pid, key);
  }

  // --- query results ---------------------------------------------------------------

  readyForQuery(status: 'I' | 'T' | 'E'): void {
    msg.readyForQuery(this.w, status);
  }

  rowDescription(columns: readonly ResultColumn[], formats: readonly number[]): void {
    // A prepared statement's result columns are described again with every
    // execution (libpq's Describe portal): their all-text message is encoded once.
    if (formats.every((f) => f === 0)) {
      let bytes = textRowDescriptions.get(columns);
      if (!bytes) {
        const w = new Writer(256);
        writeRowDescription(w, columns, formats);
        bytes = Uint8Array.from(w.take());
        textRowDescriptions.set(columns, bytes);
      }
      this.w.bytes(bytes);
      return;
    }
    writeRowDescription(this.w, columns, formats);
  }

  /** Encodes and writes one row straight into the output buffer. */
  dataRow(row: unknown[], encoder: RowEncoder): void {
    const w = this.w;
    const mark = w.length;
    const n = encoder.width;
    try {
      w.startMessage(DATA_ROW).int16(n);
      const kinds = encoder.textKinds;
      for (let i = 0; i < n; i++) {
        const kind = kinds[i]!;
        const raw = row[i];
        if (kind !== TEXT_BY_STRING && raw !== null && raw !== undefined) {
          if (kind === TEXT_INTEGER) {
            w.lengthPrefixedInteger(raw as number | bigint);
            continue;
          }
          if (raw instanceof Numeric && w.lengthPrefixedAsciiText(raw, MAX_QUOTIENT_TEXT)) continue;
        }
        const v = encoder.encode(row, i);
        if (v === null) w.int32(-1);
        else if (typeof v === 'string') w.lengthPrefixedString(v);
        else w.lengthPrefixedBytes(v);
      }
      w.endMessage();
    } catch (e) {
      w.truncate(mark);
      throw e;
    }
    this.maybeFlush();
  }

  commandComplete(tag: string): void {
    msg.commandComplete(this.w, tag);
  }
  emptyQueryResponse(): void {
    msg.emptyQueryResponse(this.w);
  }
  error(err: PgError): void {
    msg.errorResponse(this.w, err);
  }
  notice(err: PgError): void {
    msg.noticeResponse(this.w, err);
  }
  /** The version-2 error format, for a client that asked for protocol 1.x or 2.x. */
  protocol2Error(err: PgError): void {
    msg.protocol2ErrorResponse(this.w, err);
  }
  parseComplete(): void {
    msg.parseComplete(this.w);
  }
  bindComplete(): void {
    msg.bindComplete(this.w);
  }
  closeComplete(): void {
    msg.closeComplete(this.w);
  }
  noData(): void {
    msg.noData(this.w);
  }
  parameterDescription(oids: readonly number[]): void {
    msg.parameterDescription(this.w, oids);
  }
  portalSuspended(): void {
    msg.portalSuspended(this.w);
  }
  notificationResponse(pid: number, channel: string, payload: string): void {
    msg.notificationResponse(this.w, pid, channel, payload);
  }

  // --- COPY --------------------------------------------------------------------------

  copyInResponse(format: number, columnFormats: readonly number[]): void {
    msg.copyInResponse(this.w, format, columnFormats);
  }
  copyOutResponse(format: number, columnFormats: readonly number[]): void {
    msg.copyOutResponse(this.w, format, columnFormats);
  }
  /** One CopyData message holding a line of COPY text, encoded straight into the buffer. */
  copyDataText(line: string): void {
    this.w.startMessage(COPY_DATA).utf8(line).endMessage();
    this.maybeFlush();
  }
  copyDone(): void {
    msg.copyDone(this.w);
  }
}

/** Encoded all-text RowDescription messages by result column list (see rowDescription). */
const textRowDescriptions = new WeakMap<readonly ResultColumn[], Uint8Array>();

function writeRowDescription(w: Writer, columns: readonly ResultColumn[], formats: readonly number[]): void {
  msg.rowDescription(
    w,
    columns.map((c, i) => ({
      name: c.name,
      tableOid: c.tableOid,
      columnAttr: c.columnAttr,
      typeOid: c.typeOid,
      typeLen: typeByOid(c.typeOid)?.len ?? -1,
      typeMod: c.typmod,
      format: formats[i] ?? 0,
    })),
  );
}
