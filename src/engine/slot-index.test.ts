// SlotIndex against a Map: random inserts and deletes of numeric and string
// key ids, through several table growths and long probe runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyId, type KeyId } from './key-string.js';
import { mulberry32 } from '../testing/prng.js';
import { SlotIndex } from './slot-index.js';

/** A SlotIndex over ids kept per slot, as a FixedTable keeps them in its records. */
function indexWithIds(): { index: SlotIndex; put: (id: KeyId, slot: number) => void } {
  const ids: number[] = [];
  const index = new SlotIndex({ idOf: (slot) => ids[slot]! });
  return {
    index,
    put: (id, slot) => {
      ids[slot] = typeof id === 'number' ? id : NaN;
      index.set(id, slot);
    },
  };
}

test('a SlotIndex finds what a Map finds through inserts, deletes and growth', () => {
  const rand = mulberry32(42);
  const { index, put } = indexWithIds();
  const reference = new Map<KeyId, number>();
  const free: number[] = [];
  let nextSlot = 0;
  // Ids from keys of 0 to 9 bytes: numbers up to 6 bytes, strings beyond; few distinct values so ids repeat.
  const randomId = (): KeyId => {
    const len = Math.floor(rand() * 10);
    const bytes = new Uint8Array(len);
    for (let i = 0; i < len; i++) bytes[i] = rand() < 0.5 ? 0 : Math.floor(rand() * 256);
    if (len > 2) bytes[len - 1] = Math.floor(rand() * 40);
    return keyId(bytes);
  };
  for (let step = 0; step < 60_000; step++) {
    const id = randomId();
    const slot = reference.get(id);
    assert.equal(index.get(id), slot ?? -1, `step ${step}`);
    if (slot === undefined) {
      const s = free.pop() ?? nextSlot++;
      put(id, s);
      reference.set(id, s);
    } else if (rand() < 0.6) {
      index.delete(id, slot);
      reference.delete(id);
      free.push(slot);
    }
    assert.equal(index.size, reference.size);
  }
  assert.ok(reference.size > 1000, `size ${reference.size}`);
  for (const [id, slot] of reference) {
    assert.equal(index.get(id), slot);
    assert.equal(index.idAt(slot), id);
  }
});

test('ids that collide in the table survive deleting the first of their run', () => {
  // Consecutive numeric ids of one length, deleted in every order of three, over a tiny fill.
  const ids = [0, 1, 2, 3, 4, 5, 6, 7].map((v) => keyId(Uint8Array.of(v, 0, 0, 0)));
  for (let skip = 0; skip < ids.length; skip++) {
    const { index, put } = indexWithIds();
    ids.forEach((id, s) => put(id, s));
    index.delete(ids[skip]!, skip);
    ids.forEach((id, s) => assert.equal(index.get(id), s === skip ? -1 : s));
  }
});

test('clear() empties the index for the next batch, and shrinks it after a much larger one', () => {
  const { index, put } = indexWithIds();
  for (let s = 0; s < 100_000; s++) put(s, s);
  const big = (index as unknown as { buckets: Int32Array }).buckets.length;
  index.clear();
  assert.equal(index.size, 0);
  assert.equal(index.get(5), -1);
  // Mostly empty when cleared: the next batch starts small.
  put(7, 0);
  index.clear();
  const small = (index as unknown as { buckets: Int32Array }).buckets.length;
  assert.ok(small < big / 8, `${small} against ${big}`);
  // Still correct after shrinking, with strings too.
  put(3, 0);
  put('a-long-string-key', 1);
  assert.equal(index.get(3), 0);
  assert.equal(index.get('a-long-string-key'), 1);
  index.clear();
  assert.equal(index.get('a-long-string-key'), -1);
  assert.equal(index.get(3), -1);
});
