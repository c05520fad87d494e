import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { BatchBuilder } from '../worker/batch-format.js';
import { OID } from '../types/oids.js';
import { StatsRegistry, batchRowCount } from './stats.js';
import {
  ERRORS, EXECUTIONS, EXEC_US, INPUT_BYTES, INPUT_ROWS, InputCounter, OUTPUT_BYTES, OUTPUT_ROWS, ThreadStats, UPDATED_BYTES, UPDATED_ROWS,
} from './stats-counters.js';

test('batchRowCount reads the row count of an encoded batch', () => {
  const b = new BatchBuilder([OID.int4, OID.text], 4);
  for (let i = 0; i < 7; i++) b.addRow([i, 'r' + i]);
  assert.equal(batchRowCount(b.finish(1, 42)), 7);
});

test('thread deltas add up per (thread, query) and keep the first start time', () => {
  const t = new ThreadStats();
  assert.equal(t.drain(), null);
  const a = t.entry(100);
  a[INPUT_ROWS] += 10;
  a[EXECUTIONS]++;
  // A worker's output: two groups of 2 + 4 and 3 + 5 key and state bytes.
  t.entry(200)[OUTPUT_ROWS] += 2;
  t.entry(200)[OUTPUT_BYTES] += 14;
  const first = t.drain()!;
  assert.equal(t.drain(), null, 'drain empties the pending counters');
  t.entry(100)[INPUT_ROWS] += 5;
  const second = t.drain()!;

  const r = new StatsRegistry();
  r.applyDelta('worker', 7, first);
  r.applyDelta('worker', 7, second);
  r.applyDelta('combiner', 8, second);
  const byKey = new Map(r.procQueryStats().map((e) => [`${e.type} ${e.pid} ${e.queryOid}`, e]));
  assert.deepEqual([...byKey.keys()].sort(), ['combiner 8 100', 'worker 7 100', 'worker 7 200']);
  const w100 = byKey.get('worker 7 100')!;
  assert.equal(w100.counters[INPUT_ROWS], 15);
  assert.equal(w100.counters[EXECUTIONS], 1);
  assert.equal(w100.startTime, byKey.get('combiner 8 100')!.startTime, 'the thread sends the first start time every time');
  const w200 = byKey.get('worker 7 200')!;
  assert.equal(w200.counters[OUTPUT_ROWS], 2);
  assert.equal(w200.counters[OUTPUT_BYTES], 14);
  assert.ok(r.threadHeapBytes(7) > 0);

  r.retain((oid) => oid !== 200, () => true);
  assert.equal(r.procQueryStats().length, 2);
  r.forgetThread(8);
  assert.deepEqual(r.procQueryStats().map((e) => `${e.type} ${e.pid} ${e.queryOid}`), ['worker 7 100']);
});

test('stream input counts rows, batches and bytes per stream', () => {
  const r = new StatsRegistry();
  r.streamInput(9, 10, 100);
  r.streamInput(9, 3, 40);
  r.streamInput(5, 1, 8);
  assert.deepEqual(r.streamStats(), [
    { streamOid: 5, inputRows: 1, inputBatches: 1, inputBytes: 8 },
    { streamOid: 9, inputRows: 13, inputBatches: 2, inputBytes: 140 },
  ]);
  r.retain(() => true, (oid) => oid === 9);
  assert.deepEqual(r.streamStats().map((s) => s.streamOid), [9]);
});

test('a combiner input run is one execution per view', () => {
  const t = new ThreadStats();
  const inputs = new InputCounter(t);
  inputs.group(1, 10);
  inputs.group(1, 6);
  inputs.group(2, 3);
  inputs.end();
  const d = t.drain()!;
  const r = new StatsRegistry();
  r.applyDelta('combiner', 1, d);
  const [v1, v2] = r.procQueryStats();
  assert.deepEqual([v1!.counters[INPUT_ROWS], v1!.counters[INPUT_BYTES], v1!.counters[EXECUTIONS]], [2, 16, 1]);
  assert.deepEqual([v2!.counters[INPUT_ROWS], v2!.counters[INPUT_BYTES], v2!.counters[EXECUTIONS]], [1, 3, 1]);
  assert.ok(v1!.counters[EXEC_US]! >= 0);
});

test('counters sent in the middle of an input run lose none of the rest of the run', () => {
  const t = new ThreadStats();
  const inputs = new InputCounter(t);
  const r = new StatsRegistry();
  inputs.group(1, 10);
  // A commit answered while the combiner waited for it, in the middle of a batch.
  r.applyDelta('combiner', 1, t.drain()!);
  inputs.group(1, 6);
  inputs.group(1, 1);
  inputs.end();
  r.applyDelta('combiner', 1, t.drain()!);
  const [v1] = r.procQueryStats();
  // One execution, every row and byte.
  assert.deepEqual([v1!.counters[INPUT_ROWS], v1!.counters[INPUT_BYTES], v1!.counters[EXECUTIONS]], [3, 17, 1]);
});
