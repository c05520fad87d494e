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
 * at most about a seventh of the time goes to commits. (5 M-row COPY into
 * cv1 over a million groups, until visible: six interleaved pairs,
 * 280-401 k rows/s at twice, 335-447 k at four times; later, eight
 * alternated pairs, 1.01-1.38 M at four times, 1.10-1.48 M at six, six the
 * faster in seven of them; bench/RESULTS.md.) Rows of a bulk load become visible
 * in fewer, larger steps.
 */
export const BULK_COMMIT_SPACING = 6;

/**
 * When the next commit is due (performance.now() ms): commit_interval after
 * the last one started, or a multiple of the last commit's duration once
 * that is longer. A combiner that has caught up with its input may commit
 * sooner (commitWaits).
 */
export function commitDueAt(lastStart: number, lastDurationMs: number, commitIntervalMs: number): number {
  const spacing = lastDurationMs > commitIntervalMs ? BULK_COMMIT_SPACING : COMMIT_SPACING;
  return lastStart + Math.max(commitIntervalMs, spacing * lastDurationMs);
}

/**
 * No input for this long: the combiner has caught up with its input (a busy
 * one runs its timers right after merging).
 */
export const IDLE_MS = 2;

/**
 * Whether a commit_interval timer should wait for the commit to be due
 * (commitDueAt) rather than commit now. A combiner busy merging waits. One
 * that has caught up commits now, so a steady load's rows are visible
 * within about a commit_interval, unless its commits outlast
 * commit_interval (a bulk load, with the combiner between two batches):
 * then it waits unless input stopped a commit_interval ago. Committing
 * every commit_interval there would rewrite nearly every group each time.
 */
export function commitWaits(now: number, lastStart: number, lastDurationMs: number, lastInputAt: number, commitIntervalMs: number): boolean {
  if (now >= commitDueAt(lastStart, lastDurationMs, commitIntervalMs)) return false;
  const idleMs = now - lastInputAt;
  if (idleMs < IDLE_MS) return true;
  return lastDurationMs > commitIntervalMs && idleMs < commitIntervalMs;
}
