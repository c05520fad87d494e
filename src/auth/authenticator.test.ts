import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { AuthenticationError, createAuthenticator, type AuthenticatorOptions, type AuthRequest } from './authenticator.js';
import { md5PasswordHash, md5SaltedResponse } from './md5.js';
import { createScramVerifier } from './scram.js';
import { PgError } from '../errors.js';

interface PgSaslSession {
  mechanism: string;
  response: string;
}
interface PgSasl {
  startSession(mechanisms: string[], stream?: unknown): PgSaslSession;
  continueSession(session: PgSaslSession, password: string, serverData: string, stream?: unknown): Promise<void>;
  finalizeSession(session: PgSaslSession, serverData: string): void;
}
const sasl = createRequire(import.meta.url)('pg/lib/crypto/sasl.js') as PgSasl;

const CONNECTION = { remoteAddress: '::ffff:10.0.0.5', ssl: false, user: 'alice', database: 'db' };

function authenticator(overrides: Partial<AuthenticatorOptions>) {
  return createAuthenticator({ method: 'trust', user: 'alice', storedPassword: null, connection: CONNECTION, ...overrides });
}

/** PasswordMessage body. */
function passwordBody(password: string): Buffer {
  return Buffer.concat([Buffer.from(password, 'utf8'), Buffer.from([0])]);
}

/** SASLInitialResponse body. */
function saslInitialBody(mechanism: string, data: string | null): Buffer {
  const length = Buffer.alloc(4);
  length.writeInt32BE(data === null ? -1 : Buffer.byteLength(data));
  return Buffer.concat([Buffer.from(mechanism + '\0'), length, Buffer.from(data ?? '')]);
}

function isPasswordFailure(user = 'alice', logDetail?: string) {
  return (e: unknown) => {
    assert.ok(e instanceof AuthenticationError);
    assert.equal(e.code, '28P01');
    assert.equal(e.severity, 'FATAL');
    assert.equal(e.message, `password authentication failed for user "${user}"`);
    if (logDetail !== undefined) assert.equal(e.logDetail, logDetail);
    return true;
  };
}

async function scramLogin(options: Partial<AuthenticatorOptions>, password: string): Promise<void> {
  const auth = authenticator(options);
  const request = auth.start();
  assert.equal(request.request, 'sasl');
  if (request.request !== 'sasl') return;
  assert.deepEqual(request.mechanisms, ['SCRAM-SHA-256']);
  const session = sasl.startSession(request.mechanisms);
  const first = auth.handle(saslInitialBody(session.mechanism, session.response));
  assert.equal(first.next, 'sasl-continue');
  if (first.next !== 'sasl-continue') return;
  await sasl.continueSession(session, password, first.data.toString());
  const done = auth.handle(Buffer.from(session.response));
  assert.equal(done.next, 'ok');
  if (done.next === 'ok') sasl.finalizeSession(session, done.saslFinal!.toString());
}

test('trust and reject', () => {
  assert.deepEqual(authenticator({ method: 'trust' }).start(), { request: 'ok' });
  assert.throws(
    () => authenticator({ method: 'reject' }).start(),
    (e: PgError) =>
      e.code === '28000' &&
      e.severity === 'FATAL' &&
      e.message === 'pg_hba.conf rejects connection for host "10.0.0.5", user "alice", database "db", SSL off',
  );
});

test('password method: cleartext against md5 and SCRAM storage', () => {
  for (const stored of [md5PasswordHash('pw', 'alice'), createScramVerifier('pw')]) {
    const ok = authenticator({ method: 'password', storedPassword: stored });
    assert.deepEqual(ok.start(), { request: 'cleartext' });
    assert.deepEqual(ok.handle(passwordBody('pw')), { next: 'ok' });
    const bad = authenticator({ method: 'password', storedPassword: stored, hbaLine: { lineNumber: 3, rawLine: 'host all all 0.0.0.0/0 password' } });
    bad.start();
    assert.throws(
      () => bad.handle(passwordBody('nope')),
      isPasswordFailure('alice', 'Password does not match for user "alice".\nConnection matched pg_hba.conf line 3: "host all all 0.0.0.0/0 password"'),
    );
  }
  const missing = authenticator({ method: 'password', storedPassword: null, roleExists: false });
  missing.start();
  assert.throws(() => missing.handle(passwordBody('pw')), isPasswordFailure('alice', 'Role "alice" does not exist.'));
  const expired = authenticator({ method: 'password', storedPassword: md5PasswordHash('pw', 'alice'), validUntil: new Date(0) });
  expired.start();
  assert.throws(() => expired.handle(passwordBody('pw')), isPasswordFailure('alice', 'User "alice" has an expired password.'));
});

test('password packet format errors', () => {
  const start = () => {
    const auth = authenticator({ method: 'password', storedPassword: md5PasswordHash('pw', 'alice') });
    auth.start();
    return auth;
  };
  assert.throws(() => start().handle(Buffer.from([0])), (e: PgError) => e.code === '28P01' && e.message === 'empty password returned by client');
  assert.throws(() => start().handle(Buffer.from('pw')), (e: PgError) => e.code === '08P01' && e.message === 'invalid password packet size');
  assert.throws(() => start().handle(Buffer.from('pw\0x\0')), (e: PgError) => e.code === '08P01' && e.message === 'invalid password packet size');
});

