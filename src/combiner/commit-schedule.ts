// When a combiner behind its input commits next. Each commit of a bulk load
// over random keys rewrites nearly every group it has seen, whatever the
// number of partials merged into them since the last one, so spacing
// commits by a multiple of their own duration bounds the share of time
// spent committing and lets each commit cover more partials per group.

/**
 * A busy combiner's next commit waits this many times the last commit's
 * duration after that commit started, while commits are shorter than
 * commit_interval: it then spends at most about half its time committing,
 * and a steady load's rows become visible within about two commit
 * intervals.
 */
export const COMMIT_SPACING = 2;

/**
 * The same once a commit takes longer than commit_interval (a bulk load):
 * at most about a fifth of the time goes to commits. (5 M-row COPY into
 * cv1, until visible, six interleaved pairs: 280-401 k rows/s at twice,
 * 335-447 k at four times.)
 */
export const BULK_COMMIT_SPACING = 4;

/**
 * When the next commit is due (performance.now() ms): commit_interval after
 * the last one started, or a multiple of the last commit's duration once
 * that is longer. A combiner that has caught up with its input commits
 * every commit_interval regardless (combiner-main's onCommitTimer).
 */
export function commitDueAt(lastStart: number, lastDurationMs: number, commitIntervalMs: number): number {
  const spacing = lastDurationMs > commitIntervalMs ? BULK_COMMIT_SPACING : COMMIT_SPACING;
  return lastStart + Math.max(commitIntervalMs, spacing * lastDurationMs);
}
