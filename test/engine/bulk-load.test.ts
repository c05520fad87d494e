// One million rows into a cv1-shaped view by each bulk path: 1000 multi-row
// INSERTs of 1000 rows (four concurrent psql sessions), INSERT ... SELECT
// over generate_series, and COPY FROM STDIN in text and csv format (psql),
// each into its own stream and view. Every view must hold
// exactly the totals computed independently here: sum(count), sum(sum),
// the number of groups, min/max of a few ids, and every group's row.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../harness/server.js';
import { withClient } from '../harness/pg-client.js';
import { haveBinary } from '../harness/psql.js';
import { GroupTotals, SYNC_COMMIT, elapsedMs, engineSkip, insertStatements, psqlOk, seededInts, textRows } from './engine-helpers.js';

const ROWS = 1_000_000;
const IDS = 1000;
const MAX_VAL = 5_000_000;
const SPOT_IDS = [1, 2, 500, 999, 1000];
const INSERT_SESSIONS = 4;
const skip = engineSkip || (haveBinary('psql') ? false : 'psql is not installed');

let server: TestServer;

before(async () => {
  if (skip) return;
  server = await startTestServer({ settings: { ...SYNC_COMMIT } });
});

after(async () => {
  await server?.stop();
});

/** Seeded rows and their reference totals. */
function randomRows(seed: number): { ids: Int32Array; vals: Int32Array; expected: GroupTotals } {
  const rand = seededInts(seed);
  const ids = new Int32Array(ROWS);
  const vals = new Int32Array(ROWS);
  const expected = new GroupTotals();
  for (let i = 0; i < ROWS; i++) {
    ids[i] = rand(1, IDS);
    vals[i] = rand(1, MAX_VAL);
    expected.add(ids[i], vals[i]);
  }
  return { ids, vals, expected };
}

async function createCv1(stream: string, view: string): Promise<void> {
  await withClient(server, async (c) => {
    await c.query(`CREATE STREAM ${stream} (id int, val int)`);
    await c.query(`CREATE CONTINUOUS VIEW ${view} AS SELECT id,count(*),avg(val),min(val),max(val),sum(val) FROM ${stream} GROUP BY id`);
  });
}

async function checkView(view: string, expected: GroupTotals): Promise<void> {
  await withClient(server, async (c) => {
    const totals = expected.totals();
    assert.deepEqual(await textRows(c, `SELECT sum(count), sum(sum), count(*) FROM ${view}`), [[String(totals.rows), String(totals.sum), String(totals.groups)]]);
    for (const id of SPOT_IDS) {
      const g = expected.get(id);
      assert.ok(g, `id ${id} has rows`);
      assert.deepEqual(await textRows(c, `SELECT min, max, count FROM ${view} WHERE id = $1`, [id]), [[String(g.min), String(g.max), String(g.count)]], `id ${id}`);
    }
    assert.deepEqual(await textRows(c, `SELECT id, count, avg, min, max, sum FROM ${view} ORDER BY id`), expected.cv1Rows());
  });
}

test('1,000,000 rows through 1000 multi-row INSERTs of 1000 rows (4 psql sessions)', { skip, timeout: 600_000 }, async (t) => {
  const { ids, vals, expected } = randomRows(1);
  const rows: string[] = new Array(ROWS);
  for (let i = 0; i < ROWS; i++) rows[i] = `(${ids[i]},${vals[i]})`;
  // Four sessions of 250 statements each: under sync_commit every statement
  // waits for a combiner commit, so one session alone is bound by latency.
  const share = ROWS / INSERT_SESSIONS;
  const scripts = Array.from({ length: INSERT_SESSIONS }, (_, k) => insertStatements('bulk_ins', 'id, val', rows.slice(k * share, (k + 1) * share), 1000));
  await createCv1('bulk_ins', 'bulk_ins_v');
  const start = process.hrtime.bigint();
  await Promise.all(scripts.map((sql) => psqlOk(server, ['-q', '-f', '-'], { stdin: sql, timeoutMs: 600_000 })));
  t.diagnostic(`multi-row INSERT of ${ROWS} rows: ${elapsedMs(start)} ms`);
  await checkView('bulk_ins_v', expected);
});

test('1,000,000 rows through INSERT ... SELECT FROM generate_series', { skip, timeout: 600_000 }, async (t) => {
  // Values follow a formula the SQL and the reference share.
  const expected = new GroupTotals();
  for (let i = 1; i <= ROWS; i++) expected.add((i % IDS) + 1, ((i * 7919) % MAX_VAL) + 1);
  await createCv1('bulk_gen', 'bulk_gen_v');
  const start = process.hrtime.bigint();
  await withClient(server, async (c) => {
    const res = await c.query(`INSERT INTO bulk_gen (id, val) SELECT i % ${IDS} + 1, (i::bigint * 7919) % ${MAX_VAL} + 1 FROM generate_series(1, ${ROWS}) AS i`);
    assert.equal(res.rowCount, ROWS);
  });
  t.diagnostic(`INSERT ... SELECT of ${ROWS} rows: ${elapsedMs(start)} ms`);
  await checkView('bulk_gen_v', expected);
});

test('1,000,000 rows through COPY s1 (id, val) FROM STDIN (text format)', { skip, timeout: 600_000 }, async (t) => {
  const { ids, vals, expected } = randomRows(2);
  const lines: string[] = new Array(ROWS);
  for (let i = 0; i < ROWS; i++) lines[i] = `${ids[i]}\t${vals[i]}`;
  await createCv1('s1', 'cv1');
  const start = process.hrtime.bigint();
  const r = await psqlOk(server, ['-c', 'COPY s1 (id, val) FROM STDIN'], { stdin: lines.join('\n') + '\n\\.\n', timeoutMs: 600_000 });
  t.diagnostic(`COPY text of ${ROWS} rows: ${elapsedMs(start)} ms`);
  assert.equal(r.stdout, `COPY ${ROWS}\n`);
  await checkView('cv1', expected);
});

test('1,000,000 rows through COPY ... FROM STDIN (FORMAT csv, HEADER)', { skip, timeout: 600_000 }, async (t) => {
  const { ids, vals, expected } = randomRows(3);
  const lines: string[] = ['id,val'];
  // Every 7th row quotes its value, which CSV allows for any column.
  for (let i = 0; i < ROWS; i++) lines.push(i % 7 === 0 ? `${ids[i]},"${vals[i]}"` : `${ids[i]},${vals[i]}`);
  await createCv1('bulk_csv', 'bulk_csv_v');
  const start = process.hrtime.bigint();
  const r = await psqlOk(server, ['-c', 'COPY bulk_csv (id, val) FROM STDIN (FORMAT csv, HEADER true)'], { stdin: lines.join('\n') + '\n', timeoutMs: 600_000 });
  t.diagnostic(`COPY csv of ${ROWS} rows: ${elapsedMs(start)} ms`);
  assert.equal(r.stdout, `COPY ${ROWS}\n`);
  await checkView('bulk_csv_v', expected);
});
