import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combinerFor, encodePartials, forEachPartial } from './partials-codec.js';

test('partials round trip through one buffer', () => {
  const buf = encodePartials([
    { viewOid: 7, keys: [Uint8Array.of(1, 2), Uint8Array.of()], states: [Uint8Array.of(9), Uint8Array.of(8, 8, 8)] },
    { viewOid: 9, keys: [], states: [] },
    { viewOid: 11, keys: [Uint8Array.of(255)], states: [Uint8Array.of()] },
  ]);
  const seen: [number, number[], number[]][] = [];
  forEachPartial(buf, (v, k, s) => seen.push([v, [...k], [...s]]));
  assert.deepEqual(seen, [
    [7, [1, 2], [9]],
    [7, [], [8, 8, 8]],
    [11, [255], []],
  ]);
});

test('combinerFor is stable and spreads keys over every combiner', () => {
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < 4000; i++) counts[combinerFor(new TextEncoder().encode(`key${i}`), 4)]!++;
  for (const c of counts) assert.ok(c > 800, `uneven spread: ${counts}`);
  assert.equal(combinerFor(Uint8Array.of(1, 2, 3), 4), combinerFor(Uint8Array.of(1, 2, 3), 4));
});