test('md5 method with an md5 hash: salted challenge', () => {
  const stored = md5PasswordHash('pw', 'alice');
  const auth = authenticator({ method: 'md5', storedPassword: stored });
  const request = auth.start() as Extract<AuthRequest, { request: 'md5' }>;
  assert.equal(request.request, 'md5');
  assert.equal(request.salt.length, 4);
  assert.deepEqual(auth.handle(passwordBody(md5SaltedResponse(md5PasswordHash('pw', 'alice'), request.salt))), { next: 'ok' });

  const wrong = authenticator({ method: 'md5', storedPassword: stored });
  const wrongRequest = wrong.start() as Extract<AuthRequest, { request: 'md5' }>;
  assert.throws(
    () => wrong.handle(passwordBody(md5SaltedResponse(md5PasswordHash('other', 'alice'), wrongRequest.salt))),
    isPasswordFailure('alice', 'Password does not match for user "alice".'),
  );
});

test('md5 method for a role without password: md5 challenge (password_encryption=md5) or SCRAM, then failure', async () => {
  const auth = authenticator({ method: 'md5', storedPassword: null });
  const request = auth.start() as Extract<AuthRequest, { request: 'md5' }>;
  assert.equal(request.request, 'md5');
  assert.throws(() => auth.handle(passwordBody('md5' + '0'.repeat(32))), isPasswordFailure('alice', 'User "alice" has no password assigned.'));

  const scramAuth = authenticator({ method: 'md5', storedPassword: null, passwordEncryption: 'scram-sha-256' });
  assert.equal(scramAuth.start().request, 'sasl');
});

test('md5 method with a SCRAM verifier uses SCRAM', async () => {
  await scramLogin({ method: 'md5', storedPassword: createScramVerifier('pw') }, 'pw');
  await assert.rejects(scramLogin({ method: 'md5', storedPassword: createScramVerifier('pw') }, 'bad'), isPasswordFailure());
});

test('scram-sha-256 method with node-postgres client', async () => {
  await scramLogin({ method: 'scram-sha-256', storedPassword: createScramVerifier('pw') }, 'pw');
  await assert.rejects(scramLogin({ method: 'scram-sha-256', storedPassword: createScramVerifier('pw') }, 'bad'), isPasswordFailure());
  // unknown role: the mock exchange runs to the end, then fails like a wrong password
  await assert.rejects(
    scramLogin({ method: 'scram-sha-256', storedPassword: null, roleExists: false }, 'pw'),
    isPasswordFailure('alice', 'Role "alice" does not exist.'),
  );
  // an md5 hash cannot be used for SCRAM
  await assert.rejects(
    scramLogin({ method: 'scram-sha-256', storedPassword: md5PasswordHash('pw', 'alice') }, 'pw'),
    isPasswordFailure('alice', 'User "alice" does not have a valid SCRAM verifier.'),
  );
});

test('SASLInitialResponse without data, then the client-first-message as SASLResponse', async () => {
  const auth = authenticator({ method: 'scram-sha-256', storedPassword: createScramVerifier('pw') });
  auth.start();
  assert.deepEqual(auth.handle(saslInitialBody('SCRAM-SHA-256', null)), { next: 'sasl-continue', data: Buffer.alloc(0) });
  const session = sasl.startSession(['SCRAM-SHA-256']);
  const first = auth.handle(Buffer.from(session.response));
  if (first.next !== 'sasl-continue') throw new Error('expected sasl-continue');
  await sasl.continueSession(session, 'pw', first.data.toString());
  const done = auth.handle(Buffer.from(session.response));
  if (done.next !== 'ok') throw new Error('expected ok');
  sasl.finalizeSession(session, done.saslFinal!.toString());
});

test('SASLInitialResponse format errors', () => {
  const start = () => {
    const auth = authenticator({ method: 'scram-sha-256', storedPassword: createScramVerifier('pw') });
    auth.start();
    return auth;
  };
  const is = (message: string) => (e: PgError) => e.code === '08P01' && e.severity === 'FATAL' && e.message === message;
  assert.throws(() => start().handle(Buffer.from('SCRAM-SHA-256')), is('invalid string in message'));
  assert.throws(() => start().handle(saslInitialBody('PLAIN', 'x')), is('client selected an invalid SASL authentication mechanism'));
  assert.throws(() => start().handle(Buffer.from('SCRAM-SHA-256\0\0\0')), is('insufficient data left in message'));
  assert.throws(() => start().handle(Buffer.concat([saslInitialBody('SCRAM-SHA-256', 'n,,n=,r=x'), Buffer.from('!')])), is('invalid message format'));
  const tooLong = saslInitialBody('SCRAM-SHA-256', 'n,,n=,r=x');
  tooLong.writeInt32BE(100, 14);
  assert.throws(() => start().handle(tooLong), is('insufficient data left in message'));
});

test('SCRAM-SHA-256-PLUS is offered with a certificate hash', () => {
  const auth = authenticator({ method: 'scram-sha-256', storedPassword: createScramVerifier('pw'), tlsServerCertificateHash: Buffer.alloc(32, 9) });
  assert.deepEqual(auth.start(), { request: 'sasl', mechanisms: ['SCRAM-SHA-256-PLUS', 'SCRAM-SHA-256'] });
});
