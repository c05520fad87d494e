// generate_series: values (checked against PostgreSQL 15 as the oracle) and
// the statement limits: the count is reported before anything is allocated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './index.js';
import { PgError } from '../../errors.js';
import { formatNumeric, parseNumeric } from '../../types/numeric.js';
import { OID } from '../../types/oids.js';
import { Interval, type Numeric } from '../../types/values.js';
import { TestLimits, call, testContext } from './test-support.js';

const { int4, int8, numeric, timestamp, timestamptz, interval } = OID;
const num = (s: string) => parseNumeric(s);
const limited = (opts: { rowLimit?: number; interruptAfter?: number }) => {
  const limits = new TestLimits(opts);
  return { limits, ctx: testContext({ checkInterrupts: limits.checkInterrupts, countRows: limits.countRows }) };
};
const HOUR = 3_600_000_000;
const DAY = 24 * HOUR;

function assertPgError(fn: () => unknown, code: string, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof PgError && e.code === code && e.message === message);
}

test('integer series values', () => {
  assert.deepEqual(call('generate_series', [int4, int4], [1, 5]), [1, 2, 3, 4, 5]);
  assert.deepEqual(call('generate_series', [int4, int4, int4], [10, 1, -3]), [10, 7, 4, 1]);
  assert.deepEqual(call('generate_series', [int4, int4, int4], [1, 10, -1]), []);
  assert.deepEqual(call('generate_series', [int4, int4], [3, 3]), [3]);
  assert.deepEqual(call('generate_series', [int4, int4, int4], [2147483600, 2147483647, 30]), [2147483600, 2147483630]);
  assert.deepEqual(call('generate_series', [int4, int4, int4], [-2147483648, -2147483648, -5]), [-2147483648]);
  assert.deepEqual(call('generate_series', [int8, int8, int8], [9223372036854775800n, 9223372036854775807n, 5n]), [
    9223372036854775800n,
    9223372036854775805n,
  ]);
  assert.deepEqual(call('generate_series', [int8, int8, int8], [5n, -5n, -4n]), [5n, 1n, -3n]);
  assert.deepEqual(call('generate_series', [int8, int8], [2n, 1n]), []);
  assertPgError(() => call('generate_series', [int4, int4, int4], [1, 2, 0]), '22023', 'step size cannot equal zero');
});

test('numeric series keeps PostgreSQL scales', () => {
  const out = call('generate_series', [numeric, numeric, numeric], [num('1.0'), num('2'), num('0.25')]) as Numeric[];
  assert.deepEqual(out.map(formatNumeric), ['1.0', '1.25', '1.50', '1.75', '2.00']);
  const down = call('generate_series', [numeric, numeric, numeric], [num('5'), num('5'), num('-1')]) as Numeric[];
  assert.deepEqual(down.map(formatNumeric), ['5']);
});

test('timestamp series over fixed and calendar steps', () => {
  assert.deepEqual(call('generate_series', [timestamp, timestamp, interval], [0, DAY, new Interval(0, 0, 8 * HOUR)]), [0, 8 * HOUR, 16 * HOUR, DAY]);
  assert.deepEqual(call('generate_series', [timestamp, timestamp, interval], [0, 2 * DAY, new Interval(0, 1, -HOUR)]), [0, 23 * HOUR, 46 * HOUR]);
  assert.deepEqual(call('generate_series', [timestamptz, timestamptz, interval], [0, 2 * DAY, new Interval(0, 1, 0)]), [0, DAY, 2 * DAY]);
});

test('the count is reported before any value is produced', () => {
  const { limits, ctx } = limited({ rowLimit: 100 });
  assertPgError(() => call('generate_series', [int4, int4], [1, 1_000_000_000], ctx), '53200', 'out of memory');
  assert.equal(limits.rowsCounted, 1_000_000_000);
  assert.equal(limits.interruptChecks, 0);

  const big8 = limited({ rowLimit: 100 });
  assertPgError(() => call('generate_series', [int8, int8, int8], [0n, 10n ** 18n, 3n], big8.ctx), '53200', 'out of memory');
  assert.equal(big8.limits.rowsCounted, Number(10n ** 18n / 3n + 1n));
  assert.equal(big8.limits.interruptChecks, 0);

  const bigNum = limited({ rowLimit: 100 });
  assertPgError(() => call('generate_series', [numeric, numeric], [num('1'), num('1e12')], bigNum.ctx), '53200', 'out of memory');
  assert.equal(bigNum.limits.rowsCounted, 1e12);
  assert.equal(bigNum.limits.interruptChecks, 0);

  // 100 years of seconds.
  const bigTs = limited({ rowLimit: 100 });
  const century = 36525 * DAY;
  assertPgError(() => call('generate_series', [timestamp, timestamp, interval], [0, century, new Interval(0, 0, 1_000_000)], bigTs.ctx), '53200', 'out of memory');
  assert.equal(bigTs.limits.rowsCounted, century / 1_000_000 + 1);
  assert.equal(bigTs.limits.interruptChecks, 0);

  const toInfinity = limited({});
  assertPgError(() => call('generate_series', [timestamp, timestamp, interval], [0, Infinity, new Interval(0, 0, 1)], toInfinity.ctx), '53200', 'out of memory');
  assert.equal(toInfinity.limits.interruptChecks, 0);
});

test('series within the limit are counted exactly once', () => {
  const { limits, ctx } = limited({ rowLimit: 10 });
  assert.equal((call('generate_series', [int4, int4], [1, 10], ctx) as number[]).length, 10);
  assert.equal(limits.rowsCounted, 10);
  assertPgError(() => call('generate_series', [int4, int4], [1, 1], ctx), '53200', 'out of memory');
});

test('calendar steps are counted as they are produced', () => {
  // A day step in a time zone has no fixed length: rows are reported in batches of 4096.
  const { limits, ctx } = limited({ rowLimit: 1000 });
  assertPgError(() => call('generate_series', [timestamptz, timestamptz, interval], [0, 20_000 * DAY, new Interval(0, 1, 0)], ctx), '53200', 'out of memory');
  assert.equal(limits.rowsCounted, 4096);
});

test('long series check for interrupts every 4096 values', () => {
  const { limits, ctx } = limited({ interruptAfter: 3 });
  assertPgError(() => call('generate_series', [int4, int4], [1, 100_000], ctx), '57014', 'canceling statement due to user request');
  assert.equal(limits.interruptChecks, 3);
  const counted = limited({});
  call('generate_series', [int8, int8], [1n, 10_000n], counted.ctx);
  assert.equal(counted.limits.interruptChecks, 2);
});
