// Durability of continuous views: a clean stop/start keeps every view and
// every value, and kill -9 during sustained sync_commit inserts loses no
// acknowledged row. For the crash, each writer inserts single rows
// (cid, seq = 1, 2, 3 ...) under its own cid, one statement in flight at a
// time, and counts the INSERTs that were sent and those acknowledged. After
// recovery the view must hold exactly rows 1..acked, or 1..acked+1 when the
// one unacknowledged INSERT had committed before the kill: count, sum(seq)
// and max(seq) tell these apart, so a lost or duplicated row shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { startTestServer, type TestServer } from '../harness/server.js';
import { connectClient, withClient } from '../harness/pg-client.js';
import { waitUntil } from '../harness/wait.js';
import { GroupTotals, SYNC_COMMIT, engineSkip, ignoreIdleErrors, seededInts, textRows } from './engine-helpers.js';

const CRASH_ROUNDS = 5;
const WRITERS = 4;
/** Acknowledged rows every writer must reach before the kill: the crash always hits sustained load. */
const MIN_ACKED = 25;

/** Views in both syntaxes with a spread of aggregates, fed deterministic rows. */
async function createAndFeed(c: pg.Client, rows: number, seed: number): Promise<void> {
  const rand = seededInts(seed);
  const values: string[] = [];
  for (let i = 0; i < rows; i++) {
    const day = `2018-01-${String(rand(1, 28)).padStart(2, '0')}`;
    values.push(`(${rand(1, 50)}, ${rand(1, 5_000_000)}, '${day}', ${rand(0, 1) ? "'k" + rand(1, 9) + "'" : 'NULL'})`);
  }
  for (let i = 0; i < values.length; i += 500) {
    await c.query(`INSERT INTO rs_s (id, val, day, tag) VALUES ${values.slice(i, i + 500).join(',')}`);
    await c.query(`INSERT INTO rs_s10 (id, val, day, tag) VALUES ${values.slice(i, i + 500).join(',')}`);
  }
}

const VIEW_QUERIES = [
  'SELECT id, count, avg, min, max, sum FROM rs_cv1 ORDER BY id',
  'SELECT day, tag, count, total, longest FROM rs_daily ORDER BY day, tag NULLS FIRST',
  'SELECT * FROM rs_global',
  'SELECT id, count, avg, min, max, sum FROM rs_v10 ORDER BY id',
  'SELECT name, active, query FROM pipelinedb.views ORDER BY name',
  'SELECT schema, name, queries FROM pipelinedb.get_streams() ORDER BY name',
];

async function snapshot(c: pg.Client): Promise<(string | null)[][][]> {
  const out: (string | null)[][][] = [];
  for (const q of VIEW_QUERIES) out.push(await textRows(c, q));
  return out;
}

test('a clean stop and start keeps every view, its definition and its values', { skip: engineSkip, timeout: 180_000 }, async () => {
  let server: TestServer = await startTestServer({ settings: { ...SYNC_COMMIT } });
  const first = server;
  try {
    let before: (string | null)[][][] = [];
    await withClient(server, async (c) => {
      await c.query('CREATE STREAM rs_s (id int, val int, day date, tag text)');
      await c.query('CREATE CONTINUOUS VIEW rs_cv1 AS SELECT id,count(*),avg(val),min(val),max(val),sum(val) FROM rs_s GROUP BY id');
      await c.query('CREATE CONTINUOUS VIEW rs_daily AS SELECT day, tag, count(*), sum(val::numeric) AS total, max(length(tag)) AS longest FROM rs_s GROUP BY day, tag');
      await c.query('CREATE CONTINUOUS VIEW rs_global AS SELECT count(*), sum(val), min(day), max(day), count(tag) AS tags FROM rs_s');
      await c.query('CREATE FOREIGN TABLE rs_s10 (id int, val int, day date, tag text) SERVER pipelinedb');
      await c.query('CREATE VIEW rs_v10 WITH (action=materialize) AS SELECT id,count(*),avg(val),min(val),max(val),sum(val) FROM rs_s10 GROUP BY id');
      await c.query('CREATE VIEW rs_inactive WITH (action=materialize) AS SELECT count(*) FROM rs_s10');
      await c.query("SELECT pipelinedb.deactivate('rs_inactive')");
      await createAndFeed(c, 5000, 7);
      before = await snapshot(c);
    });
    assert.equal(before[0].length, 50);
    assert.equal(before[4].length, 5);

    await server.stop('SIGINT', { keepDataDir: true });
    server = await startTestServer({ dataDir: first.dataDir, settings: { ...SYNC_COMMIT } });
    await withClient(server, async (c) => {
      assert.deepEqual(await snapshot(c), before);
      // rs_inactive stays inactive across the restart; the others keep counting.
      await c.query('INSERT INTO rs_s10 (id, val, day, tag) VALUES (1, 10, \'2018-02-01\', NULL)');
      assert.deepEqual(await textRows(c, 'SELECT * FROM rs_inactive'), []);
      assert.deepEqual(await textRows(c, 'SELECT count FROM rs_v10 WHERE id = 1'), [[String(Number(before[3][0][1]) + 1)]]);
    });

    // A second restart right after writes: SIGTERM (smart) this time.
    await server.stop('SIGTERM', { keepDataDir: true });
    server = await startTestServer({ dataDir: first.dataDir, settings: { ...SYNC_COMMIT } });
    await withClient(server, async (c) => {
      assert.deepEqual(await textRows(c, 'SELECT count FROM rs_v10 WHERE id = 1'), [[String(Number(before[3][0][1]) + 1)]]);
      assert.deepEqual(await textRows(c, 'SELECT id, count, avg, min, max, sum FROM rs_cv1 ORDER BY id'), before[0]);
    });
    await server.stop('SIGINT', { keepDataDir: true });
  } finally {
    await server.stop().catch(() => {});
    first.cleanup();
  }
});

