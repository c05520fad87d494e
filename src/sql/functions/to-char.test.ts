// Expected values come from PostgreSQL (15 as the oracle).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './index.js';
import { dateToDays } from '../../types/datetime.js';
import { parseNumeric } from '../../types/numeric.js';
import { OID } from '../../types/oids.js';
import { Interval } from '../../types/values.js';
import { call, testContext } from './test-support.js';

const { text, timestamp, timestamptz, interval, numeric, int4, float8 } = OID;
const H = 3_600_000_000;

test('to_char(timestamptz) with the common patterns', () => {
  const ctx = testContext();
  ctx.io.timeZone = 'America/New_York';
  const t = dateToDays(2018, 3, 4) * 86_400_000_000 + (20 * 3600 + 7 * 60 + 9) * 1e6 + 123456; // 15:07:09.123456-05
  const fmt =
    'YYYY-MM-DD HH24:MI:SS.MS.US HH12 HH am PM A.M. Mon MON mon Month| Day| Dy DY dy DDD D J Q W WW IW IYYY CC RM rm TZ tz OF SSSS Y,YYY YYY YY Y FMDD FMMonth| DDth ddTH FMDDth BC b.c.';
  assert.equal(
    call('to_char', [timestamptz, text], [t, fmt], ctx),
    '2018-03-04 15:07:09.123.123456 03 03 pm PM P.M. Mar MAR mar March    | Sunday   | Sun SUN sun 063 1 2458182 1 1 09 09 2018 21 III  iii  EST est -05 54429 2,018 018 18 8 4 March| 04th 04TH 4th AD a.d.',
  );
});

test('to_char(timestamp) and to_char(interval)', () => {
  const midnight = dateToDays(2018, 3, 4) * 86_400_000_000;
  assert.equal(call('to_char', [timestamp, text], [midnight, 'HH12 TZ|']), '12 |');
  assert.equal(call('to_char', [timestamp, text], [midnight, 'FMMM/FMDD/YYYY Dth']), '3/4/2018 1st');
  assert.equal(call('to_char', [timestamp, text], [dateToDays(-43, 3, 15) * 86_400_000_000, 'YYYY BC AD']), '0044 BC BC');
  assert.equal(call('to_char', [timestamp, text], [midnight, '"YYYY" YYYY']), 'YYYY 2018');
  assert.equal(call('to_char', [timestamp, text], [Infinity, 'YYYY']), null);
  assert.equal(call('to_char', [interval, text], [new Interval(0, 1, 27 * H + 5 * 60e6 + 6e6), 'DD HH24:MI:SS HH12']), '01 27:05:06 03');
});

test('to_char(number)', () => {
  const n = (v: string, f: string) => call('to_char', [numeric, text], [parseNumeric(v), f]);
  const cases: [string, string, string][] = [
    ['-12', '999', ' -12'], ['12', '999', '  12'], ['-12.5', '999.9', ' -12.5'], ['5', '000', ' 005'], ['-5', '000', '-005'],
    ['0.5', '9.99', '  .50'], ['0.5', '0.99', ' 0.50'], ['1.5', 'FM9.99', '1.5'], ['1', 'FM9.99', '1.'], ['12', 'S999', ' +12'],
    ['-12', 'S999', ' -12'], ['12', '999S', ' 12+'], ['-12', '999MI', ' 12-'], ['12', '999MI', ' 12 '], ['-12', '999PR', ' <12>'],
    ['12', '999PR', '  12 '], ['1234567.891', '9,999,999.99', ' 1,234,567.89'], ['123', '9,999', '   123'], ['12345', '999', ' ###'],
    ['12.345', '99D99', ' 12.35'], ['-0.5', '9.9', ' -.5'], ['0', '999', '   0'], ['0', '9.99', '  .00'], ['12', 'PL999', '+  12'],
    ['-12', 'SG999', '- 12'], ['12', 'FMS999', '+12'], ['1.999', '9.99', ' 2.00'], ['9.999', '9.99', ' #.##'], ['-1234', 'FM9,999', '-1,234'],
    ['485', '09999', ' 00485'], ['123456789', '999G999G999', ' 123,456,789'], ['12', '99.00', ' 12.00'], ['1.1', 'FM990.00', '1.10'],
  ];
  for (const [v, f, want] of cases) assert.equal(n(v, f), want, `to_char(${v}, '${f}')`);
  assert.equal(call('to_char', [int4, text], [-12, '999']), ' -12');
  assert.equal(call('to_char', [float8, text], [1.5, '9.9']), ' 1.5');
});
