// The stream / continuous query catalog end to end: it survives a clean
// restart and kill -9, keeps each database's objects apart, holds many
// views, and reports errors of 0.9-syntax statements at positions in the
// text the client sent. PipelineDB-only behaviour: skipped against PG15.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../harness/server.js';
import { connectClient, expectPgError, withClient } from '../harness/pg-client.js';
import { TEST_TARGET } from '../harness/paths.js';

const skip = TEST_TARGET === 'pg15' ? 'PipelineDB statements' : false;
let server: TestServer;

before(async () => {
  if (skip) return;
  server = await startTestServer();
});

after(async () => {
  await server?.stop();
});

/** The statement fails with this SQLSTATE, message and 1-based position. */
async function expectErrorAt(promise: Promise<unknown>, code: string, message: string, position: number): Promise<void> {
  await assert.rejects(promise, (e: any) => {
    assert.equal(e.code, code, e.message);
    assert.equal(e.message, message);
    assert.equal(e.position, String(position));
    return true;
  });
}

async function views(s: TestServer, database = 'postgres'): Promise<string[]> {
  return withClient(
    s,
    async (c) => (await c.query('SELECT id, name, active, query FROM pipelinedb.views ORDER BY id')).rows.map((r) => `${r.id} ${r.name} ${r.active} ${r.query}`),
    { database },
  );
}

test('streams, views and transforms survive a clean restart and kill -9', { skip }, async () => {
  await withClient(server, async (c) => {
    await c.query('CREATE STREAM pc_s (x integer, y text)');
    await c.query('ALTER STREAM pc_s ADD COLUMN z numeric(8,2)');
    await c.query('CREATE CONTINUOUS VIEW pc_v1 AS SELECT y, count(*) FROM pc_s GROUP BY y');
    await c.query('CREATE VIEW pc_v2 AS SELECT sum(z) FROM pc_s');
    await c.query("CREATE CONTINUOUS TRANSFORM pc_t AS SELECT x FROM pc_s THEN EXECUTE PROCEDURE pipelinedb.insert_into_stream('pc_s')");
    await c.query("SELECT pipelinedb.deactivate('pc_v2')");
  });
  const expected = ['1 pc_v1 true SELECT y, count(*) FROM pc_s GROUP BY y', '2 pc_v2 false SELECT sum(z) FROM pc_s'];
  assert.deepEqual(await views(server), expected);

  const dataDir = server.dataDir;
  await server.stop('SIGINT', { keepDataDir: true });
  server = await startTestServer({ dataDir });
  assert.deepEqual(await views(server), expected);

  await server.kill9();
  server = await startTestServer({ dataDir });
  assert.deepEqual(await views(server), expected);
  await withClient(server, async (c) => {
    const t = await c.query('SELECT name, active, tgfunc, tgargs FROM pipelinedb.transforms');
    assert.deepEqual(t.rows, [{ name: 'pc_t', active: true, tgfunc: 'pipelinedb.insert_into_stream', tgargs: ['pc_s'] }]);
    const s = await c.query("SELECT queries FROM pipelinedb.get_streams() WHERE name = 'pc_s'");
    // pc_v2 is deactivated: only active queries read the stream.
    assert.deepEqual(s.rows, [{ queries: ['pc_t', 'pc_v1'] }]);
    // The added column is still there: a view can read it.
    await c.query('CREATE VIEW pc_v3 AS SELECT max(z) FROM pc_s');
    await expectPgError(c.query('CREATE STREAM pc_s (x integer)'), '42P07', 'relation "pc_s" already exists');
    await c.query('DROP STREAM pc_s CASCADE');
    assert.equal((await c.query('SELECT count(*)::int AS n FROM pipelinedb.views')).rows[0].n, 0);
  });
});

