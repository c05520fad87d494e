// Expected strings come from PostgreSQL (checked against a live server).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ageLocal, dateToDays, dateTrunc, dateTruncTz, datePart, datePartInterval, datePartTz, daysToDate,
  formatDate, formatTime, formatTimestamp, formatTimestamptz, parseDate, parseTime, parseTimestamp, parseTimestamptz,
  timestampDifference, timestampPlusInterval, timestamptzPlusInterval,
} from './datetime.js';
import type { DateStyle } from './io-context.js';
import { formatInterval, parseInterval } from './interval.js';
import { resolveTimeZoneSetting, type TimeZone } from './timezone.js';
import { PgError } from '../errors.js';

const ISO: DateStyle = { style: 'ISO', order: 'MDY' };
const zone = (name: string): TimeZone => resolveTimeZoneSetting(name)!;
const UTC = zone('UTC');
const NY = zone('America/New_York');
const opts = (z: TimeZone = UTC, order: DateStyle['order'] = 'MDY') => ({ order, zone: z, now: 0 });

const ts = (s: string) => parseTimestamp(s, opts());
const tsz = (s: string, z: TimeZone) => parseTimestamptz(s, opts(z));
const showTs = (v: number) => formatTimestamp(v, ISO);
const showTsz = (v: number, z: TimeZone, style: DateStyle = ISO) => formatTimestamptz(v, style, z);

function throwsCode(fn: () => unknown, code: string, message?: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof PgError, String(e));
    assert.equal(e.code, code);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

test('calendar day numbers round-trip on PostgreSQL epoch', () => {
  assert.equal(dateToDays(2000, 1, 1), 0);
  assert.equal(dateToDays(1970, 1, 1), -10957);
  assert.deepEqual(daysToDate(dateToDays(2024, 2, 29)), [2024, 2, 29]);
  assert.deepEqual(daysToDate(dateToDays(-43, 3, 15)), [-43, 3, 15]);
  for (let d = -800000; d < 800000; d += 997) assert.equal(dateToDays(...daysToDate(d)), d);
});

test('timestamp input forms', () => {
  const cases: [string, string][] = [
    ['2026-11-21 13:14:15.123456', '2026-11-21 13:14:15.123456'],
    ['2026-11-21T13:14:15', '2026-11-21 13:14:15'],
    ['2026-11-21 13:14:15+05', '2026-11-21 13:14:15'],
    ['Nov-21-2026', '2026-11-21 00:00:00'],
    ['21-Nov-2026', '2026-11-21 00:00:00'],
    ['January 2, 2003 04:05:06', '2003-01-02 04:05:06'],
    ['Wed Jan 02 2003 04:05:06', '2003-01-02 04:05:06'],
    ['11/21/97', '1997-11-21 00:00:00'],
    ['1/2/3', '2003-01-02 00:00:00'],
    ['2003-01-02 04:05:06 BC', '2003-01-02 04:05:06 BC'],
    ['2003-01-02 040506', '2003-01-02 04:05:06'],
    ['2003-001', '2003-01-01 00:00:00'],
    ['1999-365', '1999-12-31 00:00:00'],
    ['J2451187 04:05', '1999-01-08 04:05:00'],
    ['2026-11-21 12:00 am', '2026-11-21 00:00:00'],
    ['2026-11-21 23:59:60', '2026-11-22 00:00:00'],
    ['2026-11-21 13:14:15.9999999', '2026-11-21 13:14:16'],
    ['epoch', '1970-01-01 00:00:00'],
    ['infinity', 'infinity'],
    ['-infinity', '-infinity'],
  ];
  for (const [input, out] of cases) assert.equal(showTs(ts(input)), out, input);
});

