import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BucketMap, bucketCount, bucketCounts } from './bucket-map.js';
import { mulberry32 } from '../testing/prng.js';

const enc = new TextEncoder();
const v = (s: string) => enc.encode(s);

type Row = [value: string | null, bucket: number, ts: number];

function mapOf(rows: readonly Row[]): BucketMap {
  const m = new BucketMap();
  for (const [x, b, t] of rows) m.add(x === null ? null : v(x), b, t);
  return m;
}

test('a value moves to the bucket of its latest assignment', () => {
  const m = mapOf([['a', 0, 10], ['b', 0, 11], ['a', 1, 12]]);
  assert.equal(m.size, 2);
  assert.equal(m.bucketOf(v('a')), 1);
  assert.equal(m.bucketOf(v('b')), 0);
  assert.equal(m.bucketOf(v('c')), undefined);
  // An older timestamp does not move it back.
  m.add(v('a'), 0, 5);
  assert.equal(m.bucketOf(v('a')), 1);
  // An equal timestamp goes to the larger bucket id, whatever the order.
  m.add(v('a'), -3, 12);
  assert.equal(m.bucketOf(v('a')), 1);
  m.add(v('a'), 7, 12);
  assert.equal(m.bucketOf(v('a')), 7);
  assert.deepEqual(bucketCounts(m.serialize()), { ids: [0, 7], counts: [1, 1] });
});

test('NULL is one value of its own; infinite timestamps order', () => {
  const m = mapOf([[null, 2, 1], [null, 4, 2], ['', 1, 0], ['x', 3, -Infinity], ['x', -1, Infinity]]);
  assert.equal(m.size, 3);
  assert.equal(m.bucketOf(null), 4);
  assert.equal(m.bucketOf(v('')), 1);
  assert.equal(m.bucketOf(v('x')), -1);
  const bytes = m.serialize();
  assert.deepEqual(bucketCounts(bytes), { ids: [-1, 1, 4], counts: [1, 1, 1] });
  assert.equal(bucketCount(bytes, 4), 1);
  assert.equal(bucketCount(bytes, 3), 0);
});

test('counts per bucket over many values, across table growth', () => {
  const m = new BucketMap();
  for (let i = 0; i < 10_000; i++) m.add(v(String(i)), i % 10, i);
  // Every even value moves to bucket 11 later.
  for (let i = 0; i < 10_000; i += 2) m.add(v(String(i)), 11, 20_000 + i);
  assert.equal(m.size, 10_000);
  const bytes = m.serialize();
  assert.equal(bytes.length, 5 + 18 * 10_000);
  assert.deepEqual(bucketCounts(bytes), { ids: [1, 3, 5, 7, 9, 11], counts: [1000, 1000, 1000, 1000, 1000, 5000] });
  assert.equal(bucketCount(bytes, 11), 5000);
  assert.equal(bucketCount(bytes, 0), 0);
});

test('serialize round trip keeps every assignment and gives the same bytes', () => {
  const m = mapOf([['a', 1, 100], ['b', 2, 200], [null, -32768, 300], ['c', 32767, -5]]);
  const bytes = m.serialize();
  assert.equal(bytes[0], 1);
  const back = BucketMap.deserialize(bytes);
  assert.equal(back.size, 4);
  assert.equal(back.bucketOf(v('a')), 1);
  assert.equal(back.bucketOf(v('b')), 2);
  assert.equal(back.bucketOf(null), -32768);
  assert.equal(back.bucketOf(v('c')), 32767);
  assert.deepEqual(back.serialize(), bytes);
  // The timestamps survive: an assignment older than c's stored one loses.
  back.add(v('c'), 0, -6);
  assert.equal(back.bucketOf(v('c')), 32767);
  back.add(v('c'), 0, -4);
  assert.equal(back.bucketOf(v('c')), 0);
  const empty = new BucketMap().serialize();
  assert.deepEqual(Array.from(empty), [1, 0, 0, 0, 0]);
  assert.deepEqual(bucketCounts(empty), { ids: [], counts: [] });
});

test('deserialize rejects what serialize never produces', () => {
  const bytes = mapOf([['a', 1, 1], ['b', 2, 2]]).serialize();
  assert.throws(() => BucketMap.deserialize(bytes.subarray(0, 4)), /too short/);
  assert.throws(() => BucketMap.deserialize(Uint8Array.of(2, 0, 0, 0, 0)), /version 2/);
  assert.throws(() => BucketMap.deserialize(bytes.subarray(0, bytes.length - 1)), /length/);
  assert.throws(() => bucketCounts(bytes.subarray(0, bytes.length - 1)), /length/);
  const swapped = bytes.slice();
  swapped.set(bytes.subarray(5, 13), 13);
  swapped.set(bytes.subarray(13, 21), 5);
  assert.throws(() => BucketMap.deserialize(swapped), /out of order/);
  const nan = bytes.slice();
  new DataView(nan.buffer).setFloat64(5 + 16 + 4, NaN, true);
  assert.throws(() => BucketMap.deserialize(nan), /NaN/);
});

/** Random rows over few values, buckets and timestamps, so moves and ties are common. */
function randomRows(rand: () => number, n: number): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const x = Math.floor(rand() * 40);
    rows.push([x === 0 ? null : `v${x}`, Math.floor(rand() * 9) - 4, Math.floor(rand() * 30)]);
  }
  return rows;
}

/** The expected map, computed directly: per value the greatest (ts, bucket). */
function expectedBuckets(rows: readonly Row[]): Map<string | null, number> {
  const best = new Map<string | null, [number, number]>();
  for (const [x, b, t] of rows) {
    const cur = best.get(x);
    if (!cur || t > cur[0] || (t === cur[0] && b > cur[1])) best.set(x, [t, b]);
  }
  return new Map([...best].map(([x, [, b]]) => [x, b]));
}

test('merging partial maps over random splits equals one map of all rows', () => {
  const rand = mulberry32(20240611);
  for (let round = 0; round < 200; round++) {
    const rows = randomRows(rand, 1 + Math.floor(rand() * 120));
    const whole = mapOf(rows);
    const expected = expectedBuckets(rows);
    assert.equal(whole.size, expected.size);
    for (const [x, b] of expected) assert.equal(whole.bucketOf(x === null ? null : v(x)), b);
    const wholeBytes = whole.serialize();

    // Split into random contiguous parts (each part is a partial state).
    const parts: Row[][] = [[]];
    for (const r of rows) {
      if (rand() < 0.2) parts.push([]);
      parts[parts.length - 1]!.push(r);
    }
    // Left fold, right fold (associativity) and a shuffled order (commutativity).
    const left = parts.map(mapOf).reduce((a, b) => a.mergeFrom(b));
    const right = parts.map(mapOf).reduceRight((a, b) => b.mergeFrom(a));
    const shuffled = parts.map(mapOf);
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    // Merged through their bytes, as views store them.
    const viaBytes = shuffled.reduce((a, b) => BucketMap.deserialize(a.serialize()).mergeFrom(BucketMap.deserialize(b.serialize())));
    assert.deepEqual(left.serialize(), wholeBytes);
    assert.deepEqual(right.serialize(), wholeBytes);
    assert.deepEqual(viaBytes.serialize(), wholeBytes);
    // Idempotent: merging a state into itself changes nothing.
    assert.deepEqual(whole.mergeFrom(BucketMap.deserialize(wholeBytes)).serialize(), wholeBytes);
  }
});
