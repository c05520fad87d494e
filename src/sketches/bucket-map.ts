// The state of bucket_agg: which bucket each distinct value was last seen in.
//
// A value is known by the 64-bit MurmurHash3 (h1) of its canonical bytes, so
// two distinct values share an entry only on a hash collision (2^-64 per
// pair). Each entry holds a bucket id (int2) and the timestamp of that
// assignment. An entry keeps the assignment with the greatest (timestamp,
// bucket id): a per-value maximum, so adding and merging are commutative,
// associative and idempotent, and any split of the input into partial states
// merges to the same map. The bucket id breaks timestamp ties only to keep
// that property (PipelineDB let the later row win a tie).
//
// Byte format, version 1 (little-endian; entries sorted by hash so equal maps
// give equal bytes whatever order they were built in):
//   u8 version, u32 n, n x (u32 hash high, u32 hash low), n x i16 bucket,
//   n x f64 timestamp
import { murmurHash3x64_128 } from './hash.js';

export const BUCKET_MAP_FORMAT_VERSION = 1;
const HEADER_BYTES = 5;
const ENTRY_BYTES = 18;

/** The key of SQL NULL: bucket_agg counts NULL as one value, as PipelineDB (which hashed it to 0). */
const NULL_LO = 0;
const NULL_HI = 0;
// Any nonzero seed: with seed 0 the empty byte string would hash to NULL's key.
const SEED_LO = 0x2f6b5d13;
const SEED_HI = 0x9e3779b9;

const hashOut = new Uint32Array(4);

export class BucketMap {
  private lo = new Uint32Array(8);
  private hi = new Uint32Array(8);
  private bucket = new Int16Array(8);
  private ts = new Float64Array(8);
  /** Open addressing: entry index + 1 per slot, 0 for empty; never more than half full. */
  private slots = new Int32Array(16);
  private count = 0;

  /** The number of distinct values. */
  get size(): number {
    return this.count;
  }

  /** Assigns a value (its canonical bytes, or null for SQL NULL) to a bucket at a timestamp. */
  add(value: Uint8Array | null, bucket: number, ts: number): void {
    if (value === null) {
      this.assign(NULL_LO, NULL_HI, bucket, ts);
      return;
    }
    murmurHash3x64_128(value, SEED_LO, SEED_HI, hashOut);
    this.assign(hashOut[0]!, hashOut[1]!, bucket, ts);
  }

  /** In place: every value of other, each keeping the later of the two assignments. */
  mergeFrom(other: BucketMap): this {
    for (let i = 0; i < other.count; i++) this.assign(other.lo[i]!, other.hi[i]!, other.bucket[i]!, other.ts[i]!);
    return this;
  }

  /** The bucket of a value, or undefined when it was never added. */
  bucketOf(value: Uint8Array | null): number | undefined {
    let lo = NULL_LO;
    let hi = NULL_HI;
    if (value !== null) {
      murmurHash3x64_128(value, SEED_LO, SEED_HI, hashOut);
      lo = hashOut[0]!;
      hi = hashOut[1]!;
    }
    const i = this.find(lo, hi);
    return i < 0 ? undefined : this.bucket[i];
  }

