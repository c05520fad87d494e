// Persisted continuous-view state: one LMDB database for every view (so the
// number of views has no fixed limit). Groups are stored in blocks of
// consecutive keys (group-blocks.ts), each keyed by the view's storage prefix
// (storage-key.ts) followed by the block's fence: a group lives in the block
// with the greatest fence not above its key. The first block a view gets is
// fenced by the empty group key, below every other.
//
// Commit writers may append a commit to the delta log instead (delta-log.ts)
// and fold it into the blocks later: every read here lays the groups of the
// records not folded yet over the blocks (delta-overlay.ts).
import type { Database, RootDatabase } from 'lmdb';
import { keyIdBytes, type KeyId } from '../engine/key-string.js';
import { BlockBuilder, BlockReader, compareBytes, writeBlock } from './group-blocks.js';
import { FenceIndex } from './fence-index.js';
import { ByteWriter } from '../planner/bytes.js';
import { forEachPackedGroup, PackedGroupsWriter } from './packed-groups.js';
import { DeltaLog, type DeltaMeta } from './delta-log.js';
import { DeltaOverlay, type OverlayGroup } from './delta-overlay.js';
import { PackedMerge } from './packed-merge.js';
import { GROUP_KEY_OFFSET, MAX_STORAGE_KEY_BYTES, viewOidOf, viewPrefix, writeStoragePrefix } from './storage-key.js';

export { GROUP_KEY_OFFSET };

const DB_NAME = 'view_blocks';

/** Where data directories before blocks kept one LMDB entry per group (upgradeGroupEntries). */
const GROUP_ENTRIES_DB_NAME = 'view_state';

const NO_BYTES = new Uint8Array(0);
const NO_GROUP = (): void => {};

/**
 * A storage key cut to what LMDB can key, to find a block by: no fence is
 * longer, so none lies between the cut key and the whole one, and the
 * greatest fence not above either (or the least above) is the same.
 */
function probeKey(storageKey: Uint8Array): Uint8Array {
  return storageKey.length > MAX_STORAGE_KEY_BYTES ? storageKey.subarray(0, MAX_STORAGE_KEY_BYTES) : storageKey;
}

/** A copy of bytes [start, end): lmdb-js hands out Buffers, whose slice() is a view of its reused read buffer. */
const copyOf = (bytes: Uint8Array, start: number, end: number): Uint8Array => Uint8Array.prototype.slice.call(bytes, start, end);

/** A fold writes its keys in at most this many transactions, */
const FOLD_CHUNKS = 16;
/** of at least this many groups each. */
const MIN_FOLD_CHUNK_GROUPS = 1024;

/** A fold of the delta log under way (ViewStateStore.beginFold). */
export interface DeltaFold {
  /** The log as the fold found it: it folds the records after meta.folded up to meta.last. */
  readonly meta: DeltaMeta;
  /** Their groups' latest states in storage-key order, taken a chunk at a time. */
  readonly merge: PackedMerge;
  /** Groups a chunk holds. */
  readonly perChunk: number;
  /** Groups written so far. */
  groups: number;
  /** The fold stopped short (foldStep): a clear, or another fold, came first. */
  gaveUp: boolean;
}

/** A view with more blocks than this (some 30 M groups of cv1's size) keeps no fence index: its blocks are found by range reads. */
const MAX_INDEXED_FENCES = 1_000_000;

/**
 * One committed group as a scan returns it: its key is bytes [keyStart,
 * keyEnd) and its serialized states bytes [stateStart, stateEnd) of `bytes`.
 * A scan reuses one such object for every group, and the bytes are valid
 * only until it moves to the next group: copy what must outlive that.
 */
export interface StoredGroup {
  bytes: Uint8Array;
  keyStart: number;
  keyEnd: number;
  stateStart: number;
  stateEnd: number;
}

export interface GroupWrite {
  viewOid: number;
  /** The group key: its bytes, or a KeyId standing for them. */
  key: Uint8Array | KeyId;
  state: Uint8Array;
  /** The group is not in storage yet (for statistics: an inserted rather than an updated row). */
  isNew?: boolean;
}

