// MurmurHash3 x64-128 over a value's bytes, as PipelineDB hashes sketch inputs.
//
// PipelineDB seeds both 64-bit lanes with a 64-bit seed (the reference
// implementation takes a 32-bit seed, i.e. the same thing with a zero high
// half), so with the same input bytes and seed this yields the same h1/h2 as
// PipelineDB's HLL and Bloom filter code. JavaScript has no fast 64-bit
// integers, so every 64-bit quantity is carried as two unsigned 32-bit halves
// and multiplied in 16-bit limbs; no BigInt, no allocation per call.

/** A 64-bit seed as unsigned 32-bit halves. */
export interface Seed64 {
  readonly lo: number;
  readonly hi: number;
}

/** Seed PipelineDB uses for HyperLogLog (0xbee5bf4112801383). */
export const HLL_HASH_SEED: Seed64 = { lo: 0x12801383, hi: 0xbee5bf41 };
/** Seed PipelineDB uses for Bloom filters (0x99496f1ddc863e6f). */
export const BLOOM_HASH_SEED: Seed64 = { lo: 0xdc863e6f, hi: 0x99496f1d };

// c1 = 0x87c37b91114253d5, c2 = 0x4cf5ad432745937f
const C1_LO = 0x114253d5;
const C1_HI = 0x87c37b91;
const C2_LO = 0x2745937f;
const C2_HI = 0x4cf5ad43;
// fmix64 multipliers 0xff51afd7ed558ccd and 0xc4ceb9fe1a85ec53
const F1_LO = 0xed558ccd;
const F1_HI = 0xff51afd7;
const F2_LO = 0x1a85ec53;
const F2_HI = 0xc4ceb9fe;

const TWO32 = 4294967296;

// Operand and result registers of the 64-bit helpers below. Typed arrays,
// not arguments and module `let`s: a uint32 above 2^30 passed to a function
// that is not inlined, or stored in a module variable, is boxed as a heap
// number, which made hashing several times slower.
const R = new Uint32Array(2);
const A = new Uint32Array(4);

/** (aHi:aLo * bHi:bLo) mod 2^64 into R[1]:R[0]. */
function mul64(aLo: number, aHi: number, bLo: number, bHi: number): void {
  A[0] = aLo;
  A[1] = aHi;
  A[2] = bLo;
  A[3] = bHi;
  mul64A();
}

