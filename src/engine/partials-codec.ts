// Partial aggregates of one batch for one combiner: for each view, the
// groups it touched as (key bytes, state bytes) pairs, packed into one
// ArrayBuffer that is transferred (not copied) from a worker to a combiner.
//
// Layout (little endian):
//   u32 viewCount
//   per view: u32 viewOid, u32 groupCount, then per group:
//             u32 keyLength, key bytes, u32 stateLength, state bytes
//
// A view whose states are all fixed kinds (planner/fixed-fields.ts) and
// whose batch had only numeric key ids travels instead as RecordPartials:
// the worker's records of doubles as they are, transferred too. Encoding
// them as bytes and decoding them again took a third of a bulk load's
// worker time and part of the combiner's.

import { ByteWriter } from '../planner/bytes.js';

/**
 * One view's groups of a batch as records of doubles: per group its numeric
 * key id (key-string.ts), then its fields (fixed-fields.ts); `stride`
 * doubles a record.
 */
export interface RecordPartials {
  viewOid: number;
  stride: number;
  records: Float64Array<ArrayBuffer>;
}

/**
 * Builds one partials message group by group, the states serialized
 * straight into it (no array per group, no second copy). The groups of a
 * view must be added together: a new view starts a new run.
 */
export class PartialsWriter {
  readonly w = new ByteWriter(4096);
  private viewCount = 0;
  private viewOid = -1;
  /** Where the current view's group count goes, and its groups so far. */
  private countAt = -1;
  private groups = 0;
  /** Where the current group's state length goes, and its key's length. */
  private stateAt = 0;
  private keyLength = 0;
  /** Views sent as records; their buffers are transferred with the message. */
  private records: RecordPartials[] = [];

  constructor() {
    this.reset();
  }

  /** Empties the message (the buffer is kept). */
  reset(): void {
    this.w.pos = 4;
    this.viewCount = 0;
    this.viewOid = -1;
    this.countAt = -1;
    this.groups = 0;
    this.records = [];
  }

  /** Adds a view's groups as records (the array is transferred, not copied: the caller lets it go). */
  addRecords(viewOid: number, stride: number, records: Float64Array<ArrayBuffer>): void {
    this.records.push({ viewOid, stride, records });
  }

  /** The views added as records since reset(). */
  recordPartials(): RecordPartials[] {
    return this.records;
  }

  /**
   * Starts a group: writes its key (the first `keyLength` bytes of `key`);
   * the caller then writes its states into `w` and calls endGroup().
   */
  beginGroup(viewOid: number, key: Uint8Array, keyLength = key.length): ByteWriter {
    const w = this.w;
    if (viewOid !== this.viewOid) {
      this.closeView();
      this.viewOid = viewOid;
      this.viewCount++;
      w.ensure(8);
      putU32(w.buf, w.pos, viewOid);
      this.countAt = w.pos + 4;
      w.pos += 8;
      this.groups = 0;
    }
    w.ensure(8 + keyLength);
    putU32(w.buf, w.pos, keyLength);
    if (keyLength === key.length) w.buf.set(key, w.pos + 4);
    else for (let i = 0, p = w.pos + 4; i < keyLength; i++) w.buf[p + i] = key[i]!;
    w.pos += 4 + keyLength;
    this.keyLength = keyLength;
    this.stateAt = w.pos;
    w.pos += 4;
    return w;
  }

  /** Ends the group begun last; returns its key and state bytes (for statistics). */
  endGroup(): number {
    const w = this.w;
    const stateLength = w.pos - this.stateAt - 4;
    putU32(w.buf, this.stateAt, stateLength);
    this.groups++;
    return this.keyLength + stateLength;
  }

  /** Where the message stands, to roll back to if a view's groups cannot all be written. */
  mark(): { pos: number; viewCount: number; viewOid: number; countAt: number; groups: number } {
    return { pos: this.w.pos, viewCount: this.viewCount, viewOid: this.viewOid, countAt: this.countAt, groups: this.groups };
  }

  rollback(m: ReturnType<PartialsWriter['mark']>): void {
    this.w.pos = m.pos;
    this.viewCount = m.viewCount;
    this.viewOid = m.viewOid;
    this.countAt = m.countAt;
    this.groups = m.groups;
  }

  get empty(): boolean {
    return this.viewCount === 0 && this.records.length === 0;
  }

  /** The message, in a buffer of its own (to transfer). */
  finish(): ArrayBuffer {
    this.closeView();
    putU32(this.w.buf, 0, this.viewCount);
    return this.w.buf.slice(0, this.w.pos).buffer;
  }

  private closeView(): void {
    if (this.countAt >= 0) putU32(this.w.buf, this.countAt, this.groups);
  }
}

/**
 * Writes `count` groups, the i-th by writeGroup(i) (which returns its key
 * and state bytes); returns their bytes. When it throws, none is left in
 * the writers.
 */
export function writeGroups(writers: readonly PartialsWriter[], count: number, writeGroup: (i: number) => number): number {
  const marks = writers.map((w) => w.mark());
  let bytes = 0;
  try {
    for (let i = 0; i < count; i++) bytes += writeGroup(i);
  } catch (e) {
    writers.forEach((w, c) => w.rollback(marks[c]!));
    throw e;
  }
  return bytes;
}

function putU32(buf: Uint8Array, p: number, v: number): void {
  buf[p] = v & 0xff;
  buf[p + 1] = (v >>> 8) & 0xff;
  buf[p + 2] = (v >>> 16) & 0xff;
  buf[p + 3] = (v >>> 24) & 0xff;
}

/**
 * Calls `onGroup` for every group with where it lies in the message: its
 * key is bytes [keyStart, keyEnd) of `bytes`, its states bytes
 * [stateStart, stateEnd) (no view is made of either).
 */
export function forEachPartialAt(
  buf: ArrayBuffer,
  onGroup: (viewOid: number, bytes: Uint8Array, keyStart: number, keyEnd: number, stateStart: number, stateEnd: number) => void,
): void {
  const dv = new DataView(buf);
  const bytes = new Uint8Array(buf);
  let p = 0;
  const viewCount = dv.getUint32(p, true);
  p += 4;
  for (let v = 0; v < viewCount; v++) {
    const viewOid = dv.getUint32(p, true);
    const groups = dv.getUint32(p + 4, true);
    p += 8;
    for (let g = 0; g < groups; g++) {
      const kl = dv.getUint32(p, true);
      const keyStart = p + 4;
      const keyEnd = keyStart + kl;
      const sl = dv.getUint32(keyEnd, true);
      const stateStart = keyEnd + 4;
      p = stateStart + sl;
      onGroup(viewOid, bytes, keyStart, keyEnd, stateStart, p);
    }
  }
}

/** Which combiner owns a group: a stable hash of its key bytes (FNV-1a; the first `keyLength` of `key`). */
export function combinerFor(key: Uint8Array, combiners: number, keyLength = key.length): number {
  // One combiner (the default) owns every key: no hash per group.
  if (combiners === 1) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < keyLength; i++) {
    h ^= key[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % combiners;
}
