import { test } from 'node:test';
import assert from 'node:assert/strict';
import { digitCount, writeDigits } from './ascii-digits.js';

test('digitCount counts the decimal digits of integers up to 2^53', () => {
  const cases: [number, number][] = [[0, 1], [9, 1], [10, 2], [99, 2], [100, 3], [999_999, 6], [1_000_000, 7], [2 ** 31, 10], [10 ** 15 - 1, 15], [10 ** 15, 16], [2 ** 53 - 1, 16]];
  for (const [v, n] of cases) assert.equal(digitCount(v), n, String(v));
});

test('writeDigits writes the lowest digits zero-padded and answers the end', () => {
  const out = new Uint8Array(24).fill(0x2a);
  assert.equal(writeDigits(out, 2, 6, 4321), 8);
  assert.equal(Buffer.from(out).toString('latin1', 0, 9), '**004321*');
  assert.equal(writeDigits(out, 0, 16, 2 ** 53 - 1), 16);
  assert.equal(Buffer.from(out).toString('latin1', 0, 16), String(2 ** 53 - 1));
  assert.equal(writeDigits(out, 3, 0, 7), 3);
});
