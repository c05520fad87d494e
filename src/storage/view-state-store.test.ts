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
  assert.deepEqual([...store.scan(16384)].map((g) => [[...g.key.subarray(GROUP_KEY_OFFSET)], [...g.value]]), [[[], [1]], [[2], [2, 2]]]);
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
