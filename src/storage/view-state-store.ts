// Persisted continuous-view state: one LMDB database for every view (so the
// number of views has no fixed limit), keyed by the view's OID followed by
// the group's key bytes (storage-key.ts); the value is the group's serialized
// aggregate states.
import type { Database, RootDatabase } from 'lmdb';
import type { KeyId } from '../engine/key-string.js';
import { forEachPackedGroup, PackedGroupsWriter } from './packed-groups.js';
import { GROUP_KEY_OFFSET, viewPrefix, writeStoragePrefix } from './storage-key.js';

export { GROUP_KEY_OFFSET };

const DB_NAME = 'view_state';

const NO_BYTES = new Uint8Array(0);

/** The memory of `buf` as a plain Uint8Array (of the whole buffer, whatever length it claims). */
function plainView(buf: Uint8Array): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/**
 * One committed group as a scan returns it: where its storage key and its
 * serialized states lie in LMDB's read buffers. A scan reuses one such object
 * for every group, and the bytes are valid only until it moves to the next
 * group: copy what must outlive that.
 */
export interface StoredGroup {
  /** Holds the storage key (GROUP_KEY_OFFSET bytes of view prefix, then the group key) at [keyStart, keyEnd). */
  keyBytes: Uint8Array;
  keyStart: number;
  keyEnd: number;
  /** Holds the group's serialized states at [0, valueEnd). */
  valueBytes: Uint8Array;
  valueEnd: number;
}

export interface GroupWrite {
  viewOid: number;
  /** The group key: its bytes, or a KeyId standing for them. */
  key: Uint8Array | KeyId;
  state: Uint8Array;
  /** The group is not in storage yet (for statistics: an inserted rather than an updated row). */
  isNew?: boolean;
}

export class ViewStateStore {
  private readonly db: Database<Uint8Array, Buffer>;
  /** The same database, read by scans without a copy of each key and value. */
  private readonly scanDb: Database<Uint8Array, Buffer>;
  /** The same database, written by writePacked without a key or value object per group. */
  private readonly packedDb: Database<Uint8Array, Buffer>;
  /** The storage key writePacked puts next: bytes [start, end) of `bytes`. */
  private readonly packedKey: { bytes: Uint8Array; start: number; end: number } = { bytes: NO_BYTES, start: 0, end: 0 };
  /** The group a scan is at (see the constructor), and the lmdb-js buffers it shows. */
  private readonly current: StoredGroup = { keyBytes: NO_BYTES, keyStart: 0, keyEnd: 0, valueBytes: NO_BYTES, valueEnd: 0 };
  private keySource: Uint8Array | null = null;
  private valueSource: Uint8Array | null = null;

  constructor(private readonly env: RootDatabase) {
    this.db = env.openDB<Uint8Array, Buffer>({ name: DB_NAME, keyEncoding: 'binary', encoding: 'binary' });
    this.scanDb = env.openDB<Uint8Array, Buffer>({ name: DB_NAME, keyEncoding: 'binary', encoding: 'binary' });
    // lmdb-js copies each key and value a range read returns, which was a
    // quarter of a full view scan. Its range iterator reads keys through the
    // store's readKey and values through its decoder (given LMDB's reused
    // buffer as is when decoderCopies is set); both only note where the bytes
    // lie, in the one StoredGroup a scan shows for every group, so a scan makes
    // no view or copy per group.
    const raw = this.scanDb as unknown as {
      readKey: (buf: Uint8Array, start: number, end: number) => StoredGroup;
      decoder: { decode: (buf: Uint8Array, size: number) => StoredGroup };
      decoderCopies: boolean;
    };
    // lmdb-js hands out Buffers, whose slice() is a view, not a copy; each
    // (reused) buffer is shown once as a plain Uint8Array, so slice() copies.
    const at = this.current;
    raw.readKey = (buf, start, end) => {
      if (buf !== this.keySource) at.keyBytes = plainView((this.keySource = buf));
      at.keyStart = start;
      at.keyEnd = end;
      return at;
    };
    raw.decoder = {
      decode: (buf, size) => {
        if (buf !== this.valueSource) at.valueBytes = plainView((this.valueSource = buf));
        at.valueEnd = size;
        return at;
      },
    };
    raw.decoderCopies = true;

    // lmdb-js copies a put's key into its instruction buffer with the
    // store's writeKey, and takes a value with `start` and `end` properties
    // as that range of its ArrayBuffer (as its own encoders hand values
    // over). writePacked gives every group of a slice as one reused key
    // object and the slice's one Buffer with the group's range set: a
    // subarray of each per group cost 0.25-0.45 us a put (1 M puts, in
    // process: 1.45-1.59 us each, against 1.01-1.35 us).
    this.packedDb = env.openDB<Uint8Array, Buffer>({ name: DB_NAME, keyEncoding: 'binary', encoding: 'binary' });
    (this.packedDb as unknown as { writeKey: (key: { bytes: Uint8Array; start: number; end: number }, target: Uint8Array, at: number) => number }).writeKey = (
      key,
      target,
      at,
    ) => {
      const bytes = key.bytes;
      for (let i = key.start; i < key.end; i++) target[at++] = bytes[i]!;
      return at;
    };
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

  get(viewOid: number, key: Uint8Array): Uint8Array | undefined {
    // LMDB copies the key, so the scratch key serves here too.
    return this.db.get(this.scratchKey(viewOid, key)) ?? undefined;
  }

  /**
   * Writes packed groups (packed-groups.ts: a commit slice) in one durable
   * write transaction: a crash, or a throw, leaves all of them or none.
   */
  writePacked(packed: Uint8Array): void {
    const key = this.packedKey;
    const value = Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength) as Buffer & { start: number; end: number };
    const put = this.packedDb.putSync.bind(this.packedDb) as unknown as (k: typeof key, v: Buffer) => void;
    key.bytes = packed;
    try {
      this.env.transactionSync(() => {
        forEachPackedGroup(packed, (_flags, keyStart, keyEnd, stateStart, stateEnd) => {
          key.start = keyStart;
          key.end = keyEnd;
          // Offsets into the ArrayBuffer, which lmdb-js addresses.
          value.start = packed.byteOffset + stateStart;
          value.end = packed.byteOffset + stateEnd;
          put(key, value);
        });
      });
    } finally {
      key.bytes = NO_BYTES;
    }
  }

