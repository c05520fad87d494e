// Stream and continuous query DDL follows the transaction, as PipelineDB's
// catalog (PostgreSQL tables) did: CREATE / ALTER / DROP STREAM, CREATE /
// DROP VIEW and transforms, DROP ... CASCADE, activate / deactivate,
// TRUNCATE and CREATE EXTENSION roll back with ROLLBACK, with a failed
// statement of a multi-statement Query and with ROLLBACK TO SAVEPOINT; the
// transaction sees its own changes, other sessions do not; a rolled-back
// DROP or TRUNCATE leaves the view's rows alone; a COMMIT that conflicts
// with another session's committed DDL fails and rolls back (plain views
// included). PipelineDB-only behaviour: skipped against PG15.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { startTestServer, type TestServer } from '../harness/server.js';
import { connectClient, endAll, expectPgError, withClient } from '../harness/pg-client.js';
import { TEST_TARGET } from '../harness/paths.js';

const skip = TEST_TARGET === 'pg15' ? 'PipelineDB statements' : false;

let server: TestServer;
let c: pg.Client;

before(async () => {
  if (skip) return;
  server = await startTestServer();
  c = await connectClient(server);
  // Inserts return once their rows are in every view's state.
  await c.query('SET pipelinedb.stream_insert_level = sync_commit');
});

after(async () => {
  if (c) await endAll([c]);
  await server?.stop();
});

/** Stream names as the session's transaction sees them, sorted. */
async function streams(client: pg.Client, like: string): Promise<string[]> {
  const r = await client.query('SELECT name FROM pipelinedb.get_streams() WHERE name LIKE $1 ORDER BY name', [like]);
  return r.rows.map((row) => row.name);
}

/** Continuous views and transforms, `name active`, sorted by name. */
async function queries(client: pg.Client, like: string): Promise<string[]> {
  const r = await client.query(
    `SELECT name, active FROM pipelinedb.views WHERE name LIKE $1
     UNION ALL SELECT name, active FROM pipelinedb.transforms WHERE name LIKE $1 ORDER BY name`,
    [like],
  );
  return r.rows.map((row) => `${row.name} ${row.active}`);
}

async function count(client: pg.Client, view: string): Promise<number[]> {
  return (await client.query(`SELECT n::int AS n FROM ${view}`)).rows.map((r) => r.n);
}

test('BEGIN; CREATE STREAM / VIEW / TRANSFORM; ROLLBACK leaves nothing, and the names are free again', { skip }, async () => {
  await c.query('BEGIN');
  await c.query('CREATE STREAM tx_s (x integer)');
  await c.query('CREATE FOREIGN TABLE tx_s2 (y text) SERVER pipelinedb');
  // The transaction sees its own stream: a view over it can be created.
  await c.query('CREATE VIEW tx_v AS SELECT count(*) AS n FROM tx_s');
  await c.query("CREATE CONTINUOUS TRANSFORM tx_t AS SELECT x FROM tx_s THEN EXECUTE PROCEDURE pipelinedb.insert_into_stream('tx_s2')");
  assert.deepEqual(await streams(c, 'tx_s%'), ['tx_s', 'tx_s2']);
  assert.deepEqual(await queries(c, 'tx_%'), ['tx_t true', 'tx_v true']);
  // Nothing runs it before commit: it reads as empty, with its columns.
  const r = await c.query('SELECT * FROM tx_v');
  assert.deepEqual([r.fields.map((f) => f.name), r.rows], [['n'], []]);
  // Another session sees none of it.
  await withClient(server, async (other) => {
    assert.deepEqual(await streams(other, 'tx_s%'), []);
    assert.deepEqual(await queries(other, 'tx_%'), []);
  });
  await c.query('ROLLBACK');
  assert.deepEqual(await streams(c, 'tx_s%'), []);
  assert.deepEqual(await queries(c, 'tx_%'), []);
  await expectPgError(c.query('SELECT * FROM tx_v'), '42P01', 'relation "tx_v" does not exist');
  await c.query('CREATE STREAM tx_s (x integer)');
  await c.query('DROP STREAM tx_s');
});

