import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BloomFilter, BLOOM_DEFAULT_N, BLOOM_DEFAULT_P } from './bloom.js';

const bytes = new Uint8Array(8);
const view = new DataView(bytes.buffer);
function int8Bytes(v: number): Uint8Array {
  view.setBigInt64(0, BigInt(v), true);
  return bytes;
}

test('PipelineDB defaults: p = 0.02, n = 32768 -> m, k', () => {
  assert.equal(BLOOM_DEFAULT_P, 0.02);
  assert.equal(BLOOM_DEFAULT_N, 32768);
  const bf = BloomFilter.withPAndN();
  // m = -ceil(32768 * ln 0.02 / ln^2 2), k = round(ln 2 * m / n)
  assert.equal(bf.m, 266808);
  assert.equal(bf.k, 6);
  const small = BloomFilter.withPAndN(0.01, 1000);
  assert.equal(small.m, 9585);
  assert.equal(small.k, 7);
  assert.throws(() => BloomFilter.withPAndN(0, 10), /p must be in \(0, 1\)/);
  assert.throws(() => BloomFilter.withPAndN(1, 10), /p must be in \(0, 1\)/);
  assert.throws(() => BloomFilter.withPAndN(0.1, 0), /n must be greater than or equal to 1/);
});

for (const [p, n] of [[0.02, 32768], [0.01, 5000], [0.1, 2000]] as const) {
  test(`no false negatives; false-positive rate within p = ${p} at n = ${n}`, () => {
    const bf = BloomFilter.withPAndN(p, n);
    for (let v = 0; v < n; v++) bf.addBytes(int8Bytes(v * 7919));
    for (let v = 0; v < n; v++) assert.equal(bf.containsBytes(int8Bytes(v * 7919)), true);
    const trials = 100_000;
    let fp = 0;
    for (let v = 0; v < trials; v++) if (bf.containsBytes(int8Bytes(-1 - v))) fp++;
    const rate = fp / trials;
    // Slack: p plus five binomial standard deviations and 10% for rounding m, k.
    const bound = p * 1.1 + 5 * Math.sqrt((p * (1 - p)) / trials);
    assert.ok(rate <= bound, `rate ${rate} > ${bound}`);
    assert.ok(rate > p / 4, `rate ${rate} implausibly low`);
  });
}

test('cardinality estimate as bloom_cardinality computes it', () => {
  const bf = BloomFilter.withPAndN();
  assert.equal(bf.cardinality(), 0);
  for (let v = 0; v < 10_000; v++) bf.addBytes(int8Bytes(v));
  const x = bf.bitCount();
  assert.equal(bf.cardinality(), Math.trunc((-bf.m * Math.log(1 - x / bf.m)) / bf.k));
  assert.ok(Math.abs(bf.cardinality() - 10_000) < 200, `${bf.cardinality()}`);
  bf.addBytes(int8Bytes(0)); // a repeat does not move it
  assert.equal(bf.bitCount(), x);
});

test('union and intersection semantics', () => {
  const a = BloomFilter.withPAndN(0.01, 4000);
  const b = BloomFilter.withPAndN(0.01, 4000);
  const both = BloomFilter.withPAndN(0.01, 4000);
  for (let v = 0; v < 2000; v++) a.addBytes(int8Bytes(v));
  for (let v = 1000; v < 3000; v++) b.addBytes(int8Bytes(v));
  for (let v = 0; v < 3000; v++) both.addBytes(int8Bytes(v));
  const u = a.clone().union(b);
  assert.deepEqual(u.serialize(), both.serialize()); // union == adding everything
  for (let v = 0; v < 3000; v++) assert.equal(u.containsBytes(int8Bytes(v)), true);
  const i = a.clone().intersect(b);
  for (let v = 1000; v < 2000; v++) assert.equal(i.containsBytes(int8Bytes(v)), true);
  let onlyOne = 0;
  for (let v = 0; v < 1000; v++) if (i.containsBytes(int8Bytes(v))) onlyOne++;
  for (let v = 2000; v < 3000; v++) if (i.containsBytes(int8Bytes(v))) onlyOne++;
  assert.ok(onlyOne < 100, `${onlyOne} one-sided values still present`);
  // Bits shared by chance make the intersection's estimate run high, never
  // below the true overlap by more than noise, and never above either input.
  const ic = i.cardinality();
  assert.ok(ic > 950 && ic <= Math.min(a.cardinality(), b.cardinality()), `${ic}`);
  assert.throws(() => a.union(BloomFilter.withPAndN(0.02, 4000)), /same p/);
  assert.throws(() => a.intersect(new BloomFilter(a.m, a.k + 1)), /same n/);
});

