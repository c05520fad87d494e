// A combiner's cache of one view's groups when every state is a plain number
// (plan.fixedKinds: count, and sum/avg/min/max over integers): each group is
// one record of doubles in a typed array (its key id, its flags, then its
// fields, NaN for NULL) instead of an array of state objects, and a
// partial is merged straight from its bytes (or from the worker's record,
// RecordPartials), with no object made per partial. One record per group,
// rather than an array per field, because a bulk load's merges are mostly
// cache misses: finding a group and merging into it now touches its index
// bucket and its record, where separate arrays of ids, values, NULL flags
// and slot flags cost five misses. The bytes it reads and writes are the
// generic state encoding (planner/state-codecs.ts), so storage and reads
// cannot tell the difference.
//
// An integer sum past 2^50 in magnitude needs a bigint (IntSum), and so does
// a stored or partial state that holds one: merge() then returns false,
// with no group's states changed, and the caller moves the view to the
// generic cache (groups() gives each group's states for that).
import { keyIdOfOrder, keyIdOrder, keyIdsInOrder, type KeyId } from '../engine/key-string.js';
import type { ByteWriter } from '../planner/bytes.js';
import { AVG_N, AVG_SUM, COUNT, MIN, NULLABLE_SUM, SMALL_SUM, fixedFieldsOf, writeFixedFields } from '../planner/fixed-fields.js';
import type { FixedKind } from '../planner/state-codecs.js';
import { corrupt, smallIntOf } from '../planner/value-codec.js';
import { SlotIndex, type NumericIds } from '../engine/slot-index.js';
import { radixSortWithPayload } from './radix-sort.js';
import { Int32List } from '../engine/int32-list.js';
import type { PackedGroupsWriter } from '../storage/packed-groups.js';
import { tallyGroup, type SliceTally } from './slice-tally.js';


/** Records whose buckets and records prefetch() reads at once. */
export const PREFETCH_RECORDS = 16;

/** Changed groups from which a commit radix-sorts them with their slots (see dirtyInKeyOrder). */
const RADIX_SORT_MIN = 32_768;

/** Slot flags. */
const DIRTY = 1;
const NEW = 2;
/** The slot holds a group. */
const USED = 4;

/**
 * Estimated bytes per cached group beyond its fields (a double each): its
 * id and flags (8 each), its share of the index (2 to 4 buckets of 8
 * bytes), and the spare room of arrays that grow by doubling (a third of
 * their size on average).
 */
const SLOT_OVERHEAD_BYTES = 64;

/** A record: the group's key id (NaN when it is a string), its flags, then its fields. */
const ID = 0;
const FLAGS = 1;
const FIELDS = 2;


/** Changed groups in storage-key order: the j-th one's key id and slot. */
export interface DirtyOrder {
  readonly length: number;
  id(j: number): KeyId;
  slot(j: number): number;
  /** The groups' keyIdOrders, in order, when every key is numeric (its bytes are written from its order), else null. */
  readonly orders: Float64Array | null;
  /** The groups' slots, in order, when at hand, else null (slot() finds each through the index, and reading ahead gains nothing). */
  readonly slots: Int32Array | null;
}

export class FixedTable {
  /** Fields (doubles of state) per group. */
  readonly width: number;
  /** Doubles per record: ID, FLAGS, then the fields. */
  private readonly stride: number;
  private readonly fields: Uint8Array;
  /** The records, one per slot. */
  private records: Float64Array;
  /** Slot of each cached group; the numeric ids are read from the records. */
  private readonly index: SlotIndex;
  /** Slots below this have been used (free ones are in freeSlots). */
  private slotsUsed = 0;
  /** Where the next eviction starts looking: slots are forgotten in slot order, roughly oldest first. */
  private evictFrom = 0;
  private capacity: number;
  private readonly freeSlots = new Int32List();
  /** Slots changed since the last commit. */
  private readonly dirty = new Int32List();
  // A decoded partial; a decoded stored state, then the merged result (so a failed merge changes nothing); NaN for NULL.
  private readonly inValues: Float64Array;
  private readonly outValues: Float64Array;

  constructor(kinds: readonly FixedKind[]) {
    this.fields = fixedFieldsOf(kinds);
    this.width = this.fields.length;
    this.stride = FIELDS + this.width;
    this.capacity = 1024;
    this.records = new Float64Array(this.capacity * this.stride);
    const ids: NumericIds = { idOf: (slot) => this.records[slot * this.stride + ID]! };
    this.index = new SlotIndex(ids);
    this.inValues = new Float64Array(this.width);
    this.outValues = new Float64Array(this.width);
  }

  /** Estimated bytes of one cached group. */
  get slotBytes(): number {
    return SLOT_OVERHEAD_BYTES + 8 * this.width;
  }

  get size(): number {
    return this.index.size;
  }

