// HyperLogLog distinct-count sketch with PipelineDB's parameters: default
// precision 14 (16384 six-bit registers, 12 KB packed), MurmurHash3 with
// PipelineDB's HLL seed, register index = low p bits of the 64-bit hash, rank
// counted from bit p upward, and PipelineDB's dense estimator (raw HLL with
// linear counting below 2.5m and its p=14 bias polynomial below 72000).
//
// Small sets stay sparse (see hll-sparse.ts): sorted 2^25-register keys plus an
// unsorted append buffer, estimated by linear counting at 2^25, which is exact
// in practice for the sizes involved. A sketch turns dense once its distinct
// sparse keys would take more bytes than the dense registers. Which form a
// sketch is in depends only on the set of keys added, so merging parts in any
// order gives the same state as adding everything to one sketch.
//
// Serialized form (version 1):
//   byte 0: version (1); byte 1: encoding (1 sparse, 2 dense); byte 2: p
//   sparse: varint key count, then varint gaps between ascending keys
//   dense:  the packed registers, ceil(2^p * 6 / 8) bytes

import { HLL_HASH_SEED, murmurHash3x64_128 } from './hash.js';
import {
  denseByteLength,
  getRegister,
  mergeRegisters,
  newDenseRegisters,
  raiseRegister,
  registerHarmonicSum,
} from './hll-registers.js';
import {
  SPARSE_MAX_RHO,
  hashRank,
  mergeSparseKeys,
  sparseEstimate,
  sparseKey,
  sparseKeyIndex,
  sparseKeyRank,
} from './hll-sparse.js';

export const HLL_DEFAULT_P = 14;
/** Precisions this implementation supports. */
export const HLL_MIN_P = 1;
export const HLL_MAX_P = 18;
/** PipelineDB's hll_agg/hll_empty accept only p in [1, 14] ("p must be in [1, 14]"). */
export const HLL_SQL_MAX_P = 14;

export const HLL_FORMAT_VERSION = 1;
const ENCODING_SPARSE = 1;
const ENCODING_DENSE = 2;
const HEADER_BYTES = 3;
/** Sparse keys buffered unsorted before being merged into the sorted list. */
const PENDING_CAPACITY = 256;

const hashScratch = new Uint32Array(4);
const sumScratch = new Float64Array(2);

export class HyperLogLog {
  readonly p: number;
  /** Packed registers once dense; null while sparse. */
  private dense: Uint8Array | null = null;
  private sorted: Uint32Array = new Uint32Array(0);
  private sortedLen = 0;
  private pending: Uint32Array | null = null;
  private pendingLen = 0;
  /** Most sparse keys before the sketch goes dense (0: dense from the start). */
  private readonly sparseLimit: number;

  constructor(p: number = HLL_DEFAULT_P) {
    if (!Number.isInteger(p) || p < HLL_MIN_P || p > HLL_MAX_P) {
      throw new RangeError(`HyperLogLog precision must be an integer in [${HLL_MIN_P}, ${HLL_MAX_P}], got ${p}`);
    }
    this.p = p;
    // Four bytes per key in memory: stay sparse while that is no larger than dense.
    this.sparseLimit = Math.floor(denseByteLength(p) / 4);
    if (this.sparseLimit === 0) this.dense = newDenseRegisters(p);
  }

  /** Adds a value given its bytes, hashed as PipelineDB does. */
  addBytes(data: Uint8Array): void {
    murmurHash3x64_128(data, HLL_HASH_SEED.lo, HLL_HASH_SEED.hi, hashScratch);
    this.add(hashScratch[0]!, hashScratch[1]!);
  }

  /** Adds a value given its 64-bit hash as unsigned 32-bit halves. */
  add(hashLo: number, hashHi: number): void {
    const dense = this.dense;
    if (dense !== null) {
      raiseRegister(dense, hashLo & ((1 << this.p) - 1), hashRank(hashLo, hashHi, this.p));
      return;
    }
    let pending = this.pending;
    if (pending === null) pending = this.pending = new Uint32Array(Math.min(PENDING_CAPACITY, this.sparseLimit));
    pending[this.pendingLen++] = sparseKey(hashLo, hashHi);
    if (this.pendingLen === pending.length) this.flushPending();
  }