test('serialize / deserialize round trip', () => {
  for (const bf of [BloomFilter.withPAndN(), BloomFilter.withPAndN(0.3, 3), new BloomFilter(33, 2), new BloomFilter(32, 1)]) {
    for (let v = 0; v < 50; v++) bf.addBytes(int8Bytes(v));
    const s = bf.serialize();
    const back = BloomFilter.deserialize(s);
    assert.equal(back.m, bf.m);
    assert.equal(back.k, bf.k);
    assert.deepEqual(back.serialize(), s);
    for (let v = 0; v < 50; v++) assert.equal(back.containsBytes(int8Bytes(v)), true);
  }
  const s = new BloomFilter(33, 2).serialize();
  assert.throws(() => BloomFilter.deserialize(s.subarray(0, s.length - 1)), /length/);
  const bad = s.slice();
  bad[bad.length - 4] = 0xff; // bits past m = 33 in the last word
  bad[bad.length - 1] = 0x00;
  assert.throws(() => BloomFilter.deserialize(bad), /past m/);
  assert.throws(() => BloomFilter.deserialize(Uint8Array.of(9, ...s.subarray(1))), /version/);
});

test('probe positions are (h1 + i * h2) mod 2^64 mod m, as PipelineDB computes them', () => {
  const mask = (1n << 64n) - 1n;
  for (const m of [266808, 97, 0x4000001 * 3]) {
    for (const [h1, h2] of [[0xfffffffffffffff0n, 0x7fffffffffffffffn], [0x123456789abcdefn, 0xfedcba9876543210n], [5n, 0xffffffffffffffffn]]) {
      const bf = new BloomFilter(m, 7);
      const split = (x: bigint): [number, number] => [Number(x & 0xffffffffn), Number(x >> 32n)];
      const [aLo, aHi] = split(h1);
      const [bLo, bHi] = split(h2);
      bf.add(aLo, aHi, bLo, bHi);
      const expected = new BloomFilter(m, 1);
      for (let i = 0n; i < 7n; i++) {
        const pos = Number(((h1 + i * h2) & mask) % BigInt(m));
        expected.add(pos, 0, 0, 0); // k = 1, h2 = 0: sets exactly bit pos
      }
      assert.deepEqual(bf.serialize().subarray(7), expected.serialize().subarray(7), `m ${m}`);
      assert.equal(bf.contains(aLo, aHi, bLo, bHi), true);
    }
  }
});

test('probe positions agree between the fast and the wide modulo paths', () => {
  // m > 2^26 takes the split reduction; compare against BigInt arithmetic.
  const bf = new BloomFilter(0x4000001 * 3, 3);
  const probe = (bf as unknown as { reduce(lo: number, hi: number): number }).reduce.bind(bf);
  for (const [lo, hi] of [[0, 0], [0xffffffff, 0xffffffff], [0x12345678, 0x9abcdef0], [1, 0x80000000]] as const) {
    const expected = Number(((BigInt(hi) << 32n) | BigInt(lo)) % BigInt(bf.m));
    assert.equal(probe(lo, hi), expected);
  }
  const small = new BloomFilter(266819, 6);
  const probeSmall = (small as unknown as { reduce(lo: number, hi: number): number }).reduce.bind(small);
  for (const [lo, hi] of [[0xffffffff, 0xffffffff], [0x12345678, 0x9abcdef0]] as const) {
    assert.equal(probeSmall(lo, hi), Number(((BigInt(hi) << 32n) | BigInt(lo)) % 266819n));
  }
});