  get dirtyCount(): number {
    return this.dirty.length;
  }

  /**
   * Merges a partial (serialized states: bytes [start, end) of `partial`)
   * into the group `id`; `load` gives
   * the stored states of a group not cached. False when a sum needs a bigint:
   * no group's states changed then (a group just loaded from storage may be
   * cached, clean), and the caller moves the view to object form.
   */
  merge(id: KeyId, partial: Uint8Array, start: number, end: number, load: () => Uint8Array | undefined): boolean {
    if (!this.decode(partial, start, end, this.inValues)) return false;
    return this.mergeIn(id, load);
  }

  /** merge() of a partial that is a record's fields: doubles [at, at + width) of `records`. */
  mergeRecord(id: KeyId, records: Float64Array, at: number, load: () => Uint8Array | undefined): boolean {
    const inV = this.inValues;
    for (let f = 0; f < this.width; f++) inV[f] = records[at + f]!;
    return this.mergeIn(id, load);
  }

  /**
   * Reads, for the records [from, to) of `records` (`stride` doubles each,
   * a numeric key id first), the index bucket and record each merge will
   * read. A merge's misses were most of its time, each waited out before
   * the next merge began; read here in one short loop they overlap, and
   * the merges then find them in the cache.
   */
  prefetch(records: Float64Array, from: number, to: number, stride: number): void {
    const ahead = this.ahead;
    let n = 0;
    for (let at = from; at < to && n < ahead.length; at += stride) ahead[n++] = this.index.homeSlot(records[at]!);
    let touched = 0;
    for (let k = 0; k < n; k++) {
      const slot = ahead[k]!;
      if (slot >= 0) touched += this.records[slot * this.stride + ID]!;
    }
    // Kept, so the reads are not optimized away.
    this.touched = touched;
  }

  /** Reads the records of the slots [from, to) of `slots` (see prefetch()), for a commit that packs them next. */
  private prefetchSlots(slots: Int32Array, from: number, to: number): void {
    let touched = 0;
    for (let j = from; j < to; j++) touched += this.records[slots[j]! * this.stride + FLAGS]!;
    this.touched = touched;
  }

  /** Candidate slots of the records prefetch() reads. */
  private readonly ahead = new Int32Array(PREFETCH_RECORDS);
  private touched = 0;

  /** Merges inValues into the group `id` (see merge()). */
  private mergeIn(id: KeyId, load: () => Uint8Array | undefined): boolean {
    let slot = this.index.get(id);
    if (slot < 0) {
      const stored = load();
      if (stored === undefined) {
        // A new group: the partial is its state.
        slot = this.allocate(id);
        this.setFields(slot, this.inValues);
        this.records[slot * this.stride + FLAGS] = USED | NEW;
        this.markDirty(slot);
        return true;
      }
      if (!this.decode(stored, 0, stored.length, this.outValues)) return false;
      slot = this.allocate(id);
      this.setFields(slot, this.outValues);
      this.records[slot * this.stride + FLAGS] = USED;
    }
    if (!this.combine(slot)) return false;
    this.markDirty(slot);
    return true;
  }

  /**
   * Caches a stored group, clean, unless it is cached already or its states
   * hold what records cannot (it is then read again when a partial needs it).
   */
  cacheStored(id: KeyId, stored: Uint8Array, start: number, end: number): void {
    if (this.index.get(id) >= 0 || !this.decode(stored, start, end, this.outValues)) return;
    const slot = this.allocate(id);
    this.setFields(slot, this.outValues);
    this.records[slot * this.stride + FLAGS] = USED;
  }

  /** Forgets one group (after a failed merge); the next partial reloads it. False when it was not cached. */
  discard(id: KeyId): boolean {
    const slot = this.index.get(id);
    if (slot < 0) return false;
    if (this.flagsOf(slot) & DIRTY) this.dirty.retain((s) => s !== slot);
    this.release(id, slot);
    return true;
  }

