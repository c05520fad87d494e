import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteWriter } from '../planner/bytes.js';
import { BlockBuilder, BlockReader, compareBytes, fenceEndOf, FILL_BLOCK_BYTES, MAX_BLOCK_BYTES, writeBlock } from './group-blocks.js';
import { MAX_FENCE_BYTES } from './storage-key.js';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

/** A block value of the groups at [start, end) of a builder's bytes, without an upper bound. */
const asBlock = (body: Uint8Array, start = 0, end = body.length): Uint8Array => writeBlock(new ByteWriter(16), null, 0, 0, body, start, end).slice();

/** The groups of a builder's bytes [start, end), read back as a block. */
function groupsOf(body: Uint8Array, start = 0, end = body.length): [number[], number[]][] {
  const block = asBlock(body, start, end);
  const r = new BlockReader().reset(block, 0, block.length);
  const out: [number[], number[]][] = [];
  while (r.next()) out.push([[...block.subarray(r.keyStart, r.keyEnd)], [...block.subarray(r.stateStart, r.stateEnd)]]);
  return out;
}

test('compareBytes orders as LMDB does: bytewise, a prefix first', () => {
  const a = bytes(1, 2, 3);
  assert.equal(compareBytes(a, 0, 3, bytes(1, 2, 3), 0, 3), 0);
  assert.equal(compareBytes(a, 0, 2, a, 0, 3), -1);
  assert.equal(compareBytes(a, 0, 3, a, 0, 2), 1);
  assert.equal(compareBytes(bytes(1, 255), 0, 2, bytes(2), 0, 1), -1);
  assert.equal(compareBytes(bytes(), 0, 0, bytes(0), 0, 1), -1);
  assert.equal(compareBytes(bytes(9, 1, 2), 1, 3, bytes(1, 2), 0, 2), 0);
});

test('a block reads back the groups added, empty keys and long lengths included', () => {
  const b = new BlockBuilder();
  const long = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
  b.add(bytes(), 0, 0, bytes(7), 0, 1);
  b.add(bytes(1), 0, 1, long, 0, 300);
  b.add(long, 0, 200, bytes(), 0, 0);
  const body = b.buf.slice(0, b.pos);
  const groups = groupsOf(body);
  assert.deepEqual(groups[0], [[], [7]]);
  assert.deepEqual(groups[1], [[1], [...long]]);
  assert.deepEqual(groups[2], [[...long.subarray(0, 200)], []]);
  assert.equal(groups.length, 3);

  const block = asBlock(body);
  const r = new BlockReader().reset(block, 0, block.length);
  assert.equal(r.hasUpper, false);
  assert.equal(r.belowUpper(bytes(255, 255), 0, 2), true);
  assert.equal(r.find(bytes(1), 0, 1), true);
  assert.deepEqual([...block.subarray(r.stateStart, r.stateEnd)], [...long]);
  assert.equal(new BlockReader().reset(block, 0, block.length).find(bytes(0), 0, 1), false);
  assert.equal(new BlockReader().reset(block, 0, block.length).find(bytes(2), 0, 1), false);
});

test('a block keeps its upper bound; a truncated block is refused with XX001', () => {
  const b = new BlockBuilder();
  b.add(bytes(1, 2), 0, 2, bytes(3, 4, 5), 0, 3);
  const block = writeBlock(new ByteWriter(16), bytes(9, 1, 2), 1, 3, b.buf, 0, b.pos).slice();
  const r = new BlockReader().reset(block, 0, block.length);
  assert.equal(r.hasUpper, true);
  assert.deepEqual([...block.subarray(r.upperStart, r.upperEnd)], [1, 2]);
  // Keys below [1, 2] are within the bound; [1, 2] itself and above are not.
  assert.equal(r.belowUpper(bytes(1, 1, 9), 0, 3), true);
  assert.equal(r.belowUpper(bytes(1), 0, 1), true);
  assert.equal(r.belowUpper(bytes(1, 2), 0, 2), false);
  assert.equal(r.belowUpper(bytes(1, 2, 0), 0, 3), false);
  assert.equal(r.next(), true);
  assert.deepEqual([...block.subarray(r.keyStart, r.keyEnd)], [1, 2]);
  assert.equal(r.next(), false);
  const read = (n: number): void => {
    const r2 = new BlockReader().reset(block, 0, n);
    while (r2.next());
  };
  // Cut anywhere but right after the 3-byte header (a block of no groups).
  read(3);
  for (let n = 1; n < block.length; n++) {
    if (n !== 3) assert.throws(() => read(n), (e: { code?: string }) => e.code === 'XX001', `cut at ${n}`);
  }
  // A length running past the end, in a continuation byte.
  assert.throws(() => new BlockReader().reset(bytes(0x80), 0, 1), (e: { code?: string }) => e.code === 'XX001');
});

