// Who may change roles and databases, checked against the catalog as it is
// now: a live session loses privileges at its next statement when another
// session revokes them or drops its role. Also the superuser-only role
// attributes, CREATE DATABASE's OWNER / TEMPLATE / ALLOW_CONNECTIONS /
// IS_TEMPLATE / CONNECTION LIMIT, template0, and read-only transactions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startTestServer, type TestServer } from '../harness/server.js';
import { TEST_TARGET } from '../harness/paths.js';
import { connectClient, endAll, expectPgError, retryWhilePgError } from '../harness/pg-client.js';

const PG15 = TEST_TARGET === 'pg15';
/** PostgreSQL 14 reworded some of these messages; the tests expect 11's, and 15's under TEST_TARGET=pg15. */
const msg = (pg11: string, pg15: string): string => (PG15 ? pg15 : pg11);

let server: TestServer;
let admin: pg.Client;
const open: pg.Client[] = [];

before(async () => {
  server = await startTestServer({ hba: 'host all all 127.0.0.1/32 trust\n' });
  admin = await connectClient(server);
  await admin.query('CREATE ROLE creator LOGIN CREATEROLE CREATEDB');
  await admin.query('CREATE ROLE plain LOGIN');
  await admin.query('CREATE ROLE plain2 LOGIN');
  await admin.query('CREATE ROLE rls_role BYPASSRLS');
  await admin.query('CREATE ROLE repl_role REPLICATION');
});

after(async () => {
  await endAll(open);
  await admin?.end().catch(() => {});
  await server?.stop();
});

/** A session kept open until the end of the file. */
async function session(user: string, extra: Partial<pg.ClientConfig> = {}): Promise<pg.Client> {
  const c = await connectClient(server, { user, ...extra });
  open.push(c);
  return c;
}

/** A closed session leaves its database a moment after the client sees the socket close. */
async function dropDatabaseWhenFree(c: pg.Client, name: string): Promise<void> {
  await retryWhilePgError('55006', () => c.query(`DROP DATABASE ${name}`));
}

// --- privileges follow the catalog, not the login ------------------------------

