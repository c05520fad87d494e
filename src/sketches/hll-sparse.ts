// Sparse HyperLogLog entries (HyperLogLog++ style): while few values have been
// seen, each distinct register of a much finer 2^25-register sketch is kept as
// one 31-bit key, (index25 << 6) | rho25, in a sorted array. Linear counting
// over 2^25 registers is essentially exact for the sizes kept sparse, and a key
// converts losslessly to the register it would have set at any precision
// p <= 25 because the dense index is the low p bits of the same hash.

export const SPARSE_P = 25;
const SPARSE_INDEX_MASK = (1 << SPARSE_P) - 1;
/** Largest rho25: bit 63 of the hash is forced to 1, leaving 64 - 25 positions. */
export const SPARSE_MAX_RHO = 64 - SPARSE_P;

/** Index of the lowest set bit of a non-zero 32-bit value. */
export function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/**
 * HyperLogLog rank of a 64-bit hash at precision p (1 <= p <= 25): one plus
 * the number of zero bits above the p index bits, counting up from bit p, with
 * bit 63 treated as set (so at most 64 - p). PipelineDB counts the same way.
 */
export function hashRank(hashLo: number, hashHi: number, p: number): number {
  const above = hashLo >>> p;
  if (above !== 0) return ctz32(above) + 1;
  return 32 - p + ctz32(hashHi | 0x80000000) + 1;
}

/** The sparse key of a 64-bit hash. */
export function sparseKey(hashLo: number, hashHi: number): number {
  return (((hashLo & SPARSE_INDEX_MASK) << 6) | hashRank(hashLo, hashHi, SPARSE_P)) >>> 0;
}

/** Dense register index at precision p of a sparse key. */
export function sparseKeyIndex(key: number, p: number): number {
  return (key >>> 6) & ((1 << p) - 1);
}

/** Dense register value at precision p of a sparse key. */
export function sparseKeyRank(key: number, p: number): number {
  const above = (key >>> 6) >>> p;
  if (above !== 0) return ctz32(above) + 1;
  return SPARSE_P - p + (key & 63);
}

/**
 * Merges two key arrays, each sorted ascending, into out (which must have room
 * for aLen + bLen), keeping one key per index25 with the largest rank. Inputs
 * may repeat an index (an unsorted buffer after sorting does). Returns the
 * output length.
 */
export function mergeSparseKeys(
  a: Uint32Array,
  aLen: number,
  b: Uint32Array,
  bLen: number,
  out: Uint32Array,
): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < aLen || j < bLen) {
    let key: number;
    if (j >= bLen || (i < aLen && a[i]! <= b[j]!)) key = a[i++]!;
    else key = b[j++]!;
    // Ascending order: a later key with the same index has a rank >= the kept one.
    if (n > 0 && out[n - 1]! >>> 6 === key >>> 6) out[n - 1] = key;
    else out[n++] = key;
  }
  return n;
}

/** Linear-counting estimate over the 2^25 sparse registers. */
export function sparseEstimate(distinctIndexes: number): number {
  const m = 1 << SPARSE_P;
  return -m * Math.log1p(-distinctIndexes / m);
}
