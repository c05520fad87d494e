// A commit's statistics: stored slices count their new and updated groups
// per view, with the commit's time shared by groups; the slice that failed
// counts one error for each view it carried, and later slices count nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERRORS, EXEC_US, OUTPUT_BYTES, OUTPUT_ROWS, ThreadStats, UPDATED_BYTES, UPDATED_ROWS } from '../engine/stats-counters.js';
import { countCommit } from './commit-stats.js';
import type { CommitSlice } from './group-merger.js';

const tally = (viewOid: number, newRows: number, newBytes: number, updatedRows: number, updatedBytes: number) => ({ viewOid, newRows, newBytes, updatedRows, updatedBytes });
const slice = (...tallies: ReturnType<typeof tally>[]): CommitSlice => ({
  bytes: new Uint8Array(0),
  groups: tallies.reduce((n, t) => n + t.newRows + t.updatedRows, 0),
  tallies,
});

const counts = (stats: ThreadStats, viewOid: number) => {
  const c = stats.entry(viewOid);
  return [c[OUTPUT_ROWS], c[OUTPUT_BYTES], c[UPDATED_ROWS], c[UPDATED_BYTES], c[ERRORS], c[EXEC_US]];
};

test('stored slices count per view; the failed one is an error of each of its views', () => {
  const stats = new ThreadStats();
  const slices = [slice(tally(5, 2, 8, 1, 3), tally(6, 1, 7, 0, 0)), slice(tally(6, 0, 0, 4, 20)), slice(tally(6, 1, 1, 0, 0), tally(7, 2, 2, 0, 0)), slice(tally(8, 9, 9, 0, 0))];
  // Two slices stored (8 groups) in 16 ms: 2 ms of a group.
  countCommit(stats, slices, 2, 16);
  assert.deepEqual(counts(stats, 5), [2, 8, 1, 3, 0, 6000]);
  assert.deepEqual(counts(stats, 6), [1, 7, 4, 20, 1, 10000]);
  assert.deepEqual(counts(stats, 7), [0, 0, 0, 0, 1, 0]);
  // Past the failed slice: not counted at all.
  assert.deepEqual(counts(stats, 8), [0, 0, 0, 0, 0, 0]);
  // Every slice stored: no error.
  countCommit(stats, [slice(tally(8, 1, 4, 0, 0))], 1, 1);
  assert.deepEqual(counts(stats, 8), [1, 4, 0, 0, 0, 1000]);
});
