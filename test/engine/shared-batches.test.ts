// Small sync_commit INSERTs of many sessions that arrive in the same
// event-loop turn share one batch, and each still returns only once its rows
// are committed: right after the last INSERT returns, the view counts them all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../harness/server.js';
import { connectClient, endAll } from '../harness/pg-client.js';
import { SYNC_COMMIT, engineSkip, textRows } from './engine-helpers.js';

const CLIENTS = 32;
const INSERTS = 50;

test('concurrent single-row INSERTs share batches and none is lost', { skip: engineSkip, timeout: 120_000 }, async () => {
  const server = await startTestServer({ settings: SYNC_COMMIT });
  try {
    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => connectClient(server)));
    try {
      await clients[0].query('CREATE FOREIGN TABLE sb_s (k int, v int) SERVER pipelinedb');
      await clients[0].query('CREATE VIEW sb_v WITH (action=materialize) AS SELECT k, count(*), sum(v) FROM sb_s GROUP BY k');
      await Promise.all(
        clients.map(async (c, i) => {
          for (let j = 0; j < INSERTS; j++) await c.query('INSERT INTO sb_s (k, v) VALUES ($1, $2)', [i % 4, j]);
        }),
      );
      const total = CLIENTS * INSERTS;
      assert.deepEqual(await textRows(clients[0], 'SELECT sum(count), sum(sum) FROM sb_v'), [[String(total), String(CLIENTS * ((INSERTS * (INSERTS - 1)) / 2))]]);
      assert.deepEqual(await textRows(clients[0], 'SELECT k, count FROM sb_v ORDER BY k'), [0, 1, 2, 3].map((k) => [String(k), String(total / 4)]));
      const [[rows, batches]] = await textRows(clients[0], "SELECT input_rows, input_batches FROM pipelinedb.stream_stats WHERE stream = 'sb_s'");
      assert.equal(Number(rows), total);
      assert.ok(Number(batches) < total, `${batches} batches for ${total} single-row INSERTs: none were shared`);
    } finally {
      await endAll(clients);
    }
  } finally {
    await server.stop();
  }
});
