// The view-state delta log. A commit of a few thousand groups scattered over a
// large view made LMDB rewrite about one 4 KB page per group, every
// commit_interval: most of a commit writer's CPU. So a commit writer appends
// such a commit as one record (its packed groups, packed-groups.ts), and every
// few seconds the records are folded into the blocks (view-state-store.ts) in
// one transaction, which rewrites each touched page once for many commits.
// Readers lay the records not folded yet over the blocks (delta-overlay.ts).
//
// Records are keyed [1, seq (u32 big-endian)]: one sequence for every
// writer, taken inside the append's write transaction, so records lie in the
// order their transactions committed and a later record's states win. One
// meta entry, key [0], holds
//   u32 the last seq folded into the blocks
//   u32 the last seq appended
// and is read and written inside every transaction that changes the log, so
// threads never act on stale meta.
import type { Database, RootDatabase } from 'lmdb';

const DB_NAME = 'view_deltas';
const META_KEY = Buffer.from([0]);
const META_BYTES = 8;
const RECORD_MARK = 1;

export interface DeltaMeta {
  /** Records up to this seq are in the blocks (and removed from the log). */
  folded: number;
  /** The last record appended. */
  last: number;
}

export const NO_DELTAS: DeltaMeta = { folded: 0, last: 0 };

export function decodeDeltaMeta(bytes: Uint8Array | undefined): DeltaMeta {
  if (bytes === undefined) return NO_DELTAS;
  if (bytes.length < META_BYTES) throw new Error('the view-state delta log meta entry is truncated');
  const v = new DataView(bytes.buffer, bytes.byteOffset, META_BYTES);
  return { folded: v.getUint32(0), last: v.getUint32(4) };
}

function encodeDeltaMeta(m: DeltaMeta): Buffer {
  const out = Buffer.alloc(META_BYTES);
  out.writeUInt32BE(m.folded >>> 0, 0);
  out.writeUInt32BE(m.last >>> 0, 4);
  return out;
}

function recordKey(seq: number): Buffer {
  const out = Buffer.alloc(5);
  out[0] = RECORD_MARK;
  out.writeUInt32BE(seq >>> 0, 1);
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

  /** Appends packed groups as the next record. Inside a write transaction. */
  appendInTransaction(packed: Uint8Array): number {
    const m = this.meta();
    const seq = m.last + 1;
    if (seq > 0xffffffff) throw new Error('the view-state delta log ran out of sequence numbers');
    this.db.putSync(recordKey(seq), Buffer.from(packed.buffer, packed.byteOffset, packed.length));
    this.db.putSync(META_KEY, encodeDeltaMeta({ folded: m.folded, last: seq }));
    return seq;
  }

  /** Calls `fn` with each record after seq `after` up to `through`, in order (each value a copy, which `fn` may keep). */
  forEachRecord(after: number, through: number, fn: (value: Uint8Array) => void): void {
    if (through <= after) return;
    let seq = after;
    for (const { value } of this.db.getRange({ start: recordKey(after + 1), end: recordKey(through + 1) })) {
      seq++;
      fn(value as Buffer);
    }
    if (seq !== through) throw new Error(`the view-state delta log lacks records (${seq - after} of ${through - after})`);
  }

  /** Removes the pending records and marks them folded. Inside the write transaction that moved their groups into blocks. */
  markFoldedInTransaction(m: DeltaMeta): void {
    for (let seq = m.folded + 1; seq <= m.last; seq++) this.db.removeSync(recordKey(seq));
    this.db.putSync(META_KEY, encodeDeltaMeta({ folded: m.last, last: m.last }));
  }
}
