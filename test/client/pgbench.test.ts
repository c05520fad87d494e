// pgbench with custom scripts in every query mode, with one client and
// with 64 clients on 2 threads; every transaction must be processed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../harness/server.js';
import { runClient, haveBinary } from '../harness/psql.js';

const skip = haveBinary('pgbench') ? false : 'pgbench is not installed';
let server: TestServer;
let scriptDir: string;
let selectScript: string;
let randomScript: string;

before(async () => {
  if (skip) return;
  server = await startTestServer();
  scriptDir = mkdtempSync(join(tmpdir(), 'pgbench-scripts-'));
  selectScript = join(scriptDir, 'select.sql');
  randomScript = join(scriptDir, 'random.sql');
  writeFileSync(selectScript, 'SELECT 1;\n');
  writeFileSync(randomScript, '\\set x random(1, 1000)\nSELECT :x + 1;\n');
});

after(async () => {
  await server?.stop();
  if (scriptDir) rmSync(scriptDir, { recursive: true, force: true });
});

const runs: { clients: number; threads: number; transactions: number }[] = [
  { clients: 1, threads: 1, transactions: 50 },
  { clients: 64, threads: 2, transactions: 5 },
];

for (const mode of ['simple', 'extended', 'prepared']) {
  for (const { clients, threads, transactions } of runs) {
    test(`pgbench -M ${mode} -c ${clients} -j ${threads} -t ${transactions}`, { skip }, async () => {
      const r = await runClient(
        'pgbench',
        server.port,
        ['-n', '-M', mode, '-c', String(clients), '-j', String(threads), '-t', String(transactions), '-f', selectScript, '-f', randomScript, 'postgres'],
        { timeoutMs: 120_000 },
      );
      const diag = `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
      assert.equal(r.code, 0, diag);
      assert.match(r.stdout, new RegExp(`^query mode: ${mode}$`, 'm'), diag);
      assert.match(r.stdout, new RegExp(`^number of clients: ${clients}$`, 'm'), diag);
      const total = clients * transactions;
      const processed = /^number of transactions actually processed: (\d+)\/(\d+)$/m.exec(r.stdout);
      assert.ok(processed, diag);
      assert.equal(Number(processed[1]), total, diag);
      assert.equal(Number(processed[2]), total, diag);
      const failed = /^number of failed transactions: (\d+)/m.exec(r.stdout);
      if (failed) assert.equal(Number(failed[1]), 0, diag);
      assert.doesNotMatch(r.stderr, /error|abort/i, diag);
    });
  }
}
