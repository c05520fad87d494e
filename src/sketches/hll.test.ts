import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HyperLogLog, HLL_DEFAULT_P } from './hll.js';
import { murmurHash3x64_128 } from './hash.js';
import { hashRank, sparseKey, sparseKeyIndex, sparseKeyRank } from './hll-sparse.js';
import { mulberry32 as rng } from '../testing/prng.js';


const bytes = new Uint8Array(8);
const view = new DataView(bytes.buffer);
/** Canonical bytes of an int8 value (as the caller will pass them). */
function int8Bytes(v: number): Uint8Array {
  view.setBigInt64(0, BigInt(v), true);
  return bytes;
}

function addRange(h: HyperLogLog, from: number, to: number): void {
  for (let v = from; v < to; v++) h.addBytes(int8Bytes(v));
}

test('defaults: p = 14, empty sketch is sparse with cardinality 0', () => {
  const h = new HyperLogLog();
  assert.equal(h.p, HLL_DEFAULT_P);
  assert.equal(h.p, 14);
  assert.equal(h.isSparse(), true);
  assert.equal(h.cardinality(), 0);
  assert.throws(() => new HyperLogLog(0), RangeError);
  assert.throws(() => new HyperLogLog(19), RangeError);
});

test('sparse keys convert to exactly the dense register the hash would set', () => {
  const r = rng(1);
  for (let i = 0; i < 20000; i++) {
    const lo = (r() * 4294967296) >>> 0;
    // Exercise all-zero upper index bits too.
    const hi = i % 7 === 0 ? 0 : (r() * 4294967296) >>> 0;
    const lo2 = i % 5 === 0 ? lo & 0x1fff : lo;
    const key = sparseKey(lo2, hi);
    for (const p of [1, 4, 10, 14, 18]) {
      assert.equal(sparseKeyIndex(key, p), lo2 & ((1 << p) - 1));
      assert.equal(sparseKeyRank(key, p), hashRank(lo2, hi, p));
    }
  }
  // Rank counts from bit p with bit 63 forced set.
  assert.equal(hashRank(0, 0, 14), 64 - 14);
  assert.equal(hashRank(1 << 14, 0, 14), 1);
  assert.equal(hashRank(0, 1, 14), 32 - 14 + 1);
});

test('small sets in sparse form count exactly (within 1 past a few hundred)', () => {
  for (const seed of [1, 2, 3]) {
    const h = new HyperLogLog();
    const base = seed * 1_000_000_000;
    for (let n = 1; n <= 3000; n++) {
      h.addBytes(int8Bytes(base + n));
      h.addBytes(int8Bytes(base + n)); // duplicates do not count
      if (n <= 500 || n % 100 === 0) {
        assert.equal(h.isSparse(), true);
        // Two values sharing one of the 2^25 sparse registers (odds about
        // n^2 / 2^26) undercount by one; below 300 none occur for these seeds.
        const c = h.cardinality();
        if (n <= 300) assert.equal(c, n, `seed ${seed} n ${n}`);
        else assert.ok(Math.abs(c - n) <= 1, `seed ${seed} n ${n}: ${c}`);
      }
    }
  }
});

test('goes dense past 3072 keys at p = 14 and stays small until then', () => {
  const h = new HyperLogLog();
  addRange(h, 0, 100);
  const small = h.serialize();
  assert.ok(small.length < 500, `100 values: ${small.length} bytes`);
  addRange(h, 100, 3000);
  assert.equal(h.isSparse(), true);
  assert.ok(h.serialize().length < 12288);
  addRange(h, 3000, 4000);
  assert.equal(h.isSparse(), false);
  const dense = h.serialize();
  assert.equal(dense.length, 3 + 12288);
  // The dense estimate at 4000 uses linear counting: close, not exact.
  const c = h.cardinality();
  assert.ok(Math.abs(c - 4000) < 4000 * 0.02, `got ${c}`);
});

test('within 2% at 10^6 distinct values (several seeds)', () => {
  for (const seed of [11, 22, 33]) {
    const h = new HyperLogLog();
    addRange(h, seed * 10_000_000, seed * 10_000_000 + 1_000_000);
    const c = h.cardinality();
    assert.ok(Math.abs(c - 1_000_000) / 1_000_000 < 0.02, `seed ${seed}: ${c}`);
  }
});

