// Role changes follow the transaction: CREATE / ALTER (attributes, PASSWORD,
// RENAME) / DROP ROLE roll back with an explicit ROLLBACK, with a failed
// statement of a multi-statement Query (one implicit transaction), and with
// ROLLBACK TO SAVEPOINT; uncommitted changes are visible only to their own
// session; a COMMIT that conflicts with another session's committed change
// fails and rolls back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startTestServer, type TestServer } from '../harness/server.js';
import { TEST_TARGET } from '../harness/paths.js';
import { connectClient, expectPgError } from '../harness/pg-client.js';

const TRUST_AND_PASSWORD_HBA = 'host all pw_user 127.0.0.1/32 scram-sha-256\nhost all all 127.0.0.1/32 trust\n';
/** PostgreSQL makes the second writer wait on the first one's row lock, so these would block there. */
const skipConcurrent = TEST_TARGET === 'pg15' ? 'PostgreSQL 15 blocks the second writer on a row lock instead' : false;

let server: TestServer;
let admin: pg.Client;

before(async () => {
  server = await startTestServer({ hba: TRUST_AND_PASSWORD_HBA });
  admin = await connectClient(server);
});

after(async () => {
  await admin?.end().catch(() => {});
  await server?.stop();
});

/**
 * ALTER ROLE with no options changes nothing and says whether the role exists.
 * Inside a transaction block the probe runs under a savepoint, so that
 * "does not exist" does not abort the transaction.
 */
async function roleExists(name: string, inBlock = false): Promise<boolean> {
  if (inBlock) await admin.query('SAVEPOINT probe');
  try {
    await admin.query(`ALTER ROLE ${name}`);
    if (inBlock) await admin.query('RELEASE probe');
    return true;
  } catch (e: any) {
    assert.equal(e.code, '42704', e.message);
    if (inBlock) await admin.query('ROLLBACK TO probe');
    return false;
  }
}

async function canLogIn(user: string, password?: string): Promise<string> {
  try {
    const c = await connectClient(server, { user, password });
    await c.end();
    return 'ok';
  } catch (e: any) {
    return `${e.code} ${e.message}`;
  }
}

test('BEGIN; CREATE ROLE; ROLLBACK leaves no role', async () => {
  await admin.query('BEGIN');
  await admin.query('CREATE ROLE tx_rolled_back');
  assert.equal(await roleExists('tx_rolled_back', true), true);
  await admin.query('ROLLBACK');
  assert.equal(await roleExists('tx_rolled_back'), false);
  // the name is free again
  await admin.query('CREATE ROLE tx_rolled_back');
  await admin.query('DROP ROLE tx_rolled_back');
});

test('a failing statement later in the same Query string rolls back CREATE ROLE', async () => {
  await expectPgError(admin.query('CREATE ROLE tx_implicit; SELECT 1/0'), '22012', 'division by zero');
  assert.equal(await roleExists('tx_implicit'), false);
  // all statements of a successful Query string commit together
  await admin.query('CREATE ROLE tx_multi_a; CREATE ROLE tx_multi_b');
  assert.equal(await roleExists('tx_multi_a'), true);
  assert.equal(await roleExists('tx_multi_b'), true);
  await admin.query('DROP ROLE tx_multi_a, tx_multi_b');
});

test('ALTER ROLE attributes roll back (explicitly and implicitly)', async () => {
  await admin.query('CREATE ROLE tx_nologin NOLOGIN');
  const refused = '28000 role "tx_nologin" is not permitted to log in';
  await admin.query('BEGIN');
  await admin.query('ALTER ROLE tx_nologin LOGIN');
  await admin.query('ROLLBACK');
  assert.equal(await canLogIn('tx_nologin'), refused);
  await expectPgError(admin.query('ALTER ROLE tx_nologin LOGIN; SELECT 1/0'), '22012', 'division by zero');
  assert.equal(await canLogIn('tx_nologin'), refused);
  await admin.query('BEGIN');
  await admin.query('ALTER ROLE tx_nologin LOGIN');
  await admin.query('COMMIT');
  assert.equal(await canLogIn('tx_nologin'), 'ok');
  await admin.query('DROP ROLE tx_nologin');
});

