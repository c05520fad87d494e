// PipelineDB's statistics views end to end: real counts from the worker and
// combiner threads, PipelineDB 1.0's columns and types, 0.9's pg_catalog
// names, per-database entries, purge on DROP and reset on restart.
// PipelineDB-only behaviour: skipped against PG15.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { startTestServer, type TestServer } from '../harness/server.js';
import { withClient } from '../harness/pg-client.js';
import { TEST_TARGET } from '../harness/paths.js';

const skip = TEST_TARGET === 'pg15' ? 'PipelineDB statistics' : false;
const WORKERS = 2;
const COMBINERS = 2;
const BATCH_SIZE = 10;
const N = 100;
let server: TestServer;

before(async () => {
  if (skip) return;
  server = await startTestServer({
    settings: { 'pipelinedb.num_workers': String(WORKERS), 'pipelinedb.num_combiners': String(COMBINERS), 'pipelinedb.batch_size': String(BATCH_SIZE) },
  });
});

after(async () => {
  await server?.stop();
});

/** Column names with their type OIDs, as RowDescription sent them. */
function columns(result: pg.QueryResult): string[] {
  return result.fields.map((f) => `${f.name}:${f.dataTypeID}`);
}

const TEXT = 25, NAME = 19, INT4 = 23, INT8 = 20, NUMERIC = 1700, TIMESTAMPTZ = 1184, OIDT = 26;
const COUNTERS_10 = ['input_rows', 'output_rows', 'updated_rows', 'output_bytes', 'updated_bytes', 'input_bytes', 'executions', 'errors', 'exec_ms'];

/** Inserts 1..n (offset by `from`) into st_s as one statement, waiting for the combiners' commit. */
async function insertRows(c: pg.Client, from: number, n: number): Promise<void> {
  await c.query(`INSERT INTO st_s (x) SELECT generate_series(${from + 1}, ${from + n})`);
}

async function queryStats(c: pg.Client): Promise<Record<string, Record<string, string>>> {
  const r = await c.query('SELECT * FROM pipelinedb.query_stats');
  const out: Record<string, Record<string, string>> = {};
  for (const row of r.rows) out[`${row.type} ${row.continuous_query}`] = row;
  return out;
}

