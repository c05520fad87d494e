import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { createRequire } from 'node:module';
import { PgError } from '../errors.js';
import {
  createScramVerifier,
  mockScramVerifier,
  parseScramVerifier,
  scramMechanisms,
  ScramExchange,
  verifyScramPlainPassword,
  type ScramVerifier,
} from './scram.js';
import { decodeBase64Strict } from './base64.js';

interface PgSaslSession {
  mechanism: string;
  clientNonce: string;
  response: string;
  message: string;
  serverSignature?: string;
}
interface PgSasl {
  startSession(mechanisms: string[], stream?: unknown): PgSaslSession;
  continueSession(session: PgSaslSession, password: string, serverData: string, stream?: unknown): Promise<void>;
  finalizeSession(session: PgSaslSession, serverData: string): void;
}
const sasl = createRequire(import.meta.url)('pg/lib/crypto/sasl.js') as PgSasl;

/** RFC 7677 computed directly, without the code under test. */
function referenceVerifier(password: string, salt: Buffer, iterations: number): string {
  const salted = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

test('createScramVerifier matches an independent RFC 7677 computation', () => {
  const salt = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
  assert.equal(createScramVerifier('p', 4096, salt), referenceVerifier('p', salt, 4096));
  assert.equal(createScramVerifier('secret', 1000, salt), referenceVerifier('secret', salt, 1000));
  assert.equal(
    createScramVerifier('p', 4096, Buffer.alloc(16, 1)),
    'SCRAM-SHA-256$4096:AQEBAQEBAQEBAQEBAQEBAQ==$jXy4EtD/G19r0gXZNXmKdq7bo1WOV4rxChbU1JszVgQ=:ScxQcR/yxRkG2Z71P90Kh6AJvnduDFHWSrA/W9XX8vQ=',
  );
});

test('createScramVerifier uses a fresh 16-byte salt by default', () => {
  const a = parseScramVerifier(createScramVerifier('p'))!;
  const b = parseScramVerifier(createScramVerifier('p'))!;
  assert.equal(a.iterations, 4096);
  assert.equal(decodeBase64Strict(a.salt)!.length, 16);
  assert.notEqual(a.salt, b.salt);
});

// Verifiers produced by PostgreSQL 15 (SET password_encryption = 'scram-sha-256'; CREATE ROLE ... PASSWORD ...).
const POSTGRES_VERIFIERS: [string, string][] = [
  ['p', 'SCRAM-SHA-256$4096:sDlP6kMBRrq+0wxo6tq4eA==$FT3j5h53R/81QJ3KgB+cO/1hrEBrH2JB/zFtsrTgfWo=:TDKMnkyXehOhCP2RcP93ZfbClhwxSaLotgL35fEKTH4='],
  // NFKC maps fullwidth letters to ASCII
  ['ｐａｓｓ', 'SCRAM-SHA-256$4096:j5wI00G13xNZ9QDRVbElwA==$ItWZWZna06O8zLoCOu2JzPzAEtolzp1L/E05mH1vP0E=:PMK1+7+xKRJHmfs3pXkvSq8HrJV3isTGyNw8LPeyZbw='],
  // soft hyphen is mapped to nothing
  ['I\u00ADX', 'SCRAM-SHA-256$4096:U4e1ds36zc3nv4AYjbm9sg==$ZxIkGe8tmIwwZ1Jv9WCFvF8LeEOOoB1VG15THKpRLlg=:/gRUVvdEjjqG9hKDJ9lg/fZ8uGYt3LWv6NUumOleB9Y='],
  // no-break space is mapped to space
  ['a\u00A0b', 'SCRAM-SHA-256$4096:LnVgqiDc9prBsz79tZ8OqQ==$C864gStc+Om6n6hOuJgqfODpCihPdfMJfdB/OGT2qwI=:c87hVcJZYb8hZv+1BPKziyladHuRjyw+oVJlrAR3x3w='],
  // decomposed accent is composed by NFKC
  ['e\u0301t\u00E9', 'SCRAM-SHA-256$4096:uFeiVifWlf4vPZvV36iwhA==$RYVMtr133eSm/AvlyJtR9zsxqRswaYkB7bkIpbxTxnw=:YjT1mIv5MWSGc5kvOcLeBzmfKIv+gW+NWBqYTLeRKwQ='],
  // prohibited control character: the raw password is used (fullwidth a stays)
  ['\u0080\uFF41', 'SCRAM-SHA-256$4096:LA6d3JEjLIeZGO+RT1hbvg==$ZY21z2b4mofiZbUkCwADM65k6eR7CepzISeMtSH2Qac=:2YbVvbfkQC+DATQOE+JTDvxXu4yM9DI9dfNhA8hsiF8='],
  // code point unassigned in Unicode 3.2: raw password
  ['\u{1F600}\uFF41', 'SCRAM-SHA-256$4096:oZDcl/i9zr0dqXLNus8oZg==$twa5AFATXplVK523k7yAJ9R0evfexIZFt1fh5pktbbU=:4kim0erj05eTf391ykYOJaSky22HTCu6mSkgCG2OgkA='],
  // right-to-left string containing a left-to-right letter: bidi rule fails, raw password
  ['\u05D0\uFF41\u05D1', 'SCRAM-SHA-256$4096:a11RV9SYOuPEUETdIVaHGQ==$rk2aTJPs04XelS8Oe3fpcv8XCJtw6FQo+Q9FjuWXq6Y=:sWFbXUy+Hx8NR9AkGHLfeIEnqhQhyVT5iCNja6bkLWI='],
  // valid right-to-left string: prepared (fullwidth digit becomes '1')
  ['\u0627\uFF11\u0628', 'SCRAM-SHA-256$4096:wz88RkmhpVkb8YVXropbTg==$h48jwHa1XyitUiV0OmqJpygUm98dxbcwYaONWWA+tL4=:hzt+R+QWV+UVT2wD1G9tiIynYNN2EVls+V5KdqAWNz4='],
];

test('plaintext passwords verify against verifiers made by PostgreSQL (SASLprep included)', () => {
  for (const [password, stored] of POSTGRES_VERIFIERS) {
    const verifier = parseScramVerifier(stored);
    assert.ok(verifier, stored);
    assert.equal(verifyScramPlainPassword(password, verifier), true, JSON.stringify(password));
    assert.equal(verifyScramPlainPassword(password + 'x', verifier), false, JSON.stringify(password));
    // Rebuilding the verifier with PostgreSQL's salt gives the identical string.
    const salt = decodeBase64Strict(verifier.salt)!;
    assert.equal(createScramVerifier(password, verifier.iterations, salt), stored, JSON.stringify(password));
  }
});

test('parseScramVerifier accepts only well-formed verifiers', () => {
  const good = POSTGRES_VERIFIERS[0][1];
  const parsed = parseScramVerifier(good)!;
  assert.equal(parsed.iterations, 4096);
  assert.equal(parsed.salt, 'sDlP6kMBRrq+0wxo6tq4eA==');
  assert.equal(parsed.storedKey.toString('base64'), 'FT3j5h53R/81QJ3KgB+cO/1hrEBrH2JB/zFtsrTgfWo=');
  assert.equal(parsed.serverKey.toString('base64'), 'TDKMnkyXehOhCP2RcP93ZfbClhwxSaLotgL35fEKTH4=');
  for (const bad of [
    'md5a940442cfc018cbb4c37d2492eb1c1c0',
    'plain',
    good.replace('SCRAM-SHA-256', 'SCRAM-SHA-1'),
    good.replace('4096', 'x'),
    good.replace('sDlP6kMBRrq+0wxo6tq4eA==', 'sDl*6kMBRrq+0wxo6tq4eA=='),
    good.replace('FT3j5h53R/81QJ3KgB+cO/1hrEBrH2JB/zFtsrTgfWo=', 'AAAA'),
    good.slice(0, -4),
    good.replace(/:[^:]*$/, ''),
  ]) {
    assert.equal(parseScramVerifier(bad), null, bad);
  }
});

function exchangeFor(password: string | null, options: { mechanism?: string; certHash?: Buffer } = {}): ScramExchange {
  const verifier: ScramVerifier | null = password === null ? null : parseScramVerifier(createScramVerifier(password));
  return new ScramExchange(options.mechanism ?? 'SCRAM-SHA-256', {
    user: 'alice',
    verifier,
    tlsServerCertificateHash: options.certHash,
  });
}

async function runWithPgClient(
  exchange: ScramExchange,
  password: string,
  mechanisms: string[],
  stream?: unknown,
): Promise<'success' | 'failure'> {
  const session = sasl.startSession(mechanisms, stream);
  const first = exchange.step(Buffer.from(session.response, 'utf8'));
  assert.equal(first.status, 'continue');
  if (first.status !== 'continue') throw new Error('unreachable');
  const serverFirst = first.output.toString('utf8');
  assert.match(serverFirst, new RegExp(`^r=${session.clientNonce.replace(/[+/]/g, '\\$&')}[A-Za-z0-9+/]{24},s=[A-Za-z0-9+/]{22}==,i=4096$`));
  await sasl.continueSession(session, password, serverFirst, stream);
  const final = exchange.step(Buffer.from(session.response, 'utf8'));
  if (final.status === 'success') {
    sasl.finalizeSession(session, final.output.toString('utf8')); // throws if the server signature is wrong
    return 'success';
  }
  assert.equal(final.status, 'failure');
  return 'failure';
}

test('full SCRAM exchange with node-postgres client: correct password succeeds, wrong fails', async () => {
  assert.equal(await runWithPgClient(exchangeFor('s3cret'), 's3cret', ['SCRAM-SHA-256']), 'success');
  assert.equal(await runWithPgClient(exchangeFor('s3cret'), 'wrong', ['SCRAM-SHA-256']), 'failure');
  assert.equal(await runWithPgClient(exchangeFor('ｐａｓｓ'), 'pass', ['SCRAM-SHA-256']), 'success');
});

test('SCRAM exchange against a verifier stored by PostgreSQL', async () => {
  const exchange = new ScramExchange('SCRAM-SHA-256', { user: 'r_ascii', verifier: parseScramVerifier(POSTGRES_VERIFIERS[0][1]) });
  assert.equal(await runWithPgClient(exchange, 'p', ['SCRAM-SHA-256']), 'success');
});

test('mock exchange for a role without verifier fails at the end, with a stable per-user salt', async () => {
  assert.equal(await runWithPgClient(exchangeFor(null), 'anything', ['SCRAM-SHA-256']), 'failure');
  const nonce = Buffer.alloc(32, 7);
  const a = mockScramVerifier('ghost', nonce);
  assert.equal(a.salt, mockScramVerifier('ghost', nonce).salt);
  assert.notEqual(a.salt, mockScramVerifier('ghost2', nonce).salt);
  assert.equal(a.salt, createHash('sha256').update('ghost').update(nonce).digest().subarray(0, 16).toString('base64'));
  assert.equal(a.iterations, 4096);
  // the salt the client sees is the mock one
  const exchange = new ScramExchange('SCRAM-SHA-256', { user: 'ghost', verifier: null, mockAuthNonce: nonce });
  const step = exchange.step(Buffer.from('n,,n=,r=abc'));
  assert.equal(step.status, 'continue');
  if (step.status === 'continue') assert.match(step.output.toString(), new RegExp(`,s=${a.salt.replace(/[+/]/g, '\\$&')},i=4096$`));
});

const CERT_HASH = createHash('sha256').update('certificate').digest();

test('channel binding: PLUS offered only with a certificate hash', async () => {
  assert.deepEqual(scramMechanisms(), ['SCRAM-SHA-256']);
  assert.deepEqual(scramMechanisms(CERT_HASH), ['SCRAM-SHA-256-PLUS', 'SCRAM-SHA-256']);
  assert.throws(
    () => exchangeFor('x', { mechanism: 'SCRAM-SHA-256-PLUS' }),
    (e: PgError) => e.code === '08P01' && e.message === 'client selected an invalid SASL authentication mechanism',
  );
  assert.throws(() => exchangeFor('x', { mechanism: 'PLAIN' }), (e: PgError) => e.code === '08P01');
});

test('channel binding data is checked against the certificate hash', () => {
  const run = (binding: Buffer) => {
    const exchange = exchangeFor('pw', { mechanism: 'SCRAM-SHA-256-PLUS', certHash: CERT_HASH });
    const first = exchange.step(Buffer.from('p=tls-server-end-point,,n=,r=abc'));
    if (first.status !== 'continue') throw new Error('expected continue');
    const nonce = /r=([^,]+)/.exec(first.output.toString())![1];
    const c = Buffer.concat([Buffer.from('p=tls-server-end-point,,'), binding]).toString('base64');
    return exchange.step(Buffer.from(`c=${c},r=${nonce},p=${Buffer.alloc(32).toString('base64')}`));
  };
  // right binding data: reaches the proof check (which fails for this fake proof)
  assert.deepEqual(run(CERT_HASH), { status: 'failure' });
  assert.throws(
    () => run(Buffer.alloc(32)),
    (e: PgError) => e.code === '28000' && e.message === 'SCRAM channel binding check failed',
  );
});

function expectError(run: () => unknown, code: string, message: string, detail?: string): void {
  assert.throws(run, (e: unknown) => {
    assert.ok(e instanceof PgError);
    assert.equal(e.code, code);
    assert.equal(e.message, message);
    assert.equal(e.detail, detail);
    assert.equal(e.severity, 'FATAL');
    return true;
  });
}

test('malformed client-first-message errors carry PostgreSQL details', () => {
  const first = (text: string, options: { mechanism?: string; certHash?: Buffer } = {}) => () =>
    exchangeFor('pw', options).step(Buffer.from(text, 'latin1'));
  const M = 'malformed SCRAM message';
  expectError(first(''), '08P01', M, 'The message is empty.');
  expectError(first('n,,n=\0,r=a'), '08P01', M, 'Message length does not match input length.');
  expectError(first('x,,n=,r=a'), '08P01', M, 'Unexpected channel-binding flag "x".');
  expectError(first('n;,n=,r=a'), '08P01', M, 'Comma expected, but found character ";".');
  expectError(first('n'), '08P01', M, 'Comma expected, but found character "0x00".');
  expectError(
    first('p=tls-server-end-point,,n=,r=a'),
    '08P01',
    M,
    'The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message includes channel binding data.',
  );
  expectError(
    first('n,,n=,r=a', { mechanism: 'SCRAM-SHA-256-PLUS', certHash: CERT_HASH }),
    '08P01',
    M,
    'The client selected SCRAM-SHA-256-PLUS, but the SCRAM message does not include channel binding data.',
  );
  expectError(
    first('p=tls-unique,,n=,r=a', { mechanism: 'SCRAM-SHA-256-PLUS', certHash: CERT_HASH }),
    '08P01',
    'unsupported SCRAM channel-binding type "tls-unique"',
  );
  expectError(
    first('y,,n=,r=a', { certHash: CERT_HASH }),
    '08P01',
    'SCRAM channel binding negotiation error',
    'The client supports SCRAM channel binding but thinks the server does not.  However, this server does support channel binding.',
  );
  expectError(first('n,a=bob,n=,r=a'), '0A000', 'client uses authorization identity, but it is not supported');
  expectError(first('n,x,n=,r=a'), '08P01', M, 'Unexpected attribute "x" in client-first-message.');
  expectError(first('n,,m=ext,n=,r=a'), '0A000', 'client requires an unsupported SCRAM extension');
  expectError(first('n,,r=abc'), '08P01', M, 'Expected attribute "n" but found "r".');
  expectError(first('n,,n,r=abc'), '08P01', M, 'Expected character "=" for attribute "n".');
  expectError(first('n,,n=,x=abc'), '08P01', M, 'Expected attribute "r" but found "x".');
  expectError(first('n,,n=,r=a\x7fb'), '08P01', 'non-printable characters in SCRAM nonce');
  expectError(first('n,,n=,r=ab,1=x'), '08P01', M, 'Attribute expected, but found invalid character "1".');
  // a client that supports binding but thinks the server does not is fine without TLS
  assert.equal(exchangeFor('pw').step(Buffer.from('y,,n=,r=a,q=ignored')).status, 'continue');
});

test('malformed client-final-message errors and nonce mismatch', () => {
  const final = (build: (nonce: string) => string, flag = 'n') => () => {
    const exchange = exchangeFor('pw');
    const first = exchange.step(Buffer.from(`${flag},,n=,r=clientnonce`));
    if (first.status !== 'continue') throw new Error('expected continue');
    const nonce = /r=([^,]+)/.exec(first.output.toString())![1];
    return exchange.step(Buffer.from(build(nonce), 'latin1'));
  };
  const proof = Buffer.alloc(32).toString('base64');
  const M = 'malformed SCRAM message';
  expectError(final((n) => `r=${n},p=${proof}`), '08P01', M, 'Expected attribute "c" but found "r".');
  expectError(
    final((n) => `c=eSws,r=${n},p=${proof}`),
    '08P01',
    'unexpected SCRAM channel-binding attribute in client-final-message',
  );
  expectError(
    final((n) => `c=biws,r=${n},p=${proof}`, 'y'),
    '08P01',
    'unexpected SCRAM channel-binding attribute in client-final-message',
  );
  expectError(final((n) => `c=biws,r=${n}`), '08P01', M, 'Attribute expected, but found invalid character "0x00".');
  expectError(final((n) => `c=biws,r=${n},p=AAAA`), '08P01', M, 'Malformed proof in client-final-message.');
  expectError(final((n) => `c=biws,r=${n},p=${proof.slice(0, -1)}`), '08P01', M, 'Malformed proof in client-final-message.');
  expectError(final((n) => `c=biws,r=${n},p=${proof},x=1`), '08P01', M, 'Garbage found at the end of client-final-message.');
  expectError(final(() => `c=biws,r=clientnonceXXXX,p=${proof}`), '08P01', 'invalid SCRAM response', 'Nonce does not match.');
  // extensions before the proof are skipped; the wrong proof then just fails
  assert.deepEqual(final((n) => `c=biws,r=${n},x=ext,p=${proof}`)(), { status: 'failure' });
  assert.deepEqual(final((n) => `c=eSws,r=${n},p=${proof}`, 'y')(), { status: 'failure' });
});

test('empty initial response is answered with an empty challenge', async () => {
  const exchange = exchangeFor('pw');
  assert.deepEqual(exchange.step(null), { status: 'continue', output: Buffer.alloc(0) });
  assert.equal(await runWithPgClient(exchange, 'pw', ['SCRAM-SHA-256']), 'success');
});

test('strict base64 decoding', () => {
  assert.equal(decodeBase64Strict('aGVsbG8=')!.toString(), 'hello');
  assert.equal(decodeBase64Strict('aGVsbA==')!.toString(), 'hell');
  assert.equal(decodeBase64Strict('')!.length, 0);
  assert.equal(decodeBase64Strict('aGVsbG8'), null);
  assert.equal(decodeBase64Strict('aGVs bG8='), null);
  assert.equal(decodeBase64Strict('aGVsbG8*'), null);
  assert.equal(decodeBase64Strict('a==='), null);
});
