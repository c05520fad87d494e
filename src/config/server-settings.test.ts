import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ServerSettings, type SettingsLogger } from './server-settings.js';
import { SessionSettings } from './session-settings.js';

function capture(): SettingsLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`LOG: ${m}`), warn: (m) => lines.push(`WARNING: ${m}`), error: (m) => lines.push(`ERROR: ${m}`) };
}

const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function dataDir(conf: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pdb-'));
  made.push(dir);
  writeFileSync(join(dir, 'pipelinedb.conf'), conf);
  return dir;
}

test('file values, aliases, command-line overrides and derived paths', () => {
  const dir = dataDir("port = 6543\ncontinuous_query_num_workers = 3\npipelinedb.max_wait = 1s\nstatement_timeout = '2min'\nmyapp.x = 'y'\n");
  const s = ServerSettings.load({ dataDir: dir, overrides: { port: '7000', 'pipelinedb.batch-size': '500' }, env: {} });
  assert.equal(s.getNumber('port'), 7000);
  assert.equal(s.source('port'), 'command line');
  assert.equal(s.getNumber('pipelinedb.num_workers'), 3);
  assert.equal(s.getNumber('pipelinedb.max_wait'), 1000);
  assert.equal(s.show('continuous_query_max_wait'), '1s');
  assert.equal(s.getNumber('pipelinedb.batch_size'), 500);
  assert.equal(s.getString('data_directory'), dir);
  assert.equal(s.getString('config_file'), join(dir, 'pipelinedb.conf'));
  assert.equal(s.getString('hba_file'), join(dir, 'pg_hba.conf'));
  assert.equal(s.getBoolean('ssl'), false);
  const session = new SessionSettings(s);
  assert.equal(session.show('statement_timeout'), '2min');
  assert.equal(session.show('myapp.x'), 'y');
});

test('TimeZone defaults to TZ from the environment when valid', () => {
  assert.equal(new ServerSettings({ env: { TZ: 'Europe/Berlin' } }).show('TimeZone'), 'Europe/Berlin');
  assert.equal(new ServerSettings({ env: { TZ: ':America/Chicago' } }).show('TimeZone'), 'America/Chicago');
  assert.equal(new ServerSettings({ env: { TZ: 'Nowhere/Land' } }).show('TimeZone'), 'UTC');
  assert.equal(new ServerSettings({ env: {} }).show('TimeZone'), 'UTC');
});

test('an invalid file is fatal at start, with file and line', () => {
  const dir = dataDir("port = 5432\nnot_a_setting = 1\nextra_float_digits = 9\nserver_version = '12'\nlisten_addresses = *\n");
  assert.throws(() => new ServerSettings({ dataDir: dir, env: {} }), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    const conf = join(dir, 'pipelinedb.conf');
    assert.equal(e.message, [`syntax error in file "${conf}" line 5, near token "*"`, `configuration file "${conf}" contains errors`].join('\n'));
    return true;
  });
  const dir2 = dataDir("port = 5432\nnot_a_setting = 1\nextra_float_digits = 9\nserver_version = '12'\n");
  assert.throws(() => new ServerSettings({ dataDir: dir2, env: {} }), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    const conf = join(dir2, 'pipelinedb.conf');
    assert.deepEqual(e.problems.map((p) => [p.code, p.line]), [['42704', 2], ['22023', 3], ['55P02', 4]]);
    assert.equal(e.message, [
      `unrecognized configuration parameter "not_a_setting" in file "${conf}" line 2`,
      `9 is outside the valid range for parameter "extra_float_digits" (-15 .. 3) (in file "${conf}" line 3)`,
      `parameter "server_version" cannot be changed (in file "${conf}" line 4)`,
      `configuration file "${conf}" contains errors`,
    ].join('\n'));
    return true;
  });
  assert.throws(() => new ServerSettings({ env: {}, overrides: { nope: '1' } }), /unrecognized configuration parameter "nope"/);
  // Only the last occurrence of a name counts, at start too.
  const dir3 = dataDir('extra_float_digits = 9\nextra_float_digits = 2\n');
  assert.equal(new ServerSettings({ dataDir: dir3, env: {} }).getNumber('extra_float_digits'), 2);
});

