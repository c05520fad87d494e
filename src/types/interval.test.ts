// Expected strings come from PostgreSQL (checked against a live server).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatInterval, intervalApplyTypmod, intervalCompare, intervalDiv, intervalMul, intervalTypmod, justifyDays,
  justifyHours, justifyInterval, parseInterval, INTERVAL_FULL_RANGE, INTERVAL_FIELD,
} from './interval.js';
import { PgError } from '../errors.js';

const show = (s: string, style: Parameters<typeof formatInterval>[1] = 'postgres') => formatInterval(parseInterval(s), style);

test('interval input forms (postgres output)', () => {
  const cases: [string, string][] = [
    ['1 day 02:03:04', '1 day 02:03:04'],
    ['1 year 2 months 3 days 4 hours 5 minutes 6 seconds', '1 year 2 mons 3 days 04:05:06'],
    ['@ 1 hour ago', '-01:00:00'],
    ['1 years ago 2 days', '-1 years -2 days'],
    ['P1Y2M3DT4H5M6S', '1 year 2 mons 3 days 04:05:06'],
    ['P0001-02-03T04:05:06', '1 year 2 mons 3 days 04:05:06'],
    ['P1.5Y', '1 year 6 mons'],
    ['PT36H', '36:00:00'],
    ['1-2', '1 year 2 mons'],
    ['1-2 3 4:05:06', '1 year 2 mons 3 days 04:05:06'],
    ['10', '00:00:10'],
    ['1.5 months', '1 mon 15 days'],
    ['1.5 weeks', '10 days 12:00:00'],
    ['0.5 days', '12:00:00'],
    ['1.001 seconds', '00:00:01.001'],
    ['-1 day +02:03:04', '-1 days +02:03:04'],
    ['1 day -02:03:04', '1 day -02:03:04'],
    ['-00:00:01', '-00:00:01'],
    ['0', '00:00:00'],
    ['12:34.5', '00:12:34.5'],
    ['1 yr 2 mon 3 d 4 hr 5 min 6 sec', '1 year 2 mons 3 days 04:05:06'],
    ['2 centuries', '200 years'],
  ];
  for (const [input, out] of cases) assert.equal(show(input), out, input);
});

test('interval input errors', () => {
  for (const bad of ['', '1 fortnight', '1 day 1 day', '1 2']) {
    assert.throws(() => parseInterval(bad), (e: unknown) => e instanceof PgError && e.code === '22007' &&
      e.message === `invalid input syntax for type interval: "${bad}"`);
  }
  assert.throws(() => parseInterval('2147483648 days'), (e: unknown) => e instanceof PgError && e.code === '22015');
});

test('interval output styles', () => {
  const v = '-1 year -2 mons +3 days -04:05:06';
  assert.equal(show(v), '-1 years -2 mons +3 days -04:05:06');
  assert.equal(show(v, 'postgres_verbose'), '@ 1 year 2 mons -3 days 4 hours 5 mins 6 secs ago');
  assert.equal(show(v, 'sql_standard'), '-1-2 +3 -4:05:06');
  assert.equal(show(v, 'iso_8601'), 'P-1Y-2M3DT-4H-5M-6S');
  assert.equal(show('1 year 2 mons 3 days 04:05:06.5', 'postgres_verbose'), '@ 1 year 2 mons 3 days 4 hours 5 mins 6.5 secs');
  assert.equal(show('1 year 2 mons 3 days 04:05:06.5', 'iso_8601'), 'P1Y2M3DT4H5M6.5S');
  assert.equal(show('3 4:05:06', 'sql_standard'), '3 4:05:06');
  assert.equal(show('-1-2', 'sql_standard'), '-1-2');
  assert.equal(show('0', 'sql_standard'), '0');
  assert.equal(show('0', 'iso_8601'), 'PT0S');
  assert.equal(show('0', 'postgres_verbose'), '@ 0');
  assert.equal(show('-1 sec', 'postgres_verbose'), '@ 1 sec ago');
  // SQL standard input: a leading minus applies to every field
  assert.equal(formatInterval(parseInterval('-1 2:03:04', 'sql_standard'), 'sql_standard'), '-1 2:03:04');
});

test('interval arithmetic spills fractions down as PostgreSQL does', () => {
  assert.equal(formatInterval(intervalMul(parseInterval('1 mon 2 days 3 hours'), 1.5)), '1 mon 18 days 04:30:00');
  assert.equal(formatInterval(intervalDiv(parseInterval('1 mon'), 7)), '4 days 06:51:25.6896');
  assert.equal(formatInterval(intervalMul(parseInterval('1 day'), 0.3333)), '07:59:57.12');
  assert.equal(formatInterval(intervalMul(parseInterval('-1 mon 3 days'), 2.5)), '-2 mons -8 days +12:00:00');
  assert.throws(() => intervalDiv(parseInterval('1 day'), 0), (e: unknown) => e instanceof PgError && e.code === '22012');
});

test('justify and comparison with 30-day months', () => {
  assert.equal(formatInterval(justifyInterval(parseInterval('1 mon -1 hour'))), '29 days 23:00:00');
  assert.equal(formatInterval(justifyHours(parseInterval('-27 hours'))), '-1 days -03:00:00');
  assert.equal(formatInterval(justifyDays(parseInterval('35 days'))), '1 mon 5 days');
  assert.equal(intervalCompare(parseInterval('1 mon'), parseInterval('30 days')), 0);
  assert.equal(intervalCompare(parseInterval('1 day'), parseInterval('24:00:01')), -1);
  assert.equal(intervalCompare(parseInterval('-1 day'), parseInterval('-23:00:00')), -1);
});

test('interval typmod: fields and precision', () => {
  const { YEAR, MONTH, HOUR, DAY } = INTERVAL_FIELD;
  const v = parseInterval('1 year 2 mons 3 days 04:05:06.789');
  assert.equal(formatInterval(intervalApplyTypmod(v, intervalTypmod(YEAR))), '1 year');
  assert.equal(formatInterval(intervalApplyTypmod(v, intervalTypmod(YEAR | MONTH))), '1 year 2 mons');
  assert.equal(formatInterval(intervalApplyTypmod(v, intervalTypmod(DAY | HOUR))), '1 year 2 mons 3 days 04:00:00');
  assert.equal(formatInterval(intervalApplyTypmod(v, intervalTypmod(INTERVAL_FULL_RANGE, 1))), '1 year 2 mons 3 days 04:05:06.8');
});
