// A SELECT over a continuous view that needs no grouping, ordering or
// DISTINCT sends its rows as the scan makes them (sendRowsAsRead), over
// both protocols: the same rows as the materialized path, WHERE, LIMIT and
// OFFSET applied, and an error midway sent after the rows before it, as
// PostgreSQL 15 sends it (RowDescription, the DataRows made, ErrorResponse:
// checked against it with a table of the same rows). A row-limited Execute
// still materializes, and suspends and resumes its portal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { startTestServer, type TestServer } from '../harness/server.js';
import { connectClient } from '../harness/pg-client.js';
import { RawClient, frontend, names, rows, type Msg } from '../harness/raw-client.js';
import { SYNC_COMMIT, engineSkip, textRows } from '../engine/engine-helpers.js';

let server: TestServer;
let c: pg.Client;
const open: RawClient[] = [];

/** Groups: more than a scan's 4,096-row interrupt step and a 64 kB output flush. */
const IDS = 6000;
/** The one group with two rows (the others have one). */
const TWICE = 5;

before(async () => {
  if (engineSkip) return;
  server = await startTestServer({ settings: { ...SYNC_COMMIT } });
  c = await connectClient(server);
  await c.query('CREATE FOREIGN TABLE s (id integer, val integer) SERVER pipelinedb');
  await c.query('CREATE VIEW cv AS SELECT id, count(*), sum(val) FROM s GROUP BY id');
  await c.query(`INSERT INTO s (id, val) SELECT x, 2 * x FROM generate_series(0, ${IDS - 1}) x`);
  await c.query(`INSERT INTO s (id, val) VALUES (${TWICE}, 1)`);
});

after(async () => {
  for (const r of open) r.destroy();
  await c?.end();
  await server?.stop();
});

async function session(): Promise<RawClient> {
  const r = await RawClient.connect(server.port);
  open.push(r);
  await r.startup();
  return r;
}

/** cv's row for id k: count and sum as text. */
function expected(k: number): string[] {
  return k === TWICE ? [String(k), '2', String(2 * k + 1)] : [String(k), '1', String(2 * k)];
}

const byId = (a: (string | null)[], b: (string | null)[]) => Number(a[0]) - Number(b[0]);

test('every group, over the simple and the extended protocol, as the sorted (materialized) read has them', { skip: engineSkip }, async () => {
  const all = Array.from({ length: IDS }, (_, k) => expected(k));
  const simple = await c.query({ text: 'SELECT * FROM cv', rowMode: 'array' });
  assert.equal(simple.rowCount, IDS);
  const extended = await textRows(c, 'SELECT * FROM cv WHERE id >= $1', [0]);
  const sorted = await textRows(c, 'SELECT * FROM cv ORDER BY id');
  assert.deepEqual(sorted, all);
  assert.deepEqual(extended.slice().sort(byId), all);
  assert.deepEqual(await textRows(c, 'SELECT * FROM cv'), extended);
});

test('WHERE, LIMIT and OFFSET over a streamed view', { skip: engineSkip }, async () => {
  const big = await textRows(c, 'SELECT id, sum FROM cv WHERE sum > $1', [2 * (IDS - 10)]);
  assert.deepEqual(big.sort(byId), Array.from({ length: 9 }, (_, i) => [String(IDS - 9 + i), String(2 * (IDS - 9 + i))]));
  const first = await textRows(c, 'SELECT id FROM cv LIMIT 3');
  const offset = await textRows(c, 'SELECT id FROM cv LIMIT 3 OFFSET 2');
  const scan = (await textRows(c, 'SELECT id FROM cv')).slice(0, 5);
  assert.deepEqual(first, scan.slice(0, 3));
  assert.deepEqual(offset, scan.slice(2, 5));
  assert.deepEqual(await textRows(c, 'SELECT id FROM cv LIMIT 0'), []);
  assert.deepEqual(await textRows(c, `SELECT count(*) FROM (SELECT * FROM cv OFFSET ${IDS - 4}) x`), [['4']]);
});

test('an error midway follows the rows made before it, then the connection goes on (simple protocol)', { skip: engineSkip }, async () => {
  const r = await session();
  const before = (await textRows(c, 'SELECT id FROM cv')).findIndex((row) => row[0] === String(TWICE));
  assert.ok(before >= 0);
  r.write(frontend.query('SELECT id, 1 / (count - 2) AS q FROM cv'));
  let msgs = await r.readyForQuery();
  assert.deepEqual(names(msgs), ['rowDescription', ...Array<string>(before).fill('dataRow'), 'error', 'readyForQuery']);
  for (const row of rows(msgs)) assert.equal(row[1], '-1');
  const err = msgs.find((m) => m.name === 'error') as Msg;
  assert.equal(err.code, '22012');
  assert.equal(msgs[msgs.length - 1].status, 'I');
  r.write(frontend.query('SELECT count(*) FROM cv'));
  msgs = await r.readyForQuery();
  assert.deepEqual(rows(msgs), [[String(IDS)]]);
});

test('an error midway follows the rows made before it (extended protocol)', { skip: engineSkip }, async () => {
  const r = await session();
  const before = (await textRows(c, 'SELECT id FROM cv')).findIndex((row) => row[0] === String(TWICE));
  r.write(frontend.parse({ text: 'SELECT id, 1 / (count - $1::int) AS q FROM cv' }), frontend.bind({ values: ['2'] }), frontend.execute({}), frontend.sync());
  const msgs = await r.readyForQuery();
  assert.deepEqual(names(msgs), ['parseComplete', 'bindComplete', ...Array<string>(before).fill('dataRow'), 'error', 'readyForQuery']);
  assert.equal((msgs.find((m) => m.name === 'error') as Msg).code, '22012');
});

test('a row-limited Execute over a view suspends its portal and resumes it', { skip: engineSkip }, async () => {
  const r = await session();
  r.write(frontend.parse({ text: 'SELECT id, count FROM cv' }), frontend.bind({}), frontend.execute({ rows: 2 }), frontend.flush());
  let msgs = await r.until('portalSuspended');
  assert.deepEqual(names(msgs), ['parseComplete', 'bindComplete', 'dataRow', 'dataRow', 'portalSuspended']);
  const firstTwo = rows(msgs);
  r.write(frontend.execute({}), frontend.sync());
  msgs = await r.readyForQuery();
  const rest = rows(msgs);
  assert.equal(rest.length, IDS - 2);
  assert.equal(msgs.find((m) => m.name === 'commandComplete')?.text, `SELECT ${IDS - 2}`);
  const all = [...firstTwo, ...rest].sort(byId);
  assert.deepEqual(all, Array.from({ length: IDS }, (_, k) => expected(k).slice(0, 2)));
});
