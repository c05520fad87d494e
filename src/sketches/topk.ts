// Filtered-Space-Saving top-K summary, as PipelineDB's FSS type
// (topk_agg / fss_agg, topk, topk_values, topk_freqs).
//
// Layout and rules follow PipelineDB: for k requested elements it monitors
// m = 3k elements and keeps a filter of h = 18k counters. A value hashes to one
// filter counter (hash mod h). A counter holds alpha (weight seen by values at
// that counter that are not monitored) and how many monitored elements map to it.
// An unmonitored value enters the monitored list once alpha + weight reaches the
// smallest monitored frequency, evicting the last element (whose frequency then
// becomes its counter's alpha). The list is kept sorted by frequency descending,
// then error ascending; we break remaining ties by the value's bytes (then hash)
// so the order is deterministic, where PipelineDB leaves it to qsort.
//
// `count` mirrors PipelineDB's FSS count: one per add() call, whatever the weight.

import { PgError, SQLSTATE } from '../errors.js';
import { hash32 } from './cmsketch-hash.js';

const FSS_SEED = 0x451c1fb8;
const FORMAT_VERSION = 1;
/** version(1) pad(3) k(4) m(4) h(4) size(4) count(f64) */
const HEADER_BYTES = 28;
const NULL_LENGTH = 0xffffffff;

/** Default hash add() uses when the caller does not supply one. */
export function topkHash(value: Uint8Array | null): number {
  return value === null ? 0 : hash32(value, FSS_SEED);
}

/** [value's canonical bytes (null for SQL NULL), estimated frequency] */
export type TopKEntry = [Uint8Array | null, number];

