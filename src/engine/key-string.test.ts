import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyString } from './key-string.js';

test('keyString is the latin1 reading of the bytes, for short and long keys alike', () => {
  for (const len of [0, 1, 7, 48, 49, 300]) {
    const bytes = Uint8Array.from({ length: len }, (_, i) => (i * 37 + 11) & 0xff);
    assert.equal(keyString(bytes), Buffer.from(bytes).toString('latin1'));
  }
  assert.notEqual(keyString(Uint8Array.of(1, 2)), keyString(Uint8Array.of(2, 1)));
});