/** A group getNear shows besides the one asked for. */
export type NearGroup = (bytes: Uint8Array, keyStart: number, keyEnd: number, stateStart: number, stateEnd: number) => void;

/** Where an LMDB read left a value: lmdb-js's reused buffer and the value's length. */
interface RawValue {
  bytes: Uint8Array;
  size: number;
}

export class ViewStateStore {
  private readonly db: Database<Uint8Array, Buffer>;
  /** The same database, read by scans without a copy of each key and value by lmdb-js. */
  private readonly scanDb: Database<Uint8Array, Buffer>;
  /** The value a scanDb read is at (see the constructor). */
  private readonly raw: RawValue = { bytes: NO_BYTES, size: 0 };
  private rawSource: Uint8Array | null = null;
  private readonly builder = new BlockBuilder();
  private readonly reader = new BlockReader();
  private offsets = new Int32Array(4096);
  /** A block's value as put (writeBlock). */
  private readonly valueWriter = new ByteWriter(4096);
  /** Per view, its blocks' fences as this thread last saw them (null: too many to hold). */
  private readonly fenceIndexes = new Map<number, FenceIndex | null>();
  /** viewPrefix of each view, made once (LMDB copies a range's bounds when the range starts). */
  private readonly prefixes = new Map<number, Buffer>();
  private readonly ends = new Map<number, Buffer>();
  private readonly deltas: DeltaLog;
  /** The delta log's groups as this thread's read snapshot has them (synced by every read). */
  private readonly overlay: DeltaOverlay;

  /** A fold's chunks hold at least this many groups. */
  private readonly minFoldChunkGroups: number;

  /** `minFoldChunkGroups`: for tests, folds cut in smaller chunks. */
  constructor(
    private readonly env: RootDatabase,
    options: { minFoldChunkGroups?: number } = {},
  ) {
    this.minFoldChunkGroups = options.minFoldChunkGroups ?? MIN_FOLD_CHUNK_GROUPS;
    this.deltas = new DeltaLog(env);
    this.overlay = new DeltaOverlay(this.deltas);
    this.db = env.openDB<Uint8Array, Buffer>({ name: DB_NAME, keyEncoding: 'binary', encoding: 'binary' });
    this.scanDb = env.openDB<Uint8Array, Buffer>({ name: DB_NAME, keyEncoding: 'binary', encoding: 'binary' });
    // lmdb-js copies each key and value a range read returns. Its range
    // iterator reads keys through the store's readKey and values through its
    // decoder (given LMDB's reused buffer as is when decoderCopies is set);
    // a scan needs no key, and copies each block once into its own buffer.
    const raw = this.scanDb as unknown as {
      readKey: (buf: Uint8Array, start: number, end: number) => null;
      decoder: { decode: (buf: Uint8Array, size: number) => RawValue };
      decoderCopies: boolean;
    };
    const at = this.raw;
    raw.readKey = () => null;
    raw.decoder = {
      decode: (buf, size) => {
        // lmdb-js hands out Buffers; each (reused) buffer is shown once as a plain Uint8Array.
        if (buf !== this.rawSource) at.bytes = new Uint8Array((this.rawSource = buf).buffer, buf.byteOffset, buf.byteLength);
        at.size = size;
        return at;
      },
    };
    raw.decoderCopies = true;
  }

  /**
   * Moves groups a data directory stored one per LMDB entry (before blocks)
   * into blocks, in one transaction. Run once at start, before any other
   * thread opens the store.
   */
  static upgradeGroupEntries(env: RootDatabase): number {
    let old: Database<Uint8Array, Buffer>;
    try {
      old = env.openDB<Uint8Array, Buffer>({ name: GROUP_ENTRIES_DB_NAME, keyEncoding: 'binary', encoding: 'binary', create: false } as never);
    } catch {
      return 0;
    }
    if (!old) return 0; // no such database: nothing to move
    const store = new ViewStateStore(env);
    let moved = 0;
    let batch: GroupWrite[] = [];
    env.transactionSync(() => {
      for (const { key, value } of old.getRange({})) {
        batch.push({ viewOid: viewOidOf(key, 0), key: Uint8Array.prototype.slice.call(key, GROUP_KEY_OFFSET), state: Uint8Array.prototype.slice.call(value) });
        if (batch.length === 10_000) {
          store.writeInTransaction(store.pack(batch));
          moved += batch.length;
          batch = [];
        }
      }
      store.writeInTransaction(store.pack(batch));
      moved += batch.length;
      old.dropSync();
    });
    return moved;
  }

