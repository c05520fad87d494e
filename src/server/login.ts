// The part of a connection before its session exists: the StartupMessage's
// parameters, the pg_hba.conf rule, the authentication exchange, and the
// checks PostgreSQL makes once the client is authenticated (role, database,
// connection limits). Socket-free: the connection feeds it messages and sends
// what it asks for through BackendOutput.
import { PgError, SQLSTATE } from '../errors.js';
import { findHbaRule, hbaRejectError, type HbaConnection } from '../auth/hba.js';
import { AuthenticationError, createAuthenticator, type Authenticator } from '../auth/authenticator.js';
import { parseBool } from '../config/settings.js';
import type { DatabaseEntry, RoleEntry } from '../storage/catalog.js';
import { checkConnectionLimits } from '../storage/connection-limits.js';
import { truncateName } from '../types/text.js';
import { PG_EPOCH_USECS } from '../types/values.js';
import type { BackendOutput } from './backend-output.js';
import type { HbaState } from './hba-state.js';
import type { ServerContext } from './server-context.js';

const PG_EPOCH_MS = PG_EPOCH_USECS / 1000;

export interface LoginResult {
  role: RoleEntry;
  db: DatabaseEntry;
  /** Startup parameters other than user/database, for the session's settings. */
  params: Map<string, string>;
}

export interface LoginContext {
  server: ServerContext;
  hba: HbaState;
  out: BackendOutput;
  remoteAddress: string;
  ssl: boolean;
  /** tls-server-end-point hash for SCRAM-SHA-256-PLUS, when the connection uses TLS. */
  certificateHash: Buffer | null;
  mockAuthNonce: Buffer;
  acceptingSessions: boolean;
}

export class Login {
  private authenticator: Authenticator | null = null;
  private role: RoleEntry | null = null;
  private db: DatabaseEntry | null = null;
  private roleName = '';
  private dbName = '';
  private params = new Map<string, string>();

  constructor(private readonly ctx: LoginContext) {}

  /**
   * Starts authentication for a StartupMessage. Returns the login result when
   * no exchange is needed (trust), null when the client must answer.
   */
  start(params: Map<string, string>): LoginResult | null {
    const { server, out } = this.ctx;
    const user = params.get('user');
    if (!user) {
      throw new PgError(SQLSTATE.invalid_authorization_specification, 'no PostgreSQL user name specified in startup packet', { severity: 'FATAL' });
    }
    const replication = params.get('replication');
    if (replication !== undefined && (replication === 'database' || parseBool(replication) !== false)) {
      throw new PgError(SQLSTATE.feature_not_supported, 'replication connections are not supported', { severity: 'FATAL' });
    }
    if (!this.ctx.acceptingSessions) {
      throw new PgError(SQLSTATE.cannot_connect_now, 'the database system is shutting down', { severity: 'FATAL' });
    }
    // The hard limit comes before authentication (PostgreSQL has no backend slot to give);
    // the slots reserved for superusers are checked once the role is known.
    if (server.backends.size >= server.settings.getNumber('max_connections')) {
      throw new PgError(SQLSTATE.too_many_connections, 'sorry, too many clients already', { severity: 'FATAL' });
    }
    // Names are identifiers: PostgreSQL cuts them to NAMEDATALEN - 1 bytes.
    this.roleName = truncateName(user);
    this.dbName = truncateName(params.get('database') || user);
    this.params = params;
    const connection: HbaConnection = { remoteAddress: this.ctx.remoteAddress, ssl: this.ctx.ssl, user: this.roleName, database: this.dbName };
    const rule = findHbaRule(this.ctx.hba.current(), connection);
    if (rule.method === 'reject') throw hbaRejectError(connection);
    this.role = server.catalog.getRole(this.roleName) ?? null;
    this.db = server.catalog.getDatabase(this.dbName) ?? null;
    const validUntil = this.role?.validUntil ?? null;
    this.authenticator = createAuthenticator({
      method: rule.method,
      user: this.roleName,
      storedPassword: this.role?.password ?? null,
      roleExists: this.role !== null,
      // -infinity is always expired; Date cannot hold it, so the earliest Date stands in.
      validUntil: validUntil === null ? null : new Date(validUntil === -Infinity ? -8.64e15 : validUntil / 1000 + PG_EPOCH_MS),
      connection,
      hbaLine: { lineNumber: rule.lineNumber, rawLine: rule.rawLine },
      passwordEncryption: server.settings.getString('password_encryption') === 'md5' ? 'md5' : 'scram-sha-256',
      tlsServerCertificateHash: this.ctx.certificateHash ?? undefined,
      mockAuthNonce: this.ctx.mockAuthNonce,
    });
    const request = this.guard(() => this.authenticator!.start());
    switch (request.request) {
      case 'ok':
        return this.finish();
      case 'cleartext':
        out.authenticationCleartextPassword();
        break;
      case 'md5':
        out.authenticationMD5Password(request.salt);
        break;
      case 'sasl':
        out.authenticationSASL(request.mechanisms);
        break;
    }
    return null;
  }

  /** A 'p' message from the client. Returns the login result once authentication succeeded. */
  answer(body: Buffer): LoginResult | null {
    const step = this.guard(() => this.authenticator!.handle(body));
    if (step.next === 'sasl-continue') {
      this.ctx.out.authenticationSASLContinue(step.data);
      return null;
    }
    if (step.saslFinal) this.ctx.out.authenticationSASLFinal(step.saslFinal);
    return this.finish();
  }

  /** Authentication failures go to the server log with the detail PostgreSQL logs (never to the client). */
  private guard<T>(step: () => T): T {
    try {
      return step();
    } catch (e) {
      if (e instanceof AuthenticationError || (e instanceof PgError && e.severity === 'FATAL')) {
        const detail = e instanceof AuthenticationError ? e.logDetail : undefined;
        this.ctx.server.log.fatal({ user: this.roleName, database: this.dbName, host: this.ctx.remoteAddress, detail }, e.message);
      }
      throw e;
    }
  }

  /** After authentication: the checks PostgreSQL makes in InitPostgres, each a FATAL error. */
  private finish(): LoginResult {
    const { server, out } = this.ctx;
    const { role, db } = this;
    // PostgreSQL reports success before checking the role and database.
    out.authenticationOk();
    if (!role) throw new PgError(SQLSTATE.invalid_authorization_specification, `role "${this.roleName}" does not exist`, { severity: 'FATAL' });
    if (!role.login) throw new PgError(SQLSTATE.invalid_authorization_specification, `role "${role.name}" is not permitted to log in`, { severity: 'FATAL' });
    if (!db) throw new PgError(SQLSTATE.invalid_catalog_name, `database "${this.dbName}" does not exist`, { severity: 'FATAL' });
    if (!db.allowConnections) {
      throw new PgError(SQLSTATE.object_not_in_prerequisite_state, `database "${db.name}" is not currently accepting connections`, { severity: 'FATAL' });
    }
    const sessions = server.backends.size;
    const maxConnections = server.settings.getNumber('max_connections');
    const reserved = server.settings.getNumber('superuser_reserved_connections');
    if (sessions >= maxConnections) {
      throw new PgError(SQLSTATE.too_many_connections, 'sorry, too many clients already', { severity: 'FATAL' });
    }
    if (!role.superuser && sessions >= maxConnections - reserved) {
      throw new PgError(SQLSTATE.too_many_connections, 'remaining connection slots are reserved for non-replication superuser connections', { severity: 'FATAL' });
    }
    checkConnectionLimits(role, db, server.backends.all());
    return { role, db, params: this.params };
  }
}
