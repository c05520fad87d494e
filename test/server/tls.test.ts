// TLS: a server started with ssl = on and a self-signed certificate answers
// SSLRequest with 'S', psql (sslmode=require) and node-postgres (ssl) talk to
// it over TLS, pg_hba.conf hostssl/hostnossl lines tell the two apart, and
// SCRAM over TLS offers channel binding (SCRAM-SHA-256-PLUS with
// tls-server-end-point, as PostgreSQL 11 does).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { serialize } from 'pg-protocol';
import { startTestServer, type TestServer } from '../harness/server.js';
import { runPsql, haveBinary } from '../harness/psql.js';
import { RawClient } from '../harness/raw-client.js';
import { TEST_TARGET } from '../harness/paths.js';
import { connectClient, expectPgError, withClient } from '../harness/pg-client.js';
import { waitUntil } from '../harness/wait.js';

// postgres gets in over TLS without a password (to set up the roles); every
// other role needs SCRAM over TLS; nobody gets in without TLS.
const HBA = [
  '# TYPE    DATABASE  USER      ADDRESS       METHOD',
  'hostssl   all       postgres  127.0.0.1/32  trust',
  'hostssl   all       all       127.0.0.1/32  scram-sha-256',
  'hostnossl all       all       127.0.0.1/32  reject',
  '',
].join('\n');

const haveOpenssl = spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;
const skip = haveOpenssl ? false : 'openssl is not installed';
const skipPsql = skip || (haveBinary('psql') ? false : 'psql is not installed');

let certDir = '';
let server: TestServer;

/** The PostgreSQL 15 oracle runs as the postgres OS user and must be able to read the key. */
function giveToPostgresUser(paths: string[]): void {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return;
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return;
  for (const p of paths) chownSync(p, Number(uid.stdout.trim()), Number(gid.stdout.trim()));
}

before(async () => {
  if (skip) return;
  certDir = mkdtempSync(join(tmpdir(), 'tls-test-'));
  const gen = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-keyout', 'server.key', '-out', 'server.crt'],
    { cwd: certDir, encoding: 'utf8', timeout: 60_000 },
  );
  assert.equal(gen.status, 0, `openssl failed: ${gen.stderr}`);
  giveToPostgresUser([certDir, join(certDir, 'server.key'), join(certDir, 'server.crt')]);
  server = await startTestServer({
    hba: HBA,
    settings: { ssl: 'on', ssl_cert_file: join(certDir, 'server.crt'), ssl_key_file: join(certDir, 'server.key') },
  });
  await withClient(
    server,
    async (admin) => {
      // PostgreSQL 11 defaults to md5 verifiers; channel binding needs SCRAM
      await admin.query("SET password_encryption = 'scram-sha-256'");
      await admin.query("CREATE ROLE alice LOGIN PASSWORD 'secret'");
    },
    { ssl: { rejectUnauthorized: false } },
  );
});

after(async () => {
  await server?.stop();
  if (certDir) rmSync(certDir, { recursive: true, force: true });
});

const TLS_OPTS = { rejectUnauthorized: false };

/** How the hba rejection names a plain connection: PostgreSQL 11 says "SSL off", 12+ "no encryption". */
const NO_TLS = TEST_TARGET === 'pg15' ? 'no encryption' : 'SSL off';

/** pg keeps the socket it talks over (a tls.TLSSocket once SSL is negotiated) here. */
function streamOf(c: pg.Client): net.Socket {
  return (c as unknown as { connection: { stream: net.Socket } }).connection.stream;
}

test('psql with sslmode=require runs a query over TLS', { skip: skipPsql }, async () => {
  const r = await runPsql(server.port, ['-c', 'SELECT 1'], { env: { PGSSLMODE: 'require' } });
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, ' ?column? \n----------\n        1\n(1 row)\n\n');
  assert.equal(r.code, 0);
});

test('node-postgres with ssl: the query runs on a TLS socket showing our certificate', { skip }, async () => {
  const c = await connectClient(server, { ssl: TLS_OPTS });
  try {
    const r = await c.query('SELECT 40 + 2 AS answer');
    assert.deepEqual(r.rows, [{ answer: 42 }]);
    const stream = streamOf(c);
    assert.ok(stream instanceof tls.TLSSocket, 'pg talks over a TLSSocket');
    assert.equal((stream as tls.TLSSocket).encrypted, true);
    assert.equal((stream as tls.TLSSocket).getPeerCertificate().subject.CN, 'localhost');
  } finally {
    await c.end();
  }
});

/** Sends SSLRequest on a fresh socket; returns the one-byte answer and the socket (nothing else read). */
async function sslRequest(port: number): Promise<{ answer: string; socket: net.Socket }> {
  const socket = net.connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(serialize.requestSsl());
  const answer = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer to SSLRequest')), 10_000);
    socket.once('readable', () => {
      clearTimeout(timer);
      const b = socket.read(1) as Buffer | null;
      resolve(b === null ? '' : String.fromCharCode(b[0]!));
    });
  });
  return { answer, socket };
}

/** TLS handshake over a socket that got 'S'. */
async function startTls(socket: net.Socket): Promise<tls.TLSSocket> {
  const secure = tls.connect({ socket, rejectUnauthorized: false, servername: 'localhost' });
  await new Promise<void>((resolve, reject) => {
    secure.once('secureConnect', resolve);
    secure.once('error', reject);
  });
  return secure;
}

