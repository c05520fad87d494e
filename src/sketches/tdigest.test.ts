import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TDigest, TDIGEST_DEFAULT_COMPRESSION } from './tdigest.js';
import { deserializeTDigest, serializeTDigest } from './tdigest-codec.js';
import { mulberry32 as rng } from '../testing/prng.js';


function uniform(n: number, seed: number): Float64Array {
  const r = rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = r() * 1000;
  return out;
}

function exponential(n: number, seed: number): Float64Array {
  const r = rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = -Math.log(1 - r());
  return out;
}

function lognormal(n: number, seed: number): Float64Array {
  const r = rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    out[i] = Math.exp(z);
  }
  return out;
}

/** PostgreSQL percentile_cont over sorted values (same lerp form as float8_lerp). */
function percentileCont(sorted: Float64Array, q: number): number {
  const p = q * (sorted.length - 1);
  const lo = Math.floor(p);
  const hi = Math.ceil(p);
  if (lo === hi) return sorted[lo]!;
  return sorted[lo]! + (p - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Fraction of sorted values below x: the true rank of an estimate. */
function trueRank(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo / sorted.length;
}

function digestOf(values: Float64Array, compression = TDIGEST_DEFAULT_COMPRESSION): TDigest {
  const d = new TDigest(compression);
  for (let i = 0; i < values.length; i++) d.add(values[i]!);
  return d;
}

for (const [name, gen] of [
  ['uniform', uniform],
  ['exponential', exponential],
  ['lognormal', lognormal],
] as const) {
  test(`10^6 ${name} values: p50/p99 within 1% of the range and 0.2% in rank`, () => {
    const values = gen(1_000_000, 42);
    const d = digestOf(values);
    const sorted = values.slice().sort();
    const range = sorted[sorted.length - 1]! - sorted[0]!;
    assert.equal(d.count, 1_000_000);
    assert.equal(d.min, sorted[0]);
    assert.equal(d.max, sorted[sorted.length - 1]);
    assert.equal(d.isExact, false);
    // PipelineDB sizes its centroid array ceil(pi * compression / 2) + 1 (316 at 200).
    const bound = Math.ceil((Math.PI * TDIGEST_DEFAULT_COMPRESSION) / 2) + 1;
    assert.ok(d.centroidCount <= bound && d.centroidCount >= TDIGEST_DEFAULT_COMPRESSION / 2, `centroids ${d.centroidCount}`);
    for (const q of [0.01, 0.5, 0.99, 0.999]) {
      const est = d.quantile(q)!;
      const truth = percentileCont(sorted, q);
      assert.ok(Math.abs(est - truth) <= 0.01 * range, `q=${q} est=${est} truth=${truth}`);
      assert.ok(Math.abs(trueRank(sorted, est) - q) <= 0.002, `q=${q} rank=${trueRank(sorted, est)}`);
    }
    assert.equal(d.quantile(0), sorted[0]);
    assert.equal(d.quantile(1), sorted[sorted.length - 1]);
  });
}

test('small inputs match percentile_cont exactly', () => {
  const r = rng(7);
  for (let trial = 0; trial < 200; trial++) {
    const n = 1 + Math.floor(r() * TDIGEST_DEFAULT_COMPRESSION);
    const values = new Float64Array(n);
    // Few distinct values in half the trials, to exercise ties.
    const spread = trial % 2 === 0 ? 5 : 1e6;
    for (let i = 0; i < n; i++) values[i] = Math.floor(r() * spread) - spread / 3 + (trial % 2 === 0 ? 0 : r());
    const d = digestOf(values);
    assert.equal(d.isExact, true);
    const sorted = values.slice().sort();
    for (let k = 0; k <= 40; k++) {
      const q = k / 40;
      assert.equal(d.quantile(q), percentileCont(sorted, q), `n=${n} q=${q}`);
    }
    const q = r();
    assert.equal(d.quantile(q), percentileCont(sorted, q));
  }
});

test('small inputs: known percentile_cont answers and the exact boundary', () => {
  const d = new TDigest();
  for (const v of [1, 2, 3, 4]) d.add(v);
  assert.equal(d.quantile(0.5), 2.5);
  assert.equal(d.quantile(0.25), 1.75);
  assert.equal(d.quantile(0.75), 3.25);
  // Weighted adds count as repeated values.
  const w = new TDigest();
  w.add(10, 3);
  w.add(20);
  assert.equal(w.count, 4);
  assert.equal(w.quantile(0.5), 10);
  assert.equal(w.quantile(0.75), 12.5);
  // Exactly `compression` values stay exact; one more turns approximate.
  const e = new TDigest(20);
  for (let i = 0; i < 20; i++) e.add(i);
  assert.equal(e.isExact, true);
  assert.equal(e.quantile(0.5), 9.5);
  e.add(20);
  assert.equal(e.isExact, false);
});

test('merging exact partials stays exact and equals one digest', () => {
  const values = uniform(150, 3);
  const whole = digestOf(values);
  const a = digestOf(values.subarray(0, 40));
  const b = digestOf(values.subarray(40, 100));
  const c = digestOf(values.subarray(100));
  c.merge(a);
  c.merge(b);
  assert.equal(c.isExact, true);
  assert.deepEqual(serializeTDigest(c), serializeTDigest(whole));
});

test('merge of random splits in random order stays within error of one digest', () => {
  const values = lognormal(200_000, 11);
  const sorted = values.slice().sort();
  const single = digestOf(values);
  const r = rng(99);
  const parts: TDigest[] = [];
  for (let p = 0; p < 8; p++) parts.push(new TDigest());
  for (let i = 0; i < values.length; i++) parts[Math.floor(r() * 8)]!.add(values[i]!);
  // Fisher-Yates shuffle of the arrival order.
  for (let i = parts.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [parts[i], parts[j]] = [parts[j]!, parts[i]!];
  }
  const merged = new TDigest();
  for (const p of parts) merged.merge(p);
  assert.equal(merged.count, values.length);
  assert.equal(merged.min, single.min);
  assert.equal(merged.max, single.max);
  for (const q of [0.01, 0.25, 0.5, 0.75, 0.99]) {
    const m = merged.quantile(q)!;
    const s = single.quantile(q)!;
    assert.ok(Math.abs(trueRank(sorted, m) - trueRank(sorted, s)) <= 0.003, `q=${q} merged=${m} single=${s}`);
    assert.ok(Math.abs(trueRank(sorted, m) - q) <= 0.003, `q=${q} merged rank ${trueRank(sorted, m)}`);
  }

  // Same partials in the same order -> identical bytes.
  const again = new TDigest();
  for (const p of parts) again.merge(p);
  assert.deepEqual(serializeTDigest(again), serializeTDigest(merged));
  // Merge is commutative exactly: a+b has the same state as b+a.
  const ab = parts[0]!.clone();
  ab.merge(parts[1]!);
  const ba = parts[1]!.clone();
  ba.merge(parts[0]!);
  assert.deepEqual(serializeTDigest(ab), serializeTDigest(ba));
  // Merging does not modify its argument.
  const before = serializeTDigest(parts[2]!.clone());
  ab.merge(parts[2]!);
  assert.deepEqual(serializeTDigest(parts[2]!), before);
});

test('cdf is monotone and inverts quantile', () => {
  const values = exponential(100_000, 5);
  const d = digestOf(values);
  let prev = -1;
  for (let x = -0.5; x <= 14; x += 0.01) {
    const c = d.cdf(x)!;
    assert.ok(c >= prev && c >= 0 && c <= 1, `x=${x} cdf=${c} prev=${prev}`);
    prev = c;
  }
  assert.equal(d.cdf(-1), 0);
  assert.equal(d.cdf(d.max! + 1), 1);
  for (const q of [0.001, 0.1, 0.5, 0.9, 0.999]) {
    const x = d.quantile(q)!;
    assert.ok(Math.abs(d.cdf(x)! - q) < 1e-9, `q=${q} cdf(quantile)=${d.cdf(x)}`);
  }
  // Exact mode: distinct values sit at rank i/(N-1); ties take the middle of their run.
  const small = new TDigest();
  for (const v of [1, 2, 2, 2, 3]) small.add(v);
  assert.equal(small.cdf(1), 0);
  assert.equal(small.cdf(2), 0.5);
  assert.equal(small.cdf(3), 1);
  assert.equal(small.cdf(1.5), 0.125);
});

test('serialize/deserialize round trip is exact', () => {
  for (const d of [digestOf(lognormal(50_000, 8)), digestOf(uniform(57, 2)), new TDigest(), digestOf(uniform(1, 1), 35)]) {
    const bytes = serializeTDigest(d);
    assert.equal(bytes[0], 1);
    const back = deserializeTDigest(bytes);
    assert.deepEqual(serializeTDigest(back), bytes);
    assert.equal(back.count, d.count);
    assert.equal(back.compression, d.compression);
    assert.equal(back.isExact, d.isExact);
    assert.equal(back.min, d.min);
    assert.equal(back.max, d.max);
    for (const q of [0, 0.05, 0.5, 0.95, 1]) assert.equal(back.quantile(q), d.quantile(q));
    // Further adds continue identically.
    back.add(3.5);
    d.add(3.5);
    assert.deepEqual(serializeTDigest(back), serializeTDigest(d));
  }
  const good = serializeTDigest(digestOf(uniform(10, 4)));
  const badVersion = good.slice();
  badVersion[0] = 2;
  assert.throws(() => deserializeTDigest(badVersion), /version 2/);
  assert.throws(() => deserializeTDigest(good.subarray(0, good.length - 1)), /wrong length/);
  assert.throws(() => deserializeTDigest(good.subarray(0, 10)), /truncated/);
  const badWeight = good.slice();
  new DataView(badWeight.buffer).setFloat64(good.length - 8, 0.5, true);
  assert.throws(() => deserializeTDigest(badWeight), /weight/);
});

test('edge cases: empty, one value, all equal, non-finite input', () => {
  const empty = new TDigest();
  assert.equal(empty.count, 0);
  assert.equal(empty.quantile(0.5), null);
  assert.equal(empty.cdf(1), null);
  assert.equal(empty.min, null);
  assert.equal(empty.max, null);
  const merged = new TDigest();
  merged.merge(empty);
  assert.equal(merged.count, 0);

  const one = new TDigest();
  one.add(-7.25);
  for (const q of [0, 0.3, 1]) assert.equal(one.quantile(q), -7.25);
  assert.equal(one.cdf(-8), 0);
  assert.equal(one.cdf(-7.25), 0.5);
  assert.equal(one.cdf(0), 1);

  const same = new TDigest();
  for (let i = 0; i < 5000; i++) same.add(42);
  assert.equal(same.isExact, false);
  for (const q of [0, 0.01, 0.5, 0.99, 1]) assert.equal(same.quantile(q), 42);
  assert.equal(same.cdf(42), 0.5);
  assert.equal(same.cdf(41.9), 0);

  const self = digestOf(uniform(300, 6));
  self.merge(self);
  assert.equal(self.count, 600);

  const d = new TDigest();
  assert.throws(() => d.add(NaN), RangeError);
  assert.throws(() => d.add(Infinity), RangeError);
  assert.throws(() => d.add(-Infinity), RangeError);
  assert.throws(() => d.add(1, 0), RangeError);
  assert.throws(() => d.add(1, 1.5), RangeError);
  assert.equal(d.count, 0);
  d.add(1);
  assert.throws(() => d.quantile(1.5), RangeError);
  assert.throws(() => d.quantile(-0.1), RangeError);
  assert.throws(() => d.quantile(NaN), RangeError);
  assert.throws(() => d.cdf(NaN), RangeError);
  assert.throws(() => new TDigest(10), RangeError);
  assert.throws(() => new TDigest(1001), RangeError);
  // -0 is stored as 0 so merges of equal data are byte-identical.
  const z = new TDigest();
  z.add(-0);
  assert.ok(Object.is(z.quantile(0.5), 0));
});
