import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PgError } from '../errors.js';
import { ServerSettings } from './server-settings.js';
import { SessionSettings } from './session-settings.js';
import type { SetArg } from './set-args.js';

const str = (value: string): SetArg => ({ kind: 'string', value });
const num = (value: string): SetArg => ({ kind: 'number', value });
const ident = (value: string): SetArg => ({ kind: 'ident', value });

function session(opts: { superuser?: boolean } = {}): SessionSettings {
  return new SessionSettings(new ServerSettings({ env: {} }), { superuser: opts.superuser ?? true, sessionUser: 'alice' });
}

function pgError(fn: () => unknown, code: string, message: string, extra: { detail?: string; hint?: string } = {}): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof PgError, `expected PgError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.equal(e.message, message);
    if ('detail' in extra) assert.equal(e.detail, extra.detail);
    if ('hint' in extra) assert.equal(e.hint, extra.hint);
    return true;
  });
}

test('SHOW display strings match PostgreSQL', () => {
  const s = session();
  const cases: Array<[string, SetArg[], string]> = [
    ['statement_timeout', [num('1500')], '1500ms'],
    ['statement_timeout', [str('60s')], '1min'],
    ['statement_timeout', [str('1h')], '1h'],
    ['statement_timeout', [str('90min')], '90min'],
    ['statement_timeout', [num('0')], '0'],
    ['statement_timeout', [str('0x10')], '16ms'],
    ['statement_timeout', [str(' 5 s ')], '5s'],
    ['log_min_duration_statement', [num('-1')], '-1'],
    ['DateStyle', [ident('SQL')], 'SQL, MDY'],
    ['DateStyle', [ident('german')], 'German, DMY'],
    ['DateStyle', [str('ymd, postgres')], 'Postgres, YMD'],
    ['DateStyle', [ident('ISO'), ident('DMY')], 'ISO, DMY'],
    ['DateStyle', [ident('euro')], 'ISO, DMY'],
    ['TimeZone', [str('america/new_york')], 'America/New_York'],
    ['TimeZone', [str('UTC+3')], 'UTC+3'],
    ['TimeZone', [num('-5')], '<-05>+05'],
    ['TimeZone', [str('+3')], '<+03>-03'],
    ['TimeZone', [str('-05:30')], '-05:30'],
    ['TimeZone', [num('5.5')], '<+05:30>-05:30'],
    ['TimeZone', [num('0')], '<+00>-00'],
    ['TimeZone', [str('EST')], 'EST'],
    ['TimeZone', [str('est5edt')], 'EST5EDT'],
    ['TimeZone', [str('utc')], 'UTC'],
    ['TimeZone', [str('Etc/GMT+3')], 'Etc/GMT+3'],
    ['TimeZone', [str('foo+3')], 'FOO+3'],
    ['client_encoding', [str('unicode')], 'UTF8'],
    ['client_encoding', [str('utf-8')], 'UTF8'],
    ['client_encoding', [ident('sql_ascii')], 'SQL_ASCII'],
    ['client_encoding', [str('UNICODE')], 'UNICODE'],
    ['application_name', [str('héllo')], 'h??llo'],
    ['application_name', [str('a\tb')], 'a?b'],
    ['search_path', [str('MySchema'), ident('public'), str('a b'), str('user')], '"MySchema", public, "a b", "user"'],
    ['search_path', [str('$user')], '"$user"'],
    ['search_path', [str('')], '""'],
    ['IntervalStyle', [str('SQL_STANDARD')], 'sql_standard'],
    ['password_encryption', [str('on')], 'md5'],
    ['extra_float_digits', [num('3')], '3'],
    ['bytea_output', [ident('ESCAPE')], 'escape'],
    ['check_function_bodies', [str('of')], 'off'],
    ['check_function_bodies', [str('TR')], 'on'],
    ['pipelinedb.stream_insert_level', [ident('sync_commit')], 'sync_commit'],
  ];
  for (const [name, args, shown] of cases) {
    s.set(name, args);
    assert.equal(s.show(name), shown, `${name} = ${JSON.stringify(args)}`);
  }
});

test('defaults as SHOW prints them', () => {
  const s = session();
  const expected: Record<string, string> = {
    DateStyle: 'ISO, MDY', TimeZone: 'UTC', IntervalStyle: 'postgres', extra_float_digits: '0', client_encoding: 'UTF8',
    server_encoding: 'UTF8', server_version: '11.22', server_version_num: '110022', integer_datetimes: 'on',
    standard_conforming_strings: 'on', search_path: '"$user", public', statement_timeout: '0', port: '5432',
    listen_addresses: '127.0.0.1', max_connections: '100', password_encryption: 'scram-sha-256', ssl: 'off',
    client_min_messages: 'notice', bytea_output: 'hex', transaction_isolation: 'read committed',
    authentication_timeout: '1min', 'pipelinedb.num_workers': '1', 'pipelinedb.max_wait': '50ms',
    'pipelinedb.commit_interval': '50ms', 'pipelinedb.batch_mem': '256MB', 'pipelinedb.combiner_work_mem': '256MB',
    'pipelinedb.sliding_window_step_factor': '5', 'pipelinedb.stream_insert_level': 'sync_receive',
    'pipelinedb.stream_targets': '', is_superuser: 'on', session_authorization: 'alice',
  };
  for (const [name, value] of Object.entries(expected)) assert.equal(s.show(name), value, name);
});

test('names are case-insensitive and 0.9 aliases resolve to the 1.0 setting', () => {
  const s = session();
  assert.equal(s.show('DATESTYLE'), 'ISO, MDY');
  assert.equal(s.canonicalName('datestyle'), 'DateStyle');
  assert.equal(s.canonicalName('timezone'), 'TimeZone');
  assert.equal(s.canonicalName('continuous_query_num_workers'), 'pipelinedb.num_workers');
  assert.equal(s.show('continuous_query_num_workers'), '1');
  s.set('stream_insert_level', [ident('async')]);
  assert.equal(s.show('pipelinedb.stream_insert_level'), 'async');
  // A plain string, as in PipelineDB (split into view names only when rows are written).
  s.set('Stream_Targets', [str('cv0, "Cv1"')]);
  assert.equal(s.show('pipelinedb.stream_targets'), 'cv0, "Cv1"');
  assert.equal(s.show('continuous_query_materialization_table_updatable'), 'off');
});

test('errors and SQLSTATEs', () => {
  const s = session({ superuser: false });
  pgError(() => s.set('foo', [num('1')]), '42704', 'unrecognized configuration parameter "foo"');
  pgError(() => s.show('nope'), '42704', 'unrecognized configuration parameter "nope"');
  pgError(() => s.set('extra_float_digits', [str('abc')]), '22023', 'invalid value for parameter "extra_float_digits": "abc"');
  pgError(() => s.set('extra_float_digits', [num('5')]), '22023', '5 is outside the valid range for parameter "extra_float_digits" (-15 .. 3)');
  pgError(() => s.set('extra_float_digits', [num('1.5')]), '22023', 'invalid value for parameter "extra_float_digits": "1.5"');
  pgError(() => s.set('extra_float_digits', [num('1'), num('2')]), '22023', 'SET extra_float_digits takes only one argument');
  pgError(() => s.set('statement_timeout', [str('5 xs')]), '22023', 'invalid value for parameter "statement_timeout": "5 xs"', {
    hint: 'Valid units for this parameter are "ms", "s", "min", "h", and "d".',
  });
  pgError(() => s.set('intervalstyle', [str('x')]), '22023', 'invalid value for parameter "intervalstyle": "x"', {
    hint: 'Available values: postgres, postgres_verbose, sql_standard, iso_8601.',
  });
  pgError(() => s.set('bytea_output', [ident('foo')]), '22023', 'invalid value for parameter "bytea_output": "foo"', {
    hint: 'Available values: escape, hex.',
  });
  pgError(() => s.set('check_function_bodies', [str('o')]), '22023', 'parameter "check_function_bodies" requires a Boolean value');
  pgError(() => s.set('port', [num('5')]), '55P02', 'parameter "port" cannot be changed without restarting the server');
  pgError(() => s.set('pipelinedb.num_workers', [num('2')]), '55P02', 'parameter "pipelinedb.num_workers" cannot be changed without restarting the server');
  pgError(() => s.set('server_version', [str('1')]), '55P02', 'parameter "server_version" cannot be changed');
  pgError(() => s.set('is_superuser', [str('on')]), '55P02', 'parameter "is_superuser" cannot be changed');
  pgError(() => s.set('ssl', [str('on')]), '55P02', 'parameter "ssl" cannot be changed now');
  pgError(() => s.set('log_statement', [str('all')]), '42501', 'permission denied to set parameter "log_statement"');
  pgError(() => s.set('TimeZone', [str('Mars/Olympus')]), '22023', 'invalid value for parameter "TimeZone": "Mars/Olympus"');
  pgError(() => s.set('timezone', [num('200')]), '22023', 'invalid value for parameter "TimeZone": "200"', {
    detail: 'UTC timezone offset is out of range.',
  });
  pgError(() => s.set('DateStyle', [ident('foo')]), '22023', 'invalid value for parameter "DateStyle": "foo"', {
    detail: 'Unrecognized key word: "foo".',
  });
  pgError(() => s.set('DateStyle', [ident('iso'), ident('sql')]), '22023', 'invalid value for parameter "DateStyle": "iso, sql"', {
    detail: 'Conflicting "datestyle" specifications.',
  });
  pgError(() => s.set('DateStyle', [str('ISO,"foo')]), '22023', 'invalid value for parameter "DateStyle": "ISO,"foo"', {
    detail: 'List syntax is invalid.',
  });
  pgError(() => s.set('client_encoding', [str('foo')]), '22023', 'invalid value for parameter "client_encoding": "foo"');
  pgError(() => s.set('client_encoding', [str('latin1')]), '0A000', 'conversion between LATIN1 and UTF8 is not supported');
  pgError(() => s.set('standard_conforming_strings', [str('off')]), '0A000', 'standard_conforming_strings = off is not supported');
  pgError(() => s.set('default_with_oids', [str('on')]), '0A000', 'tables declared WITH OIDS are not supported');
  pgError(() => s.set('pipelinedb.nope', [num('1')]), '42602', 'invalid configuration parameter name "pipelinedb.nope"', {
    detail: '"pipelinedb" is a reserved prefix.',
  });
  pgError(() => s.set('pipelinedb.sliding_window_step_factor', [num('2')]), '55P02',
    'parameter "pipelinedb.sliding_window_step_factor" cannot be changed without restarting the server');
  // Nothing above changed anything.
  assert.equal(s.show('extra_float_digits'), '0');
  assert.equal(s.show('DateStyle'), 'ISO, MDY');
});

test('real settings: range errors use %g', () => {
  const server = new ServerSettings({ env: {}, overrides: { 'pipelinedb.sliding_window_step_factor': '12.5' } });
  assert.equal(server.show('sliding_window_step_factor'), '12.5');
  assert.throws(() => new ServerSettings({ env: {}, overrides: { sliding_window_step_factor: '51' } }), /51 is outside the valid range for parameter "sliding_window_step_factor" \(0 \.\. 50\)/);
});

test('custom placeholder settings', () => {
  const s = session();
  s.set('myapp.tenant', [str('t1')]);
  assert.equal(s.show('MyApp.Tenant'), 't1');
  assert.equal(s.currentSetting('myapp.other', true), null);
  pgError(() => s.show('myapp.other'), '42704', 'unrecognized configuration parameter "myapp.other"');
  s.reset('myapp.tenant');
  assert.equal(s.show('myapp.tenant'), '');
  assert.equal(s.showAll().some((r) => r.name.startsWith('myapp')), false);
});

test('SET in a rolled-back transaction is undone; committed SET stays', () => {
  const s = session();
  s.beginTransaction();
  s.set('application_name', [str('a1')]);
  assert.equal(s.show('application_name'), 'a1');
  s.rollback();
  assert.equal(s.show('application_name'), '');
  s.beginTransaction();
  s.set('application_name', [str('a2')]);
  s.commit();
  assert.equal(s.show('application_name'), 'a2');
});

test('SET LOCAL lasts until the transaction ends, and does nothing outside one', () => {
  const s = session();
  s.set('application_name', [str('a2')]);
  s.beginTransaction();
  s.set('application_name', [str('a3')], true);
  assert.equal(s.show('application_name'), 'a3');
  s.commit();
  assert.equal(s.show('application_name'), 'a2');
  s.set('application_name', [str('a4')], true);
  assert.equal(s.show('application_name'), 'a2');
  // SET LOCAL then SET: the session value wins at commit; SET then SET LOCAL: the SET value returns.
  s.beginTransaction();
  s.set('extra_float_digits', [num('1')], true);
  s.set('extra_float_digits', [num('2')]);
  s.commit();
  assert.equal(s.show('extra_float_digits'), '2');
  s.beginTransaction();
  s.set('extra_float_digits', [num('3')]);
  s.set('extra_float_digits', [num('-1')], true);
  assert.equal(s.show('extra_float_digits'), '-1');
  s.commit();
  assert.equal(s.show('extra_float_digits'), '3');
});

test('savepoints: ROLLBACK TO undoes later SETs, RELEASE keeps them until the transaction ends', () => {
  const s = session();
  s.beginTransaction();
  s.set('application_name', [str('b1')]);
  const sp = s.savepoint();
  s.set('application_name', [str('b2')]);
  s.rollbackTo(sp);
  assert.equal(s.show('application_name'), 'b1');
  s.set('application_name', [str('b3')], true);
  s.release(sp);
  assert.equal(s.show('application_name'), 'b3');
  s.commit();
  assert.equal(s.show('application_name'), 'b1');

  s.beginTransaction();
  const outer = s.savepoint();
  s.set('DateStyle', [ident('sql')]);
  const inner = s.savepoint();
  s.set('DateStyle', [ident('german')]);
  s.release(inner);
  assert.equal(s.show('DateStyle'), 'German, DMY');
  s.rollbackTo(outer);
  assert.equal(s.show('DateStyle'), 'ISO, MDY');
  s.set('DateStyle', [ident('postgres')]);
  s.rollback();
  assert.equal(s.show('DateStyle'), 'ISO, MDY');
});

test('transaction_isolation follows default_transaction_isolation and resets at transaction end', () => {
  const s = session();
  s.set('transaction_isolation', [str('serializable')]);
  assert.equal(s.show('transaction_isolation'), 'read committed');
  s.beginTransaction();
  s.set('transaction_isolation', [str('serializable')]);
  assert.equal(s.show('transaction_isolation'), 'serializable');
  s.commit();
  assert.equal(s.show('transaction_isolation'), 'read committed');
  s.set('default_transaction_isolation', [str('repeatable read')]);
  assert.equal(s.show('transaction_isolation'), 'repeatable read');
  s.set('default_transaction_read_only', [str('on')]);
  assert.equal(s.show('transaction_read_only'), 'on');
});

test('RESET, SET TO DEFAULT, RESET ALL, set_config and current_setting', () => {
  const s = SessionSettings.forStartup(new ServerSettings({ env: {} }), { application_name: 'psql', DateStyle: 'ISO, DMY' }, { superuser: false });
  s.set('application_name', [str('x')]);
  s.reset('application_name');
  assert.equal(s.show('application_name'), 'psql');
  s.set('statement_timeout', [num('5')]);
  s.setDefault('statement_timeout');
  assert.equal(s.show('statement_timeout'), '0');
  assert.equal(s.setConfig('statement_timeout', '60000', false), '1min');
  assert.equal(s.setConfig('search_path', '', false), '');
  s.set('DateStyle', [ident('sql')]);
  assert.equal(s.show('DateStyle'), 'SQL, DMY');
  s.resetAll();
  assert.equal(s.show('DateStyle'), 'ISO, DMY');
  assert.equal(s.show('statement_timeout'), '0');
  assert.equal(s.show('search_path'), '"$user", public');
  assert.equal(s.show('session_authorization'), '');
  assert.equal(s.currentSetting('nope', true), null);
  assert.equal(s.currentSetting('application_name'), 'psql');
  pgError(() => s.currentSetting('nope'), '42704', 'unrecognized configuration parameter "nope"');
  s.beginTransaction();
  assert.equal(s.setConfig('application_name', 'tmp', true), 'tmp');
  s.commit();
  assert.equal(s.show('application_name'), 'psql');
});

test('startup parameters and options', () => {
  const server = new ServerSettings({ env: {} });
  const s = SessionSettings.forStartup(server, new Map([
    ['user', 'bob'],
    ['database', 'db'],
    ['client_encoding', 'UTF8'],
    ['options', '-c statement_timeout=5s --search-path=a,\\ b -cextra_float_digits=2 -c search_path=x'],
    ['extra_float_digits', '3'],
    ['_pq_.something', 'x'],
  ]), { superuser: false, sessionUser: 'bob' });
  assert.equal(s.show('statement_timeout'), '5s');
  assert.equal(s.show('search_path'), 'x');
  assert.equal(s.show('extra_float_digits'), '3', 'packet parameters override options');
  assert.equal(s.show('session_authorization'), 'bob');
  s.set('statement_timeout', [num('1')]);
  s.reset('statement_timeout');
  assert.equal(s.show('statement_timeout'), '5s', 'RESET returns to the startup value');

  const fatal = (params: Record<string, string>, code: string, message: string) =>
    assert.throws(() => SessionSettings.forStartup(server, params, { superuser: false }), (e: unknown) => {
      assert.ok(e instanceof PgError);
      assert.deepEqual([e.severity, e.code, e.message], ['FATAL', code, message]);
      return true;
    });
  fatal({ options: '-c foo=1' }, '42704', 'unrecognized configuration parameter "foo"');
  fatal({ foo: '1' }, '42704', 'unrecognized configuration parameter "foo"');
  fatal({ options: '-c port=1' }, '55P02', 'parameter "port" cannot be changed without restarting the server');
  fatal({ options: '-c statement_timeout' }, '42601', '-c statement_timeout requires a value');
  fatal({ options: '--statement_timeout' }, '42601', '--statement_timeout requires a value');
  fatal({ options: '-B 10' }, '42601', 'invalid command-line argument for server process: -B');
  fatal({ TimeZone: 'Mars/Olympus' }, '22023', 'invalid value for parameter "TimeZone": "Mars/Olympus"');
  fatal({ lc_messages: 'C' }, '42501', 'permission denied to set parameter "lc_messages"');
});

test('ParameterStatus: startup burst in name order, then changes', () => {
  const s = SessionSettings.forStartup(new ServerSettings({ env: {} }), { application_name: 'psql' }, { superuser: true, sessionUser: 'alice' });
  assert.deepEqual(s.reportedAll(), [
    ['application_name', 'psql'],
    ['client_encoding', 'UTF8'],
    ['DateStyle', 'ISO, MDY'],
    ['integer_datetimes', 'on'],
    ['IntervalStyle', 'postgres'],
    ['is_superuser', 'on'],
    ['server_encoding', 'UTF8'],
    ['server_version', '11.22'],
    ['session_authorization', 'alice'],
    ['standard_conforming_strings', 'on'],
    ['TimeZone', 'UTC'],
  ]);
  assert.deepEqual(s.reportedChanges(), []);
  s.set('extra_float_digits', [num('3')]);
  assert.deepEqual(s.reportedChanges(), []);
  s.set('application_name', [str('psql')]);
  assert.deepEqual(s.reportedChanges(), [['application_name', 'psql']], 'SET reports even an unchanged value (PostgreSQL 11)');
  s.beginTransaction();
  s.set('TimeZone', [str('Europe/Paris')]);
  s.set('DateStyle', [ident('sql')]);
  assert.deepEqual(s.reportedChanges(), [['DateStyle', 'SQL, MDY'], ['TimeZone', 'Europe/Paris']]);
  s.rollback();
  assert.deepEqual(s.reportedChanges(), [['DateStyle', 'ISO, MDY'], ['TimeZone', 'UTC']]);
  s.setInternal('session_authorization', 'bob');
  s.setInternal('is_superuser', false);
  assert.deepEqual(s.reportedChanges(), [['is_superuser', 'off'], ['session_authorization', 'bob']]);
  assert.equal(s.isSuperuser, false);
});

test('ioContext is one object kept up to date', () => {
  const s = session();
  const io = s.ioContext();
  assert.deepEqual(io, { dateStyle: { style: 'ISO', order: 'MDY' }, intervalStyle: 'postgres', timeZone: 'UTC', extraFloatDigits: 0, byteaOutput: 'hex' });
  s.beginTransaction();
  s.set('DateStyle', [ident('german')]);
  s.set('IntervalStyle', [ident('iso_8601')]);
  s.set('TimeZone', [str('America/New_York')]);
  s.set('extra_float_digits', [num('3')]);
  s.set('bytea_output', [ident('escape')]);
  assert.equal(s.ioContext(), io);
  assert.deepEqual(io, { dateStyle: { style: 'German', order: 'DMY' }, intervalStyle: 'iso_8601', timeZone: 'America/New_York', extraFloatDigits: 3, byteaOutput: 'escape' });
  s.rollback();
  assert.deepEqual(io, { dateStyle: { style: 'ISO', order: 'MDY' }, intervalStyle: 'postgres', timeZone: 'UTC', extraFloatDigits: 0, byteaOutput: 'hex' });
});

test('SHOW ALL is sorted case-insensitively and hides internal session facts', () => {
  const rows = session().showAll();
  const names = rows.map((r) => r.name);
  assert.deepEqual(names, [...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
  assert.ok(names.includes('DateStyle') && names.includes('pipelinedb.num_workers'));
  assert.ok(!names.includes('is_superuser') && !names.includes('session_authorization'));
  const row = rows.find((r) => r.name === 'statement_timeout')!;
  assert.equal(row.setting, '0');
  assert.ok(row.description.length > 0);
});
