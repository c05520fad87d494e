// Bloom filter with PipelineDB's parameters and hashing: bloom_agg defaults to
// p = 0.02 and n = 32768 (its source writes 2 << 14 next to a comment saying
// 16384; the value is 32768), m = -ceil(n ln p / ln^2 2) bits (so the
// floor of the usual formula) and k = round(ln 2 * m / n). A value's bytes are
// hashed once with 128-bit MurmurHash3 and PipelineDB's Bloom seed, and probe i
// sets bit (h1 + i * h2) mod m, with 64-bit wrap-around arithmetic.
//
// Serialized form (version 1): byte 0 version, bytes 1-4 m (uint32 LE),
// bytes 5-6 k (uint16 LE), then the bit array as ceil(m / 32) little-endian
// 32-bit words (bit j is bit j % 32 of word j / 32; bits >= m are zero).

import { BLOOM_HASH_SEED, murmurHash3x64_128 } from './hash.js';

export const BLOOM_DEFAULT_P = 0.02;
export const BLOOM_DEFAULT_N = 32768;
export const BLOOM_FORMAT_VERSION = 1;
const HEADER_BYTES = 7;
const TWO32 = 4294967296;
const MAX_M = 0xffffffff;

const hashScratch = new Uint32Array(4);

/** Popcount of a 32-bit value. */
/**
 * x mod m for integers 0 <= x < 2^53 and m <= 2^26, without the floating-point
 * `%` (a slow library call in V8): the quotient from a division can be off by
 * one, and one correction step makes the remainder exact.
 */