  /**
   * Makes the next read start a new snapshot. lmdb-js keeps a thread's read
   * transaction until a setTimeout(0) fires, so a read served in the same
   * event-loop pass as a combiner's commit acknowledgement (sync_commit) could
   * otherwise miss that commit.
   */
  readLatest(): void {
    this.env.resetReadTxn();
  }

  /** Leaf pages of the view-state tree (every view, every partition): what a commit's writes are sliced against. */
  leafPageCount(): number {
    return (this.db.getStats() as { treeLeafPageCount: number }).treeLeafPageCount;
  }

  /** A group's serialized states (a copy), or undefined when it is not stored. */
  get(viewOid: number, key: Uint8Array): Uint8Array | undefined {
    return this.getNear(viewOid, key);
  }

  /**
   * get(), and `near` is shown every other group stored in the same block:
   * its key is bytes [keyStart, keyEnd) and its states [stateStart,
   * stateEnd) of `bytes`, which are valid only until the next LMDB read on
   * this thread. A combiner caches them, as a bulk load soon reads them.
   */
  getNear(viewOid: number, key: Uint8Array, near?: NearGroup): Uint8Array | undefined {
    const overlay = this.overlay;
    overlay.sync();
    const pending = overlay.find(viewOid, key, 0, key.length);
    if (pending) return copyOf(pending.bytes, pending.stateStart, pending.stateEnd);
    const r = this.reader;
    const index = this.fenceIndex(viewOid);
    const fence = index ? index.floor(key, 0, key.length) : null;
    let block: Uint8Array | undefined;
    let size = 0;
    if (fence) {
      // Read in place in lmdb-js's buffer: only the states found are copied.
      block = this.db.getBinaryFast(this.lookupKey(viewOid, fence));
      if (block === undefined) index!.remove(fence);
      else if (!r.reset(block, 0, (size = block.length)).belowUpper(key, 0, key.length)) block = undefined;
    }
    if (block === undefined) {
      // Not found through the index (stale, or none): the block by a range read, learnt for next time.
      const held = this.blockHolding(this.storageKey(viewOid, key, 0, key.length), viewOid);
      if (!held) return undefined;
      if (index) index.add([held.key.subarray(GROUP_KEY_OFFSET)]);
      block = held.value;
      size = block.length;
    }
    r.reset(block, 0, size);
    try {
      if (!near) return r.find(key, 0, key.length) ? copyOf(block, r.stateStart, r.stateEnd) : undefined;
      let found: Uint8Array | undefined;
      const layered = overlay.has(viewOid);
      while (r.next()) {
        if (found === undefined && compareBytes(block, r.keyStart, r.keyEnd, key, 0, key.length) === 0) found = copyOf(block, r.stateStart, r.stateEnd);
        else {
          // A neighbour with newer states in a record is shown with those.
          const newer = layered ? overlay.find(viewOid, block, r.keyStart, r.keyEnd) : undefined;
          if (newer) near(newer.bytes, newer.keyStart, newer.keyEnd, newer.stateStart, newer.stateEnd);
          else near(block, r.keyStart, r.keyEnd, r.stateStart, r.stateEnd);
        }
      }
      return found;
    } finally {
      r.reset(NO_BYTES, 0, 0);
    }
  }

  /** A view's fence index, read from LMDB on first use (null when the view has too many blocks to hold one). */
  private fenceIndex(viewOid: number): FenceIndex | null {
    let index = this.fenceIndexes.get(viewOid);
    if (index !== undefined) return index;
    let fences: Uint8Array[] | null = [];
    for (const key of this.db.getKeys({ start: this.prefix(viewOid), end: this.viewEnd(viewOid) })) {
      if (fences.length === MAX_INDEXED_FENCES) {
        fences = null;
        break;
      }
      fences.push(Uint8Array.prototype.slice.call(key as Buffer, GROUP_KEY_OFFSET));
    }
    index = fences && new FenceIndex(fences);
    this.fenceIndexes.set(viewOid, index);
    return index;
  }

