// Randomized differential test of ViewStateStore against a Map model: several
// store instances on one environment stand for threads whose fence indexes go
// stale (blocks split, emptied and re-made by another instance), with sorted,
// unsorted and duplicated batches, filtered clears, empty keys, keys that are
// prefixes of one another, long keys, and states from empty to past LMDB's
// overflow pages and lmdb-js's shared read buffer. Batches also go to the
// delta log, and are folded at random. After each step
// the raw blocks are checked against the layout's invariants (and against the
// model, when the log holds nothing unfolded).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database, RootDatabase } from 'lmdb';
import { openEnvironment } from './lmdb-env.js';
import { ViewStateStore, type DeltaFold } from './view-state-store.js';
import { BlockReader, compareBytes } from './group-blocks.js';
import { PackedGroupsWriter } from './packed-groups.js';
import { DeltaLog } from './delta-log.js';
import { GROUP_KEY_OFFSET, MAX_FENCE_BYTES, viewOidOf } from './storage-key.js';
import { mulberry32, type Rand } from '../testing/prng.js';

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const unhex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
const cmp = (a: Uint8Array, b: Uint8Array): number => compareBytes(a, 0, a.length, b, 0, b.length);
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

type Model = Map<number, Map<string, Uint8Array>>;

function randomKey(r: Rand, known: string[]): Uint8Array {
  const x = r();
  if (x < 0.3 && known.length > 0) {
    // A known key, maybe extended or cut (prefixes of each other).
    const k = unhex(known[int(r, 0, known.length - 1)]!);
    const y = r();
    if (y < 0.5) return k;
    if (y < 0.75) return k.subarray(0, int(r, 0, k.length));
    return Uint8Array.from([...k, ...[0, 1, 0xff].slice(0, int(r, 1, 3))]).subarray(0, MAX_FENCE_BYTES + 1000);
  }
  if (x < 0.35) return new Uint8Array(0);
  if (x < 0.37) {
    // Long keys sharing a prefix, some longer than a fence can be (fenced by a prefix, or not cut apart).
    const len = r() < 0.3 ? int(r, MAX_FENCE_BYTES - 2, MAX_FENCE_BYTES + 600) : int(r, 100, 1200);
    const k = new Uint8Array(len).fill(0x41);
    k[len - 1] = int(r, 0, 255);
    if (r() < 0.5) k[int(r, 0, len - 1)] = int(r, 0, 255);
    return k;
  }
  const alphabet = [0x00, 0x01, 0x02, 0x7f, 0xff];
  return Uint8Array.from({ length: int(r, 0, 4) }, () => alphabet[int(r, 0, alphabet.length - 1)]!);
}

function randomState(r: Rand, bigOk: boolean): Uint8Array {
  const x = r();
  const len = x < 0.05 ? 0 : x < 0.85 ? int(r, 1, 40) : x < 0.95 ? int(r, 200, 1600) : x < 0.99 || !bigOk ? int(r, 2000, 6000) : int(r, 30_000, 80_000);
  const s = new Uint8Array(len);
  const seed = int(r, 0, 255);
  for (let i = 0; i < len; i++) s[i] = (seed + i * 7) & 0xff;
  return s;
}

/** Every block of the env, checked: per view, fences ascending, groups inside [fence, next fence), sorted, none empty, upper <= next fence. */
function checkLayout(db: Database<Uint8Array, Buffer>, model: Model | null, views: number[]): void {
  const r = new BlockReader();
  const seen = new Map<number, Map<string, Uint8Array>>();
  const blocks = Array.from(db.getRange({}), ({ key, value }) => ({ key: key as Uint8Array, value }));
  for (let b = 0; b < blocks.length; b++) {
    const { key, value } = blocks[b]!;
    assert.ok(key.length >= GROUP_KEY_OFFSET && key[4] === 1, 'storage key layout');
    const oid = viewOidOf(key, 0);
    const fence = key.subarray(GROUP_KEY_OFFSET);
    const after = blocks[b + 1];
    const nextFence = after && viewOidOf(after.key, 0) === oid ? after.key.subarray(GROUP_KEY_OFFSET) : null;
    r.reset(value, 0, value.length);
    if (r.hasUpper) {
      const upper = value.subarray(r.upperStart, r.upperEnd);
      assert.ok(nextFence === null || cmp(upper, nextFence) <= 0, `view ${oid} block ${hex(fence)}: upper ${hex(upper)} above next fence ${nextFence && hex(nextFence)}`);
      assert.ok(cmp(upper, fence) > 0, 'upper above fence');
    }
    let prev: Uint8Array | null = null;
    let groups = 0;
    const m = seen.get(oid) ?? new Map<string, Uint8Array>();
    seen.set(oid, m);
    while (r.next()) {
      groups++;
      const k = value.subarray(r.keyStart, r.keyEnd);
      assert.ok(cmp(k, fence) >= 0, `view ${oid} block ${hex(fence)}: group ${hex(k)} below its fence`);
      if (nextFence) assert.ok(cmp(k, nextFence) < 0, `view ${oid} block ${hex(fence)}: group ${hex(k)} not below the next fence ${hex(nextFence)}`);
      if (prev) assert.ok(cmp(prev, k) < 0, `view ${oid} block ${hex(fence)}: groups out of order`);
      assert.ok(!m.has(hex(k)), `group ${hex(k)} stored twice`);
      m.set(hex(k), value.slice(r.stateStart, r.stateEnd));
      prev = k;
    }
    assert.ok(groups > 0, `view ${oid}: an empty block at ${hex(fence)}`);
  }
  if (!model) return;
  for (const v of views) {
    const want: Map<string, Uint8Array> = model.get(v) ?? new Map();
    const got = seen.get(v) ?? new Map();
    assert.equal(got.size, want.size, `view ${v}: stored group count`);
    for (const [k, s] of want) assert.ok(got.has(k) && Buffer.compare(got.get(k)!, s) === 0, `view ${v}: group ${k}`);
  }
}

