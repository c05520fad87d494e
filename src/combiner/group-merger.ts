// A combiner's view state: the groups of its partition that it has seen,
// merged in memory as partials arrive and written to storage on commit.
// Groups it has not seen yet are loaded from storage first, so state
// carries on across restarts.
import type { CompiledContinuousPlan } from '../planner/continuous-plan.js';
import type { GroupWrite, ViewStateStore } from '../storage/view-state-store.js';
import { keyString } from '../engine/key-string.js';

interface Group {
  key: Uint8Array;
  states: unknown[];
  /** Changed since the last commit (it is then in `dirty`). */
  dirty: boolean;
  /** Not in storage yet: its first write inserts it. */
  isNew: boolean;
}

export class GroupMerger {
  /** viewOid -> (latin1 key -> group). */
  private readonly groups = new Map<number, Map<string, Group>>();
  /** Groups changed since the last commit. */
  private dirty: { viewOid: number; group: Group }[] = [];

  constructor(private readonly store: ViewStateStore, private readonly planFor: (viewOid: number) => CompiledContinuousPlan | undefined) {}

  /** Merges one group's partial state; partials of views that no longer exist are dropped. */
  merge(viewOid: number, key: Uint8Array, state: Uint8Array): void {
    const plan = this.planFor(viewOid);
    if (!plan) return;
    let table = this.groups.get(viewOid);
    if (!table) this.groups.set(viewOid, (table = new Map()));
    const mapKey = keyString(key);
    const partial = plan.deserializeStates(state);
    let g = table.get(mapKey);
    if (!g) {
      const stored = this.store.get(viewOid, key);
      const ownKey = Uint8Array.from(key);
      if (stored) {
        g = { key: ownKey, states: plan.deserializeStates(stored), dirty: false, isNew: false };
        plan.merge(g.states, partial);
      } else {
        g = { key: ownKey, states: partial, dirty: false, isNew: true };
      }
      table.set(mapKey, g);
    } else {
      plan.merge(g.states, partial);
    }
    if (!g.dirty) {
      g.dirty = true;
      this.dirty.push({ viewOid, group: g });
    }
  }

  /** Drops one cached group (after a failed merge): the next partial reloads it from storage. */
  discard(viewOid: number, key: Uint8Array): void {
    const mapKey = keyString(key);
    const g = this.groups.get(viewOid)?.get(mapKey);
    if (!g) return;
    this.groups.get(viewOid)!.delete(mapKey);
    if (g.dirty) this.dirty = this.dirty.filter((d) => d.group !== g);
  }

  /** Writes every changed group in one storage transaction. */
  commit(): void {
    if (this.dirty.length === 0) return;
    const writes: GroupWrite[] = [];
    for (const { viewOid, group } of this.dirty) {
      const plan = this.planFor(viewOid);
      if (!plan) continue;
      writes.push({ viewOid, key: group.key, state: plan.serializeStates(group.states), isNew: group.isNew });
    }
    this.store.write(writes);
    for (const { group } of this.dirty) {
      group.dirty = false;
      group.isNew = false;
    }
    this.dirty = [];
  }

  /** Forgets a view's groups (TRUNCATE / DROP): the store is cleared by the caller. */
  forget(viewOid: number): void {
    this.groups.delete(viewOid);
    this.dirty = this.dirty.filter((d) => d.viewOid !== viewOid);
  }
}
