import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CountMinSketch, cmsHash } from './cmsketch.js';
import { PgError } from '../errors.js';
import { int8Bytes, seededRandom, zipfStream } from './cmsketch-test-streams.js';

function trueCounts(stream: Int32Array): Map<number, number> {
  const m = new Map<number, number>();
  for (const v of stream) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

test('dimensions follow PipelineDB formulas', () => {
  const d = CountMinSketch.withErrorBounds();
  assert.equal(d.depth, 6);
  assert.equal(d.width, 1360);
  const s = CountMinSketch.withErrorBounds(0.01, 0.99);
  assert.equal(s.depth, 5);
  assert.equal(s.width, 272);
  assert.throws(() => CountMinSketch.withErrorBounds(0, 0.9), RangeError);
  assert.throws(() => CountMinSketch.withErrorBounds(0.1, 1), RangeError);
});

test('exact counts for a few values, total and freq_norm', () => {
  const cms = CountMinSketch.withErrorBounds();
  const enc = new TextEncoder();
  cms.add(enc.encode('a'));
  cms.add(enc.encode('a'), 4);
  cms.add(enc.encode('b'), 2);
  assert.equal(cms.estimate(enc.encode('a')), 5);
  assert.equal(cms.estimate(enc.encode('b')), 2);
  assert.equal(cms.estimate(enc.encode('c')), 0);
  assert.equal(cms.total, 7);
  assert.equal(cms.normalizedFrequency(enc.encode('a')), 5 / 7);
  assert.ok(Number.isNaN(CountMinSketch.withErrorBounds().normalizedFrequency(enc.encode('a'))));
  const h = new Uint32Array(2);
  cmsHash(enc.encode('a'), h);
  assert.equal(cms.estimateHashed(h[0]!, h[1]!), 5);
});

test('conservative update raises only the minimum counters', () => {
  // Two values sharing row 0's column but not row 1's: the second add must not lift
  // the first value's private counter.
  const cms = new CountMinSketch(2, 10);
  cms.addHashed(3, 1, 5); // columns: row0 3, row1 4
  cms.addHashed(3, 2, 2); // columns: row0 3, row1 5
  assert.deepEqual(Array.from(cms.table), [0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 2, 0, 0, 0, 0]);
  assert.equal(cms.estimateHashed(3, 1), 5);
  assert.equal(cms.estimateHashed(3, 2), 2);
});

test('counts saturate at 2^32-1 and are validated', () => {
  const cms = new CountMinSketch(2, 4);
  cms.addHashed(1, 1, 0xffffffff);
  cms.addHashed(1, 1, 5);
  assert.equal(cms.estimateHashed(1, 1), 0xffffffff);
  assert.equal(cms.total, 0xffffffff + 5);
  assert.throws(() => cms.addHashed(1, 1, -1), RangeError);
  assert.throws(() => cms.addHashed(1, 1, 1.5), RangeError);
  assert.throws(() => cms.addHashed(1, 1, 2 ** 32), RangeError);
});

test('never underestimates; error within eps*N for at least p of values', () => {
  const eps = 0.01;
  const p = 0.99;
  const stream = zipfStream(60_000, 8_000, 1.1, 7);
  const cms = CountMinSketch.withErrorBounds(eps, p);
  const buf = new Uint8Array(8);
  for (const v of stream) cms.add(int8Bytes(v, buf));
  assert.equal(cms.total, stream.length);
  const counts = trueCounts(stream);
  let over = 0;
  for (const [v, c] of counts) {
    const est = cms.estimate(int8Bytes(v, buf));
    assert.ok(est >= c, `value ${v}: estimate ${est} < true ${c}`);
    if (est - c > eps * stream.length) over++;
  }
  // Allowed failure rate 1 - p = 1%; 2% gives slack for sampling noise.
  assert.ok(over <= 0.02 * counts.size, `${over} of ${counts.size} values over the error bound`);
});

test('merge adds counters cell-wise and keeps the bounds', () => {
  const eps = 0.01;
  const stream = zipfStream(40_000, 5_000, 1.1, 11);
  const rand = seededRandom(99);
  const parts = [0, 1, 2].map(() => CountMinSketch.withErrorBounds(eps, 0.99));
  const buf = new Uint8Array(8);
  for (const v of stream) {
    int8Bytes(v, buf);
    parts[Math.floor(rand() * 3)]!.add(buf);
  }
  const merged = parts[0]!.clone();
  merged.merge(parts[1]!);
  merged.merge(parts[2]!);
  for (let i = 0; i < merged.table.length; i++) {
    assert.equal(merged.table[i], parts[0]!.table[i]! + parts[1]!.table[i]! + parts[2]!.table[i]!);
  }
  assert.equal(merged.total, stream.length);
  // Merge order does not matter.
  const other = parts[2]!.clone();
  other.merge(parts[0]!);
  other.merge(parts[1]!);
  assert.deepEqual(other.table, merged.table);

  const counts = trueCounts(stream);
  let over = 0;
  for (const [v, c] of counts) {
    const est = merged.estimate(int8Bytes(v, buf));
    assert.ok(est >= c, `value ${v}: merged estimate ${est} < true ${c}`);
    if (est - c > eps * stream.length) over++;
  }
  assert.ok(over <= 0.02 * counts.size, `${over} of ${counts.size} values over the error bound`);
});

test('merge without conservative effects equals adding everything', () => {
  // One value per sketch, all in distinct columns: conservative update is then
  // plain addition, so merged counters must equal the single sketch's exactly.
  const a = new CountMinSketch(3, 50);
  const b = new CountMinSketch(3, 50);
  const all = new CountMinSketch(3, 50);
  a.addHashed(1, 7, 3); all.addHashed(1, 7, 3);
  b.addHashed(2, 7, 4); all.addHashed(2, 7, 4);
  b.addHashed(1, 7, 2); all.addHashed(1, 7, 2);
  a.merge(b);
  assert.deepEqual(a.table, all.table);
  assert.equal(a.total, all.total);
  assert.equal(a.estimateHashed(1, 7), 5);
});

test('merge rejects different dimensions', () => {
  const a = new CountMinSketch(3, 50);
  assert.throws(() => a.merge(new CountMinSketch(3, 51)), (e: unknown) =>
    e instanceof PgError && e.code === 'XX000' && e.message === 'cannot merge count-min sketches of different sizes');
});

test('serialize/deserialize round trip is exact', () => {
  const cms = CountMinSketch.withErrorBounds();
  const rand = seededRandom(5);
  const buf = new Uint8Array(8);
  for (let i = 0; i < 5000; i++) cms.add(int8Bytes(Math.floor(rand() * 300), buf), 1 + (i % 3));
  const bytes = cms.serialize();
  assert.equal(bytes[0], 1);
  assert.equal(bytes.length, 20 + 6 * 1360 * 4);
  const back = CountMinSketch.deserialize(bytes);
  assert.equal(back.depth, cms.depth);
  assert.equal(back.width, cms.width);
  assert.equal(back.total, cms.total);
  assert.deepEqual(back.table, cms.table);
  assert.deepEqual(back.serialize(), bytes);
  // A copy inside a larger buffer at an odd offset also decodes.
  const padded = new Uint8Array(bytes.length + 3);
  padded.set(bytes, 3);
  assert.deepEqual(CountMinSketch.deserialize(padded.subarray(3)).table, cms.table);

  const wrongVersion = bytes.slice();
  wrongVersion[0] = 2;
  assert.throws(() => CountMinSketch.deserialize(wrongVersion), PgError);
  assert.throws(() => CountMinSketch.deserialize(bytes.subarray(0, bytes.length - 1)), PgError);
});
