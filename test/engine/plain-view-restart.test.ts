// Plain views live in the catalog's LMDB database: after a stop and start on
// the same data directory they keep their definitions, column aliases and
// dependencies, and still read the current contents of the continuous view
// underneath (combine() over its stored states included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../harness/server.js';
import { expectPgError, withClient } from '../harness/pg-client.js';
import { SYNC_COMMIT, engineSkip, textRows } from './engine-helpers.js';

const TOTALS = 'SELECT count, sum, avg, max FROM pvr_totals';
const BUSY = 'SELECT * FROM pvr_busy ORDER BY key';
const BUSY10 = 'SELECT * FROM pvr_busy10 ORDER BY key';

test('plain views survive a restart and keep reading current values', { skip: engineSkip, timeout: 120_000 }, async () => {
  let server: TestServer = await startTestServer({ settings: { ...SYNC_COMMIT } });
  const first = server;
  try {
    await withClient(server, async (c) => {
      await c.query('CREATE STREAM pvr_s (k text, x integer)');
      await c.query('CREATE VIEW pvr_cv AS SELECT k, count(*), sum(x), avg(x), max(x) FROM pvr_s GROUP BY k');
      await c.query('CREATE VIEW pvr_totals AS SELECT combine(count) AS count, combine(sum) AS sum, combine(avg) AS avg, combine(max) AS max FROM pvr_cv');
      await c.query('CREATE VIEW pvr_busy (key, n) AS SELECT k, count FROM pvr_cv WHERE count > 1');
      await c.query('CREATE VIEW pvr_busy10 AS SELECT key, n * 10 AS n10 FROM pvr_busy');
      // a: 1 2 3 6; b: 10; c: 100 200 NULL -> 8 rows, 7 values summing to 322 (avg 46)
      await c.query("INSERT INTO pvr_s VALUES ('a', 1), ('a', 2), ('a', 3), ('a', 6), ('b', 10), ('c', 100), ('c', 200), ('c', NULL)");
      assert.deepEqual(await textRows(c, TOTALS), [['8', '322', '46.0000000000000000', '200']]);
      assert.deepEqual(await textRows(c, BUSY), [['a', '4'], ['c', '3']]);
    });

    await server.stop('SIGINT', { keepDataDir: true });
    server = await startTestServer({ dataDir: first.dataDir, settings: { ...SYNC_COMMIT } });
    await withClient(server, async (c) => {
      assert.deepEqual(await textRows(c, TOTALS), [['8', '322', '46.0000000000000000', '200']]);
      assert.deepEqual(await textRows(c, BUSY), [['a', '4'], ['c', '3']]);
      assert.deepEqual(await textRows(c, BUSY10), [['a', '40'], ['c', '30']]);
      // Still not continuous queries.
      assert.deepEqual(await textRows(c, "SELECT name FROM pipelinedb.views WHERE name LIKE 'pvr%'"), [['pvr_cv']]);
      // b: 20, d: 5 -> 10 rows, 9 values summing to 347.
      await c.query("INSERT INTO pvr_s VALUES ('b', 20), ('d', 5)");
      assert.deepEqual(await textRows(c, TOTALS), [['10', '347', '38.5555555555555556', '200']]);
      assert.deepEqual(await textRows(c, BUSY10), [['a', '40'], ['b', '20'], ['c', '30']]);
      // The dependencies came back too.
      await expectPgError(c.query('DROP VIEW pvr_busy'), '2BP01', 'cannot drop view pvr_busy because other objects depend on it', {
        detail: 'view pvr_busy10 depends on view pvr_busy',
      });
    });
  } finally {
    await server.stop().catch(() => {});
    first.cleanup();
  }
});