test('timestamp input errors', () => {
  throwsCode(() => ts('garbage'), '22007', 'invalid input syntax for type timestamp: "garbage"');
  throwsCode(() => ts('2003-02-29'), '22008', 'date/time field value out of range: "2003-02-29"');
  throwsCode(() => ts('2026-13-01'), '22008');
  throwsCode(() => ts('294277-01-01 00:00:00'), '22008', 'timestamp out of range: "294277-01-01 00:00:00"');
  throwsCode(() => tsz('2026-11-21 13:14:15+16', UTC), '22009');
  throwsCode(() => tsz('2026-11-21 13:14:15 America/Nowhere', UTC), '22023', 'time zone "america/nowhere" not recognized');
  throwsCode(() => ts('2026-11-21 13:00 pm'), '22008');
});

test('DateStyle field order for ambiguous dates', () => {
  assert.equal(formatDate(parseDate('01/02/2003', opts(UTC, 'MDY')), ISO), '2003-01-02');
  assert.equal(formatDate(parseDate('01/02/2003', opts(UTC, 'DMY')), ISO), '2003-02-01');
  assert.equal(formatDate(parseDate('03/01/02', opts(UTC, 'YMD')), ISO), '2003-01-02');
  assert.equal(formatDate(parseDate('21 Nov 2026', opts()), ISO), '2026-11-21');
  assert.equal(formatDate(parseDate('0044-03-15 BC', opts()), ISO), '0044-03-15 BC');
  assert.equal(formatDate(parseDate('J2451187', opts()), ISO), '1999-01-08');
  throwsCode(() => parseDate('5874898-01-01', opts()), '22008', 'date out of range: "5874898-01-01"');
});

test('now/today/tomorrow use the supplied transaction time in the session zone', () => {
  const now = tsz('2026-03-08 03:30:00+00', UTC); // still 2026-03-07 in New York
  assert.equal(formatDate(parseDate('today', { order: 'MDY', zone: NY, now }), ISO), '2026-03-07');
  assert.equal(formatDate(parseDate('tomorrow', { order: 'MDY', zone: NY, now }), ISO), '2026-03-08');
  assert.equal(parseTimestamptz('now', { order: 'MDY', zone: NY, now }), now);
});

test('timestamptz in New York across DST transitions', () => {
  assert.equal(showTsz(tsz('2018-11-04 01:30', NY), NY), '2018-11-04 01:30:00-05'); // ambiguous: standard time
  assert.equal(showTsz(tsz('2018-03-11 02:30', NY), NY), '2018-03-11 03:30:00-04'); // skipped hour
  assert.equal(showTsz(tsz('2018-11-04 05:30+00', NY), NY), '2018-11-04 01:30:00-04');
  assert.equal(showTsz(tsz('2018-11-04 06:30+00', NY), NY), '2018-11-04 01:30:00-05');
  assert.equal(showTsz(tsz('2018-07-04 01:30', NY), NY, { style: 'Postgres', order: 'MDY' }), 'Wed Jul 04 01:30:00 2018 EDT');
  assert.equal(showTsz(tsz('2018-11-04 01:30', NY), NY, { style: 'Postgres', order: 'MDY' }), 'Sun Nov 04 01:30:00 2018 EST');
});

