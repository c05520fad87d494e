import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEnvironment } from './lmdb-env.js';
import { withTemporaryEnv } from './test-support.js';
import { GROUP_KEY_OFFSET, ViewStateStore, type StoredGroup } from './view-state-store.js';
import { PackedGroupsWriter } from './packed-groups.js';
import { MAX_FENCE_BYTES } from './storage-key.js';
import { decodeDeltaMeta } from './delta-log.js';

/** A scanned group's key and states, copied (a scan's bytes are valid only until it moves on). */
const groupKey = (g: StoredGroup): Uint8Array => g.bytes.slice(g.keyStart, g.keyEnd);
const states = (g: StoredGroup): Uint8Array => g.bytes.slice(g.stateStart, g.stateEnd);

function tempEnv() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'viewstate-'));
  return { dir, env: openEnvironment(dir) };
}

test('groups of different views stay apart; empty keys are allowed; state survives reopening', async () => {
  const { dir, env } = tempEnv();
  const store = new ViewStateStore(env);
  store.write([
    { viewOid: 16384, key: Uint8Array.of(), state: Uint8Array.of(1) },
    { viewOid: 16384, key: Uint8Array.of(2), state: Uint8Array.of(2, 2) },
    { viewOid: 16385, key: Uint8Array.of(2), state: Uint8Array.of(3) },
  ]);
  // A scan's key and value are views valid until it moves on: read them as it goes.
  assert.deepEqual(Array.from(store.scan(16384), (g) => [[...groupKey(g)], [...states(g)]]), [[[], [1]], [[2], [2, 2]]]);
  assert.deepEqual([...store.get(16385, Uint8Array.of(2))!], [3]);
  assert.equal(store.get(16385, Uint8Array.of(9)), undefined);
  await env.close();

  const env2 = openEnvironment(dir);
  const again = new ViewStateStore(env2);
  assert.deepEqual([...again.get(16384, Uint8Array.of())!], [1]);
  again.clear(16384);
  assert.deepEqual([...again.scan(16384)], []);
  assert.equal([...again.scan(16385)].length, 1);
  await env2.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a scan shows each group as stored, small and large values alike', () =>
  withTemporaryEnv('viewstate-', async (env) => {
    const store = new ViewStateStore(env);
    const sizes = [1, 7, 100, 1000, 5000, 70_000, 3, 20_000, 2];
    const value = (i: number): Uint8Array => Uint8Array.from({ length: sizes[i % sizes.length]! }, (_, j) => (i * 31 + j) & 0xff);
    const groups = Array.from({ length: 300 }, (_, i) => ({ viewOid: 16384, key: Uint8Array.of(i >> 8, i & 0xff), state: value(i) }));
    store.write(groups);
    // Copies taken during the scan stay intact after it (slice() copies, as on any Uint8Array).
    const copies = Array.from(store.scan(16384), (g) => ({ key: groupKey(g), states: states(g) }));
    assert.equal(copies.length, 300);
    copies.forEach((c, i) => {
      assert.deepEqual([...c.key], [i >> 8, i & 0xff]);
      assert.equal(Buffer.compare(Buffer.from(c.states), Buffer.from(value(i))), 0, `group ${i}`);
    });
  }));

test('a scan left early releases its cursor; scans and writes go on', () =>
  withTemporaryEnv('viewstate-', async (env) => {
    const store = new ViewStateStore(env);
    store.write(Array.from({ length: 50 }, (_, i) => ({ viewOid: 16384, key: Uint8Array.of(i), state: Uint8Array.of(i, i) })));
    for (let round = 0; round < 3; round++) {
      let seen = 0;
      for (const g of store.scan(16384)) {
        assert.deepEqual([...states(g)], [seen, seen]);
        if (++seen === 5) break;
      }
      assert.equal(seen, 5);
    }
    store.write([{ viewOid: 16384, key: Uint8Array.of(99), state: Uint8Array.of(7) }]);
    store.readLatest();
    const all = Array.from(store.scan(16384), (g) => [...groupKey(g)][0]);
    assert.equal(all.length, 51);
    assert.equal(all[50], 99);
  }));

test('a scan refuses to run inside a write transaction', () =>
  withTemporaryEnv('viewstate-', async (env) => {
    const store = new ViewStateStore(env);
    store.write([{ viewOid: 16384, key: Uint8Array.of(1), state: Uint8Array.of(1) }]);
    assert.throws(() => env.transactionSync(() => [...store.scan(16384)]), /write transaction/);
    assert.equal([...store.scan(16384)].length, 1);
  }));

/** A deterministic pseudo-random sequence. */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** The view's groups as [key hex, states hex], in scan order. */
const scanned = (store: ViewStateStore, viewOid: number): [string, string][] => Array.from(store.scan(viewOid), (g) => [hex(groupKey(g)), hex(states(g))]);

test('groups spread over many blocks stay in key order through random commits, overwrites and clears', () =>
  withTemporaryEnv('viewstate-', async (env) => {
    const store = new ViewStateStore(env);
    const rand = lcg(7);
    const models = new Map<number, Map<string, string>>([
      [16384, new Map()],
      [16385, new Map()],
    ]);
    for (let round = 0; round < 12; round++) {
      const writes = [];
      for (let i = 0; i < 400; i++) {
        const viewOid = rand() < 0.7 ? 16384 : 16385;
        // Keys of 0 to 3 bytes (empty and prefix keys included), states of 0 to 60 bytes, now and then 3,000.
        const key = Uint8Array.from({ length: Math.floor(rand() * 4) }, () => Math.floor(rand() * 40));
        const size = rand() < 0.01 ? 3000 : Math.floor(rand() * 61);
        const state = Uint8Array.from({ length: size }, () => Math.floor(rand() * 256));
        writes.push({ viewOid, key, state });
      }
      // write() takes groups in any order; a key written twice keeps its last states.
      store.write(writes);
      for (const w of writes) models.get(w.viewOid)!.set(hex(w.key), hex(w.state));
      if (round % 4 === 3) {
        const drop = (k: Uint8Array): boolean => k.length > 0 && k[0]! % 3 === round % 3;
        store.clear(16384, drop);
        for (const k of [...models.get(16384)!.keys()]) if (drop(Buffer.from(k, 'hex'))) models.get(16384)!.delete(k);
      }
      store.readLatest();
      for (const [viewOid, m] of models) {
        const expected = [...m].sort(([a], [b]) => Buffer.compare(Buffer.from(a, 'hex'), Buffer.from(b, 'hex')));
        assert.deepEqual(scanned(store, viewOid), expected, `view ${viewOid}, round ${round}`);
        for (const [k, v] of m) assert.equal(hex(store.get(viewOid, Buffer.from(k, 'hex'))!), v);
      }
    }
    // Absent keys: below, between and above the stored ones, and in a view with no groups.
    for (const k of [[39, 39, 39, 39], [255], [0, 0, 0, 0, 0]]) {
      if (!models.get(16384)!.has(hex(Uint8Array.from(k)))) assert.equal(store.get(16384, Uint8Array.from(k)), undefined);
    }
    assert.equal(store.get(16386, Uint8Array.of()), undefined);
    assert.deepEqual(scanned(store, 16386), []);

    // The groups took many blocks, none past the limit unless it holds one large group.
    const db = env.openDB<Uint8Array, Buffer>({ name: 'view_blocks', keyEncoding: 'binary', encoding: 'binary' });
    const sizes = Array.from(db.getRange({}), ({ value }) => value.length);
    assert.ok(sizes.length > 10, `${sizes.length} blocks`);
    assert.ok(sizes.length < models.get(16384)!.size / 4, 'several groups share a block');
  }));

test('a scan keeps its place while other scans and point reads run between its steps', () =>
  withTemporaryEnv('viewstate-', async (env) => {
    const store = new ViewStateStore(env);
    const groups = Array.from({ length: 2000 }, (_, i) => ({ viewOid: 16384, key: Uint8Array.of(i >> 8, i & 0xff), state: Uint8Array.of(i & 0xff, 1, 2, 3) }));
    store.write(groups);
    let n = 0;
    for (const g of store.scan(16384)) {
      const k = groupKey(g);
      // Another scan run to its end, and a point read, in the middle of this one.
      if (n % 250 === 0) assert.equal([...store.scan(16384)].length, 2000);
      assert.deepEqual([...store.get(16384, Uint8Array.of(7, 7))!], [(7 * 256 + 7) & 0xff, 1, 2, 3]);
      assert.deepEqual([...k], [n >> 8, n & 0xff]);
      assert.deepEqual([...states(g)], [n & 0xff, 1, 2, 3]);
      n++;
    }
    assert.equal(n, 2000);
  }));

test('hasGroups looks inside blocks, with a filter and a limit', () =>
  withTemporaryEnv('viewstate-', async (env) => {
    const store = new ViewStateStore(env);
    assert.equal(store.hasGroups(16384), false);
    store.write(Array.from({ length: 300 }, (_, i) => ({ viewOid: 16384, key: Uint8Array.of(i >> 8, i & 0xff), state: Uint8Array.of(1) })));
    assert.equal(store.hasGroups(16384), true);
    assert.equal(store.hasGroups(16385), false);
    assert.equal(store.hasGroups(16384, (k) => k[1] === 7 && k[0] === 1), true);
    assert.equal(store.hasGroups(16384, () => false), false);
    assert.equal(store.hasGroups(16384, () => false, 10), true, 'past the limit it cannot tell');
    store.clear(16384, (k) => k[0] === 0);
    assert.equal(store.hasGroups(16384, (k) => k[0] === 0), false);
    store.clear(16384);
    assert.equal(store.hasGroups(16384), false);
  }));

test('a data directory with one entry per group is moved into blocks once', () =>
  withTemporaryEnv('viewstate-', async (env) => {
    const old = env.openDB<Uint8Array, Buffer>({ name: 'view_state', keyEncoding: 'binary', encoding: 'binary' });
    const entries: [number, number[], number[]][] = [];
    for (let i = 0; i < 500; i++) entries.push([16384 + (i % 2), [i >> 8, i & 0xff], [i & 0xff, 9]]);
    entries.push([16390, [], [42]]);
    await env.transaction(() => {
      for (const [oid, k, v] of entries) {
        const key = Buffer.alloc(5 + k.length);
        key.writeUInt32BE(oid, 0);
        key[4] = 1;
        key.set(k, 5);
        old.put(key, Buffer.from(v));
      }
    });
    assert.equal(ViewStateStore.upgradeGroupEntries(env), entries.length);
    assert.equal(ViewStateStore.upgradeGroupEntries(env), 0, 'the old database is gone');
    const store = new ViewStateStore(env);
    for (const [oid, k, v] of entries) assert.deepEqual([...store.get(oid, Uint8Array.from(k))!], v);
    assert.equal([...store.scan(16384)].length, 250);
  }));

test('stores in other threads see blocks split and removed under them (stale fence indexes)', () =>
  withTemporaryEnv('viewstate-', async (env) => {
    // Two stores on one environment stand for two combiners' threads: each keeps its own fence index.
    const a = new ViewStateStore(env);
    const b = new ViewStateStore(env);
    const key = (i: number): Uint8Array => Uint8Array.of(i >> 8, i & 0xff);
    const state = (i: number, round: number): Uint8Array => Uint8Array.from({ length: 20 }, (_, j) => (i + j + round) & 0xff);
    const expected = new Map<number, Uint8Array>();
    const check = (store: ViewStateStore, what: string): void => {
      store.readLatest();
      for (let i = 0; i < 1200; i++) {
        const got = store.get(16384, key(i));
        const want = expected.get(i);
        assert.deepEqual(got && [...got], want && [...want], `${what}: group ${i}`);
      }
    };
    const write = (store: ViewStateStore, ids: number[], round: number): void => {
      store.write(ids.map((i) => ({ viewOid: 16384, key: key(i), state: state(i, round) })));
      for (const i of ids) expected.set(i, state(i, round));
    };
    // Both learn the view while it has one block; a's writes then split it into dozens, unseen by b.
    write(a, [5], 0);
    check(a, 'a');
    check(b, 'b');
    write(a, Array.from({ length: 600 }, (_, i) => 2 * i), 1);
    check(b, 'b after a split the blocks');
    // b writes into blocks its index does not know, odd keys between a's.
    write(b, Array.from({ length: 600 }, (_, i) => 2 * i + 1), 2);
    check(a, 'a after b wrote');
    check(b, 'b after its writes');
    // a removes some groups (whole blocks go); both go on reading and writing correctly.
    a.clear(16384, (k) => ((k[0]! << 8) | k[1]!) < 700);
    for (let i = 0; i < 700; i++) expected.delete(i);
    check(b, 'b after a removed blocks');
    write(b, [3, 650, 1100, 1199], 3);
    write(a, [1, 2, 900], 4);
    check(a, 'a at the end');
    check(b, 'b at the end');
    assert.deepEqual(
      Array.from(a.scan(16384), (g) => (g.bytes[g.keyStart]! << 8) | g.bytes[g.keyStart + 1]!),
      [...expected.keys()].sort((x, y) => x - y),
    );
  }));

test('a block of 16 MB or more written twice in one transaction keeps the upper bound of the block after it', () =>
  withTemporaryEnv('viewstate-', async (env) => {
    // lmdb-js hands a value that large out as a view of LMDB's pages; once this
    // transaction has written the block, its first put rewrites those pages.
    const store = new ViewStateStore(env);
    const V = 16384;
    const key = (s: string): Uint8Array => Buffer.from(s);
    const big = (fill: number): Uint8Array => new Uint8Array(17 * 2 ** 20).fill(fill);
    store.write([{ viewOid: V, key: key('a'), state: big(1) }, { viewOid: V, key: key('m'), state: key('M') }]);
    // 'a' twice: the second run reads back the block the first one wrote.
    store.write([
      { viewOid: V, key: key('a'), state: big(2) },
      { viewOid: V, key: key('a'), state: big(3) },
      { viewOid: V, key: key('b'), state: key('B') },
    ]);
    // Each block's upper bound is the next block's fence; the last has none.
    const db = env.openDB<Uint8Array, Buffer>({ name: 'view_blocks', keyEncoding: 'binary', encoding: 'binary' });
    const blocks = Array.from(db.getRange({}), ({ key: k, value }) => {
      const header = value[0]!;
      assert.ok(header < 128, 'a short upper bound');
      return { fence: hex(k.subarray(GROUP_KEY_OFFSET)), upper: header === 0 ? null : hex(value.subarray(1, header)) };
    });
    assert.ok(blocks.length >= 2, `${blocks.length} blocks`);
    blocks.forEach((b, i) => assert.equal(b.upper, i + 1 < blocks.length ? blocks[i + 1]!.fence : null, `block ${i}`));
    store.readLatest();
    assert.equal(store.get(V, key('a'))![0], 3);
    assert.deepEqual([...store.get(V, key('b'))!], [...key('B')]);
    assert.deepEqual([...store.get(V, key('m'))!], [...key('M')]);
  }));

/** Packed groups of `viewOid`, as a commit writer gets them. */
function packedOf(viewOid: number, groups: [number[], number[]][]): Uint8Array {
  const w = new PackedGroupsWriter();
  for (const [key, state] of groups) {
    w.beginGroup(viewOid, Uint8Array.from(key), false);
    w.out.bytes(Uint8Array.from(state));
    w.endGroup();
  }
  return w.finish();
}

test('groups appended to the delta log are read over the blocks at once, survive reopening, and fold into them', async () => {
  const { dir, env } = tempEnv();
  const store = new ViewStateStore(env);
  const other = new ViewStateStore(env);
  const raw = env.openDB<Uint8Array, Buffer>({ name: 'view_blocks', keyEncoding: 'binary', encoding: 'binary' });
  const blockBytes = (): number => Array.from(raw.getRange({}), ({ value }) => value.length).reduce((a, b) => a + b, 0);
  store.write(Array.from({ length: 50 }, (_, i) => ({ viewOid: 16384, key: Uint8Array.of(2 * i), state: Uint8Array.of(i) })));
  const before = blockBytes();
  // A record that replaces group 4, and adds groups 5 and 200 (between and after stored ones).
  store.appendPacked(packedOf(16384, [[[4], [40, 40]], [[5], [50]], [[200], [7]]]));
  // A later record's states win over an earlier one's.
  store.appendPacked(packedOf(16384, [[[5], [51]]]));
  assert.equal(blockBytes(), before, 'the blocks are not written by an append');
  const scanOf = (s: ViewStateStore): string => Array.from(s.scan(16384), (g) => `${[...groupKey(g)]}:${[...states(g)]}`).join(' ');
  const expected = scanOf(store);
  assert.match(expected, /^0:0 2:1 4:40,40 5:51 6:3 8:4 /);
  assert.match(expected, / 98:49 200:7$/);
  assert.equal(expected.split(' ').length, 52);
  for (const s of [store, other]) {
    s.readLatest();
    assert.deepEqual([...s.get(16384, Uint8Array.of(4))!], [40, 40]);
    assert.deepEqual([...s.get(16384, Uint8Array.of(5))!], [51]);
    assert.deepEqual([...s.get(16384, Uint8Array.of(6))!], [3]);
    assert.equal(s.get(16385, Uint8Array.of(4)), undefined);
    assert.equal(s.hasGroups(16384, (k) => k[0] === 200), true);
    // A combiner's getNear shows a stored neighbour with the states a record gave it.
    const near = new Map<number, number[]>();
    assert.deepEqual([...s.getNear(16384, Uint8Array.of(2), (b, ks, _ke, ss, se) => near.set(b[ks]!, [...b.subarray(ss, se)]))!], [1]);
    assert.deepEqual(near.get(4), [40, 40]);
    assert.deepEqual(near.get(0), [0]);
    assert.equal(scanOf(s), expected);
  }
  await env.close();

  // Reopened (as after a crash): the records are still read over the blocks, then folded.
  const env2 = openEnvironment(dir);
  const again = new ViewStateStore(env2);
  assert.equal(scanOf(again), expected);
  assert.equal(again.fold(), 3);
  assert.equal(again.fold(), 0);
  assert.equal(scanOf(again), expected);
  assert.deepEqual([...again.get(16384, Uint8Array.of(5))!], [51]);
  // A clear removes what was folded; an append after it and a TRUNCATE with records pending both read right.
  again.appendPacked(packedOf(16384, [[[9], [9]]]));
  again.clear(16384, (k) => k[0]! < 6);
  assert.match(scanOf(again), /^6:3 8:4 9:9 10:5 /);
  again.appendPacked(packedOf(16384, [[[1], [1]]]));
  again.clear(16384);
  assert.equal(scanOf(again), '');
  assert.equal(again.get(16384, Uint8Array.of(1)), undefined);
  assert.equal(again.hasGroups(16384), false);
  await env2.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('group keys longer than LMDB can key are stored, found and rewritten, through blocks and the delta log', async () => {
  const { dir, env } = tempEnv();
  const VIEW = 16384;
  // Families of keys that share 2,400 bytes (no fence between them), keys that differ early, and keys around MAX_FENCE_BYTES.
  const keys: Uint8Array[] = [];
  for (let family = 1; family <= 3; family++) {
    for (let i = 0; i < 8; i++) {
      const k = new Uint8Array(2400 + i).fill(family * 16);
      k[k.length - 1] = i;
      keys.push(k);
    }
  }
  for (let i = 0; i < 60; i++) keys.push(Uint8Array.from({ length: 2000 + i * 50 }, (_, j) => (j === 0 ? 100 + i : j & 0xff)));
  for (const n of [MAX_FENCE_BYTES - 1, MAX_FENCE_BYTES, MAX_FENCE_BYTES + 1, 40_000]) keys.push(new Uint8Array(n).fill(200));
  for (let i = 0; i < 50; i++) keys.push(Uint8Array.of(i));
  const state = (k: Uint8Array, n: number): Uint8Array => Uint8Array.of(k.length & 0xff, k.length >> 8, k[k.length - 1]!, n);
  const byKey = (a: Uint8Array, b: Uint8Array): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
  const sorted = [...keys].sort(byKey);
  const check = (store: ViewStateStore, n: (i: number) => number): void => {
    store.readLatest();
    const scanned = Array.from(store.scan(VIEW), (g) => [groupKey(g), states(g)] as const);
    assert.equal(scanned.length, keys.length);
    scanned.forEach(([k, st], i) => {
      assert.equal(byKey(k, sorted[i]!), 0, `scan order at ${i}`);
      assert.deepEqual([...st], [...state(k, n(keys.indexOf(sorted[i]!)))]);
    });
    keys.forEach((k, i) => assert.deepEqual([...(store.get(VIEW, k) ?? [])], [...state(k, n(i))], `get of key ${i} (${k.length} bytes)`));
    // Absent keys between and beyond long ones.
    for (const k of [new Uint8Array(5000).fill(16), new Uint8Array(2400).fill(32), new Uint8Array(50_000).fill(200), Uint8Array.of(255)]) {
      assert.equal(store.get(VIEW, k), undefined);
    }
  };
  const store = new ViewStateStore(env);
  store.write(keys.map((k) => ({ viewOid: VIEW, key: k, state: state(k, 1) })));
  check(store, () => 1);
  // Every other group rewritten through the delta log, then folded.
  const w = new PackedGroupsWriter();
  for (const k of sorted.filter((_, i) => i % 2 === 0)) {
    w.beginGroup(VIEW, k, false);
    w.out.bytes(state(k, 2));
    w.endGroup();
  }
  store.appendPacked(w.finish());
  const rewritten = (i: number): number => (sorted.indexOf(keys[i]!) % 2 === 0 ? 2 : 1);
  check(store, rewritten);
  assert.equal(store.fold(), Math.ceil(keys.length / 2));
  check(store, rewritten);
  await env.close();
  // A new store learns the fences from LMDB.
  const env2 = openEnvironment(dir);
  check(new ViewStateStore(env2), rewritten);
  await env2.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the delta log refuses packed groups cut short, before appending anything', () =>
  withTemporaryEnv('viewstate-', async (env) => {
    const store = new ViewStateStore(env);
    assert.throws(() => store.appendPacked(packedOf(16384, [[[1], [1]], [[2], [2, 2]]]).slice(0, -1)), /truncated/);
    assert.equal(store.get(16384, Uint8Array.of(1)), undefined);
    assert.equal(store.fold(), 0);
  }));

test('a fold written a chunk at a time gives way to a clear or another fold between its chunks', () =>
  withTemporaryEnv('viewstate-', async (env) => {
    const store = new ViewStateStore(env, { minFoldChunkGroups: 2 });
    const other = new ViewStateStore(env);
    const keys = (s: ViewStateStore, view: number): string => Array.from(s.scan(view), (g) => `${[...groupKey(g)]}:${[...states(g)]}`).join(' ');
    // Six groups of two views: three chunks of two, in storage-key order (view 16384 first).
    store.appendPacked(packedOf(16384, [[[1], [1]], [[2], [2]], [[3], [3]]]));
    store.appendPacked(packedOf(16385, [[[1], [4]], [[2], [5]], [[3], [6]]]));
    let fold = store.beginFold()!;
    assert.equal(fold.perChunk, 2);
    assert.equal(store.foldStep(fold), false);
    // TRUNCATE of the view whose groups the later chunks hold: the fold gives up, and they stay gone.
    other.clear(16385);
    assert.equal(store.foldStep(fold), true, 'the fold gives up after a clear');
    store.readLatest();
    assert.equal(keys(store, 16385), '');
    assert.equal(keys(store, 16384), '1:1 2:2 3:3');
    // A record appended while a fold is under way is not in it, and wins over it.
    fold = store.beginFold()!;
    assert.equal(store.foldStep(fold), false);
    store.appendPacked(packedOf(16384, [[[3], [30]]]));
    while (!store.foldStep(fold));
    store.readLatest();
    assert.equal(keys(store, 16384), '1:1 2:2 3:30');
    assert.equal(store.fold(), 1);
    assert.equal(keys(store, 16384), '1:1 2:2 3:30');
    // Another fold first: this one gives up without writing.
    store.appendPacked(packedOf(16384, [[[1], [10]], [[2], [20]], [[4], [40]], [[5], [50]]]));
    fold = store.beginFold()!;
    assert.equal(store.foldStep(fold), false);
    store.appendPacked(packedOf(16384, [[[5], [51]]]));
    assert.equal(other.fold(), 4);
    assert.equal(store.foldStep(fold), true);
    store.readLatest();
    assert.equal(keys(store, 16384), '1:10 2:20 3:30 4:40 5:51');
    assert.equal(store.fold(), 0);
  }));

test('of two folds under way at once, only the last started writes on', () =>
  withTemporaryEnv('viewstate-', async (env) => {
    const a = new ViewStateStore(env, { minFoldChunkGroups: 1 });
    const b = new ViewStateStore(env, { minFoldChunkGroups: 1 });
    const keys = (s: ViewStateStore): string => Array.from(s.scan(16384), (g) => `${[...groupKey(g)]}:${[...states(g)]}`).join(' ');
    a.appendPacked(packedOf(16384, [[[1], [1]], [[2], [2]]]));
    // b starts with the first record only; a then starts with a newer state of group 1.
    const early = b.beginFold()!;
    a.appendPacked(packedOf(16384, [[[1], [10]]]));
    // While b's fold is under way another starts only when forced (a stop, a start).
    assert.equal(a.beginFold(), null);
    const late = a.beginFold(true)!;
    // A chunk a key: the later fold writes group 1's newer state first.
    assert.equal(a.foldStep(late), false);
    // The earlier fold would write group 1's older state over it: it stops instead.
    assert.equal(b.foldStep(early), true);
    assert.equal(early.gaveUp, true);
    assert.equal(early.groups, 0);
    while (!a.foldStep(late));
    assert.equal(late.gaveUp, false);
    b.readLatest();
    assert.equal(keys(b), '1:10 2:2');
    assert.equal(b.hasPendingDeltas(), false);
    // Once a fold is over, the next starts unforced.
    a.appendPacked(packedOf(16384, [[[3], [3]]]));
    const next = b.beginFold()!;
    while (!b.foldStep(next));
    assert.equal(next.gaveUp, false);
  }));

test('delta log meta entries of earlier builds are read; one whose records cannot be is refused', () => {
  const meta8 = (folded: number, last: number): Uint8Array => {
    const b = Buffer.alloc(8);
    b.writeUInt32BE(folded, 0);
    b.writeUInt32BE(last, 4);
    return b;
  };
  assert.deepEqual(decodeDeltaMeta(meta8(7, 7)), { epoch: 0, claim: 0, claimedAt: 0, folded: 7, last: 7 });
  assert.throws(() => decodeDeltaMeta(meta8(6, 7)), /development build/);
  const meta16 = Buffer.alloc(16);
  meta16.writeUInt32BE(3, 0);
  meta16.writeUIntBE(5, 4, 6);
  meta16.writeUIntBE(9, 10, 6);
  assert.deepEqual(decodeDeltaMeta(meta16), { epoch: 3, claim: 0, claimedAt: 0, folded: 5, last: 9 });
  const meta20 = Buffer.concat([meta16, Buffer.from([0, 0, 0, 4])]);
  assert.deepEqual(decodeDeltaMeta(meta20), { epoch: 3, claim: 4, claimedAt: 0, folded: 5, last: 9 });
  assert.throws(() => decodeDeltaMeta(new Uint8Array(5)), /truncated/);
  assert.deepEqual(decodeDeltaMeta(undefined), { epoch: 0, claim: 0, claimedAt: 0, folded: 0, last: 0 });
});

test('a fold that fails keeps its records and, once abandoned, lets the next fold start at once', () =>
  withTemporaryEnv('viewstate-', async (env) => {
    const store = new ViewStateStore(env);
    const blocks = env.openDB<Uint8Array, Buffer>({ name: 'view_blocks', keyEncoding: 'binary', encoding: 'binary' });
    // A block no reader can read, where the view's first groups go.
    const fence = Buffer.from([0, 0, 0x40, 0, 1]);
    blocks.putSync(fence, Buffer.from([0x7f]));
    store.appendPacked(packedOf(16384, [[[1], [1]]]));
    const f = store.beginFold()!;
    assert.throws(() => store.foldStep(f), /invalid view state block/);
    assert.equal(store.hasPendingDeltas(), true);
    assert.deepEqual([...store.get(16384, Uint8Array.of(1))!], [1]);
    // Its claim holds until abandoned (or aged).
    assert.equal(store.beginFold(), null);
    store.abandonFold(f);
    blocks.removeSync(fence);
    const again = store.beginFold()!;
    while (!store.foldStep(again));
    assert.equal(again.gaveUp, false);
    store.readLatest();
    assert.equal(store.hasPendingDeltas(), false);
    assert.deepEqual([...store.get(16384, Uint8Array.of(1))!], [1]);
  }));
