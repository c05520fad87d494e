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
//
// A view whose states are all plain numbers (plan.fixedKinds) is cached in a
// FixedTable, a few doubles per group, until a sum outgrows that form.
//
// A view that had no stored group in this combiner's partition when its
// cache was made (a new view, or one just truncated) is complete until the
// cache forgets one of its groups: a group it has not cached is then not in
// storage either, so a new group costs no storage read. That is every group
// of a bulk load into a new view, and every group while the view fits.
import type { CompiledContinuousPlan } from '../planner/continuous-plan.js';
import type { ViewStateStore } from '../storage/view-state-store.js';
import { keyId, keyIdLength, keyIdOfRange, keyIdsInOrder, writeKeyId, type KeyId } from '../engine/key-string.js';
import { ByteWriter } from '../planner/bytes.js';
import { fixedFieldsOf, writeFixedFields } from '../planner/fixed-fields.js';
import { corrupt } from '../planner/value-codec.js';
import { forEachPackedGroup, PackedGroupsWriter, PACKED_NEW } from '../storage/packed-groups.js';
import { GROUP_KEY_OFFSET, MAX_GROUP_KEY_BYTES, viewOidOf } from '../storage/storage-key.js';
import { PgError } from '../errors.js';
import { FixedTable, PREFETCH_RECORDS, type DirtyOrder } from './fixed-table.js';
import { newSliceTally, tallyGroup, type SliceTally } from './slice-tally.js';

export type { SliceTally } from './slice-tally.js';

/** A partial whose group key storage cannot key: refused before anything is merged. */
export class GroupKeyTooLong extends PgError {
  constructor(bytes: number) {
    super('54000', `group key of ${bytes} bytes exceeds the maximum of ${MAX_GROUP_KEY_BYTES} bytes a view can store`);
  }
}

/** What the merger needs of the view-state store. */
export type MergerStore = Pick<ViewStateStore, 'get' | 'getNear' | 'hasGroups' | 'leafPageCount' | 'writePacked'>;

/** One durable write transaction of a commit. */
export interface CommitSlice {
  /** The slice's groups, packed (packed-groups.ts). */
  bytes: Uint8Array;
  groups: number;
  /** Per view it writes, in view order. */
  tallies: SliceTally[];
}

/** A commit's slices, to be stored in order (GroupMerger.prepareCommit). */
export interface PreparedCommit {
  slices: CommitSlice[];
  /** Serializing a group failed: the slices are those packed before it. */
  error: Error | null;
}

/**
 * Estimated bytes of a cached group beyond its stored state: the Map entry,
 * the key id, the group object and the states array with its objects
 * (measured on cv1's count/avg/min/max/sum: about 300 bytes of heap per group).
 */
const GROUP_OVERHEAD_BYTES = 300;

/** Cached groups' estimated bytes a combiner keeps across commits by default (all views together). */
export const CACHE_BUDGET_BYTES = 64 * 1024 * 1024;

/**
 * Changed groups in object form that force a commit: big enough that a bulk
 * load commits seldom, small enough to bound the memory held, as their
 * states' sizes are not known until they are serialized.
 */
const MAX_DIRTY_OBJECT_GROUPS = 250_000;

/** Packed bytes guessed per group when sizing a slice's buffer (cv1's groups take about 45). */
const PACKED_GUESS_BYTES = 48;

/** A slice's buffer starts no larger than this, and grows as needed. */
const MAX_PACKED_GUESS_BYTES = 16 * 1024 * 1024;

/** One view's cached groups, by key id, in the order they entered the cache. */
interface ViewCache {
  /** Groups in their object form (empty while `fixed` holds the view). */
  table: Map<KeyId, Group>;
  /** Sum of cachedBytes over `table`. */
  bytes: number;
  /** The view's groups as plain numbers, while they fit that form. */
  fixed: FixedTable | null;
  /** Every stored group of the view in this partition is cached (see the top of the file). */
  complete: boolean;
  /** The fields of the records its partials may come as, once one came after `fixed` was let go. */
  recordFields?: Uint8Array | null;
}

