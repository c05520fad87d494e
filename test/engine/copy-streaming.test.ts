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

test('integer fields read as numbers right away take every spelling PostgreSQL accepts, and fail as it does', { skip }, async () => {
  await psqlOk(server, [
    '-c', 'CREATE STREAM cs_i (a smallint, b integer)',
    '-c', 'CREATE CONTINUOUS VIEW cs_iv AS SELECT b, count(*), sum(a) FROM cs_i GROUP BY b',
  ]);
  // Plain digits are read by the parser; signs, spaces, leading zeros past the digit limit and NULL take the type's input.
  const rows = ['1\t0', '-1\t-0', ' -0\t -0 ', '+2\t+7', ' 3\t 8 ', '32767\t2147483647', '-32768\t-2147483648', '0005\t000000000012', '\\N\t12'];
  assert.equal((await psqlOk(server, ['-c', 'COPY cs_i (a, b) FROM STDIN'], { stdin: rows.join('\n') + '\n' })).stdout, 'COPY 9\n');
  assert.equal(
    (await psqlOk(server, ['-qtA', '-c', 'SELECT b, count, sum FROM cs_iv ORDER BY b'])).stdout,
    ['-2147483648|1|-32768', '0|3|0', '7|1|2', '8|1|3', '12|2|5', '2147483647|1|32767', ''].join('\n'),
  );
  // The same in csv.
  assert.equal((await psqlOk(server, ['-c', "COPY cs_i (a, b) FROM STDIN WITH (FORMAT csv)"], { stdin: '4,12\n"5",-0\n,7\n' })).stdout, 'COPY 3\n');
  assert.equal((await psqlOk(server, ['-qtA', '-c', 'SELECT b, count, sum FROM cs_iv WHERE b IN (0, 7, 12) ORDER BY b'])).stdout, '0|4|5\n7|2|2\n12|3|9\n');
  const failures: [string, string][] = [
    ['32768\t1', 'ERROR:  value "32768" is out of range for type smallint\nCONTEXT:  COPY cs_i, line 1, column a: "32768"'],
    ['1\t2147483648', 'ERROR:  value "2147483648" is out of range for type integer\nCONTEXT:  COPY cs_i, line 1, column b: "2147483648"'],
    ['1\t-12345678901', 'ERROR:  value "-12345678901" is out of range for type integer\nCONTEXT:  COPY cs_i, line 1, column b: "-12345678901"'],
    ['1\t1e3', 'ERROR:  invalid input syntax for integer: "1e3"\nCONTEXT:  COPY cs_i, line 1, column b: "1e3"'],
    ['1\t-', 'ERROR:  invalid input syntax for integer: "-"\nCONTEXT:  COPY cs_i, line 1, column b: "-"'],
    ['1\t', 'ERROR:  invalid input syntax for integer: ""\nCONTEXT:  COPY cs_i, line 1, column b: ""'],
  ];
  for (const [line, message] of failures) {
    const r = await runPsql(server.port, ['-c', 'COPY cs_i (a, b) FROM STDIN'], { stdin: line + '\n' });
    assert.equal(r.stderr.trim(), message, line);
  }
  await psqlOk(server, ['-c', 'DROP CONTINUOUS VIEW cs_iv', '-c', 'DROP STREAM cs_i']);
});