test('ALTER ROLE ... PASSWORD rolls back: the old password keeps working', async () => {
  await admin.query("CREATE ROLE pw_user LOGIN PASSWORD 'old'");
  await admin.query('BEGIN');
  await admin.query("ALTER ROLE pw_user PASSWORD 'new'");
  await admin.query('ROLLBACK');
  await expectPgError(admin.query("ALTER ROLE pw_user PASSWORD 'new'; SELECT 1/0"), '22012', 'division by zero');
  assert.equal(await canLogIn('pw_user', 'old'), 'ok');
  assert.equal(await canLogIn('pw_user', 'new'), '28P01 password authentication failed for user "pw_user"');
  await admin.query("ALTER ROLE pw_user PASSWORD 'new'");
  assert.equal(await canLogIn('pw_user', 'new'), 'ok');
  await admin.query('DROP ROLE pw_user');
});

test('ALTER ROLE ... RENAME and DROP ROLE roll back', async () => {
  await admin.query('CREATE ROLE tx_keep');
  await admin.query('BEGIN');
  await admin.query('ALTER ROLE tx_keep RENAME TO tx_renamed');
  assert.equal(await roleExists('tx_renamed', true), true);
  assert.equal(await roleExists('tx_keep', true), false);
  await admin.query('ROLLBACK');
  assert.equal(await roleExists('tx_keep'), true);
  assert.equal(await roleExists('tx_renamed'), false);

  await expectPgError(admin.query('ALTER ROLE tx_keep RENAME TO tx_renamed; SELECT 1/0'), '22012', 'division by zero');
  assert.equal(await roleExists('tx_keep'), true);

  await admin.query('BEGIN');
  await admin.query('DROP ROLE tx_keep');
  assert.equal(await roleExists('tx_keep', true), false);
  await admin.query('ROLLBACK');
  assert.equal(await roleExists('tx_keep'), true);

  await expectPgError(admin.query('DROP ROLE tx_keep; SELECT 1/0'), '22012', 'division by zero');
  assert.equal(await roleExists('tx_keep'), true);
  await admin.query('DROP ROLE tx_keep');
  assert.equal(await roleExists('tx_keep'), false);
});

test('inside the transaction its own changes count: duplicates, renames and drops see them', async () => {
  await admin.query('BEGIN');
  try {
    await admin.query('CREATE ROLE tx_own');
    await expectPgError(admin.query('CREATE ROLE tx_own'), '42710', 'role "tx_own" already exists');
  } finally {
    await admin.query('ROLLBACK');
  }
  await admin.query('BEGIN');
  await admin.query('CREATE ROLE tx_own');
  await admin.query('ALTER ROLE tx_own RENAME TO tx_own2');
  await admin.query('CREATE ROLE tx_own'); // the old name is free within the transaction
  await admin.query('DROP ROLE tx_own2');
  await admin.query('COMMIT');
  assert.equal(await roleExists('tx_own'), true);
  assert.equal(await roleExists('tx_own2'), false);
  await admin.query('DROP ROLE tx_own');
});

test('uncommitted role changes are invisible to other sessions until COMMIT', async () => {
  // logging in reads the committed catalog without waiting for anyone
  const missing = '28000 role "tx_pending" does not exist';
  await admin.query('BEGIN');
  await admin.query('CREATE ROLE tx_pending LOGIN');
  assert.equal(await canLogIn('tx_pending'), missing);
  await admin.query('COMMIT');
  assert.equal(await canLogIn('tx_pending'), 'ok');
  await admin.query('BEGIN');
  await admin.query('DROP ROLE tx_pending');
  assert.equal(await canLogIn('tx_pending'), 'ok');
  await admin.query('COMMIT');
  assert.equal(await canLogIn('tx_pending'), missing);
});

