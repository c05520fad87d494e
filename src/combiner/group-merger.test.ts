// The combiner's group cache: merged results are the same whether a group
// stayed cached or was forgotten and reloaded from storage, the cache stays
// within its budget, and each commit writes each changed group once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OID } from '../types/oids.js';
import { defaultIoContext } from '../types/io-context.js';
import { textOut } from '../types/type-io.js';
import { loadParser } from '../sql/parse-statements.js';
import { evalContext } from '../sql/select/test-support.js';
import { compileContinuousPlan } from '../planner/compile-plan.js';
import { aggregate } from '../planner/plan-test-support.js';
import type { GroupWrite, NearGroup } from '../storage/view-state-store.js';
import { forEachPackedGroup, PACKED_NEW } from '../storage/packed-groups.js';
import { GROUP_KEY_OFFSET, MAX_GROUP_KEY_BYTES, viewOidOf } from '../storage/storage-key.js';
import { mulberry32 } from '../testing/prng.js';
import { commitSlices, COMMIT_SLICES, GroupKeyTooLong, GroupMerger, MIN_SLICE_GROUPS, type MergerStore } from './group-merger.js';
import { keyId, keyIdBytes, type KeyId } from '../engine/key-string.js';
import { ByteWriter } from '../planner/bytes.js';
import { fixedFieldsOf, writeFixedFields } from '../planner/fixed-fields.js';
import { forEachPartialAt, PartialsWriter } from '../engine/partials-codec.js';
import type { CompiledContinuousPlan } from '../planner/continuous-plan.js';
import { aggregateView } from '../worker/partial-aggregator.js';

await loadParser();
const io = defaultIoContext();
const ctx = evalContext();
const VIEW = 16384;
const plan = compileContinuousPlan(
  {
    name: 'v',
    query: 'SELECT id, count(*), avg(val), min(val), max(val), sum(val) FROM s GROUP BY id',
    stream: { name: 's', columns: [{ name: 'id', typeOid: OID.int4, typmod: -1 }, { name: 'val', typeOid: OID.int4, typmod: -1 }] },
  },
  io,
);

const hex = (key: Uint8Array | KeyId): string => Buffer.from(key instanceof Uint8Array ? key : keyIdBytes(key)).toString('hex');

/** An in-memory stand-in for the LMDB store, recording each commit's writes. */
class MemoryStore implements MergerStore {
  readonly rows = new Map<string, Uint8Array>();
  readonly commits: GroupWrite[][] = [];
  gets = 0;
  get(viewOid: number, key: Uint8Array): Uint8Array | undefined {
    this.gets++;
    return this.rows.get(`${viewOid}:${hex(key)}`);
  }
  /** Every stored group of the view is in one block here: all are shown. */
  getNear(viewOid: number, key: Uint8Array, near?: NearGroup): Uint8Array | undefined {
    const found = this.get(viewOid, key);
    if (!near) return found;
    for (const [k, state] of this.rows) {
      const [oid, hexKey] = k.split(':');
      if (Number(oid) !== viewOid || hexKey === hex(key)) continue;
      const bytes = Buffer.concat([Buffer.from(hexKey!, 'hex'), state]);
      near(bytes, 0, bytes.length - state.length, bytes.length - state.length, bytes.length);
    }
    return found;
  }
  hasGroups(viewOid: number, which?: (groupKey: Uint8Array) => boolean): boolean {
    for (const k of this.rows.keys()) {
      const [oid, key] = k.split(':');
      if (Number(oid) === viewOid && (!which || which(Buffer.from(key!, 'hex')))) return true;
    }
    return false;
  }
  /** Leaf pages the store reports (commits are sliced against them); by default a page per 60 groups. */
  pages: number | null = null;
  leafPageCount(): number {
    return this.pages ?? Math.ceil(this.rows.size / 60);
  }
  /** Transactions to refuse: the n-th one (counting from 1) throws after its puts. */
  failAt = 0;
  transactions = 0;
  writePacked(packed: Uint8Array): void {
    this.transactions++;
    if (this.transactions === this.failAt) throw new Error('refused');
    const groups: GroupWrite[] = [];
    forEachPackedGroup(packed, (flags, keyStart, keyEnd, stateStart, stateEnd) => {
      // Copies, as LMDB keeps its own.
      const key = packed.slice(keyStart + GROUP_KEY_OFFSET, keyEnd);
      groups.push({ viewOid: viewOidOf(packed, keyStart), key, state: packed.slice(stateStart, stateEnd), isNew: (flags & PACKED_NEW) !== 0 });
    });
    this.commits.push(groups);
    for (const g of groups) this.rows.set(`${g.viewOid}:${hex(g.key)}`, g.state);
  }
}

