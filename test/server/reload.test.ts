// Configuration sources and reload: `-c` on the command line, run-time
// options in the startup packet (node-postgres `options`, psql PGOPTIONS),
// and SIGHUP re-reading the configuration file and pg_hba.conf: new values
// reach new and existing sessions, session SETs and `-c` keep priority, and
// a broken file changes nothing while the server keeps running.
//
// The tests share one server and run in order; each one that edits a file
// puts it back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startTestServer, type TestServer } from '../harness/server.js';
import { runPsql, haveBinary } from '../harness/psql.js';
import { RawClient, frontend } from '../harness/raw-client.js';
import { TEST_TARGET } from '../harness/paths.js';
import { connectClient, endAll, expectPgError, withClient } from '../harness/pg-client.js';
import { waitUntil } from '../harness/wait.js';
import { renderLogLine } from '../../src/server/log.js';

/** The server's log as text: JSON records (the log is not a terminal) rendered PostgreSQL-style. */
function logText(server: TestServer): string {
  return server.output().split('\n').map(renderLogLine).join('\n');
}

const skipPsql = haveBinary('psql') ? false : 'psql is not installed';
/** The PostgreSQL 15 harness writes `settings` into postgresql.conf instead of passing -c. */
const skipCommandLine = TEST_TARGET === 'pg15' ? 'the PostgreSQL 15 harness puts settings in the file, not on the command line' : false;

const CONF_FILE = TEST_TARGET === 'pg15' ? 'postgresql.conf' : 'pipelinedb.conf';
const TRUST_HBA = 'host all all 127.0.0.1/32 trust\n';

let server: TestServer;
let confPath: string;
let hbaPath: string;
const open: pg.Client[] = [];

before(async () => {
  server = await startTestServer({ hba: TRUST_HBA, settings: { lock_timeout: '4321' } });
  confPath = join(server.dataDir, CONF_FILE);
  hbaPath = join(server.dataDir, 'pg_hba.conf');
  const admin = await connectClient(server);
  // PostgreSQL 11 defaults to md5 verifiers; say so for the 15 oracle
  await admin.query("SET password_encryption = 'md5'");
  await admin.query("CREATE ROLE carol LOGIN PASSWORD 'pw'");
  await admin.end();
});

after(async () => {
  await endAll(open);
  await server?.stop();
});

/** A client that stays open across the reload (closed in after()). */
async function keepOpen(extra: Partial<pg.ClientConfig> = {}): Promise<pg.Client> {
  const c = await connectClient(server, extra);
  open.push(c);
  return c;
}

async function show(c: pg.Client, name: string): Promise<string> {
  const r = await c.query(`SHOW ${name}`);
  return Object.values(r.rows[0] as Record<string, string>)[0]!;
}

/** SHOW on a brand-new connection. */
function showNew(name: string): Promise<string> {
  return withClient(server, (c) => show(c, name));
}

const count = (text: string, needle: RegExp) => (text.match(new RegExp(needle.source, 'g')) ?? []).length;

/** Sends SIGHUP and waits until the server log shows `marker` once more than before. */
async function reloadAndWaitForLog(marker: RegExp, timeoutMs = 10_000): Promise<void> {
  const before = count(logText(server), marker);
  process.kill(server.pid, 'SIGHUP');
  if (!(await waitUntil(() => count(logText(server), marker) > before, true, timeoutMs))) {
    assert.fail(`no ${marker} in the server log after SIGHUP:\n${logText(server).slice(-3000)}`);
  }
}

/** The first authentication request a raw startup as `user` gets. */
async function firstAuthMessage(user: string): Promise<string> {
  const c = await RawClient.connect(server.port);
  try {
    c.write(frontend.startup({ user, database: 'postgres' }));
    return (await c.next()).name;
  } finally {
    c.destroy();
  }
}

test('-c on the command line sets the value sessions start with', { skip: skipCommandLine }, async () => {
  assert.equal(await showNew('lock_timeout'), '4321ms');
});

test("node-postgres options '-c DateStyle=German' shows in SHOW and in output", async () => {
  const c = await connectClient(server, { options: '-c DateStyle=German -c work_mem=2MB' });
  try {
    assert.equal(await show(c, 'DateStyle'), 'German, DMY');
    assert.equal(await show(c, 'work_mem'), '2MB');
    const r = await c.query("SELECT DATE '2024-03-05'::text AS d");
    assert.equal(r.rows[0].d, '05.03.2024');
  } finally {
    await c.end();
  }
  // only that session
  assert.equal(await showNew('DateStyle'), 'ISO, MDY');
});

test('psql with PGOPTIONS: the options apply to the session', { skip: skipPsql }, async () => {
  const r = await runPsql(server.port, ['-A', '-t', '-c', 'SHOW DateStyle', '-c', 'SHOW statement_timeout'], {
    env: { PGOPTIONS: '-c DateStyle=German -c statement_timeout=2s' },
  });
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, 'German, DMY\n2s\n');
  assert.equal(r.code, 0);
});

test('startup packet: options and plain setting parameters are reported in ParameterStatus and SHOW', async () => {
  const c = await RawClient.connect(server.port);
  try {
    const msgs = await c.startup('postgres', 'postgres', { options: '-c DateStyle=German', statement_timeout: '777' });
    const ds = msgs.find((m) => m.name === 'parameterStatus' && m.parameterName === 'DateStyle');
    assert.equal(ds?.parameterValue, 'German, DMY');
    const res = await c.query('SHOW statement_timeout');
    assert.deepEqual(res.filter((m) => m.name === 'dataRow').map((m) => m.fields), [['777ms']]);
  } finally {
    c.destroy();
  }
});