  /** Folds `other` (same p) into this sketch: the union of both sets. */
  merge(other: HyperLogLog): void {
    if (other.p !== this.p) throw new Error('hyperloglogs must have the same p');
    other.flushPending();
    if (other.dense !== null) {
      this.toDense();
      mergeRegisters(this.dense!, other.dense, this.p);
      return;
    }
    if (this.dense !== null) {
      const dense = this.dense;
      for (let i = 0; i < other.sortedLen; i++) {
        const key = other.sorted[i]!;
        raiseRegister(dense, sparseKeyIndex(key, this.p), sparseKeyRank(key, this.p));
      }
      return;
    }
    this.flushPending();
    const out = new Uint32Array(this.sortedLen + other.sortedLen);
    this.sortedLen = mergeSparseKeys(this.sorted, this.sortedLen, other.sorted, other.sortedLen, out);
    this.sorted = out;
    if (this.sortedLen > this.sparseLimit) this.toDense();
  }

  /** Estimated number of distinct values added (an integer, as PipelineDB returns int8). */
  cardinality(): number {
    this.flushPending();
    if (this.dense === null) return Math.floor(sparseEstimate(this.sortedLen));
    const m = 1 << this.p;
    registerHarmonicSum(this.dense, this.p, sumScratch);
    const zeros = sumScratch[1]!;
    let e = ((0.7213 / (1 + 1.079 / m)) * m * m) / sumScratch[0]!;
    if (e < m * 2.5 && zeros !== 0) {
      e = m * Math.log(m / zeros);
    } else if (m === 16384 && e < 72000) {
      // PipelineDB's polynomial fit of the raw estimator's bias (percent) at p = 14.
      const bias = 5.9119e-18 * e * e * e * e - 1.4253e-12 * e * e * e + 1.294e-7 * e * e - 5.2921e-3 * e + 83.3216;
      e -= e * (bias / 100);
    }
    return Math.floor(e);
  }

  /** Whether the sketch is still in the sparse form. */
  isSparse(): boolean {
    this.flushPending();
    return this.dense === null;
  }

  /** The 2^p register values (one byte each) this sketch has, sparse or dense. */
  registers(): Uint8Array {
    this.flushPending();
    const m = 1 << this.p;
    const out = new Uint8Array(m);
    if (this.dense !== null) {
      for (let i = 0; i < m; i++) out[i] = getRegister(this.dense, i);
    } else {
      for (let i = 0; i < this.sortedLen; i++) {
        const key = this.sorted[i]!;
        const idx = sparseKeyIndex(key, this.p);
        const rank = sparseKeyRank(key, this.p);
        if (rank > out[idx]!) out[idx] = rank;
      }
    }
    return out;
  }

  clone(): HyperLogLog {
    this.flushPending();
    const copy = new HyperLogLog(this.p);
    if (this.dense !== null) copy.dense = this.dense.slice();
    else {
      copy.sorted = this.sorted.slice(0, this.sortedLen);
      copy.sortedLen = this.sortedLen;
    }
    return copy;
  }

  serialize(): Uint8Array {
    this.flushPending();
    if (this.dense !== null) {
      const n = denseByteLength(this.p);
      const out = new Uint8Array(HEADER_BYTES + n);
      out[0] = HLL_FORMAT_VERSION;
      out[1] = ENCODING_DENSE;
      out[2] = this.p;
      out.set(this.dense.subarray(0, n), HEADER_BYTES);
      return out;
    }
    // Worst case five bytes per varint.
    const buf = new Uint8Array(HEADER_BYTES + 5 * (this.sortedLen + 1));
    buf[0] = HLL_FORMAT_VERSION;
    buf[1] = ENCODING_SPARSE;
    buf[2] = this.p;
    let pos = writeVarint(buf, HEADER_BYTES, this.sortedLen);
    let prev = 0;
    for (let i = 0; i < this.sortedLen; i++) {
      const key = this.sorted[i]!;
      pos = writeVarint(buf, pos, key - prev);
      prev = key;
    }
    return buf.slice(0, pos);
  }

