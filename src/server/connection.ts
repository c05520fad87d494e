// One client connection: the startup handshake (SSL/GSSENC negotiation,
// CancelRequest, StartupMessage), authentication, then the message loop that
// feeds the session. Messages are processed strictly in order; replies are
// buffered and flushed when the input runs dry, on Flush, or before waiting.
import type { Socket } from 'node:net';
import tls from 'node:tls';
import { PgError, SQLSTATE, toPgError } from '../errors.js';
import { MessageFramer } from '../wire/message-framer.js';
import { decodeFrontendMessage, FrontendType, type FrontendMessage } from '../wire/frontend-messages.js';
import { decodeStartupPacket } from '../wire/startup-packet.js';
import { ProtocolError } from '../wire/protocol-error.js';
import { findHbaRule, hbaRejectError } from '../auth/hba.js';
import { createAuthenticator, type Authenticator } from '../auth/authenticator.js';
import { SessionSettings } from '../config/settings.js';
import type { DatabaseEntry, RoleEntry } from '../storage/catalog.js';
import { BackendOutput } from './backend-output.js';
import { Session } from './session.js';
import type { ServerContext } from './server-context.js';
import type { HbaState } from './hba-state.js';
import { runSimpleQuery } from './simple-query.js';
import { handleBind, handleClose, handleDescribe, handleExecute, handleParse, handleSync } from './extended-query.js';
import { PG_EPOCH_USECS } from '../types/values.js';

const PG_EPOCH_MS = PG_EPOCH_USECS / 1000;

type Phase = 'startup' | 'auth' | 'ready' | 'closed';

export interface TlsSetup {
  context: tls.SecureContext;
  /** tls-server-end-point hash of the certificate, for SCRAM channel binding (null: not available). */
  certificateHash: Buffer | null;
}

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
  /** Present when ssl = on. */
  tls: TlsSetup | null;
  /** Salts the fake SCRAM exchange of roles that do not exist. */
  mockAuthNonce: Buffer;
  /** The server refuses new sessions while shutting down. */
  acceptingSessions: () => boolean;
  onClose: (c: Connection) => void;
}

const MESSAGES_PER_TICK = 256;

export class Connection {
  private socket: Socket;
  private framer = new MessageFramer({ mode: 'startup' });
  private phase: Phase = 'startup';
  private readonly out: BackendOutput;
  private readonly queue: QueuedMessage[] = [];
  private inputBroken = false;
  private queueHead = 0;
  private pumping = false;
  private skipUntilSync = false;
  private ssl = false;
  private authenticator: Authenticator | null = null;
  private pendingLogin: { role: RoleEntry | null; roleName: string; db: DatabaseEntry | null; dbName: string; params: Map<string, string> } | null = null;
  session: Session | null = null;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(socket: Socket, private readonly opts: ConnectionOptions) {
    this.socket = socket;
    socket.setNoDelay(true);
    this.out = new BackendOutput(socket);
    this.attach(socket);
  }

  get remoteAddress(): string | null {
    return this.socket.remoteAddress ?? null;
  }

  /** Ends the connection with a FATAL error (shutdown, pg_terminate_backend). */
  terminateWith(error: PgError): void {
    if (this.phase === 'closed') return;
    this.out.error(error);
    this.close();
  }

