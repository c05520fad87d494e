// Point reads of continuous views: a WHERE fixing every group column reads
// one group. Over the wire (simple and extended protocol, prepared
// statements reused many times) the point read returns exactly the row the
// scan returns, nothing for absent keys and NULL comparisons, and still
// applies the other conjuncts. The last test proves that the point read
// touches only its own group: every other group's stored state is corrupted
// while the server is down, after which the scan fails and the point read
// still answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { startTestServer, type TestServer } from '../harness/server.js';
import { connectClient, withClient } from '../harness/pg-client.js';
import { SYNC_COMMIT, engineSkip, numericDivText, textRows } from '../engine/engine-helpers.js';
import { openEnvironment } from '../../src/storage/lmdb-env.js';
import { BlockBuilder, BlockReader, writeBlock } from '../../src/storage/group-blocks.js';
import { ByteWriter } from '../../src/planner/bytes.js';
import { loadParser } from '../../src/sql/parse-statements.js';
import { compileContinuousPlan } from '../../src/planner/compile-plan.js';
import { defaultIoContext } from '../../src/types/io-context.js';
import { OID } from '../../src/types/oids.js';

let server: TestServer;
let c: pg.Client;

const IDS = 50;
const ROWS = 1000;
const CV1_QUERY = 'SELECT id, count(*), avg(val), sum(val) FROM s1 GROUP BY id';

before(async () => {
  if (engineSkip) return;
  server = await startTestServer({ settings: { ...SYNC_COMMIT } });
  c = await connectClient(server);
  await c.query('CREATE FOREIGN TABLE s1 (id integer, val integer) SERVER pipelinedb');
  await c.query(`CREATE VIEW cv1 AS ${CV1_QUERY}`);
  await c.query('CREATE FOREIGN TABLE s2 (day date, worker text, amount numeric) SERVER pipelinedb');
  await c.query('CREATE VIEW daily AS SELECT day, worker, count(*), sum(amount) FROM s2 GROUP BY day, worker');
  await c.query('CREATE VIEW by_amount AS SELECT amount, count(*) FROM s2 GROUP BY amount');
  await c.query(`INSERT INTO s1 (id, val) SELECT x % ${IDS}, x FROM generate_series(0, ${ROWS - 1}) x`);
  await c.query('INSERT INTO s1 (id, val) VALUES (NULL, 7), (NULL, 8)');
  await c.query(`INSERT INTO s2 (day, worker, amount) VALUES
    ('2026-01-01', 'w1', 1.0), ('2026-01-01', 'w1', 1.00), ('2026-01-01', 'w2', 2.5),
    ('2026-01-02', 'w1', NULL), (NULL, 'w3', 3)`);
});

after(async () => {
  await c?.end();
  await server?.stop();
});

/** cv1's row for id k, computed independently: ids k, k+50, ... k+950. */
function expectedCv1(k: number): string[] {
  const n = ROWS / IDS;
  const sum = n * k + IDS * ((n * (n - 1)) / 2);
  return [String(k), String(n), numericDivText(BigInt(sum), BigInt(n)), String(sum)];
}

const textParsers = { getTypeParser: () => (value: string) => value };

/** Runs a named (prepared once, then Bind/Execute only) statement; text rows. */
async function prepared(client: pg.Client, name: string, text: string, values: unknown[]): Promise<(string | null)[][]> {
  const res = await client.query({ name, text, values, rowMode: 'array', types: textParsers } as pg.QueryArrayConfig);
  return res.rows as (string | null)[][];
}