test('bad startup options are FATAL with the SET error', async () => {
  const cases: [string, string, string][] = [
    ['-c no_such_setting=1', '42704', 'unrecognized configuration parameter "no_such_setting"'],
    ['-c statement_timeout=abc', '22023', 'invalid value for parameter "statement_timeout": "abc"'],
    ['-c max_connections=5', '55P02', 'parameter "max_connections" cannot be changed without restarting the server'],
  ];
  for (const [options, code, message] of cases) {
    await expectPgError(connectClient(server, { options }), code, message, { severity: 'FATAL' });
  }
});

test('SIGHUP: a changed configuration file reaches new and idle sessions; SET and -c keep priority', async () => {
  const idle = await keepOpen();
  const withSet = await keepOpen();
  await withSet.query('SET statement_timeout = 5000');
  assert.equal(await show(idle, 'statement_timeout'), '0');
  assert.equal(await showNew('statement_timeout'), '0');

  appendFileSync(confPath, '\n# added by reload.test.ts\nstatement_timeout = 1234\nlock_timeout = 999\n');
  process.kill(server.pid, 'SIGHUP');

  assert.equal(await waitUntil(() => showNew('statement_timeout'), '1234ms'), '1234ms');
  assert.equal(await waitUntil(() => show(idle, 'statement_timeout'), '1234ms'), '1234ms');
  assert.equal(await show(withSet, 'statement_timeout'), '5s');
  if (!skipCommandLine) {
    // the command line outranks the file, also after a reload
    assert.equal(await showNew('lock_timeout'), '4321ms');
    assert.equal(await show(idle, 'lock_timeout'), '4321ms');
  }
  // RESET goes back to the (new) file value
  await withSet.query('RESET statement_timeout');
  assert.equal(await show(withSet, 'statement_timeout'), '1234ms');
});

test('SIGHUP: pg_hba.conf now wants md5 for carol; new logins need the password, open sessions go on', async () => {
  const carolBefore = await keepOpen({ user: 'carol' });
  assert.equal(await firstAuthMessage('carol'), 'authenticationOk');

  writeFileSync(hbaPath, 'host all carol 127.0.0.1/32 md5\n' + TRUST_HBA);
  try {
    process.kill(server.pid, 'SIGHUP');
    assert.equal(await waitUntil(() => firstAuthMessage('carol'), 'authenticationMD5Password'), 'authenticationMD5Password');
    // other roles still trusted
    assert.equal(await firstAuthMessage('postgres'), 'authenticationOk');

    await expectPgError(connectClient(server, { user: 'carol', password: 'nope' }), '28P01', 'password authentication failed for user "carol"', {
      severity: 'FATAL',
    });
    if (!skipPsql) {
      const r = await runPsql(server.port, ['-w', '-c', 'SELECT 1'], { env: { PGUSER: 'carol' } });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /fe_sendauth: no password supplied\n$/);
    }
    const right = await connectClient(server, { user: 'carol', password: 'pw' });
    assert.equal((await right.query('SELECT current_user AS u')).rows[0].u, 'carol');
    await right.end();

    // the session that logged in under trust is not disturbed
    const r = await carolBefore.query('SELECT current_user AS u, 1 + 1 AS two');
    assert.deepEqual(r.rows, [{ u: 'carol', two: 2 }]);

    // a broken pg_hba.conf is not loaded: md5 stays in force
    writeFileSync(hbaPath, 'host all all 127.0.0.1/32 no_such_method\n');
    await reloadAndWaitForLog(/pg_hba\.conf was not reloaded/);
    assert.equal(await firstAuthMessage('carol'), 'authenticationMD5Password');
    assert.equal(await firstAuthMessage('postgres'), 'authenticationOk');
  } finally {
    writeFileSync(hbaPath, TRUST_HBA);
    process.kill(server.pid, 'SIGHUP');
  }
  assert.equal(await waitUntil(() => firstAuthMessage('carol'), 'authenticationOk'), 'authenticationOk');
});

test('SIGHUP with a syntax error in the configuration file: no change is applied, the server keeps running', async () => {
  const original = readFileSync(confPath, 'utf8');
  assert.equal(await showNew('statement_timeout'), '1234ms');
  try {
    appendFileSync(confPath, "work_mem = '7MB'\nstatement_timeout = 99\nthis line is broken\n");
    await reloadAndWaitForLog(/contains errors; no changes were applied/);
    assert.match(logText(server), /syntax error in file ".*" line \d+, near token "is"/);
    process.kill(server.pid, 0); // still there
    assert.equal(await showNew('work_mem'), '4MB');
    assert.equal(await showNew('statement_timeout'), '1234ms');
  } finally {
    writeFileSync(confPath, original);
  }
  // once fixed, reloads work again
  appendFileSync(confPath, "work_mem = '7MB'\n");
  process.kill(server.pid, 'SIGHUP');
  assert.equal(await waitUntil(() => showNew('work_mem'), '7MB'), '7MB');
});

test('SIGHUP with an invalid value: that setting keeps its value, the valid changes are applied', async () => {
  const original = readFileSync(confPath, 'utf8');
  assert.equal(await showNew('statement_timeout'), '1234ms');
  try {
    appendFileSync(confPath, "work_mem = '6MB'\nstatement_timeout = 'abc'\n");
    process.kill(server.pid, 'SIGHUP');
    // PostgreSQL logs: configuration file "..." contains errors; unaffected changes were applied
    assert.equal(await waitUntil(() => showNew('work_mem'), '6MB', 5000), '6MB');
    assert.equal(await showNew('statement_timeout'), '1234ms');
    assert.match(logText(server), /invalid value for parameter "statement_timeout": "abc"/);
  } finally {
    writeFileSync(confPath, original);
    process.kill(server.pid, 'SIGHUP');
  }
});
