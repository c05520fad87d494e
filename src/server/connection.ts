// One client connection: reads and frames bytes, runs the startup handshake
// (SSL/GSSENC negotiation, CancelRequest, StartupMessage, authentication via
// login.ts), then feeds decoded messages to the session strictly in order.
// Replies are buffered and flushed when the input runs dry, on Flush, or
// before a wait. Whatever goes wrong ends this connection only: malformed
// input gets a FATAL error, an unexpected exception a FATAL XX000.
import type { Socket } from 'node:net';
import tls from 'node:tls';
import { PgError, SQLSTATE, toPgError } from '../errors.js';
import { MessageFramer } from '../wire/message-framer.js';
import { decodeFrontendMessage, FrontendType, type FrontendMessage } from '../wire/frontend-messages.js';
import { decodeStartupPacket, type StartupMessage } from '../wire/startup-packet.js';
import { ProtocolError } from '../wire/protocol-error.js';
import { SessionSettings } from '../config/settings.js';
import { BackendOutput } from './backend-output.js';
import { Session } from './session.js';
import type { ServerContext } from './server-context.js';
import type { HbaState } from './hba-state.js';
import type { TlsSetup, TlsState } from './tls-state.js';
import { Login, type LoginResult } from './login.js';
import { runSimpleQuery } from './simple-query.js';
import { handleBind, handleClose, handleDescribe, handleExecute, handleParse, handleSync } from './extended-query.js';

type Phase = 'startup' | 'auth' | 'ready' | 'closed';

/** A framing or decoding failure, handled in order after the messages before it. */
interface InputFault {
  readonly type: 'InputFault';
  error: unknown;
  /** Bad text encoding in a well-framed message: an ordinary ERROR, the session goes on. */
  recoverable: boolean;
  /** The type byte of the message that failed to decode. */
  messageType: number;
}
type QueuedMessage = FrontendMessage | InputFault;

export interface ConnectionOptions {
  server: ServerContext;
  hba: HbaState;
  /** The TLS setup in force (none when ssl = off). */
  tls: TlsState;
  /** Salts the fake SCRAM exchange of roles that do not exist. */
  mockAuthNonce: Buffer;
  /** The server refuses new sessions while shutting down. */
  acceptingSessions: () => boolean;
  onClose: (c: Connection) => void;
}

/** Messages handled before the loop yields to other connections. */
const MESSAGES_PER_TICK = 256;
/** Decoded messages (or their bytes) waiting beyond these stop reading from the socket until the loop catches up. */
const MAX_QUEUED_MESSAGES = 1024;
const MAX_QUEUED_BYTES = 8 * 1024 * 1024;
/** A fast or immediate shutdown waits this long for a terminated client's socket to drain. */
const TERMINATE_GRACE_MS = 200;

export class Connection {
  private socket: Socket;
  /** Captured at accept: after a reset the socket may no longer know it. */
  readonly remoteAddress: string;
  private framer = new MessageFramer({ mode: 'startup' });
  private phase: Phase = 'startup';
  private readonly out: BackendOutput;
  private queue: QueuedMessage[] = [];
  /** Body sizes of the queued messages, parallel to `queue`, for the byte bound. */
  private queueSizes: number[] = [];
  private queuedBytes = 0;
  private queueHead = 0;
  /** A running statement waiting for the next message (COPY FROM STDIN). */
  private messageWaiter: { resolve: (m: FrontendMessage) => void; reject: (e: unknown) => void } | null = null;
  private inputBroken = false;
  private readingPaused = false;
  private pumping = false;
  private skipUntilSync = false;
  private ssl = false;
  /** The certificate this connection's TLS session uses, for SCRAM channel binding. */
  private certificateHash: Buffer | null = null;
  private login: Login | null = null;
  session: Session | null = null;
  private authTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;

  /** `remoteAddress` is the peer's address, read at accept (server.ts refuses sockets without one). */
  constructor(socket: Socket, remoteAddress: string, private readonly opts: ConnectionOptions) {
    this.socket = socket;
    this.remoteAddress = remoteAddress;
    this.out = new BackendOutput(socket);
    socket.setNoDelay(true);
    this.attach(socket);
    const timeoutSeconds = opts.server.settings.getNumber('authentication_timeout');
    this.authTimer = setTimeout(() => this.authenticationTimedOut(), timeoutSeconds * 1000);
  }

  /** Ends the connection with a FATAL error (shutdown, pg_terminate_backend, timeouts). */
  terminateWith(error: PgError, immediate = false): void {
    if (this.phase === 'closed') return;
    this.out.error(error);
    this.close();
    // A client that stopped reading must not hold the server up.
    if (immediate) this.destroy();
    else setTimeout(() => this.destroy(), TERMINATE_GRACE_MS).unref();
  }