/**
 * Merges the partials a worker makes of `rows` as combiner-main merges its
 * message: groups in bytes where they lie, then those sent as records.
 * Returns the groups that came as records.
 */
function mergeAsWorker(merger: GroupMerger, p: CompiledContinuousPlan, rows: unknown[][]): number {
  const width = rows[0]!.length + 1;
  const source = { rowCount: rows.length, row: (i: number, out: unknown[]) => rows[i]!.forEach((v, c) => (out[c] = v)) };
  const w = new PartialsWriter();
  aggregateView({ viewOid: VIEW, plan: p }, source, width, ctx, [w]);
  forEachPartialAt(w.finish(), (viewOid, bytes, keyStart, keyEnd, stateStart, stateEnd) =>
    merger.mergeAt(viewOid, bytes, keyStart, keyEnd, stateStart, stateEnd),
  );
  let records = 0;
  for (const r of w.recordPartials()) {
    merger.mergeRecords(r.viewOid, r.records, r.stride, (_at, e) => {
      throw e;
    });
    records += r.records.length / r.stride;
  }
  return records;
}

/** Random rows over `ids` groups, cut into batches whose partials are merged one batch per commit. */
function run(
  budget: number,
  ids: number,
  batches: number,
  seed: number,
  fixedTables = true,
  store = new MemoryStore(),
  viaMessages: boolean | 'records' = false,
): { store: MemoryStore; merger: GroupMerger } {
  const merger = new GroupMerger(store, () => plan, { cacheBudgetBytes: budget, useFixedTables: fixedTables });
  const rand = mulberry32(seed);
  for (let b = 0; b < batches; b++) {
    const rows: unknown[][] = [];
    for (let i = 0; i < 200; i++) rows.push([1 + Math.floor(rand() * ids), Math.floor(rand() * 1000) - 500]);
    const groups = [...aggregate(plan, rows, ctx).values()];
    if (viaMessages === 'records') {
      assert.equal(mergeAsWorker(merger, plan, rows), groups.length);
    } else if (viaMessages) {
      // As combiner-main merges a worker's message: each partial where it lies in the buffer.
      const pw = new PartialsWriter();
      for (const g of groups) {
        pw.beginGroup(VIEW, g.key).bytes(plan.serializeStates(g.states));
        pw.endGroup();
      }
      forEachPartialAt(pw.finish(), (viewOid, bytes, keyStart, keyEnd, stateStart, stateEnd) =>
        merger.mergeAt(viewOid, bytes, keyStart, keyEnd, stateStart, stateEnd),
      );
    } else {
      for (const g of groups) merger.merge(VIEW, g.key, plan.serializeStates(g.states));
    }
    merger.commit();
  }
  return { store, merger };
}

function finalized(store: MemoryStore): string[] {
  return finalizedWith(plan, store);
}

function finalizedWith(plan: CompiledContinuousPlan, store: MemoryStore): string[] {
  return [...store.rows.entries()]
    .map(([k, state]) => {
      const key = Buffer.from(k.split(':')[1]!, 'hex');
      const row = plan.finalize(plan.decodeKey(key), plan.deserializeStates(state), ctx);
      return row.map((v, i) => (v === null ? 'NULL' : textOut(plan.outputColumns[i]!.typeOid, v, io))).join('|');
    })
    .sort();
}

test('a tiny cache gives the same view state as an unbounded one', () => {
  const unbounded = run(Number.MAX_SAFE_INTEGER, 500, 40, 7);
  const tiny = run(2_000, 500, 40, 7);
  assert.deepEqual(finalized(tiny.store), finalized(unbounded.store));
  assert.equal(unbounded.store.rows.size, 500);
  // The view started empty and the unbounded cache never forgot a group: it never reads storage.
  // The tiny one forgets groups and keeps reloading them.
  assert.equal(unbounded.store.gets, 0);
  assert.ok(tiny.store.gets > 2_000, `gets: ${tiny.store.gets}`);
});