test('reload applies reloadable changes, ignores postmaster ones, keeps old values on a bad file', () => {
  const dir = dataDir('port = 6000\nlog_connections = on\nstatement_timeout = 10s\n');
  const log = capture();
  const s = new ServerSettings({ dataDir: dir, env: {}, logger: log });
  const session = new SessionSettings(s);
  session.reportedAll();
  session.set('statement_timeout', [{ kind: 'number', value: '1' }]);
  const seen: Array<[string, unknown]> = [];
  s.onChange((name, value) => seen.push([name, value]));

  writeFileSync(join(dir, 'pipelinedb.conf'), "port = 6001\nlog_connections = off\nstatement_timeout = 20s\nTimeZone = 'Asia/Tokyo'\n");
  assert.deepEqual(s.reload(), ['log_connections', 'statement_timeout', 'TimeZone']);
  assert.equal(s.getNumber('port'), 6000);
  assert.deepEqual(seen, [['log_connections', false], ['statement_timeout', 20000], ['TimeZone', 'Asia/Tokyo']]);
  assert.ok(log.lines.includes('WARNING: parameter "port" cannot be changed without restarting the server'));
  assert.ok(log.lines.includes('LOG: parameter "statement_timeout" changed to "20s"'));
  // The session's own SET outranks the file; RESET then shows the new file value. Unset settings follow at once.
  session.syncWithServer();
  assert.equal(session.show('statement_timeout'), '1ms');
  assert.deepEqual(session.reportedChanges(), [['TimeZone', 'Asia/Tokyo']]);
  assert.equal(session.ioContext().timeZone, 'Asia/Tokyo');
  session.reset('statement_timeout');
  assert.equal(session.show('statement_timeout'), '20s');

  // An unrecognized name applies nothing, and the values are not even checked.
  writeFileSync(join(dir, 'pipelinedb.conf'), "statement_timeout = 30s\nbogus = 1\nwork_mem = 'lots'\nbogus = 2\n");
  let mark = log.lines.length;
  assert.deepEqual(s.reload(), []);
  assert.equal(s.show('statement_timeout'), '20s');
  assert.equal(s.show('TimeZone'), 'Asia/Tokyo');
  const conf = join(dir, 'pipelinedb.conf');
  assert.deepEqual(log.lines.slice(mark), [
    `ERROR: unrecognized configuration parameter "bogus" in file "${conf}" line 2`,
    `ERROR: unrecognized configuration parameter "bogus" in file "${conf}" line 4`,
    `ERROR: configuration file "${conf}" contains errors; no changes were applied`,
  ]);

  // An invalid value leaves only that setting as it was (it is not reset although it was in the file before).
  writeFileSync(join(dir, 'pipelinedb.conf'), "port = 6000\nstatement_timeout = 30s\nTimeZone = 'Nowhere/Land'\nserver_version = '12'\n");
  mark = log.lines.length;
  assert.deepEqual(s.reload(), ['statement_timeout']);
  assert.equal(s.show('statement_timeout'), '30s');
  assert.equal(s.show('TimeZone'), 'Asia/Tokyo');
  assert.deepEqual(log.lines.slice(mark), [
    `ERROR: invalid value for parameter "TimeZone": "Nowhere/Land" (in file "${conf}" line 3)`,
    `ERROR: parameter "server_version" cannot be changed (in file "${conf}" line 4)`,
    'LOG: parameter "statement_timeout" changed to "30s"',
    `ERROR: configuration file "${conf}" contains errors; unaffected changes were applied`,
  ]);

  // Only the last occurrence of a name counts: an invalid earlier one is no error at all.
  // A different spelling is a different item, checked on its own (PostgreSQL compares names exactly).
  writeFileSync(join(dir, 'pipelinedb.conf'), "port = 6000\nstatement_timeout = 'abc'\nstatement_timeout = 31s\nTimeZone = 'Nowhere/Land'\ntimezone = 'Asia/Tokyo'\n");
  mark = log.lines.length;
  assert.deepEqual(s.reload(), ['statement_timeout']);
  assert.equal(s.show('statement_timeout'), '31s');
  assert.deepEqual(log.lines.slice(mark), [
    `ERROR: invalid value for parameter "TimeZone": "Nowhere/Land" (in file "${conf}" line 4)`,
    'LOG: parameter "statement_timeout" changed to "31s"',
    `ERROR: configuration file "${conf}" contains errors; unaffected changes were applied`,
  ]);
  writeFileSync(join(dir, 'pipelinedb.conf'), "port = 6000\nstatement_timeout = 32s\nstatement_timeout = 'abc'\nTimeZone = 'Asia/Tokyo'\n");
  assert.deepEqual(s.reload(), []);
  assert.equal(s.show('statement_timeout'), '31s');
  assert.ok(log.lines.at(-1)!.endsWith('contains errors; unaffected changes were applied'));

  // A changed postmaster setting is an error of the file too; the other changes apply.
  writeFileSync(join(dir, 'pipelinedb.conf'), "port = 6002\nstatement_timeout = 30s\nTimeZone = 'Asia/Tokyo'\n");
  mark = log.lines.length;
  assert.deepEqual(s.reload(), ['statement_timeout']);
  assert.deepEqual(log.lines.slice(mark), [
    'WARNING: parameter "port" cannot be changed without restarting the server',
    'LOG: parameter "statement_timeout" changed to "30s"',
    `ERROR: configuration file "${conf}" contains errors; unaffected changes were applied`,
  ]);

  // A syntax error applies nothing.
  writeFileSync(join(dir, 'pipelinedb.conf'), 'statement_timeout = 40s\nthis is not a setting\n');
  assert.deepEqual(s.reload(), []);
  assert.equal(s.show('statement_timeout'), '30s');
  assert.ok(log.lines.at(-1)!.endsWith('contains errors; no changes were applied'));

  writeFileSync(join(dir, 'pipelinedb.conf'), 'port = 6000\n');
  assert.deepEqual(s.reload(), ['statement_timeout', 'TimeZone'], 'log_connections was already at its default');
  assert.equal(s.show('statement_timeout'), '0');
  assert.equal(s.show('TimeZone'), 'UTC');
  assert.ok(log.lines.includes('LOG: parameter "statement_timeout" removed from configuration file, reset to default'));
});