test('point reads return exactly the scanned row; absent keys return nothing', { skip: engineSkip }, async () => {
  const scan = new Map((await textRows(c, 'SELECT * FROM cv1')).map((r) => [r[0], r]));
  assert.equal(scan.size, IDS + 1);
  for (let k = 0; k < IDS; k++) {
    const point = await textRows(c, `SELECT * FROM cv1 WHERE id = ${k}`);
    assert.deepEqual(point, [scan.get(String(k))]);
    assert.deepEqual(point, [expectedCv1(k)]);
  }
  for (const absent of ['50', '-1', '2147483647', '99999999999', '42.5']) {
    assert.deepEqual(await textRows(c, `SELECT * FROM cv1 WHERE id = ${absent}`), [], absent);
  }
  assert.deepEqual(await textRows(c, `SELECT id, count FROM cv1 WHERE 7 = id`), [['7', '20']]);
});

test('prepared statements with $1, reused many times', { skip: engineSkip }, async () => {
  for (let round = 0; round < 3; round++) {
    for (let k = -1; k <= IDS; k++) {
      const rows = await prepared(c, 'cv1_point', 'SELECT * FROM cv1 WHERE id = $1', [k]);
      assert.deepEqual(rows, k >= 0 && k < IDS ? [expectedCv1(k)] : [], `id ${k}`);
    }
  }
  assert.deepEqual(await prepared(c, 'cv1_point', 'SELECT * FROM cv1 WHERE id = $1', [null]), []);
  // Unnamed statements through the extended protocol, with an extra conjunct on an aggregate column.
  assert.deepEqual(await textRows(c, 'SELECT id FROM cv1 WHERE id = $1 AND sum > $2', [3, 9000]), [['3']]);
  assert.deepEqual(await textRows(c, 'SELECT id FROM cv1 WHERE id = $1 AND sum > $2', [3, 9999]), []);
});

test('NULL keys and extra conjuncts', { skip: engineSkip }, async () => {
  assert.deepEqual(await textRows(c, 'SELECT count, sum FROM cv1 WHERE id IS NULL'), [['2', '15']]);
  assert.deepEqual(await textRows(c, 'SELECT * FROM cv1 WHERE id = NULL'), []);
  assert.deepEqual(await textRows(c, 'SELECT id FROM cv1 WHERE id = 4 AND count = 20 AND avg > 478.5'), [['4']]);
  assert.deepEqual(await textRows(c, 'SELECT id FROM cv1 WHERE id = 4 AND avg > 479'), []);
  assert.deepEqual(await textRows(c, 'SELECT id FROM cv1 WHERE id = 4 AND id = 5'), []);
  assert.deepEqual(await textRows(c, 'SELECT count(*), max(sum) FROM cv1 WHERE id = 4'), [['1', '9580']]);
});

test('multi-column keys of date and text; numeric keys by value', { skip: engineSkip }, async () => {
  assert.deepEqual(await textRows(c, `SELECT * FROM daily WHERE day = '2026-01-01' AND worker = 'w1'`), [['2026-01-01', 'w1', '2', '2.00']]);
  assert.deepEqual(await textRows(c, `SELECT * FROM daily WHERE worker = 'w1' AND day = '2026-01-02'`), [['2026-01-02', 'w1', '1', null]]);
  assert.deepEqual(await textRows(c, `SELECT * FROM daily WHERE day = '2026-01-02' AND worker = 'w2'`), []);
  assert.deepEqual(await textRows(c, `SELECT count FROM daily WHERE day IS NULL AND worker = 'w3'`), [['1']]);
  for (let i = 0; i < 3; i++) {
    const rows = await prepared(c, 'daily_point', 'SELECT count, sum FROM daily WHERE day = $1 AND worker = $2', ['2026-01-01', 'w2']);
    assert.deepEqual(rows, [['1', '2.5']]);
  }
  // Only the day: scanned, same answers.
  assert.deepEqual(await textRows(c, `SELECT worker, count FROM daily WHERE day = '2026-01-01' ORDER BY 1`), [['w1', '2'], ['w2', '1']]);
  // 1, 1.0 and 1.00 are one key; the view shows the first spelling it received.
  for (const v of ['1', '1.0', '1.000']) {
    assert.deepEqual(await textRows(c, `SELECT * FROM by_amount WHERE amount = ${v}`), [['1.0', '2']], v);
  }
  assert.deepEqual(await prepared(c, 'amount_point', 'SELECT * FROM by_amount WHERE amount = $1', ['1.00']), [['1.0', '2']]);
  assert.deepEqual(await textRows(c, 'SELECT count FROM by_amount WHERE amount IS NULL'), [['1']]);
  assert.deepEqual(await textRows(c, 'SELECT count FROM by_amount WHERE amount = 4'), []);
});

