// Controlling which views read a stream, through SQL only:
// pipelinedb.stream_targets (the example of PipelineDB's streams docs),
// pipelinedb.deactivate / activate and the 0.9 DEACTIVATE / ACTIVATE
// statements, TRUNCATE CONTINUOUS VIEW and pipelinedb.truncate_continuous_view,
// and DROP ... CASCADE clearing state so a re-created view starts empty.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { startTestServer, type TestServer } from '../harness/server.js';
import { connectClient } from '../harness/pg-client.js';
import { SYNC_COMMIT, engineSkip, textRows } from './engine-helpers.js';

let server: TestServer;
let c: pg.Client;

before(async () => {
  if (engineSkip) return;
  server = await startTestServer({ settings: { ...SYNC_COMMIT } });
  c = await connectClient(server);
});

after(async () => {
  await c?.end();
  await server?.stop();
});

/** The single count of each ungrouped view (null when it has no row yet), read through the shared session. */
const counts = async (...views: string[]) => {
  const out: (string | null)[] = [];
  for (const v of views) {
    const rows = await textRows(c, `SELECT count FROM ${v}`);
    assert.ok(rows.length <= 1, `${v} has one row at most`);
    out.push(rows.length === 0 ? null : rows[0][0]);
  }
  return out;
};

test('pipelinedb.stream_targets limits the views a session feeds', { skip: engineSkip }, async () => {
  // Its own session, so the targets it sets never leak into the other tests.
  const sc = await connectClient(server);
  try {
    await streamTargets(sc);
  } finally {
    await sc.end();
  }
});

async function streamTargets(sc: pg.Client): Promise<void> {
  await sc.query('CREATE FOREIGN TABLE st_stream (x integer) SERVER pipelinedb');
  await sc.query('CREATE VIEW st_v0 AS SELECT COUNT(*) FROM st_stream');
  await sc.query('CREATE VIEW st_v1 AS SELECT COUNT(*) FROM st_stream');
  await sc.query('INSERT INTO st_stream (x) VALUES (1)');
  await sc.query('SET pipelinedb.stream_targets TO st_v0');
  await sc.query('INSERT INTO st_stream (x) VALUES (1)');
  // Another session is not affected by this session's setting.
  const other = await connectClient(server);
  try {
    await other.query('INSERT INTO st_stream (x) VALUES (1)');
  } finally {
    await other.end();
  }
  await sc.query('SET pipelinedb.stream_targets TO DEFAULT');
  await sc.query('INSERT INTO st_stream (x) VALUES (1)');
  assert.deepEqual(await counts('st_v0', 'st_v1'), ['4', '3']);
  // The 0.9 name, a list of targets, and SET LOCAL ending with its transaction.
  await sc.query('SET stream_targets = st_v1');
  await sc.query('INSERT INTO st_stream (x) VALUES (1), (2)');
  assert.deepEqual(await counts('st_v0', 'st_v1'), ['4', '5']);
  // As in PipelineDB the setting is one string, split into view names when rows are written.
  await sc.query("SET pipelinedb.stream_targets = 'st_v0, st_v1'");
  await sc.query('INSERT INTO st_stream (x) VALUES (1)');
  assert.deepEqual(await counts('st_v0', 'st_v1'), ['5', '6']);
  // Names are read as identifiers: one that needs quotes is quoted inside the string.
  await sc.query('CREATE VIEW "St_V2" AS SELECT COUNT(*) FROM st_stream');
  await sc.query(`SET pipelinedb.stream_targets = '"St_V2", st_v0'`);
  assert.deepEqual(await textRows(sc, 'SHOW pipelinedb.stream_targets'), [['"St_V2", st_v0']]);
  await sc.query('INSERT INTO st_stream (x) VALUES (1)');
  assert.deepEqual(await counts('st_v0', 'st_v1', '"St_V2"'), ['6', '6', '1']);
  await sc.query('RESET pipelinedb.stream_targets');
  await sc.query('BEGIN');
  await sc.query('SET LOCAL pipelinedb.stream_targets = st_v0');
  await sc.query('INSERT INTO st_stream (x) VALUES (1)');
  await sc.query('COMMIT');
  await sc.query('INSERT INTO st_stream (x) VALUES (1)');
  assert.deepEqual(await counts('st_v0', 'st_v1', '"St_V2"'), ['8', '7', '2']);
}

