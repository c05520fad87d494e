import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { collectFully, IDLE_TICKS, IDLE_UTILIZATION, IdleDetector, SMALL_YOUNG_BYTES, youngGenerationBytes } from './idle-heap.js';

const BIG = SMALL_YOUNG_BYTES * 8;

test('IdleDetector collects once the loop has been idle for IDLE_TICKS checks in a row', () => {
  const d = new IdleDetector();
  for (let i = 1; i < IDLE_TICKS; i++) assert.equal(d.tick(0.001, BIG), false, `check ${i}`);
  assert.equal(d.tick(IDLE_UTILIZATION, BIG), true);
  // Then it waits for a whole new idle stretch.
  for (let i = 1; i < IDLE_TICKS; i++) assert.equal(d.tick(0, BIG), false, `check ${i} after collecting`);
  assert.equal(d.tick(0, BIG), true);
});

test('IdleDetector starts counting again after a busy check', () => {
  const d = new IdleDetector();
  for (let i = 1; i < IDLE_TICKS; i++) d.tick(0, BIG);
  assert.equal(d.tick(IDLE_UTILIZATION + 0.01, BIG), false);
  for (let i = 1; i < IDLE_TICKS; i++) assert.equal(d.tick(0, BIG), false);
  assert.equal(d.tick(0, BIG), true);
});

test('IdleDetector leaves a small young generation alone however long the loop idles', () => {
  const d = new IdleDetector();
  for (let i = 0; i < 3 * IDLE_TICKS; i++) assert.equal(d.tick(0, SMALL_YOUNG_BYTES), false);
  // Grown again, it is collected at the next idle check.
  assert.equal(d.tick(0, SMALL_YOUNG_BYTES + 1), true);
});

test('collectFully collects garbage in the old generation', async () => {
  let target: object | null = { payload: new Array(1000).fill(1) };
  const ref = new WeakRef(target);
  target = null;
  // A WeakRef keeps its target alive until the current job ends.
  await nextTurn();
  collectFully();
  collectFully();
  assert.equal(ref.deref(), undefined);
  assert.ok(youngGenerationBytes() > 0);
});