test('a cache made over stored groups reads each group once, and merges onto what is stored', () => {
  for (const fixedTables of [true, false]) {
    const once = run(Number.MAX_SAFE_INTEGER, 500, 40, 7, fixedTables);
    // The same rows again, by a new merger (a restart) over the stored view: every count doubles.
    const twice = run(Number.MAX_SAFE_INTEGER, 500, 40, 7, fixedTables, copyStore(once.store));
    // Records cache a loaded group's block-mates (here every stored group) with it; objects load one at a time.
    assert.equal(twice.store.gets, fixedTables ? 1 : 500);
    assert.equal(twice.store.rows.size, 500);
    const counts = (st: MemoryStore): number[] =>
      [...st.rows.keys()].sort().map((k) => Number(plan.finalize(plan.decodeKey(Buffer.from(k.split(':')[1]!, 'hex')), plan.deserializeStates(st.rows.get(k)!), ctx)[1]));
    assert.deepEqual(counts(twice.store), counts(once.store).map((c) => 2 * c));
  }
});

test('stored groups outside the partition leave the cache complete; a discarded group is read again', () => {
  const partial = (id: number, val: number): { key: Uint8Array; state: Uint8Array } => {
    const g = aggregate(plan, [[id, val]], ctx).values().next().value!;
    return { key: g.key, state: plan.serializeStates(g.states) };
  };
  const store = new MemoryStore();
  const other = partial(1, 10);
  store.rows.set(`${VIEW}:${hex(other.key)}`, other.state);
  const mine = (key: Uint8Array): boolean => hex(key) !== hex(other.key);
  const merger = new GroupMerger(store, () => plan, { owns: mine });
  const g2 = partial(2, 5);
  merger.merge(VIEW, g2.key, g2.state);
  merger.commit();
  assert.equal(store.gets, 0);
  // A failed merge drops the group from the cache: it may be stored, so the next partial reads it.
  merger.discard(VIEW, g2.key);
  merger.merge(VIEW, g2.key, partial(2, 7).state);
  assert.equal(store.gets, 1);
  // The stored group of another partition, shown beside it, is not cached.
  assert.equal(merger.cachedCount, 1);
  merger.commit();
  assert.deepEqual(finalized(store), ['1|1|10.0000000000000000|10|10|10', '2|2|6.0000000000000000|5|7|12']);
  // Owning every key, a new merger sees a stored group and reads what it does not cache.
  const all = new GroupMerger(store, () => plan);
  all.merge(VIEW, other.key, partial(1, 20).state);
  assert.equal(store.gets, 2);
});

/** A copy of a store's rows, with fresh counters. */
function copyStore(from: MemoryStore): MemoryStore {
  const to = new MemoryStore();
  for (const [k, v] of from.rows) to.rows.set(k, Uint8Array.from(v));
  return to;
}

test('the cache stays within its budget after each commit', () => {
  // Object form: about 300 bytes of overhead plus a few bytes of state per group, so at most ~65 groups fit.
  const objects = run(20_000, 5_000, 30, 11, false).merger;
  assert.ok(objects.cachedCount > 0 && objects.cachedCount <= 20_000 / 300, `cached: ${objects.cachedCount}`);
  assert.equal(objects.dirtyCount, 0);
  // Plain numbers: 64 bytes plus 8 per double (6 for cv1), so at most ~178 fit.
  const fixed = run(20_000, 5_000, 30, 11).merger;
  assert.ok(fixed.cachedCount > objects.cachedCount && fixed.cachedCount <= 20_000 / (64 + 8 * 6), `cached: ${fixed.cachedCount}`);
  assert.equal(fixed.dirtyCount, 0);
});

test('partials merged where they lie in a message, or from a worker\'s records, give the same commits as separate ones', () => {
  for (const fixedTables of [true, false]) {
    for (const [budget, seed] of [[Number.MAX_SAFE_INTEGER, 3], [3_000, 5]] as const) {
      const apart = run(budget, 300, 30, seed, fixedTables);
      const inPlace = run(budget, 300, 30, seed, fixedTables, new MemoryStore(), true);
      const asRecords = run(budget, 300, 30, seed, fixedTables, new MemoryStore(), 'records');
      const show = (st: MemoryStore) => st.commits.map((c) => c.map((w) => `${hex(w.key)}=${Buffer.from(w.state).toString('hex')}${w.isNew ? '+' : ''}`));
      assert.deepEqual(show(inPlace.store), show(apart.store));
      assert.deepEqual(show(asRecords.store), show(apart.store));
      assert.ok(inPlace.store.commits.flat().length > 1000);
    }
  }
});