test('a session whose role loses SUPERUSER loses its privileges at the next statement', async () => {
  await admin.query('CREATE ROLE boss SUPERUSER LOGIN');
  const boss = await session('boss');
  const victim = await connectClient(server, { user: 'plain' });
  try {
    const victimPid = (await victim.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    await boss.query('CREATE ROLE boss_made');
    await admin.query('ALTER ROLE boss NOSUPERUSER');
    await expectPgError(boss.query('CREATE ROLE boss_made2'), '42501', 'permission denied to create role');
    await expectPgError(boss.query('DROP ROLE boss_made'), '42501', 'permission denied to drop role');
    await expectPgError(
      boss.query(`SELECT pg_terminate_backend(${victimPid})`),
      '42501',
      'must be a member of the role whose process is being terminated or member of pg_signal_backend',
    );
    assert.equal((await victim.query('SELECT 1 AS one')).rows[0].one, 1);
    // and regains them just as fast
    await admin.query('ALTER ROLE boss SUPERUSER');
    await boss.query('DROP ROLE boss_made');
  } finally {
    await victim.end();
  }
});

test('a session whose role loses CREATEROLE / CREATEDB can no longer use them', async () => {
  await admin.query('CREATE ROLE maker LOGIN CREATEROLE CREATEDB');
  const maker = await session('maker');
  await maker.query('CREATE ROLE maker_made');
  await admin.query('ALTER ROLE maker NOCREATEROLE NOCREATEDB');
  await expectPgError(maker.query('CREATE ROLE maker_made2'), '42501', 'permission denied to create role');
  await expectPgError(maker.query('ALTER ROLE maker_made LOGIN'), '42501', 'permission denied');
  await expectPgError(maker.query('CREATE DATABASE maker_db'), '42501', 'permission denied to create database');
  await admin.query('DROP ROLE maker_made');
});

test('a session whose role was dropped has no privileges left', async () => {
  await admin.query('CREATE ROLE ghost LOGIN CREATEROLE CREATEDB');
  const ghost = await session('ghost');
  await ghost.query('CREATE ROLE ghost_made');
  await admin.query('DROP ROLE ghost');
  await expectPgError(ghost.query('CREATE ROLE ghost_made2'), '42501', 'permission denied to create role');
  await expectPgError(ghost.query('DROP ROLE ghost_made'), '42501', 'permission denied to drop role');
  await expectPgError(ghost.query('CREATE DATABASE ghost_db'), '42501', 'permission denied to create database');
  await admin.query('DROP ROLE ghost_made');
});

// --- role attributes only superusers may hand out -------------------------------

test('CREATEROLE is not enough for SUPERUSER, REPLICATION or BYPASSRLS roles', async () => {
  const creator = await session('creator');
  await expectPgError(creator.query('CREATE ROLE x SUPERUSER'), '42501', 'must be superuser to create superusers');
  await expectPgError(creator.query('CREATE ROLE x REPLICATION'), '42501', 'must be superuser to create replication users');
  await expectPgError(creator.query('CREATE ROLE x BYPASSRLS'), '42501', msg('must be superuser to change bypassrls attribute', 'must be superuser to create bypassrls users'));
  await expectPgError(creator.query('CREATE ROLE x SUPERUSER REPLICATION BYPASSRLS'), '42501', 'must be superuser to create superusers');

  const alterSuper = msg('must be superuser to alter superusers', 'must be superuser to alter superuser roles or change superuser attribute');
  const alterRepl = msg('must be superuser to alter replication users', 'must be superuser to alter replication roles or change replication attribute');
  await expectPgError(creator.query('ALTER ROLE plain SUPERUSER'), '42501', alterSuper);
  await expectPgError(creator.query('ALTER ROLE plain NOSUPERUSER'), '42501', alterSuper);
  await expectPgError(creator.query('ALTER ROLE postgres CONNECTION LIMIT 5'), '42501', alterSuper);
  await expectPgError(creator.query('ALTER ROLE plain REPLICATION'), '42501', alterRepl);
  await expectPgError(creator.query('ALTER ROLE repl_role LOGIN'), '42501', alterRepl);
  await expectPgError(creator.query('ALTER ROLE plain BYPASSRLS'), '42501', 'must be superuser to change bypassrls attribute');
  await expectPgError(creator.query('ALTER ROLE plain NOBYPASSRLS'), '42501', 'must be superuser to change bypassrls attribute');
  if (PG15) {
    await creator.query('ALTER ROLE rls_role LOGIN'); // PostgreSQL 13+ only guards the attribute itself
    await creator.query('ALTER ROLE rls_role NOLOGIN');
  } else {
    await expectPgError(creator.query('ALTER ROLE rls_role LOGIN'), '42501', 'must be superuser to change bypassrls attribute');
  }

  await expectPgError(creator.query('ALTER ROLE postgres RENAME TO x'), '42501', 'must be superuser to rename superusers');
  await expectPgError(creator.query('DROP ROLE postgres'), '42501', 'must be superuser to drop superusers');

  // what CREATEROLE does allow
  await creator.query('CREATE ROLE creator_made LOGIN CONNECTION LIMIT 3');
  await creator.query('ALTER ROLE creator_made RENAME TO creator_made2');
  await creator.query('DROP ROLE creator_made2');
  // and a superuser may do all of it
  await admin.query('CREATE ROLE super_made SUPERUSER REPLICATION BYPASSRLS');
  await admin.query('ALTER ROLE super_made NOSUPERUSER NOREPLICATION NOBYPASSRLS');
  await admin.query('DROP ROLE super_made');
});

test('without CREATEROLE a role may only change its own password', async () => {
  const plain = await session('plain');
  await expectPgError(plain.query('CREATE ROLE x'), '42501', 'permission denied to create role');
  await expectPgError(plain.query('ALTER ROLE plain2 NOLOGIN'), '42501', 'permission denied');
  await expectPgError(plain.query("ALTER ROLE plain2 PASSWORD 'x'"), '42501', 'permission denied');
  await expectPgError(plain.query('ALTER ROLE plain NOLOGIN'), '42501', 'permission denied');
  await expectPgError(plain.query("ALTER ROLE plain PASSWORD 'x' VALID UNTIL 'infinity'"), '42501', 'permission denied');
  await plain.query("ALTER ROLE plain PASSWORD 'mine'");
  await plain.query('ALTER ROLE plain PASSWORD NULL');
  await expectPgError(plain.query('ALTER ROLE plain2 RENAME TO plain3'), '42501', 'permission denied to rename role');
  await expectPgError(plain.query('DROP ROLE plain2'), '42501', 'permission denied to drop role');
  await expectPgError(plain.query('DROP ROLE IF EXISTS nobody_at_all'), '42501', 'permission denied to drop role');
});

test('CONNECTION LIMIT below -1 is refused for roles and databases (22023)', async () => {
  await expectPgError(admin.query('CREATE ROLE x CONNECTION LIMIT -2'), '22023', 'invalid connection limit: -2');
  await expectPgError(admin.query('ALTER ROLE plain CONNECTION LIMIT -5'), '22023', 'invalid connection limit: -5');
  await expectPgError(admin.query('CREATE DATABASE x CONNECTION LIMIT -2'), '22023', 'invalid connection limit: -2');
});

// --- CREATE DATABASE -------------------------------------------------------------

test('CREATE DATABASE ... OWNER another role needs membership in it; superusers may', async () => {
  const creator = await session('creator');
  await expectPgError(creator.query('CREATE DATABASE given_away OWNER plain'), '42501', 'must be member of role "plain"');
  await expectPgError(creator.query('CREATE DATABASE given_away OWNER nobody_at_all'), '42704', 'role "nobody_at_all" does not exist');
  await creator.query('CREATE DATABASE own_db OWNER creator');
  await creator.query('DROP DATABASE own_db');
  await admin.query('CREATE DATABASE given_away OWNER plain');
  const plain = await connectClient(server, { user: 'plain', database: 'given_away' });
  assert.equal((await plain.query('SELECT current_database() AS db')).rows[0].db, 'given_away');
  await plain.end();
  // the owner may drop it even without CREATEDB
  const plainElsewhere = await connectClient(server, { user: 'plain' });
  await dropDatabaseWhenFree(plainElsewhere, 'given_away');
  await plainElsewhere.end();
});

test('TEMPLATE must name an existing database, and copying a non-template needs ownership', async () => {
  const creator = await session('creator');
  await expectPgError(admin.query('CREATE DATABASE from_nothing TEMPLATE nosuch_db'), '3D000', 'template database "nosuch_db" does not exist');
  await expectPgError(creator.query('CREATE DATABASE from_postgres TEMPLATE postgres'), '42501', 'permission denied to copy database "postgres"');
  await creator.query('CREATE DATABASE from_template0 TEMPLATE template0');
  await creator.query('CREATE DATABASE creators_db');
  await creator.query('CREATE DATABASE from_own TEMPLATE creators_db');
  // a database marked IS_TEMPLATE may be copied by anyone with CREATEDB
  await admin.query('CREATE DATABASE shared_template IS_TEMPLATE true');
  await creator.query('CREATE DATABASE from_shared TEMPLATE shared_template');
  for (const db of ['from_template0', 'from_own', 'creators_db', 'from_shared']) await creator.query(`DROP DATABASE ${db}`);
});

test('template0 exists, accepts no connections and cannot be dropped', async () => {
  await expectPgError(connectClient(server, { database: 'template0' }), '55000', 'database "template0" is not currently accepting connections');
  await expectPgError(admin.query('DROP DATABASE template0'), '42809', 'cannot drop a template database');
  await expectPgError(admin.query('DROP DATABASE template1'), '42809', 'cannot drop a template database');
  await expectPgError(admin.query('CREATE DATABASE template0'), '42P04', 'database "template0" already exists');
});

test('ALLOW_CONNECTIONS and IS_TEMPLATE are stored and honoured', async () => {
  await admin.query('CREATE DATABASE closed_db ALLOW_CONNECTIONS false');
  await expectPgError(connectClient(server, { database: 'closed_db' }), '55000', 'database "closed_db" is not currently accepting connections');
  await admin.query('DROP DATABASE closed_db');

  // (CONNECTION LIMIT at login is covered by limits.test.ts)
  await admin.query("CREATE DATABASE open_db ALLOW_CONNECTIONS 'on' IS_TEMPLATE 0 CONNECTION LIMIT 3");
  const c = await connectClient(server, { user: 'plain', database: 'open_db' });
  await c.end();
  await dropDatabaseWhenFree(admin, 'open_db');

  await admin.query('CREATE DATABASE template_db IS_TEMPLATE true');
  await expectPgError(admin.query('DROP DATABASE template_db'), '42809', 'cannot drop a template database');
});

test('CREATE DATABASE option errors', async () => {
  await expectPgError(admin.query("CREATE DATABASE x ALLOW_CONNECTIONS 'maybe'"), '42601', 'allow_connections requires a Boolean value');
  await expectPgError(admin.query('CREATE DATABASE x IS_TEMPLATE 2'), '42601', 'is_template requires a Boolean value');
  await expectPgError(admin.query('CREATE DATABASE x OWNER postgres OWNER postgres'), '42601', 'conflicting or redundant options');
});

test('CREATE DATABASE refuses while another session is connected to the template', async () => {
  const onTemplate = await connectClient(server, { database: 'template1' });
  try {
    await expectPgError(
      admin.query('CREATE DATABASE busy_copy'),
      '55006',
      'source database "template1" is being accessed by other users',
      { detail: 'There is 1 other session using the database.' },
    );
  } finally {
    await onTemplate.end();
  }
});

// --- read-only transactions --------------------------------------------------------

test('role and database DDL is refused in a read-only transaction (25006)', async () => {
  const ro = (tag: string): string => `cannot execute ${tag} in a read-only transaction`;
  const c = await connectClient(server);
  try {
    await c.query('SET default_transaction_read_only = on');
    await expectPgError(c.query('CREATE ROLE ro_x'), '25006', ro('CREATE ROLE'));
    await expectPgError(c.query('ALTER ROLE plain NOLOGIN'), '25006', ro('ALTER ROLE'));
    await expectPgError(c.query("ALTER ROLE plain PASSWORD 'x'"), '25006', ro('ALTER ROLE'));
    await expectPgError(c.query('ALTER ROLE plain RENAME TO ro_y'), '25006', ro('ALTER ROLE'));
    await expectPgError(c.query('DROP ROLE plain'), '25006', ro('DROP ROLE'));
    await expectPgError(c.query('DROP ROLE IF EXISTS nobody_at_all'), '25006', ro('DROP ROLE'));
    await expectPgError(c.query('CREATE DATABASE ro_db'), '25006', ro('CREATE DATABASE'));
    await expectPgError(c.query('DROP DATABASE IF EXISTS nosuch_db'), '25006', ro('DROP DATABASE'));
    await c.query('RESET default_transaction_read_only');

    await c.query('BEGIN READ ONLY');
    await expectPgError(c.query('CREATE ROLE ro_x'), '25006', ro('CREATE ROLE'));
    await c.query('ROLLBACK');
    await c.query('BEGIN');
    await c.query('SET TRANSACTION READ ONLY');
    await expectPgError(c.query('DROP ROLE plain'), '25006', ro('DROP ROLE'));
    await c.query('ROLLBACK');
    await c.query('BEGIN');
    await c.query('SET transaction_read_only = on');
    await expectPgError(c.query('ALTER ROLE plain NOLOGIN'), '25006', ro('ALTER ROLE'));
    await c.query('ROLLBACK');
    // the read-only check comes before the transaction-block one
    await c.query('BEGIN READ ONLY');
    await expectPgError(c.query('CREATE DATABASE ro_db'), '25006', ro('CREATE DATABASE'));
    await c.query('ROLLBACK');
    // read-write again
    await c.query('CREATE ROLE rw_ok');
    await c.query('DROP ROLE rw_ok');
  } finally {
    await c.end();
  }
  const fromStartup = await connectClient(server, { options: '-c default_transaction_read_only=on' });
  try {
    await expectPgError(fromStartup.query('CREATE ROLE ro_x'), '25006', ro('CREATE ROLE'));
  } finally {
    await fromStartup.end();
  }
});