test('statistics views count every row, batch and group', { skip }, async () => {
  await withClient(server, async (c) => {
    await c.query('CREATE STREAM st_s (x integer)');
    // 20 groups, and 1 group.
    await c.query('CREATE VIEW st_groups AS SELECT x % 20 AS g, count(*) FROM st_s GROUP BY g');
    await c.query('CREATE VIEW st_total AS SELECT count(*) FROM st_s');
    await c.query('SET pipelinedb.stream_insert_level = sync_commit');
    await insertRows(c, 0, N);

    // --- stream_stats: N rows in N / batch_size batches.
    const ss = await c.query('SELECT * FROM pipelinedb.stream_stats');
    assert.deepEqual(columns(ss), [`namespace:${NAME}`, `stream:${NAME}`, `input_rows:${INT8}`, `input_batches:${INT8}`, `input_bytes:${INT8}`]);
    assert.equal(ss.rows.length, 1);
    assert.equal(ss.rows[0].namespace, 'public');
    assert.equal(ss.rows[0].stream, 'st_s');
    assert.equal(ss.rows[0].input_rows, String(N));
    assert.equal(ss.rows[0].input_batches, String(N / BATCH_SIZE));
    const streamBytes = Number(ss.rows[0].input_bytes);
    assert.ok(streamBytes > 0);

    // --- query_stats: each view's workers read every row once; combiners merged each group.
    const qsResult = await c.query('SELECT * FROM pipelinedb.query_stats');
    assert.deepEqual(columns(qsResult), [`type:${TEXT}`, `namespace:${NAME}`, `continuous_query:${NAME}`, ...COUNTERS_10.map((n) => `${n}:${NUMERIC}`)]);
    assert.deepEqual(
      qsResult.rows.map((r) => `${r.type} ${r.namespace} ${r.continuous_query}`),
      ['combiner public st_groups', 'combiner public st_total', 'worker public st_groups', 'worker public st_total'],
    );
    let qs = await queryStats(c);
    for (const view of ['st_groups', 'st_total']) {
      const w = qs[`worker ${view}`]!;
      assert.equal(w.input_rows, String(N));
      assert.equal(w.input_bytes, String(streamBytes), 'each view reads every batch');
      assert.equal(w.executions, String(N / BATCH_SIZE));
      assert.equal(w.updated_rows, '0');
      assert.equal(w.errors, '0');
    }
    // Every batch holds 10 consecutive values: 10 groups of st_groups, 1 of st_total.
    assert.equal(qs['worker st_groups']!.output_rows, String(N));
    assert.equal(qs['worker st_total']!.output_rows, String(N / BATCH_SIZE));
    // Combiners read what workers wrote, and inserted each group once.
    for (const view of ['st_groups', 'st_total']) {
      assert.equal(qs[`combiner ${view}`]!.input_rows, qs[`worker ${view}`]!.output_rows);
      assert.equal(qs[`combiner ${view}`]!.input_bytes, qs[`worker ${view}`]!.output_bytes);
      assert.equal(qs[`combiner ${view}`]!.errors, '0');
    }
    assert.equal(qs['combiner st_groups']!.output_rows, '20');
    assert.equal(qs['combiner st_total']!.output_rows, '1');

    // A second insert only updates existing groups.
    await insertRows(c, N, N);
    qs = await queryStats(c);
    assert.equal(qs['worker st_groups']!.input_rows, String(2 * N));
    assert.equal(qs['worker st_total']!.executions, String((2 * N) / BATCH_SIZE));
    assert.equal(qs['combiner st_groups']!.output_rows, '20');
    assert.equal(qs['combiner st_total']!.output_rows, '1');
    const updated = Number(qs['combiner st_groups']!.updated_rows);
    assert.ok(updated >= 20 && updated <= 2 * N - 20, `updated_rows ${updated}`);
    assert.ok(Number(qs['combiner st_total']!.updated_rows) >= 1);
    const ss2 = await c.query('SELECT input_rows, input_batches FROM pipelinedb.stream_stats');
    assert.deepEqual(ss2.rows, [{ input_rows: String(2 * N), input_batches: String((2 * N) / BATCH_SIZE) }]);

    // --- proc_stats: every worker and every combiner, ordered by type and pid.
    const ps = await c.query('SELECT * FROM pipelinedb.proc_stats');
    assert.deepEqual(columns(ps), [`type:${TEXT}`, `pid:${INT4}`, `start_time:${TIMESTAMPTZ}`, ...COUNTERS_10.map((n) => `${n}:${NUMERIC}`)]);
    assert.deepEqual(ps.rows.map((r) => r.type), [...Array(COMBINERS).fill('combiner'), ...Array(WORKERS).fill('worker')]);
    assert.equal(new Set(ps.rows.map((r) => r.pid)).size, WORKERS + COMBINERS);
    for (const type of ['combiner', 'worker']) {
      const pids = ps.rows.filter((r) => r.type === type).map((r) => r.pid);
      assert.deepEqual(pids, [...pids].sort((a, b) => a - b));
    }
    const workerRows = ps.rows.filter((r) => r.type === 'worker').reduce((n, r) => n + Number(r.input_rows), 0);
    assert.equal(workerRows, 2 * 2 * N, 'two views read every row');
    assert.ok(ps.rows.every((r) => r.start_time instanceof Date));

    // --- db_stats: the sums by type.
    const ds = await c.query('SELECT * FROM pipelinedb.db_stats');
    assert.deepEqual(columns(ds), [`type:${TEXT}`, ...COUNTERS_10.map((n) => `${n}:${NUMERIC}`)]);
    assert.deepEqual(ds.rows.map((r) => [r.type, r.input_rows]), [
      ['combiner', String(Number(qs['combiner st_groups']!.input_rows) + Number(qs['combiner st_total']!.input_rows))],
      ['worker', String(4 * N)],
    ]);

    // --- proc_query_stats and the functions behind the views.
    const pqs = await c.query('SELECT * FROM pipelinedb.proc_query_stats');
    assert.deepEqual(columns(pqs), [`type:${TEXT}`, `pid:${INT4}`, `start_time:${TIMESTAMPTZ}`, `query_id:${INT4}`, ...COUNTERS_10.map((n) => `${n}:${INT8}`)]);
    const ids = (await c.query('SELECT id FROM pipelinedb.views ORDER BY id')).rows.map((r) => Number(r.id));
    assert.deepEqual([...new Set(pqs.rows.map((r) => r.query_id))].sort((a, b) => a - b), ids);
    const fn = await c.query('SELECT * FROM pipelinedb.get_proc_query_stats()');
    assert.deepEqual(fn.fields.map((f) => f.name), ['type', 'pid', 'start_time', 'query_id', 'input_rows', 'output_rows', 'updated_rows', 'input_bytes', 'output_bytes', 'updated_bytes', 'executions', 'errors', 'exec_ms']);
    assert.equal(fn.rows.length, pqs.rows.length);
    const gs = await c.query('SELECT relid, input_rows FROM pipelinedb.get_stream_stats()');
    assert.deepEqual(columns(gs), [`relid:${OIDT}`, `input_rows:${INT8}`]);
    assert.equal(gs.rows[0].input_rows, String(2 * N));

    // --- PipelineDB 0.9's names.
    const ls = await c.query('SELECT * FROM pipeline_stream_stats');
    assert.deepEqual(columns(ls), [`schema:${TEXT}`, `name:${TEXT}`, `input_rows:${INT8}`, `input_batches:${INT8}`, `input_bytes:${INT8}`]);
    assert.deepEqual(ls.rows.map((r) => [r.schema, r.name, r.input_rows]), [['public', 'st_s', String(2 * N)]]);
    const lq = await c.query("SELECT name, type, input_rows, output_rows FROM pg_catalog.pipeline_query_stats WHERE name = 'st_total'");
    assert.deepEqual(lq.rows, [
      { name: 'st_total', type: 'combiner', input_rows: String((2 * N) / BATCH_SIZE), output_rows: '1' },
      { name: 'st_total', type: 'worker', input_rows: String(2 * N), output_rows: String((2 * N) / BATCH_SIZE) },
    ]);
    const lp = await c.query('SELECT * FROM pipeline_proc_stats');
    assert.deepEqual(lp.fields.map((f) => f.name), [
      'type', 'pid', 'start_time', 'input_rows', 'output_rows', 'updated_rows', 'input_bytes', 'output_bytes', 'updated_bytes',
      'executions', 'tuples_ps', 'bytes_ps', 'time_pb', 'tuples_pb', 'memory', 'errors',
    ]);
    assert.equal(lp.rows.length, WORKERS + COMBINERS);
    assert.ok(lp.rows.every((r) => Number(r.memory) > 0));
  });

  // Another database has its own (here: no) entries.
  await withClient(server, async (c) => {
    assert.equal((await c.query('SELECT * FROM pipelinedb.stream_stats')).rows.length, 0);
    assert.equal((await c.query('SELECT * FROM pipelinedb.proc_stats')).rows.length, 0);
  }, { database: 'template1' });

  // DROP purges the view's entries.
  await withClient(server, async (c) => {
    await c.query('DROP VIEW st_total');
    const qs = await queryStats(c);
    assert.deepEqual(Object.keys(qs).sort(), ['combiner st_groups', 'worker st_groups']);
  });

  // Counts live as long as the server: a restart starts from zero.
  const dataDir = server.dataDir;
  await server.stop('SIGINT', { keepDataDir: true });
  server = await startTestServer({
    dataDir,
    settings: { 'pipelinedb.num_workers': String(WORKERS), 'pipelinedb.num_combiners': String(COMBINERS), 'pipelinedb.batch_size': String(BATCH_SIZE) },
  });
  await withClient(server, async (c) => {
    assert.equal((await c.query('SELECT * FROM pipelinedb.stream_stats')).rows.length, 0);
    assert.equal((await c.query('SELECT * FROM pipelinedb.query_stats')).rows.length, 0);
    await c.query('SET pipelinedb.stream_insert_level = sync_commit');
    await insertRows(c, 0, 10);
    const ss = await c.query('SELECT input_rows, input_batches FROM pipelinedb.stream_stats');
    assert.deepEqual(ss.rows, [{ input_rows: '10', input_batches: '1' }]);
    const qs = await queryStats(c);
    assert.equal(qs['worker st_groups']!.input_rows, '10');
    // The groups are stored already: the combiner updates them.
    assert.equal(qs['combiner st_groups']!.output_rows, '0');
    assert.equal(qs['combiner st_groups']!.updated_rows, '10');
  });
});
