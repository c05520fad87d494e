import { test } from 'node:test';
import assert from 'node:assert/strict';
import { murmurHash3x64_128, murmurHash3x64_128Hex } from './hash.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

test('MurmurHash3_x64_128 SMHasher verification value 0x6384BA69', () => {
  // Hash keys {}, {0}, {0,1}, ... {0..254} with seed 256 - len, then hash the
  // concatenated 16-byte outputs with seed 0: the first 4 bytes are the
  // published verification value. Covers every tail length and the block loop.
  const key = new Uint8Array(256);
  const all = new Uint8Array(256 * 16);
  const out = new Uint32Array(4);
  for (let i = 0; i < 256; i++) {
    key[i] = i;
    murmurHash3x64_128(key, 256 - i, 0, out, 0, i);
    const view = new DataView(all.buffer, i * 16, 16);
    for (let w = 0; w < 4; w++) view.setUint32(w * 4, out[w]!, true);
  }
  murmurHash3x64_128(all, 0, 0, out);
  assert.equal(out[0], 0x6384ba69);
});

test('MurmurHash3_x64_128 known digests', () => {
  assert.equal(murmurHash3x64_128Hex(new Uint8Array(0)), '00000000000000000000000000000000');
  // h1 = 0xe34bbc7bbc071b6c, h2 = 0x7a433ca9c49a9347
  assert.equal(murmurHash3x64_128Hex(utf8('The quick brown fox jumps over the lazy dog')), '6c1b07bc7bbc4be347939ac4a93c437a');
});

test('a 64-bit seed sets both lanes; subarray bounds are honoured', () => {
  const data = utf8('xxhello world!yy');
  const a = new Uint32Array(4);
  const b = new Uint32Array(4);
  murmurHash3x64_128(data, 7, 0, a, 2, 14);
  murmurHash3x64_128(utf8('hello world!'), 7, 0, b);
  assert.deepEqual(a, b);
  murmurHash3x64_128(utf8('hello world!'), 7, 1, b);
  assert.notDeepEqual(a, b);
});
