// The fences of one view's blocks, held in memory by each thread that reads
// or writes them, so that finding a group's block is a binary search and one
// exact LMDB get instead of an LMDB range read (a new cursor per read inside
// a write transaction: ~10 us, which made a trickle of single-row commits
// several times slower than per-group entries).
//
// The index may be stale: another combiner's writer splits or removes
// blocks, and this one learns of it only when it looks. So a block found
// through it is used only after checking (view-state-store.ts): the block
// must exist, and its stored upper bound (group-blocks.ts) must be above the
// key. A miss falls back to the range read and corrects the index.
import { compareBytes } from './group-blocks.js';
import { keyOrderOfRange } from '../engine/key-string.js';

export class FenceIndex {
  /** Fences (group-key bytes), ascending. */
  private fences: Uint8Array[];
  /**
   * Each fence's order (key-string.ts's keyIdOrder, from bytes), so a
   * search compares numbers in one array: comparing the fences themselves,
   * a separate array each, cost a cache miss per step, 2 us a point read.
   * Its length is its capacity: entries [0, fences.length) hold the orders.
   */
  private orders: Float64Array;

  constructor(sortedFences: Uint8Array[]) {
    this.fences = sortedFences;
    this.orders = ordersOf(sortedFences);
  }

  get size(): number {
    return this.fences.length;
  }

  /** The greatest fence not above bytes [ks, ke) of `key`, or null when every fence is above it. */
  floor(key: Uint8Array, ks: number, ke: number): Uint8Array | null {
    const at = this.above(key, ks, ke);
    return at === 0 ? null : this.fences[at - 1]!;
  }

  /** Where the first fence above bytes [ks, ke) of `key` is (the number of fences when none is). */
  private above(key: Uint8Array, ks: number, ke: number): number {
    const orders = this.orders;
    const o = keyOrderOfRange(key, ks, ke);
    // The run of fences of the key's order: [lo, hi).
    let lo = 0;
    let hi = this.fences.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (orders[mid]! < o) lo = mid + 1;
      else hi = mid;
    }
    hi = this.fences.length;
    for (let a = lo; a < hi; ) {
      const mid = (a + hi) >>> 1;
      if (orders[mid]! > o) hi = mid;
      else a = mid + 1;
    }
    // In it (the key itself, or longer keys sharing its first 6 bytes: text
    // keys of one prefix can make it most of the index), compare bytes.
    const f = this.fences;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = f[mid]!;
      if (compareBytes(m, 0, m.length, key, ks, ke) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Adds fences (in any order; those known already are skipped). */
  add(more: Uint8Array[]): void {
    if (more.length === 0) return;
    // A sparse commit splits a few blocks: each new fence goes in its place
    // (rebuilding the index per commit took 3 % of a writer's time).
    if (more.length <= INSERTED_ONE_BY_ONE) {
      for (const fence of more) this.insert(fence);
      return;
    }
    // More: each new fence's place is found by search, and the fences (and
    // their orders) between two places are moved as a run, not compared one
    // by one (a merge of 33 k fences per commit was 2.7 % of a writer's time).
    more.sort((a, b) => compareBytes(a, 0, a.length, b, 0, b.length));
    const old = this.fences;
    const oldOrders = this.orders;
    const places: number[] = [];
    const added: Uint8Array[] = [];
    for (const fence of more) {
      const last = added[added.length - 1];
      if (last !== undefined && compareBytes(last, 0, last.length, fence, 0, fence.length) === 0) continue;
      const at = this.above(fence, 0, fence.length);
      if (at > 0 && compareBytes(old[at - 1]!, 0, old[at - 1]!.length, fence, 0, fence.length) === 0) continue;
      places.push(at);
      added.push(fence);
    }
    if (added.length === 0) return;
    const n = old.length + added.length;
    const fences: Uint8Array[] = new Array(n);
    const orders = new Float64Array(Math.max(16, n + (n >>> 3)));
    let from = 0;
    let to = 0;
    for (let k = 0; k <= added.length; k++) {
      const upTo = k < added.length ? places[k]! : old.length;
      for (let i = from; i < upTo; i++) fences[to + i - from] = old[i]!;
      orders.set(oldOrders.subarray(from, upTo), to);
      to += upTo - from;
      from = upTo;
      if (k < added.length) {
        fences[to] = added[k]!;
        orders[to] = keyOrderOfRange(added[k]!, 0, added[k]!.length);
        to++;
      }
    }
    this.fences = fences;
    this.orders = orders;
  }

  /** Forgets a fence whose block is gone (nothing when it is not held). */
  remove(fence: Uint8Array): void {
    const at = this.above(fence, 0, fence.length) - 1;
    const f = this.fences;
    if (at >= 0 && compareBytes(f[at]!, 0, f[at]!.length, fence, 0, fence.length) === 0) {
      this.orders.copyWithin(at, at + 1, f.length);
      f.splice(at, 1);
    }
  }

  /** Adds one fence where it belongs, unless it is held already. */
  private insert(fence: Uint8Array): void {
    const at = this.above(fence, 0, fence.length);
    const f = this.fences;
    if (at > 0 && compareBytes(f[at - 1]!, 0, f[at - 1]!.length, fence, 0, fence.length) === 0) return;
    const n = f.length;
    if (n === this.orders.length) {
      const grown = new Float64Array(Math.max(16, 2 * n));
      grown.set(this.orders);
      this.orders = grown;
    }
    this.orders.copyWithin(at + 1, at, n);
    this.orders[at] = keyOrderOfRange(fence, 0, fence.length);
    f.splice(at, 0, fence);
  }
}

/** Fences added at once up to which each is inserted in place rather than merged in one pass. */
const INSERTED_ONE_BY_ONE = 32;

function ordersOf(fences: readonly Uint8Array[]): Float64Array {
  const orders = new Float64Array(fences.length);
  for (let i = 0; i < fences.length; i++) orders[i] = keyOrderOfRange(fences[i]!, 0, fences[i]!.length);
  return orders;
}
