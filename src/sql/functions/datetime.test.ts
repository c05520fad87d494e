// Expected values come from PostgreSQL (15 as the oracle, PostgreSQL 11 semantics) and PipelineDB's C source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './index.js';
import { PgError } from '../../errors.js';
import { dateToDays } from '../../types/datetime.js';
import { OID } from '../../types/oids.js';
import { Interval, USECS_PER_DAY } from '../../types/values.js';
import { call, findDef, testContext } from './test-support.js';

const { text, date, time, timestamp, timestamptz, interval, float8, int4 } = OID;
const H = 3_600_000_000;

/** Local wall-clock microseconds since 2000-01-01 (also UTC instants when offset is 0). */
function ts(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, offsetHours = 0): number {
  return dateToDays(y, mo, d) * USECS_PER_DAY + ((h * 60 + mi) * 60 + s) * 1e6 - offsetHours * H;
}
const ny = () => {
  const ctx = testContext();
  ctx.io.timeZone = 'America/New_York';
  return ctx;
};
function pgError(code: string, message: string) {
  return (e: unknown) => e instanceof PgError && e.code === code && e.message === message;
}
const iv = (v: unknown) => {
  const i = v as Interval;
  return [i.months, i.days, i.micros];
};

test('date_trunc in the session zone', () => {
  assert.equal(call('date_trunc', [text, timestamp], ['week', ts(2018, 5, 5, 12)]), ts(2018, 4, 30));
  assert.equal(call('date_trunc', [text, timestamptz], ['hour', ts(2018, 3, 11, 3, 30, 0, -4)], ny()), ts(2018, 3, 11, 3, 0, 0, -4));
  assert.equal(call('date_trunc', [text, timestamptz], ['day', ts(2018, 3, 11, 12, 0, 0, -4)], ny()), ts(2018, 3, 11, 0, 0, 0, -5));
  assert.equal(findDef('date_trunc', [text, timestamptz]).volatility, 'stable');
  assert.throws(() => call('date_trunc', [text, timestamp], ['foo', 0]), (e: unknown) => e instanceof PgError && e.code === '22023');
});

test('date_part and extract return double precision', () => {
  assert.equal(findDef('extract', [text, timestamptz]).ret, float8);
  assert.equal(call('date_part', [text, timestamptz], ['hour', ts(2018, 3, 11, 12)], ny()), 8);
  assert.equal(call('extract', [text, date], ['doy', dateToDays(2024, 12, 31)]), 366);
  assert.equal(call('date_part', [text, date], ['dow', dateToDays(2024, 1, 7)]), 0);
  assert.equal(call('extract', [text, timestamptz], ['epoch', ts(2001, 2, 16, 20, 38, 40.12, -8)]), 982384720.12);
  assert.equal(call('date_part', [text, interval], ['month', new Interval(50, 0, 0)]), 2);
  assert.equal(call('date_part', [text, time], ['minute', 5 * H + 30 * 60e6]), 30);
});

test('age', () => {
  assert.deepEqual(iv(call('age', [timestamp, timestamp], [ts(2001, 4, 10), ts(1957, 6, 13)])), [43 * 12 + 9, 27, 0]);
  assert.deepEqual(iv(call('age', [timestamptz, timestamptz], [ts(2001, 4, 10), ts(1957, 6, 13)], ny())), [43 * 12 + 9, 27, 0]);
  const ctx = testContext({ transactionTimestamp: ts(2020, 3, 15, 10) });
  assert.deepEqual(iv(call('age', [timestamp], [ts(2020, 1, 14, 12)], ctx)), [2, 0, 12 * H]);
});