test('a point read touches only its own group', { skip: engineSkip }, async () => {
  const point = await textRows(c, 'SELECT * FROM cv1 WHERE id = 42');
  assert.deepEqual(point, [expectedCv1(42)]);
  await c.end();
  const dataDir = server.dataDir;
  await server.stop('SIGINT', { keepDataDir: true });

  // Overwrite the state of every cv1 group except id 42 with bytes no state decodes from.
  await loadParser();
  const plan = compileContinuousPlan(
    { name: 'cv1', query: CV1_QUERY, stream: { name: 's1', columns: [{ name: 'id', typeOid: OID.int4, typmod: -1 }, { name: 'val', typeOid: OID.int4, typmod: -1 }] } },
    defaultIoContext(),
  );
  const key42 = Buffer.from(plan.encodeKey([42]));
  const env = openEnvironment(dataDir);
  // Groups are stored in blocks (group-blocks.ts): each block is rewritten with
  // the states of every group but id 42 replaced.
  const db = env.openDB<Buffer, Buffer>({ name: 'view_blocks', keyEncoding: 'binary', encoding: 'binary' });
  const blocks = [...db.getRange({})].map(({ key, value }) => ({ key: Buffer.from(key as Buffer), value: Buffer.from(value) }));
  const reader = new BlockReader();
  const holders = blocks.filter((b) => {
    reader.reset(b.value, 0, b.value.length);
    return reader.find(key42, 0, key42.length);
  });
  assert.equal(holders.length, 1, 'one view has a group with the int4 key 42');
  const owner = holders[0]!.key.readUInt32BE(0);
  let victims = 0;
  await env.transaction(() => {
    for (const b of blocks.filter((x) => x.key.readUInt32BE(0) === owner)) {
      const out = new BlockBuilder();
      reader.reset(b.value, 0, b.value.length);
      while (reader.next()) {
        const is42 = Buffer.compare(reader.bytes.subarray(reader.keyStart, reader.keyEnd), key42) === 0;
        if (!is42) victims++;
        const state = is42 ? reader.bytes.subarray(reader.stateStart, reader.stateEnd) : Uint8Array.of(0xff, 0xff, 0xff, 0xff);
        out.add(reader.bytes, reader.keyStart, reader.keyEnd, state, 0, state.length);
      }
      reader.reset(b.value, 0, b.value.length);
      const value = writeBlock(new ByteWriter(), reader.hasUpper ? b.value : null, reader.upperStart, reader.upperEnd, out.buf, 0, out.pos);
      db.put(b.key, Buffer.from(value));
    }
  });
  assert.equal(victims, IDS); // the other 49 ids and NULL
  await env.close();

  server = await startTestServer({ settings: { ...SYNC_COMMIT }, dataDir });
  await withClient(server, async (c2) => {
    assert.deepEqual(await textRows(c2, 'SELECT * FROM cv1 WHERE id = 42'), point);
    for (let i = 0; i < 3; i++) assert.deepEqual(await prepared(c2, 'p42', 'SELECT * FROM cv1 WHERE id = $1', [42]), point);
    assert.deepEqual(await textRows(c2, 'SELECT * FROM cv1 WHERE id = 1000'), []);
  });
  // The scan reads every group and meets the damaged ones.
  for (const sql of ['SELECT * FROM cv1', 'SELECT * FROM cv1 WHERE id + 0 = 42']) {
    await withClient(server, async (c3) => {
      await assert.rejects(c3.query(sql), sql);
    });
  }
  c = await connectClient(server);
});