  /** Reads a serialized sketch; throws on anything serialize() would not produce. */
  static deserialize(bytes: Uint8Array): HyperLogLog {
    if (bytes.length < HEADER_BYTES) throw new Error('corrupt hyperloglog: too short');
    if (bytes[0] !== HLL_FORMAT_VERSION) throw new Error(`unsupported hyperloglog format version ${bytes[0]}`);
    const p = bytes[2]!;
    if (p < HLL_MIN_P || p > HLL_MAX_P) throw new Error(`corrupt hyperloglog: precision ${p}`);
    const hll = new HyperLogLog(p);
    if (bytes[1] === ENCODING_DENSE) {
      const n = denseByteLength(p);
      if (bytes.length !== HEADER_BYTES + n) throw new Error('corrupt hyperloglog: dense length');
      const regs = newDenseRegisters(p);
      regs.set(bytes.subarray(HEADER_BYTES), 0);
      const m = 1 << p;
      const maxRank = 64 - p;
      for (let i = 0; i < m; i++) {
        if (getRegister(regs, i) > maxRank) throw new Error('corrupt hyperloglog: register out of range');
      }
      // Bits past the last register must be zero for the bytes to be canonical.
      if ((m * 6) % 8 !== 0 && regs[n - 1]! >>> ((m * 6) % 8) !== 0) {
        throw new Error('corrupt hyperloglog: padding bits set');
      }
      hll.dense = regs;
      return hll;
    }
    if (bytes[1] !== ENCODING_SPARSE || hll.sparseLimit === 0) throw new Error('corrupt hyperloglog: encoding');
    const cursor = { pos: HEADER_BYTES };
    const count = readVarint(bytes, cursor);
    if (count > hll.sparseLimit) throw new Error('corrupt hyperloglog: too many sparse entries');
    const keys = new Uint32Array(count);
    let prev = 0;
    for (let i = 0; i < count; i++) {
      const gap = readVarint(bytes, cursor);
      const key = prev + gap;
      const rank = key & 63;
      if (key > 0x7fffffff || rank === 0 || rank > SPARSE_MAX_RHO || (i > 0 && key >>> 6 <= prev >>> 6)) {
        throw new Error('corrupt hyperloglog: sparse entry');
      }
      keys[i] = key;
      prev = key;
    }
    if (cursor.pos !== bytes.length) throw new Error('corrupt hyperloglog: trailing bytes');
    hll.sorted = keys;
    hll.sortedLen = count;
    return hll;
  }

  /** Sorts the append buffer into the key list; goes dense past the limit. */
  private flushPending(): void {
    if (this.pendingLen === 0) return;
    const pending = this.pending!.subarray(0, this.pendingLen);
    pending.sort();
    const out = new Uint32Array(this.sortedLen + this.pendingLen);
    this.sortedLen = mergeSparseKeys(this.sorted, this.sortedLen, pending, this.pendingLen, out);
    this.sorted = out;
    this.pendingLen = 0;
    if (this.sortedLen > this.sparseLimit) this.toDense();
  }

  private toDense(): void {
    if (this.dense !== null) return;
    this.flushPending();
    const regs = newDenseRegisters(this.p);
    for (let i = 0; i < this.sortedLen; i++) {
      const key = this.sorted[i]!;
      raiseRegister(regs, sparseKeyIndex(key, this.p), sparseKeyRank(key, this.p));
    }
    this.dense = regs;
    this.sorted = new Uint32Array(0);
    this.sortedLen = 0;
    this.pending = null;
    this.pendingLen = 0;
  }
}

function writeVarint(buf: Uint8Array, pos: number, v: number): number {
  while (v >= 0x80) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[pos++] = v;
  return pos;
}

function readVarint(bytes: Uint8Array, cursor: { pos: number }): number {
  let v = 0;
  let shift = 0;
  for (;;) {
    if (cursor.pos >= bytes.length || shift > 28) throw new Error('corrupt hyperloglog: varint');
    const b = bytes[cursor.pos++]!;
    v += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) {
      // Overlong encodings (a trailing zero group) would not round-trip.
      if (b === 0 && shift > 0) throw new Error('corrupt hyperloglog: varint');
      return v;
    }
    shift += 7;
  }
}