test("a raw SSLRequest is answered 'S', the TLS handshake completes and startup runs inside it", { skip }, async () => {
  const { answer, socket } = await sslRequest(server.port);
  try {
    assert.equal(answer, 'S');
    const secure = await startTls(socket);
    assert.equal(secure.getPeerCertificate().subject.CN, 'localhost');
    const reader = RawClient.wrap(secure);
    secure.write(serialize.startup({ user: 'postgres', database: 'postgres' }));
    const msgs = await reader.until('readyForQuery');
    assert.equal(msgs[0]!.name, 'authenticationOk');
    assert.equal(msgs.filter((m) => m.name === 'error').length, 0);
    secure.write(serialize.query('SELECT 7 AS seven'));
    const res = await reader.until('readyForQuery');
    const row = res.find((m) => m.name === 'dataRow');
    assert.deepEqual(row?.fields, ['7']);
    secure.write(serialize.end());
    secure.end();
  } finally {
    socket.destroy();
  }
});

test('over TLS the server offers SCRAM-SHA-256-PLUS before SCRAM-SHA-256', { skip }, async () => {
  const { answer, socket } = await sslRequest(server.port);
  try {
    assert.equal(answer, 'S');
    const secure = await startTls(socket);
    const reader = RawClient.wrap(secure);
    secure.write(serialize.startup({ user: 'alice', database: 'postgres' }));
    const [m] = await reader.until('authenticationSASL');
    assert.equal(m!.name, 'authenticationSASL');
    assert.deepEqual(m!.mechanisms, ['SCRAM-SHA-256-PLUS', 'SCRAM-SHA-256']);
  } finally {
    socket.destroy();
  }
});

test('hostnossl reject: a connection without TLS is refused with 28000', { skip }, async () => {
  for (const user of ['postgres', 'alice']) {
    await expectPgError(
      connectClient(server, { user, password: 'secret', ssl: false }),
      '28000',
      `pg_hba.conf rejects connection for host "127.0.0.1", user "${user}", database "postgres", ${NO_TLS}`,
      { severity: 'FATAL' },
    );
  }
});

test('psql with sslmode=disable sees the pg_hba.conf rejection', { skip: skipPsql }, async () => {
  const r = await runPsql(server.port, ['-c', 'SELECT 1'], { env: { PGSSLMODE: 'disable' } });
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.ok(
    r.stderr.endsWith(`FATAL:  pg_hba.conf rejects connection for host "127.0.0.1", user "postgres", database "postgres", ${NO_TLS}\n`),
    r.stderr,
  );
});

test('hostssl scram-sha-256: node-postgres logs in over TLS, without and with channel binding', { skip }, async () => {
  for (const enableChannelBinding of [false, true]) {
    const c = await connectClient(server, { user: 'alice', password: 'secret', ssl: TLS_OPTS, enableChannelBinding });
    try {
      const r = await c.query('SELECT current_user AS u, session_user AS s');
      assert.deepEqual(r.rows, [{ u: 'alice', s: 'alice' }], `enableChannelBinding=${enableChannelBinding}`);
      assert.equal(streamOf(c).constructor, tls.TLSSocket);
    } finally {
      await c.end();
    }
  }
});

test('hostssl scram-sha-256: a wrong password over TLS is 28P01', { skip }, async () => {
  await expectPgError(connectClient(server, { user: 'alice', password: 'wrong', ssl: TLS_OPTS }), '28P01', 'password authentication failed for user "alice"', {
    severity: 'FATAL',
  });
});

test('psql with sslmode=require and SCRAM: channel_binding=disable, prefer and require all log in', { skip: skipPsql }, async () => {
  for (const channelBinding of ['disable', 'prefer', 'require']) {
    const r = await runPsql(server.port, ['-A', '-t', '-c', 'SELECT current_user'], {
      env: { PGUSER: 'alice', PGPASSWORD: 'secret', PGSSLMODE: 'require', PGCHANNELBINDING: channelBinding },
    });
    assert.equal(r.stderr, '', `channel_binding=${channelBinding}`);
    assert.equal(r.stdout, 'alice\n', `channel_binding=${channelBinding}`);
    assert.equal(r.code, 0);
  }
});

test('psql with channel_binding=require and a wrong password fails authentication', { skip: skipPsql }, async () => {
  const r = await runPsql(server.port, ['-c', 'SELECT 1'], {
    env: { PGUSER: 'alice', PGPASSWORD: 'wrong', PGSSLMODE: 'require', PGCHANNELBINDING: 'require' },
  });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /FATAL: {2}password authentication failed for user "alice"\n$/);
});

test('ssl = on in the configuration file takes effect on SIGHUP (ssl is a reload-time setting)', { skip }, async () => {
  const plain = await startTestServer();
  try {
    const first = await sslRequest(plain.port);
    first.socket.destroy();
    assert.equal(first.answer, 'N');
    const conf = join(plain.dataDir, TEST_TARGET === 'pg15' ? 'postgresql.conf' : 'pipelinedb.conf');
    appendFileSync(conf, `\nssl = on\nssl_cert_file = '${join(certDir, 'server.crt')}'\nssl_key_file = '${join(certDir, 'server.key')}'\n`);
    process.kill(plain.pid, 'SIGHUP');
    const answerAfterReload = async () => {
      const probe = await sslRequest(plain.port);
      probe.socket.destroy();
      return probe.answer;
    };
    assert.equal(await waitUntil(answerAfterReload, 'S', 5000), 'S', 'SSLRequest after the reload');
    const c = await connectClient(plain, { ssl: TLS_OPTS });
    try {
      assert.equal((await c.query('SHOW ssl')).rows[0].ssl, 'on');
      assert.equal((streamOf(c) as tls.TLSSocket).encrypted, true);
    } finally {
      await c.end();
    }
  } finally {
    await plain.stop();
  }
});
