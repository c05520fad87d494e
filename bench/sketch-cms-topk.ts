// Updates/s and merges/s for the Count-Min sketch and the FSS top-K summary.
//   node dist/bench/sketch-cms-topk.js [updates]
// Values are int8s as 8 little-endian bytes (their canonical bytes), hashed on
// every update. Each figure is the best of 3 runs.
import { CountMinSketch } from '../src/sketches/cmsketch.js';
import { FilteredSpaceSaving } from '../src/sketches/topk.js';
import { int8Bytes, zipfStream } from '../src/sketches/cmsketch-test-streams.js';

const updates = Number(process.argv[2] ?? 2_000_000);
const stream = zipfStream(updates, 100_000, 1.1, 1);
const buf = new Uint8Array(8);

function best(label: string, ops: number, run: () => void): void {
  let bestMs = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    run();
    const ms = performance.now() - t0;
    if (ms < bestMs) bestMs = ms;
  }
  const perSec = (ops / bestMs) * 1000;
  console.log(`${label.padEnd(52)} ${Math.round(perSec).toLocaleString('en-US').padStart(13)} /s`);
}

// Count-Min, default eps 0.002 / p 0.995 (6 x 1360).
best('cms add, zipf int8 (incl. hashing)', updates, () => {
  const cms = CountMinSketch.withErrorBounds();
  for (let i = 0; i < updates; i++) cms.add(int8Bytes(stream[i]!, buf));
});
best('cms add, sequential int8 (incl. hashing)', updates, () => {
  const cms = CountMinSketch.withErrorBounds();
  for (let i = 0; i < updates; i++) cms.add(int8Bytes(i, buf));
});
const cmsA = CountMinSketch.withErrorBounds();
const cmsB = CountMinSketch.withErrorBounds();
for (let i = 0; i < 100_000; i++) {
  cmsA.add(int8Bytes(stream[i]!, buf));
  cmsB.add(int8Bytes(stream[i + 100_000]!, buf));
}
best('cms estimate, zipf int8', updates, () => {
  let s = 0;
  for (let i = 0; i < updates; i++) s += cmsA.estimate(int8Bytes(stream[i]!, buf));
  if (s < 0) console.log(s);
});
const cmsMerges = 20_000;
best('cms merge (6 x 1360)', cmsMerges, () => {
  const acc = cmsA.clone();
  for (let i = 0; i < cmsMerges; i++) acc.merge(cmsB);
});
best('cms serialize + deserialize', 5_000, () => {
  for (let i = 0; i < 5_000; i++) CountMinSketch.deserialize(cmsA.serialize());
});

// FSS top-K.
for (const k of [10, 100]) {
  best(`topk add k=${k}, zipf int8 (incl. hashing)`, updates, () => {
    const fss = new FilteredSpaceSaving(k);
    for (let i = 0; i < updates; i++) fss.add(int8Bytes(stream[i]!, buf));
  });
  const a = new FilteredSpaceSaving(k);
  const b = new FilteredSpaceSaving(k);
  for (let i = 0; i < 200_000; i++) {
    a.add(int8Bytes(stream[i]!, buf));
    b.add(int8Bytes(stream[i + 200_000]!, buf));
  }
  const merges = k === 10 ? 20_000 : 1_000;
  best(`topk merge k=${k}`, merges, () => {
    const acc = FilteredSpaceSaving.deserialize(a.serialize());
    for (let i = 0; i < merges; i++) acc.merge(b);
  });
  best(`topk serialize + deserialize k=${k}`, merges, () => {
    for (let i = 0; i < merges; i++) FilteredSpaceSaving.deserialize(a.serialize());
  });
}