function checkReads(r: Rand, store: ViewStateStore, model: Model, views: number[], known: string[]): void {
  store.readLatest();
  // get() answers a copy: every answer is checked again after all the reads that follow it.
  const answers: [Uint8Array, string, string][] = [];
  for (const v of views) {
    const want = model.get(v) ?? new Map<string, Uint8Array>();
    // scan
    const scanned: [string, Uint8Array][] = [];
    for (const g of store.scan(v)) scanned.push([hex(g.bytes.subarray(g.keyStart, g.keyEnd)), g.bytes.slice(g.stateStart, g.stateEnd)]);
    const sorted = [...want.entries()].sort((a, b) => cmp(unhex(a[0]), unhex(b[0])));
    assert.equal(scanned.length, sorted.length, `view ${v}: scan count`);
    scanned.forEach(([k, s], i) => {
      assert.equal(k, sorted[i]![0], `view ${v}: scan key ${i}`);
      assert.equal(Buffer.compare(s, sorted[i]![1]), 0, `view ${v}: scan state of ${k}`);
    });
    // hasGroups
    assert.equal(store.hasGroups(v), want.size > 0, `view ${v}: hasGroups`);
    const parity = int(r, 0, 1);
    const which = (k: Uint8Array): boolean => (k.length & 1) === parity;
    assert.equal(store.hasGroups(v, which), [...want.keys()].some((k) => which(unhex(k))), `view ${v}: hasGroups filtered`);
    // get / getNear for known, absent and random keys
    for (let q = 0; q < 25; q++) {
      const key = q < 10 && want.size > 0 ? unhex([...want.keys()][int(r, 0, want.size - 1)]!) : randomKey(r, known);
      const expect = want.get(hex(key));
      if (r() < 0.5) {
        const got = store.get(v, key);
        assert.equal(got === undefined ? undefined : hex(got), expect && hex(expect), `view ${v}: get ${hex(key)}`);
        if (got) answers.push([got, hex(got), `view ${v}: get ${hex(key)}`]);
      } else {
        const near: string[] = [];
        const got = store.getNear(v, key, (bytes, ks, ke, ss, se) => {
          const k = hex(bytes.subarray(ks, ke));
          assert.notEqual(k, hex(key), 'getNear shows the asked-for key as a neighbour');
          assert.ok(want.has(k), `getNear shows ${k}, not stored`);
          assert.equal(hex(bytes.subarray(ss, se)), hex(want.get(k)!), `getNear neighbour ${k} state`);
          near.push(k);
        });
        assert.equal(got === undefined ? undefined : hex(got), expect && hex(expect), `view ${v}: getNear ${hex(key)}`);
        assert.equal(new Set(near).size, near.length, 'getNear shows a neighbour twice');
        if (got) answers.push([got, hex(got), `view ${v}: getNear ${hex(key)}`]);
      }
    }
  }
  for (const [got, was, what] of answers) assert.equal(hex(got), was, `${what}: the answer changed under later reads`);
}

