// Persisted continuous-view state: one LMDB database for every view (so the
// number of views has no fixed limit), keyed by the view's OID (4 bytes,
// big-endian, so a view's groups are contiguous) followed by the group's key
// bytes; the value is the group's serialized aggregate states.
import type { Database, RootDatabase } from 'lmdb';

const DB_NAME = 'view_state';

/** Bytes before the group key in a storage key (see storageKey). */
export const GROUP_KEY_OFFSET = 5;

/** One committed group as a scan returns it (LMDB's own entry object, nothing copied again). */
export interface StoredGroup {
  /** The storage key: GROUP_KEY_OFFSET bytes of view prefix, then the group key. */
  key: Uint8Array;
  /** The group's serialized states. */
  value: Uint8Array;
}

export interface GroupWrite {
  viewOid: number;
  key: Uint8Array;
  state: Uint8Array;
  /** The group is not in storage yet (for statistics: an inserted rather than an updated row). */
  isNew?: boolean;
}

export class ViewStateStore {
  private readonly db: Database<Uint8Array, Buffer>;

  constructor(private readonly env: RootDatabase) {
    this.db = env.openDB<Uint8Array, Buffer>({ name: DB_NAME, keyEncoding: 'binary', encoding: 'binary' });
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

  get(viewOid: number, key: Uint8Array): Uint8Array | undefined {
    return this.db.get(storageKey(viewOid, key)) ?? undefined;
  }

  /** Writes the groups in one synchronous (durable) transaction: a crash leaves all or none. */
  write(groups: readonly GroupWrite[]): void {
    if (groups.length === 0) return;
    this.env.transactionSync(() => {
      for (const g of groups) this.db.putSync(storageKey(g.viewOid, g.key), Buffer.from(g.state.buffer, g.state.byteOffset, g.state.byteLength));
    });
  }

  /** Every committed group of a view, in key order. */
  scan(viewOid: number): Iterable<StoredGroup> {
    return this.db.getRange({ start: viewPrefix(viewOid), end: viewPrefix(viewOid + 1) }) as Iterable<StoredGroup>;
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

/**
 * 4-byte big-endian OID, a 1-byte marker (LMDB keys may not be empty, and a
 * view without GROUP BY has an empty group key), then the group key.
 */
function storageKey(viewOid: number, key: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(GROUP_KEY_OFFSET + key.length);
  out.writeUInt32BE(viewOid >>> 0, 0);
  out[4] = 1;
  out.set(key, GROUP_KEY_OFFSET);
  return out;
}

function viewPrefix(viewOid: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(viewOid >>> 0, 0);
  return out;
}
