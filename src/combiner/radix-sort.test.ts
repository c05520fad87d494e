import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../testing/prng.js';
import { radixSortWithPayload } from './radix-sort.js';

test('radix sort orders keys below 2^53 as a comparison sort does, payload alongside', () => {
  const rand = mulberry32(11);
  for (const [n, bits] of [[0, 8], [1, 8], [2, 8], [31, 51], [32, 8], [33, 51], [1000, 8], [5000, 24], [20_000, 51], [3000, 52]] as const) {
    const keys = new Float64Array(n);
    const payload = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      // Some keys repeat (a small range) and some share their high digits.
      keys[i] = Math.floor(rand() * 2 ** Math.min(bits, 30)) * 2 ** Math.max(0, bits - 30) + (i % 7);
      payload[i] = i;
    }
    const expected = Array.from(keys, (k, i) => [k, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    radixSortWithPayload(keys, payload, n);
    assert.deepEqual(Array.from(keys), expected.map((e) => e[0]), `keys, n=${n}`);
    // Stable: equal keys keep their original order, so the payload matches exactly.
    assert.deepEqual(Array.from(payload), expected.map((e) => e[1]), `payload, n=${n}`);
  }
});

test('radix sort sorts only the first n entries', () => {
  const keys = Float64Array.of(5, 3, 9, 1, 0);
  const payload = Int32Array.of(50, 30, 90, 10, 0);
  radixSortWithPayload(keys, payload, 3);
  assert.deepEqual([...keys], [3, 5, 9, 1, 0]);
  assert.deepEqual([...payload], [30, 50, 90, 10, 0]);
  // A prefix of a larger array.
  const many = Float64Array.from({ length: 100 }, (_, i) => 100 - i);
  const tags = Int32Array.from({ length: 100 }, (_, i) => i);
  radixSortWithPayload(many, tags, 40);
  assert.deepEqual([...many.subarray(0, 40)], Array.from({ length: 40 }, (_, i) => 61 + i));
  assert.deepEqual([...tags.subarray(0, 40)], Array.from({ length: 40 }, (_, i) => 39 - i));
  assert.deepEqual([...many.subarray(40)], Array.from({ length: 60 }, (_, i) => 60 - i));
});

test('radix sort sorts on the bits that differ wherever they lie: low half, high half, across bit 32, or none', () => {
  const rand = mulberry32(5);
  const cases: [string, () => number][] = [
    // cv1's orders: 6 key bytes (a flag, int4 ids up to 1 M) times 8 plus the length.
    ['cv1 orders', () => ((1 * 256 + 0x80) * 2 ** 32 + Math.floor(rand() * 1_000_000)) * 8 + 5],
    ['high half only', () => Math.floor(rand() * 2 ** 20) * 2 ** 33 + 12345],
    ['across bit 32', () => 7 * 2 ** 40 + Math.floor(rand() * 2 ** 8) * 2 ** 28],
    ['bit 0 and bit 52', () => (rand() < 0.5 ? 2 ** 52 : 0) + (rand() < 0.5 ? 1 : 0)],
    ['all equal', () => 2 ** 45 + 3],
  ];
  for (const [what, make] of cases) {
    const n = 3000;
    const keys = Float64Array.from({ length: n }, make);
    const payload = Int32Array.from({ length: n }, (_, i) => i);
    const expected = Array.from(keys, (k, i) => [k, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    radixSortWithPayload(keys, payload, n);
    assert.deepEqual(Array.from(keys), expected.map((e) => e[0]), what);
    assert.deepEqual(Array.from(payload), expected.map((e) => e[1]), what);
  }
});
