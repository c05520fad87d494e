// A worker's batch for a view whose states are all fixed kinds (cv1's
// count, sum, avg, min, max over integers): each group is a record of
// doubles (its key id, then its fields; planner/fixed-fields.ts) in one
// reused typed array, stepped by the plan's generated fixedStep. The
// records then go to the combiners as they are (RecordPartials), or, when
// a key is too long for a numeric id, as bytes written from them. In
// object form each new group cost its key's bytes, a states array, an
// object per avg and a codec call per state; a bulk load over random keys
// makes nearly every row a new group of its batch.
import type { EvalContext } from '../sql/functions/catalog.js';
import { combinerFor, writeGroups, type PartialsWriter } from '../engine/partials-codec.js';
import { keyIdLength, writeKeyId, type KeyId } from '../engine/key-string.js';
import { SlotIndex } from '../engine/slot-index.js';
import { RecordBufferPool } from '../engine/record-buffers.js';
import { fixedFieldsOf, initFixedFields, writeFixedFields } from '../planner/fixed-fields.js';
import type { RowSource, ViewPlan } from './partial-aggregator.js';

/**
 * Aggregates the batch for one view with plan.fixedStep and writes its
 * groups into `writers` (as aggregateView). Returns null, having written
 * nothing, when a value needs the object form (an int8 argument or a sum
 * past 2^50): the caller then aggregates the batch in object form.
 */
export function aggregateFixed(
  view: ViewPlan,
  rows: RowSource,
  width: number,
  ctx: EvalContext,
  writers: readonly PartialsWriter[],
): { groups: number; bytes: number } | null {
  const { viewOid, plan } = view;
  const step = plan.fixedStep!;
  const table = fixedGroups;
  // A few bytes per batch, not per row.
  table.prepare(fixedFieldsOf(plan.fixedKinds!));
  const row: unknown[] = new Array(width);
  try {
    for (let i = 0; i < rows.rowCount; i++) {
      if ((i & 4095) === 4095) ctx.checkInterrupts();
      rows.row(i, row);
      const key = plan.groupKey(row, ctx);
      if (key === null) continue;
      const id = plan.encodeKeyId(key);
      let slot = table.index.get(id);
      if (slot < 0) slot = table.add(id);
      if (!step(table.records, slot * table.stride + 1, row, ctx)) return null;
    }
    // Numeric key ids only (keys up to 6 bytes): the records go as they are.
    if (!table.index.hasStrings) return table.sendRecords(viewOid, writers);
    const bytes = writeGroups(writers, table.count, (slot) => {
      const keyLength = table.keyBytes(slot);
      const writer = writers[combinerFor(table.key, writers.length, keyLength)]!;
      writeFixedFields(writer.beginGroup(viewOid, table.key, keyLength), table.fields, table.records, slot * table.stride + 1);
      return writer.endGroup();
    });
    return { groups: table.count, bytes };
  } finally {
    table.clear();
  }
}

const EMPTY_FIELDS = new Uint8Array(0);

/**
 * A batch's groups as records [key id (NaN for a string id), fields...], in
 * the order they first appeared, found through a SlotIndex. One table
 * serves every batch of the thread, emptied after each.
 */
class FixedBatchGroups {
  fields: Uint8Array = EMPTY_FIELDS;
  /** Doubles per record. */
  stride = 1;
  records = new Float64Array(1024);
  count = 0;
  readonly index = new SlotIndex({ idOf: (slot) => this.records[slot * this.stride]! });
  /** The key bytes keyBytes() wrote last. */
  key = new Uint8Array(64);

  prepare(fields: Uint8Array): void {
    this.fields = fields;
    this.stride = 1 + fields.length;
  }

  add(id: KeyId): number {
    const slot = this.count++;
    const at = slot * this.stride;
    if (at + this.stride > this.records.length) {
      const grown = new Float64Array(Math.max(this.records.length * 2, at + this.stride));
      grown.set(this.records);
      this.records = grown;
    }
    // The index reads a numeric id from the record: it goes there first.
    this.records[at] = typeof id === 'number' ? id : NaN;
    initFixedFields(this.fields, this.records, at + 1);
    this.index.set(id, slot);
    return slot;
  }

  /** Writes the slot's key bytes into `key`; returns their length. */
  keyBytes(slot: number): number {
    const id = this.index.idAt(slot);
    const n = keyIdLength(id);
    if (n > this.key.length) this.key = new Uint8Array(Math.max(n, 2 * this.key.length));
    writeKeyId(id, this.key, 0);
    return n;
  }

  /**
   * Adds the batch's records (every id numeric) to the writers, each to
   * the combiner that owns its key; returns their groups and bytes.
   */
  sendRecords(viewOid: number, writers: readonly PartialsWriter[]): { groups: number; bytes: number } {
    const n = this.count;
    // No row reached the view: nothing to send (a message would make a sync_commit writer wait for a commit).
    if (n === 0) return { groups: 0, bytes: 0 };
    const stride = this.stride;
    const records = this.records;
    if (writers.length === 1) {
      const out = recordBuffers.take(n * stride);
      out.set(records.subarray(0, n * stride));
      writers[0]!.addRecords(viewOid, stride, out);
      return { groups: n, bytes: 8 * stride * n };
    }
    // Each record's combiner, from its key bytes (as combinerFor hashes any key), then the records by combiner.
    const owner = new Int32Array(n);
    const counts = new Int32Array(writers.length);
    for (let slot = 0; slot < n; slot++) {
      const c = combinerFor(this.key, writers.length, this.keyBytes(slot));
      owner[slot] = c;
      counts[c]!++;
    }
    const parts = Array.from(counts, (k) => (k > 0 ? recordBuffers.take(k * stride) : null));
    const filled = new Int32Array(writers.length);
    for (let slot = 0; slot < n; slot++) {
      const c = owner[slot]!;
      const to = filled[c]!;
      parts[c]!.set(records.subarray(slot * stride, (slot + 1) * stride), to);
      filled[c] = to + stride;
    }
    parts.forEach((part, c) => {
      if (part) writers[c]!.addRecords(viewOid, stride, part);
    });
    return { groups: n, bytes: 8 * stride * n };
  }

  /** Forgets the batch's groups; an unusually large batch's records are let go. */
  clear(): void {
    this.index.clear();
    this.count = 0;
    if (this.records.length > MAX_KEPT_DOUBLES) this.records = new Float64Array(1024);
  }
}

/** Records' doubles kept between batches (a 10,000-row batch of cv1 takes 70,000). */
const MAX_KEPT_DOUBLES = 1 << 20;

const fixedGroups = new FixedBatchGroups();

/** The thread's buffers for records sent (combiners hand them back: worker-main.ts). */
export const recordBuffers = new RecordBufferPool();
