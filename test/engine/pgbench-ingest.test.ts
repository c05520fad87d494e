// pgbench -M prepared with 64 clients on 2 threads inserting single rows
// into cv1's stream for a bounded time, the server running with
// stream_insert_level = sync_commit: afterwards the view has counted exactly
// the transactions pgbench reports, and none failed.
// ENGINE_PGBENCH_SECONDS shortens the run (default 30 s, as the issue asks).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../harness/server.js';
import { haveBinary, runClient } from '../harness/psql.js';
import { withClient } from '../harness/pg-client.js';
import { SYNC_COMMIT, engineSkip, textRows } from './engine-helpers.js';

const SECONDS = Number(process.env.ENGINE_PGBENCH_SECONDS ?? 30);
const skip = engineSkip || (haveBinary('pgbench') ? false : 'pgbench is not installed');

let server: TestServer;
let scriptDir: string;

before(async () => {
  if (skip) return;
  server = await startTestServer({ settings: { ...SYNC_COMMIT } });
  scriptDir = mkdtempSync(join(tmpdir(), 'engine-pgbench-'));
});

after(async () => {
  await server?.stop();
  if (scriptDir) rmSync(scriptDir, { recursive: true, force: true });
});

test(`pgbench -M prepared -c 64 -j 2 -T ${SECONDS}: sum(count) equals the processed transactions`, { skip, timeout: (SECONDS + 120) * 1000 }, async (t) => {
  assert.ok(Number.isInteger(SECONDS) && SECONDS > 0, `ENGINE_PGBENCH_SECONDS must be a positive integer, got ${process.env.ENGINE_PGBENCH_SECONDS}`);
  await withClient(server, async (c) => {
    await c.query('CREATE STREAM s1 (id int, val int)');
    await c.query('CREATE CONTINUOUS VIEW cv1 AS SELECT id,count(*),avg(val),min(val),max(val),sum(val) FROM s1 GROUP BY id');
  });
  const script = join(scriptDir, 'insert.sql');
  writeFileSync(script, '\\set id random(1, 1000000)\n\\set val random(1, 5000000)\nINSERT INTO s1 (id, val) VALUES (:id, :val);\n');

  const r = await runClient('pgbench', server.port, ['-n', '-M', 'prepared', '-c', '64', '-j', '2', '-T', String(SECONDS), '-f', script, 'postgres'], {
    timeoutMs: (SECONDS + 90) * 1000,
  });
  const diag = `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}\nserver log tail:\n${server.output().slice(-3000)}`;
  assert.equal(r.code, 0, diag);
  assert.match(r.stdout, /^query mode: prepared$/m, diag);
  assert.match(r.stdout, /^number of clients: 64$/m, diag);
  const processed = /^number of transactions actually processed: (\d+)$/m.exec(r.stdout);
  assert.ok(processed, diag);
  const transactions = Number(processed[1]);
  assert.ok(transactions > 0, diag);
  const failed = /^number of failed transactions: (\d+)/m.exec(r.stdout);
  assert.ok(failed, diag);
  assert.equal(Number(failed[1]), 0, diag);
  assert.doesNotMatch(r.stderr, /error|abort/i, diag);
  t.diagnostic(`pgbench: ${transactions} transactions in ${SECONDS} s (${/^tps = ([\d.]+)/m.exec(r.stdout)?.[1] ?? '?'} tps)`);

  await withClient(server, async (c) => {
    const [[count, groups, minId, maxId, minVal, maxVal]] = await textRows(c, 'SELECT sum(count), count(*), min(id), max(id), min(min), max(max) FROM cv1');
    assert.equal(count, String(transactions), diag);
    assert.ok(Number(groups) <= transactions && Number(groups) > 0);
    assert.ok(Number(minId) >= 1 && Number(maxId) <= 1_000_000, `ids ${minId}..${maxId}`);
    assert.ok(Number(minVal) >= 1 && Number(maxVal) <= 5_000_000, `vals ${minVal}..${maxVal}`);
    // Every group's finalized avg lies within its min and max.
    const [[bad]] = await textRows(c, 'SELECT count(*) FROM cv1 WHERE NOT (avg BETWEEN min AND max) OR sum < count * min OR sum > count * max');
    assert.equal(bad, '0');
  });
});
