// A combiner's view state: the groups of its partition that it has seen,
// merged in memory as partials arrive and written to storage on commit.
// Groups it has not seen yet are loaded from storage first, so state
// carries on across restarts.
//
// Memory is bounded: storage is the truth, the in-memory groups are only a
// cache. After each commit it keeps, within CACHE_BUDGET_BYTES (estimated
// from each group's stored size plus a per-group overhead), the groups that
// entered it last, and forgets the oldest (first in, first out: a hit costs
// nothing to track); a forgotten group is reloaded from storage when a
// partial for it arrives again.
import type { CompiledContinuousPlan } from '../planner/continuous-plan.js';
import type { GroupWrite, ViewStateStore } from '../storage/view-state-store.js';
import { keyId, keyIdOrder, type KeyId } from '../engine/key-string.js';
import { ByteWriter } from '../planner/bytes.js';

/**
 * Estimated bytes of a cached group beyond its stored state: the Map entry,
 * the key id, the group object and the states array with its objects
 * (measured on cv1's count/avg/min/max/sum: about 300 bytes of heap per group).
 */
const GROUP_OVERHEAD_BYTES = 300;

/** Cached groups' estimated bytes a combiner keeps across commits (all views together). */
export const CACHE_BUDGET_BYTES = 64 * 1024 * 1024;

/** A commit's states buffer larger than this is not kept for the next commit. */
const ARENA_KEEP_BYTES = 1024 * 1024;

/** One view's cached groups, by key id, in the order they entered the cache. */
interface ViewCache {
  table: Map<KeyId, Group>;
  /** Sum of cachedBytes over `table`. */
  bytes: number;
}

interface Group {
  viewOid: number;
  /** The group key's id (also its Map key); the store writes the bytes it stands for. */
  key: KeyId;
  states: unknown[];
  /** Changed since the last commit (it is then in `dirty`). */
  dirty: boolean;
  /** Not in storage yet: its first write inserts it. */
  isNew: boolean;
  /** Estimated bytes it takes in the cache (stored size at its last commit + overhead). */
  cachedBytes: number;
}

export class GroupMerger {
  /** viewOid -> its cached groups. */
  private readonly views = new Map<number, ViewCache>();
  /** Groups changed since the last commit. */
  private dirty: Group[] = [];
  /** Sum of cachedBytes over the cached groups. */
  private cachedBytes = 0;
  /** The serialized states of a commit, back to back. */
  private arena = new ByteWriter(ARENA_KEEP_BYTES / 16);

  constructor(
    private readonly store: ViewStateStore,
    private readonly planFor: (viewOid: number) => CompiledContinuousPlan | undefined,
    private readonly cacheBudgetBytes = CACHE_BUDGET_BYTES,
  ) {}

  /** Groups changed since the last commit. */
  get dirtyCount(): number {
    return this.dirty.length;
  }

  /** Groups held in memory (dirty or cached). */
  get cachedCount(): number {
    let n = 0;
    for (const v of this.views.values()) n += v.table.size;
    return n;
  }

  /** Merges one group's partial state; partials of views that no longer exist are dropped. */
  merge(viewOid: number, key: Uint8Array, state: Uint8Array): void {
    const plan = this.planFor(viewOid);
    if (!plan) return;
    let view = this.views.get(viewOid);
    if (!view) this.views.set(viewOid, (view = { table: new Map(), bytes: 0 }));
    const table = view.table;
    const id = keyId(key);
    const partial = plan.deserializeStates(state);
    let g = table.get(id);
    if (!g) {
      const stored = this.store.get(viewOid, key);
      if (stored) {
        g = { viewOid, key: id, states: plan.deserializeStates(stored), dirty: false, isNew: false, cachedBytes: 0 };
        plan.merge(g.states, partial);
      } else {
        g = { viewOid, key: id, states: partial, dirty: false, isNew: true, cachedBytes: 0 };
      }
      table.set(id, g);
    } else {
      plan.merge(g.states, partial);
    }
    if (!g.dirty) {
      g.dirty = true;
      this.dirty.push(g);
    }
  }

  /** Drops one cached group (after a failed merge): the next partial reloads it from storage. */
  discard(viewOid: number, key: Uint8Array): void {
    const id = keyId(key);
    const view = this.views.get(viewOid);
    const g = view?.table.get(id);
    if (!g) return;
    view!.table.delete(id);
    view!.bytes -= g.cachedBytes;
    this.cachedBytes -= g.cachedBytes;
    if (g.dirty) this.dirty = this.dirty.filter((d) => d !== g);
  }

