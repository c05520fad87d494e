import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchTracker } from './batch-tracker.js';

function settled(p: Promise<void>): Promise<boolean> {
  return Promise.race([p.then(() => true), new Promise<boolean>((r) => setImmediate(() => r(false)))]);
}

test('sync_commit waits for every combiner the worker reported', async () => {
  const t = new BatchTracker();
  const id = t.newBatchId();
  const p = t.track(id, 'sync_commit');
  t.workerDone(id, [0, 2]);
  assert.equal(await settled(p), false);
  t.committed(0, [id]);
  assert.equal(await settled(p), false);
  t.committed(2, [id]);
  assert.equal(await settled(p), true);
  assert.equal(t.size, 0);
});

test('commits reported before the worker report still count', async () => {
  const t = new BatchTracker();
  const id = t.newBatchId();
  const p = t.track(id, 'sync_commit');
  t.committed(1, [id]);
  t.workerDone(id, [1]);
  assert.equal(await settled(p), true);
});

test('a batch that produced no partials is committed when the worker reports', async () => {
  const t = new BatchTracker();
  const id = t.newBatchId();
  const p = t.track(id, 'sync_commit');
  t.workerDone(id, []);
  assert.equal(await settled(p), true);
});

test('sync_receive settles on the worker report; async at once', async () => {
  const t = new BatchTracker();
  const a = t.newBatchId();
  assert.equal(await settled(t.track(a, 'async')), true);
  const b = t.newBatchId();
  const p = t.track(b, 'sync_receive');
  assert.equal(await settled(p), false);
  t.workerDone(b, [0]);
  assert.equal(await settled(p), true);
});

test('failAll rejects every waiting writer', async () => {
  const t = new BatchTracker();
  const id = t.newBatchId();
  const p = t.track(id, 'sync_commit');
  t.failAll(new Error('engine stopped'));
  await assert.rejects(p, /engine stopped/);
});
