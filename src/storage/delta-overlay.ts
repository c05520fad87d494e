// A reader's view of the delta log (delta-log.ts): the latest states of the
// groups in records not folded into blocks yet, by view and group key, for
// view-state-store.ts to lay over the blocks it reads.
//
// It must match the blocks of the same snapshot. lmdb-js ends a thread's read
// snapshot on a timer, so sync() reads the meta entry again before every read
// it serves, in the same synchronous step as that read's block reads. After
// a fold, or a clear (which rewrites the pending records), it takes in the
// records still pending again from the first: it never holds a group a clear
// removed, nor one of a record folded.
import { keyIdOfRange, type KeyId } from '../engine/key-string.js';
import { compareBytes } from './group-blocks.js';
import { decodeDeltaMeta, NO_DELTAS, type DeltaLog, type DeltaMeta } from './delta-log.js';
import { forEachPackedGroup } from './packed-groups.js';
import { GROUP_KEY_OFFSET, viewOidOf } from './storage-key.js';

/** A group from a record: its group key is bytes [keyStart, keyEnd) of `bytes`, its states [stateStart, stateEnd). */
export interface OverlayGroup {
  readonly bytes: Uint8Array;
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly stateStart: number;
  readonly stateEnd: number;
  /** A later record has the group too. */
  replaced: boolean;
}

interface ViewOverlay {
  groups: Map<KeyId, OverlayGroup>;
  /** The view's groups in key order as a scan last needed them (some replaced since). */
  sorted: readonly OverlayGroup[];
  /** Groups added since `sorted` was made. */
  fresh: OverlayGroup[];
}

const NONE: readonly OverlayGroup[] = [];

const byKey = (a: OverlayGroup, b: OverlayGroup): number => compareBytes(a.bytes, a.keyStart, a.keyEnd, b.bytes, b.keyStart, b.keyEnd);

export class DeltaOverlay {
  private readonly views = new Map<number, ViewOverlay>();
  /** The meta entry as last synced (null: nothing synced yet, or a sync failed). */
  private synced: Uint8Array | null = null;
  private meta: DeltaMeta = NO_DELTAS;
  /** Groups held, over every view. */
  size = 0;

  constructor(private readonly log: DeltaLog) {}

  /** Brings the overlay to this thread's current read snapshot. */
  sync(): void {
    const bytes = this.log.metaBytes();
    if (bytes === undefined) {
      if (this.synced !== null || this.size > 0) this.drop();
      return;
    }
    // lmdb-js gives its whole read buffer with `length` set to the value's size: bounds are explicit.
    const size = bytes.length;
    const synced = this.synced;
    if (synced !== null && synced.length === size && compareBytes(synced, 0, size, bytes, 0, size) === 0) return;
    // A copy: the record reads below reuse lmdb-js's buffer.
    const copy = Uint8Array.prototype.slice.call(bytes, 0, size) as Uint8Array;
    const m = decodeDeltaMeta(copy);
    const was = this.meta;
    // A fold or a clear since (or an older snapshot than the last one synced,
    // which no caller reads in today): start again from the records still
    // pending (few, right after a fold).
    const rebuild = synced === null || m.epoch !== was.epoch || m.folded !== was.folded || m.last < was.last;
    if (rebuild) this.drop();
    this.synced = null; // until the records are all in
    this.log.forEachRecord(rebuild ? m.folded : was.last, m.last, (value) => this.add(value));
    this.meta = m;
    this.synced = copy;
  }

  /** The group with key bytes [start, end) of `key` in a record, if any. */
  find(viewOid: number, key: Uint8Array, start: number, end: number): OverlayGroup | undefined {
    if (this.size === 0) return undefined;
    return this.views.get(viewOid)?.groups.get(keyIdOfRange(key, start, end));
  }

  /** A view's groups in records, in no order. */
  groupsOf(viewOid: number): Iterable<OverlayGroup> {
    const v = this.size === 0 ? undefined : this.views.get(viewOid);
    return v ? v.groups.values() : NONE;
  }

  /** Whether a view has groups in records. */
  has(viewOid: number): boolean {
    return this.size > 0 && this.views.has(viewOid);
  }

  /**
   * A view's groups in records, in key order (the array is not changed
   * later: a scan may hold it). Made by merging the groups added since the
   * last call, sorted, into the last answer: a view polled while a load
   * appends sorts only what is new.
   */
  sorted(viewOid: number): readonly OverlayGroup[] {
    const v = this.size === 0 ? undefined : this.views.get(viewOid);
    if (!v) return NONE;
    if (v.fresh.length === 0) return v.sorted;
    // Stable: of one key's groups, the latest (the one not replaced) stays last.
    const fresh = v.fresh.sort(byKey);
    const old = v.sorted;
    const out: OverlayGroup[] = [];
    let i = 0;
    let j = 0;
    while (i < old.length || j < fresh.length) {
      const c = i === old.length ? 1 : j === fresh.length ? -1 : byKey(old[i]!, fresh[j]!);
      const g = c <= 0 ? old[i++]! : fresh[j++]!;
      if (!g.replaced) out.push(g);
    }
    v.sorted = out;
    v.fresh = [];
    return out;
  }

  private add(record: Uint8Array): void {
    forEachPackedGroup(record, (_flags, keyStart, keyEnd, stateStart, stateEnd) => {
      const viewOid = viewOidOf(record, keyStart);
      let v = this.views.get(viewOid);
      if (!v) this.views.set(viewOid, (v = { groups: new Map(), sorted: NONE, fresh: [] }));
      const start = keyStart + GROUP_KEY_OFFSET;
      const id = keyIdOfRange(record, start, keyEnd);
      const was = v.groups.get(id);
      if (was) was.replaced = true;
      else this.size++;
      const g: OverlayGroup = { bytes: record, keyStart: start, keyEnd, stateStart, stateEnd, replaced: false };
      v.groups.set(id, g);
      v.fresh.push(g);
    });
  }

  private drop(): void {
    this.views.clear();
    this.size = 0;
    this.synced = null;
    this.meta = NO_DELTAS;
  }
}
