// A group key longer than storage can key (LMDB's largest key, less the
// view prefix) is refused by the combiner for its group alone: the error is
// counted in the view's statistics, and every other group of the same
// batch, and of later ones, is stored. (It used to fail every commit of
// the combiner from then on, so no group of any view was stored again.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { startTestServer, type TestServer } from '../harness/server.js';
import { connectClient } from '../harness/pg-client.js';
import { SYNC_COMMIT, engineSkip, textRows } from './engine-helpers.js';
import { MAX_GROUP_KEY_BYTES } from '../../src/storage/storage-key.js';

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

test('a group key too long to store loses only its own group', { skip: engineSkip }, async () => {
  await c.query('CREATE STREAM gk_s (k text)');
  await c.query('CREATE CONTINUOUS VIEW gk_v AS SELECT k, count(*) FROM gk_s GROUP BY k');
  await c.query('CREATE CONTINUOUS VIEW gk_total AS SELECT count(*) FROM gk_s');
  // A text group key is its bytes and a few of framing: 3,000 characters are past the limit, 1,000 are not.
  assert.ok(MAX_GROUP_KEY_BYTES < 3000 && MAX_GROUP_KEY_BYTES > 1100);
  await c.query(`INSERT INTO gk_s (k) VALUES (repeat('x', 3000)), ('short'), (repeat('y', 1000))`);
  assert.deepEqual(await textRows(c, 'SELECT length(k), count FROM gk_v ORDER BY 1'), [
    ['5', '1'],
    ['1000', '1'],
  ]);
  assert.deepEqual(await textRows(c, 'SELECT count FROM gk_total'), [['3']]);
  // Later commits go on as before.
  await c.query(`INSERT INTO gk_s (k) VALUES ('short'), (repeat('x', 3000))`);
  assert.deepEqual(await textRows(c, 'SELECT length(k), count FROM gk_v ORDER BY 1'), [
    ['5', '2'],
    ['1000', '1'],
  ]);
  assert.deepEqual(await textRows(c, 'SELECT count FROM gk_total'), [['5']]);
  const stats = await textRows(c, `SELECT continuous_query, errors FROM pipelinedb.query_stats WHERE type = 'combiner' AND continuous_query LIKE 'gk_%' ORDER BY 1`);
  assert.deepEqual(stats, [
    ['gk_total', '0'],
    ['gk_v', '2'],
  ]);
});