  /**
   * Writes packed groups (packed-groups.ts: a commit slice, in storage-key
   * order) into their blocks in one durable write transaction: a crash, or
   * a throw, leaves all of them or none. The delta log is folded first (in
   * the same transaction), as its records hold older states.
   */
  writePacked(packed: Uint8Array): void {
    this.env.transactionSync(() => {
      this.foldInTransaction();
      this.writeInTransaction(packed);
    });
  }

  /**
   * Appends packed groups (as writePacked takes them) to the delta log as
   * one record, in one durable write transaction:
   * a write that costs the same however many blocks the groups fall in.
   * Reads see them at once; fold() moves them into their blocks.
   */
  appendPacked(packed: Uint8Array): void {
    // Read through once first: a record cut short would fail every read after it.
    forEachPackedGroup(packed, NO_GROUP);
    this.env.transactionSync(() => {
      this.deltas.appendInTransaction(packed);
    });
  }

  /**
   * Moves every record of the delta log into the blocks, a chunk of keys per
   * durable write transaction (foldStep), taking over from a fold under way
   * in another thread (at a start or a stop); answers the groups moved.
   */
  fold(): number {
    let groups = 0;
    // A fold another thread starts meanwhile stops this one: the last to start goes on, so a
    // few tries see the log folded (or a busy log folded by the others).
    for (let tries = 0; tries < 4; tries++) {
      const f = this.beginFold(true);
      if (!f) break;
      while (!this.foldStep(f));
      groups += f.groups;
      if (!f.gaveUp) break;
    }
    return groups;
  }

  /**
   * Starts a fold of the records pending, claiming it in a write transaction;
   * null while another thread's fold is under way, unless `force` (that fold
   * then stops at its next chunk: this one covers its records, and rewrites
   * every key it wrote). It takes their groups' latest states in key order,
   * written in chunks each covering about a sixteenth of the keys, as a
   * commit's slices are (group-merger.ts): LMDB reuses the pages one chunk
   * frees for the next, so the file stays near the size of its tree, and a
   * writer stores commits between chunks. null: nothing is pending.
   */
  beginFold(force = false): DeltaFold | null {
    return this.env.transactionSync(() => {
      if (!this.deltas.hasPending()) return null;
      const m = this.deltas.claimInTransaction(Date.now(), force);
      if (!m) return null;
      const merge = this.pendingMerge(m);
      return { meta: m, merge, perChunk: Math.max(this.minFoldChunkGroups, Math.ceil(merge.groupsIn / FOLD_CHUNKS)), groups: 0, gaveUp: false };
    });
  }

  /** Whether records wait in the delta log, in this thread's snapshot. */
  hasPendingDeltas(): boolean {
    return this.deltas.hasPending();
  }

  /**
   * Writes a fold's next chunk in one durable write transaction; the last
   * chunk's transaction also removes the records folded. Answers whether the
   * fold is over: done, or given up (f.gaveUp) because a clear changed the
   * records, or another fold moved them first or was started since (a chunk
   * written before then holds the states the records did, which they or a
   * later record still override).
   */
  foldStep(f: DeltaFold): boolean {
    return this.env.transactionSync(() => {
      const m = this.deltas.meta();
      if (m.claim !== f.meta.claim) return (f.gaveUp = true);
      if (m.epoch !== f.meta.epoch || m.folded !== f.meta.folded) {
        // Still the claimer: other writers may fold again at once.
        this.deltas.touchClaimInTransaction(0);
        return (f.gaveUp = true);
      }
      const out = this.foldWriter;
      out.reset();
      const n = f.merge.next(f.perChunk, out);
      if (n > 0) this.writeInTransaction(out.view());
      f.groups += n;
      if (!f.merge.done) {
        this.deltas.touchClaimInTransaction(Date.now());
        return false;
      }
      this.deltas.markFoldedInTransaction(f.meta.last);
      return true;
    });
  }