test('a failing statement later in the same Query string rolls back the DDL before it', { skip }, async () => {
  await expectPgError(
    c.query('CREATE STREAM tx_m (x integer); CREATE VIEW tx_mv AS SELECT count(*) AS n FROM tx_m; SELECT 1/0'),
    '22012',
    'division by zero',
  );
  assert.deepEqual(await streams(c, 'tx_m%'), []);
  assert.deepEqual(await queries(c, 'tx_m%'), []);
  // All statements of a successful Query string commit together.
  await c.query('CREATE STREAM tx_m (x integer); CREATE VIEW tx_mv AS SELECT count(*) AS n FROM tx_m');
  assert.deepEqual(await queries(c, 'tx_m%'), ['tx_mv true']);
  await expectPgError(c.query('DROP STREAM tx_m CASCADE; SELECT 1/0'), '22012', 'division by zero');
  assert.deepEqual(await queries(c, 'tx_m%'), ['tx_mv true']);
  await c.query('DROP STREAM tx_m CASCADE');
  assert.deepEqual(await streams(c, 'tx_m%'), []);
});

test('ALTER STREAM ADD COLUMN rolls back; the transaction sees the new column', { skip }, async () => {
  await c.query('CREATE STREAM tx_a (x integer)');
  await c.query('BEGIN');
  await c.query('ALTER STREAM tx_a ADD COLUMN y text');
  await c.query('CREATE VIEW tx_av AS SELECT y, count(*) FROM tx_a GROUP BY y');
  await c.query('ROLLBACK');
  await expectPgError(c.query('CREATE VIEW tx_av AS SELECT y, count(*) FROM tx_a GROUP BY y'), '42703', 'column "y" does not exist');
  await c.query('ALTER STREAM tx_a ADD COLUMN y text');
  await c.query('CREATE VIEW tx_av AS SELECT y, count(*) FROM tx_a GROUP BY y');
  await c.query('DROP STREAM tx_a CASCADE');
});

test('savepoints: ROLLBACK TO undoes the DDL after the savepoint only', { skip }, async () => {
  await c.query('BEGIN');
  await c.query('CREATE STREAM tx_sp1 (x integer)');
  await c.query('SAVEPOINT a');
  await c.query('CREATE STREAM tx_sp2 (x integer)');
  await c.query('CREATE VIEW tx_spv AS SELECT count(*) AS n FROM tx_sp1');
  await c.query('DROP STREAM tx_sp1 CASCADE');
  assert.deepEqual(await streams(c, 'tx_sp%'), ['tx_sp2']);
  await c.query('ROLLBACK TO a');
  assert.deepEqual(await streams(c, 'tx_sp%'), ['tx_sp1']);
  assert.deepEqual(await queries(c, 'tx_sp%'), []);
  // A failed statement inside the savepoint: ROLLBACK TO recovers the transaction.
  await c.query('CREATE VIEW tx_spv AS SELECT count(*) AS n FROM tx_sp1');
  await expectPgError(c.query('CREATE STREAM tx_sp1 (x integer)'), '42P07', 'relation "tx_sp1" already exists');
  await c.query('ROLLBACK TO a');
  await c.query('CREATE VIEW tx_spv2 AS SELECT count(*) AS n FROM tx_sp1');
  await c.query('RELEASE a');
  await c.query('COMMIT');
  assert.deepEqual(await streams(c, 'tx_sp%'), ['tx_sp1']);
  assert.deepEqual(await queries(c, 'tx_sp%'), ['tx_spv2 true']);
  await c.query('DROP STREAM tx_sp1 CASCADE');
});

