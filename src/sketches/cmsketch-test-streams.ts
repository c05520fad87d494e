// Seeded random streams shared by the Count-Min and top-K tests and benchmark.

import { mulberry32 } from '../testing/prng.js';

/** A seeded PRNG returning floats in [0, 1). */
export const seededRandom = mulberry32;

/**
 * `n` draws from a Zipf(s) distribution over `distinct` ranks, each rank mapped
 * to a shuffled id so rank and id are unrelated. Returns ids.
 */
export function zipfStream(n: number, distinct: number, s: number, seed: number): Int32Array {
  const rand = seededRandom(seed);
  const cdf = new Float64Array(distinct);
  let sum = 0;
  for (let r = 0; r < distinct; r++) {
    sum += 1 / Math.pow(r + 1, s);
    cdf[r] = sum;
  }
  const ids = new Int32Array(distinct);
  for (let i = 0; i < distinct; i++) ids[i] = i;
  for (let i = distinct - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = ids[i]!; ids[i] = ids[j]!; ids[j] = t;
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const u = rand() * sum;
    let lo = 0;
    let hi = distinct - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    out[i] = ids[lo]!;
  }
  return out;
}

/** An int8 value's canonical bytes (8 bytes little-endian), written into `buf`. */
export function int8Bytes(value: number, buf: Uint8Array): Uint8Array {
  const lo = value >>> 0;
  const hi = Math.floor(value / 4294967296) | 0;
  buf[0] = lo; buf[1] = lo >>> 8; buf[2] = lo >>> 16; buf[3] = lo >>> 24;
  buf[4] = hi; buf[5] = hi >>> 8; buf[6] = hi >>> 16; buf[7] = hi >>> 24;
  return buf;
}