test('deactivate stops a view from receiving rows, activate resumes (1.0 functions and 0.9 statements)', { skip: engineSkip }, async () => {
  await c.query('CREATE STREAM act_s (k text)');
  await c.query('CREATE CONTINUOUS VIEW act_a AS SELECT k, count(*) FROM act_s GROUP BY k');
  await c.query('CREATE VIEW act_b AS SELECT count(*) FROM act_s');
  const state = async () => [await textRows(c, 'SELECT k, count FROM act_a ORDER BY k'), await counts('act_b')];
  const active = async () => textRows(c, "SELECT name, active FROM pipelinedb.views WHERE name LIKE 'act\\_%' ORDER BY name");

  await c.query("INSERT INTO act_s (k) VALUES ('x'), ('y')");
  assert.deepEqual(await textRows(c, "SELECT pipelinedb.deactivate('act_a')"), [['t']]);
  assert.deepEqual(await active(), [['act_a', 'f'], ['act_b', 't']]);
  await c.query("INSERT INTO act_s (k) VALUES ('x'), ('z')");
  assert.deepEqual(await state(), [[['x', '1'], ['y', '1']], ['4']]);
  assert.deepEqual(await textRows(c, "SELECT pipelinedb.activate('act_a')"), [['t']]);
  await c.query("INSERT INTO act_s (k) VALUES ('x')");
  // Rows written while inactive are never read, even after activation.
  assert.deepEqual(await state(), [[['x', '2'], ['y', '1']], ['5']]);

  await c.query('DEACTIVATE act_a, act_b');
  assert.deepEqual(await active(), [['act_a', 'f'], ['act_b', 'f']]);
  await c.query("INSERT INTO act_s (k) VALUES ('y')");
  assert.deepEqual(await state(), [[['x', '2'], ['y', '1']], ['5']]);
  await c.query('ACTIVATE act_b');
  await c.query("INSERT INTO act_s (k) VALUES ('y')");
  assert.deepEqual(await state(), [[['x', '2'], ['y', '1']], ['6']]);
  await c.query('ACTIVATE act_a');
  await c.query("INSERT INTO act_s (k) VALUES ('y')");
  assert.deepEqual(await state(), [[['x', '2'], ['y', '2']], ['7']]);
  assert.deepEqual(await active(), [['act_a', 't'], ['act_b', 't']]);
});

test('TRUNCATE CONTINUOUS VIEW and pipelinedb.truncate_continuous_view empty a view; new rows count from zero', { skip: engineSkip }, async () => {
  await c.query('CREATE STREAM tr_s (id int, val int)');
  await c.query('CREATE CONTINUOUS VIEW tr_g AS SELECT id, count(*), sum(val), min(val) FROM tr_s GROUP BY id');
  await c.query('CREATE CONTINUOUS VIEW tr_all AS SELECT count(*), max(val) FROM tr_s');
  await c.query('CREATE VIEW tr_other WITH (action=materialize) AS SELECT count(*) FROM tr_s');
  await c.query('INSERT INTO tr_s (id, val) VALUES (1, 10), (2, 20), (1, 30)');
  assert.deepEqual(await textRows(c, 'SELECT * FROM tr_g ORDER BY id'), [['1', '2', '40', '10'], ['2', '1', '20', '20']]);

  await c.query('TRUNCATE CONTINUOUS VIEW tr_g');
  assert.deepEqual(await textRows(c, 'SELECT * FROM tr_g'), []);
  assert.deepEqual(await textRows(c, 'SELECT * FROM tr_all'), [['3', '30']], 'other views keep their state');
  await c.query('INSERT INTO tr_s (id, val) VALUES (1, 5)');
  assert.deepEqual(await textRows(c, 'SELECT * FROM tr_g ORDER BY id'), [['1', '1', '5', '5']]);

  assert.deepEqual(await textRows(c, "SELECT pipelinedb.truncate_continuous_view('tr_all')"), [['']]);
  assert.deepEqual(await textRows(c, 'SELECT * FROM tr_all'), [], 'a truncated ungrouped view has no row');
  await c.query('INSERT INTO tr_s (id, val) VALUES (3, 7)');
  assert.deepEqual(await textRows(c, 'SELECT * FROM tr_all'), [['1', '7']]);

  await c.query('TRUNCATE CONTINUOUS VIEW tr_g, tr_all');
  assert.deepEqual(await textRows(c, 'SELECT count(*) FROM tr_g'), [['0']]);
  assert.deepEqual(await textRows(c, 'SELECT * FROM tr_all'), []);
  assert.deepEqual(await counts('tr_other'), ['5']);
});