test('a rolled-back DROP VIEW, DROP STREAM CASCADE or deactivate leaves the view running with its rows', { skip }, async () => {
  await c.query('CREATE STREAM tx_d (x integer)');
  await c.query('CREATE VIEW tx_dv AS SELECT count(*) AS n FROM tx_d');
  await c.query('INSERT INTO tx_d (x) VALUES (1), (2), (3)');
  assert.deepEqual(await count(c, 'tx_dv'), [3]);

  await c.query('BEGIN');
  await c.query('DROP VIEW tx_dv');
  await expectPgError(c.query('SELECT n FROM tx_dv'), '42P01', 'relation "tx_dv" does not exist');
  await c.query('ROLLBACK');
  assert.deepEqual(await count(c, 'tx_dv'), [3]);

  await c.query('BEGIN');
  await c.query('DROP CONTINUOUS VIEW tx_dv');
  await c.query('ROLLBACK');
  await c.query('BEGIN');
  await c.query('DROP FOREIGN TABLE tx_d CASCADE');
  assert.deepEqual(await streams(c, 'tx_d%'), []);
  await c.query('ROLLBACK');
  assert.deepEqual(await count(c, 'tx_dv'), [3]);

  await c.query('BEGIN');
  assert.deepEqual((await c.query("SELECT pipelinedb.deactivate('tx_dv') AS d")).rows, [{ d: true }]);
  assert.deepEqual(await queries(c, 'tx_dv'), ['tx_dv false']);
  await c.query('ROLLBACK');
  assert.deepEqual(await queries(c, 'tx_dv'), ['tx_dv true']);
  // The view still runs: new rows reach it.
  await c.query('INSERT INTO tx_d (x) VALUES (4)');
  assert.deepEqual(await count(c, 'tx_dv'), [4]);

  // Committed, the drop does take effect.
  await c.query('BEGIN');
  await c.query('DROP VIEW tx_dv');
  await c.query('COMMIT');
  assert.deepEqual(await queries(c, 'tx_dv'), []);
  await c.query('DROP STREAM tx_d');
});

test('TRUNCATE empties the view inside the transaction; rolled back, the rows are still there', { skip }, async () => {
  await c.query('CREATE STREAM tx_tr (x integer)');
  await c.query('CREATE VIEW tx_trv AS SELECT count(*) AS n FROM tx_tr');
  await c.query('INSERT INTO tx_tr (x) VALUES (1), (2)');
  assert.deepEqual(await count(c, 'tx_trv'), [2]);

  await c.query('BEGIN');
  await c.query('TRUNCATE CONTINUOUS VIEW tx_trv');
  assert.deepEqual(await count(c, 'tx_trv'), []);
  await c.query('ROLLBACK');
  assert.deepEqual(await count(c, 'tx_trv'), [2]);

  await c.query('BEGIN');
  await c.query("SELECT pipelinedb.truncate_continuous_view('tx_trv')");
  await c.query('ROLLBACK');
  assert.deepEqual(await count(c, 'tx_trv'), [2]);

  await c.query('BEGIN');
  await c.query('TRUNCATE CONTINUOUS VIEW tx_trv');
  await c.query('COMMIT');
  assert.deepEqual(await count(c, 'tx_trv'), []);
  await c.query('INSERT INTO tx_tr (x) VALUES (5)');
  assert.deepEqual(await count(c, 'tx_trv'), [1]);
  await c.query('DROP STREAM tx_tr CASCADE');
});

test('a view created in an open transaction does not run until it commits', { skip }, async () => {
  await c.query('CREATE STREAM tx_run (x integer)');
  await c.query('BEGIN');
  await c.query('CREATE VIEW tx_runv AS SELECT count(*) AS n FROM tx_run');
  await withClient(server, async (other) => {
    await other.query('SET pipelinedb.stream_insert_level = sync_commit');
    await other.query('INSERT INTO tx_run (x) VALUES (1)');
  });
  await c.query('COMMIT');
  assert.deepEqual(await count(c, 'tx_runv'), []);
  await c.query('INSERT INTO tx_run (x) VALUES (2)');
  assert.deepEqual(await count(c, 'tx_runv'), [1]);
  await c.query('DROP STREAM tx_run CASCADE');
});

test('two sessions creating the same name: the later COMMIT fails with a unique violation and rolls back', { skip }, async () => {
  const other = await connectClient(server);
  try {
    await c.query('BEGIN');
    await other.query('BEGIN');
    await c.query('CREATE STREAM tx_dup (x integer)');
    await other.query('CREATE STREAM tx_dup_only (x integer)');
    await other.query('CREATE VIEW tx_dup AS SELECT count(*) FROM tx_dup_only');
    await c.query('COMMIT');
    await expectPgError(other.query('COMMIT'), '23505', 'duplicate key value violates unique constraint "pg_type_typname_nsp_index"', {
      detail: 'Key (typname, typnamespace)=(tx_dup, 2200) already exists.',
    });
    // Nothing of the failed transaction was written, and the session is usable again.
    assert.deepEqual(await streams(other, 'tx_dup%'), ['tx_dup']);
    assert.deepEqual(await queries(other, 'tx_dup%'), []);
    await other.query('DROP STREAM tx_dup');
  } finally {
    await endAll([other]);
  }
});