  /** Writes the groups in one transaction (writePacked). */
  write(groups: readonly GroupWrite[]): void {
    if (groups.length === 0) return;
    const packed = new PackedGroupsWriter();
    for (const g of groups) {
      packed.beginGroup(g.viewOid, g.key, g.isNew === true);
      packed.out.bytes(g.state);
      packed.endGroup();
    }
    this.writePacked(packed.finish());
  }

  /** Scratch storage keys by length, reused by every get. */
  private readonly scratchKeys = new Map<number, Buffer>();

  private scratchKey(viewOid: number, key: Uint8Array): Buffer {
    const length = GROUP_KEY_OFFSET + key.length;
    let out = this.scratchKeys.get(length);
    if (!out) this.scratchKeys.set(length, (out = Buffer.alloc(length)));
    writeStoragePrefix(out, 0, viewOid);
    out.set(key, GROUP_KEY_OFFSET);
    return out;
  }

  /**
   * Every committed group of a view, in key order (one StoredGroup object,
   * updated in place). Not inside a write transaction: lmdb-js would then
   * reposition the cursor by its last key, which readKey no longer returns.
   */
  scan(viewOid: number): Iterable<StoredGroup> {
    if ((this.scanDb as unknown as { env?: { writeTxn?: unknown } }).env?.writeTxn) {
      throw new Error('a view scan cannot run inside a write transaction');
    }
    const range = this.scanDb.getRange({ start: viewPrefix(viewOid), end: viewPrefix(viewOid + 1) }) as unknown as Iterable<{ value: StoredGroup }>;
    return {
      [Symbol.iterator]: (): Iterator<StoredGroup> => {
        const entries = range[Symbol.iterator]();
        const step: IteratorYieldResult<StoredGroup> = { value: this.current, done: false };
        return {
          next: () => {
            if (!entries.next().done) return step;
            this.releaseBuffers();
            return { value: undefined, done: true };
          },
          // An early exit (LIMIT, an error) lets lmdb-js release the cursor.
          return: (value?: unknown) => {
            entries.return?.();
            this.releaseBuffers();
            return { value, done: true };
          },
        };
      },
    };
  }

  /** Lets go of lmdb-js's buffers once a scan ends (one may be a large value's own buffer). */
  private releaseBuffers(): void {
    this.current.keyBytes = this.current.valueBytes = NO_BYTES;
    this.keySource = this.valueSource = null;
  }

  /**
   * Whether a view may have stored groups that `which` selects (by group
   * key). Looks at no more than `limit` stored groups: past that it answers
   * true, as it cannot tell.
   */
  hasGroups(viewOid: number, which?: (groupKey: Uint8Array) => boolean, limit = 10_000): boolean {
    let seen = 0;
    for (const key of this.db.getKeys({ start: viewPrefix(viewOid), end: viewPrefix(viewOid + 1) })) {
      if (!which || which((key as Buffer).subarray(GROUP_KEY_OFFSET)) || ++seen >= limit) return true;
    }
    return false;
  }

  /** Removes a view's groups (TRUNCATE, DROP), or only those whose group key `which` selects. */
  clear(viewOid: number, which?: (groupKey: Uint8Array) => boolean): void {
    const start = viewPrefix(viewOid);
    const end = viewPrefix(viewOid + 1);
    this.env.transactionSync(() => {
      for (const key of this.db.getKeys({ start, end })) {
        if (which && !which((key as Buffer).subarray(GROUP_KEY_OFFSET))) continue;
        this.db.removeSync(key as Buffer);
      }
    });
  }
}