export interface GroupMergerOptions {
  /** Estimated bytes of cached groups kept across commits (pipelinedb.combiner_work_mem). */
  cacheBudgetBytes?: number;
  /** Whether views with fixedKinds get a FixedTable (tests compare both forms). */
  useFixedTables?: boolean;
  /** Whether a group key is in this combiner's partition (default: every key). */
  owns?: (groupKey: Uint8Array) => boolean;
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
  /** Groups in object form changed since the last commit. */
  private dirty: Group[] = [];
  /** Sum of cachedBytes over the groups in object form. */
  private cachedBytes = 0;

  private readonly cacheBudgetBytes: number;
  private readonly useFixedTables: boolean;
  private readonly owns: ((groupKey: Uint8Array) => boolean) | undefined;

  constructor(
    private readonly store: MergerStore,
    private readonly planFor: (viewOid: number) => CompiledContinuousPlan | undefined,
    options: GroupMergerOptions = {},
  ) {
    this.cacheBudgetBytes = options.cacheBudgetBytes ?? CACHE_BUDGET_BYTES;
    this.useFixedTables = options.useFixedTables ?? true;
    this.owns = options.owns;
  }

  // The group a FixedTable may ask to load: set before each merge, so the
  // loader is one function rather than a closure made per partial, and the
  // key's bytes are cut out only when it is called.
  private loadView: ViewCache | null = null;
  private loadViewOid = 0;
  private loadKeyBytes: Uint8Array = new Uint8Array(0);
  private loadKeyStart = 0;
  /** -1: the group came as a record, and its key bytes are written from loadId when needed. */
  private loadKeyEnd = 0;
  private loadId: KeyId = 0;
  private readonly loadStored = (): Uint8Array | undefined => {
    const view = this.loadView!;
    if (view.complete) return undefined;
    if (this.loadKeyEnd < 0) this.keyBytesOf(this.loadId);
    const key = this.loadKeyBytes.subarray(this.loadKeyStart, this.loadKeyEnd);
    const fixed = view.fixed!;
    // The group's block holds its neighbours too: cached now (while the cache
    // has room), a bulk load over stored groups reads each block once, not
    // once per group.
    if (fixed.size * fixed.slotBytes >= this.cacheBudgetBytes / 2) return this.store.get(this.loadViewOid, key);
    return this.store.getNear(this.loadViewOid, key, this.cacheNear);
  };

  /** Caches a stored group of the loading view, in this combiner's partition, that the cache lacks. */
  private readonly cacheNear = (bytes: Uint8Array, keyStart: number, keyEnd: number, stateStart: number, stateEnd: number): void => {
    if (this.owns && !this.owns(bytes.subarray(keyStart, keyEnd))) return;
    this.loadView!.fixed!.cacheStored(keyIdOfRange(bytes, keyStart, keyEnd), bytes, stateStart, stateEnd);
  };

  /** Groups changed since the last commit. */
  get dirtyCount(): number {
    let n = this.dirty.length;
    for (const v of this.views.values()) if (v.fixed) n += v.fixed.dirtyCount;
    return n;
  }

  /**
   * Whether the changed groups fill the budget (estimated, as the cache's):
   * commit now. The clean groups cached besides are within the budget too.
   */
  get mustCommit(): boolean {
    const objects = this.dirty.length;
    if (objects >= MAX_DIRTY_OBJECT_GROUPS) return true;
    let bytes = objects * GROUP_OVERHEAD_BYTES;
    for (const v of this.views.values()) if (v.fixed) bytes += v.fixed.dirtyCount * v.fixed.slotBytes;
    return bytes >= this.cacheBudgetBytes;
  }

  /** Groups held in memory (dirty or cached). */
  get cachedCount(): number {
    let n = 0;
    for (const v of this.views.values()) n += v.table.size + (v.fixed ? v.fixed.size : 0);
    return n;
  }

  /** Merges one group's partial state; partials of views that no longer exist are dropped. */
  merge(viewOid: number, key: Uint8Array, state: Uint8Array): void {
    this.mergeRanges(viewOid, key, 0, key.length, state, 0, state.length);
  }

  /**
   * merge() of a partial where it lies in a message: the key is bytes
   * [keyStart, keyEnd) of `bytes`, the states bytes [stateStart, stateEnd).
   */
  mergeAt(viewOid: number, bytes: Uint8Array, keyStart: number, keyEnd: number, stateStart: number, stateEnd: number): void {
    this.mergeRanges(viewOid, bytes, keyStart, keyEnd, bytes, stateStart, stateEnd);
  }