  /** Gives up a fold that failed: its claim goes, so the next fold need not wait for it to age. */
  abandonFold(f: DeltaFold): void {
    this.env.transactionSync(() => {
      if (this.deltas.meta().claim === f.meta.claim) this.deltas.touchClaimInTransaction(0);
    });
  }

  /** A fold's chunk, packed. */
  private readonly foldWriter = new ByteWriter(64 * 1024);

  /** Every pending record folded at once, inside a write transaction (before a direct write). */
  private foldInTransaction(): void {
    const m = this.deltas.meta();
    if (m.last === m.folded) return;
    const out = this.foldWriter;
    out.reset();
    this.pendingMerge(m).next(Infinity, out);
    this.writeInTransaction(out.view());
    this.deltas.markFoldedInTransaction(m.last);
  }

  /** The records pending in `m`, merged. */
  private pendingMerge(m: DeltaMeta): PackedMerge {
    const records: Uint8Array[] = [];
    this.deltas.forEachRecord(m.folded, m.last, (record) => records.push(record));
    return new PackedMerge(records);
  }

  /** Writes the groups in one transaction (writePacked); they need not be in order. */
  write(groups: readonly GroupWrite[]): void {
    if (groups.length === 0) return;
    this.writePacked(this.pack(groups));
  }

  private pack(groups: readonly GroupWrite[]): Uint8Array {
    const packed = new PackedGroupsWriter();
    const sorted = groups.map((g) => {
      const bytes = g.key instanceof Uint8Array ? g.key : keyIdBytes(g.key);
      return { g, key: this.storageKey(g.viewOid, bytes, 0, bytes.length) };
    });
    sorted.sort((a, b) => Buffer.compare(a.key, b.key));
    for (const { g } of sorted) {
      packed.beginGroup(g.viewOid, g.key, g.isNew === true);
      packed.out.bytes(g.state);
      packed.endGroup();
    }
    return packed.finish();
  }

