import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteWriter } from '../planner/bytes.js';
import { PackedMerge } from './packed-merge.js';
import { forEachPackedGroup, PackedGroupsWriter } from './packed-groups.js';
import { mulberry32 } from '../testing/prng.js';

const VIEW = 16384;

/** Packed groups of VIEW, in the order given: [key bytes, state byte]. */
function packed(groups: [number[], number][]): Uint8Array {
  const w = new PackedGroupsWriter();
  for (const [key, state] of groups) {
    w.beginGroup(VIEW, Uint8Array.from(key), false);
    w.out.byte(state);
    w.endGroup();
  }
  return w.finish();
}

/** What packed groups hold, as "key:state" in their order. */
function show(bytes: Uint8Array): string[] {
  const out: string[] = [];
  forEachPackedGroup(bytes, (_f, ks, ke, ss) => out.push(`${[...bytes.subarray(ks + 5, ke)]}:${bytes[ss]}`));
  return out;
}

function mergeAll(records: Uint8Array[], chunk: number): { chunks: string[][]; groups: number } {
  const merge = new PackedMerge(records);
  const chunks: string[][] = [];
  let groups = 0;
  while (!merge.done) {
    const out = new ByteWriter();
    const n = merge.next(chunk, out);
    assert.ok(n > 0 && n <= chunk, `a chunk of ${n} groups`);
    groups += n;
    chunks.push(show(out.view()));
  }
  return { chunks, groups };
}

test('records merge in key order, a later record winning, in chunks of the size asked', () => {
  const records = [
    packed([[[1], 10], [[3], 30], [[5], 50]]),
    packed([[[2], 21], [[3], 31]]),
    packed([[[], 1], [[3], 32], [[6], 60], [[6, 0], 61]]),
  ];
  const { chunks, groups } = mergeAll(records, 3);
  assert.deepEqual(chunks, [
    [':1', '1:10', '2:21'],
    ['3:32', '5:50', '6:60'],
    ['6,0:61'],
  ]);
  assert.equal(groups, 7);
  assert.equal(new PackedMerge(records).groupsIn, 9);
  assert.ok(new PackedMerge([]).done);
  assert.ok(new PackedMerge([new Uint8Array(0)]).done);
});

test('a record out of key order, or repeating a key, is sorted, its last repeat winning', () => {
  const { chunks } = mergeAll([packed([[[9], 1], [[2], 2], [[9], 3], [[2], 4], [[5], 5]]), packed([[[5], 6]])], 100);
  assert.deepEqual(chunks, [['2:4', '5:6', '9:3']]);
});

test('random records agree with a map of the latest state of each key', () => {
  const r = mulberry32(7);
  for (let round = 0; round < 50; round++) {
    const model = new Map<string, number>();
    const records: Uint8Array[] = [];
    for (let k = Math.floor(r() * 6); k >= 0; k--) {
      const groups: [number[], number][] = [];
      for (let g = Math.floor(r() * 30); g > 0; g--) {
        const key = Array.from({ length: Math.floor(r() * 3) }, () => Math.floor(r() * 4));
        const state = Math.floor(r() * 256);
        groups.push([key, state]);
      }
      // Most records in key order, as commit slices are.
      if (r() < 0.7) groups.sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])));
      for (const [key, state] of groups) model.set(key.join(','), state);
      records.push(packed(groups));
    }
    const expected = [...model.entries()]
      .sort((a, b) => Buffer.compare(Buffer.from(a[0] === '' ? [] : a[0].split(',').map(Number)), Buffer.from(b[0] === '' ? [] : b[0].split(',').map(Number))))
      .map(([k, s]) => `${k}:${s}`);
    const { chunks } = mergeAll(records, 1 + Math.floor(r() * 5));
    assert.deepEqual(chunks.flat(), expected, `round ${round}`);
  }
});