  /**
   * merge() of a partial that came as a record (RecordPartials): its
   * numeric key id at records[at], then its fields.
   */
  mergeRecord(viewOid: number, records: Float64Array, at: number, stride: number): void {
    const plan = this.planFor(viewOid);
    if (!plan) return;
    const view = this.viewFor(viewOid, plan);
    const id = records[at]!;
    if (view.fixed) {
      if (view.fixed.width + 1 !== stride) throw corrupt();
      this.loadView = view;
      this.loadViewOid = viewOid;
      this.loadKeyEnd = -1;
      this.loadId = id;
      if (view.fixed.mergeRecord(id, records, at + 1, this.loadStored)) return;
      this.toObjectForm(viewOid, view, plan);
    }
    // The object form: the record as the bytes it stands for.
    const fields = view.recordFields === undefined ? (view.recordFields = plan.fixedKinds ? fixedFieldsOf(plan.fixedKinds) : null) : view.recordFields;
    if (!fields || fields.length + 1 !== stride) throw corrupt();
    const w = this.recordStates;
    w.reset();
    writeFixedFields(w, fields, records, at + 1);
    this.keyBytesOf(id);
    this.mergeRanges(viewOid, this.loadKeyBytes, 0, this.loadKeyEnd, w.buf, 0, w.pos);
  }

  /**
   * mergeRecord() of every record of `records`; `onError` gets the start of
   * each record whose merge threw (the others are merged).
   */
  mergeRecords(viewOid: number, records: Float64Array, stride: number, onError: (at: number, e: unknown) => void): void {
    const chunk = PREFETCH_RECORDS * stride;
    for (let at = 0; at < records.length; ) {
      const end = Math.min(records.length, at + chunk);
      this.views.get(viewOid)?.fixed?.prefetch(records, at, end, stride);
      for (; at < end; at += stride) {
        try {
          this.mergeRecord(viewOid, records, at, stride);
        } catch (e) {
          onError(at, e);
        }
      }
    }
  }

  /** A record's states as bytes (the object form's input). */
  private readonly recordStates = new ByteWriter(64);
  /** Key bytes written from key ids. */
  private keyScratch = new Uint8Array(16);

  /** Writes the bytes of `id` where the loader reads a key (loadKeyBytes, from 0 to loadKeyEnd). */
  private keyBytesOf(id: KeyId): void {
    const n = keyIdLength(id);
    if (n > this.keyScratch.length) this.keyScratch = new Uint8Array(2 * n);
    writeKeyId(id, this.keyScratch, 0);
    this.loadKeyBytes = this.keyScratch;
    this.loadKeyStart = 0;
    this.loadKeyEnd = n;
  }

