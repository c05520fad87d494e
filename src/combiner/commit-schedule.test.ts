// A busy combiner's commits: commit_interval apart while commits are short,
// COMMIT_SPACING times the last commit's duration apart once they are long.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMIT_SPACING, commitDueAt } from './commit-schedule.js';

test('commits are commit_interval apart until a commit takes longer than commit_interval / COMMIT_SPACING', () => {
  assert.equal(COMMIT_SPACING, 4);
  assert.equal(commitDueAt(1000, 0, 50), 1050);
  assert.equal(commitDueAt(1000, 12, 50), 1050);
  assert.equal(commitDueAt(1000, 12.5, 50), 1050);
  assert.equal(commitDueAt(1000, 20, 50), 1080);
  // A bulk load's commit of 2 s: the next one 8 s after it started, so at most a fifth of the time commits.
  assert.equal(commitDueAt(1000, 2000, 50), 9000);
});
