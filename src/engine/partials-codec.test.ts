import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combinerFor, forEachPartialAt, PartialsWriter } from './partials-codec.js';

/** Every group of a message, with views of its key and states. */
function forEachPartial(buf: ArrayBuffer, onGroup: (viewOid: number, key: Uint8Array, state: Uint8Array) => void): void {
  forEachPartialAt(buf, (viewOid, bytes, keyStart, keyEnd, stateStart, stateEnd) =>
    onGroup(viewOid, bytes.subarray(keyStart, keyEnd), bytes.subarray(stateStart, stateEnd)),
  );
}

test('partials round trip through one buffer', () => {
  const pw = new PartialsWriter();
  const add = (viewOid: number, key: Uint8Array, state: Uint8Array): void => {
    pw.beginGroup(viewOid, key).bytes(state);
    pw.endGroup();
  };
  add(7, Uint8Array.of(1, 2), Uint8Array.of(9));
  add(7, Uint8Array.of(), Uint8Array.of(8, 8, 8));
  add(11, Uint8Array.of(255), Uint8Array.of());
  const buf = pw.finish();
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

test('a PartialsWriter rolled back to a mark drops what was written after it, and is reusable', () => {
  const pw = new PartialsWriter();
  for (let round = 0; round < 2; round++) {
    pw.reset();
    assert.ok(pw.empty);
    pw.beginGroup(7, Uint8Array.of(1)).bytes(Uint8Array.of(10, 11));
    assert.equal(pw.endGroup(), 3);
    const mark = pw.mark();
    // A view that fails half way: one group of view 7 more, then view 8.
    pw.beginGroup(7, Uint8Array.of(2)).bytes(Uint8Array.of(20));
    pw.endGroup();
    pw.beginGroup(8, Uint8Array.of(3)).bytes(Uint8Array.of(30));
    pw.endGroup();
    pw.rollback(mark);
    pw.beginGroup(7, Uint8Array.of(4)).bytes(new Uint8Array(5000).fill(4));
    pw.endGroup();
    pw.beginGroup(9, new Uint8Array(0)).bytes(Uint8Array.of());
    pw.endGroup();
    const seen: [number, number[], number][] = [];
    forEachPartial(pw.finish(), (v, k, st) => seen.push([v, [...k], st.length]));
    assert.deepEqual(seen, [
      [7, [1], 2],
      [7, [4], 5000],
      [9, [], 0],
    ]);
  }
});
