// A growable list of integers in one Int32Array, kept and reused rather than
// made again. The combiner's list of changed slots reaches a million entries
// in a bulk load; as a JS array it took 8 bytes a slot, and each commit's
// filtered copy and each growth left a large array behind, which only a
// full GC frees (31 MB of them in one combiner's heap after the suite's
// loads, bench/RESULTS.md). The literal INSERT scan keeps its offsets in two.

export class Int32List {
  private values: Int32Array<ArrayBuffer>;
  private count = 0;

  constructor(initialCapacity = 1024) {
    this.values = new Int32Array(Math.max(1, initialCapacity));
  }

  get length(): number {
    return this.count;
  }

  /** Entries it holds without growing. */
  get capacity(): number {
    return this.values.length;
  }

  /** The i-th value (0 <= i < length). */
  at(i: number): number {
    return this.values[i]!;
  }

  push(value: number): void {
    if (this.count === this.values.length) {
      const grown = new Int32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = value;
  }

  /** The last value, removed; undefined when empty. */
  pop(): number | undefined {
    return this.count === 0 ? undefined : this.values[--this.count];
  }

  /** Keeps the values for which `keep` is true, in order. */
  retain(keep: (value: number) => boolean): void {
    const values = this.values;
    let w = 0;
    for (let r = 0; r < this.count; r++) {
      const v = values[r]!;
      if (keep(v)) values[w++] = v;
    }
    this.count = w;
  }

  clear(): void {
    this.count = 0;
  }

  /** A copy of the values, in order. */
  copy(): Int32Array<ArrayBuffer> {
    return this.values.slice(0, this.count);
  }
}
