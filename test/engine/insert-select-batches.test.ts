// INSERT INTO stream ... SELECT ... FROM generate_series (or SELECT
// generate_series(...)) sends its rows a batch at a time as they are made, so its size is not bounded by the rows a
// statement may hold (10,000,000): a larger one is counted into the view in
// full, a cancel or statement_timeout stops it between rows, and an error
// part-way leaves the batches already sent in the view, as a stream is not
// a table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../harness/server.js';
import { withClient } from '../harness/pg-client.js';
import { SYNC_COMMIT, elapsedMs, engineSkip } from './engine-helpers.js';

const skip = engineSkip;
let server: TestServer;

before(async () => {
  if (skip) return;
  server = await startTestServer({ settings: { ...SYNC_COMMIT } });
});

after(async () => {
  await server?.stop();
});

test('an INSERT ... SELECT of more rows than a statement may hold reaches the view in full', { skip, timeout: 600_000 }, async (t) => {
  const rows = 10_500_000;
  await withClient(server, async (c) => {
    await c.query('CREATE FOREIGN TABLE big_s (x integer) SERVER pipelinedb');
    await c.query('CREATE VIEW big_v WITH (action=materialize) AS SELECT x % 3 AS k, count(*), sum(x) FROM big_s GROUP BY k');
    const start = process.hrtime.bigint();
    const res = await c.query(`INSERT INTO big_s (x) SELECT i FROM generate_series(1, ${rows}) AS i`);
    t.diagnostic(`INSERT ... SELECT of ${rows} rows: ${elapsedMs(start)} ms`);
    assert.equal(res.command, 'INSERT');
    assert.equal(res.rowCount, rows);
    // sync_commit: every batch is in the view once the statement returns.
    const view = await c.query('SELECT k, count, sum FROM big_v ORDER BY k');
    const expected = [0, 1, 2].map((k) => {
      let count = 0n;
      let sum = 0n;
      for (let i = k === 0 ? 3 : k; i <= rows; i += 3) {
        count++;
        sum += BigInt(i);
      }
      return { k, count: String(count), sum: String(sum) };
    });
    assert.deepEqual(view.rows, expected);
  });
});

test('statement_timeout stops a huge INSERT ... SELECT; the session and the view go on', { skip, timeout: 120_000 }, async () => {
  await withClient(server, async (c) => {
    await c.query('CREATE FOREIGN TABLE huge_s (x integer) SERVER pipelinedb');
    await c.query('CREATE VIEW huge_v WITH (action=materialize) AS SELECT count(*) FROM huge_s');
    await c.query("SET statement_timeout = '300ms'");
    // The function in the target list, as PipelineDB's examples often write it.
    await assert.rejects(c.query('INSERT INTO huge_s (x) SELECT generate_series(1, 2000000000)'), {
      code: '57014',
      message: 'canceling statement due to statement timeout',
    });
    await c.query('SET statement_timeout = 0');
    // What was sent before the timeout is whole batches of the default 10,000 rows.
    const sent = Number((await c.query('SELECT count FROM huge_v')).rows[0].count);
    assert.ok(sent > 0 && sent % 10_000 === 0 && sent < 2_000_000_000, String(sent));
    await c.query('INSERT INTO huge_s (x) SELECT i FROM generate_series(1, 5) AS i');
    assert.equal(Number((await c.query('SELECT count FROM huge_v')).rows[0].count), sent + 5);
  });
});

test('an error part-way through an INSERT ... SELECT keeps the batches sent before it', { skip }, async () => {
  await withClient(server, async (c) => {
    await c.query('CREATE FOREIGN TABLE part_s (x integer) SERVER pipelinedb');
    await c.query('CREATE VIEW part_v WITH (action=materialize) AS SELECT count(*), sum(x) FROM part_s');
    // Row 25,000 divides by zero: rows 1-20,000 went out in two batches of batch_size (10,000); the third was not sent.
    await assert.rejects(c.query('INSERT INTO part_s (x) SELECT 1 / (i - 25000) + i FROM generate_series(1, 30000) AS i'), {
      code: '22012',
      message: 'division by zero',
    });
    const r = await c.query('SELECT count, sum FROM part_v');
    let sum = 0;
    for (let i = 1; i <= 20_000; i++) sum += Math.trunc(1 / (i - 25_000)) + i;
    assert.deepEqual(r.rows, [{ count: '20000', sum: String(sum) }]);
  });
});

test('under async, and with no view reading the stream, a huge INSERT ... SELECT still lets other sessions in and can be cancelled', { skip, timeout: 120_000 }, async () => {
  await withClient(server, async (c) => {
    await c.query('CREATE FOREIGN TABLE async_s (x integer) SERVER pipelinedb');
    await c.query('CREATE FOREIGN TABLE unread_s (x integer) SERVER pipelinedb');
    await c.query('CREATE VIEW async_v WITH (action=materialize) AS SELECT count(*) FROM async_s');
    await c.query('SET pipelinedb.stream_insert_level = async');
    const pid = (await c.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
    for (const stream of ['async_s', 'unread_s']) {
      const running = c.query(`INSERT INTO ${stream} (x) SELECT generate_series(1, 2000000000)`);
      const outcome = running.then(
        () => 'finished',
        (e: { code?: string; message?: string }) => `${e.code} ${e.message}`,
      );
      // Another session is served while the insert runs, and its cancel is read and acted on.
      await withClient(server, async (other) => {
        await new Promise((r) => setTimeout(r, 300));
        assert.deepEqual((await other.query('SELECT 1 AS one')).rows, [{ one: 1 }]);
        assert.deepEqual((await other.query('SELECT pg_cancel_backend($1) AS ok', [pid])).rows, [{ ok: true }]);
      });
      assert.equal(await outcome, '57014 canceling statement due to user request', stream);
    }
    // The view holds what went in before the cancel: whole batches, each received before the next was made.
    await c.query("SET pipelinedb.stream_insert_level = sync_commit");
    await c.query('INSERT INTO async_s (x) VALUES (1)');
    const n = Number((await c.query('SELECT count FROM async_v')).rows[0].count);
    assert.ok(n > 1 && (n - 1) % 10_000 === 0, String(n));
  });
});