  /**
   * The changed groups in storage-key order, for a commit (made before its
   * write transaction, so LMDB's lock is not held while sorting). When
   * every key is numeric (up to 6 bytes) their orders (keyIdOrder) are
   * distinct numbers, sorted natively (or, for many, radix-sorted with
   * their slots); each sorted order gives back its key.
   */
  dirtyInKeyOrder(): DirtyOrder {
    const dirty = this.dirty;
    const n = dirty.length;
    if (this.index.hasStrings) {
      const keys: KeyId[] = new Array(n);
      for (let j = 0; j < n; j++) keys[j] = this.index.idAt(dirty.at(j));
      const order = keyIdsInOrder(keys);
      const slots = Int32Array.from(order, (k) => dirty.at(k));
      return { length: n, id: (j) => keys[order[j]!]!, slot: (j) => slots[j]!, orders: null, slots };
    }
    const orders = new Float64Array(n);
    if (n < RADIX_SORT_MIN) {
      // A native sort, then the index finds each slot again: cheaper than
      // radix passes over 2^16 counters for the commits of a moderate load.
      for (let j = 0; j < n; j++) orders[j] = keyIdOrder(this.index.idAt(dirty.at(j)));
      orders.sort();
      return { length: n, id: (j) => keyIdOfOrder(orders[j]!), slot: (j) => this.index.get(keyIdOfOrder(orders[j]!)), orders, slots: null };
    }
    // A bulk load's commit: finding a million slots again through the index
    // is mostly cache misses, so the slots travel with their orders.
    const slots = dirty.copy();
    for (let j = 0; j < n; j++) orders[j] = keyIdOrder(this.index.idAt(slots[j]!));
    radixSortWithPayload(orders, slots, n);
    return { length: n, id: (j) => keyIdOfOrder(orders[j]!), slot: (j) => slots[j]!, orders, slots };
  }

  /**
   * Packs the changed groups [from, to) of `order` (dirtyInKeyOrder) into
   * `packed` as groups of view `viewOid`, marks them clean and counts them
   * in `tally`. One loop, with the key bytes written from each order and
   * no call per group but the fields' encoding: a bulk load's commit packs
   * a million groups, on the combiner's critical path (in process, a
   * commit of 865 k cv1 groups: 196-231 ms, against 238-290 ms through a
   * callback and the writer's calls per group).
   */
  packInKeyOrder(order: DirtyOrder, from: number, to: number, packed: PackedGroupsWriter, viewOid: number, tally: SliceTally): void {
    const { orders, slots } = order;
    const records = this.records;
    const stride = this.stride;
    const fields = this.fields;
    for (let k = from; k < to; k++) {
      // Key order visits records in no memory order: read the next ones' first, so their misses overlap.
      if (slots !== null && (k - from) % PREFETCH_RECORDS === 0) this.prefetchSlots(slots, k, Math.min(k + PREFETCH_RECORDS, to));
      const slot = slots !== null ? slots[k]! : order.slot(k);
      const at = slot * stride;
      const isNew = (records[at + FLAGS]! & NEW) !== 0;
      if (orders !== null) packed.beginGroupOfOrder(viewOid, orders[k]!, isNew);
      else packed.beginGroup(viewOid, order.id(k), isNew);
      writeFixedFields(packed.out, fields, records, at + FIELDS);
      const size = packed.endGroup();
      records[at + FLAGS] = USED;
      tallyGroup(tally, isNew, size);
    }
  }

  /** Appends a group's serialized states to `w`. */
  write(w: ByteWriter, slot: number): void {
    writeFixedFields(w, this.fields, this.records, slot * this.stride + FIELDS);
  }

  /**
   * A commit's write of this group failed: it is changed again (`wasNew`:
   * and still not in storage). `listed`: its slot is still in the list of
   * changed ones (before committed()).
   */
  changedAgain(id: KeyId, wasNew: boolean, listed: boolean): void {
    const slot = this.index.get(id);
    if (slot < 0) return;
    const at = slot * this.stride + FLAGS;
    if (wasNew) this.records[at] = this.flagsOf(slot) | NEW;
    if (listed) this.records[at] = this.flagsOf(slot) | DIRTY;
    else this.markDirty(slot);
  }

  /** Forgets every change not stored (the view is being dropped): no group is changed any more. */
  dropChanges(): void {
    for (let j = 0; j < this.dirty.length; j++) this.records[this.dirty.at(j) * this.stride + FLAGS] = USED;
    this.dirty.clear();
  }

  /** After a commit: the groups it stored (marked clean as they were packed) leave the list of changed ones. */
  committed(): void {
    this.dirty.retain((s) => (this.flagsOf(s) & DIRTY) !== 0);
  }

  /**
   * Forgets clean groups until `bytes` are freed, in slot order from where
   * the last eviction stopped (slots fill in order, so roughly oldest
   * first); returns the bytes freed.
   */
  evict(bytes: number): number {
    let freed = 0;
    const n = this.slotsUsed;
    let slot = this.evictFrom;
    for (let seen = 0; seen < n && freed < bytes; seen++, slot++) {
      if (slot >= n) slot = 0;
      const f = this.flagsOf(slot);
      if (!(f & USED) || f & DIRTY) continue;
      this.release(this.index.idAt(slot), slot);
      freed += this.slotBytes;
    }
    this.evictFrom = slot;
    return freed;
  }