test('timestamptz output in other zones and styles', () => {
  const berlin = zone('Europe/Berlin');
  const kolkata = zone('Asia/Kolkata');
  const v = tsz('2018-07-04 01:30:12.5', berlin);
  assert.equal(showTsz(v, berlin), '2018-07-04 01:30:12.5+02');
  assert.equal(showTsz(v, berlin, { style: 'SQL', order: 'MDY' }), '07/04/2018 01:30:12.5 CEST');
  assert.equal(showTsz(v, berlin, { style: 'SQL', order: 'DMY' }), '04/07/2018 01:30:12.5 CEST');
  assert.equal(showTsz(v, berlin, { style: 'German', order: 'DMY' }), '04.07.2018 01:30:12.5 CEST');
  assert.equal(showTsz(v, berlin, { style: 'Postgres', order: 'DMY' }), 'Wed 04 Jul 01:30:12.5 2018 CEST');
  assert.equal(showTsz(tsz('1850-07-04 01:30', berlin), berlin), '1850-07-04 01:30:00+00:53:28');
  assert.equal(showTsz(tsz('1850-07-04 01:30', berlin), berlin, { style: 'SQL', order: 'MDY' }), '07/04/1850 01:30:00 LMT');
  assert.equal(showTsz(tsz('2018-07-04 01:30', kolkata), kolkata), '2018-07-04 01:30:00+05:30');
  assert.equal(showTsz(tsz('2018-07-04 01:30', kolkata), kolkata, { style: 'Postgres', order: 'MDY' }), 'Wed Jul 04 01:30:00 2018 IST');
  assert.equal(showTsz(tsz('2026-11-21 13:14:15.123456+00', UTC), UTC, { style: 'Postgres', order: 'MDY' }), 'Sat Nov 21 13:14:15.123456 2026 UTC');
  assert.equal(showTsz(tsz('0044-03-15 12:00 BC', UTC), UTC), '0044-03-15 12:00:00+00 BC');
  // POSIX-style settings: "UTC+3" is three hours west; a bare number is hours east
  assert.equal(showTsz(tsz('2018-07-04 01:30', zone('UTC+3')), zone('UTC+3')), '2018-07-04 01:30:00-03');
  assert.equal(showTsz(tsz('2018-07-04 01:30', zone('-05:30')), zone('-05:30')), '2018-07-04 01:30:00+05:30');
  assert.equal(showTsz(tsz('2018-07-04 01:30', zone('+02')), zone('+02')), '2018-07-04 01:30:00+02');
  assert.equal(showTsz(tsz('2026-06-21 13:14:15 CEST', UTC), UTC), '2026-06-21 11:14:15+00');
  assert.equal(showTsz(tsz('2026-11-21 13:14:15 America/New_York', UTC), UTC), '2026-11-21 18:14:15+00');
});

test('date and time output styles', () => {
  const d = parseDate('2018-07-04', opts());
  assert.equal(formatDate(d, { style: 'Postgres', order: 'MDY' }), '07-04-2018');
  assert.equal(formatDate(d, { style: 'Postgres', order: 'DMY' }), '04-07-2018');
  assert.equal(formatDate(d, { style: 'SQL', order: 'MDY' }), '07/04/2018');
  assert.equal(formatDate(d, { style: 'German', order: 'DMY' }), '04.07.2018');
  assert.equal(formatDate(parseDate('0044-03-15 BC', opts()), { style: 'SQL', order: 'MDY' }), '03/15/0044 BC');
  assert.equal(formatTime(parseTime('13:14:15.1234567', opts())), '13:14:15.123457');
  assert.equal(formatTime(parseTime('04:05 PM', opts())), '16:05:00');
  assert.equal(formatTime(parseTime('allballs', opts())), '00:00:00');
  assert.equal(formatTime(parseTime('24:00:00', opts())), '24:00:00');
  throwsCode(() => parseTime('25:00:00', opts()), '22008');
});

test('timestamp + interval: month-end clamping and local-day steps', () => {
  const iv = (s: string) => parseInterval(s);
  assert.equal(showTs(timestampPlusInterval(ts('2026-01-31 10:00'), iv('1 mon'))), '2026-02-28 10:00:00');
  assert.equal(showTs(timestampPlusInterval(ts('2024-02-29'), iv('1 year'))), '2025-02-28 00:00:00');
  const t = tsz('2026-03-07 12:00-05', NY);
  assert.equal(showTsz(timestamptzPlusInterval(t, iv('1 day'), NY), NY), '2026-03-08 12:00:00-04');
  assert.equal(showTsz(timestamptzPlusInterval(t, iv('24 hours'), NY), NY), '2026-03-08 13:00:00-04');
});