  /**
   * Merges the packed groups into their blocks: each block that receives
   * groups is read once, merged with them and put back (cut in several when
   * it grew past MAX_BLOCK_BYTES).
   */
  private writeInTransaction(packed: Uint8Array): void {
    // Where each group's storage key and states lie: [keyStart, keyEnd, stateStart, stateEnd] per group.
    let at = this.offsets;
    let n = 0;
    forEachPackedGroup(packed, (_flags, keyStart, keyEnd, stateStart, stateEnd) => {
      if (4 * n + 4 > at.length) {
        const grown = new Int32Array(2 * at.length);
        grown.set(at);
        at = this.offsets = grown;
      }
      at[4 * n] = keyStart;
      at[4 * n + 1] = keyEnd;
      at[4 * n + 2] = stateStart;
      at[4 * n + 3] = stateEnd;
      n++;
    });
    const builder = this.builder;
    const reader = this.reader;
    const learnt = new Map<number, Uint8Array[]>();
    let i = 0;
    while (i < n) {
      const keyStart = at[4 * i]!;
      const keyEnd = at[4 * i + 1]!;
      const viewOid = viewOidOf(packed, keyStart);
      const index = this.fenceIndex(viewOid);
      let fences = learnt.get(viewOid);
      if (!fences) learnt.set(viewOid, (fences = []));
      // The block holding the group (its storage key and value), and the fence it ends at (group-key bytes; null: the view's end).
      let fence: Buffer | null = null;
      let old: Uint8Array | null = null;
      let next: Uint8Array | null = null;
      const indexed = index ? index.floor(packed, keyStart + GROUP_KEY_OFFSET, keyEnd) : null;
      if (indexed) {
        const key = this.lookupKey(viewOid, indexed);
        // Read in place (a copy of each block cost 9 % of a writer's time): no
        // LMDB read comes before the builder has copied its groups. A block of
        // 16 MB or more is a view of LMDB's own pages, which the first put
        // below may rewrite (when this transaction wrote them already), so
        // its upper bound, used after that put, is copied.
        const value = this.db.getBinaryFast(key);
        if (value === undefined) index!.remove(indexed);
        else if (reader.reset(value, 0, value.length).belowUpper(packed, keyStart + GROUP_KEY_OFFSET, keyEnd)) {
          fence = key;
          old = value;
          next = reader.hasUpper ? copyOf(value, reader.upperStart, reader.upperEnd) : null;
        }
      }
      if (!old) {
        const storageKey = packed.subarray(keyStart, keyEnd);
        const block = this.blockHolding(storageKey, viewOid);
        const after = this.fenceAfter(storageKey, viewOid);
        next = after ? after.subarray(GROUP_KEY_OFFSET) : null;
        if (block) {
          fence = block.key;
          old = block.value;
          fences.push(block.key.subarray(GROUP_KEY_OFFSET));
        }
      }
      // The groups of this block: up to the next block's fence (or the view's
      // end), in ascending order. A group out of order (not from a commit
      // slice) starts a new run, which finds its block again.
      let j = i + 1;
      while (j < n) {
        const ks = at[4 * j]!;
        const ke = at[4 * j + 1]!;
        if (viewOidOf(packed, ks) !== viewOid) break;
        if (next && compareBytes(packed, ks + GROUP_KEY_OFFSET, ke, next, 0, next.length) >= 0) break;
        if (compareBytes(packed, at[4 * j - 4]!, at[4 * j - 3]!, packed, ks, ke) >= 0) break;
        j++;
      }
      builder.reset();
      let hasOld = old !== null && reader.reset(old, 0, old.length).next();
      for (let g = i; g < j; g++) {
        const ks = at[4 * g]! + GROUP_KEY_OFFSET;
        const ke = at[4 * g + 1]!;
        // The stored groups before this one are kept as they lie, a run at a time.
        if (hasOld) {
          const run = reader.groupStart;
          let c: number;
          while ((c = compareBytes(reader.bytes, reader.keyStart, reader.keyEnd, packed, ks, ke)) < 0 && (hasOld = reader.next()));
          const runEnd = hasOld ? reader.groupStart : reader.blockEnd;
          if (runEnd > run) builder.addEncoded(reader.bytes, run, runEnd);
          // A group already stored is replaced by its new states.
          if (hasOld && c === 0) hasOld = reader.next();
        }
        builder.add(packed, ks, ke, packed, at[4 * g + 2]!, at[4 * g + 3]!);
      }
      if (hasOld) builder.addEncoded(reader.bytes, reader.groupStart, reader.blockEnd);
      reader.reset(NO_BYTES, 0, 0);
      if (!fence) {
        // No block holds these keys (they are below every fence): the view's first block, under the empty fence.
        fence = this.storageKey(viewOid, NO_BYTES, 0, 0);
        fences.push(NO_BYTES);
      }
      this.putBlocks(viewOid, fence, next, fences);
      i = j;
    }
    // Once the puts are done (a throw above leaves the indexes as they were; stale entries would be corrected anyway).
    for (const [viewOid, fences] of learnt) this.fenceIndexes.get(viewOid)?.add(fences);
  }

  /**
   * Puts the builder's groups as blocks: the first under `fence` (a storage
   * key), the others under their fences (cut(): the first key, or a prefix of it; added to `fences`). Each block's
   * upper bound is the next one's fence; the last one's is `next`.
   */
  private putBlocks(viewOid: number, fence: Buffer, next: Uint8Array | null, fences: Uint8Array[]): void {
    const builder = this.builder;
    const buf = builder.buf;
    const blocks = builder.cut() as [number, number, number, number][];
    for (let b = 0; b < blocks.length; b++) {
      const [start, end, keyStart, keyEnd] = blocks[b]!;
      const following = blocks[b + 1];
      const value = following
        ? writeBlock(this.valueWriter, buf, following[2], following[3], buf, start, end)
        : writeBlock(this.valueWriter, next, 0, next ? next.length : 0, buf, start, end);
      let key = fence;
      if (b > 0) {
        key = this.storageKey(viewOid, buf, keyStart, keyEnd);
        fences.push(buf.slice(keyStart, keyEnd));
      }
      this.db.putSync(key, Buffer.from(value.buffer, value.byteOffset, value.length));
    }
  }

