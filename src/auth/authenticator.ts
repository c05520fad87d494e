// The authentication exchange of one connection, independent of sockets:
// the connection asks start() what to send first (AuthenticationOk,
// CleartextPassword, MD5Password or SASL), then feeds every 'p' message body
// to handle() until it says 'ok'. Failures are FATAL PgErrors the connection
// sends before closing, carrying PostgreSQL's wording and SQLSTATE.

import { randomBytes } from 'node:crypto';
import { PgError, SQLSTATE } from '../errors.js';
import { hbaRejectError, type HbaConnection, type HbaMethod } from './hba.js';
import { getPasswordType, verifyMd5Response, verifyPlainPassword } from './md5.js';
import { parseScramVerifier, scramMechanisms, ScramExchange, type ScramVerifier } from './scram.js';

/** An authentication failure; `logDetail` is for the server log only, never for the client (PostgreSQL's errdetail_log). */
export class AuthenticationError extends PgError {
  readonly logDetail?: string;
  constructor(code: string, message: string, logDetail?: string) {
    super(code, message, { severity: 'FATAL' });
    this.name = 'AuthenticationError';
    this.logDetail = logDetail;
  }
}

export interface AuthenticatorOptions {
  /** The method of the pg_hba.conf line that matched. */
  method: HbaMethod;
  /** Role name from the startup packet. */
  user: string;
  /** pg_authid.rolpassword: an "md5..." hash or SCRAM verifier; null when the role does not exist or has no password. */
  storedPassword: string | null;
  /** False when the role does not exist (only changes the log detail). Default true. */
  roleExists?: boolean;
  /** pg_authid.rolvaliduntil: a password past this instant is treated as absent. */
  validUntil?: Date | null;
  /** Used for the "pg_hba.conf rejects connection" message. */
  connection: HbaConnection;
  /** tls-server-end-point hash of the server certificate (see channel-binding.ts) when the connection uses TLS. */
  tlsServerCertificateHash?: Buffer;
  /** password_encryption: which challenge the md5 method sends when the role has no usable password. Default 'md5' (PostgreSQL 11). */
  passwordEncryption?: 'md5' | 'scram-sha-256';
  /** Server-wide secret for SCRAM mock salts of unknown roles. */
  mockAuthNonce?: Buffer;
  /** The matched line, mentioned in the log detail of failures as PostgreSQL does. */
  hbaLine?: { lineNumber: number; rawLine: string };
}

export type AuthRequest =
  | { request: 'ok' }
  | { request: 'cleartext' }
  | { request: 'md5'; salt: Buffer }
  | { request: 'sasl'; mechanisms: string[] };

export type AuthProgress = { next: 'sasl-continue'; data: Buffer } | { next: 'ok'; saslFinal?: Buffer };

export interface Authenticator {
  /** What to send first. Throws for "reject". */
  start(): AuthRequest;
  /** Consumes one 'p' message body. Throws AuthenticationError / PgError (FATAL) on failure. */
  handle(body: Buffer): AuthProgress;
}

function protocolViolation(message: string): PgError {
  return new PgError(SQLSTATE.protocol_violation, message, { severity: 'FATAL' });
}

/** Reads a 'p' message body field by field with PostgreSQL's pq_getmsg* errors. */
class MessageReader {
  private pos = 0;
  constructor(private readonly body: Buffer) {}

  cstring(): Buffer {
    const end = this.body.indexOf(0, this.pos);
    if (end < 0) throw protocolViolation('invalid string in message');
    const value = this.body.subarray(this.pos, end);
    this.pos = end + 1;
    return value;
  }

  int32(): number {
    if (this.pos + 4 > this.body.length) throw protocolViolation('insufficient data left in message');
    const value = this.body.readInt32BE(this.pos);
    this.pos += 4;
    return value;
  }

  bytes(length: number): Buffer {
    if (length < 0 || length > this.body.length - this.pos) throw protocolViolation('insufficient data left in message');
    const value = this.body.subarray(this.pos, this.pos + length);
    this.pos += length;
    return value;
  }

  rest(): Buffer {
    const value = this.body.subarray(this.pos);
    this.pos = this.body.length;
    return value;
  }

  end(): void {
    if (this.pos !== this.body.length) throw protocolViolation('invalid message format');
  }
}

/** A PasswordMessage body: one NUL-terminated string and nothing else. */
function readPasswordPacket(body: Buffer): Buffer {
  const nul = body.indexOf(0);
  if (nul < 0 || nul + 1 !== body.length) throw protocolViolation('invalid password packet size');
  if (body.length === 1) throw new PgError(SQLSTATE.invalid_password, 'empty password returned by client', { severity: 'FATAL' });
  return body.subarray(0, nul);
}

type Phase =
  | { kind: 'idle' }
  | { kind: 'cleartext' }
  | { kind: 'md5'; salt: Buffer }
  | { kind: 'sasl-initial' }
  | { kind: 'sasl'; exchange: ScramExchange }
  | { kind: 'done' };