  close(): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    this.clearTimers();
    this.out.flush();
    this.socket.end();
    this.socket.destroySoon?.();
    this.queue = [];
    this.queueSizes = [];
    this.queuedBytes = 0;
    this.out.abandon();
    this.serveWaiter();
    const session = this.session;
    if (session) {
      // Its client is gone: stop the running statement; nothing it queues may outlive it.
      session.close();
      const { server } = this.opts;
      server.backends.remove(session.pid);
      if (server.settings.getBoolean('log_disconnections')) {
        server.log.log({ backend_pid: session.pid, user: session.user, database: session.database, host: this.remoteAddress }, 'disconnection');
      }
    }
    this.opts.onClose(this);
  }

  private destroy(): void {
    this.socket.destroy();
    if (this.phase !== 'closed') this.close();
  }

  // --- input -----------------------------------------------------------------

  private attach(socket: Socket): void {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
    socket.on('drain', () => this.onDrain());
  }

  private onDrain(): void {
    this.out.drained();
    this.session?.flushNotifications();
    this.maybeResumeReading();
  }

  private onData(chunk: Buffer): void {
    if (this.phase === 'closed' || this.inputBroken) return;
    try {
      this.framer.push(chunk);
      for (;;) {
        // Before login only password messages are read, judged by their type byte before
        // their body is buffered (their length is capped far below other messages').
        if (this.phase === 'auth' && this.framer.peekType() !== -1 && this.framer.peekType() !== FrontendType.AuthResponse) {
          throw new ProtocolError(`expected password response, got message type ${this.framer.peekType()}`);
        }
        const m = this.framer.read();
        if (m === null) break;
        if (this.phase === 'startup') {
          // Startup packets are handled at once: they change how later bytes are framed.
          this.onStartupPacket(m.body);
          if ((this.phase as Phase) === 'closed') return;
          continue;
        }
        this.queuedBytes += m.body.length;
        this.queueSizes.push(m.body.length);
        try {
          this.queue.push(decodeFrontendMessage(m.type, m.body));
        } catch (e) {
          const recoverable = e instanceof PgError && e.code === SQLSTATE.character_not_in_repertoire;
          this.queue.push({ type: 'InputFault', error: e, recoverable, messageType: m.type });
          if (!recoverable) {
            // Framing is lost: nothing after this point can be trusted.
            this.inputBroken = true;
            break;
          }
        }
      }
    } catch (e) {
      if (this.phase === 'startup' || this.phase === 'auth') {
        this.fatal(e);
        return;
      }
      this.inputBroken = true;
      this.queue.push({ type: 'InputFault', error: e, recoverable: false, messageType: -1 });
      this.queueSizes.push(0);
    }
    if (!this.readingPaused && (this.queue.length - this.queueHead > MAX_QUEUED_MESSAGES || this.queuedBytes > MAX_QUEUED_BYTES)) {
      this.readingPaused = true;
      this.socket.pause();
    }
    if (this.messageWaiter) this.serveWaiter();
    if (!this.pumping) void this.pump();
  }

  /**
   * The next queued message for the statement that is running (COPY FROM
   * STDIN), ahead of the message loop. A decoding fault is left in the queue
   * for the loop, and the statement fails with a protocol error.
   */
  private takeMessage(): Promise<FrontendMessage> {
    return new Promise((resolve, reject) => {
      this.messageWaiter = { resolve, reject };
      this.serveWaiter();
    });
  }

  private serveWaiter(): void {
    const waiter = this.messageWaiter;
    if (!waiter) return;
    if (this.phase === 'closed') {
      this.messageWaiter = null;
      waiter.reject(new PgError(SQLSTATE.connection_exception, 'connection to client lost'));
      return;
    }
    if (this.queueHead >= this.queue.length) {
      this.maybeResumeReading();
      return;
    }
    const next = this.queue[this.queueHead]!;
    this.messageWaiter = null;
    if (next.type === 'InputFault') {
      waiter.reject(new PgError(SQLSTATE.protocol_violation, 'invalid message during COPY from stdin'));
      return;
    }
    this.queuedBytes -= this.queueSizes[this.queueHead]!;
    this.queueHead++;
    // A COPY reads all its CopyData here while pump() waits on it: drop the served ones as it goes.
    this.compactQueue();
    waiter.resolve(next);
  }

  private maybeResumeReading(): void {
    if (!this.readingPaused || this.phase === 'closed' || this.out.mustWait) return;
    if (this.queue.length - this.queueHead > MAX_QUEUED_MESSAGES / 2 || this.queuedBytes > MAX_QUEUED_BYTES / 2) return;
    this.readingPaused = false;
    this.socket.resume();
  }

  /** Ends the connection for bad input: the byte stream can no longer be trusted. */
  private fatal(e: unknown): void {
    const err = toPgError(e);
    err.severity = 'FATAL';
    if (err instanceof ProtocolError && err.protocol2Format) this.out.protocol2Error(err);
    else if (!(err instanceof ProtocolError) || err.reportToClient) this.out.error(err);
    this.close();
  }

  // --- startup ---------------------------------------------------------------

  private onStartupPacket(body: Buffer): void {
    const packet = decodeStartupPacket(body);
    switch (packet.type) {
      case 'SSLRequest': {
        const setup = this.opts.tls.current();
        if (setup && !this.ssl) {
          this.out.sslResponse(true);
          this.out.flush();
          if (this.framer.buffered > 0) throw new ProtocolError('received unencrypted data after SSL request');
          this.upgradeToTls(setup);
        } else {
          this.out.sslResponse(false);
          this.out.flush();
        }
        return;
      }
      case 'GSSENCRequest':
        this.out.gssEncResponse(false);
        this.out.flush();
        return;
      case 'CancelRequest':
        this.opts.server.backends.cancelRequest(packet.processId, packet.secretKey);
        this.close();
        return;
      case 'StartupMessage':
        this.framer.mode = 'normal';
        this.phase = 'auth';
        this.startLogin(packet);
        return;
    }
  }

  private upgradeToTls(setup: TlsSetup): void {
    const raw = this.socket;
    raw.removeAllListeners('data');
    raw.removeAllListeners('drain');
    this.certificateHash = setup.certificateHash;
    const secure = new tls.TLSSocket(raw, { isServer: true, secureContext: setup.context });
    this.socket = secure;
    this.ssl = true;
    this.out.setSocket(secure);
    this.framer = new MessageFramer({ mode: 'startup' });
    secure.on('data', (chunk: Buffer) => this.onData(chunk));
    secure.on('drain', () => this.onDrain());
    secure.on('error', () => this.close());
  }

  private startLogin(packet: StartupMessage): void {
    if (packet.minorVersion > 0 || packet.unrecognizedOptions.length > 0) {
      this.out.negotiateProtocolVersion(0, packet.unrecognizedOptions);
    }
    this.login = new Login({
      server: this.opts.server,
      hba: this.opts.hba,
      out: this.out,
      remoteAddress: this.remoteAddress,
      ssl: this.ssl,
      certificateHash: this.certificateHash,
      mockAuthNonce: this.opts.mockAuthNonce,
      acceptingSessions: this.opts.acceptingSessions(),
    });
    const result = this.login.start(packet.parameters);
    if (result) this.startSession(result);
    else this.out.flush();
  }

  private onAuthMessage(msg: FrontendMessage): void {
    if (msg.type !== 'AuthResponse') {
      throw new ProtocolError(`expected password response, got message type ${FrontendType[msg.type]}`);
    }
    const result = this.login!.answer(msg.body);
    if (result) this.startSession(result);
    else this.out.flush();
  }

  private authenticationTimedOut(): void {
    this.authTimer = null;
    if (this.phase === 'startup' || this.phase === 'auth') {
      this.terminateWith(new PgError(SQLSTATE.query_canceled, 'canceling authentication due to timeout', { severity: 'FATAL' }), true);
    }
  }

  private startSession(login: LoginResult): void {
    const { server } = this.opts;
    const { role, db } = login;
    this.login = null;
    if (this.authTimer) clearTimeout(this.authTimer);
    this.authTimer = null;
    const settings = SessionSettings.forStartup(server.settings, login.params, { superuser: role.superuser, sessionUser: role.name });
    const { pid, secretKey } = server.backends.allocate();
    const session = new Session(server, pid, secretKey, role, db, settings, this.out, () =>
      this.terminateWith(new PgError(SQLSTATE.admin_shutdown, 'terminating connection due to administrator command', { severity: 'FATAL' })),
    );
    this.session = session;
    session.readMessage = () => this.takeMessage();
    server.backends.add(session);
    if (server.settings.getBoolean('log_connections')) {
      server.log.log({ backend_pid: pid, user: role.name, database: db.name, host: this.remoteAddress, ssl: this.ssl }, 'connection authorized');
    }
    for (const [name, value] of settings.reportedAll()) this.out.parameterStatus(name, value);
    this.out.backendKeyData(pid, secretKey);
    this.phase = 'ready';
    this.readyForQuery();
  }

  // --- message loop ----------------------------------------------------------

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      let handled = 0;
      this.clearIdleTimer();
      while (this.queueHead < this.queue.length && this.phase !== 'closed') {
        this.queuedBytes -= this.queueSizes[this.queueHead]!;
        const msg = this.queue[this.queueHead++]!;
        const pending = this.dispatch(msg);
        if (pending) await pending;
        if (this.out.mustWait) await this.out.waitForDrain();
        if (++handled % MESSAGES_PER_TICK === 0) {
          this.compactQueue();
          this.maybeResumeReading();
          await new Promise<void>((r) => setImmediate(r));
        }
      }
      this.queue.length = 0;
      this.queueSizes.length = 0;
      this.queueHead = 0;
      if (this.phase !== 'closed') {
        this.out.flush();
        this.armIdleTimer();
      }
    } catch (e) {
      // A bug must cost this connection only, never the server.
      this.opts.server.log.error({ err: e instanceof Error ? e.stack : String(e), host: this.remoteAddress }, 'unexpected error; closing the connection');
      this.out.reset();
      this.terminateWith(new PgError(SQLSTATE.internal_error, e instanceof Error ? e.message : String(e), { severity: 'FATAL' }));
    } finally {
      this.pumping = false;
    }
    this.maybeResumeReading();
  }

  /** Drops handled messages so a long pipelined stream does not keep them all alive. */
  private compactQueue(): void {
    if (this.queueHead > MAX_QUEUED_MESSAGES) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueSizes = this.queueSizes.slice(this.queueHead);
      this.queueHead = 0;
    }
  }

  /** Handles one message; returns a promise only when the handler had to wait. */
  private dispatch(msg: QueuedMessage): Promise<void> | void {
    if (msg.type === 'InputFault') return this.onInputFault(msg);
    if (this.phase === 'auth') {
      try {
        this.onAuthMessage(msg);
      } catch (e) {
        this.fatal(e);
      }
      return;
    }
    const session = this.session!;
    if (this.skipUntilSync && msg.type !== 'Sync' && msg.type !== 'Terminate') return;
    switch (msg.type) {
      case 'Query':
        return runSimpleQuery(session, msg.query);
      case 'Parse':
        return this.extended(() => handleParse(session, msg.name, msg.query, msg.paramTypes));
      case 'Bind':
        return this.extended(() => handleBind(session, msg.portal, msg.statement, msg.paramFormats, msg.params, msg.resultFormats));
      case 'Describe':
        return this.extended(() => handleDescribe(session, msg.target, msg.name));
      case 'Execute':
        return this.extended(() => handleExecute(session, msg.portal, msg.maxRows));
      case 'Close':
        return this.extended(() => handleClose(session, msg.target, msg.name));
      case 'Sync':
        this.skipUntilSync = false;
        handleSync(session);
        return;
      case 'Flush':
        this.out.flush();
        return;
      case 'Terminate':
        this.close();
        return;
      case 'CopyData':
      case 'CopyDone':
      case 'CopyFail':
        return; // outside COPY FROM these are ignored, as the protocol says
      case 'FunctionCall':
        this.out.error(new PgError(SQLSTATE.feature_not_supported, 'fastpath function calls are not supported'));
        session.tx.markFailed();
        this.readyForQuery();
        return;
      case 'AuthResponse':
        this.fatal(new ProtocolError('unexpected password message'));
        return;
    }
  }

  private onInputFault(fault: InputFault): void {
    if (!fault.recoverable || this.phase !== 'ready') {
      this.fatal(fault.error);
    } else if (this.skipUntilSync) {
      // Skipped like any other message until Sync.
    } else if (fault.messageType === FrontendType.Query) {
      this.out.error(toPgError(fault.error));
      this.session!.tx.markFailed();
      this.readyForQuery();
    } else {
      this.extendedError(fault.error);
    }
  }

  /** Extended-protocol step: on error report it, fail the transaction and skip to Sync. */
  private extended(step: () => Promise<void> | void): Promise<void> | void {
    try {
      const r = step();
      if (r) return r.catch((e) => this.extendedError(e));
    } catch (e) {
      this.extendedError(e);
    }
  }

  private extendedError(e: unknown): void {
    const err = toPgError(e);
    this.out.error(err);
    this.session!.tx.markFailed();
    this.skipUntilSync = true;
    if (err.severity === 'FATAL') this.close();
  }

  private readyForQuery(): void {
    this.session!.readyForQuery();
  }

  /**
   * The input ran dry: if the session sits in a transaction, start the
   * idle-in-transaction clock (only time spent waiting for the client counts).
   */
  private armIdleTimer(): void {
    const session = this.session;
    if (!session || this.phase !== 'ready') return;
    this.clearIdleTimer();
    if (session.tx.status === 'I') return;
    const ms = session.settings.getNumber('idle_in_transaction_session_timeout');
    if (ms > 0) {
      this.idleTimer = setTimeout(() => {
        this.terminateWith(
          new PgError(SQLSTATE.idle_in_transaction_session_timeout, 'terminating connection due to idle-in-transaction timeout', { severity: 'FATAL' }),
        );
      }, ms);
    }
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private clearTimers(): void {
    this.clearIdleTimer();
    if (this.authTimer) clearTimeout(this.authTimer);
    this.authTimer = null;
  }
}