  serialize(): Uint8Array {
    const n = this.count;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const lo = this.lo;
    const hi = this.hi;
    order.sort((a, b) => hi[a]! - hi[b]! || lo[a]! - lo[b]!);
    const out = new Uint8Array(HEADER_BYTES + ENTRY_BYTES * n);
    const view = new DataView(out.buffer);
    out[0] = BUCKET_MAP_FORMAT_VERSION;
    view.setUint32(1, n, true);
    const bucketsAt = HEADER_BYTES + 8 * n;
    const tsAt = bucketsAt + 2 * n;
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      view.setUint32(HEADER_BYTES + 8 * k, hi[i]!, true);
      view.setUint32(HEADER_BYTES + 8 * k + 4, lo[i]!, true);
      view.setInt16(bucketsAt + 2 * k, this.bucket[i]!, true);
      view.setFloat64(tsAt + 8 * k, this.ts[i]!, true);
    }
    return out;
  }

  /** Reads serialize()'s bytes; throws on anything it would not produce. */
  static deserialize(bytes: Uint8Array): BucketMap {
    const n = readHeader(bytes);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const bucketsAt = HEADER_BYTES + 8 * n;
    const tsAt = bucketsAt + 2 * n;
    const map = new BucketMap();
    let prevHi = -1;
    let prevLo = -1;
    for (let k = 0; k < n; k++) {
      const hi = view.getUint32(HEADER_BYTES + 8 * k, true);
      const lo = view.getUint32(HEADER_BYTES + 8 * k + 4, true);
      // Strictly ascending hashes: no duplicate entries to resolve.
      if (hi < prevHi || (hi === prevHi && lo <= prevLo)) throw new Error('corrupt bucket map: hashes out of order');
      const ts = view.getFloat64(tsAt + 8 * k, true);
      if (Number.isNaN(ts)) throw new Error('corrupt bucket map: NaN timestamp');
      map.assign(lo, hi, view.getInt16(bucketsAt + 2 * k, true), ts);
      prevHi = hi;
      prevLo = lo;
    }
    return map;
  }

  private find(lo: number, hi: number): number {
    const mask = this.slots.length - 1;
    for (let s = lo & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s]! - 1;
      if (e < 0) return -1;
      if (this.lo[e] === lo && this.hi[e] === hi) return e;
    }
  }

  private assign(lo: number, hi: number, bucket: number, ts: number): void {
    const mask = this.slots.length - 1;
    let s = lo & mask;
    for (;;) {
      const e = this.slots[s]! - 1;
      if (e < 0) break;
      if (this.lo[e] === lo && this.hi[e] === hi) {
        const t = this.ts[e]!;
        if (ts > t || (ts === t && bucket > this.bucket[e]!)) {
          this.ts[e] = ts;
          this.bucket[e] = bucket;
        }
        return;
      }
      s = (s + 1) & mask;
    }
    const e = this.count++;
    if (e === this.lo.length) this.growEntries();
    this.lo[e] = lo;
    this.hi[e] = hi;
    this.bucket[e] = bucket;
    this.ts[e] = ts;
    this.slots[s] = e + 1;
    if (this.count * 2 > this.slots.length) this.rehash();
  }

  private growEntries(): void {
    const cap = this.lo.length * 2;
    const lo = new Uint32Array(cap);
    const hi = new Uint32Array(cap);
    const bucket = new Int16Array(cap);
    const ts = new Float64Array(cap);
    lo.set(this.lo);
    hi.set(this.hi);
    bucket.set(this.bucket);
    ts.set(this.ts);
    this.lo = lo;
    this.hi = hi;
    this.bucket = bucket;
    this.ts = ts;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let e = 0; e < this.count; e++) {
      let s = this.lo[e]! & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = e + 1;
    }
    this.slots = slots;
  }
}

function readHeader(bytes: Uint8Array): number {
  if (bytes.length < HEADER_BYTES) throw new Error('corrupt bucket map: too short');
  if (bytes[0] !== BUCKET_MAP_FORMAT_VERSION) throw new Error(`unsupported bucket map format version ${bytes[0]}`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(1, true);
  if (bytes.length !== HEADER_BYTES + ENTRY_BYTES * n) throw new Error('corrupt bucket map: length');
  return n;
}

/**
 * The buckets of a serialized map that hold at least one value, in ascending
 * id order, with how many values each holds. Reads only the bucket column.
 */
export function bucketCounts(bytes: Uint8Array): { ids: number[]; counts: number[] } {
  const n = readHeader(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = HEADER_BYTES + 8 * n;
  const counts = new Map<number, number>();
  for (let k = 0; k < n; k++) {
    const b = view.getInt16(at + 2 * k, true);
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  const ids = [...counts.keys()].sort((a, b) => a - b);
  return { ids, counts: ids.map((b) => counts.get(b)!) };
}

/** How many values of a serialized map are in one bucket. */
export function bucketCount(bytes: Uint8Array, bucket: number): number {
  const n = readHeader(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = HEADER_BYTES + 8 * n;
  let c = 0;
  for (let k = 0; k < n; k++) if (view.getInt16(at + 2 * k, true) === bucket) c++;
  return c;
}