test('timestamp - timestamp and age()', () => {
  assert.equal(formatInterval(timestampDifference(ts('2026-11-21 13:14:15'), ts('2026-01-01'))), '324 days 13:14:15');
  assert.equal(formatInterval(timestampDifference(ts('2026-01-01'), ts('2026-11-21 13:14:15'))), '-324 days -13:14:15');
  assert.equal(formatInterval(ageLocal(ts('2026-11-21'), ts('2000-02-29 12:00'))), '26 years 8 mons 20 days 12:00:00');
  assert.equal(formatInterval(ageLocal(ts('2000-02-29 12:00'), ts('2026-11-21'))), '-26 years -8 mons -20 days -12:00:00');
  assert.equal(formatInterval(ageLocal(ts('2026-03-31'), ts('2026-02-28 13:00'))), '1 mon 2 days 11:00:00');
});

test('date_trunc', () => {
  const t = ts('2026-11-21 13:14:15');
  assert.equal(showTs(dateTrunc('week', t)), '2026-11-16 00:00:00');
  assert.equal(showTs(dateTrunc('quarter', t)), '2026-10-01 00:00:00');
  assert.equal(showTs(dateTrunc('century', ts('2026-11-21'))), '2001-01-01 00:00:00');
  assert.equal(showTs(dateTrunc('millennium', ts('0044-03-15 BC'))), '1000-01-01 00:00:00 BC');
  assert.equal(showTs(dateTrunc('decade', ts('0044-03-15 BC'))), '0051-01-01 00:00:00 BC');
  assert.equal(showTsz(dateTruncTz('day', tsz('2026-03-08 12:00-04', NY), NY), NY), '2026-03-08 00:00:00-05');
  assert.equal(showTsz(dateTruncTz('hour', tsz('2026-11-01 01:30-05', NY), NY), NY), '2026-11-01 01:00:00-05');
  assert.equal(showTsz(dateTruncTz('month', tsz('2026-11-21 13:14:15.5-05', NY), NY), NY), '2026-11-01 00:00:00-04');
  throwsCode(() => dateTrunc('fortnight', t), '22023', 'timestamp units "fortnight" not recognized');
});

test('date_part returns PostgreSQL 11 double precision values', () => {
  assert.equal(datePart('dow', ts('2026-11-21')), 6);
  assert.equal(datePart('isodow', ts('2026-11-22')), 7);
  assert.equal(datePart('week', ts('2026-01-01')), 1);
  assert.equal(datePart('isoyear', ts('2021-01-01')), 2020);
  assert.equal(datePart('doy', ts('2026-11-21')), 325);
  assert.equal(datePart('julian', ts('2026-11-21 12:00')), 2461366.5);
  assert.equal(datePart('century', ts('0044-03-15 BC')), -1);
  assert.equal(datePart('decade', ts('0044-03-15 BC')), -5);
  assert.equal(datePart('millennium', ts('2001-01-01')), 3);
  assert.equal(datePart('epoch', ts('2026-11-21 13:14:15.5')), 1795266855.5);
  assert.equal(datePart('microseconds', ts('2026-11-21 13:14:15.5')), 15500000);
  assert.equal(datePart('year', Infinity), Infinity);
  assert.equal(datePart('hour', Infinity), null);
  const summer = tsz('2026-07-01 12:00', NY);
  assert.equal(datePartTz('timezone', summer, NY), -14400);
  assert.equal(datePartTz('timezone_hour', summer, NY), -4);
  assert.equal(datePartTz('hour', tsz('2026-07-01 12:00+00', UTC), NY), 8);
  assert.equal(datePartInterval('epoch', parseInterval('1 year 2 mons 3 days 04:05:06.5')), 37015506.5);
  assert.equal(datePartInterval('minute', parseInterval('-1:30:20')), -30);
  throwsCode(() => datePart('timezone', ts('2026-01-01')), '0A000');
});
