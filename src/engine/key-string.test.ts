import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyId, keyIdBytes, keyIdOfOrder, keyIdOrder, keyIdsInOrder, keyOrderOfRange, keyString, writeKeyOfOrder } from './key-string.js';
import { mulberry32 } from '../testing/prng.js';

test('keyString is the latin1 reading of the bytes, for short and long keys alike', () => {
  for (const len of [0, 1, 7, 48, 49, 300]) {
    const bytes = Uint8Array.from({ length: len }, (_, i) => (i * 37 + 11) & 0xff);
    assert.equal(keyString(bytes), Buffer.from(bytes).toString('latin1'));
  }
  assert.notEqual(keyString(Uint8Array.of(1, 2)), keyString(Uint8Array.of(2, 1)));
});

test('keyId numbers short keys exactly and round-trips every key', () => {
  // Ids and byte strings correspond one to one: distinct bytes, distinct ids.
  const ids = new Set<number | string>();
  const byteStrings = new Set<string>();
  for (const len of [0, 1, 2, 5, 6, 7, 48, 49]) {
    for (const fill of [0, 1, 0x7f, 0xff]) {
      const bytes = Uint8Array.from({ length: len }, (_, i) => (fill + i * 53) & 0xff);
      const id = keyId(bytes);
      assert.equal(typeof id, len <= 6 ? 'number' : 'string');
      assert.deepEqual([...keyIdBytes(id)], [...bytes]);
      ids.add(id);
      byteStrings.add(Buffer.from(bytes).toString('hex') + '/' + len);
    }
  }
  assert.equal(ids.size, byteStrings.size);
  // Keys differing only in length (trailing zero bytes) stay distinct.
  const zeros = [0, 1, 2, 3, 6].map((n) => keyId(new Uint8Array(n)));
  assert.equal(new Set(zeros).size, 5);
  assert.equal(keyId(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff)), 6 * 2 ** 48 + (2 ** 48 - 1));
  assert.ok(Number.isSafeInteger(keyId(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff)) as number));
});

test('keyIdOrder sorts keys as their bytes compare (storage order)', () => {
  // Keys of 0-9 bytes, many zero bytes (prefixes and zero padding are the hard cases).
  const rand = mulberry32(3);
  const keys = Array.from({ length: 3000 }, () =>
    Uint8Array.from({ length: Math.floor(rand() * 10) }, () => (rand() < 0.3 ? 0 : rand() < 0.1 ? 0xff : Math.floor(rand() * 256))),
  );
  keys.push(new Uint8Array(0), Uint8Array.of(0), Uint8Array.of(0, 0), Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff));
  const byOrder = (a: Uint8Array, b: Uint8Array): number => {
    const ia = keyId(a);
    const ib = keyId(b);
    const d = keyIdOrder(ia) - keyIdOrder(ib);
    if (d !== 0) return d;
    // Equal orders: both longer than 6 bytes (strings), or the same key.
    if (ia !== ib) assert.ok(typeof ia === 'string' && typeof ib === 'string');
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  };
  const hex = (k: Uint8Array) => Buffer.from(k).toString('hex') + '/' + k.length;
  const expected = [...keys].sort((a, b) => Buffer.compare(a, b)).map(hex);
  assert.deepEqual([...keys].sort(byOrder).map(hex), expected);
  // keyIdsInOrder (what commits use) gives the same order, also with no key longer than 6 bytes.
  assert.deepEqual(Array.from(keyIdsInOrder(keys.map(keyId)), (j) => hex(keys[j]!)), expected);
  const short = keys.filter((k) => k.length <= 6);
  assert.deepEqual(Array.from(keyIdsInOrder(short.map(keyId)), (j) => hex(short[j]!)), [...short].sort((a, b) => Buffer.compare(a, b)).map(hex));
  for (const k of keys) assert.ok(Number.isSafeInteger(keyIdOrder(keyId(k))));
  // The order read from the bytes in place (the fence index's) is the same number, also inside a larger buffer.
  for (const k of keys) {
    assert.equal(keyOrderOfRange(k, 0, k.length), keyIdOrder(keyId(k)), hex(k));
    const framed = Uint8Array.from([7, ...k, 9]);
    assert.equal(keyOrderOfRange(framed, 1, 1 + k.length), keyIdOrder(keyId(k)), hex(k));
  }
});

test('keyIdOfOrder gives back the numeric key id of every key of up to 6 bytes', () => {
  const rand = mulberry32(9);
  const keys = Array.from({ length: 3000 }, () =>
    Uint8Array.from({ length: Math.floor(rand() * 7) }, () => (rand() < 0.3 ? 0 : rand() < 0.1 ? 0xff : Math.floor(rand() * 256))),
  );
  keys.push(new Uint8Array(0), Uint8Array.of(0), new Uint8Array(6), new Uint8Array(6).fill(0xff));
  for (const k of keys) {
    const id = keyId(k) as number;
    assert.equal(keyIdOfOrder(keyIdOrder(id)), id, Buffer.from(k).toString('hex'));
  }
});

test('writeKeyOfOrder writes the bytes of every key of up to 6 bytes from its order', () => {
  const rand = mulberry32(10);
  const keys = Array.from({ length: 3000 }, () =>
    Uint8Array.from({ length: Math.floor(rand() * 7) }, () => (rand() < 0.3 ? 0 : rand() < 0.1 ? 0xff : Math.floor(rand() * 256))),
  );
  keys.push(new Uint8Array(0), Uint8Array.of(0), new Uint8Array(6), new Uint8Array(6).fill(0xff));
  const out = new Uint8Array(10).fill(0xaa);
  for (const k of keys) {
    out.fill(0xaa);
    const n = writeKeyOfOrder(keyIdOrder(keyId(k)), out, 2);
    assert.equal(n, k.length);
    assert.deepEqual([...out.subarray(2, 2 + n)], [...k], Buffer.from(k).toString('hex'));
    // Nothing written around the key.
    assert.ok(out.subarray(0, 2).every((b) => b === 0xaa) && out.subarray(2 + n).every((b) => b === 0xaa));
  }
});