test('dropping a stream that another session gave a reader meanwhile fails the COMMIT', { skip }, async () => {
  const other = await connectClient(server);
  try {
    await c.query('CREATE STREAM tx_dep (x integer)');
    await c.query('BEGIN');
    await c.query('DROP STREAM tx_dep');
    await other.query('CREATE VIEW tx_depv AS SELECT count(*) FROM tx_dep');
    await expectPgError(c.query('COMMIT'), '2BP01', 'cannot drop foreign table tx_dep because other objects depend on it', {
      detail: 'view tx_depv depends on foreign table tx_dep',
    });
    assert.deepEqual(await queries(c, 'tx_dep%'), ['tx_depv true']);
    await c.query('DROP STREAM tx_dep CASCADE');
  } finally {
    await endAll([other]);
  }
});

test('a plain view and the view it reads, changed by two sessions: the later COMMIT fails', { skip }, async () => {
  const other = await connectClient(server);
  try {
    await c.query('CREATE STREAM tx_pv_s (x integer)');
    await c.query('CREATE VIEW tx_pv_cv AS SELECT count(*) FROM tx_pv_s');
    await c.query('INSERT INTO tx_pv_s (x) VALUES (1), (2)');
    // The reader is created while the other session drops what it reads.
    await c.query('BEGIN');
    await c.query('CREATE VIEW tx_pv AS SELECT count FROM tx_pv_cv');
    assert.deepEqual((await c.query('SELECT * FROM tx_pv')).rows, [{ count: '2' }]);
    await other.query('DROP VIEW tx_pv_cv');
    await assert.rejects(c.query('COMMIT'), (e: any) => {
      assert.equal(e.code, 'XX000');
      assert.match(e.message, /^could not open relation with OID \d+$/);
      return true;
    });
    await expectPgError(c.query('SELECT * FROM tx_pv'), '42P01', 'relation "tx_pv" does not exist');
    // The view is dropped while the other session creates a reader of it.
    await c.query('CREATE VIEW tx_pv_cv AS SELECT count(*) FROM tx_pv_s');
    await c.query('BEGIN');
    await c.query('DROP VIEW tx_pv_cv');
    await other.query('CREATE VIEW tx_pv AS SELECT count FROM tx_pv_cv');
    await expectPgError(c.query('COMMIT'), '2BP01', 'cannot drop view tx_pv_cv because other objects depend on it', {
      detail: 'view tx_pv depends on view tx_pv_cv',
    });
    assert.deepEqual((await c.query('SELECT * FROM tx_pv')).rows, []);
    await c.query('DROP STREAM tx_pv_s CASCADE');
  } finally {
    await endAll([other]);
  }
});

test('CREATE EXTENSION pipelinedb rolls back', { skip }, async () => {
  await c.query('CREATE DATABASE tx_ext');
  await withClient(
    server,
    async (db) => {
      await db.query('BEGIN');
      await db.query('CREATE EXTENSION pipelinedb');
      await expectPgError(db.query('CREATE EXTENSION pipelinedb'), '42710', 'extension "pipelinedb" already exists');
      await db.query('ROLLBACK');
      await db.query('CREATE EXTENSION pipelinedb');
      await expectPgError(db.query('CREATE EXTENSION pipelinedb'), '42710', 'extension "pipelinedb" already exists');
    },
    { database: 'tx_ext' },
  );
  await c.query('DROP DATABASE tx_ext');
});

test('role and stream DDL of one transaction commit together: a stream conflict leaves the role uncreated', { skip }, async () => {
  await c.query('BEGIN');
  await c.query('CREATE ROLE tx_both_role');
  await c.query('CREATE STREAM tx_both (x integer)');
  await withClient(server, (other) => other.query('CREATE STREAM tx_both (y text)'));
  await expectPgError(c.query('COMMIT'), '23505', 'duplicate key value violates unique constraint "pg_type_typname_nsp_index"');
  await expectPgError(c.query('ALTER ROLE tx_both_role'), '42704', 'role "tx_both_role" does not exist');
  // Without a conflict both land.
  await c.query('BEGIN; CREATE ROLE tx_both_role; DROP STREAM tx_both; COMMIT');
  await c.query('ALTER ROLE tx_both_role');
  assert.deepEqual(await streams(c, 'tx_both'), []);
  await c.query('DROP ROLE tx_both_role');
});