test('groups held as plain numbers store the same bytes as groups in object form', () => {
  for (const [budget, seed] of [[Number.MAX_SAFE_INTEGER, 3], [3_000, 5]] as const) {
    const fixed = run(budget, 300, 30, seed);
    const objects = run(budget, 300, 30, seed, false);
    assert.deepEqual([...fixed.store.rows.keys()].sort(), [...objects.store.rows.keys()].sort());
    for (const [k, v] of objects.store.rows) assert.deepEqual([...fixed.store.rows.get(k)!], [...v], k);
    assert.deepEqual(
      fixed.store.commits.map((c) => c.map((w) => `${hex(w.key)}${w.isNew ? '+' : ''}`)),
      objects.store.commits.map((c) => c.map((w) => `${hex(w.key)}${w.isNew ? '+' : ''}`)),
    );
  }
});

test('a commit of many groups held as numbers (radix-sorted) is in storage order, as in object form', () => {
  const commitOf = (fixedTables: boolean): string[] => {
    const store = new MemoryStore();
    const merger = new GroupMerger(store, () => plan, { useFixedTables: fixedTables });
    const rand = mulberry32(17);
    // More changed groups than the radix sort's threshold, with negative and positive ids.
    for (let i = 0; i < 40_000; i++) {
      const id = Math.floor(rand() * 2_000_000) - 1_000_000;
      const g = [...aggregate(plan, [[id, i]], ctx).values()][0]!;
      merger.merge(VIEW, g.key, plan.serializeStates(g.states));
    }
    merger.commit();
    // Into an empty store, a commit this large is cut into slices (commitSlices), each in order after the last.
    assert.equal(store.commits.length, commitSlices(merger.dirtyCount + store.rows.size, 0));
    return store.commits.flat().map((w) => `${hex(w.key)}=${Buffer.from(w.state).toString('hex')}`);
  };
  const fixed = commitOf(true);
  assert.ok(fixed.length > 39_000);
  const keys = fixed.map((w) => Buffer.from(w.split('=')[0]!, 'hex'));
  for (let i = 1; i < keys.length; i++) assert.ok(Buffer.compare(keys[i - 1]!, keys[i]!) < 0, `order at ${i}`);
  assert.deepEqual(fixed, commitOf(false));
});

test('groups with long keys (string key ids) commit the same bytes in the same order in both forms', () => {
  // A text group key: 'k' plus up to 12 characters, so both numbered (up to 6 bytes) and string key ids.
  const textPlan = compileContinuousPlan(
    {
      name: 't',
      query: 'SELECT name, count(*), sum(val) FROM s GROUP BY name',
      stream: { name: 's', columns: [{ name: 'name', typeOid: OID.text, typmod: -1 }, { name: 'val', typeOid: OID.int4, typmod: -1 }] },
    },
    io,
  );
  assert.ok(textPlan.fixedKinds);
  const drive = (fixedTables: boolean): MemoryStore => {
    const store = new MemoryStore();
    const merger = new GroupMerger(store, () => textPlan, { cacheBudgetBytes: 2_000, useFixedTables: fixedTables });
    const rand = mulberry32(23);
    for (let b = 0; b < 20; b++) {
      const rows: unknown[][] = [];
      for (let i = 0; i < 60; i++) rows.push(['k' + 'x'.repeat(Math.floor(rand() * 12)) + String(Math.floor(rand() * 9)), Math.floor(rand() * 100)]);
      for (const g of aggregate(textPlan, rows, ctx).values()) merger.merge(VIEW, g.key, textPlan.serializeStates(g.states));
      merger.commit();
    }
    return store;
  };
  const fixed = drive(true);
  const objects = drive(false);
  assert.ok(objects.rows.size > 50, `groups: ${objects.rows.size}`);
  const written = (st: MemoryStore): string[][] => st.commits.map((c) => c.map((w) => `${hex(w.key)}${w.isNew ? '+' : ''}=${Buffer.from(w.state).toString('hex')}`));
  assert.deepEqual(written(fixed), written(objects));
  // Each commit is in storage-key order.
  for (const c of fixed.commits) {
    const keys = c.map((w) => Buffer.from(w.key instanceof Uint8Array ? w.key : keyIdBytes(w.key)));
    assert.deepEqual(keys.map((k) => k.toString('hex')), [...keys].sort(Buffer.compare).map((k) => k.toString('hex')));
  }
});