function modSmall(x: number, m: number): number {
  const r = x - Math.floor(x / m) * m;
  return r < 0 ? r + m : r >= m ? r - m : r;
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export class BloomFilter {
  /** Number of bits. */
  readonly m: number;
  /** Number of probes per value. */
  readonly k: number;
  private readonly words: Uint32Array;
  /** 2^32 mod m, for reducing a 64-bit probe position mod m. */
  private readonly two32ModM: number;
  /** 2^64 mod m, taken out of a probe position when the 64-bit sum wraps. */
  private readonly two64ModM: number;

  constructor(m: number, k: number) {
    if (!Number.isInteger(m) || m < 1 || m > MAX_M) throw new RangeError(`bloom filter m must be in [1, ${MAX_M}], got ${m}`);
    if (!Number.isInteger(k) || k < 1 || k > 0xffff) throw new RangeError(`bloom filter k must be in [1, 65535], got ${k}`);
    this.m = m;
    this.k = k;
    this.words = new Uint32Array(Math.ceil(m / 32));
    this.two32ModM = TWO32 % m;
    this.two64ModM = Number((1n << 64n) % BigInt(m));
  }

  /**
   * A filter sized for n values at false-positive rate p, as bloom_agg(x, p, n).
   * Throws RangeError with PipelineDB's messages for p outside (0, 1) or n < 1.
   * (PipelineDB would divide by zero or build a zero-probe filter when p is
   * close enough to 1 that m or k rounds to 0; both are raised to 1 here.)
   */
  static withPAndN(p: number = BLOOM_DEFAULT_P, n: number = BLOOM_DEFAULT_N): BloomFilter {
    if (!(p > 0 && p < 1)) throw new RangeError('p must be in (0, 1)');
    if (!(n >= 1)) throw new RangeError('n must be greater than or equal to 1');
    const m = -Math.ceil((n * Math.log(p)) / (Math.LN2 * Math.LN2));
    if (m > MAX_M) throw new RangeError(`bloom filter too large: ${m} bits`);
    const mm = Math.max(1, m);
    const k = Math.max(1, Math.round((Math.LN2 * mm) / n));
    return new BloomFilter(mm, k);
  }

  /** Adds a value given its bytes, hashed as PipelineDB does. */
  addBytes(data: Uint8Array): void {
    murmurHash3x64_128(data, BLOOM_HASH_SEED.lo, BLOOM_HASH_SEED.hi, hashScratch);
    this.add(hashScratch[0]!, hashScratch[1]!, hashScratch[2]!, hashScratch[3]!);
  }

  /** Whether a value given by its bytes may have been added (never false for an added one). */
  containsBytes(data: Uint8Array): boolean {
    murmurHash3x64_128(data, BLOOM_HASH_SEED.lo, BLOOM_HASH_SEED.hi, hashScratch);
    return this.contains(hashScratch[0]!, hashScratch[1]!, hashScratch[2]!, hashScratch[3]!);
  }

  /** Adds a value given its 128-bit hash (h1, h2) as unsigned 32-bit halves. */
  add(h1Lo: number, h1Hi: number, h2Lo: number, h2Hi: number): void {
    const words = this.words;
    const m = this.m;
    // Probe i is (h1 + i * h2) mod 2^64, reduced mod m. Track it mod m
    // incrementally (two reductions per value instead of one per probe),
    // taking 2^64 mod m back out whenever the 64-bit sum wraps.
    let bit = this.reduce(h1Lo, h1Hi);
    const step = this.reduce(h2Lo, h2Hi);
    let lo = h1Lo;
    let hi = h1Hi;
    for (let i = 0; ; ) {
      words[bit >>> 5] = words[bit >>> 5]! | (1 << (bit & 31));
      if (++i === this.k) return;
      lo += h2Lo;
      hi += h2Hi + (lo >= TWO32 ? 1 : 0);
      lo >>>= 0;
      bit += step;
      if (bit >= m) bit -= m;
      if (hi >= TWO32) {
        hi -= TWO32;
        bit -= this.two64ModM;
        if (bit < 0) bit += m;
      }
    }
  }

  contains(h1Lo: number, h1Hi: number, h2Lo: number, h2Hi: number): boolean {
    const words = this.words;
    const m = this.m;
    let bit = this.reduce(h1Lo, h1Hi);
    const step = this.reduce(h2Lo, h2Hi);
    let lo = h1Lo;
    let hi = h1Hi;
    for (let i = 0; ; ) {
      if ((words[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
      if (++i === this.k) return true;
      lo += h2Lo;
      hi += h2Hi + (lo >= TWO32 ? 1 : 0);
      lo >>>= 0;
      bit += step;
      if (bit >= m) bit -= m;
      if (hi >= TWO32) {
        hi -= TWO32;
        bit -= this.two64ModM;
        if (bit < 0) bit += m;
      }
    }
  }

  /** (hi * 2^32 + lo) mod m, exactly. */
  private reduce(lo: number, hi: number): number {
    const m = this.m;
    // (m - 1)^2 + 2^32 stays below 2^53 for m <= 2^26: one multiply suffices.
    if (m <= 0x4000000) return modSmall(modSmall(hi, m) * this.two32ModM + lo, m);
    const t = ((((hi % m) * 65536) % m) * 65536) % m;
    return (t + lo) % m;
  }

  /** Number of set bits. */
  bitCount(): number {
    let x = 0;
    const words = this.words;
    for (let i = 0; i < words.length; i++) x += popcount32(words[i]!);
    return x;
  }

  /**
   * Estimated number of distinct values added, as bloom_cardinality computes
   * it: -m ln(1 - X/m) / k for X set bits, truncated to an integer. A filter
   * with every bit set has no finite estimate: Infinity.
   */
  cardinality(): number {
    const x = this.bitCount();
    // + 0 turns the -0 of an empty filter into 0.
    return Math.trunc((-this.m * Math.log(1 - x / this.m)) / this.k) + 0;
  }

  /** Fraction of bits set. */
  fillRatio(): number {
    return this.bitCount() / this.m;
  }

  /** In place: values in this filter or in `other` (same m and k). */
  union(other: BloomFilter): this {
    this.checkCompatible(other);
    const a = this.words;
    const b = other.words;
    for (let i = 0; i < a.length; i++) a[i] = a[i]! | b[i]!;
    return this;
  }

  /** In place: values in both filters (same m and k); may keep false positives of either. */
  intersect(other: BloomFilter): this {
    this.checkCompatible(other);
    const a = this.words;
    const b = other.words;
    for (let i = 0; i < a.length; i++) a[i] = a[i]! & b[i]!;
    return this;
  }

  clone(): BloomFilter {
    const copy = new BloomFilter(this.m, this.k);
    copy.words.set(this.words);
    return copy;
  }

  serialize(): Uint8Array {
    const out = new Uint8Array(HEADER_BYTES + this.words.length * 4);
    const view = new DataView(out.buffer);
    out[0] = BLOOM_FORMAT_VERSION;
    view.setUint32(1, this.m, true);
    view.setUint16(5, this.k, true);
    for (let i = 0, pos = HEADER_BYTES; i < this.words.length; i++, pos += 4) view.setUint32(pos, this.words[i]!, true);
    return out;
  }

  /** Reads a serialized filter; throws on anything serialize() would not produce. */
  static deserialize(bytes: Uint8Array): BloomFilter {
    if (bytes.length < HEADER_BYTES) throw new Error('corrupt bloom filter: too short');
    if (bytes[0] !== BLOOM_FORMAT_VERSION) throw new Error(`unsupported bloom filter format version ${bytes[0]}`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const m = view.getUint32(1, true);
    const k = view.getUint16(5, true);
    if (m < 1 || k < 1) throw new Error('corrupt bloom filter: m or k is zero');
    const bf = new BloomFilter(m, k);
    if (bytes.length !== HEADER_BYTES + bf.words.length * 4) throw new Error('corrupt bloom filter: length');
    for (let i = 0, pos = HEADER_BYTES; i < bf.words.length; i++, pos += 4) bf.words[i] = view.getUint32(pos, true);
    const tailBits = m % 32;
    if (tailBits !== 0 && bf.words[bf.words.length - 1]! >>> tailBits !== 0) {
      throw new Error('corrupt bloom filter: bits set past m');
    }
    return bf;
  }

  private checkCompatible(other: BloomFilter): void {
    // PipelineDB's messages: m follows from p, k from n (in its words).
    if (other.m !== this.m) throw new Error('bloom filters must have the same p');
    if (other.k !== this.k) throw new Error('bloom filters must have the same n');
  }
}