test('ROLLBACK TO SAVEPOINT undoes the role changes made after the savepoint only', async () => {
  await admin.query('CREATE ROLE sp_dropped_then_restored');
  await admin.query('BEGIN');
  await admin.query('CREATE ROLE sp_before');
  await admin.query('SAVEPOINT s1');
  await admin.query('CREATE ROLE sp_after');
  await admin.query('DROP ROLE sp_dropped_then_restored');
  await admin.query('ALTER ROLE sp_before RENAME TO sp_before_renamed');
  await admin.query('ROLLBACK TO SAVEPOINT s1');
  assert.equal(await roleExists('sp_after', true), false);
  assert.equal(await roleExists('sp_before', true), true);
  assert.equal(await roleExists('sp_before_renamed', true), false);
  // a failed statement after a savepoint, then ROLLBACK TO: the transaction goes on
  await admin.query('SAVEPOINT s2');
  await admin.query('CREATE ROLE sp_failed');
  await expectPgError(admin.query('SELECT 1/0'), '22012', 'division by zero');
  await admin.query('ROLLBACK TO s2');
  // released savepoints keep their changes
  await admin.query('SAVEPOINT s3');
  await admin.query('CREATE ROLE sp_released');
  await admin.query('RELEASE s3');
  await admin.query('COMMIT');
  assert.equal(await roleExists('sp_before'), true);
  assert.equal(await roleExists('sp_before_renamed'), false);
  assert.equal(await roleExists('sp_after'), false);
  assert.equal(await roleExists('sp_failed'), false);
  assert.equal(await roleExists('sp_released'), true);
  assert.equal(await roleExists('sp_dropped_then_restored'), true);
  await admin.query('DROP ROLE sp_before, sp_released, sp_dropped_then_restored');
});

test('COMMIT fails with XX000 when another session changed the role meanwhile, and rolls back', { skip: skipConcurrent }, async () => {
  await admin.query('CREATE ROLE cc_target NOLOGIN');
  const other = await connectClient(server);
  try {
    await admin.query('BEGIN');
    await admin.query('ALTER ROLE cc_target LOGIN');
    await other.query('ALTER ROLE cc_target CREATEDB');
    await expectPgError(admin.query('COMMIT'), 'XX000', 'tuple concurrently updated');
    // the transaction is over: the session is usable and nothing of it was applied
    assert.equal((await admin.query('SELECT 1 AS one')).rows[0].one, 1);
    assert.equal(await canLogIn('cc_target'), '28000 role "cc_target" is not permitted to log in');

    await admin.query('BEGIN');
    await admin.query('ALTER ROLE cc_target LOGIN');
    await other.query('DROP ROLE cc_target');
    await expectPgError(admin.query('COMMIT'), 'XX000', 'tuple concurrently updated');
    assert.equal(await roleExists('cc_target'), false);
  } finally {
    await admin.query('ROLLBACK').catch(() => {});
    await other.end();
  }
});

test('COMMIT fails with 23505 when another session took the same role name first', { skip: skipConcurrent }, async () => {
  const other = await connectClient(server);
  try {
    await admin.query('BEGIN');
    await admin.query('CREATE ROLE cc_dup');
    await admin.query('CREATE ROLE cc_dup_other');
    await other.query('CREATE ROLE cc_dup');
    await expectPgError(admin.query('COMMIT'), '23505', 'duplicate key value violates unique constraint "pg_authid_rolname_index"', {
      detail: 'Key (rolname)=(cc_dup) already exists.',
    });
    // all or nothing: the other role of the transaction was not created either
    assert.equal(await roleExists('cc_dup_other'), false);
    await admin.query('DROP ROLE cc_dup');
  } finally {
    await admin.query('ROLLBACK').catch(() => {});
    await other.end();
  }
});

test('COMMIT of DROP ROLE fails when the role came to own a database meanwhile', { skip: skipConcurrent }, async () => {
  await admin.query('CREATE ROLE cc_owner');
  const other = await connectClient(server);
  try {
    await admin.query('BEGIN');
    await admin.query('DROP ROLE cc_owner');
    await other.query('CREATE DATABASE cc_owned OWNER cc_owner');
    await expectPgError(admin.query('COMMIT'), '2BP01', 'role "cc_owner" cannot be dropped because some objects depend on it', {
      detail: 'owner of database cc_owned',
    });
    assert.equal(await roleExists('cc_owner'), true);
    await other.query('DROP DATABASE cc_owned');
    await admin.query('DROP ROLE cc_owner');
  } finally {
    await admin.query('ROLLBACK').catch(() => {});
    await other.end();
  }
});