  /**
   * Writes every changed group in one storage transaction, then trims the
   * cache to its budget. The groups go in storage-key order, so LMDB walks
   * its B-tree once left to right instead of jumping between pages, and
   * their states are serialized back to back into one buffer, which LMDB
   * resolves to an address once instead of once per group. (250,000 puts
   * into an LMDB tree of 1 M groups, in process: 3.2-3.9 us each in random
   * order from separate buffers, 1.5-1.9 us sorted from one buffer.)
   */
  commit(): void {
    const dirty = this.dirty;
    if (dirty.length === 0) return;
    const arena = this.arena;
    arena.reset();
    const written: Group[] = [];
    const ends: number[] = [];
    const order = storageOrder(dirty);
    for (let k = 0; k < order.length; k++) {
      const group = dirty[order[k]!]!;
      const plan = this.planFor(group.viewOid);
      if (!plan) continue;
      plan.writeStates(arena, group.states);
      written.push(group);
      ends.push(arena.pos);
    }
    // Only now: the buffer may have been replaced while it grew.
    const buf = arena.buf.buffer;
    const offset = arena.buf.byteOffset;
    const writes: GroupWrite[] = new Array(written.length);
    for (let j = 0, start = 0; j < written.length; start = ends[j++]!) {
      const g = written[j]!;
      // (A view of the buffer costs less made directly than through subarray().)
      writes[j] = { viewOid: g.viewOid, key: g.key, state: new Uint8Array(buf, offset + start, ends[j]! - start), isNew: g.isNew };
    }
    this.store.write(writes);
    if (arena.buf.length > ARENA_KEEP_BYTES) this.arena = new ByteWriter(ARENA_KEEP_BYTES / 16);
    for (const group of dirty) {
      group.dirty = false;
      group.isNew = false;
    }
    for (let j = 0, start = 0; j < written.length; start = ends[j++]!) {
      const group = written[j]!;
      const size = ends[j]! - start + GROUP_OVERHEAD_BYTES;
      const grown = size - group.cachedBytes;
      group.cachedBytes = size;
      this.views.get(group.viewOid)!.bytes += grown;
      this.cachedBytes += grown;
    }
    this.dirty = [];
    this.trim();
  }

  /** Forgets the oldest cached groups (all clean right after a commit) until the cache fits its budget. */
  private trim(): void {
    if (this.cachedBytes <= this.cacheBudgetBytes) return;
    // Each view gives up groups in proportion to its share, oldest first.
    const over = this.cachedBytes - this.cacheBudgetBytes;
    const total = this.cachedBytes;
    for (const view of this.views.values()) {
      let toFree = Math.ceil((over * view.bytes) / total);
      for (const g of view.table.values()) {
        if (toFree <= 0) break;
        if (g.dirty) continue;
        view.table.delete(g.key);
        toFree -= g.cachedBytes;
        view.bytes -= g.cachedBytes;
        this.cachedBytes -= g.cachedBytes;
      }
    }
  }

  /** Forgets a view's groups (TRUNCATE / DROP): the store is cleared by the caller. */
  forget(viewOid: number): void {
    const view = this.views.get(viewOid);
    if (view) this.cachedBytes -= view.bytes;
    this.views.delete(viewOid);
    this.dirty = this.dirty.filter((d) => d.viewOid !== viewOid);
  }
}

/** Indexes of `groups` in storage-key order: by view, then by key bytes. */
function storageOrder(groups: readonly Group[]): Uint32Array {
  const byView = new Map<number, number[]>();
  for (let i = 0; i < groups.length; i++) {
    const viewOid = groups[i]!.viewOid;
    let list = byView.get(viewOid);
    if (!list) byView.set(viewOid, (list = []));
    list.push(i);
  }
  const out = new Uint32Array(groups.length);
  let base = 0;
  for (const viewOid of [...byView.keys()].sort((a, b) => a - b)) {
    const list = byView.get(viewOid)!;
    sortByKey(groups, list, out, base);
    base += list.length;
  }
  return out;
}

/**
 * Writes the group indexes of `list` (one view's) into out[base...] in key
 * order. Distinct orders (keyIdOrder) sort natively, with no comparator
 * call; each group then finds its place by binary search. Keys that share
 * an order (longer keys alike in their first 6 bytes) take a comparator sort.
 */
function sortByKey(groups: readonly Group[], list: number[], out: Uint32Array, base: number): void {
  const n = list.length;
  const orders = new Float64Array(n);
  for (let j = 0; j < n; j++) orders[j] = keyIdOrder(groups[list[j]!]!.key);
  const sorted = orders.slice().sort();
  for (let j = 1; j < n; j++) {
    if (sorted[j] === sorted[j - 1]) {
      list.sort((a, b) => {
        const ka = groups[a]!.key;
        const kb = groups[b]!.key;
        const d = keyIdOrder(ka) - keyIdOrder(kb);
        return d !== 0 ? d : ka < kb ? -1 : ka > kb ? 1 : 0;
      });
      out.set(list, base);
      return;
    }
  }
  for (let j = 0; j < n; j++) {
    const x = orders[j]!;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    out[base + lo] = list[j]!;
  }
}
