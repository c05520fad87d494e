import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEnvironment } from './lmdb-env.js';
import { GROUP_KEY_OFFSET, ViewStateStore } from './view-state-store.js';

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
  assert.deepEqual(Array.from(store.scan(16384), (g) => [[...g.key.subarray(GROUP_KEY_OFFSET)], [...g.value]]), [[[], [1]], [[2], [2, 2]]]);
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
  let i = 0;
  for (const g of store.scan(16384)) {
    assert.deepEqual([...g.key.subarray(GROUP_KEY_OFFSET)], [i >> 8, i & 0xff]);
    assert.equal(Buffer.compare(Buffer.from(g.value), Buffer.from(value(i))), 0, `group ${i}`);
    i++;
  }
  assert.equal(i, 300);
  await env.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