function compareBytes(a: Uint8Array | null, b: Uint8Array | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

function sameValue(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class FilteredSpaceSaving {
  readonly k: number;
  /** Monitored element capacity (3k). */
  readonly m: number;
  /** Filter counters (18k). */
  readonly h: number;
  /** Per filter counter: weight of unmonitored values. */
  readonly alpha: Float64Array;
  /** Per filter counter: monitored elements hashed to it. */
  readonly monitoredAt: Uint32Array;
  /** Monitored elements occupy slots [0, size), sorted (see header). */
  size = 0;
  readonly freq: Float64Array;
  readonly error: Float64Array;
  readonly hash: Uint32Array;
  readonly values: (Uint8Array | null)[];
  /** Number of add() calls (PipelineDB's FSS count). */
  count = 0;

  constructor(k: number, m = k * 3, h = k * 18) {
    if (!Number.isInteger(k) || k < 1 || !Number.isInteger(m) || m < k || !Number.isInteger(h) || h < 1 || h > 0x7fffffff) {
      throw new RangeError(`invalid top-k sketch size k=${k} m=${m} h=${h}`);
    }
    this.k = k;
    this.m = m;
    this.h = h;
    this.alpha = new Float64Array(h);
    this.monitoredAt = new Uint32Array(h);
    this.freq = new Float64Array(m);
    this.error = new Float64Array(m);
    this.hash = new Uint32Array(m);
    this.values = new Array<Uint8Array | null>(m).fill(null);
  }

  /**
   * Adds `weight` (a whole number >= 0) occurrences of the value with these
   * canonical bytes (null = SQL NULL). `hash` must be the same function of the
   * bytes for every add into sketches that will be merged. The bytes are copied
   * when the value becomes monitored, so the caller may reuse its buffer.
   */
  add(value: Uint8Array | null, weight = 1, hash: number = topkHash(value)): void {
    if (!Number.isInteger(weight) || weight < 0) throw new RangeError(`top-k weight out of range: ${weight}`);
    const counterIdx = (hash >>> 0) % this.h;
    const size = this.size;
    if (this.monitoredAt[counterIdx]! > 0) {
      const hashes = this.hash;
      for (let i = 0; i < size; i++) {
        if (hashes[i] === hash >>> 0 && sameValue(this.values[i]!, value)) {
          this.freq[i] += weight;
          this.bubbleUp(i);
          this.count++;
          return;
        }
      }
    }
    const full = size === this.m;
    const minFreq = full ? this.freq[this.m - 1]! : 0;
    if (this.alpha[counterIdx]! + weight >= minFreq) {
      let slot: number;
      if (full) {
        // Evict the last (least frequent) element; its counter remembers its frequency.
        slot = this.m - 1;
        const evictedCounter = this.hash[slot]! % this.h;
        this.monitoredAt[evictedCounter]--;
        this.alpha[evictedCounter] = this.freq[slot]!;
      } else {
        slot = size;
        this.size = size + 1;
      }
      // Read alpha after eviction: the evicted element may share this counter.
      const alpha = this.alpha[counterIdx]!;
      this.freq[slot] = alpha + weight;
      this.error[slot] = alpha;
      this.hash[slot] = hash >>> 0;
      this.values[slot] = value === null ? null : value.slice();
      this.monitoredAt[counterIdx]++;
      this.bubbleUp(slot);
    } else {
      this.alpha[counterIdx] += weight;
    }
    this.count++;
  }

  /** True when slot a must come before slot b. */
  private precedes(a: number, b: number): boolean {
    const fa = this.freq[a]!;
    const fb = this.freq[b]!;
    if (fa !== fb) return fa > fb;
    const ea = this.error[a]!;
    const eb = this.error[b]!;
    if (ea !== eb) return ea < eb;
    const c = compareBytes(this.values[a]!, this.values[b]!);
    if (c !== 0) return c < 0;
    return this.hash[a]! < this.hash[b]!;
  }

  /** Restores order after slot i's element moved up in rank (all others stay sorted). */
  private bubbleUp(i: number): void {
    while (i > 0 && this.precedes(i, i - 1)) {
      this.swap(i, i - 1);
      i--;
    }
  }

  private swap(a: number, b: number): void {
    const f = this.freq[a]!; this.freq[a] = this.freq[b]!; this.freq[b] = f;
    const e = this.error[a]!; this.error[a] = this.error[b]!; this.error[b] = e;
    const h = this.hash[a]!; this.hash[a] = this.hash[b]!; this.hash[b] = h;
    const v = this.values[a]!; this.values[a] = this.values[b]!; this.values[b] = v;
  }

  /** The n (default k) most frequent elements, most frequent first (topk). */
  topk(n: number = this.k): TopKEntry[] {
    if (n > this.k) throw new PgError(SQLSTATE.internal_error, 'maximum value for k exceeded');
    const found = Math.min(n, this.size);
    const out: TopKEntry[] = new Array(found);
    for (let i = 0; i < found; i++) out[i] = [this.values[i]!, this.freq[i]!];
    return out;
  }

  /**
   * Merges `other` into this summary the way PipelineDB does: filter alphas add,
   * elements monitored in both add frequency and error, the union is re-sorted
   * and the first m kept.
   */
  merge(other: FilteredSpaceSaving): void {
    if (other.m !== this.m || other.h !== this.h) {
      throw new PgError(SQLSTATE.internal_error, 'cannot merge top-k sketches of different sizes');
    }
    for (let i = 0; i < this.h; i++) this.alpha[i] += other.alpha[i]!;

    const ownSize = this.size;
    let total = ownSize;
    const freq = Array.from(this.freq.subarray(0, ownSize));
    const error = Array.from(this.error.subarray(0, ownSize));
    const hash = Array.from(this.hash.subarray(0, ownSize));
    const values = this.values.slice(0, ownSize);
    for (let j = 0; j < other.size; j++) {
      const oh = other.hash[j]!;
      const ov = other.values[j]!;
      let found = -1;
      for (let i = 0; i < ownSize; i++) {
        if (hash[i] === oh && sameValue(values[i]!, ov)) { found = i; break; }
      }
      if (found >= 0) {
        freq[found] += other.freq[j]!;
        error[found] += other.error[j]!;
      } else {
        freq.push(other.freq[j]!);
        error.push(other.error[j]!);
        hash.push(oh);
        values.push(ov === null ? null : ov.slice());
        total++;
      }
    }

    const order = new Array<number>(total);
    for (let i = 0; i < total; i++) order[i] = i;
    order.sort((a, b) => {
      if (freq[a] !== freq[b]) return freq[b]! - freq[a]!;
      if (error[a] !== error[b]) return error[a]! - error[b]!;
      const c = compareBytes(values[a]!, values[b]!);
      return c !== 0 ? c : hash[a]! - hash[b]!;
    });

    const keep = Math.min(total, this.m);
    this.monitoredAt.fill(0);
    for (let i = 0; i < keep; i++) {
      const src = order[i]!;
      this.freq[i] = freq[src]!;
      this.error[i] = error[src]!;
      this.hash[i] = hash[src]!;
      this.values[i] = values[src]!;
      this.monitoredAt[hash[src]! % this.h]++;
    }
    for (let i = keep; i < this.m; i++) {
      this.freq[i] = 0;
      this.error[i] = 0;
      this.hash[i] = 0;
      this.values[i] = null;
    }
    this.size = keep;
    this.count += other.count;
  }

  serialize(): Uint8Array {
    let len = HEADER_BYTES + this.h * 8;
    for (let i = 0; i < this.size; i++) len += 24 + (this.values[i]?.length ?? 0);
    const out = new Uint8Array(len);
    const dv = new DataView(out.buffer);
    out[0] = FORMAT_VERSION;
    dv.setUint32(4, this.k, true);
    dv.setUint32(8, this.m, true);
    dv.setUint32(12, this.h, true);
    dv.setUint32(16, this.size, true);
    dv.setFloat64(20, this.count, true);
    let off = HEADER_BYTES;
    for (let i = 0; i < this.h; i++, off += 8) dv.setFloat64(off, this.alpha[i]!, true);
    for (let i = 0; i < this.size; i++) {
      const v = this.values[i]!;
      dv.setFloat64(off, this.freq[i]!, true);
      dv.setFloat64(off + 8, this.error[i]!, true);
      dv.setUint32(off + 16, this.hash[i]!, true);
      dv.setUint32(off + 20, v === null ? NULL_LENGTH : v.length, true);
      off += 24;
      if (v !== null) {
        out.set(v, off);
        off += v.length;
      }
    }
    return out;
  }

  static deserialize(bytes: Uint8Array): FilteredSpaceSaving {
    const bad = (): PgError => new PgError(SQLSTATE.invalid_binary_representation, 'invalid top-k sketch');
    if (bytes.length < HEADER_BYTES || bytes[0] !== FORMAT_VERSION) throw bad();
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const k = dv.getUint32(4, true);
    const m = dv.getUint32(8, true);
    const h = dv.getUint32(12, true);
    const size = dv.getUint32(16, true);
    if (k < 1 || m < k || h < 1 || size > m || bytes.length < HEADER_BYTES + h * 8) throw bad();
    const fss = new FilteredSpaceSaving(k, m, h);
    fss.count = dv.getFloat64(20, true);
    let off = HEADER_BYTES;
    for (let i = 0; i < h; i++, off += 8) fss.alpha[i] = dv.getFloat64(off, true);
    for (let i = 0; i < size; i++) {
      if (off + 24 > bytes.length) throw bad();
      fss.freq[i] = dv.getFloat64(off, true);
      fss.error[i] = dv.getFloat64(off + 8, true);
      const hv = dv.getUint32(off + 16, true);
      const len = dv.getUint32(off + 20, true);
      off += 24;
      fss.hash[i] = hv;
      if (len === NULL_LENGTH) {
        fss.values[i] = null;
      } else {
        if (off + len > bytes.length) throw bad();
        fss.values[i] = bytes.slice(off, off + len);
        off += len;
      }
      fss.monitoredAt[hv % h]++;
    }
    if (off !== bytes.length) throw bad();
    fss.size = size;
    return fss;
  }
}
