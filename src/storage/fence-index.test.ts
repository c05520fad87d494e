import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FenceIndex } from './fence-index.js';

const b = (...x: number[]): Uint8Array => Uint8Array.from(x);
const at = (index: FenceIndex, ...key: number[]): number[] | null => {
  const f = index.floor(b(...key), 0, key.length);
  return f ? [...f] : null;
};

test('floor is the greatest fence not above the key', () => {
  const index = new FenceIndex([b(), b(2), b(2, 5), b(7)]);
  assert.deepEqual(at(index), []);
  assert.deepEqual(at(index, 1, 255), []);
  assert.deepEqual(at(index, 2), [2]);
  assert.deepEqual(at(index, 2, 4, 9), [2]);
  assert.deepEqual(at(index, 2, 5), [2, 5]);
  assert.deepEqual(at(index, 6, 255, 255), [2, 5]);
  assert.deepEqual(at(index, 7), [7]);
  assert.deepEqual(at(index, 255), [7]);
  // A key inside a longer buffer.
  assert.deepEqual(index.floor(b(9, 9, 2, 6), 2, 4) && [...index.floor(b(9, 9, 2, 6), 2, 4)!], [2, 5]);
  assert.equal(new FenceIndex([b(3)]).floor(b(2), 0, 1), null);
  assert.equal(new FenceIndex([]).floor(b(2), 0, 1), null);
});

test('add merges fences in any order and skips known ones; remove forgets one', () => {
  const index = new FenceIndex([b(2), b(7)]);
  index.add([b(9), b(1), b(7), b(4), b(4)]);
  assert.equal(index.size, 5);
  assert.deepEqual([1, 2, 4, 5, 7, 8, 9, 10].map((k) => at(index, k)), [[1], [2], [4], [4], [7], [7], [9], [9]]);
  // By value: an equal array of its own removes the fence.
  index.remove(b(4));
  assert.equal(index.size, 4);
  assert.deepEqual(at(index, 5), [2]);
  // Not held (gone, or between two held, or below all): nothing happens.
  for (const absent of [b(4), b(3), b(0), b(9, 0)]) index.remove(absent);
  assert.equal(index.size, 4);
  assert.deepEqual([1, 2, 7, 8, 9].map((k) => at(index, k)), [[1], [2], [7], [7], [9]]);
});
