import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEnvironment } from './lmdb-env.js';
import { GROUP_KEY_OFFSET, ViewStateStore, type StoredGroup } from './view-state-store.js';

/** A scanned group's key and states, copied (a scan's bytes are valid only until it moves on). */
const groupKey = (g: StoredGroup): Uint8Array => g.keyBytes.slice(g.keyStart + GROUP_KEY_OFFSET, g.keyEnd);
const states = (g: StoredGroup): Uint8Array => g.valueBytes.slice(0, g.valueEnd);

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

test('a scan shows each group as stored, small and large values alike', async () => {
  const { dir, env } = tempEnv();
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
  await env.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a scan left early releases its cursor; scans and writes go on', async () => {
  const { dir, env } = tempEnv();
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
  await env.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a scan refuses to run inside a write transaction', async () => {
  const { dir, env } = tempEnv();
  const store = new ViewStateStore(env);
  store.write([{ viewOid: 16384, key: Uint8Array.of(1), state: Uint8Array.of(1) }]);
  assert.throws(() => env.transactionSync(() => [...store.scan(16384)]), /write transaction/);
  assert.equal([...store.scan(16384)].length, 1);
  await env.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
