// mulberry32: a small, fast, seedable PRNG for tests and benchmarks, so
// property tests replay the same cases from the same seed.
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A source of uniform numbers in [0, 1). */
export type Rand = () => number;

/** An integer in [lo, hi]. */
export const randomInt = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

/** One element of a non-empty list. */
export const pickOne = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
