// A growable list of slot numbers in one Int32Array, reused from commit to
// commit. The combiner's list of changed slots reaches a million entries in
// a bulk load; as a JS array it took 8 bytes a slot, and each commit's
// filtered copy and each growth left a large array behind, which only a
// full GC frees (31 MB of them in one combiner's heap after the suite's
// loads, bench/RESULTS.md).

export class SlotList {
  private slots: Int32Array<ArrayBuffer>;
  private count = 0;

  constructor(initialCapacity = 1024) {
    this.slots = new Int32Array(Math.max(1, initialCapacity));
  }

  get length(): number {
    return this.count;
  }

  /** The i-th slot (0 <= i < length). */
  at(i: number): number {
    return this.slots[i]!;
  }

  push(slot: number): void {
    if (this.count === this.slots.length) {
      const grown = new Int32Array(this.slots.length * 2);
      grown.set(this.slots);
      this.slots = grown;
    }
    this.slots[this.count++] = slot;
  }

  /** The last slot, removed; undefined when empty. */
  pop(): number | undefined {
    return this.count === 0 ? undefined : this.slots[--this.count];
  }

  /** Keeps the slots for which `keep` is true, in order. */
  retain(keep: (slot: number) => boolean): void {
    const slots = this.slots;
    let w = 0;
    for (let r = 0; r < this.count; r++) {
      const s = slots[r]!;
      if (keep(s)) slots[w++] = s;
    }
    this.count = w;
  }

  clear(): void {
    this.count = 0;
  }

  /** A copy of the slots, in order. */
  copy(): Int32Array<ArrayBuffer> {
    return this.slots.slice(0, this.count);
  }
}
