// A SELECT over a continuous view that needs no grouping, ordering or
// DISTINCT sends its rows as the scan makes them (sendRowsAsRead), over
// both protocols: the same rows as the materialized path, WHERE, LIMIT and
// OFFSET applied, and an error midway sent after the rows before it, as
// PostgreSQL 15 sends it (RowDescription, the DataRows made, ErrorResponse).
// A client that stops reading holds the scan: other sessions are served and
// commit meanwhile, its result keeps the scan's snapshot, and a cancel ends
// it. A row-limited Execute sends up to its limit and leaves the rest to be
// made by later Executes, as PostgreSQL's portal does: an error midway
// comes at the Execute that reaches it.
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
/**
 * The view read by a client that stops reading: its groups times PAD bytes
 * (64 MB) are more than the loopback socket's buffers take, so the server
 * must wait for the client midway.
 */
const WIDE_IDS = 4000;
const PAD = 16_000;
const WIDE_READ = `SELECT id, count, repeat('x', ${PAD}) AS pad FROM wide`;

before(async () => {
  if (engineSkip) return;
  server = await startTestServer({ settings: { ...SYNC_COMMIT } });
  c = await connectClient(server);
  await c.query('CREATE FOREIGN TABLE s (id integer, val integer) SERVER pipelinedb');
  await c.query('CREATE VIEW cv AS SELECT id, count(*), sum(val) FROM s GROUP BY id');
  await c.query(`INSERT INTO s (id, val) SELECT x, 2 * x FROM generate_series(0, ${IDS - 1}) x`);
  await c.query(`INSERT INTO s (id, val) VALUES (${TWICE}, 1)`);
  await c.query('CREATE FOREIGN TABLE w (id integer) SERVER pipelinedb');
  await c.query('CREATE VIEW wide AS SELECT id, count(*) FROM w GROUP BY id');
  await c.query(`INSERT INTO w (id) SELECT x FROM generate_series(0, ${WIDE_IDS - 1}) x`);
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
  // The same through SQL-level PREPARE / EXECUTE.
  r.write(frontend.query('PREPARE p (int) AS SELECT id, 1 / (count - $1) AS q FROM cv'));
  await r.readyForQuery();
  r.write(frontend.query('EXECUTE p (2)'));
  msgs = await r.readyForQuery();
  assert.deepEqual(names(msgs), ['rowDescription', ...Array<string>(before).fill('dataRow'), 'error', 'readyForQuery']);
  assert.equal((msgs.find((m) => m.name === 'error') as Msg).code, '22012');
});

test('LIMIT and OFFSET are evaluated at the first row: a bad one fails after RowDescription, as in PostgreSQL 15', { skip: engineSkip }, async () => {
  const r = await session();
  for (const [sql, code] of [['SELECT * FROM cv LIMIT -1', '2201W'], ['SELECT * FROM cv OFFSET -1', '2201X'], ['SELECT * FROM cv LIMIT (SELECT -1)', '2201W']]) {
    r.write(frontend.query(sql));
    const msgs = await r.readyForQuery();
    assert.deepEqual(names(msgs), ['rowDescription', 'error', 'readyForQuery'], sql);
    assert.equal((msgs.find((m) => m.name === 'error') as Msg).code, code, sql);
  }
  r.write(frontend.query('SELECT * FROM cv LIMIT 0'));
  assert.deepEqual(names(await r.readyForQuery()), ['rowDescription', 'commandComplete', 'readyForQuery']);
  r.write(frontend.parse({ text: 'SELECT * FROM cv LIMIT $1' }), frontend.bind({ values: ['-1'] }), frontend.describe({ type: 'P', name: '' }), frontend.execute({}), frontend.sync());
  assert.deepEqual(names(await r.readyForQuery()), ['parseComplete', 'bindComplete', 'rowDescription', 'error', 'readyForQuery']);
});