test('cut: one block when it fits, else filled blocks whose fences are their first keys', () => {
  const b = new BlockBuilder();
  const state = new Uint8Array(30).fill(9);
  b.add(bytes(0), 0, 1, state, 0, 30);
  assert.deepEqual(b.cut(), [[0, b.pos, 1, 2]]);

  b.reset();
  const n = 200;
  for (let i = 0; i < n; i++) b.add(bytes(i >> 8, i & 0xff), 0, 2, state, 0, 30);
  const blocks = b.cut();
  assert.ok(b.pos > MAX_BLOCK_BYTES);
  assert.ok(blocks.length > 1);
  let next = 0;
  const seen: number[] = [];
  for (const [start, end, ks, ke] of blocks as [number, number, number, number][]) {
    assert.equal(start, next, 'blocks are contiguous');
    next = end;
    assert.ok(end - start <= MAX_BLOCK_BYTES, 'no block over the maximum');
    const groups = groupsOf(b.buf, start, end);
    // The fence is the block's first key.
    assert.deepEqual([...b.buf.subarray(ks, ke)], groups[0]![0]);
    for (const [k] of groups) seen.push((k[0]! << 8) | k[1]!);
  }
  assert.equal(next, b.pos);
  assert.deepEqual(seen, Array.from({ length: n }, (_, i) => i));
  // Every block but the last is filled to FILL_BLOCK_BYTES.
  for (const [start, end] of blocks.slice(0, -1) as [number, number][]) assert.ok(end - start >= FILL_BLOCK_BYTES);
});

test('cut: a group larger than a block gets a block of its own', () => {
  const b = new BlockBuilder();
  const big = new Uint8Array(5000).fill(1);
  b.add(bytes(1), 0, 1, bytes(1), 0, 1);
  b.add(bytes(2), 0, 1, big, 0, big.length);
  b.add(bytes(3), 0, 1, bytes(3), 0, 1);
  const blocks = b.cut();
  assert.deepEqual(
    blocks.map(([s, e]) => groupsOf(b.buf, s, e).map(([k]) => k[0])),
    [[1, 2], [3]],
  );
});

test('fenceEndOf: a key LMDB can key fences whole; a longer one by its shortest prefix above the key before', () => {
  const key = (prefix: number, fill: number, last: number): Uint8Array => {
    const k = new Uint8Array(prefix + 1).fill(fill);
    k[prefix] = last;
    return k;
  };
  const end = (before: Uint8Array, k: Uint8Array): number => {
    const buf = new Uint8Array(before.length + k.length);
    buf.set(before, 0);
    buf.set(k, before.length);
    const e = fenceEndOf(buf, 0, before.length, before.length, buf.length);
    return e < 0 ? e : e - before.length;
  };
  const short = key(10, 7, 9);
  assert.equal(end(key(10, 7, 1), short), 11, 'a short key is its own fence');
  const long = key(3000, 7, 9);
  // They first differ at byte 0, at byte 100, and where the key before ends.
  assert.equal(end(key(3000, 6, 9), long), 1);
  const at100 = long.slice();
  at100[100] = 6;
  assert.equal(end(at100, long), 101);
  assert.equal(end(long.subarray(0, 500), long), 501);
  // They share MAX_FENCE_BYTES bytes or more: no block may start here.
  assert.equal(end(key(3000, 7, 1), long), -1);
  assert.equal(end(long.subarray(0, MAX_FENCE_BYTES), long), -1);
  assert.equal(end(long.subarray(0, MAX_FENCE_BYTES - 1), long), MAX_FENCE_BYTES);
});

