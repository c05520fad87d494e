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
import { keyId, type KeyId } from '../engine/key-string.js';

/**
 * Estimated bytes of a cached group beyond its stored state: the Map entry,
 * the key id, the group object and the states array with its objects
 * (measured on cv1's count/avg/min/max/sum: about 300 bytes of heap per group).
 */
const GROUP_OVERHEAD_BYTES = 300;

/** Cached groups' estimated bytes a combiner keeps across commits (all views together). */
export const CACHE_BUDGET_BYTES = 64 * 1024 * 1024;

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

  /** Writes every changed group in one storage transaction, then trims the cache to its budget. */
  commit(): void {
    if (this.dirty.length === 0) return;
    const writes: GroupWrite[] = [];
    const sizes: number[] = [];
    for (const group of this.dirty) {
      const plan = this.planFor(group.viewOid);
      if (!plan) continue;
      const state = plan.serializeStates(group.states);
      writes.push({ viewOid: group.viewOid, key: group.key, state, isNew: group.isNew });
      sizes.push(state.byteLength + GROUP_OVERHEAD_BYTES);
    }
    this.store.write(writes);
    let i = 0;
    for (const group of this.dirty) {
      group.dirty = false;
      group.isNew = false;
      if (!this.planFor(group.viewOid)) continue;
      const grown = sizes[i]! - group.cachedBytes;
      group.cachedBytes = sizes[i++]!;
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
