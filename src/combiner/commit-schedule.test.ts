// A busy combiner's commits: commit_interval apart while commits are short,
// twice a commit's duration apart while it is under commit_interval (a
// steady load keeps its visibility), six times once it is longer (a bulk load).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BULK_COMMIT_SPACING, COMMIT_SPACING, commitDueAt, commitWaits, IDLE_MS } from './commit-schedule.js';

test('commits are commit_interval apart, then spaced by their duration, more widely once they outlast commit_interval', () => {
  assert.equal(COMMIT_SPACING, 2);
  assert.equal(BULK_COMMIT_SPACING, 6);
  assert.equal(commitDueAt(1000, 0, 50), 1050);
  assert.equal(commitDueAt(1000, 25, 50), 1050);
  assert.equal(commitDueAt(1000, 30, 50), 1060);
  assert.equal(commitDueAt(1000, 50, 50), 1100);
  assert.equal(commitDueAt(1000, 51, 50), 1306);
  // A bulk load's commit of 2 s: the next one 12 s after it started, so at most a seventh of the time commits.
  assert.equal(commitDueAt(1000, 2000, 50), 13000);
});

test('a combiner that caught up commits at once, unless its commits outlast commit_interval and input has not stopped', () => {
  assert.equal(IDLE_MS, 2);
  // Due: commit, busy or not.
  assert.equal(commitWaits(1100, 1000, 40, 1099, 50), false);
  // Not due and busy merging (input within IDLE_MS): wait.
  assert.equal(commitWaits(1060, 1000, 40, 1059, 50), true);
  // Not due, short commits, caught up: commit now.
  assert.equal(commitWaits(1060, 1000, 40, 1050, 50), false);
  // Not due, a bulk load's long commits, between two batches: wait...
  assert.equal(commitWaits(3000, 1000, 2000, 2980, 50), true);
  // ...until input stopped a commit_interval ago.
  assert.equal(commitWaits(3000, 1000, 2000, 2950, 50), false);
});