test('a sum that outgrows a number moves the view to object form with nothing lost', () => {
  // NULLs (sum and min over no values), negative values, int8 values past 2^50 in one batch and sums
  // that cross 2^50 only when partials are merged.
  const wide = compileContinuousPlan(
    {
      name: 'w',
      query: 'SELECT id, count(*), count(v), sum(v), avg(v), min(w), max(w), sum(w) FROM s GROUP BY id',
      stream: {
        name: 's',
        columns: [
          { name: 'id', typeOid: OID.int4, typmod: -1 },
          { name: 'v', typeOid: OID.int8, typmod: -1 },
          { name: 'w', typeOid: OID.int4, typmod: -1 },
        ],
      },
    },
    io,
  );
  assert.ok(wide.fixedKinds);
  let recordsMerged = 0;
  const drive = (fixedTables: boolean, big: bigint, asWorker = false): MemoryStore => {
    const store = new MemoryStore();
    const merger = new GroupMerger(store, () => wide, { cacheBudgetBytes: 4_000, useFixedTables: fixedTables });
    const rand = mulberry32(17);
    for (let b = 0; b < 30; b++) {
      const rows: unknown[][] = [];
      for (let i = 0; i < 50; i++) {
        const v = rand() < 0.2 ? null : b >= 20 ? big : BigInt(Math.floor(rand() * 2000) - 1000);
        rows.push([1 + Math.floor(rand() * 40), v, rand() < 0.2 ? null : Math.floor(rand() * 2000) - 1000]);
      }
      if (asWorker) recordsMerged += mergeAsWorker(merger, wide, rows);
      else for (const g of aggregate(wide, rows, ctx).values()) merger.merge(VIEW, g.key, wide.serializeStates(g.states));
      merger.commit();
    }
    return store;
  };
  for (const big of [2n ** 49n, 2n ** 62n]) {
    const fixed = drive(true, big);
    const objects = drive(false, big);
    // 2^49: the worker's batches go as records and their sums cross 2^50 in the combiner; 2^62: as bytes.
    recordsMerged = 0;
    const fromWorker = drive(true, big, true);
    const fromWorkerToObjects = drive(false, big, true);
    assert.ok(recordsMerged > 1000, `records merged: ${recordsMerged}`);
    assert.equal(objects.rows.size, 40);
    for (const [k, v] of objects.rows) {
      assert.deepEqual([...fixed.rows.get(k)!], [...v], k);
      assert.deepEqual([...fromWorker.rows.get(k)!], [...v], k);
      assert.deepEqual([...fromWorkerToObjects.rows.get(k)!], [...v], k);
    }
  }
});

test('records whose sums outgrow a number in the combiner move the view to object form with nothing lost', () => {
  // A worker's records hold sums below 2^50 (fixed-aggregator.ts); merged, these pass it.
  const big = compileContinuousPlan(
    {
      name: 'b',
      query: 'SELECT id, count(*), sum(v), avg(v) FROM s GROUP BY id',
      stream: { name: 's', columns: [{ name: 'id', typeOid: OID.int4, typmod: -1 }, { name: 'v', typeOid: OID.int8, typmod: -1 }] },
    },
    io,
  );
  const fields = fixedFieldsOf(big.fixedKinds!);
  assert.equal(fields.length, 4);
  const drive = (asRecords: boolean): MemoryStore => {
    const store = new MemoryStore();
    const merger = new GroupMerger(store, () => big, {});
    for (let b = 0; b < 4; b++) {
      // One row per group: count 1, sum v, avg (1, v).
      const records = new Float64Array(3 * 5);
      [1, 2, 3].forEach((id, i) => {
        const v = (id === 2 ? -1 : 1) * (2 ** 49 + b);
        records.set([keyId(big.encodeKey([id])) as number, 1, v, 1, v], 5 * i);
      });
      for (let at = 0; at < records.length; at += 5) {
        if (asRecords) merger.mergeRecord(VIEW, records, at, 5);
        else {
          const w = new ByteWriter(64);
          writeFixedFields(w, fields, records, at + 1);
          merger.merge(VIEW, keyIdBytes(records[at]!), w.finish());
        }
      }
      if (b % 2 === 1) merger.commit();
    }
    return store;
  };
  const fromRecords = drive(true);
  const fromBytes = drive(false);
  assert.equal(fromBytes.rows.size, 3);
  for (const [k, v] of fromBytes.rows) assert.deepEqual([...fromRecords.rows.get(k)!], [...v], k);
  // Records of the wrong width: each one fails on its own, and nothing is merged.
  const merger = new GroupMerger(new MemoryStore(), () => big, {});
  const failed: number[] = [];
  merger.mergeRecords(VIEW, new Float64Array(12), 4, (at, e) => failed.push(at) && assert.match(String(e), /invalid continuous view state encoding/));
  assert.deepEqual(failed, [0, 4, 8]);
  assert.equal(merger.dirtyCount, 0);
  assert.deepEqual(finalizedWith(big, fromRecords), [
    '1|4|2251799813685254|562949953421313.5000',
    '2|4|-2251799813685254|-562949953421313.5000',
    '3|4|2251799813685254|562949953421313.5000',
  ]);
});

