// The view-state delta log. A commit of a few thousand groups scattered over a
// large view made LMDB rewrite about one 4 KB page per group, every
// commit_interval: most of a commit writer's CPU. So a commit writer appends
// such a commit as one record (its packed groups, packed-groups.ts), and every
// few seconds the records are folded into the blocks (view-state-store.ts), a
// key range per transaction, which rewrites each touched page once for many
// commits.
// Readers lay the records not folded yet over the blocks (delta-overlay.ts).
//
// Records are keyed [1, seq (6 bytes big-endian)]: one sequence for every
// writer, taken inside the append's write transaction, so records lie in the
// order their transactions committed and a later record's states win (48
// bits last thousands of years at any commit rate). One meta entry, key [0],
// holds
//   u32      epoch: bumped when pending records are rewritten (a clear)
//   6 bytes  the last seq folded into the blocks
//   6 bytes  the last seq appended
//   u32      claim: bumped by each fold as it starts (two writers' folds
//            must not interleave their chunks: only the last claimer's go on)
//   6 bytes  when the fold under way last wrote a chunk (ms since 1970; 0:
//            none is): another writer starts no fold meanwhile, unless it
//            forces one (a stop, a start) or the claim is CLAIM_TTL_MS old
// and is read and written inside every transaction that changes the log, so
// threads never act on stale meta. (Meta entries of 20 and 16 bytes, from
// builds without the claim's time or the claim, and of 8, from a development
// build, are read too.)
import type { Database, RootDatabase } from 'lmdb';
import { forEachPackedGroup, PACKED_HEADER_BYTES } from './packed-groups.js';
import { GROUP_KEY_OFFSET, viewOidOf } from './storage-key.js';

const DB_NAME = 'view_deltas';
const META_KEY = Buffer.from([0]);
const META_BYTES = 26;
/** A fold that wrote no chunk for this long is taken over (its thread ended, say). */
const CLAIM_TTL_MS = 10_000;
const RECORD_MARK = 1;
const MAX_SEQ = 2 ** 48 - 1;

export interface DeltaMeta {
  epoch: number;
  /** The fold that may write chunks (the last started). */
  claim: number;
  /** When that fold last wrote a chunk (0: it is over). */
  claimedAt: number;
  /** Records up to this seq are in the blocks (and removed from the log). */
  folded: number;
  /** The last record appended. */
  last: number;
}

export const NO_DELTAS: DeltaMeta = { epoch: 0, claim: 0, claimedAt: 0, folded: 0, last: 0 };

export function decodeDeltaMeta(bytes: Uint8Array | undefined): DeltaMeta {
  if (bytes === undefined) return NO_DELTAS;
  const size = bytes.length;
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(size, META_BYTES));
  if (size >= 16) {
    const m = { epoch: b.readUInt32BE(0), folded: b.readUIntBE(4, 6), last: b.readUIntBE(10, 6), claim: 0, claimedAt: 0 };
    if (size >= 20) m.claim = b.readUInt32BE(16);
    if (size >= META_BYTES) m.claimedAt = b.readUIntBE(20, 6);
    return m;
  }
  if (size === 8) {
    // Records of that build had shorter keys: only an empty log carries on.
    const folded = b.readUInt32BE(0);
    const last = b.readUInt32BE(4);
    if (folded !== last) throw new Error('the view-state delta log holds records of a development build that cannot be read');
    return { epoch: 0, claim: 0, claimedAt: 0, folded, last };
  }
  throw new Error('the view-state delta log meta entry is truncated');
}

function encodeDeltaMeta(m: DeltaMeta): Buffer {
  const out = Buffer.alloc(META_BYTES);
  out.writeUInt32BE(m.epoch >>> 0, 0);
  out.writeUIntBE(m.folded, 4, 6);
  out.writeUIntBE(m.last, 10, 6);
  out.writeUInt32BE(m.claim >>> 0, 16);
  out.writeUIntBE(m.claimedAt, 20, 6);
  return out;
}

function recordKey(seq: number): Buffer {
  const out = Buffer.alloc(7);
  out[0] = RECORD_MARK;
  out.writeUIntBE(seq, 1, 6);
  return out;
}

export class DeltaLog {
  private readonly db: Database<Uint8Array, Buffer>;

  constructor(env: RootDatabase) {
    this.db = env.openDB<Uint8Array, Buffer>({ name: DB_NAME, keyEncoding: 'binary', encoding: 'binary' });
  }

