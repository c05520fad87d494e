// COPY into a stream sends each full batch (pipelinedb.batch_size rows) as
// the next row arrives, as PipelineDB sends each full microbatch: a COPY
// failing part-way leaves the full batches before the bad row in the view
// (a stream is not a table) and nothing of the batch it was filling, while
// a COPY that succeeds is counted in full when it returns under sync_commit
// (the last batch asks for the commit) and under the default sync_receive
// once the view catches up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../harness/server.js';
import { runPsql } from '../harness/psql.js';
import { waitUntil } from '../harness/wait.js';
import { SYNC_COMMIT, engineSkip, psqlOk } from './engine-helpers.js';

const skip = engineSkip;
let server: TestServer;

before(async () => {
  if (skip) return;
  server = await startTestServer({ settings: { ...SYNC_COMMIT } });
  await psqlOk(server, ['-c', 'CREATE STREAM cs_s (x integer)', '-c', 'CREATE CONTINUOUS VIEW cs_v AS SELECT count(*), sum(x) FROM cs_s']);
});

after(async () => {
  await server?.stop();
});

const lines = (from: number, to: number): string => {
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(String(i));
  return out.join('\n') + '\n';
};

const view = async (): Promise<string> => (await psqlOk(server, ['-qtA', '-c', 'SELECT count, sum FROM cs_v'])).stdout.trim();

test('a COPY that fails on row 25,001 leaves its two full batches, and nothing of the third', { skip }, async () => {
  await psqlOk(server, ['-c', 'TRUNCATE CONTINUOUS VIEW cs_v']);
  const r = await runPsql(server.port, ['-v', 'ON_ERROR_STOP=1', '-c', 'COPY cs_s (x) FROM STDIN'], { stdin: lines(1, 25_000) + 'not a number\n' + lines(25_002, 30_000) });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /invalid input syntax for integer: "not a number"/);
  assert.match(r.stderr, /COPY cs_s, line 25001/);
  // The default batch_size is 10,000: rows 1..20,000 went out; their sum is 20,000 * 20,001 / 2.
  assert.equal(await waitUntil(view, '20000|200010000'), '20000|200010000');
  // A failure inside the first batch leaves nothing.
  await psqlOk(server, ['-c', 'TRUNCATE CONTINUOUS VIEW cs_v']);
  const early = await runPsql(server.port, ['-c', 'COPY cs_s (x) FROM STDIN'], { stdin: lines(1, 9_999) + 'x\n' });
  assert.match(early.stderr, /line 10000/);
  assert.equal(await view(), '');
});

test('a COPY of many batches is counted in full when it returns (sync_commit), an exact multiple of batch_size too', { skip, timeout: 120_000 }, async () => {
  for (const n of [100_000, 123_457]) {
    await psqlOk(server, ['-c', 'TRUNCATE CONTINUOUS VIEW cs_v']);
    const r = await psqlOk(server, ['-c', 'COPY cs_s (x) FROM STDIN'], { stdin: lines(1, n) });
    assert.equal(r.stdout, `COPY ${n}\n`);
    assert.equal(await view(), `${n}|${(n * (n + 1)) / 2}`);
  }
});
