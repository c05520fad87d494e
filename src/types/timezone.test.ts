import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidTimeZone, localToUtc, lookupAbbreviation, offsetAt, resolveTimeZoneSetting, resolveZoneName, zoneAbbrevAt } from './timezone.js';
import { PG_EPOCH_USECS } from './values.js';

const at = (iso: string) => Date.parse(iso) * 1000 - PG_EPOCH_USECS;

test('offsets across DST in New York, Berlin and Kolkata', () => {
  const ny = resolveTimeZoneSetting('America/New_York')!;
  assert.equal(offsetAt(ny, at('2026-03-08T06:59:59Z')), -18000);
  assert.equal(offsetAt(ny, at('2026-03-08T07:00:00Z')), -14400);
  assert.equal(zoneAbbrevAt(ny, at('2026-07-01T00:00:00Z')), 'EDT');
  const berlin = resolveTimeZoneSetting('europe/berlin')!;
  assert.equal(berlin.name, 'Europe/Berlin');
  assert.equal(offsetAt(berlin, at('2026-10-25T00:59:59Z')), 7200);
  assert.equal(offsetAt(berlin, at('2026-10-25T01:00:00Z')), 3600);
  assert.equal(zoneAbbrevAt(berlin, at('2026-07-01T00:00:00Z')), 'CEST');
  assert.equal(zoneAbbrevAt(berlin, at('2026-01-01T00:00:00Z')), 'CET');
  const kolkata = resolveTimeZoneSetting('Asia/Kolkata')!;
  assert.equal(offsetAt(kolkata, at('2026-07-01T00:00:00Z')), 19800);
  assert.equal(zoneAbbrevAt(kolkata, at('2026-07-01T00:00:00Z')), 'IST');
});

test('local -> UTC picks standard time in overlaps and the earlier offset in gaps', () => {
  const ny = resolveTimeZoneSetting('America/New_York')!;
  assert.equal(localToUtc(ny, at('2018-11-04T01:30:00Z')), at('2018-11-04T06:30:00Z'));
  assert.equal(localToUtc(ny, at('2018-03-11T02:30:00Z')), at('2018-03-11T07:30:00Z'));
  assert.equal(localToUtc(ny, at('2018-07-04T12:00:00Z')), at('2018-07-04T16:00:00Z'));
});

test('settings: numbers are hours east, POSIX specs are hours west', () => {
  assert.equal(resolveTimeZoneSetting('+02')!.fixedOffset, 7200);
  assert.equal(resolveTimeZoneSetting('-7')!.fixedOffset, -25200);
  assert.equal(resolveTimeZoneSetting('UTC+3')!.fixedOffset, -10800);
  assert.equal(resolveTimeZoneSetting('-05:30')!.fixedOffset, 19800);
  assert.equal(resolveTimeZoneSetting('UTC')!.fixedOffset, 0);
  assert.equal(isValidTimeZone('Mars/Olympus'), false);
  assert.equal(isValidTimeZone('EST5EDT'), true);
  assert.equal(lookupAbbreviation('cest')!.offset, 7200);
  assert.equal(resolveZoneName('PST')!.fixedOffset, -28800);
});