test('cut: keys too long to fence a block are fenced by prefixes, or kept together', () => {
  const b = new BlockBuilder();
  const state = new Uint8Array(30).fill(9);
  // 40 keys of 2,500 bytes in 4 families that differ at byte 0; within a family they differ only at the end.
  const keys: Uint8Array[] = [];
  for (let family = 0; family < 4; family++) {
    for (let i = 0; i < 10; i++) {
      const k = new Uint8Array(2500).fill(family);
      k[2499] = i;
      keys.push(k);
    }
  }
  for (const k of keys) b.add(k, 0, k.length, state, 0, state.length);
  const blocks = b.cut() as [number, number, number, number][];
  // A family shares 2,499 bytes: it cannot be cut, so each family is a block, fenced by its first byte.
  assert.deepEqual(
    blocks.map(([s, e]) => groupsOf(b.buf, s, e).map(([k]) => `${k[0]}:${k[2499]}`)),
    [0, 1, 2, 3].map((f) => Array.from({ length: 10 }, (_, i) => `${f}:${i}`)),
  );
  blocks.slice(1).forEach(([, , fs, fe], i) => assert.deepEqual([...b.buf.subarray(fs, fe)], [i + 1]));
});

test('cut: random keys around MAX_FENCE_BYTES long give fences LMDB can key, between each block and the one before', () => {
  let seed = 7;
  const rand = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  for (let round = 0; round < 200; round++) {
    const base = new Uint8Array(MAX_FENCE_BYTES + 8).fill(0x61);
    const keys: Uint8Array[] = [];
    const n = 2 + Math.floor(rand() * 20);
    for (let i = 0; i < n; i++) {
      // Half of them long (MAX_FENCE_BYTES - 3 .. + 3 bytes), differing from the base at a random byte, often near the end.
      const len = rand() < 0.5 ? MAX_FENCE_BYTES - 3 + Math.floor(rand() * 7) : 1 + Math.floor(rand() * 40);
      const k = base.slice(0, len);
      const at = rand() < 0.5 ? Math.max(0, len - 1 - Math.floor(rand() * 8)) : Math.floor(rand() * len);
      k[at] = Math.floor(rand() * 256);
      keys.push(k);
    }
    const sorted = [...new Map(keys.map((k) => [Buffer.from(k).toString('hex'), k])).values()].sort((a, b) => compareBytes(a, 0, a.length, b, 0, b.length));
    const b = new BlockBuilder();
    const state = new Uint8Array(200).fill(3);
    for (const k of sorted) b.add(k, 0, k.length, state, 0, state.length);
    const blocks = b.cut() as [number, number, number, number][];
    let next = 0;
    const seen: Uint8Array[] = [];
    blocks.forEach(([start, end, fs, fe], i) => {
      assert.equal(start, next, 'blocks are contiguous');
      next = end;
      const groups = groupsOf(b.buf, start, end).map(([k]) => Uint8Array.from(k));
      assert.ok(groups.length > 0, 'no empty block');
      if (i > 0) {
        const fence = b.buf.subarray(fs, fe);
        const first = groups[0]!;
        const before = seen[seen.length - 1]!;
        assert.ok(fence.length <= MAX_FENCE_BYTES, 'LMDB can key the fence');
        assert.ok(compareBytes(fence, 0, fence.length, first, 0, first.length) <= 0, 'the fence is not above the block\'s first key');
        assert.ok(compareBytes(fence, 0, fence.length, before, 0, before.length) > 0, 'the fence is above the key before');
      }
      seen.push(...groups);
    });
    assert.equal(next, b.pos);
    assert.deepEqual(seen.map((k) => Buffer.from(k).toString('hex')), sorted.map((k) => Buffer.from(k).toString('hex')));
  }
});