test('each commit writes each changed group once, marking first writes as new', () => {
  const store = new MemoryStore();
  const merger = new GroupMerger(store, () => plan, { cacheBudgetBytes: 0 });
  const partial = (id: number, val: number): Uint8Array => plan.serializeStates(aggregate(plan, [[id, val]], ctx).values().next().value!.states);
  const key = (id: number): Uint8Array => aggregate(plan, [[id, 0]], ctx).values().next().value!.key;
  merger.merge(VIEW, key(1), partial(1, 5));
  merger.merge(VIEW, key(1), partial(1, 7));
  merger.merge(VIEW, key(2), partial(2, 1));
  assert.equal(merger.dirtyCount, 2);
  merger.commit();
  assert.deepEqual(store.commits[0]!.map((w) => w.isNew), [true, true]);
  // Budget 0: nothing stays cached, so the next partial reloads group 1 and updates it.
  assert.equal(merger.cachedCount, 0);
  merger.merge(VIEW, key(1), partial(1, -3));
  merger.commit();
  assert.deepEqual(store.commits[1]!.map((w) => w.isNew), [false]);
  assert.deepEqual(finalized(store), ['1|3|3.0000000000000000|-3|7|9', '2|1|1.00000000000000000000|1|1|1']);
});

test('a commit is cut into slices of about a sixteenth of the pages it changes', () => {
  // Small commits are one transaction.
  assert.equal(commitSlices(MIN_SLICE_GROUPS, 0), 1);
  assert.equal(commitSlices(1_000, 16_000), 1);
  // Fewer groups than pages: a page per group, so slices of pages/16 groups...
  assert.equal(commitSlices(10_000, 160_000), 1);
  assert.equal(commitSlices(40_000, 160_000), 4);
  // ...but none smaller than MIN_SLICE_GROUPS.
  assert.equal(commitSlices(20_000, 16_000), 4);
  // Groups on every page (a bulk load, or an empty tree): sixteen slices.
  assert.equal(commitSlices(540_000, 16_400), COMMIT_SLICES);
  assert.equal(commitSlices(100_000, 0), COMMIT_SLICES);
});

/** A merger over `store` with `n` groups changed, ids spread over a million (one row each, val = id). */
function changed(store: MemoryStore, n: number, seed: number, fixedTables = true): GroupMerger {
  const merger = new GroupMerger(store, () => plan, { useFixedTables: fixedTables });
  const rand = mulberry32(seed);
  for (let i = 0; i < n; i++) {
    const id = 1 + Math.floor(rand() * 1_000_000);
    const g = [...aggregate(plan, [[id, id]], ctx).values()][0]!;
    merger.merge(VIEW, g.key, plan.serializeStates(g.states));
  }
  return merger;
}

test('a large commit writes each changed group once, in key order across its slices', () => {
  for (const fixedTables of [true, false]) {
    const store = new MemoryStore();
    store.pages = 1_000;
    const merger = changed(store, 30_000, 5, fixedTables);
    const groups = merger.dirtyCount;
    merger.commit();
    assert.equal(store.commits.length, commitSlices(groups, 1_000));
    assert.ok(store.commits.length > 1);
    const keys = store.commits.flat().map((w) => Buffer.from(w.key instanceof Uint8Array ? w.key : keyIdBytes(w.key)));
    assert.equal(keys.length, groups);
    for (let i = 1; i < keys.length; i++) assert.ok(Buffer.compare(keys[i - 1]!, keys[i]!) < 0, `order at ${i}`);
    assert.ok(store.commits.flat().every((w) => w.isNew));
    // The slices are even: each holds ceil(groups / slices), the last the rest.
    const sizes = store.commits.map((c) => c.length);
    const each = Math.ceil(groups / sizes.length);
    assert.deepEqual(sizes.slice(0, -1), sizes.slice(0, -1).map(() => each));
    assert.ok(sizes.at(-1)! <= each, String(sizes));
    assert.equal(merger.dirtyCount, 0);
  }
});