/** A[1]:A[0] * A[3]:A[2] mod 2^64 into R[1]:R[0]. */
function mul64A(): void {
  const aLo = A[0]!;
  const aHi = A[1]!;
  const bLo = A[2]!;
  const bHi = A[3]!;
  const a0 = aLo & 0xffff;
  const a1 = aLo >>> 16;
  const b0 = bLo & 0xffff;
  const b1 = bLo >>> 16;
  // High word of the 64-bit product of the low words from 16-bit partial
  // products (each < 2^32); integer ops only.
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = ((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const hiOfLow = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  R[0] = Math.imul(aLo, bLo);
  R[1] = hiOfLow + Math.imul(aLo, bHi) + Math.imul(aHi, bLo);
}

/** fmix64 of R[1]:R[0], in place (operands through R: see above). */
function fmix64(): void {
  let lo = (R[0]! ^ (R[1]! >>> 1)) >>> 0;
  mul64(lo, R[1]!, F1_LO, F1_HI);
  lo = (R[0]! ^ (R[1]! >>> 1)) >>> 0;
  mul64(lo, R[1]!, F2_LO, F2_HI);
  R[0] = R[0]! ^ (R[1]! >>> 1);
}

function read32(d: Uint8Array, i: number): number {
  return (d[i]! | (d[i + 1]! << 8) | (d[i + 2]! << 16) | (d[i + 3]! << 24)) >>> 0;
}

/**
 * MurmurHash3_x64_128 of data[start, end) with a 64-bit seed. Writes
 * out[0] = h1 low, out[1] = h1 high, out[2] = h2 low, out[3] = h2 high.
 * PipelineDB's "MurmurHash3_64" is h1.
 */
export function murmurHash3x64_128(
  data: Uint8Array,
  seedLo: number,
  seedHi: number,
  out: Uint32Array,
  start = 0,
  end = data.length,
): void {
  const len = end - start;
  let h1Lo = seedLo >>> 0;
  let h1Hi = seedHi >>> 0;
  let h2Lo = h1Lo;
  let h2Hi = h1Hi;
  let t: number;
  const blockEnd = start + (len & ~15);
  let i = start;
  for (; i < blockEnd; i += 16) {
    // k1 *= c1; k1 = rotl(k1, 31); k1 *= c2; h1 ^= k1
    mul64(read32(data, i), read32(data, i + 4), C1_LO, C1_HI);
    t = ((R[0] << 31) | (R[1] >>> 1)) >>> 0;
    mul64(t, ((R[1] << 31) | (R[0] >>> 1)) >>> 0, C2_LO, C2_HI);
    h1Lo = (h1Lo ^ R[0]) >>> 0;
    h1Hi = (h1Hi ^ R[1]) >>> 0;
    // h1 = rotl(h1, 27); h1 += h2; h1 = h1 * 5 + 0x52dce729
    t = ((h1Lo << 27) | (h1Hi >>> 5)) >>> 0;
    h1Hi = ((h1Hi << 27) | (h1Lo >>> 5)) >>> 0;
    h1Lo = t + h2Lo;
    h1Hi = (h1Hi + h2Hi + (h1Lo >= TWO32 ? 1 : 0)) >>> 0;
    h1Lo >>>= 0;
    mul64(h1Lo, h1Hi, 5, 0);
    h1Lo = R[0] + 0x52dce729;
    h1Hi = (R[1] + (h1Lo >= TWO32 ? 1 : 0)) >>> 0;
    h1Lo >>>= 0;
    // k2 *= c2; k2 = rotl(k2, 33); k2 *= c1; h2 ^= k2
    mul64(read32(data, i + 8), read32(data, i + 12), C2_LO, C2_HI);
    t = ((R[1] << 1) | (R[0] >>> 31)) >>> 0;
    mul64(t, ((R[0] << 1) | (R[1] >>> 31)) >>> 0, C1_LO, C1_HI);
    h2Lo = (h2Lo ^ R[0]) >>> 0;
    h2Hi = (h2Hi ^ R[1]) >>> 0;
    // h2 = rotl(h2, 31); h2 += h1; h2 = h2 * 5 + 0x38495ab5
    t = ((h2Lo << 31) | (h2Hi >>> 1)) >>> 0;
    h2Hi = ((h2Hi << 31) | (h2Lo >>> 1)) >>> 0;
    h2Lo = t + h1Lo;
    h2Hi = (h2Hi + h1Hi + (h2Lo >= TWO32 ? 1 : 0)) >>> 0;
    h2Lo >>>= 0;
    mul64(h2Lo, h2Hi, 5, 0);
    h2Lo = R[0] + 0x38495ab5;
    h2Hi = (R[1] + (h2Lo >= TWO32 ? 1 : 0)) >>> 0;
    h2Lo >>>= 0;
  }

  // Tail: up to 15 bytes, little-endian into k1 (bytes 0-7) and k2 (8-14).
  const rest = len & 15;
  if (rest > 8) {
    let kLo = 0;
    let kHi = 0;
    for (let j = rest - 1; j >= 8; j--) {
      const b = data[i + j]!;
      if (j >= 12) kHi |= b << ((j - 12) * 8);
      else kLo |= b << ((j - 8) * 8);
    }
    mul64(kLo >>> 0, kHi >>> 0, C2_LO, C2_HI);
    t = ((R[1] << 1) | (R[0] >>> 31)) >>> 0;
    mul64(t, ((R[0] << 1) | (R[1] >>> 31)) >>> 0, C1_LO, C1_HI);
    h2Lo = (h2Lo ^ R[0]) >>> 0;
    h2Hi = (h2Hi ^ R[1]) >>> 0;
  }
  if (rest > 0) {
    let kLo = 0;
    let kHi = 0;
    const n = rest > 8 ? 8 : rest;
    if (n === 8) {
      // The common case (8-byte values): two word reads instead of a byte loop.
      kLo = read32(data, i);
      kHi = read32(data, i + 4);
    } else {
      for (let j = n - 1; j >= 0; j--) {
        const b = data[i + j]!;
        if (j >= 4) kHi |= b << ((j - 4) * 8);
        else kLo |= b << (j * 8);
      }
    }
    mul64(kLo >>> 0, kHi >>> 0, C1_LO, C1_HI);
    t = ((R[0] << 31) | (R[1] >>> 1)) >>> 0;
    mul64(t, ((R[1] << 31) | (R[0] >>> 1)) >>> 0, C2_LO, C2_HI);
    h1Lo = (h1Lo ^ R[0]) >>> 0;
    h1Hi = (h1Hi ^ R[1]) >>> 0;
  }

  // Finalization. len fits in 32 bits for any Uint8Array we hash.
  h1Lo = (h1Lo ^ len) >>> 0;
  h2Lo = (h2Lo ^ len) >>> 0;
  // h1 += h2; h2 += h1
  h1Lo = h1Lo + h2Lo;
  h1Hi = (h1Hi + h2Hi + (h1Lo >= TWO32 ? 1 : 0)) >>> 0;
  h1Lo >>>= 0;
  h2Lo = h2Lo + h1Lo;
  h2Hi = (h2Hi + h1Hi + (h2Lo >= TWO32 ? 1 : 0)) >>> 0;
  h2Lo >>>= 0;
  R[0] = h1Lo;
  R[1] = h1Hi;
  fmix64();
  h1Lo = R[0];
  h1Hi = R[1];
  R[0] = h2Lo;
  R[1] = h2Hi;
  fmix64();
  h2Lo = R[0];
  h2Hi = R[1];
  h1Lo = h1Lo + h2Lo;
  h1Hi = (h1Hi + h2Hi + (h1Lo >= TWO32 ? 1 : 0)) >>> 0;
  h1Lo >>>= 0;
  h2Lo = h2Lo + h1Lo;
  h2Hi = (h2Hi + h1Hi + (h2Lo >= TWO32 ? 1 : 0)) >>> 0;
  h2Lo >>>= 0;

  out[0] = h1Lo;
  out[1] = h1Hi;
  out[2] = h2Lo;
  out[3] = h2Hi;
}

/**
 * The 16 output bytes of MurmurHash3_x64_128 (h1 then h2, each little-endian,
 * the order the reference implementation stores them), as lowercase hex.
 * For tests and debugging; allocates.
 */
export function murmurHash3x64_128Hex(data: Uint8Array, seed = 0): string {
  const out = new Uint32Array(4);
  murmurHash3x64_128(data, seed >>> 0, 0, out);
  return Buffer.from(out.buffer).toString('hex');
}
