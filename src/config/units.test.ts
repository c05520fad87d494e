import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIntWithUnit, parseDuration, parseIntWithUnit, parseMemory } from './units.js';

test('durations convert to the base unit, truncating toward coarser units', () => {
  assert.equal(parseDuration('50ms'), 50);
  assert.equal(parseDuration('5s'), 5000);
  assert.equal(parseDuration('1min'), 60000);
  assert.equal(parseDuration('2h'), 7_200_000);
  assert.equal(parseDuration('1d', 's'), 86400);
  assert.equal(parseDuration('1500ms', 's'), 1);
  assert.equal(parseDuration(' 5 s '), 5000);
  assert.equal(parseDuration('0x10'), 16);
  assert.equal(parseDuration('010'), 8);
  assert.throws(() => parseDuration('5 S'), /Valid units for this parameter are "ms", "s", "min", "h", and "d"/);
  assert.throws(() => parseDuration('1.5s'), RangeError);
});

test('memory amounts convert to kB or MB', () => {
  assert.equal(parseMemory('8kB'), 8);
  assert.equal(parseMemory('256MB'), 262144);
  assert.equal(parseMemory('1GB', 'MB'), 1024);
  assert.equal(parseMemory('2048B'), 2);
  assert.equal(parseMemory('64'), 64);
  assert.throws(() => parseMemory('5 XB'), /"B", "kB", "MB", "GB", and "TB"/);
  assert.throws(() => parseMemory('3000000MB'), /Value exceeds integer range/);
});

test('parseIntWithUnit refuses units on unitless settings and garbage', () => {
  assert.deepEqual(parseIntWithUnit('12', undefined), { ok: true, value: 12 });
  assert.deepEqual(parseIntWithUnit('12ms', undefined), { ok: false });
  assert.deepEqual(parseIntWithUnit('abc', 'ms'), { ok: false });
  assert.deepEqual(parseIntWithUnit('', undefined), { ok: false });
  assert.deepEqual(parseIntWithUnit('-15', undefined), { ok: true, value: -15 });
});

test('formatting picks the largest exact unit, like SHOW', () => {
  assert.equal(formatIntWithUnit(1500, 'ms'), '1500ms');
  assert.equal(formatIntWithUnit(60000, 'ms'), '1min');
  assert.equal(formatIntWithUnit(5400000, 'ms'), '90min');
  assert.equal(formatIntWithUnit(86_400_000, 'ms'), '1d');
  assert.equal(formatIntWithUnit(0, 'ms'), '0');
  assert.equal(formatIntWithUnit(-1, 'ms'), '-1');
  assert.equal(formatIntWithUnit(1024, 'kB'), '1MB');
  assert.equal(formatIntWithUnit(1000, 'kB'), '1000kB');
  assert.equal(formatIntWithUnit(2 * 1024 * 1024, 'kB'), '2GB');
  assert.equal(formatIntWithUnit(60, 's'), '1min');
  assert.equal(formatIntWithUnit(7, undefined), '7');
});