test('restarts with other numbers of workers and combiners keep merging into the same groups', { skip: engineSkip, timeout: 180_000 }, async () => {
  const shapes = [4, 1, 3];
  const expected = new GroupTotals();
  const rand = seededInts(31);
  const first = await startTestServer({ settings: { ...SYNC_COMMIT, 'pipelinedb.num_workers': '4', 'pipelinedb.num_combiners': '4' } });
  let server = first;
  try {
    await withClient(server, async (c) => {
      await c.query('CREATE STREAM pw_s (id int, val int)');
      await c.query('CREATE CONTINUOUS VIEW pw_cv1 AS SELECT id,count(*),avg(val),min(val),max(val),sum(val) FROM pw_s GROUP BY id');
    });
    for (let i = 0; i < shapes.length; i++) {
      if (i > 0) {
        await server.stop('SIGINT', { keepDataDir: true });
        const n = String(shapes[i]);
        server = await startTestServer({ dataDir: first.dataDir, settings: { ...SYNC_COMMIT, 'pipelinedb.num_workers': n, 'pipelinedb.num_combiners': n } });
      }
      await withClient(server, async (c) => {
        for (let s = 0; s < 10; s++) {
          const values: string[] = [];
          for (let k = 0; k < 1000; k++) {
            const id = rand(1, 200);
            const val = rand(1, 5_000_000);
            expected.add(id, val);
            values.push(`(${id},${val})`);
          }
          await c.query(`INSERT INTO pw_s (id, val) VALUES ${values.join(',')}`);
        }
        assert.deepEqual(await textRows(c, 'SELECT id, count, avg, min, max, sum FROM pw_cv1 ORDER BY id'), expected.cv1Rows(), `after the run with ${shapes[i]} workers / combiners`);
      });
    }
    await server.stop('SIGINT', { keepDataDir: true });
  } finally {
    await server.stop().catch(() => {});
    first.cleanup();
  }
});

interface Writer {
  cid: number;
  sent: number;
  acked: number;
  error: unknown;
  done: Promise<void>;
}

/** Inserts (cid, 1), (cid, 2) ... one at a time until the connection breaks. */
function startWriter(client: pg.Client, cid: number): Writer {
  const w: Writer = { cid, sent: 0, acked: 0, error: undefined, done: Promise.resolve() };
  w.done = (async () => {
    try {
      for (;;) {
        const seq = w.sent + 1;
        w.sent = seq;
        await client.query(`INSERT INTO crash_s (cid, seq) VALUES (${cid}, ${seq})`);
        w.acked = seq;
      }
    } catch (e) {
      w.error = e;
    }
  })();
  return w;
}

const triangle = (n: number) => (BigInt(n) * BigInt(n + 1)) / 2n;

