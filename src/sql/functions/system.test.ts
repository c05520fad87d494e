import { test } from 'node:test';
import assert from 'node:assert/strict';
import './index.js';
import { PgError } from '../../errors.js';
import { OID } from '../../types/oids.js';
import { call, findDef, testContext, testHooks } from './test-support.js';

const { int4, text, bool, oid, float8 } = OID;

test('version() names PostgreSQL 11 and this product', () => {
  const v = call('version', [], []) as string;
  assert.match(v, /^PostgreSQL 11\.22 \(pipelinedb-ts 0\.1\.0\) on [a-z0-9_]+-[a-z-]+, compiled by TypeScript, (64|32)-bit$/);
});

test('session information comes from the hooks', () => {
  assert.equal(call('current_database', [], []), 'pipeline');
  assert.equal(call('current_schema', [], []), 'public');
  assert.equal(call('current_user', [], []), 'alice');
  assert.equal(call('pg_backend_pid', [], []), 4242);
  assert.equal(call('pg_cancel_backend', [int4], [4242]), true);
  assert.equal(call('pg_terminate_backend', [int4], [1]), false);
  assert.equal(call('pg_is_in_recovery', [], []), false);
  assert.equal(call('pg_client_encoding', [], []), 'UTF8');
});

test('settings: current_setting and set_config', () => {
  const ctx = testContext();
  assert.equal(call('current_setting', [text], ['search_path'], ctx), '"$user", public');
  assert.equal(call('current_setting', [text, bool], ['no_such', true], ctx), null);
  assert.equal(call('set_config', [text, text, bool], ['search_path', 'x', false], ctx), 'x');
  assert.equal(call('current_setting', [text], ['search_path'], ctx), 'x');
  assert.equal(call('set_config', [text, text, bool], ['search_path', 'y', null], ctx), 'y');
  assert.throws(
    () => call('set_config', [text, text, bool], [null, 'a', false], ctx),
    (e: unknown) => e instanceof PgError && e.code === '22004' && e.message === 'SET requires parameter name',
  );
  assert.equal(findDef('set_config', [text, text, bool]).strict, false);
});

test('pg_sleep asks the session to wait and returns void', () => {
  let slept = -1;
  const ctx = testContext({ hooks: testHooks({ requestSleep: (s) => (slept = s) }) });
  assert.equal(call('pg_sleep', [float8], [1.5], ctx), '');
  assert.equal(slept, 1.5);
});

test('pg_typeof returns the argument type OID, also for NULL', () => {
  assert.equal(call('pg_typeof', [OID.any], [1], testContext(), [int4]), int4);
  assert.equal(call('pg_typeof', [OID.any], [null], testContext(), [OID.unknown]), OID.unknown);
  assert.equal(findDef('pg_typeof', [OID.any]).ret, OID.regtype);
});

test('format_type', () => {
  const ft = (o: number | null, m: number | null) => call('format_type', [oid, int4], [o, m]);
  assert.equal(ft(1042, -1), 'bpchar');
  assert.equal(ft(1042, null), 'character');
  assert.equal(ft(1042, 9), 'character(5)');
  assert.equal(ft(1043, 14), 'character varying(10)');
  assert.equal(ft(1700, ((10 << 16) | 2) + 4), 'numeric(10,2)');
  assert.equal(ft(1114, 3), 'timestamp(3) without time zone');
  assert.equal(ft(1184, null), 'timestamp with time zone');
  assert.equal(ft(1083, 3), 'time(3) without time zone');
  assert.equal(ft(1007, null), 'integer[]');
  assert.equal(ft(1015, 14), 'character varying(10)[]');
  assert.equal(ft(1014, -1), 'bpchar[]');
  assert.equal(ft(99999, null), '???');
  assert.equal(ft(18, null), '"char"');
  assert.equal(ft(2276, null), '"any"');
  assert.equal(ft(1186, 2147418115), 'interval(3)');
  assert.equal(ft(0, null), '-');
  assert.equal(ft(null, 1), null);
});

test('time functions', () => {
  const ctx = testContext({ transactionTimestamp: 1000, statementTimestamp: 2000 });
  assert.equal(call('now', [], [], ctx), 1000);
  assert.equal(call('transaction_timestamp', [], [], ctx), 1000);
  assert.equal(call('statement_timestamp', [], [], ctx), 2000);
  const clock = call('clock_timestamp', [], [], ctx) as number;
  assert.ok(clock > 8e14 && Number.isInteger(clock));
  const ctxNy = testContext();
  ctxNy.io.timeZone = 'America/New_York';
  assert.match(call('timeofday', [], [], ctxNy) as string, /^[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d\.\d{6} \d{4} E[SD]T$/);
});