  /**
   * The meta entry in this thread's current snapshot: lmdb-js's reused read
   * buffer with `length` set to the entry's size, valid only until the next
   * read on this thread.
   */
  metaBytes(): Uint8Array | undefined {
    return this.db.getBinaryFast(META_KEY);
  }

  meta(): DeltaMeta {
    return decodeDeltaMeta(this.metaBytes());
  }

  /** Whether records wait to be folded, in this thread's snapshot. */
  hasPending(): boolean {
    const m = this.meta();
    return m.last > m.folded;
  }

  /**
   * Claims the next fold (see the top of the file): answers the meta entry
   * it starts from, or null while another fold is under way (unless
   * `force`). Inside a write transaction.
   */
  claimInTransaction(now: number, force: boolean): DeltaMeta | null {
    const m = this.meta();
    if (!force && m.claimedAt > 0 && now - m.claimedAt < CLAIM_TTL_MS) return null;
    const claimed = { ...m, claim: (m.claim + 1) >>> 0, claimedAt: now };
    this.db.putSync(META_KEY, encodeDeltaMeta(claimed));
    return claimed;
  }

  /** The fold under way wrote a chunk (`now`), or ended (0). Inside its write transaction. */
  touchClaimInTransaction(now: number): void {
    this.db.putSync(META_KEY, encodeDeltaMeta({ ...this.meta(), claimedAt: now }));
  }

  /** Appends packed groups as the next record. Inside a write transaction. */
  appendInTransaction(packed: Uint8Array): number {
    const m = this.meta();
    if (m.last >= MAX_SEQ) throw new Error('the view-state delta log ran out of sequence numbers');
    const seq = m.last + 1;
    this.db.putSync(recordKey(seq), Buffer.from(packed.buffer, packed.byteOffset, packed.length));
    this.db.putSync(META_KEY, encodeDeltaMeta({ ...m, last: seq }));
    return seq;
  }

  /** Calls `fn` with each record after seq `after` up to `through`, in order (each value a copy, which `fn` may keep). */
  forEachRecord(after: number, through: number, fn: (value: Uint8Array, seq: number) => void): void {
    if (through <= after) return;
    let seq = after;
    for (const { value } of this.db.getRange({ start: recordKey(after + 1), end: recordKey(through + 1) })) {
      fn(value as Buffer, ++seq);
    }
    if (seq !== through) throw new Error(`the view-state delta log lacks records (${seq - after} of ${through - after})`);
  }

  /**
   * Removes the pending records up to seq `through` and marks them folded
   * (records appended since stay). Inside the write transaction that moved
   * the last of their groups into blocks.
   */
  markFoldedInTransaction(through: number): void {
    const m = this.meta();
    for (let seq = m.folded + 1; seq <= through; seq++) this.db.removeSync(recordKey(seq));
    this.db.putSync(META_KEY, encodeDeltaMeta({ ...m, folded: through, claimedAt: 0 }));
  }

  /**
   * Drops a view's groups (those `which` selects, or all) from the pending
   * records, rewriting the records that had any, and bumps the epoch so
   * readers take the records in again. Inside a clear's write transaction.
   */
  clearInTransaction(viewOid: number, which?: (groupKey: Uint8Array) => boolean): void {
    const m = this.meta();
    const rewritten: [number, Buffer][] = [];
    this.forEachRecord(m.folded, m.last, (record, seq) => {
      const kept: Uint8Array[] = [];
      let dropped = false;
      forEachPackedGroup(record, (_flags, keyStart, keyEnd, _stateStart, stateEnd) => {
        const drop = viewOidOf(record, keyStart) === viewOid && (!which || which(record.subarray(keyStart + GROUP_KEY_OFFSET, keyEnd)));
        if (drop) dropped = true;
        else kept.push(record.subarray(keyStart - PACKED_HEADER_BYTES, stateEnd));
      });
      // A record left empty stays, empty: the sequence has no gaps.
      if (dropped) rewritten.push([seq, Buffer.concat(kept)]);
    });
    // Put once the range is read (not while its cursor is open).
    for (const [seq, value] of rewritten) this.db.putSync(recordKey(seq), value);
    this.db.putSync(META_KEY, encodeDeltaMeta({ ...m, epoch: (m.epoch + 1) >>> 0 }));
  }
}