test('COPY (SELECT ... FROM a view) TO STDOUT sends its lines as they are made; an error midway follows them, as in PostgreSQL 15', { skip: engineSkip }, async () => {
  const r = await session();
  r.write(frontend.query('COPY (SELECT id, count, sum FROM cv) TO STDOUT'));
  let msgs = await r.readyForQuery();
  const data = msgs.filter((m) => m.name === 'copyData');
  assert.equal(data.length, IDS);
  const lines = data.map((m) => (m.chunk as Buffer).toString('utf8').replace(/\n$/, '').split('\t'));
  assert.deepEqual(lines.sort(byId), Array.from({ length: IDS }, (_, k) => expected(k)));
  assert.deepEqual(names(msgs).slice(-3), ['copyDone', 'commandComplete', 'readyForQuery']);
  assert.equal(msgs.find((m) => m.name === 'commandComplete')?.text, `COPY ${IDS}`);
  r.write(frontend.query('COPY (SELECT id FROM cv LIMIT 2) TO STDOUT (FORMAT csv, HEADER)'));
  msgs = await r.readyForQuery();
  assert.deepEqual(names(msgs), ['copyOutResponse', 'copyData', 'copyData', 'copyData', 'copyDone', 'commandComplete', 'readyForQuery']);
  assert.equal((msgs[1].chunk as Buffer).toString('utf8'), 'id\n');
  assert.equal(msgs.find((m) => m.name === 'commandComplete')?.text, 'COPY 2');
  const before = (await textRows(c, 'SELECT id FROM cv')).findIndex((row) => row[0] === String(TWICE));
  r.write(frontend.query('COPY (SELECT id, 1 / (count - 2) FROM cv) TO STDOUT'));
  msgs = await r.readyForQuery();
  assert.deepEqual(names(msgs), ['copyOutResponse', ...Array<string>(before).fill('copyData'), 'error', 'readyForQuery']);
  assert.equal((msgs.find((m) => m.name === 'error') as Msg).code, '22012');
  r.write(frontend.query('COPY (SELECT * FROM cv LIMIT -1) TO STDOUT'));
  msgs = await r.readyForQuery();
  assert.deepEqual(names(msgs), ['copyOutResponse', 'error', 'readyForQuery']);
  assert.equal((msgs.find((m) => m.name === 'error') as Msg).code, '2201W');
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

test('a row-limited Execute makes only its rows: an error midway comes at the Execute that reaches it, as in PostgreSQL', { skip: engineSkip }, async () => {
  const r = await session();
  const order = (await textRows(c, 'SELECT id FROM cv')).map((row) => Number(row[0]));
  const at = 2500;
  r.write(frontend.parse({ text: 'SELECT id, 1 / (id - $1::int) AS q FROM cv' }), frontend.bind({ values: [String(order[at])] }), frontend.execute({ rows: 1000 }), frontend.flush());
  let msgs = await r.until('portalSuspended');
  assert.deepEqual(names(msgs), ['parseComplete', 'bindComplete', ...Array<string>(1000).fill('dataRow'), 'portalSuspended']);
  assert.deepEqual(rows(msgs).map((row) => Number(row[0])), order.slice(0, 1000));
  r.write(frontend.execute({ rows: 1000 }), frontend.flush());
  msgs = await r.until('portalSuspended');
  assert.deepEqual(rows(msgs).map((row) => Number(row[0])), order.slice(1000, 2000));
  r.write(frontend.execute({ rows: 1000 }), frontend.sync());
  msgs = await r.readyForQuery();
  assert.deepEqual(names(msgs), [...Array<string>(500).fill('dataRow'), 'error', 'readyForQuery']);
  assert.equal((msgs.find((m) => m.name === 'error') as Msg).code, '22012');
  // The session goes on.
  r.write(frontend.query('SELECT count(*) FROM cv'));
  assert.deepEqual(rows(await r.readyForQuery()), [[String(IDS)]]);
});

test('a row-limited portal keeps its snapshot across Executes; closed, replaced or ended with its transaction midway, it leaves nothing behind', { skip: engineSkip }, async () => {
  const r = await session();
  await c.query('CREATE FOREIGN TABLE sn (id integer) SERVER pipelinedb');
  await c.query('CREATE VIEW snv AS SELECT id, count(*) FROM sn GROUP BY id');
  await c.query('INSERT INTO sn (id) SELECT x FROM generate_series(1, 3000) x');
  r.write(frontend.query('BEGIN'));
  await r.readyForQuery();
  r.write(frontend.parse({ text: 'SELECT id, count FROM snv' }), frontend.bind({ portal: 'p1' }), frontend.execute({ portal: 'p1', rows: 10 }), frontend.flush());
  let msgs = await r.until('portalSuspended');
  let got = rows(msgs);
  // Committed meanwhile: new groups, and more rows in the old ones.
  await c.query('INSERT INTO sn (id) SELECT x FROM generate_series(1, 4000) x');
  assert.deepEqual(await textRows(c, 'SELECT count(*), sum(count) FROM snv'), [['4000', '7000']]);
  r.write(frontend.execute({ portal: 'p1', rows: 0 }), frontend.flush());
  msgs = await r.until('commandComplete');
  got = [...got, ...rows(msgs)];
  assert.equal(msgs.find((m) => m.name === 'commandComplete')?.text, 'SELECT 2990');
  assert.deepEqual(got.sort(byId), Array.from({ length: 3000 }, (_, i) => [String(i + 1), '1']));
  // Run to its end, the portal answers SELECT 0.
  r.write(frontend.execute({ portal: 'p1', rows: 5 }), frontend.flush());
  assert.deepEqual(names(await r.until('commandComplete')), ['commandComplete']);
  // Suspended portals closed, replaced by a Bind of the same name and ended with the transaction.
  r.write(frontend.bind({ portal: 'p2' }), frontend.execute({ portal: 'p2', rows: 10 }), frontend.close({ type: 'P', name: 'p2' }), frontend.flush());
  assert.deepEqual(names(await r.until('closeComplete')), ['bindComplete', ...Array<string>(10).fill('dataRow'), 'portalSuspended', 'closeComplete']);
  r.write(frontend.bind({}), frontend.execute({ rows: 10 }), frontend.bind({}), frontend.execute({ rows: 3 }), frontend.flush());
  msgs = await r.until('portalSuspended');
  msgs = await r.until('portalSuspended');
  assert.equal(rows(msgs).length, 3);
  r.write(frontend.bind({ portal: 'p3' }), frontend.execute({ portal: 'p3', rows: 10 }), frontend.sync());
  await r.readyForQuery();
  r.write(frontend.query('COMMIT'));
  assert.equal((await r.readyForQuery()).at(-1)!.status, 'I');
  r.write(frontend.execute({ portal: 'p3', rows: 10 }), frontend.sync());
  assert.equal(((await r.readyForQuery()).find((m) => m.name === 'error') as Msg).code, '34000');
  // The view is read and dropped as usual afterwards.
  assert.deepEqual(await textRows(c, 'SELECT count(*), sum(count) FROM snv'), [['4000', '7000']]);
  await c.query('DROP VIEW snv');
  await c.query('DROP FOREIGN TABLE sn');
});

/** A raw session that has read its result's first DataRow, then stopped reading; and its backend PID. */
async function stalledRead(): Promise<{ r: RawClient; pid: number; first: Msg[] }> {
  const r = await RawClient.connect(server.port);
  open.push(r);
  const started = await r.startup();
  const pid = started.find((m) => m.name === 'backendKeyData')!.processID as number;
  r.write(frontend.query(WIDE_READ));
  const first = await r.until('dataRow');
  r.socket.pause();
  return { r, pid, first };
}

test('a client that stops reading holds the scan: others are served and commit meanwhile, and its result keeps its snapshot', { skip: engineSkip }, async () => {
  const { r, first } = await stalledRead();
  await c.query(`INSERT INTO w (id) VALUES (${WIDE_IDS + 100}), (0)`);
  assert.deepEqual(await textRows(c, `SELECT count(*), sum(count) FROM wide`), [[String(WIDE_IDS + 1), String(WIDE_IDS + 2)]]);
  r.socket.resume();
  const msgs = [...first, ...(await r.readyForQuery(60_000))];
  assert.equal(msgs.find((m) => m.name === 'commandComplete')?.text, `SELECT ${WIDE_IDS}`);
  const got = rows(msgs);
  assert.equal(got.length, WIDE_IDS);
  const pad = 'x'.repeat(PAD);
  got.sort(byId);
  for (let k = 0; k < WIDE_IDS; k++) assert.deepEqual(got[k], [String(k), '1', pad], `group ${k}`);
  // The rows inserted during the read are there for the next one.
  assert.deepEqual(await textRows(c, `SELECT count FROM wide WHERE id IN (0, ${WIDE_IDS + 100}) ORDER BY id`), [['2'], ['1']]);
});

test('a cancel while the server waits for a stalled client ends the statement: the rows sent, then 57014', { skip: engineSkip }, async () => {
  const { r, pid, first } = await stalledRead();
  assert.deepEqual(await textRows(c, 'SELECT pg_cancel_backend($1)', [pid]), [['t']]);
  r.socket.resume();
  const msgs = [...first, ...(await r.readyForQuery(60_000))];
  const err = msgs.find((m) => m.name === 'error');
  assert.equal(err?.code, '57014');
  assert.equal(err?.message, 'canceling statement due to user request');
  const n = rows(msgs).length;
  assert.ok(n > 0 && n < WIDE_IDS, `${n} rows before the error`);
  assert.equal(msgs[msgs.length - 1].status, 'I');
  r.write(frontend.query('SELECT count(*) FROM wide'));
  assert.deepEqual(rows(await r.readyForQuery()), [[String(WIDE_IDS + 1)]]);
});

test('a client that disconnects while the server waits for it ends its statement; the server goes on', { skip: engineSkip }, async () => {
  const { r } = await stalledRead();
  r.destroy();
  await r.closed;
  await c.query(`INSERT INTO w (id) VALUES (${WIDE_IDS + 200})`);
  assert.deepEqual(await textRows(c, 'SELECT count(*) FROM wide'), [[String(WIDE_IDS + 2)]]);
  // Its scan was let go: another client reads the whole view, through to its new group.
  const again = await session();
  again.write(frontend.query('SELECT id FROM wide'));
  const msgs = await again.readyForQuery(60_000);
  assert.equal(rows(msgs).length, WIDE_IDS + 2);
  assert.equal(msgs.find((m) => m.name === 'commandComplete')?.text, `SELECT ${WIDE_IDS + 2}`);
});
