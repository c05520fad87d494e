// Merges packed-group records (packed-groups.ts), oldest first, into one
// stream of their groups' latest states in storage-key order, a chunk at a
// time: a fold (view-state-store.ts) then does no work up front. Building the
// whole fold at once (a map of every key, then a sort) held a commit writer
// for 50 to 300 ms, which commits waiting behind it showed as visibility
// latency.
//
// Commit slices are in key order already; a record that is not (written by
// hand) is sorted once, when the merge starts.
import { ByteWriter } from '../planner/bytes.js';
import { compareBytes } from './group-blocks.js';
import { forEachPackedGroup, PACKED_HEADER_BYTES } from './packed-groups.js';

/** One record's groups: where each starts (its header), its storage key and its end, 4 numbers a group. */
interface Cursor {
  bytes: Uint8Array;
  at: Int32Array;
  n: number;
  /** The group the cursor is at. */
  i: number;
  /** The record's place: of equal keys, the later record's wins. */
  order: number;
}

/** Whether cursor a's group comes first: the lower key, or for equal keys the later record. */
function before(a: Cursor, b: Cursor): boolean {
  const c = compareBytes(a.bytes, a.at[4 * a.i + 1]!, a.at[4 * a.i + 2]!, b.bytes, b.at[4 * b.i + 1]!, b.at[4 * b.i + 2]!);
  return c < 0 || (c === 0 && a.order > b.order);
}

/** A record's groups in key order, each key once (the last of a record's repeats). */
function cursorOf(bytes: Uint8Array, order: number): Cursor {
  const offsets: number[] = [];
  let sorted = true;
  forEachPackedGroup(bytes, (_flags, keyStart, keyEnd, _stateStart, stateEnd) => {
    const n = offsets.length;
    if (n > 0 && compareBytes(bytes, offsets[n - 3]!, offsets[n - 2]!, bytes, keyStart, keyEnd) >= 0) sorted = false;
    offsets.push(keyStart - PACKED_HEADER_BYTES, keyStart, keyEnd, stateEnd);
  });
  let at = Int32Array.from(offsets);
  let n = offsets.length / 4;
  if (!sorted) {
    // Stable, so of equal keys the last written stays last, and is kept.
    const order = Array.from({ length: n }, (_, g) => g).sort((x, y) => compareBytes(bytes, at[4 * x + 1]!, at[4 * x + 2]!, bytes, at[4 * y + 1]!, at[4 * y + 2]!));
    const kept: number[] = [];
    for (let k = 0; k < n; k++) {
      const g = order[k]!;
      const next = order[k + 1];
      if (next !== undefined && compareBytes(bytes, at[4 * g + 1]!, at[4 * g + 2]!, bytes, at[4 * next + 1]!, at[4 * next + 2]!) === 0) continue;
      kept.push(at[4 * g]!, at[4 * g + 1]!, at[4 * g + 2]!, at[4 * g + 3]!);
    }
    at = Int32Array.from(kept);
    n = kept.length / 4;
  }
  return { bytes, at, n, i: 0, order };
}

export class PackedMerge {
  /** Cursors not at their end, as a binary min-heap by `before`. */
  private readonly heap: Cursor[] = [];
  /** Groups in every record (a key in several records counted in each): at least the groups the merge gives. */
  readonly groupsIn: number;

  /** `records` oldest first. */
  constructor(records: readonly Uint8Array[]) {
    let groups = 0;
    records.forEach((bytes, order) => {
      const c = cursorOf(bytes, order);
      groups += c.n;
      if (c.n > 0) this.push(c);
    });
    this.groupsIn = groups;
  }

  get done(): boolean {
    return this.heap.length === 0;
  }

  /** Writes the next `groups` distinct groups (fewer at the end), packed, to `out`; answers how many. */
  next(groups: number, out: ByteWriter): number {
    const heap = this.heap;
    let written = 0;
    while (written < groups && heap.length > 0) {
      const top = heap[0]!;
      const t = 4 * top.i;
      const start = top.at[t]!;
      const end = top.at[t + 3]!;
      out.bytes(top.bytes.subarray(start, end));
      written++;
      const bytes = top.bytes;
      const keyStart = top.at[t + 1]!;
      const keyEnd = top.at[t + 2]!;
      // The same key in older records comes next: passed over.
      this.advance();
      while (heap.length > 0) {
        const c = heap[0]!;
        if (compareBytes(c.bytes, c.at[4 * c.i + 1]!, c.at[4 * c.i + 2]!, bytes, keyStart, keyEnd) !== 0) break;
        this.advance();
      }
    }
    return written;
  }

  /** Moves the top cursor to its next group (or out of the heap). */
  private advance(): void {
    const heap = this.heap;
    const top = heap[0]!;
    if (++top.i === top.n) {
      const last = heap.pop()!;
      if (heap.length === 0) return;
      heap[0] = last;
    }
    this.siftDown(0);
  }

  private push(c: Cursor): void {
    const heap = this.heap;
    let k = heap.push(c) - 1;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!before(heap[k]!, heap[parent]!)) break;
      [heap[k], heap[parent]] = [heap[parent]!, heap[k]!];
      k = parent;
    }
  }

  private siftDown(k: number): void {
    const heap = this.heap;
    const n = heap.length;
    for (;;) {
      const l = 2 * k + 1;
      if (l >= n) return;
      const r = l + 1;
      const child = r < n && before(heap[r]!, heap[l]!) ? r : l;
      if (!before(heap[child]!, heap[k]!)) return;
      [heap[k], heap[child]] = [heap[child]!, heap[k]!];
      k = child;
    }
  }
}
