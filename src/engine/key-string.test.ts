import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyId, keyIdBytes, keyString } from './key-string.js';

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
