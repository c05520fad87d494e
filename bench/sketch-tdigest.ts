// Throughput of the t-digest (src/sketches/tdigest.ts).
//   node dist/bench/sketch-tdigest.js [values] [partials]
// Reports adds/s (unit weight, uniform and lognormal input), merges/s of
// full digests (as the combiner folds partial states), and serialize /
// deserialize rates with the encoded size.
import { TDigest } from '../src/sketches/tdigest.js';
import { deserializeTDigest, serializeTDigest } from '../src/sketches/tdigest-codec.js';

const valueCount = Number(process.argv[2] ?? 2_000_000);
const partialCount = Number(process.argv[3] ?? 2000);

let seed = 12345;
function random(): number {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return seed / 4294967296;
}

function rate(label: string, ops: number, fn: () => void): void {
  const start = process.hrtime.bigint();
  fn();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`${label.padEnd(34)} ${(ops / seconds).toFixed(0).padStart(12)} /s  (${ops} in ${seconds.toFixed(3)} s)`);
}

const uniform = new Float64Array(valueCount);
const lognormal = new Float64Array(valueCount);
for (let i = 0; i < valueCount; i++) {
  uniform[i] = random() * 1000;
  lognormal[i] = Math.exp(Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
}

for (const [name, values] of [['uniform', uniform], ['lognormal', lognormal]] as const) {
  const d = new TDigest();
  rate(`add (${name})`, valueCount, () => {
    for (let i = 0; i < values.length; i++) d.add(values[i]!);
  });
}

// Partials of 1000 values each, like per-batch worker states.
const partials: TDigest[] = [];
for (let p = 0; p < partialCount; p++) {
  const d = new TDigest();
  for (let i = 0; i < 1000; i++) d.add(lognormal[(p * 1000 + i) % valueCount]!);
  d.centroidCount; // flush, so merge timing excludes the partial's own buffer pass
  partials.push(d);
}
const acc = new TDigest();
rate('merge (1000-value partial into acc)', partialCount, () => {
  for (const p of partials) acc.merge(p);
});

const bytes = partials.map((p) => serializeTDigest(p));
rate('serialize (1000-value partial)', partialCount, () => {
  for (const p of partials) serializeTDigest(p);
});
rate('deserialize (1000-value partial)', partialCount, () => {
  for (const b of bytes) deserializeTDigest(b);
});
console.log(`encoded size: partial ${bytes[0]!.length} B, accumulated ${serializeTDigest(acc).length} B`);
let sink = 0;
rate('quantile (accumulated digest)', 100_000, () => {
  for (let i = 0; i < 100_000; i++) sink += acc.quantile((i % 999) / 1000)!;
});
if (Number.isNaN(sink)) console.log('unreachable');