function runFuzz(seed: number, steps: number, views: number[]): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'viewstate-fuzz-'));
  const env: RootDatabase = openEnvironment(dir);
  try {
    const r = mulberry32(seed);
    // Folds in chunks of a few groups, so they take several steps, between which anything may happen.
    const stores = [0, 1, 2].map(() => new ViewStateStore(env, { minFoldChunkGroups: 3 }));
    const raw = env.openDB<Uint8Array, Buffer>({ name: 'view_blocks', keyEncoding: 'binary', encoding: 'binary' });
    const log = new DeltaLog(env);
    /** Records wait in the delta log (the blocks then lag the model). */
    const logged = (): boolean => {
      const m = log.meta();
      return m.last > m.folded;
    };
    /** Folds under way, by the stores (two at once stand for two commit writers). */
    let foldings: { by: ViewStateStore; fold: DeltaFold }[] = [];
    const model: Model = new Map();
    const known: string[] = [];
    for (const v of views) model.set(v, new Map());
    for (let step = 0; step < steps; step++) {
      const store = stores[int(r, 0, stores.length - 1)]!;
      const op = r();
      const ctx = `seed ${seed} step ${step}`;
      try {
        if (op < 0.6) {
          // A batch: sorted (write() sorts) or unsorted packed, duplicates allowed.
          const n = r() < 0.2 ? int(r, 50, 400) : int(r, 1, 20);
          const batch: { viewOid: number; key: Uint8Array; state: Uint8Array }[] = [];
          const oneView = r() < 0.7 ? views[int(r, 0, views.length - 1)]! : -1;
          for (let i = 0; i < n; i++) {
            const viewOid = oneView >= 0 ? oneView : views[int(r, 0, views.length - 1)]!;
            const key = r() < 0.1 && batch.length > 0 ? batch[int(r, 0, batch.length - 1)]!.key : randomKey(r, known);
            batch.push({ viewOid, key, state: randomState(r, n < 50) });
          }
          const how = r();
          if (how < 0.35) {
            store.write(batch);
            // write() sorts stably: of duplicates, the last given wins.
            for (const g of batch) model.get(g.viewOid)!.set(hex(g.key), g.state);
          } else {
            const packed = new PackedGroupsWriter();
            for (const g of batch) {
              packed.beginGroup(g.viewOid, g.key, false);
              packed.out.bytes(g.state);
              packed.endGroup();
            }
            if (how < 0.6) store.writePacked(packed.finish());
            else store.appendPacked(packed.finish());
            for (const g of batch) model.get(g.viewOid)!.set(hex(g.key), g.state);
          }
          for (const g of batch) if (known.length < 3000) known.push(hex(g.key));
        } else if (op < 0.63) {
          store.fold();
          assert.equal(logged(), false, 'records left after a fold');
        } else if (op < 0.66) {
          // A chunked fold: started (beside another, maybe), or a few more chunks of one written.
          if (foldings.length === 0 || (foldings.length < 2 && r() < 0.3)) {
            // Forced or not: an unforced one waits while another is under way.
            const fold = store.beginFold(r() < 0.5);
            if (fold) foldings.push({ by: store, fold });
          }
          const f = foldings[int(r, 0, foldings.length - 1)];
          for (let n = int(r, 1, 3); f && n > 0; n--) {
            if (!f.by.foldStep(f.fold)) continue;
            foldings = foldings.filter((x) => x !== f);
            break;
          }
        } else if (op < 0.7) {
          const v = views[int(r, 0, views.length - 1)]!;
          const m = model.get(v)!;
          const y = r();
          if (y < 0.1) {
            store.clear(v);
            m.clear();
          } else {
            // Filters that empty whole blocks, or thin them.
            const a = int(r, 0, 255);
            const b = int(r, a, 255);
            const mod = int(r, 1, 4);
            const which =
              y < 0.5
                ? (k: Uint8Array): boolean => k.length > 0 && k[0]! >= a && k[0]! <= b
                : y < 0.7
                  ? (k: Uint8Array): boolean => k.length % mod === 0
                  : (k: Uint8Array): boolean => k.length === 0 || (k[k.length - 1]! + k.length) % mod === 0;
            store.clear(v, which);
            for (const k of [...m.keys()]) if (which(unhex(k))) m.delete(k);
          }
        } else {
          checkReads(r, store, model, views, known);
        }
        if (step % 5 === 0 || op >= 0.6) checkLayout(raw, logged() ? null : model, views);
      } catch (e) {
        (e as Error).message = `${ctx}: ${(e as Error).message}`;
        throw e;
      }
    }
    for (const s of stores) checkReads(r, s, model, views, known);
  } finally {
    void env.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('random writes, clears and reads through several store instances agree with a Map', () => {
  // FUZZ_SEEDS=n FUZZ_SEED=s run more, or other, seeds.
  const seeds = Number(process.env.FUZZ_SEEDS ?? 2);
  const start = Number(process.env.FUZZ_SEED ?? 1);
  for (let s = start; s < start + seeds; s++) runFuzz(s, 250, [16384, 16385, 16387]);
});

test('view OIDs at the ends of the OID range keep apart', () => {
  runFuzz(1001, 150, [0, 1, 0xfffffffe, 0xffffffff]);
});

test('a view whose groups have only the empty key, and its neighbours', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'viewstate-fuzz-'));
  const env = openEnvironment(dir);
  try {
    const a = new ViewStateStore(env);
    const b = new ViewStateStore(env);
    const empty = new Uint8Array(0);
    a.write([{ viewOid: 16384, key: empty, state: Uint8Array.of(1) }]);
    assert.deepEqual([...b.get(16384, empty)!], [1]);
    assert.equal(b.get(16385, empty), undefined);
    b.write([{ viewOid: 16385, key: empty, state: Uint8Array.of(2) }]);
    a.write([{ viewOid: 16384, key: empty, state: new Uint8Array(5000).fill(3) }]);
    a.readLatest();
    assert.equal(a.get(16384, empty)!.length, 5000);
    assert.deepEqual([...a.get(16385, empty)!], [2]);
    assert.equal(b.get(16384, empty)!.length, 5000);
    b.clear(16384, (k) => k.length === 0);
    a.readLatest();
    assert.equal(a.get(16384, empty), undefined);
    assert.equal(a.hasGroups(16384), false);
    assert.deepEqual([...a.get(16385, empty)!], [2]);
  } finally {
    void env.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
