// Where each group lives, by key id: KeyId -> slot, for a combiner's
// FixedTable and a worker's batch of groups (worker/partial-aggregator.ts).
// Most group keys are short and their KeyIds numbers (key-string.ts); a Map
// keyed by numbers past 2^31 boxes each key and costs about 50 bytes and a
// hash-table walk per group, a third of a bulk load's merge time. Numeric
// ids go instead into an open-addressing table (linear probing, at most
// half full, backward-shift deletion so no tombstones) of (hash, slot)
// pairs; string ids (keys longer than 6 bytes) keep a Map.
//
// The ids themselves live with the groups (NumericIds: a FixedTable keeps
// each group's id in the group's record): a lookup that finds its group
// then costs two cache misses in all, the bucket and the record the merge
// reads anyway, where a table of its own ids cost one more per lookup (a
// bulk load's merges are mostly cache misses).
import type { KeyId } from './key-string.js';

const INITIAL_BUCKETS = 2048;

/** The numeric id held at each slot that holds one. */
export interface NumericIds {
  idOf(slot: number): number;
}

export class SlotIndex {
  /** Per bucket: the 32-bit hash of its id, then slot + 1 (0 when empty). */
  private buckets = new Int32Array(2 * INITIAL_BUCKETS);
  private mask = INITIAL_BUCKETS - 1;
  private numericCount = 0;
  private readonly strings = new Map<string, number>();
  /** The string id stored at each slot that holds one. */
  private readonly stringOfSlot: (string | undefined)[] = [];

  constructor(private readonly ids: NumericIds) {}

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
    const h = hashOf(id);
    for (let b = h & mask; ; b = (b + 1) & mask) {
      const s = buckets[2 * b + 1]!;
      if (s === 0) return -1;
      if (buckets[2 * b] === h && this.ids.idOf(s - 1) === id) return s - 1;
    }
  }

  /**
   * The slot in the home bucket of numeric `id`, or -1: where get() would
   * look first (it may belong to another id). Reading it brings the bucket
   * into the cache.
   */
  homeSlot(id: number): number {
    return this.buckets[2 * (hashOf(id) & this.mask) + 1]! - 1;
  }

  /** The id stored at `slot` (one that holds a group). */
  idAt(slot: number): KeyId {
    if (this.strings.size === 0) return this.ids.idOf(slot);
    return this.stringOfSlot[slot] ?? this.ids.idOf(slot);
  }

  /** Records that `id` (not in the index) lives at `slot` (where `ids` already holds a numeric id). */
  set(id: KeyId, slot: number): void {
    if (typeof id !== 'number') {
      this.strings.set(id, slot);
      this.stringOfSlot[slot] = id;
      return;
    }
    if (this.stringOfSlot[slot] !== undefined) this.stringOfSlot[slot] = undefined;
    if (++this.numericCount * 2 > this.buckets.length / 2) this.rehash(this.buckets.length);
    this.place(this.buckets, this.mask, hashOf(id), slot + 1);
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
    while (buckets[2 * hole + 1] !== slot + 1) {
      if (buckets[2 * hole + 1] === 0) return;
      hole = (hole + 1) & mask;
    }
    this.numericCount--;
    // Backward shift: move up each later entry of the run that may sit at or before the hole.
    for (let b = (hole + 1) & mask; buckets[2 * b + 1] !== 0; b = (b + 1) & mask) {
      const home = buckets[2 * b]! & mask;
      // The entry may move to the hole unless its home lies cyclically in (hole, b].
      const stays = hole <= b ? home > hole && home <= b : home > hole || home <= b;
      if (stays) continue;
      buckets[2 * hole] = buckets[2 * b]!;
      buckets[2 * hole + 1] = buckets[2 * b + 1]!;
      hole = b;
    }
    buckets[2 * hole] = 0;
    buckets[2 * hole + 1] = 0;
  }

  /**
   * Removes every id. The buckets keep their size while they were at least
   * a quarter used, so a run of similar batches allocates nothing; after a
   * much larger batch they shrink, so emptying them does not cost its size
   * every time.
   */
  clear(): void {
    const buckets = this.buckets.length / 2;
    if (buckets > INITIAL_BUCKETS && this.numericCount * 8 < buckets) {
      let size = INITIAL_BUCKETS;
      while (size < this.numericCount * 4) size *= 2;
      this.buckets = new Int32Array(2 * size);
      this.mask = size - 1;
    } else if (this.numericCount > 0) this.buckets.fill(0);
    this.numericCount = 0;
    this.strings.clear();
    this.stringOfSlot.length = 0;
  }

  /** Puts a (hash, slot + 1) pair in the first free bucket from its home. */
  private place(buckets: Int32Array, mask: number, h: number, slotPlusOne: number): void {
    let b = h & mask;
    while (buckets[2 * b + 1] !== 0) b = (b + 1) & mask;
    buckets[2 * b] = h;
    buckets[2 * b + 1] = slotPlusOne;
  }

  /** Doubles the buckets (`size`: the current array length, twice the bucket count). */
  private rehash(size: number): void {
    const old = this.buckets;
    const buckets = new Int32Array(2 * size);
    const mask = size - 1;
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== 0) this.place(buckets, mask, old[i]!, old[i + 1]!);
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
