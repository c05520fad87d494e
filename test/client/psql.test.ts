// psql (libpq) against the server: default sslmode=prefer, password
// authentication with SCRAM-SHA-256 and MD5 through a custom pg_hba.conf,
// and the connection-time errors a user sees.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../harness/server.js';
import { runPsql, haveBinary } from '../harness/psql.js';
import { RawClient, frontend, names } from '../harness/raw-client.js';
import { connectClient, expectPgError, withClient } from '../harness/pg-client.js';

const HBA = [
  '# TYPE  DATABASE  USER   ADDRESS        METHOD',
  'host    all       alice  127.0.0.1/32   scram-sha-256',
  'host    all       bob    127.0.0.1/32   md5',
  'host    all       all    127.0.0.1/32   trust',
  '',
].join('\n');

const skip = haveBinary('psql') ? false : 'psql is not installed';
let server: TestServer;

before(async () => {
  server = await startTestServer({ hba: HBA });
  await withClient(server, async (admin) => {
    // PostgreSQL 11 defaults to md5 verifiers, so ask for SCRAM explicitly
    await admin.query("SET password_encryption = 'scram-sha-256'");
    await admin.query("CREATE ROLE alice LOGIN PASSWORD 'secret'");
    await admin.query("SET password_encryption = 'md5'");
    await admin.query("CREATE ROLE bob LOGIN PASSWORD 'pw'");
  });
});

after(async () => {
  await server?.stop();
});

test('psql -c with the default sslmode (prefer): SSLRequest is declined, the query runs', { skip }, async () => {
  const r = await runPsql(server.port, ['-c', 'SELECT 1']);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, ' ?column? \n----------\n        1\n(1 row)\n\n');
  assert.equal(r.code, 0);
});

test('SSLRequest is answered with N and the same connection then starts up', async () => {
  const c = await RawClient.connect(server.port);
  try {
    assert.equal(await c.requestSsl(), 'N');
    const msgs = await c.startup();
    assert.equal(msgs[msgs.length - 1].name, 'readyForQuery');
  } finally {
    c.destroy();
  }
});

test('sslmode=require fails cleanly against a server without SSL', { skip }, async () => {
  const r = await runPsql(server.port, ['-c', 'SELECT 1'], { env: { PGSSLMODE: 'require' } });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /server does not support SSL, but SSL was required/);
});

test('psql -A -t prints bare values', { skip }, async () => {
  const r = await runPsql(server.port, ['-A', '-t', '-c', "SELECT 1, 'two'", '-c', 'SELECT 3']);
  assert.equal(r.stdout, '1|two\n3\n');
  assert.equal(r.code, 0);
});

test('alice (scram-sha-256): the server asks for SCRAM-SHA-256', async () => {
  const c = await RawClient.connect(server.port);
  try {
    c.write(frontend.startup({ user: 'alice', database: 'postgres' }));
    const m = await c.next();
    assert.equal(m.name, 'authenticationSASL');
    assert.deepEqual(m.mechanisms, ['SCRAM-SHA-256']);
  } finally {
    c.destroy();
  }
});

test('bob (md5): the server asks for an MD5 password with a 4-byte salt', async () => {
  const c = await RawClient.connect(server.port);
  try {
    c.write(frontend.startup({ user: 'bob', database: 'postgres' }));
    const m = await c.next();
    assert.equal(m.name, 'authenticationMD5Password');
    assert.equal(m.salt.length, 4);
  } finally {
    c.destroy();
  }
});

test('psql with the right password logs in (scram and md5)', { skip }, async () => {
  const alice = await runPsql(server.port, ['-A', '-t', '-c', 'SELECT current_user, session_user'], { env: { PGUSER: 'alice', PGPASSWORD: 'secret' } });
  assert.equal(alice.stderr, '');
  assert.equal(alice.stdout, 'alice|alice\n');
  const bob = await runPsql(server.port, ['-A', '-t', '-c', 'SELECT current_user'], { env: { PGUSER: 'bob', PGPASSWORD: 'pw' } });
  assert.equal(bob.stderr, '');
  assert.equal(bob.stdout, 'bob\n');
});

