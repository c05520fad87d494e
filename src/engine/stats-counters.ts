// Per-thread statistics of continuous queries, as PipelineDB keeps them for
// each (process, continuous query) pair. Workers and combiners add to these
// counters while they work and hand the changes to the main thread with the
// messages they send anyway (batch-done, committed): one flat Float64Array
// per message, never a message per row.
//
// Delta layout: [thread heap bytes, then per query: query OID, start time
// (microseconds since 2000-01-01, when this thread first ran the query),
// then the COUNTERS in index order].
import { getHeapStatistics } from 'node:v8';
import { PG_EPOCH_USECS } from '../types/values.js';

/** Counter indexes; exec time is kept in microseconds and shown in milliseconds. */
export const INPUT_ROWS = 0;
export const OUTPUT_ROWS = 1;
export const UPDATED_ROWS = 2;
export const INPUT_BYTES = 3;
export const OUTPUT_BYTES = 4;
export const UPDATED_BYTES = 5;
export const EXECUTIONS = 6;
export const ERRORS = 7;
export const EXEC_US = 8;
export const COUNTERS = 9;

/** Numbers per query in a delta: OID, start time, counters. */
export const DELTA_ENTRY = 2 + COUNTERS;
/** Numbers before the first entry: the thread's heap size. */
export const DELTA_HEADER = 1;

/** Wall-clock now, in PostgreSQL timestamp microseconds. */
export function nowMicros(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000) - PG_EPOCH_USECS;
}

/** The counters one worker or combiner thread has not reported yet. */
export class ThreadStats {
  private pending = new Map<number, Float64Array>();
  /** drain() calls so far: counters fetched before the last one were already sent. */
  drains = 0;
  /** When this thread first ran each query (PipelineDB's per-entry start_time). */
  private readonly started = new Map<number, number>();

  /** The unreported counters of a query, created on first use. */
  entry(queryOid: number): Float64Array {
    let e = this.pending.get(queryOid);
    if (!e) {
      e = new Float64Array(COUNTERS);
      this.pending.set(queryOid, e);
      if (!this.started.has(queryOid)) this.started.set(queryOid, nowMicros());
    }
    return e;
  }

  /** Stops remembering a query's start time (it is gone from this thread). */
  forget(queryOid: number): void {
    this.started.delete(queryOid);
  }

  /** Everything counted since the last drain, as a delta; null when nothing was. */
  drain(): Float64Array | null {
    if (this.pending.size === 0) return null;
    const out = new Float64Array(DELTA_HEADER + this.pending.size * DELTA_ENTRY);
    out[0] = getHeapStatistics().used_heap_size;
    let p = DELTA_HEADER;
    for (const [oid, counters] of this.pending) {
      out[p] = oid;
      out[p + 1] = this.started.get(oid) ?? nowMicros();
      out.set(counters, p + 2);
      p += DELTA_ENTRY;
    }
    this.pending = new Map();
    this.drains++;
    return out;
  }
}

/**
 * Counts a combiner's inputs as it merges one partials message: each view's
 * run of groups is one execution, timed from its first group to the next
 * view's (or end()).
 */
export class InputCounter {
  private viewOid = -1;
  private counts: Float64Array | null = null;
  private started = 0;
  /** stats.drains when `counts` was fetched. */
  private drains = 0;

  constructor(private readonly stats: ThreadStats) {}

  /** Counts `groups` partials of the view (one by default) of `bytes` in all. */
  group(viewOid: number, bytes: number, groups = 1): void {
    if (viewOid !== this.viewOid) {
      this.end();
      this.viewOid = viewOid;
      this.counts = this.stats.entry(viewOid);
      this.drains = this.stats.drains;
      this.counts[EXECUTIONS]++;
      this.started = performance.now();
    } else if (this.drains !== this.stats.drains) {
      // The counters were sent in the middle of the run (a commit answered while the
      // combiner waited for it): the rest of the run, and its time, count in fresh ones.
      this.counts = this.stats.entry(viewOid);
      this.drains = this.stats.drains;
    }
    const c = this.counts!;
    c[INPUT_ROWS] += groups;
    c[INPUT_BYTES] += bytes;
  }

  /** Closes the current view's run. */
  end(): void {
    if (this.counts) this.counts[EXEC_US] += (performance.now() - this.started) * 1000;
    this.counts = null;
    this.viewOid = -1;
  }
}