test('a slice that fails leaves the slices before it stored and clean, and the rest for the next commit', () => {
  for (const fixedTables of [true, false]) {
    const store = new MemoryStore();
    store.pages = 1_000;
    const merger = changed(store, 30_000, 9, fixedTables);
    const groups = merger.dirtyCount;
    assert.ok(commitSlices(groups, 1_000) > 3);
    store.failAt = 3;
    assert.throws(() => merger.commit(), /refused/);
    const first = store.commits.flat().length;
    assert.equal(store.commits.length, 2);
    assert.equal(merger.dirtyCount, groups - first);
    // A partial onto a stored group and one onto a group of the failed slice, before the next commit.
    const storedKey = store.commits[0]![0]!.key;
    assert.equal(store.rows.size, first);
    const again = (key: Uint8Array | KeyId): void => {
      const bytes = key instanceof Uint8Array ? key : keyIdBytes(key);
      const id = plan.decodeKey(bytes)[0] as number;
      const g = [...aggregate(plan, [[id, 1]], ctx).values()][0]!;
      merger.merge(VIEW, g.key, plan.serializeStates(g.states));
    };
    again(storedKey);
    store.failAt = 0;
    merger.commit();
    const retried = store.commits.slice(2).flat();
    assert.equal(retried.length, groups - first + 1);
    // Only the re-merged stored group is an update; the failed slice's groups are still first writes.
    assert.deepEqual(retried.filter((w) => !w.isNew).map((w) => hex(w.key)), [hex(storedKey)]);
    assert.equal(store.rows.size, groups);
    assert.equal(merger.dirtyCount, 0);
    // The stored group holds both rows.
    const state = store.rows.get(`${VIEW}:${hex(storedKey)}`)!;
    assert.equal(plan.finalize(plan.decodeKey(Buffer.from(hex(storedKey), 'hex')), plan.deserializeStates(state), ctx)[1], 2n);
  }
});

test('partials merged while a commit is being stored go into the next one; nothing is forgotten before it is stored', () => {
  for (const fixedTables of [true, false]) {
    const store = new MemoryStore();
    // Budget 0: every clean group is forgotten once a commit is finished, but not before.
    const merger = new GroupMerger(store, () => plan, { cacheBudgetBytes: 0, useFixedTables: fixedTables });
    const totals = new Map<number, number[]>();
    const mergeRow = (id: number, val: number): void => {
      const g = [...aggregate(plan, [[id, val]], ctx).values()][0]!;
      merger.merge(VIEW, g.key, plan.serializeStates(g.states));
      totals.set(id, [...(totals.get(id) ?? []), val]);
    };
    for (let id = 1; id <= 100; id++) mergeRow(id, id);
    const prepared = merger.prepareCommit()!;
    assert.equal(merger.dirtyCount, 0);
    // While the slices are on their way to storage: two groups change again, one is new.
    mergeRow(7, 1000);
    mergeRow(7, -5);
    mergeRow(50, 3);
    mergeRow(101, 1);
    assert.equal(merger.dirtyCount, 3);
    assert.equal(merger.cachedCount, 101);
    assert.equal(store.gets, 0);
    for (const slice of prepared.slices) store.writePacked(slice.bytes);
    merger.finishCommit(prepared, prepared.slices.length);
    // The stored groups are forgotten now; the changed ones stay until they are stored.
    assert.equal(merger.cachedCount, 3);
    merger.commit();
    assert.deepEqual(
      store.commits
        .at(-1)!
        .map((w) => [plan.decodeKey(w.key as Uint8Array)[0], w.isNew])
        .sort((a, b) => (a[0] as number) - (b[0] as number)),
      [
        [7, false],
        [50, false],
        [101, true],
      ],
    );
    const expected = [...totals.entries()]
      .map(([id, vals]) => {
        const g = [...aggregate(plan, vals.map((v) => [id, v]), ctx).values()][0]!;
        const row = plan.finalize([id], g.states, ctx);
        return row.map((v, i) => (v === null ? 'NULL' : textOut(plan.outputColumns[i]!.typeOid, v, io))).join('|');
      })
      .sort();
    assert.deepEqual(finalized(store), expected);
  }
});