  /** The block a storage key falls in (its LMDB key and a copy of its value), or null when none does. */
  private blockHolding(storageKey: Uint8Array, viewOid: number): { key: Buffer; value: Buffer } | null {
    for (const entry of this.db.getRange({ start: probeKey(storageKey), end: this.prefix(viewOid), reverse: true, limit: 1 })) {
      return entry as { key: Buffer; value: Buffer };
    }
    return null;
  }

  /** The fence of the block after the one a storage key falls in (as a storage key), or null at the view's last block. */
  private fenceAfter(storageKey: Uint8Array, viewOid: number): Buffer | null {
    for (const key of this.db.getKeys({ start: probeKey(storageKey), end: this.viewEnd(viewOid), exclusiveStart: true, limit: 1 } as never)) {
      return key as Buffer;
    }
    return null;
  }

  /** Above every storage key of a view (its OID, then 2 where their marker is 1): a range's end, even for OID 2^32 - 1. */
  private viewEnd(viewOid: number): Buffer {
    let p = this.ends.get(viewOid);
    if (!p) {
      this.ends.set(viewOid, (p = Buffer.alloc(GROUP_KEY_OFFSET)));
      writeStoragePrefix(p, 0, viewOid);
      p[GROUP_KEY_OFFSET - 1] = 2;
    }
    return p;
  }

  private prefix(viewOid: number): Buffer {
    let p = this.prefixes.get(viewOid);
    if (!p) this.prefixes.set(viewOid, (p = viewPrefix(viewOid)));
    return p;
  }

  /** The storage key of group key bytes [start, end) of `key`. */
  /**
   * storageKey() of a whole group key, in a buffer reused for every key of
   * its length: for an LMDB lookup, which copies the key it is given (a
   * point read made a buffer per lookup).
   */
  private lookupKey(viewOid: number, key: Uint8Array): Buffer {
    const n = GROUP_KEY_OFFSET + key.length;
    let out = this.lookupKeys[n];
    if (out === undefined) out = this.lookupKeys[n] = Buffer.alloc(n);
    writeStoragePrefix(out, 0, viewOid);
    out.set(key, GROUP_KEY_OFFSET);
    return out;
  }

  /** lookupKey()'s buffers, by length. */
  private readonly lookupKeys: (Buffer | undefined)[] = [];

  private storageKey(viewOid: number, key: Uint8Array, start: number, end: number): Buffer {
    const out = Buffer.allocUnsafe(GROUP_KEY_OFFSET + end - start);
    writeStoragePrefix(out, 0, viewOid);
    out.set(key.subarray(start, end), GROUP_KEY_OFFSET);
    return out;
  }

  /**
   * Every committed group of a view, in key order (one StoredGroup object per
   * scan, updated in place). Not inside a write transaction: lmdb-js would
   * then reposition the cursor by its last key, which readKey does not return.
   */
  scan(viewOid: number): Iterable<StoredGroup> {
    if ((this.scanDb as unknown as { env?: { writeTxn?: unknown } }).env?.writeTxn) {
      throw new Error('a view scan cannot run inside a write transaction');
    }
    const range = this.scanDb.getRange({ start: this.prefix(viewOid), end: this.viewEnd(viewOid) }) as unknown as Iterable<unknown>;
    const raw = this.raw;
    return {
      [Symbol.iterator]: (): Iterator<StoredGroup> => {
        // The records' groups and the range's blocks from one snapshot: the
        // range holds the snapshot it starts in, which is the current one.
        this.overlay.sync();
        const pending = this.overlay.sorted(viewOid);
        let p = 0;
        const entries = range[Symbol.iterator]();
        // Each block is copied out of lmdb-js's buffer, which the next LMDB read anywhere reuses.
        let block = new Uint8Array(4096);
        const reader = new BlockReader();
        /** The reader is at a group not shown yet; false: move it on first. */
        let atGroup = false;
        /** The blocks are all read. */
        let blocksDone = false;
        const at: StoredGroup = { bytes: block, keyStart: 0, keyEnd: 0, stateStart: 0, stateEnd: 0 };
        const step: IteratorYieldResult<StoredGroup> = { value: at, done: false };
        const release = (): void => {
          raw.bytes = NO_BYTES;
          this.rawSource = null;
          reader.reset(NO_BYTES, 0, 0);
          at.bytes = block = NO_BYTES;
        };
        const show = (g: OverlayGroup | BlockReader): IteratorYieldResult<StoredGroup> => {
          at.bytes = g.bytes;
          at.keyStart = g.keyStart;
          at.keyEnd = g.keyEnd;
          at.stateStart = g.stateStart;
          at.stateEnd = g.stateEnd;
          return step;
        };
        return {
          next: () => {
            if (!atGroup && !blocksDone) {
              while (!(atGroup = reader.next())) {
                if (entries.next().done) {
                  blocksDone = true;
                  break;
                }
                const size = raw.size;
                if (block.length < size) block = new Uint8Array(Math.max(size, 2 * block.length));
                block.set(raw.bytes.subarray(0, size));
                reader.reset(block, 0, size);
              }
            }
            if (!atGroup) {
              if (p < pending.length) return show(pending[p++]!);
              release();
              return { value: undefined, done: true };
            }
            // A group in a record comes in its key order, instead of the block's when both have it.
            if (p < pending.length) {
              const g = pending[p]!;
              const c = compareBytes(g.bytes, g.keyStart, g.keyEnd, block, reader.keyStart, reader.keyEnd);
              if (c <= 0) {
                p++;
                if (c === 0) atGroup = false;
                return show(g);
              }
            }
            atGroup = false;
            return show(reader);
          },
          // An early exit (LIMIT, an error) lets lmdb-js release the cursor.
          return: (value?: unknown) => {
            entries.return?.();
            release();
            return { value, done: true };
          },
        };
      },
    };
  }

