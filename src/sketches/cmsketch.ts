// Count-Min sketch with conservative update, as PipelineDB's cmsketch type
// (freq_agg / cmsketch_agg, freq, freq_norm, freq_total).
//
// Shape follows PipelineDB: width = ceil(e / eps), depth = ceil(ln(1 / (1 - p))),
// uint32 counters (PipelineDB increments by whole uint32 counts), a 64-bit total.
// Row i of a value uses column (h1 + i * h2) mod width, h1/h2 being two 32-bit
// hashes of the value's canonical bytes.
//
// Conservative update raises each of the value's counters only up to
// (current minimum + count), so an estimate never falls below the true count.
// Merging adds counters cell-wise; each cell stays >= the true total of the
// values mapped to it, so merged estimates never underestimate either.

import { PgError, SQLSTATE } from '../errors.js';
import { hashPair } from './cmsketch-hash.js';

export const CMS_DEFAULT_EPS = 0.002;
export const CMS_DEFAULT_P = 0.995;

const SEED_A = 0x99496f1d;
const SEED_B = 0xdc863e6f;
const FORMAT_VERSION = 1;
/** version(1) pad(3) depth(4) width(4) total(8), then depth*width uint32 LE. */
const HEADER_BYTES = 20;
const MAX_COUNTER = 0xffffffff;

const hashOut = new Uint32Array(2);

export class CountMinSketch {
  readonly depth: number;
  readonly width: number;
  /** Row-major counters: row i occupies [i * width, (i + 1) * width). */
  readonly table: Uint32Array;
  /** Sum of all counts added (freq_total). */
  total = 0;

  constructor(depth: number, width: number) {
    if (!Number.isInteger(depth) || depth < 1 || !Number.isInteger(width) || width < 1 || depth * width > 0x7fffffff) {
      throw new RangeError(`invalid count-min sketch dimensions ${depth}x${width}`);
    }
    this.depth = depth;
    this.width = width;
    this.table = new Uint32Array(depth * width);
  }

  /** A sketch sized for error eps*N with probability p (PipelineDB's formulas and defaults). */
  static withErrorBounds(eps: number = CMS_DEFAULT_EPS, p: number = CMS_DEFAULT_P): CountMinSketch {
    if (!(eps > 0 && eps < 1) || !(p > 0 && p < 1)) {
      throw new RangeError(`invalid count-min sketch parameters eps=${eps} p=${p}`);
    }
    return new CountMinSketch(Math.ceil(Math.log(1 / (1 - p))), Math.ceil(Math.E / eps));
  }

  /** Adds `count` (a whole number in [0, 2^32)) occurrences of the value with these canonical bytes. */
  add(value: Uint8Array, count = 1): void {
    hashPair(value, SEED_A, SEED_B, hashOut);
    this.addHashed(hashOut[0]!, hashOut[1]!, count);
  }

  /** add() for a value already hashed with cmsHash(). */
  addHashed(h1: number, h2: number, count = 1): void {
    if (!(count >= 0 && count <= MAX_COUNTER && count === Math.floor(count))) {
      throw new RangeError(`count-min sketch count out of range: ${count}`);
    }
    const table = this.table;
    const width = this.width;
    const end = this.table.length;
    // Column of row i is (h1 + i * h2) mod width, stepped in small integers.
    const first = h1 % width;
    const step = h2 % width;
    let min = MAX_COUNTER;
    for (let start = 0, col = first; start < end; start += width) {
      const c = table[start + col]!;
      if (c < min) min = c;
      col += step;
      if (col >= width) col -= width;
    }
    let target = min + count;
    if (target > MAX_COUNTER) target = MAX_COUNTER; // saturate rather than wrap
    for (let start = 0, col = first; start < end; start += width) {
      const idx = start + col;
      if (table[idx]! < target) table[idx] = target;
      col += step;
      if (col >= width) col -= width;
    }
    this.total += count;
  }

  /** Estimated number of occurrences (freq); never below the true count. */
  estimate(value: Uint8Array): number {
    hashPair(value, SEED_A, SEED_B, hashOut);
    return this.estimateHashed(hashOut[0]!, hashOut[1]!);
  }

  estimateHashed(h1: number, h2: number): number {
    const table = this.table;
    const width = this.width;
    const end = this.table.length;
    const step = h2 % width;
    let min = MAX_COUNTER;
    for (let start = 0, col = h1 % width; start < end; start += width) {
      const c = table[start + col]!;
      if (c < min) min = c;
      col += step;
      if (col >= width) col -= width;
    }
    return min;
  }

  /** estimate / total (freq_norm); NaN on an empty sketch, as 0/0 in PipelineDB's C. */
  normalizedFrequency(value: Uint8Array): number {
    return this.estimate(value) / this.total;
  }

  /** Adds `other` into this sketch cell by cell (both must have the same dimensions). */
  merge(other: CountMinSketch): void {
    if (other.depth !== this.depth || other.width !== this.width) {
      throw new PgError(SQLSTATE.internal_error, 'cannot merge count-min sketches of different sizes');
    }
    const a = this.table;
    const b = other.table;
    for (let i = 0; i < a.length; i++) {
      const s = a[i]! + b[i]!;
      a[i] = s > MAX_COUNTER ? MAX_COUNTER : s;
    }
    this.total += other.total;
  }

  clone(): CountMinSketch {
    const c = new CountMinSketch(this.depth, this.width);
    c.table.set(this.table);
    c.total = this.total;
    return c;
  }

  serialize(): Uint8Array {
    const out = new Uint8Array(HEADER_BYTES + this.table.length * 4);
    const dv = new DataView(out.buffer);
    out[0] = FORMAT_VERSION;
    dv.setUint32(4, this.depth, true);
    dv.setUint32(8, this.width, true);
    dv.setBigUint64(12, BigInt(this.total), true);
    const table = this.table;
    for (let i = 0, off = HEADER_BYTES; i < table.length; i++, off += 4) dv.setUint32(off, table[i]!, true);
    return out;
  }

  static deserialize(bytes: Uint8Array): CountMinSketch {
    if (bytes.length < HEADER_BYTES || bytes[0] !== FORMAT_VERSION) {
      throw new PgError(SQLSTATE.invalid_binary_representation, 'invalid count-min sketch');
    }
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const depth = dv.getUint32(4, true);
    const width = dv.getUint32(8, true);
    if (depth < 1 || width < 1 || bytes.length !== HEADER_BYTES + depth * width * 4) {
      throw new PgError(SQLSTATE.invalid_binary_representation, 'invalid count-min sketch');
    }
    const cms = new CountMinSketch(depth, width);
    cms.total = Number(dv.getBigUint64(12, true));
    const table = cms.table;
    for (let i = 0, off = HEADER_BYTES; i < table.length; i++, off += 4) table[i] = dv.getUint32(off, true);
    return cms;
  }
}

/** The two hashes add()/estimate() use for these bytes, written to out[0], out[1]. */
export function cmsHash(value: Uint8Array, out: Uint32Array): void {
  hashPair(value, SEED_A, SEED_B, out);
}