class ConnectionAuthenticator implements Authenticator {
  private phase: Phase = { kind: 'idle' };
  /** The usable stored password, or null with the reason PostgreSQL would log. */
  private readonly password: string | null;
  private readonly missingReason: string | undefined;

  constructor(private readonly options: AuthenticatorOptions) {
    const { user, storedPassword } = options;
    if (options.roleExists === false) {
      this.password = null;
      this.missingReason = `Role "${user}" does not exist.`;
    } else if (storedPassword === null) {
      this.password = null;
      this.missingReason = `User "${user}" has no password assigned.`;
    } else if (options.validUntil && options.validUntil.getTime() < Date.now()) {
      this.password = null;
      this.missingReason = `User "${user}" has an expired password.`;
    } else {
      this.password = storedPassword;
    }
  }

  start(): AuthRequest {
    if (this.phase.kind !== 'idle') throw new PgError(SQLSTATE.internal_error, 'authentication already started');
    switch (this.options.method) {
      case 'trust':
        this.phase = { kind: 'done' };
        return { request: 'ok' };
      case 'reject':
        throw hbaRejectError(this.options.connection);
      case 'password':
        this.phase = { kind: 'cleartext' };
        return { request: 'cleartext' };
      case 'md5':
        if (this.chooseMd5Challenge()) {
          const salt = randomBytes(4);
          this.phase = { kind: 'md5', salt };
          return { request: 'md5', salt };
        }
        return this.startSasl();
      case 'scram-sha-256':
        return this.startSasl();
    }
  }

  /** The md5 method uses SCRAM when the stored password is not an MD5 hash (PostgreSQL's rule). */
  private chooseMd5Challenge(): boolean {
    if (this.password === null) return (this.options.passwordEncryption ?? 'md5') === 'md5';
    return getPasswordType(this.password) === 'md5';
  }

  private startSasl(): AuthRequest {
    this.phase = { kind: 'sasl-initial' };
    return { request: 'sasl', mechanisms: scramMechanisms(this.options.tlsServerCertificateHash) };
  }

  handle(body: Buffer): AuthProgress {
    const phase = this.phase;
    switch (phase.kind) {
      case 'cleartext': {
        const password = readPasswordPacket(body);
        this.phase = { kind: 'done' };
        if (this.password === null) throw this.failed(this.missingReason);
        if (getPasswordType(this.password) === 'plaintext') {
          throw this.failed(`Password of user "${this.options.user}" is in unrecognized format.`);
        }
        if (!verifyPlainPassword(this.options.user, this.password, password)) throw this.failed(this.mismatch());
        return { next: 'ok' };
      }
      case 'md5': {
        const response = readPasswordPacket(body).toString('latin1');
        this.phase = { kind: 'done' };
        if (this.password === null) throw this.failed(this.missingReason);
        if (!verifyMd5Response(this.password, response, phase.salt)) throw this.failed(this.mismatch());
        return { next: 'ok' };
      }
      case 'sasl-initial': {
        const reader = new MessageReader(body);
        const mechanism = reader.cstring().toString('latin1');
        const exchange = new ScramExchange(mechanism, {
          user: this.options.user,
          verifier: this.scramVerifier(),
          tlsServerCertificateHash: this.options.tlsServerCertificateHash,
          mockAuthNonce: this.options.mockAuthNonce,
        });
        const length = reader.int32();
        const input = length === -1 ? null : reader.bytes(length);
        reader.end();
        this.phase = { kind: 'sasl', exchange };
        return this.scramStep(exchange, input);
      }
      case 'sasl':
        return this.scramStep(phase.exchange, new MessageReader(body).rest());
      case 'idle':
      case 'done':
        throw protocolViolation('unexpected password message');
    }
  }

  private scramVerifier(): ScramVerifier | null {
    if (this.password === null) return null;
    return parseScramVerifier(this.password);
  }

  private scramStep(exchange: ScramExchange, input: Buffer | null): AuthProgress {
    const step = exchange.step(input);
    if (step.status === 'continue') return { next: 'sasl-continue', data: step.output };
    this.phase = { kind: 'done' };
    if (step.status === 'success') return { next: 'ok', saslFinal: step.output };
    if (this.password === null) throw this.failed(this.missingReason);
    if (getPasswordType(this.password) !== 'scram-sha-256') {
      throw this.failed(`User "${this.options.user}" does not have a valid SCRAM verifier.`);
    }
    throw this.failed(undefined);
  }

  private mismatch(): string {
    return `Password does not match for user "${this.options.user}".`;
  }

  private failed(reason: string | undefined): AuthenticationError {
    const line = this.options.hbaLine;
    const lineDetail = line ? `Connection matched pg_hba.conf line ${line.lineNumber}: "${line.rawLine}"` : undefined;
    const logDetail = reason && lineDetail ? `${reason}\n${lineDetail}` : (reason ?? lineDetail);
    return new AuthenticationError(
      SQLSTATE.invalid_password,
      `password authentication failed for user "${this.options.user}"`,
      logDetail,
    );
  }
}

/** Starts the authentication exchange for one connection. */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  return new ConnectionAuthenticator(options);
}
