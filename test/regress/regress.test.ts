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
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../harness/server.js';
import { clientEnv, haveBinary } from '../harness/psql.js';
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

/** Runs one script the pg_regress way; resolves with psql's exit code. */
function runScript(port: number, sqlFile: string, outFile: string): Promise<number | null> {
  const input = openSync(sqlFile, 'r');
  const output = openSync(outFile, 'w');
  return new Promise((resolve, reject) => {
    const child = spawn('psql', ['-X', '-a', '-q', '-v', 'ON_ERROR_STOP=0', '-d', 'postgres'], {
      env: clientEnv(port),
      stdio: [input, output, output],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), PSQL_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      closeSync(input);
      closeSync(output);
    };
    child.once('error', (e) => {
      done();
      reject(e);
    });
    child.once('close', (code) => {
      done();
      resolve(code);
    });
  });
}

function expectedFileFor(name: string): string {
  const alt = join(EXPECTED_DIR, 'pg15', `${name}.out`);
  if (TEST_TARGET === 'pg15' && existsSync(alt)) return alt;
  return join(EXPECTED_DIR, `${name}.out`);
}

for (const name of scripts) {
  test(`regress/${name}`, { skip }, async () => {
    const resultFile = join(RESULTS_DIR, `${name}.out`);
    const code = await runScript(server!.port, join(SQL_DIR, `${name}.sql`), resultFile);
    assert.equal(code, 0, `psql exited with ${code}; see ${resultFile}\n${server!.output().slice(-4000)}`);
    const expectedFile = expectedFileFor(name);
    assert.ok(existsSync(expectedFile), `missing expected output ${expectedFile}`);
    const diff = spawnSync('diff', ['-u', '-I', '^LOCATION:  ', expectedFile, resultFile], { encoding: 'utf8' });
    if (diff.error) throw diff.error;
    assert.equal(diff.status, 0, `output differs from ${expectedFile} (result kept in ${resultFile}):\n${diff.stdout}${diff.stderr}`);
  });
}