  /** Every cached group with its serialized states and flags (to move to the generic cache). */
  *groups(w: ByteWriter): Iterable<{ id: KeyId; states: Uint8Array; dirty: boolean; isNew: boolean }> {
    for (let slot = 0; slot < this.slotsUsed; slot++) {
      if (!(this.flagsOf(slot) & USED)) continue;
      const id = this.index.idAt(slot);
      w.reset();
      this.write(w, slot);
      const flags = this.flagsOf(slot);
      yield { id, states: w.buf.slice(0, w.pos), dirty: (flags & DIRTY) !== 0, isNew: (flags & NEW) !== 0 };
    }
  }

  // --- internals ---------------------------------------------------------------------

  /** The slot's flags (DIRTY, NEW, USED). */
  private flagsOf(slot: number): number {
    return this.records[slot * this.stride + FLAGS]!;
  }

  /** Copies decoded fields into the slot's record (a loop: TypedArray#set costs more for a few elements). */
  private setFields(slot: number, values: Float64Array): void {
    const o = slot * this.stride + FIELDS;
    const records = this.records;
    for (let f = 0; f < this.width; f++) records[o + f] = values[f]!;
  }

  private markDirty(slot: number): void {
    const at = slot * this.stride + FLAGS;
    const f = this.records[at]!;
    if (f & DIRTY) return;
    this.records[at] = f | DIRTY;
    this.dirty.push(slot);
  }

  private allocate(id: KeyId): number {
    let slot = this.freeSlots.pop();
    if (slot === undefined) {
      slot = this.slotsUsed++;
      if (slot >= this.capacity) this.grow();
    }
    // The index reads a numeric id from the record: it goes there first.
    this.records[slot * this.stride + ID] = typeof id === 'number' ? id : NaN;
    this.index.set(id, slot);
    return slot;
  }

  private release(id: KeyId, slot: number): void {
    this.index.delete(id, slot);
    this.records[slot * this.stride + FLAGS] = 0;
    this.freeSlots.push(slot);
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    const records = new Float64Array(capacity * this.stride);
    records.set(this.records);
    this.records = records;
    this.capacity = capacity;
  }

  /** The merge of inValues into the slot, as the aggregates' merge() would do it; false past 2^50. */
  private combine(slot: number): boolean {
    const o = slot * this.stride + FIELDS;
    const fields = this.fields;
    const records = this.records;
    const inV = this.inValues;
    // The result goes to `out` first, NaN for NULL, so a refusal changes nothing.
    const out = this.outValues;
    for (let f = 0; f < this.width; f++) {
      const a = records[o + f]!;
      const b = inV[f]!;
      const kind = fields[f];
      if (kind === COUNT || kind === AVG_N) {
        out[f] = a + b;
      } else if (kind === AVG_SUM) {
        const r = a + b;
        if (!(r < SMALL_SUM && r > -SMALL_SUM)) return false;
        out[f] = r;
      } else if (b !== b) {
        // A NULL partial changes nothing.
        out[f] = a;
      } else if (a !== a) {
        // NULL so far.
        out[f] = b;
      } else {
        let r: number;
        if (kind === NULLABLE_SUM) {
          r = a + b;
          if (!(r < SMALL_SUM && r > -SMALL_SUM)) return false;
        } else if (kind === MIN) r = b < a ? b : a;
        else r = b > a ? b : a;
        out[f] = r;
      }
    }
    for (let f = 0; f < this.width; f++) records[o + f] = out[f]!;
    return true;
  }

  /**
   * Reads serialized states (bytes [start, end)) into `values`, NaN for
   * NULL; false for a value only the object form holds. Reads the bytes in
   * place, with no reader object: a bulk load decodes a partial per row.
   */
  private decode(bytes: Uint8Array, start: number, end: number, values: Float64Array): boolean {
    const fields = this.fields;
    let p = start;
    for (let f = 0; f < this.width; f++) {
      const kind = fields[f];
      if (kind !== COUNT && kind !== AVG_N && kind !== AVG_SUM) {
        // A NULL flag first.
        if (p >= end) throw corrupt();
        if (bytes[p++] === 0) {
          values[f] = NaN;
          continue;
        }
      }
      // LEB128: the first four bytes (28 bits) by shifts, the rest by exact multiplications (values stay below 2^53).
      let z = 0;
      let shift = 0;
      let b: number;
      do {
        if (p >= end) throw corrupt();
        b = bytes[p++]!;
        z += shift < 28 ? (b & 0x7f) << shift : (b & 0x7f) * 2 ** shift;
        shift += 7;
      } while (b >= 0x80);
      if (kind === COUNT || kind === AVG_N) {
        values[f] = z;
        continue;
      }
      // An integer below 2^50 in magnitude (value-codec.ts), or a marker.
      if (z % 2 !== 0) {
        // 3: a bigint sum; 1: a non-integer number. Both are the generic cache's.
        if (z === 1 || z === 3) return false;
        throw corrupt();
      }
      values[f] = smallIntOf(z);
    }
    if (p !== end) throw corrupt();
    return true;
  }
}