test('make_date, make_time, make_timestamp(tz), make_interval', () => {
  assert.equal(call('make_date', [int4, int4, int4], [-44, 3, 15]), dateToDays(-43, 3, 15));
  assert.throws(() => call('make_date', [int4, int4, int4], [2013, 2, 30]), pgError('22008', 'date field value out of range: 2013-02-30'));
  assert.throws(() => call('make_date', [int4, int4, int4], [0, 1, 1]), pgError('22008', 'date field value out of range: 0-01-01'));
  assert.equal(call('make_time', [int4, int4, float8], [23, 59, 60]), 24 * H);
  assert.equal(call('make_time', [int4, int4, float8], [1, 2, 3.5]), H + 2 * 60e6 + 3.5e6);
  assert.throws(() => call('make_time', [int4, int4, float8], [25, 0, 0]), pgError('22008', 'time field value out of range: 25:00:00'));
  const six = [int4, int4, int4, int4, int4, float8];
  assert.equal(call('make_timestamp', six, [2013, 7, 15, 8, 15, 60]), ts(2013, 7, 15, 8, 16));
  assert.equal(call('make_timestamptz', [...six, text], [2013, 7, 15, 8, 15, 23.5, 'America/New_York']), ts(2013, 7, 15, 12, 15, 23.5));
  assert.throws(
    () => call('make_timestamptz', [...six, text], [2013, 7, 15, 8, 15, 23.5, 'foo']),
    pgError('22023', 'time zone "foo" not recognized'),
  );
  const mi = call('make_interval', [int4, int4, int4, int4, int4, int4, float8], [1, 2, 3, 4, 5, 6, 7.5]);
  assert.deepEqual(iv(mi), [14, 25, 5 * H + 6 * 60e6 + 7.5e6]);
  assert.deepEqual(iv(call('make_interval', [int4, int4, int4, int4], [0, 0, 0, 10])), [0, 10, 0]);
  assert.deepEqual(iv(call('make_interval', [], [])), [0, 0, 0]);
});

test('to_timestamp(double precision)', () => {
  assert.equal(call('to_timestamp', [float8], [1284352323.5]), ts(2010, 9, 13, 4, 32, 3.5));
  assert.equal(call('to_timestamp', [float8], [Infinity]), Infinity);
  assert.throws(() => call('to_timestamp', [float8], [NaN]), pgError('22008', 'timestamp cannot be NaN'));
  assert.throws(() => call('to_timestamp', [float8], [1e20]), pgError('22008', 'timestamp out of range: "1e+20"'));
});

test('justify_*, isfinite, AT TIME ZONE', () => {
  assert.deepEqual(iv(call('justify_days', [interval], [new Interval(0, 35, H)])), [1, 5, H]);
  assert.deepEqual(iv(call('justify_hours', [interval], [new Interval(0, 0, -27 * H)])), [0, -1, -3 * H]);
  assert.deepEqual(iv(call('justify_interval', [interval], [new Interval(1, 0, -H)])), [0, 29, 23 * H]);
  assert.equal(call('isfinite', [timestamp], [Infinity]), false);
  assert.equal(call('timezone', [text, timestamptz], ['America/New_York', ts(2018, 7, 1, 12)]), ts(2018, 7, 1, 8));
  assert.equal(call('timezone', [text, timestamp], ['PST', ts(2018, 7, 1, 12)]), ts(2018, 7, 1, 20));
});

test('generate_series over timestamptz steps on the local calendar', () => {
  const rows = call('generate_series', [timestamptz, timestamptz, interval], [ts(2018, 3, 10, 0, 0, 0, -5), ts(2018, 3, 12, 0, 0, 0, -4), new Interval(0, 1, 0)], ny());
  assert.deepEqual(rows, [ts(2018, 3, 10, 0, 0, 0, -5), ts(2018, 3, 11, 0, 0, 0, -5), ts(2018, 3, 12, 0, 0, 0, -4)]);
  assert.throws(
    () => call('generate_series', [timestamp, timestamp, interval], [0, 1, new Interval(0, 0, 0)]),
    pgError('22023', 'step size cannot equal zero'),
  );
});

test('PipelineDB date_round and year()..second()', () => {
  const q = new Interval(0, 0, 15 * 60e6);
  assert.equal(call('date_round', [timestamptz, interval], [ts(2018, 1, 1, 12, 34, 56), q]), ts(2018, 1, 1, 12, 30));
  assert.equal(call('date_round', [timestamptz, interval], [null, q]), null);
  assert.equal(call('date_round', [timestamptz, interval], [ts(2018, 1, 1, 12, 34, 56), null]), ts(2018, 1, 1, 12, 34, 56));
  // a month step is measured from 2000-01-01: 31 days
  assert.equal(call('date_round', [timestamptz, interval], [ts(2000, 2, 5), new Interval(1, 0, 0)]), ts(2000, 2, 1));
  assert.equal(call('year', [timestamptz], [ts(2018, 7, 4, 12)]), ts(2018, 1, 1));
  assert.equal(call('hour', [timestamptz], [ts(2018, 7, 4, 12, 40, 5)], ny()), ts(2018, 7, 4, 12));
  assert.equal(call('day', [timestamptz], [ts(2018, 7, 4, 2)], ny()), ts(2018, 7, 3, 0, 0, 0, -4));
});
