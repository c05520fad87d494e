// Group keys longer than LMDB can key (1,973 bytes, the longest a block's
// fence can be) are stored like any other: their blocks are fenced by
// shorter prefixes, and they are counted, read back by key and kept across
// a restart. Only a key over MAX_GROUP_KEY_BYTES (a commit slice gives a
// storage key's length in two bytes) is refused, for its own group alone:
// the error is counted in the view's statistics, and every other group of
// the same batch, and of later ones, is stored.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { startTestServer, type TestServer } from '../harness/server.js';
import { connectClient } from '../harness/pg-client.js';
import { SYNC_COMMIT, engineSkip, textRows } from './engine-helpers.js';
import { MAX_FENCE_BYTES, MAX_GROUP_KEY_BYTES } from '../../src/storage/storage-key.js';

let server: TestServer | undefined;

after(async () => {
  await server?.stop();
});

/** length(k), the key's last characters and count, by key, of every group. */
const GROUPS = `SELECT length(k), right(k, 3), count FROM gk_v ORDER BY k`;

test('group keys longer than LMDB can key are stored, found by key and kept across a restart', { skip: engineSkip }, async () => {
  server = await startTestServer({ settings: { ...SYNC_COMMIT } });
  let c = await connectClient(server);
  await c.query('CREATE STREAM gk_s (k text)');
  await c.query('CREATE CONTINUOUS VIEW gk_v AS SELECT k, count(*) FROM gk_s GROUP BY k');
  await c.query('CREATE CONTINUOUS VIEW gk_total AS SELECT count(*) FROM gk_s');
  // A text group key is its bytes and a few of framing.
  assert.ok(MAX_FENCE_BYTES > 1900 && MAX_FENCE_BYTES < 2000 && MAX_GROUP_KEY_BYTES > 65_000 && MAX_GROUP_KEY_BYTES < 65_536);
  // Keys that share 2,500 characters (no block can start between them), keys that differ at once, a 60,000-character key, short keys.
  const family = Array.from({ length: 30 }, (_, i) => `repeat('x', 2500) || lpad('${i}', 3, '0')`);
  const distinct = Array.from({ length: 30 }, (_, i) => `chr(${65 + i}) || repeat('y', 3000)`);
  await c.query(`INSERT INTO gk_s (k) SELECT unnest(ARRAY[${[...family, ...distinct].join(', ')}, repeat('z', 60000), 'short'])`);
  await c.query(`INSERT INTO gk_s (k) SELECT unnest(ARRAY[${family.slice(0, 10).join(', ')}, repeat('z', 60000)])`);
  const expected = [
    ...distinct.map(() => ['3001', 'yyy', '1']),
    ['5', 'ort', '1'],
    ...family.map((_, i) => ['2503', String(i).padStart(3, '0'), i < 10 ? '2' : '1']),
    ['60000', 'zzz', '2'],
  ];
  const check = async (): Promise<void> => {
    assert.deepEqual(await textRows(c, GROUPS), expected);
    assert.deepEqual(await textRows(c, 'SELECT count FROM gk_total'), [['73']]);
    // Point reads by key: a long key, one of a family, one that is absent.
    assert.deepEqual(await textRows(c, `SELECT count FROM gk_v WHERE k = repeat('x', 2500) || '007'`), [['2']]);
    assert.deepEqual(await textRows(c, `SELECT count FROM gk_v WHERE k = repeat('z', 60000)`), [['2']]);
    assert.deepEqual(await textRows(c, `SELECT count FROM gk_v WHERE k = 'C' || repeat('y', 3000)`), [['1']]);
    assert.deepEqual(await textRows(c, `SELECT count FROM gk_v WHERE k = repeat('x', 2500) || '100'`), []);
  };
  await check();
  await c.end();
  const dataDir = server.dataDir;
  await server.stop('SIGINT', { keepDataDir: true });
  server = await startTestServer({ dataDir, settings: { ...SYNC_COMMIT } });
  c = await connectClient(server);
  try {
    await check();
  } finally {
    await c.end();
    await server.stop();
    server = undefined;
    rmSync(dirname(dataDir), { recursive: true, force: true });
  }
});

test('a group key too long to store loses only its own group', { skip: engineSkip }, async () => {
  server = await startTestServer({ settings: { ...SYNC_COMMIT } });
  const c = await connectClient(server);
  try {
    await c.query('CREATE STREAM gk_s (k text)');
    await c.query('CREATE CONTINUOUS VIEW gk_v AS SELECT k, count(*) FROM gk_s GROUP BY k');
    await c.query('CREATE CONTINUOUS VIEW gk_total AS SELECT count(*) FROM gk_s');
    await c.query(`INSERT INTO gk_s (k) VALUES (repeat('x', 70000)), ('short'), (repeat('y', 3000))`);
    assert.deepEqual(await textRows(c, 'SELECT length(k), count FROM gk_v ORDER BY 1'), [
      ['5', '1'],
      ['3000', '1'],
    ]);
    assert.deepEqual(await textRows(c, 'SELECT count FROM gk_total'), [['3']]);
    // Later commits go on as before.
    await c.query(`INSERT INTO gk_s (k) VALUES ('short'), (repeat('x', 70000))`);
    assert.deepEqual(await textRows(c, 'SELECT length(k), count FROM gk_v ORDER BY 1'), [
      ['5', '2'],
      ['3000', '1'],
    ]);
    assert.deepEqual(await textRows(c, 'SELECT count FROM gk_total'), [['5']]);
    const stats = await textRows(c, `SELECT continuous_query, errors FROM pipelinedb.query_stats WHERE type = 'combiner' AND continuous_query LIKE 'gk_%' ORDER BY 1`);
    assert.deepEqual(stats, [
      ['gk_total', '0'],
      ['gk_v', '2'],
    ]);
  } finally {
    await c.end();
    await server.stop();
    server = undefined;
  }
});
