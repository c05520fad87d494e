// Updates/s and merges/s for the HyperLogLog and Bloom filter sketches: each
// update hashes an 8-byte integer's bytes (MurmurHash3 x64-128) and sets the
// sketch, as hll_agg / bloom_agg do per row.
//   node dist/bench/sketch-hll-bloom.js [updates]
import { HyperLogLog } from '../src/sketches/hll.js';
import { BloomFilter } from '../src/sketches/bloom.js';
import { murmurHash3x64_128 } from '../src/sketches/hash.js';

const updates = Number(process.argv[2] ?? 5_000_000);
const bytes = new Uint8Array(8);
const view = new DataView(bytes.buffer);

function rate(label: string, count: number, fn: () => void): void {
  fn(); // warm-up run, not timed
  const t0 = process.hrtime.bigint();
  fn();
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${label.padEnd(44)} ${(count / secs / 1e6).toFixed(2).padStart(8)} M/s  (${count} in ${secs.toFixed(3)} s)`);
}

const out = new Uint32Array(4);
rate('murmur3 x64-128 of 8 bytes', updates, () => {
  for (let i = 0; i < updates; i++) {
    view.setUint32(0, i, true);
    murmurHash3x64_128(bytes, 1, 2, out);
  }
});

rate('hll p=14 addBytes, distinct int8 values', updates, () => {
  const h = new HyperLogLog();
  for (let i = 0; i < updates; i++) {
    view.setUint32(0, i, true);
    h.addBytes(bytes);
  }
  if (h.cardinality() < 0) throw new Error('unreachable');
});

rate('hll p=14 addBytes, 1000 values (stays sparse)', updates, () => {
  const h = new HyperLogLog();
  for (let i = 0; i < updates; i++) {
    view.setUint32(0, i % 1000, true);
    h.addBytes(bytes);
  }
  if (h.cardinality() !== 1000) throw new Error(`bad count ${h.cardinality()}`);
});

rate('bloom p=0.02 n=32768 addBytes (k=6)', updates, () => {
  const bf = BloomFilter.withPAndN();
  for (let i = 0; i < updates; i++) {
    view.setUint32(0, i, true);
    bf.addBytes(bytes);
  }
});

{
  const bf = BloomFilter.withPAndN();
  for (let i = 0; i < 32768; i++) {
    view.setUint32(0, i, true);
    bf.addBytes(bytes);
  }
  rate('bloom containsBytes (half present)', updates, () => {
    let hits = 0;
    for (let i = 0; i < updates; i++) {
      view.setUint32(0, i & 65535, true);
      if (bf.containsBytes(bytes)) hits++;
    }
    if (hits < 32768) throw new Error('false negative');
  });
}

// Merges: dense + dense (12 KB registers), sparse + sparse, dense + sparse.
function filled(n: number, offset: number): HyperLogLog {
  const h = new HyperLogLog();
  for (let i = 0; i < n; i++) {
    view.setUint32(0, i + offset, true);
    h.addBytes(bytes);
  }
  return h;
}
const denseA = filled(100_000, 0);
const denseB = filled(100_000, 50_000);
const sparseA = filled(500, 1_000_000);
const sparseB = filled(500, 2_000_000);
const merges = 20_000;
rate('hll merge dense <- dense (p=14)', merges, () => {
  const acc = denseA.clone();
  for (let i = 0; i < merges; i++) acc.merge(denseB);
});
rate('hll merge dense <- sparse(500)', merges, () => {
  const acc = denseA.clone();
  for (let i = 0; i < merges; i++) acc.merge(sparseA);
});
rate('hll clone + merge sparse(500) <- sparse(500)', merges, () => {
  for (let i = 0; i < merges; i++) sparseA.clone().merge(sparseB);
});
rate('hll cardinality (dense p=14)', merges, () => {
  for (let i = 0; i < merges; i++) denseA.cardinality();
});
rate('hll serialize + deserialize (dense p=14)', merges, () => {
  for (let i = 0; i < merges; i++) HyperLogLog.deserialize(denseA.serialize());
});
{
  const a = BloomFilter.withPAndN();
  const b = BloomFilter.withPAndN();
  rate('bloom union (m=266808)', merges, () => {
    for (let i = 0; i < merges; i++) a.union(b);
  });
}
