// psql regression runner in the manner of PostgreSQL's pg_regress: each
// test/regress/sql/<name>.sql is fed to `psql -X -a -q` on stdin, stdout and
// stderr go to the same file (test/regress/results/<name>.out) so messages
// interleave exactly as a user would see them, and the result must equal
// test/regress/expected/<name>.out.
//
// Expected files describe PostgreSQL 11 (our target). With TEST_TARGET=pg15
// the runner prefers expected/pg15/<name>.out when it exists: those are the
// raw PostgreSQL 15 outputs of the few scripts where 11 and 15 differ (the
// `-- PG11:` remarks in the .sql say where), so `diff expected/x.out
// expected/pg15/x.out` shows exactly the hand edits.
//
// Lines starting with "LOCATION:" (VERBOSITY verbose) name the server's C
// source file and line; they are ignored in the comparison (diff -I).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../harness/server.js';
import { haveBinary, runRegressScript } from '../harness/psql.js';
import { TEST_SRC_DIR, TEST_TARGET } from '../harness/paths.js';

const REGRESS_DIR = join(TEST_SRC_DIR, 'regress');
const SQL_DIR = join(REGRESS_DIR, 'sql');
const EXPECTED_DIR = join(REGRESS_DIR, 'expected');
const RESULTS_DIR = join(REGRESS_DIR, 'results');
const PSQL_TIMEOUT_MS = 60_000;

const only = process.env.REGRESS_ONLY?.split(',').filter(Boolean);
const scripts = readdirSync(SQL_DIR)
  .filter((f) => f.endsWith('.sql'))
  .map((f) => f.slice(0, -4))
  .filter((name) => !only || only.includes(name))
  .sort();

const skip = haveBinary('psql') ? false : 'psql is not installed';
let server: TestServer | undefined;

before(async () => {
  if (skip) return;
  server = await startTestServer();
  mkdirSync(RESULTS_DIR, { recursive: true });
});

after(async () => {
  await server?.stop();
});


function expectedFileFor(name: string): string {
  const alt = join(EXPECTED_DIR, 'pg15', `${name}.out`);
  if (TEST_TARGET === 'pg15' && existsSync(alt)) return alt;
  return join(EXPECTED_DIR, `${name}.out`);
}

for (const name of scripts) {
  test(`regress/${name}`, { skip }, async () => {
    const resultFile = join(RESULTS_DIR, `${name}.out`);
    const code = await runRegressScript(server!.port, join(SQL_DIR, `${name}.sql`), resultFile, PSQL_TIMEOUT_MS);
    assert.equal(code, 0, `psql exited with ${code}; see ${resultFile}\n${server!.output().slice(-4000)}`);
    const expectedFile = expectedFileFor(name);
    assert.ok(existsSync(expectedFile), `missing expected output ${expectedFile}`);
    const diff = spawnSync('diff', ['-u', '-I', '^LOCATION:  ', expectedFile, resultFile], { encoding: 'utf8' });
    if (diff.error) throw diff.error;
    assert.equal(diff.status, 0, `output differs from ${expectedFile} (result kept in ${resultFile}):\n${diff.stdout}${diff.stderr}`);
  });
}