  /**
   * Whether a view may have stored groups that `which` selects (by group
   * key). Looks at no more than `limit` stored groups: past that it answers
   * true, as it cannot tell.
   */
  hasGroups(viewOid: number, which?: (groupKey: Uint8Array) => boolean, limit = 10_000): boolean {
    let seen = 0;
    this.overlay.sync();
    for (const g of this.overlay.groupsOf(viewOid)) {
      if (!which || which(g.bytes.subarray(g.keyStart, g.keyEnd)) || ++seen >= limit) return true;
    }
    const r = new BlockReader();
    for (const { value } of this.db.getRange({ start: this.prefix(viewOid), end: this.viewEnd(viewOid) })) {
      r.reset(value, 0, value.length);
      while (r.next()) {
        if (!which || which(r.bytes.subarray(r.keyStart, r.keyEnd)) || ++seen >= limit) return true;
      }
    }
    return false;
  }

  /** Removes a view's groups (TRUNCATE, DROP), or only those whose group key `which` selects. */
  clear(viewOid: number, which?: (groupKey: Uint8Array) => boolean): void {
    const start = this.prefix(viewOid);
    const end = this.viewEnd(viewOid);
    this.env.transactionSync(() => {
      // The view's groups leave the pending records too (readers then take them in again).
      this.deltas.clearInTransaction(viewOid, which);
      const blocks = Array.from(this.db.getRange({ start, end }), ({ key, value }) => ({ key: key as Buffer, value }));
      const r = new BlockReader();
      const kept = this.builder;
      for (const { key, value } of blocks) {
        if (!which) {
          this.db.removeSync(key);
          continue;
        }
        kept.reset();
        let groups = 0;
        let keptGroups = 0;
        r.reset(value, 0, value.length);
        while (r.next()) {
          groups++;
          if (which(r.bytes.subarray(r.keyStart, r.keyEnd))) continue;
          keptGroups++;
          kept.addEncoded(r.bytes, r.groupStart, r.stateEnd);
        }
        if (keptGroups === groups) continue;
        // What is left of a block fits in it: it stays one block, under its fence, with its upper bound.
        if (keptGroups === 0) this.db.removeSync(key);
        else {
          const rewritten = writeBlock(this.valueWriter, r.hasUpper ? value : null, r.upperStart, r.upperEnd, kept.buf, 0, kept.pos);
          this.db.putSync(key, Buffer.from(rewritten.buffer, rewritten.byteOffset, rewritten.length));
        }
      }
    });
    // Blocks went: the fences are read again when next needed.
    this.fenceIndexes.delete(viewOid);
  }
}