  private mergeRanges(
    viewOid: number,
    keyBytes: Uint8Array,
    keyStart: number,
    keyEnd: number,
    stateBytes: Uint8Array,
    stateStart: number,
    stateEnd: number,
  ): void {
    const plan = this.planFor(viewOid);
    if (!plan) return;
    // LMDB could never store it, and a commit that tried would fail for every group.
    if (keyEnd - keyStart > MAX_GROUP_KEY_BYTES) throw new GroupKeyTooLong(keyEnd - keyStart);
    const view = this.viewFor(viewOid, plan);
    const id = keyIdOfRange(keyBytes, keyStart, keyEnd);
    if (view.fixed) {
      this.loadView = view;
      this.loadViewOid = viewOid;
      this.loadKeyBytes = keyBytes;
      this.loadKeyStart = keyStart;
      this.loadKeyEnd = keyEnd;
      if (view.fixed.merge(id, stateBytes, stateStart, stateEnd, this.loadStored)) return;
      this.toObjectForm(viewOid, view, plan);
    }
    const key = keyBytes.subarray(keyStart, keyEnd);
    const state = stateBytes.subarray(stateStart, stateEnd);
    const table = view.table;
    const partial = plan.deserializeStates(state);
    let g = table.get(id);
    if (!g) {
      const stored = view.complete ? undefined : this.store.get(viewOid, key);
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

  /** The view's cache, made on its first partial. */
  private viewFor(viewOid: number, plan: CompiledContinuousPlan): ViewCache {
    let view = this.views.get(viewOid);
    if (!view) {
      const fixed = this.useFixedTables && plan.fixedKinds ? new FixedTable(plan.fixedKinds) : null;
      const complete = !this.store.hasGroups(viewOid, this.owns);
      this.views.set(viewOid, (view = { table: new Map(), bytes: 0, fixed, complete }));
    }
    return view;
  }

  /** Drops one cached group (after a failed merge): the next partial reloads it from storage. */
  discard(viewOid: number, key: Uint8Array): void {
    this.discardId(viewOid, keyId(key));
  }

  /** discard() by the key's id. */
  discardId(viewOid: number, id: KeyId): void {
    const view = this.views.get(viewOid);
    if (!view) return;
    if (view.fixed) {
      // The group may be stored: the view's cache no longer holds every stored group.
      if (view.fixed.discard(id)) view.complete = false;
      return;
    }
    const g = view.table.get(id);
    if (!g) return;
    view.complete = false;
    view.table.delete(id);
    view.bytes -= g.cachedBytes;
    this.cachedBytes -= g.cachedBytes;
    if (g.dirty) this.dirty = this.dirty.filter((d) => d !== g);
  }

  /**
   * Writes every changed group (prepareCommit, each slice's writePacked,
   * finishCommit), then trims the cache to its budget. Throws the first
   * failed slice's error; the slices before it stay stored.
   */
  commit(): void {
    const prepared = this.prepareCommit();
    if (!prepared) return;
    let stored = 0;
    try {
      for (const slice of prepared.slices) {
        this.store.writePacked(slice.bytes);
        stored++;
      }
    } finally {
      this.finishCommit(prepared, stored);
    }
    if (prepared.error) throw prepared.error;
  }

  /**
   * Serializes every changed group into the slices of a commit and marks
   * them clean: partials merged from now on change them again, for the
   * next commit. The slices are then stored in order (each one durable
   * write transaction, ViewStateStore.writePacked), possibly by another
   * thread while this one merges on (`onSlice` is given each slice as soon
   * as it is packed), and finishCommit() is told how many were. Until then
   * no group is forgotten (trim runs in finishCommit), so storage is never
   * read for a group whose newer states are on their way to it. Null when
   * no group changed.
   *
   * Should serializing a group fail, the slices packed before it are the
   * commit, with the error (its groups and the rest stay changed).
   *
   * The groups go in storage-key order, so LMDB walks its B-tree once left
   * to right instead of jumping between pages. (250,000 puts into an LMDB
   * tree of 1 M groups, in process: 3.2-3.9 us each in random order,
   * 1.5-1.9 us sorted.)
   *
   * A large commit is cut into key-ordered slices (commitSlices). LMDB
   * copies every page a transaction changes, and keeps the pages a
   * transaction replaced until the transaction after next: one transaction
   * rewriting a whole tree (a bulk load's commit) leaves the file at three
   * times the tree, while slices of a sixteenth leave it near 1.1 times, for
   * the same pages written.
   */
  prepareCommit(onSlice?: (slice: CommitSlice) => void): PreparedCommit | null {
    const byView = new Map<number, Group[]>();
    for (const g of this.dirty) {
      const list = byView.get(g.viewOid);
      if (list) list.push(g);
      else byView.set(g.viewOid, [g]);
    }
    for (const [viewOid, v] of this.views) if (v.fixed && v.fixed.dirtyCount > 0 && !byView.has(viewOid)) byView.set(viewOid, []);
    if (byView.size === 0) return null;

    const writes: ViewWrites[] = [];
    let total = 0;
    for (const viewOid of [...byView.keys()].sort((a, b) => a - b)) {
      const unordered = byView.get(viewOid)!;
      const plan = this.planFor(viewOid);
      if (!plan) {
        // A view without a plan is being dropped: its changes are not kept.
        for (const g of unordered) g.dirty = false;
        this.views.get(viewOid)?.fixed?.dropChanges();
        continue;
      }
      const groups = Array.from(keyIdsInOrder(unordered.map((g) => g.key)), (k) => unordered[k]!);
      const fixed = this.views.get(viewOid)?.fixed ?? null;
      const fixedOrder = fixed && fixed.dirtyCount > 0 ? fixed.dirtyInKeyOrder() : null;
      const count = groups.length + (fixedOrder ? fixedOrder.length : 0);
      writes.push({ viewOid, plan, groups, fixed, fixedOrder, count });
      total += count;
    }

    const perSlice = Math.ceil(total / commitSlices(total, this.store.leafPageCount()));
    const prepared: PreparedCommit = { slices: [], error: null };
    try {
      const at: WriteCursor = { view: 0, entry: 0 };
      while (at.view < writes.length) {
        const end = advance(writes, at, perSlice);
        const slice = this.packRange(writes, at, end);
        prepared.slices.push(slice);
        onSlice?.(slice);
        at.view = end.view;
        at.entry = end.entry;
      }
    } catch (e) {
      prepared.error = e instanceof Error ? e : new Error(String(e));
    } finally {
      this.dirty = this.dirty.filter((g) => g.dirty);
      for (const v of this.views.values()) v.fixed?.committed();
    }
    return prepared;
  }

  /**
   * A prepared commit's first `stored` slices are in storage: the groups
   * of the rest are changed again (their states now include everything
   * they held), and the cache is trimmed to its budget.
   */
  finishCommit(prepared: PreparedCommit, stored: number): void {
    for (let i = stored; i < prepared.slices.length; i++) this.changedAgainAll(prepared.slices[i]!.bytes, false);
    this.trim();
  }

  /**
   * Marks every group packed in `bytes` changed again (`wasNew`: still not
   * in storage). `listed`: the groups are still in the lists of changed
   * groups (during prepareCommit, which drops the clean ones at its end).
   */
  private changedAgainAll(bytes: Uint8Array, listed: boolean): void {
    forEachPackedGroup(bytes, (flags, keyStart, keyEnd) => {
      const view = this.views.get(viewOidOf(bytes, keyStart));
      if (!view) return;
      const id = keyIdOfRange(bytes, keyStart + GROUP_KEY_OFFSET, keyEnd);
      const wasNew = (flags & PACKED_NEW) !== 0;
      if (view.fixed) {
        view.fixed.changedAgain(id, wasNew, listed);
        return;
      }
      const g = view.table.get(id);
      if (!g) return;
      if (wasNew) g.isNew = true;
      if (g.dirty) return;
      g.dirty = true;
      if (!listed) this.dirty.push(g);
    });
  }

  /** Packs the groups from `from` up to `to` into one slice, marking them clean. */
  private packRange(writes: readonly ViewWrites[], from: WriteCursor, to: WriteCursor): CommitSlice {
    const packed = new PackedGroupsWriter(Math.min(PACKED_GUESS_BYTES * countRange(writes, from, to), MAX_PACKED_GUESS_BYTES));
    const tallies: SliceTally[] = [];
    try {
      // Each view's entries in the range: its groups in object form, then its FixedTable's.
      for (let v = from.view; v < writes.length && v <= to.view; v++) {
        const w = writes[v]!;
        const first = v === from.view ? from.entry : 0;
        const last = v === to.view ? to.entry : w.count;
        if (first >= last) continue;
        const tally = newSliceTally(w.viewOid);
        tallies.push(tally);
        const objects = w.groups.length;
        for (let j = first; j < Math.min(last, objects); j++) this.packObjectGroup(w, w.groups[j]!, packed, tally);
        if (last > objects) w.fixed!.packInKeyOrder(w.fixedOrder!, Math.max(first, objects) - objects, last - objects, packed, w.viewOid, tally);
      }
    } catch (e) {
      // The groups packed before the failure were marked clean: they are changed again.
      this.changedAgainAll(packed.finishComplete(), true);
      throw e;
    }
    return { bytes: packed.finish(), groups: packed.groups, tallies };
  }

  /** Packs a group in object form, marks it clean and counts it in `tally`. */
  private packObjectGroup(w: ViewWrites, g: Group, packed: PackedGroupsWriter, tally: SliceTally): void {
    const isNew = g.isNew;
    packed.beginGroup(w.viewOid, g.key, isNew);
    w.plan.writeStates(packed.out, g.states);
    const size = packed.endGroup();
    g.dirty = false;
    g.isNew = false;
    const cachedBytes = size + GROUP_OVERHEAD_BYTES;
    const grown = cachedBytes - g.cachedBytes;
    g.cachedBytes = cachedBytes;
    this.views.get(g.viewOid)!.bytes += grown;
    this.cachedBytes += grown;
    tallyGroup(tally, isNew, size);
  }

  /** Forgets the oldest cached groups (all clean right after a commit) until the cache fits its budget. */
  private trim(): void {
    const fixedBytes = (v: ViewCache): number => (v.fixed ? v.fixed.size * v.fixed.slotBytes : 0);
    let total = this.cachedBytes;
    for (const v of this.views.values()) total += fixedBytes(v);
    if (total <= this.cacheBudgetBytes) return;
    // Each view gives up groups in proportion to its share, oldest first.
    const over = total - this.cacheBudgetBytes;
    for (const view of this.views.values()) {
      let toFree = Math.ceil((over * (view.bytes + fixedBytes(view))) / total);
      if (toFree > 0) view.complete = false;
      if (view.fixed) toFree -= view.fixed.evict(toFree);
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

  /** Moves a view's groups from its FixedTable to object form (a sum outgrew a number). */
  private toObjectForm(viewOid: number, view: ViewCache, plan: CompiledContinuousPlan): void {
    const groups: Group[] = [];
    for (const g of view.fixed!.groups(new ByteWriter(256))) {
      const cachedBytes = g.states.length + GROUP_OVERHEAD_BYTES;
      groups.push({ viewOid, key: g.id, states: plan.deserializeStates(g.states), dirty: g.dirty, isNew: g.isNew, cachedBytes });
    }
    // Only once every group is converted: a failure above leaves the view as it was.
    view.fixed = null;
    for (const group of groups) {
      view.table.set(group.key, group);
      view.bytes += group.cachedBytes;
      this.cachedBytes += group.cachedBytes;
      if (group.dirty) this.dirty.push(group);
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

/** One view's changed groups for a commit, in storage-key order: its object-form groups, then its FixedTable's. */
interface ViewWrites {
  viewOid: number;
  plan: CompiledContinuousPlan;
  groups: Group[];
  fixed: FixedTable | null;
  fixedOrder: DirtyOrder | null;
  /** groups.length plus fixedOrder's length: the view's entries. */
  count: number;
}

/** A position among a commit's writes: the `entry`-th entry of writes[view]. */
interface WriteCursor {
  view: number;
  entry: number;
}

/** Where a slice of `n` entries starting at `from` ends, and the views it writes. */
function advance(writes: readonly ViewWrites[], from: WriteCursor, n: number): WriteCursor & { viewOids: number[] } {
  let view = from.view;
  let entry = from.entry;
  let left = n;
  const viewOids: number[] = [];
  while (view < writes.length && left > 0) {
    const take = Math.min(left, writes[view]!.count - entry);
    viewOids.push(writes[view]!.viewOid);
    left -= take;
    entry += take;
    if (entry === writes[view]!.count) {
      view++;
      entry = 0;
    }
  }
  return { view, entry, viewOids };
}

/** Entries from `from` up to (not including) `to`. */
function countRange(writes: readonly ViewWrites[], from: WriteCursor, to: WriteCursor): number {
  let n = 0;
  for (let v = from.view; v < writes.length && v <= to.view; v++) {
    n += (v === to.view ? to.entry : writes[v]!.count) - (v === from.view ? from.entry : 0);
  }
  return n;
}

/** Slices a tree's rewrite is cut into at most: each transaction then changes about a sixteenth of the tree. */
export const COMMIT_SLICES = 16;

/** A commit of up to this many groups is one transaction; no slice is smaller. */
export const MIN_SLICE_GROUPS = 4096;

/**
 * Transactions a commit of `groups` changed groups is cut into, for a tree
 * of `leafPages` pages. Random keys change about one page per group while
 * there are fewer groups than pages, and every page past that; the commit
 * is cut so that each slice changes about 1/COMMIT_SLICES of the pages.
 */
export function commitSlices(groups: number, leafPages: number): number {
  if (groups <= MIN_SLICE_GROUPS) return 1;
  const parts = Math.ceil((COMMIT_SLICES * groups) / Math.max(leafPages, 1));
  return Math.max(1, Math.min(COMMIT_SLICES, parts, Math.floor(groups / MIN_SLICE_GROUPS)));
}