test('\\c switches to alice (scram, PGPASSWORD) and to bob (md5, password in the conninfo)', { skip }, async () => {
  const r = await runPsql(server.port, ['-A', '-t'], {
    stdin: 'SELECT current_user;\n\\c - alice\nSELECT current_user;\n\\c "dbname=postgres user=bob password=pw"\nSELECT current_user;\n',
    env: { PGPASSWORD: 'secret' },
  });
  assert.equal(r.stderr, '');
  assert.equal(
    r.stdout,
    'postgres\nYou are now connected to database "postgres" as user "alice".\nalice\n' +
      'You are now connected to database "postgres" as user "bob".\nbob\n',
  );
  assert.equal(r.code, 0);
});

test('psql with a wrong password: password authentication failed (scram and md5)', { skip }, async () => {
  const alice = await runPsql(server.port, ['-c', 'SELECT 1'], { env: { PGUSER: 'alice', PGPASSWORD: 'wrong' } });
  assert.equal(alice.code, 2);
  assert.equal(alice.stdout, '');
  assert.match(alice.stderr, /FATAL: {2}password authentication failed for user "alice"\n$/);
  const bob = await runPsql(server.port, ['-c', 'SELECT 1'], { env: { PGUSER: 'bob', PGPASSWORD: 'wrong' } });
  assert.equal(bob.code, 2);
  assert.match(bob.stderr, /FATAL: {2}password authentication failed for user "bob"\n$/);
});

test('psql without a password where one is needed fails without prompting', { skip }, async () => {
  const r = await runPsql(server.port, ['-w', '-c', 'SELECT 1'], { env: { PGUSER: 'alice' } });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /fe_sendauth: no password supplied/);
});

test('node-postgres: SCRAM and MD5 logins, wrong password is 28P01', async () => {
  for (const [user, password] of [['alice', 'secret'], ['bob', 'pw']]) {
    const c = await connectClient(server, { user, password });
    const r = await c.query('SELECT current_user AS u');
    assert.equal(r.rows[0].u, user);
    await c.end();

    await expectPgError(connectClient(server, { user, password: 'nope' }), '28P01', `password authentication failed for user "${user}"`, { severity: 'FATAL' });
  }
});

test('missing database: 3D000 database "nope" does not exist', { skip }, async () => {
  const r = await runPsql(server.port, ['-d', 'nope', '-c', 'SELECT 1']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /FATAL: {2}database "nope" does not exist\n$/);

  await expectPgError(connectClient(server, { database: 'nope' }), '3D000', 'database "nope" does not exist', { severity: 'FATAL' });
});

test('unknown role: 28000 role "nobody" does not exist', async () => {
  const c = await RawClient.connect(server.port);
  try {
    c.write(frontend.startup({ user: 'nobody', database: 'postgres' }));
    const msgs = await c.untilClosed();
    // trust authentication succeeds first; the role lookup fails afterwards
    assert.deepEqual(names(msgs), ['authenticationOk', 'error']);
    assert.equal(msgs[1].severity, 'FATAL');
    assert.equal(msgs[1].code, '28000');
    assert.equal(msgs[1].message, 'role "nobody" does not exist');
  } finally {
    c.destroy();
  }
});

test('the other databases created at init accept connections', { skip }, async () => {
  // a plain PostgreSQL has no "pipeline" database
  const dbs = server.target === 'pg15' ? ['template1'] : ['pipeline', 'template1'];
  for (const db of dbs) {
    const r = await runPsql(server.port, ['-A', '-t', '-d', db, '-c', 'SELECT current_database()']);
    assert.equal(r.stderr, '', db);
    assert.equal(r.stdout, `${db}\n`);
  }
});