/** Checks every writer of every round so far against the recovered view. */
async function checkRecovered(c: pg.Client, writers: Writer[], round: number): Promise<void> {
  const rows = await textRows(c, 'SELECT cid, count, sum_seq, max_seq FROM crash_v ORDER BY cid');
  const byCid = new Map(rows.map((r) => [Number(r[0]), r]));
  assert.equal(rows.length, writers.length, `round ${round}: one group per writer so far`);
  for (const w of writers) {
    const r = byCid.get(w.cid);
    assert.ok(r, `round ${round}: cid ${w.cid} (acked ${w.acked}) has no rows after recovery`);
    const count = Number(r[1]);
    const what = `round ${round}: cid ${w.cid} acked ${w.acked} sent ${w.sent}, view has count ${r[1]} sum ${r[2]} max ${r[3]}`;
    assert.ok(count >= w.acked, `acknowledged rows lost: ${what}`);
    assert.ok(count <= w.sent, `rows never sent appear: ${what}`);
    assert.equal(r[2], String(triangle(count)), `rows 1..count are not exactly present: ${what}`);
    assert.equal(r[3], String(count), what);
  }
}

test(`kill -9 during sync_commit inserts loses no acknowledged row (${CRASH_ROUNDS} rounds)`, { skip: engineSkip, timeout: 600_000 }, async (t) => {
  let server: TestServer = await startTestServer({ settings: { ...SYNC_COMMIT } });
  const first = server;
  const all: Writer[] = [];
  const reference = new GroupTotals();
  try {
    await withClient(server, async (c) => {
      await c.query('CREATE STREAM crash_s (cid int, seq int)');
      await c.query('CREATE CONTINUOUS VIEW crash_v AS SELECT cid, count(*), sum(seq) AS sum_seq, max(seq) AS max_seq FROM crash_s GROUP BY cid');
      // A second view, fed only before the crashes, must come through all of them untouched.
      await c.query('CREATE STREAM crash_ref (id int, val int)');
      await c.query('CREATE CONTINUOUS VIEW crash_ref_v AS SELECT id,count(*),avg(val),min(val),max(val),sum(val) FROM crash_ref GROUP BY id');
      const rand = seededInts(99);
      const values: string[] = [];
      for (let i = 0; i < 3000; i++) {
        const id = rand(1, 30);
        const val = rand(1, 5_000_000);
        reference.add(id, val);
        values.push(`(${id},${val})`);
      }
      await c.query(`INSERT INTO crash_ref (id, val) VALUES ${values.join(',')}`);
    });

    for (let round = 1; round <= CRASH_ROUNDS; round++) {
      const clients: pg.Client[] = [];
      for (let k = 0; k < WRITERS; k++) clients.push(ignoreIdleErrors(await connectClient(server)));
      const writers = clients.map((client, k) => startWriter(client, round * 100 + k));
      all.push(...writers);
      const ready = await waitUntil(() => writers.every((w) => w.acked >= MIN_ACKED || w.error !== undefined), true, 60_000, 5);
      assert.ok(ready, `round ${round}: writers did not reach ${MIN_ACKED} acknowledged rows: ${writers.map((w) => `${w.acked}/${String(w.error ?? '')}`).join(', ')}`);
      const early = writers.find((w) => w.error !== undefined);
      assert.equal(early, undefined, `round ${round}: a writer failed before the kill: ${String(early?.error)}`);

      await server.kill9();
      await Promise.all(writers.map((w) => w.done));
      for (const client of clients) await client.end().catch(() => {});
      t.diagnostic(`round ${round}: killed with acked ${writers.map((w) => `${w.acked}/${w.sent}`).join(', ')}`);

      server = await startTestServer({ dataDir: first.dataDir, settings: { ...SYNC_COMMIT } });
      await withClient(server, async (c) => {
        await checkRecovered(c, all, round);
        assert.deepEqual(await textRows(c, 'SELECT id, count, avg, min, max, sum FROM crash_ref_v ORDER BY id'), reference.cv1Rows(), `round ${round}: untouched view changed`);
      });
    }

    // The recovered server keeps accepting rows on top of the recovered state.
    await withClient(server, async (c) => {
      const w = all[0];
      const [[before]] = await textRows(c, 'SELECT count FROM crash_v WHERE cid = $1', [w.cid]);
      await c.query(`INSERT INTO crash_s (cid, seq) VALUES (${w.cid}, 0)`);
      assert.deepEqual(await textRows(c, 'SELECT count FROM crash_v WHERE cid = $1', [w.cid]), [[String(Number(before) + 1)]]);
    });
    await server.stop('SIGINT', { keepDataDir: true });
  } finally {
    await server.stop().catch(() => {});
    first.cleanup();
  }
});
