// Expected values come from PostgreSQL (15 as the oracle).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './index.js';
import { PgError } from '../../errors.js';
import { dateToDays } from '../../types/datetime.js';
import { OID } from '../../types/oids.js';
import { call } from './test-support.js';

const { text } = OID;
const DAY = 86_400_000_000;
const ts = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => dateToDays(y, mo, d) * DAY + ((h * 60 + mi) * 60 + s) * 1e6;
const toTs = (a: string, f: string) => call('to_timestamp', [text, text], [a, f]);
const toDate = (a: string, f: string) => call('to_date', [text, text], [a, f]);

test('to_timestamp(text, text)', () => {
  assert.equal(toTs('2018-03-04 15:07:09', 'YYYY-MM-DD HH24:MI:SS'), ts(2018, 3, 4, 15, 7, 9));
  assert.equal(toTs('05 Dec 2000', 'DD Mon YYYY'), ts(2000, 12, 5));
  assert.equal(toTs('20180304', 'YYYYMMDD'), ts(2018, 3, 4));
  assert.equal(toTs('2018-3-4 3:07 PM', 'YYYY-MM-DD HH:MI AM'), ts(2018, 3, 4, 15, 7));
  assert.equal(toTs('12:30', 'HH24:MI'), ts(0, 1, 1, 12, 30));
  assert.equal(toTs('2018-03-04 15:07:09.5', 'YYYY-MM-DD HH24:MI:SS.MS'), ts(2018, 3, 4, 15, 7, 9.5));
  assert.equal(toTs('2018-03-04 15:07:09.123456', 'YYYY-MM-DD HH24:MI:SS.US'), ts(2018, 3, 4, 15, 7, 9) + 123456);
  assert.equal(toTs('1-1-1 BC', 'YYYY-MM-DD BC'), ts(0, 1, 1));
  assert.throws(
    () => toTs('13:00 PM', 'HH12:MI PM'),
    (e: unknown) => e instanceof PgError && e.code === '22007' && e.message === 'hour "13" is invalid for the 12-hour clock',
  );
});

test('to_date(text, text)', () => {
  assert.equal(toDate('18-03-04', 'YY-MM-DD'), dateToDays(2018, 3, 4));
  assert.equal(toDate('2018 063', 'YYYY DDD'), dateToDays(2018, 3, 4));
  assert.equal(toDate('March 4, 2018', 'Month DD, YYYY'), dateToDays(2018, 3, 4));
  assert.equal(toDate('2451545', 'J'), 0);
  assert.throws(
    () => toDate('2018-13-01', 'YYYY-MM-DD'),
    (e: unknown) => e instanceof PgError && e.code === '22008' && e.message === 'date/time field value out of range: "2018-13-01"',
  );
  assert.throws(
    () => toDate('2018-xx-01', 'YYYY-MM-DD'),
    (e: unknown) => e instanceof PgError && e.code === '22007' && e.message === 'invalid value "xx" for "MM"',
  );
});