test('each database has its own streams and views', { skip }, async () => {
  await withClient(server, (c) => c.query('CREATE DATABASE pc_other'));
  await withClient(server, async (c) => {
    await c.query('CREATE STREAM pc_shared (x integer)');
    await c.query('CREATE VIEW pc_here AS SELECT count(*) FROM pc_shared');
  });
  await withClient(
    server,
    async (c) => {
      // The same name is free in another database.
      await c.query('CREATE STREAM pc_shared (a text, b text)');
      await c.query('CREATE VIEW pc_there AS SELECT b, count(*) FROM pc_shared GROUP BY b');
      await expectPgError(c.query('CREATE VIEW pc_x AS SELECT x FROM pc_shared'), '42703', 'column "x" does not exist');
    },
    { database: 'pc_other' },
  );
  assert.deepEqual(await views(server), ['1 pc_here true SELECT count(*) FROM pc_shared']);
  assert.deepEqual(await views(server, 'pc_other'), ['1 pc_there true SELECT b, count(*) FROM pc_shared GROUP BY b']);
  await withClient(server, (c) => c.query('DROP STREAM pc_shared CASCADE'));
  await withClient(server, (c) => c.query('DROP STREAM pc_shared CASCADE'), { database: 'pc_other' });
});

test('there is no fixed limit on the number of continuous views', { skip }, async () => {
  const count = 120;
  await withClient(server, async (c) => {
    await c.query('CREATE STREAM pc_many (x integer)');
    for (let i = 0; i < count; i++) await c.query(`CREATE VIEW pc_many_${i} AS SELECT count(*) FROM pc_many WHERE x > ${i}`);
    const r = await c.query("SELECT count(*)::int AS n, max(id)::text AS top FROM pipelinedb.views WHERE name LIKE 'pc_many_%'");
    assert.deepEqual(r.rows, [{ n: count, top: String(count) }]);
    const readers = await c.query("SELECT cardinality(continuous_queries) AS n FROM pipelinedb.stream_readers WHERE stream = 'pc_many'");
    assert.deepEqual(readers.rows, [{ n: count }]);
    await c.query('DROP STREAM pc_many CASCADE');
  });
});

test('errors in 0.9 syntax carry positions in the text the client sent', { skip }, async () => {
  await withClient(server, async (c) => {
    await c.query('CREATE STREAM pc_pos (x integer)');
    const sql = 'CREATE CONTINUOUS VIEW pc_pos_v AS SELECT nosuch FROM pc_pos';
    await expectErrorAt(c.query(sql), '42703', 'column "nosuch" does not exist', sql.indexOf('nosuch') + 1);
    const bad = 'CREATE STREAM pc_pos2 (x integer,)';
    await expectErrorAt(c.query(bad), '42601', 'syntax error at or near ")"', bad.indexOf(',)') + 2);
    // Statements after a rewritten one in the same query string keep their own positions.
    const multi = 'CREATE STREAM pc_pos3 (x integer); SELECT nosuch FROM pipelinedb.views';
    await expectErrorAt(c.query(multi), '42703', 'column "nosuch" does not exist', multi.lastIndexOf('nosuch') + 1);
    await c.query('DROP STREAM pc_pos CASCADE');
    // The failed multi-statement query was one implicit transaction: its CREATE STREAM was rolled back.
    const streams = await c.query("SELECT count(*)::int AS n FROM pipelinedb.get_streams() s WHERE s.name = 'pc_pos3'");
    assert.equal(streams.rows[0].n, 0);
  });
});

test('introspection works through the extended protocol', { skip }, async () => {
  const c = await connectClient(server);
  try {
    await c.query('CREATE STREAM pc_ext (x integer)');
    await c.query('CREATE VIEW pc_ext_v AS SELECT count(*) FROM pc_ext');
    const r = await c.query({ text: 'SELECT name, active FROM pipelinedb.views WHERE name = $1', values: ['pc_ext_v'] });
    assert.deepEqual(r.rows, [{ name: 'pc_ext_v', active: true }]);
    const d = await c.query({ text: 'SELECT pipelinedb.deactivate($1)', values: ['pc_ext_v'] });
    assert.deepEqual(d.rows, [{ deactivate: true }]);
    await c.query('DROP STREAM pc_ext CASCADE');
  } finally {
    await c.end();
  }
});