  close(): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    this.clearIdleTimer();
    this.out.flush();
    this.socket.end();
    this.socket.destroySoon?.();
    if (this.session) {
      this.opts.server.backends.remove(this.session.pid);
      this.opts.server.notifications.unlistenAll(this.session);
      if (this.opts.server.settings.getBoolean('log_disconnections')) {
        this.opts.server.log.info({ pid: this.session.pid, user: this.session.user, database: this.session.database }, 'disconnection');
      }
    }
    this.opts.onClose(this);
  }

  // --- input -----------------------------------------------------------------

  private attach(socket: Socket): void {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
    socket.on('drain', () => this.out.drained());
  }

  private onData(chunk: Buffer): void {
    if (this.phase === 'closed' || this.inputBroken) return;
    this.clearIdleTimer();
    try {
      this.framer.push(chunk);
      let m;
      while ((m = this.framer.read()) !== null) {
        if (this.phase === 'startup') {
          // Startup packets are handled at once: they change how later bytes are framed.
          this.onStartupPacket(m.body);
          if ((this.phase as Phase) === 'closed') break;
          continue;
        }
        try {
          this.queue.push(decodeFrontendMessage(m.type, m.body));
        } catch (e) {
          const recoverable = e instanceof PgError && e.code === SQLSTATE.character_not_in_repertoire;
          this.queue.push({ type: 'InputFault', error: e, recoverable, messageType: m.type });
          if (!recoverable) throw e;
        }
      }
    } catch (e) {
      if (this.phase === 'startup') {
        this.fatal(e);
        return;
      }
      // Framing is lost: nothing after this point can be trusted.
      this.inputBroken = true;
      const last = this.queue[this.queue.length - 1];
      if (last?.type !== 'InputFault') this.queue.push({ type: 'InputFault', error: e, recoverable: false, messageType: -1 });
    }
    if (!this.pumping) void this.pump();
  }

  private fatal(e: unknown): void {
    // Any malformed input ends the connection: the byte stream can no longer be trusted.
    const err = toPgError(e);
    err.severity = 'FATAL';
    if (!(err instanceof ProtocolError) || err.reportToClient) this.out.error(err);
    this.close();
  }

  // --- startup ---------------------------------------------------------------

  private onStartupPacket(body: Buffer): void {
    const packet = decodeStartupPacket(body);
    switch (packet.type) {
      case 'SSLRequest':
        if (this.opts.tls && !this.ssl) {
          this.out.sslResponse(true);
          this.out.flush();
          if (this.framer.buffered > 0) throw new ProtocolError('received unencrypted data after SSL request');
          this.upgradeToTls();
        } else {
          this.out.sslResponse(false);
          this.out.flush();
        }
        return;
      case 'GSSENCRequest':
        this.out.sslResponse(false);
        this.out.flush();
        return;
      case 'CancelRequest':
        this.opts.server.backends.cancelRequest(packet.processId, packet.secretKey);
        this.close();
        return;
      case 'StartupMessage':
        this.framer.mode = 'normal';
        this.phase = 'auth';
        if (packet.minorVersion > 0 || packet.unrecognizedOptions.length > 0) {
          this.out.negotiateProtocolVersion(0, packet.unrecognizedOptions);
        }
        this.beginLogin(packet.parameters);
        return;
    }
  }

  private upgradeToTls(): void {
    const raw = this.socket;
    raw.removeAllListeners('data');
    raw.removeAllListeners('drain');
    const secure = new tls.TLSSocket(raw, { isServer: true, secureContext: this.opts.tls!.context });
    this.socket = secure;
    this.ssl = true;
    this.out.setSocket(secure);
    this.framer = new MessageFramer({ mode: 'startup' });
    secure.on('data', (chunk: Buffer) => this.onData(chunk));
    secure.on('drain', () => this.out.drained());
    secure.on('error', () => this.close());
  }

  private beginLogin(params: Map<string, string>): void {
    const { server } = this.opts;
    const roleName = params.get('user');
    if (!roleName) {
      throw new PgError(SQLSTATE.invalid_authorization_specification, 'no PostgreSQL user name specified in startup packet', { severity: 'FATAL' });
    }
    if (params.get('replication') && params.get('replication') !== 'false') {
      throw new PgError(SQLSTATE.feature_not_supported, 'replication connections are not supported', { severity: 'FATAL' });
    }
    if (!this.opts.acceptingSessions()) {
      throw new PgError(SQLSTATE.cannot_connect_now, 'the database system is shutting down', { severity: 'FATAL' });
    }
    const dbName = params.get('database') || roleName;
    const connection = { remoteAddress: this.remoteAddress, ssl: this.ssl, user: roleName, database: dbName };
    const rule = findHbaRule(this.opts.hba.current(), connection);
    if (rule.method === 'reject') throw hbaRejectError(connection);
    const role = server.catalog.getRole(roleName) ?? null;
    const db = server.catalog.getDatabase(dbName) ?? null;
    this.pendingLogin = { role, roleName, db, dbName, params };
    this.authenticator = createAuthenticator({
      method: rule.method,
      user: roleName,
      storedPassword: role?.password ?? null,
      roleExists: role !== null,
      validUntil: role?.validUntil == null ? null : new Date(role.validUntil / 1000 + PG_EPOCH_MS),
      connection,
      hbaLine: { lineNumber: rule.lineNumber, rawLine: rule.rawLine },
      passwordEncryption: server.settings.getString('password_encryption') === 'md5' ? 'md5' : 'scram-sha-256',
      tlsServerCertificateHash: this.ssl ? (this.opts.tls?.certificateHash ?? undefined) : undefined,
      mockAuthNonce: this.opts.mockAuthNonce,
    });
    const request = this.authenticator.start();
    switch (request.request) {
      case 'ok':
        this.finishLogin();
        return;
      case 'cleartext':
        this.out.authenticationCleartextPassword();
        break;
      case 'md5':
        this.out.authenticationMD5Password(request.salt);
        break;
      case 'sasl':
        this.out.authenticationSASL(request.mechanisms);
        break;
    }
    this.out.flush();
  }

  private onAuthMessage(msg: FrontendMessage): void {
    if (msg.type !== 'AuthResponse') {
      throw new ProtocolError(`expected password response, got message type ${msg.type}`);
    }
    const step = this.authenticator!.handle(msg.body);
    if (step.next === 'sasl-continue') {
      this.out.authenticationSASLContinue(step.data);
      this.out.flush();
      return;
    }
    if (step.saslFinal) this.out.authenticationSASLFinal(step.saslFinal);
    this.finishLogin();
  }

  private finishLogin(): void {
    const { server } = this.opts;
    const login = this.pendingLogin!;
    this.pendingLogin = null;
    this.authenticator = null;
    const { role, db } = login;
    // Authentication is complete: PostgreSQL says so before checking the role and database.
    this.out.authenticationOk();
    if (!role) throw new PgError(SQLSTATE.invalid_authorization_specification, `role "${login.roleName}" does not exist`, { severity: 'FATAL' });
    if (!role.login) throw new PgError(SQLSTATE.invalid_authorization_specification, `role "${role.name}" is not permitted to log in`, { severity: 'FATAL' });
    if (!db) throw new PgError(SQLSTATE.invalid_catalog_name, `database "${login.dbName}" does not exist`, { severity: 'FATAL' });
    if (!db.allowConnections) throw new PgError(SQLSTATE.object_not_in_prerequisite_state, `database "${db.name}" is not currently accepting connections`, { severity: 'FATAL' });
    const maxConnections = server.settings.getNumber('max_connections');
    const reserved = server.settings.getNumber('superuser_reserved_connections');
    if (server.backends.size >= maxConnections || (!role.superuser && server.backends.size >= maxConnections - reserved)) {
      throw new PgError(SQLSTATE.too_many_connections, role.superuser ? 'sorry, too many clients already' : 'remaining connection slots are reserved for non-replication superuser connections', { severity: 'FATAL' });
    }

    const settings = SessionSettings.forStartup(server.settings, login.params, { superuser: role.superuser, sessionUser: role.name });
    const { pid, secretKey } = server.backends.allocate();
    const session = new Session(server, pid, secretKey, role, db, settings, this.out, () =>
      this.terminateWith(new PgError(SQLSTATE.admin_shutdown, 'terminating connection due to administrator command', { severity: 'FATAL' })),
    );
    this.session = session;
    server.backends.add(session);
    if (server.settings.getBoolean('log_connections')) {
      server.log.info({ pid, user: role.name, database: db.name, host: this.remoteAddress, ssl: this.ssl }, 'connection authorized');
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
      while (this.queueHead < this.queue.length && this.phase !== 'closed') {
        const msg = this.queue[this.queueHead++]!;
        const pending = this.dispatch(msg);
        if (pending) await pending;
        if (this.out.mustWait) await this.out.waitForDrain();
        if (++handled % MESSAGES_PER_TICK === 0) await new Promise<void>((r) => setImmediate(r));
      }
      this.queue.length = 0;
      this.queueHead = 0;
    } finally {
      this.pumping = false;
    }
    if (this.phase !== 'closed') this.out.flush();
  }

  /** Handles one message; returns a promise only when the handler had to wait. */
  private dispatch(msg: QueuedMessage): Promise<void> | void {
    if (msg.type === 'InputFault') {
      if (!msg.recoverable || this.phase !== 'ready') {
        this.fatal(msg.error);
      } else if (msg.messageType === FrontendType.Query) {
        this.out.error(toPgError(msg.error));
        this.session!.tx.markFailed();
        this.readyForQuery();
      } else if (!this.skipUntilSync) {
        this.extendedError(msg.error);
      }
      return;
    }
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
        return runSimpleQuery(session, msg.query).then(() => this.afterReady());
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
        this.afterReady();
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
        this.readyForQuery();
        return;
      case 'AuthResponse':
        this.fatal(new ProtocolError('unexpected password message'));
        return;
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
    this.out.readyForQuery(this.session!.tx.status);
    this.afterReady();
  }

  /** After ReadyForQuery: deliver notifications that arrived while busy; arm the idle-in-transaction timer. */
  private afterReady(): void {
    const session = this.session;
    if (!session) return;
    session.flushNotifications();
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
}