test('a commit none of whose slices was stored is written again in full, with what was merged meanwhile', () => {
  for (const fixedTables of [true, false]) {
    const store = new MemoryStore();
    const merger = changed(store, 200, 3, fixedTables);
    const groups = merger.dirtyCount;
    const prepared = merger.prepareCommit()!;
    const first = store.commits.length;
    const storedBefore = store.rows.size;
    // A row for a group of the lost commit, before it is known to be lost.
    const packedIds: number[] = [];
    forEachPackedGroup(prepared.slices[0]!.bytes, (_f, keyStart, keyEnd) => {
      packedIds.push(plan.decodeKey(prepared.slices[0]!.bytes.slice(keyStart + GROUP_KEY_OFFSET, keyEnd))[0] as number);
    });
    const id = packedIds[0]!;
    const g = [...aggregate(plan, [[id, 1]], ctx).values()][0]!;
    merger.merge(VIEW, g.key, plan.serializeStates(g.states));
    merger.finishCommit(prepared, 0);
    assert.equal(store.commits.length, first);
    assert.equal(store.rows.size, storedBefore);
    assert.equal(merger.dirtyCount, groups);
    merger.commit();
    const written = store.commits.slice(first).flat();
    assert.equal(written.length, groups);
    // Never stored: every group is still a first write.
    assert.ok(written.every((w) => w.isNew));
    // The group merged meanwhile holds both rows (val = id, then 1).
    const row = finalized(store).find((r) => r.startsWith(`${id}|`))!;
    assert.equal(row.split('|')[1], '2');
    assert.equal(row.split('|')[5], String(id + 1));
  }
});

test('a group that fails to serialize ends its commit there: the slices before it are the commit, it and the rest stay changed', () => {
  const failing = Object.create(plan) as typeof plan;
  let writes = 0;
  let failAtWrite = 0;
  failing.writeStates = (out, states) => {
    if (++writes === failAtWrite) throw new Error('cannot serialize');
    plan.writeStates(out, states);
  };
  const store = new MemoryStore();
  store.pages = 1_000;
  const merger = new GroupMerger(store, () => failing, { useFixedTables: false });
  const rand = mulberry32(11);
  for (let i = 0; i < 30_000; i++) {
    const id = 1 + Math.floor(rand() * 1_000_000);
    const g = [...aggregate(plan, [[id, id]], ctx).values()][0]!;
    merger.merge(VIEW, g.key, plan.serializeStates(g.states));
  }
  const groups = merger.dirtyCount;
  const perSlice = Math.ceil(groups / commitSlices(groups, 1_000));
  // The failure is in the third slice: two whole slices are the commit.
  failAtWrite = 2 * perSlice + 10;
  assert.throws(() => merger.commit(), /cannot serialize/);
  assert.equal(store.commits.length, 2);
  assert.equal(store.rows.size, 2 * perSlice);
  assert.equal(merger.dirtyCount, groups - 2 * perSlice);
  failAtWrite = 0;
  merger.commit();
  assert.equal(store.rows.size, groups);
  assert.ok(store.commits.slice(2).flat().every((w) => w.isNew));
  assert.equal(merger.dirtyCount, 0);
});

test('a group key too long to store is refused before anything changes; dropping an uncached group keeps the cache complete', () => {
  const textPlan = compileContinuousPlan(
    { name: 't', query: 'SELECT k, count(*) FROM s GROUP BY k', stream: { name: 's', columns: [{ name: 'k', typeOid: OID.text, typmod: -1 }] } },
    io,
  );
  const one = (k: string) => [...aggregate(textPlan, [[k]], ctx).values()][0]!;
  for (const fixedTables of [true, false]) {
    const store = new MemoryStore();
    const merger = new GroupMerger(store, () => textPlan, { useFixedTables: fixedTables });
    merger.merge(VIEW, one('a').key, textPlan.serializeStates(one('a').states));
    const long = one('x'.repeat(MAX_GROUP_KEY_BYTES));
    assert.ok(long.key.length > MAX_GROUP_KEY_BYTES);
    assert.throws(() => merger.merge(VIEW, long.key, textPlan.serializeStates(long.states)), (e: unknown) => e instanceof GroupKeyTooLong && e.code === '54000');
    assert.equal(merger.dirtyCount, 1);
    // Dropping a group the cache never held: the view's cache still holds every stored group.
    merger.discard(VIEW, long.key);
    merger.merge(VIEW, one('b').key, textPlan.serializeStates(one('b').states));
    assert.equal(store.gets, 0);
    merger.commit();
    assert.equal(store.rows.size, 2);
    // Dropping a cached (now stored) group: its next partial reads it from storage.
    merger.discard(VIEW, one('a').key);
    merger.merge(VIEW, one('a').key, textPlan.serializeStates(one('a').states));
    assert.equal(store.gets, 1);
  }
});
