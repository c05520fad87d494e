// One session's side of LISTEN/NOTIFY: actions queued in the transaction and
// carried out at commit, and the inbox of notifications received, sent to
// the client when the session is idle and its socket can take them.
import { PgError, SQLSTATE } from '../errors.js';
import type { BackendOutput } from './backend-output.js';
import type { NotificationHub, NotificationTarget } from './notification-hub.js';

export type PendingNotification =
  | { kind: 'notify'; channel: string; payload: string }
  | { kind: 'listen' | 'unlisten'; channel: string }
  | { kind: 'unlistenAll' };

/** PostgreSQL's limits: a channel is a name (NAMEDATALEN - 1 bytes), a payload under 8000 bytes. */
const MAX_CHANNEL_BYTES = 63;
const MAX_PAYLOAD_BYTES = 7999;
/**
 * Bytes of notifications one session may hold unsent. PostgreSQL's NOTIFY
 * queue is bounded too: past it, NOTIFY fails rather than memory growing.
 */
const MAX_INBOX_BYTES = 32 * 1024 * 1024;

interface Received {
  senderPid: number;
  channel: string;
  payload: string;
}

export interface NotificationOwner extends NotificationTarget {
  readonly database: string;
  readonly out: BackendOutput;
  /** True outside a transaction block and between statements: notifications may be sent. */
  readonly idle: boolean;
}

export class SessionNotifications {
  private pending: PendingNotification[] = [];
  /** "channel\0payload" of the pending NOTIFYs, for PostgreSQL's folding of duplicates. */
  private pendingKeys = new Set<string>();
  private inbox: Received[] = [];
  private inboxBytes = 0;
  private closed = false;

  constructor(private readonly owner: NotificationOwner, private readonly hub: NotificationHub) {}

  /** NOTIFY / pg_notify: checked now, published when the transaction commits. */
  notify(channel: string, payload: string): void {
    if (channel === '') throw new PgError(SQLSTATE.invalid_parameter_value, 'channel name cannot be empty');
    if (Buffer.byteLength(channel) > MAX_CHANNEL_BYTES) throw new PgError(SQLSTATE.invalid_parameter_value, 'channel name too long');
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) throw new PgError(SQLSTATE.invalid_parameter_value, 'payload string too long');
    if (this.hub.anyListenerFull(this.owner.database, channel, MAX_INBOX_BYTES)) {
      throw new PgError(SQLSTATE.program_limit_exceeded, 'too many notifications in the NOTIFY queue');
    }
    const key = channel + '\u0000' + payload;
    if (this.pendingKeys.has(key)) return;
    this.pendingKeys.add(key);
    this.pending.push({ kind: 'notify', channel, payload });
  }

  /** LISTEN / UNLISTEN: take effect at commit. */
  queue(action: Exclude<PendingNotification, { kind: 'notify' }>): void {
    this.pending.push(action);
  }

  // --- transaction participation --------------------------------------------------

  savepoint(): number {
    return this.pending.length;
  }

  rollbackTo(mark: number): void {
    this.pending.length = mark;
    this.pendingKeys = new Set(this.pending.flatMap((a) => (a.kind === 'notify' ? [a.channel + '\u0000' + a.payload] : [])));
  }

  /** Carries out the transaction's actions (or drops them). */
  endTransaction(committed: boolean): void {
    const actions = this.pending;
    if (actions.length === 0) return;
    this.pending = [];
    this.pendingKeys.clear();
    if (!committed || this.closed) return;
    const db = this.owner.database;
    for (const a of actions) {
      if (a.kind === 'notify') this.hub.publish(this.owner.pid, db, a.channel, a.payload);
      else if (a.kind === 'listen') this.hub.listen(this.owner, db, a.channel);
      else if (a.kind === 'unlisten') this.hub.unlisten(this.owner, db, a.channel);
      else this.hub.unlistenAll(this.owner);
    }
  }

  // --- receiving ------------------------------------------------------------------

  get unsentBytes(): number {
    return this.inboxBytes;
  }

  receive(senderPid: number, channel: string, payload: string): void {
    if (this.closed) return;
    this.inbox.push({ senderPid, channel, payload });
    this.inboxBytes += channel.length + payload.length + 16;
    if (this.owner.idle) this.send(true);
  }

  /**
   * Writes received notifications while the socket takes them (the rest wait
   * for 'drain'); `flush` hands them to the socket at once (idle session).
   */
  send(flush: boolean): void {
    const { out } = this.owner;
    let i = 0;
    for (; i < this.inbox.length && !out.mustWait; i++) {
      const n = this.inbox[i]!;
      out.notificationResponse(n.senderPid, n.channel, n.payload);
      this.inboxBytes -= n.channel.length + n.payload.length + 16;
      if (flush && i % 256 === 255) out.flush();
    }
    this.inbox = i === this.inbox.length ? [] : this.inbox.slice(i);
    if (flush && i > 0) out.flush();
  }

  /** The client is gone: forget everything and stop listening. */
  close(): void {
    this.closed = true;
    this.pending = [];
    this.pendingKeys.clear();
    this.inbox = [];
    this.inboxBytes = 0;
    this.hub.unlistenAll(this.owner);
  }
}
