// Where each cached group of a FixedTable lives: KeyId -> slot. Most group
// keys are short and their KeyIds numbers (engine/key-string.ts); a Map
// keyed by numbers past 2^31 boxes each key and costs about 50 bytes and a
// hash-table walk per group, a third of a bulk load's merge time. Numeric
// ids go instead into an open-addressing table of slot numbers (linear
// probing, at most half full, backward-shift deletion so no tombstones),
// the id itself kept per slot in a Float64Array; string ids (keys longer
// than 6 bytes) keep a Map.
import type { KeyId } from '../engine/key-string.js';

const INITIAL_BUCKETS = 2048;

export class SlotIndex {
  /** slot + 1 per bucket, 0 when empty. */
  private buckets = new Int32Array(INITIAL_BUCKETS);
  private mask = INITIAL_BUCKETS - 1;
  private numericCount = 0;
  /** The numeric id stored at each slot (read through the buckets). */
  private idOfSlot = new Float64Array(1024);
  private readonly strings = new Map<string, number>();
  /** The string id stored at each slot that holds one. */
  private readonly stringOfSlot: (string | undefined)[] = [];

  get size(): number {
    return this.numericCount + this.strings.size;
  }

  /** Whether any id is a string (a key longer than 6 bytes). */
  get hasStrings(): boolean {
    return this.strings.size > 0;
  }

  /** The slot of `id`, or -1. */
  get(id: KeyId): number {
    if (typeof id !== 'number') return this.strings.get(id) ?? -1;
    const buckets = this.buckets;
    const mask = this.mask;
    for (let b = hashOf(id) & mask; ; b = (b + 1) & mask) {
      const s = buckets[b]!;
      if (s === 0) return -1;
      if (this.idOfSlot[s - 1] === id) return s - 1;
    }
  }

  /** The id stored at `slot` (one that holds a group). */
  idAt(slot: number): KeyId {
    if (this.strings.size === 0) return this.idOfSlot[slot]!;
    return this.stringOfSlot[slot] ?? this.idOfSlot[slot]!;
  }

  /** Records that `id` (not in the index) lives at `slot`. */
  set(id: KeyId, slot: number): void {
    if (typeof id !== 'number') {
      this.strings.set(id, slot);
      this.stringOfSlot[slot] = id;
      return;
    }
    if (this.stringOfSlot[slot] !== undefined) this.stringOfSlot[slot] = undefined;
    if (slot >= this.idOfSlot.length) {
      const grown = new Float64Array(Math.max(slot + 1, this.idOfSlot.length * 2));
      grown.set(this.idOfSlot);
      this.idOfSlot = grown;
    }
    this.idOfSlot[slot] = id;
    if (++this.numericCount * 2 > this.buckets.length) this.rehash(this.buckets.length * 2);
    const buckets = this.buckets;
    const mask = this.mask;
    let b = hashOf(id) & mask;
    while (buckets[b] !== 0) b = (b + 1) & mask;
    buckets[b] = slot + 1;
  }

  /** Removes `id`, which lives at `slot`. */
  delete(id: KeyId, slot: number): void {
    if (typeof id !== 'number') {
      this.strings.delete(id);
      this.stringOfSlot[slot] = undefined;
      return;
    }
    const buckets = this.buckets;
    const mask = this.mask;
    let hole = hashOf(id) & mask;
    while (buckets[hole] !== slot + 1) {
      if (buckets[hole] === 0) return;
      hole = (hole + 1) & mask;
    }
    this.numericCount--;
    // Backward shift: move up each later entry of the run that may sit at or before the hole.
    for (let b = (hole + 1) & mask; buckets[b] !== 0; b = (b + 1) & mask) {
      const home = hashOf(this.idOfSlot[buckets[b]! - 1]!) & mask;
      // The entry may move to the hole unless its home lies cyclically in (hole, b].
      const stays = hole <= b ? home > hole && home <= b : home > hole || home <= b;
      if (stays) continue;
      buckets[hole] = buckets[b]!;
      hole = b;
    }
    buckets[hole] = 0;
  }

  private rehash(size: number): void {
    const old = this.buckets;
    const buckets = new Int32Array(size);
    const mask = size - 1;
    for (let i = 0; i < old.length; i++) {
      const s = old[i]!;
      if (s === 0) continue;
      let b = hashOf(this.idOfSlot[s - 1]!) & mask;
      while (buckets[b] !== 0) b = (b + 1) & mask;
      buckets[b] = s;
    }
    this.buckets = buckets;
    this.mask = mask;
  }
}

/** A 32-bit mix of a numeric KeyId (an integer below 2^53). */
function hashOf(id: number): number {
  const lo = id >>> 0;
  const hi = (id - lo) / 4294967296;
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
