import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FenceIndex } from './fence-index.js';
import { keyOrderOfRange } from '../engine/key-string.js';
import { compareBytes } from './group-blocks.js';
import { mulberry32 } from '../testing/prng.js';

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

test('floor agrees with a byte-by-byte search for short, zero-padded and long keys sharing their first bytes', () => {
  const rand = mulberry32(11);
  // Bytes from a small alphabet with zeros, lengths 0 to 9: many keys share prefixes, and zeros look like padding.
  const randomKey = (): Uint8Array => Uint8Array.from({ length: Math.floor(rand() * 10) }, () => [0, 1, 2, 255][Math.floor(rand() * 4)]!);
  const cmp = (a: Uint8Array, c: Uint8Array): number => compareBytes(a, 0, a.length, c, 0, c.length);
  const distinct = (keys: Uint8Array[]): Uint8Array[] => keys.sort(cmp).filter((k, i, all) => i === 0 || cmp(all[i - 1]!, k) !== 0);
  for (let round = 0; round < 20; round++) {
    const fences = distinct(Array.from({ length: 1 + Math.floor(rand() * 60) }, randomKey));
    const index = new FenceIndex(fences.slice());
    // Few fences are inserted one by one, many merged in one pass.
    const later = distinct(Array.from({ length: round % 2 === 0 ? 10 : 80 }, randomKey));
    // Repeats of a new fence and of a held one, out of order.
    index.add([...later, ...later.slice(0, 5), ...fences.slice(0, 5)].sort(() => rand() - 0.5));
    // After the merge, the orders still match their fences: fences inserted one by one land right.
    for (const f of later.slice(0, 3)) index.add([Uint8Array.from([...f, 7])]);
    later.push(...later.slice(0, 3).map((f) => Uint8Array.from([...f, 7])));
    const all = distinct([...fences, ...later.slice()]);
    const gone = all[Math.floor(rand() * all.length)]!;
    index.remove(gone);
    const held = all.filter((k) => cmp(k, gone) !== 0);
    assert.equal(index.size, held.length);
    for (let q = 0; q < 200; q++) {
      const key = randomKey();
      const want = held.filter((f) => cmp(f, key) <= 0).pop() ?? null;
      const got = index.floor(key, 0, key.length);
      assert.deepEqual(got && [...got], want && [...want], `key ${[...key]}`);
    }
  }
});

test('floor over many fences sharing their first 6 bytes (text keys of one prefix) finds each by bytes', () => {
  // As a text group key encodes: a flag, a length, then "user_0000000" ...: one order for all.
  const key = (i: number): Uint8Array => Uint8Array.from([1, 12, ...Buffer.from(`user_${String(i).padStart(7, '0')}`)]);
  const fences = Array.from({ length: 5000 }, (_, i) => key(2 * i));
  assert.equal(new Set(fences.map((f) => keyOrderOfRange(f, 0, f.length))).size, 1);
  const index = new FenceIndex(fences.slice());
  index.add([key(3), key(5)]);
  index.remove(key(4));
  for (const [q, want] of [[0, 0], [1, 0], [3, 3], [4, 3], [5, 5], [6, 6], [7, 6], [9999, 9998], [20000, 9998]] as const) {
    assert.deepEqual([...index.floor(key(q), 0, 14)!], [...key(want)], `floor of ${q}`);
  }
  assert.equal(index.floor(Uint8Array.from([1, 11]), 0, 2), null);
});