test('other precisions are accurate too', () => {
  for (const [p, n, tol] of [[10, 200_000, 0.1], [16, 200_000, 0.02], [4, 5000, 0.8]] as const) {
    const h = new HyperLogLog(p);
    addRange(h, 5_000_000, 5_000_000 + n);
    const c = h.cardinality();
    assert.ok(Math.abs(c - n) / n < tol, `p ${p}: ${c}`);
  }
});

test('merging random splits in any order equals adding everything', () => {
  const r = rng(42);
  for (const total of [50, 2500, 5000, 60_000]) {
    const whole = new HyperLogLog();
    addRange(whole, 0, total);
    const parts = Array.from({ length: 5 }, () => new HyperLogLog());
    for (let v = 0; v < total; v++) parts[Math.floor(r() * parts.length)]!.addBytes(int8Bytes(v));
    for (let round = 0; round < 3; round++) {
      const order = parts.map((_, i) => i).sort(() => r() - 0.5);
      const acc = new HyperLogLog();
      for (const i of order) acc.merge(parts[i]!);
      assert.deepEqual(acc.registers(), whole.registers(), `total ${total}`);
      assert.equal(acc.isSparse(), whole.isSparse());
      assert.deepEqual(acc.serialize(), whole.serialize());
      assert.equal(acc.cardinality(), whole.cardinality());
    }
    // Tree-shaped merge too: (a+b) + (c+(d+e)).
    const ab = parts[0]!.clone();
    ab.merge(parts[1]!);
    const de = parts[3]!.clone();
    de.merge(parts[4]!);
    const cde = parts[2]!.clone();
    cde.merge(de);
    ab.merge(cde);
    assert.deepEqual(ab.serialize(), whole.serialize());
  }
});

test('merge with a dense sketch and with a different p', () => {
  const dense = new HyperLogLog();
  addRange(dense, 0, 10_000);
  const sparse = new HyperLogLog();
  addRange(sparse, 9_000, 9_100);
  addRange(sparse, 20_000, 20_050);
  const a = sparse.clone();
  a.merge(dense);
  const b = dense.clone();
  b.merge(sparse);
  assert.deepEqual(a.serialize(), b.serialize());
  const all = new HyperLogLog();
  addRange(all, 0, 10_000);
  addRange(all, 20_000, 20_050);
  assert.deepEqual(a.registers(), all.registers());
  assert.throws(() => a.merge(new HyperLogLog(12)), /same p/);
});

test('serialize / deserialize round trip is byte-identical', () => {
  for (const [p, n] of [[14, 0], [14, 1], [14, 700], [14, 50_000], [4, 3], [4, 1000], [1, 10], [18, 1000], [18, 100_000]] as const) {
    const h = new HyperLogLog(p);
    addRange(h, 777, 777 + n);
    const s = h.serialize();
    assert.equal(s[0], 1);
    const back = HyperLogLog.deserialize(s);
    assert.deepEqual(back.serialize(), s, `p ${p} n ${n}`);
    assert.equal(back.cardinality(), h.cardinality());
    assert.deepEqual(back.registers(), h.registers());
    // The copy keeps working: adding the same values changes nothing.
    addRange(back, 777, 777 + Math.min(n, 100));
    assert.deepEqual(back.serialize(), s);
  }
});

test('deserialize rejects corrupt input', () => {
  const h = new HyperLogLog();
  addRange(h, 0, 10);
  const s = h.serialize();
  assert.throws(() => HyperLogLog.deserialize(s.subarray(0, 2)));
  assert.throws(() => HyperLogLog.deserialize(Uint8Array.of(2, ...s.subarray(1))), /version/);
  assert.throws(() => HyperLogLog.deserialize(Uint8Array.of(...s, 0)));
  assert.throws(() => HyperLogLog.deserialize(s.subarray(0, s.length - 1)));
  const d = new HyperLogLog();
  addRange(d, 0, 5000);
  const ds = d.serialize();
  const bad = ds.slice();
  bad[3] = 0xff; // register 0 = 63 > 50
  assert.throws(() => HyperLogLog.deserialize(bad), /register/);
});

test('addBytes hashes like MurmurHash3_64 with the PipelineDB seed', () => {
  const out = new Uint32Array(4);
  const data = int8Bytes(12345);
  murmurHash3x64_128(data, 0x12801383, 0xbee5bf41, out);
  const a = new HyperLogLog(10);
  a.addBytes(data);
  const b = new HyperLogLog(10);
  b.add(out[0]!, out[1]!);
  assert.deepEqual(a.serialize(), b.serialize());
  const regs = a.registers();
  assert.equal(regs[out[0]! & 1023], hashRank(out[0]!, out[1]!, 10));
});
