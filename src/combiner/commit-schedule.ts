// When a combiner behind its input commits next. Each commit of a bulk load
// over random keys rewrites nearly every group it has seen, whatever the
// number of partials merged into them since the last one, so spacing
// commits by a multiple of their own duration bounds the share of time
// spent committing and lets each commit cover more partials per group.

/**
 * A busy combiner's next commit waits this many times the last commit's
 * duration after that commit started: it then spends at most about a
 * fifth of its time committing. (5 M-row COPY into cv1, until visible, six
 * interleaved pairs: 280-401 k rows/s at twice, 335-447 k at four times.)
 */
export const COMMIT_SPACING = 4;

/**
 * When the next commit is due (performance.now() ms): commit_interval after
 * the last one started, or COMMIT_SPACING times the last commit's duration
 * once that is longer. A combiner that has caught up with its input commits
 * every commit_interval regardless (combiner-main's onCommitTimer).
 */
export function commitDueAt(lastStart: number, lastDurationMs: number, commitIntervalMs: number): number {
  return lastStart + Math.max(commitIntervalMs, COMMIT_SPACING * lastDurationMs);
}
