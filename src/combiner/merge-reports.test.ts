import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MergeReports, REPORT_EVERY_BYTES } from './merge-reports.js';
import { MAX_UNMERGED_BYTES } from '../worker/input-gate.js';

test('small messages are reported together once they add up to the threshold', () => {
  const r = new MergeReports(1000);
  assert.equal(r.merged(400, []), null);
  assert.equal(r.merged(400, [new ArrayBuffer(64)]), null);
  assert.deepEqual(r.merged(300, []), { type: 'merged', bytes: 1100, buffers: [] });
  // Counting starts again after a report.
  assert.equal(r.merged(999, []), null);
  assert.equal(r.merged(1, [])?.bytes, 1000);
});

test('a message with a reusable buffer is reported at once, with the bytes owed, and hands back only reusable buffers', () => {
  const r = new MergeReports(1000);
  assert.equal(r.merged(10, []), null);
  const big = new ArrayBuffer(1 << 17);
  const small = new ArrayBuffer(64);
  const report = r.merged(20, [small, big]);
  assert.deepEqual(report, { type: 'merged', bytes: 30, buffers: [big] });
  assert.equal(r.merged(5, []), null);
});

test('the bytes owed never exceed the worker gate budget', () => {
  assert.ok(REPORT_EVERY_BYTES <= MAX_UNMERGED_BYTES);
  const r = new MergeReports();
  let owed = 0;
  for (let i = 0; i < 10_000; i++) {
    const rep = r.merged(977, []);
    owed = rep ? 0 : owed + 977;
    assert.ok(owed < REPORT_EVERY_BYTES);
  }
});
