import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  collectFully,
  IDLE_TICKS,
  IDLE_UTILIZATION,
  IdleDetector,
  MAX_COLLECTIONS,
  SMALL_YOUNG_BYTES,
  youngGenerationBytes,
} from './idle-heap.js';

const BIG = SMALL_YOUNG_BYTES * 8;
const BUSY = IDLE_UTILIZATION + 0.01;

test('IdleDetector collects once the loop has been idle for IDLE_TICKS checks in a row', () => {
  const d = new IdleDetector();
  for (let i = 1; i < IDLE_TICKS; i++) assert.equal(d.tick(0.001, BIG), false, `check ${i}`);
  assert.equal(d.tick(IDLE_UTILIZATION, BIG), true);
  // Shrunk by it, the young generation is left alone for the rest of the idle stretch.
  for (let i = 0; i < 3 * IDLE_TICKS; i++) assert.equal(d.tick(0, SMALL_YOUNG_BYTES), false);
});

test('IdleDetector starts counting again after a busy check', () => {
  const d = new IdleDetector();
  for (let i = 1; i < IDLE_TICKS; i++) d.tick(0, BIG);
  assert.equal(d.tick(BUSY, BIG), false);
  for (let i = 1; i < IDLE_TICKS; i++) assert.equal(d.tick(0, BIG), false);
  assert.equal(d.tick(0, BIG), true);
});

test('IdleDetector tries again at the next checks while the young generation stays large, MAX_COLLECTIONS times per idle stretch', () => {
  const d = new IdleDetector();
  for (let i = 1; i < IDLE_TICKS; i++) d.tick(0, BIG);
  for (let i = 0; i < MAX_COLLECTIONS; i++) assert.equal(d.tick(0, BIG), true, `collection ${i + 1}`);
  for (let i = 0; i < 3 * IDLE_TICKS; i++) assert.equal(d.tick(0, BIG), false);
  // A busy check starts a new stretch, with its own collections.
  d.tick(BUSY, BIG);
  for (let i = 1; i < IDLE_TICKS; i++) assert.equal(d.tick(0, BIG), false);
  assert.equal(d.tick(0, BIG), true);
});

test('IdleDetector leaves a small young generation alone however long the loop idles', () => {
  const d = new IdleDetector();
  for (let i = 0; i < 3 * IDLE_TICKS; i++) assert.equal(d.tick(0, SMALL_YOUNG_BYTES), false);
  // Grown again, it is collected at the next idle check.
  assert.equal(d.tick(0, SMALL_YOUNG_BYTES + 1), true);
});

test('collectFully runs a GC that collects unreachable objects', async () => {
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