test('DROP ... CASCADE clears view state: a re-created view with the same name starts empty', { skip: engineSkip }, async () => {
  const create = async () => {
    await c.query('CREATE STREAM dr_s (id int, val int)');
    await c.query('CREATE CONTINUOUS VIEW dr_v AS SELECT id, count(*), sum(val) FROM dr_s GROUP BY id');
    await c.query('CREATE VIEW dr_n WITH (action=materialize) AS SELECT count(*) FROM dr_s');
  };
  const names = async () => textRows(c, "SELECT name FROM pipelinedb.views WHERE name LIKE 'dr\\_%' ORDER BY name");

  await create();
  await c.query('INSERT INTO dr_s (id, val) VALUES (1, 1), (2, 2), (1, 3)');
  assert.deepEqual(await textRows(c, 'SELECT * FROM dr_v ORDER BY id'), [['1', '2', '4'], ['2', '1', '2']]);

  // 0.9 syntax: DROP STREAM ... CASCADE
  await c.query('DROP STREAM dr_s CASCADE');
  assert.deepEqual(await names(), []);
  await create();
  assert.deepEqual(await textRows(c, 'SELECT * FROM dr_v'), []);
  assert.deepEqual(await textRows(c, 'SELECT * FROM dr_n'), []);
  await c.query('INSERT INTO dr_s (id, val) VALUES (1, 100)');
  assert.deepEqual(await textRows(c, 'SELECT * FROM dr_v ORDER BY id'), [['1', '1', '100']]);
  assert.deepEqual(await counts('dr_n'), ['1']);

  // 1.0 syntax: DROP FOREIGN TABLE ... CASCADE
  await c.query('DROP FOREIGN TABLE dr_s CASCADE');
  assert.deepEqual(await names(), []);
  await create();
  assert.deepEqual(await textRows(c, 'SELECT * FROM dr_v'), []);
  await c.query('INSERT INTO dr_s (id, val) VALUES (2, 5)');
  assert.deepEqual(await textRows(c, 'SELECT * FROM dr_v ORDER BY id'), [['2', '1', '5']]);

  // Dropping only the view (both syntaxes) and re-creating it on the same stream.
  await c.query('DROP CONTINUOUS VIEW dr_v');
  await c.query('DROP VIEW dr_n');
  assert.deepEqual(await names(), []);
  await c.query('CREATE CONTINUOUS VIEW dr_v AS SELECT id, count(*), sum(val) FROM dr_s GROUP BY id');
  assert.deepEqual(await textRows(c, 'SELECT * FROM dr_v'), []);
  await c.query('INSERT INTO dr_s (id, val) VALUES (2, 6)');
  assert.deepEqual(await textRows(c, 'SELECT * FROM dr_v ORDER BY id'), [['2', '1', '6']]);
  await c.query('DROP STREAM dr_s CASCADE');
});
