// What a combiner tells a worker about the partials it merged: the bytes,
// for the worker's input gate (src/worker/input-gate.ts), and the records'
// buffers the worker reuses (src/engine/record-buffers.ts). A report per
// message cost a wake of the worker per batch: under single-row INSERTs at
// 64 clients that was half the worker's 2,900 wakes a second. Small
// messages are now reported together, once they add up to REPORT_EVERY_BYTES,
// and a message whose buffers the worker would reuse is reported at once
// (with the bytes owed), as a bulk load's are.
import { MAX_UNMERGED_BYTES } from '../worker/input-gate.js';
import { isPoolable } from '../engine/record-buffers.js';
import type { PartialsMerged } from '../engine/messages.js';

/**
 * Merged bytes a combiner may owe a worker. At most the worker's gate
 * budget: a worker holding its input then always gets the report that
 * releases it, as what it counts unmerged is at most this over the truth.
 */
export const REPORT_EVERY_BYTES = 1024 * 1024;
if (REPORT_EVERY_BYTES > MAX_UNMERGED_BYTES) throw new Error('a withheld report could hold a worker forever');

/** One worker's reports from one combiner. */
export class MergeReports {
  private owed = 0;

  constructor(private readonly everyBytes = REPORT_EVERY_BYTES) {}

  /** A message of `bytes` with these record buffers was merged: the report to send now, if any. */
  merged(bytes: number, buffers: ArrayBuffer[]): PartialsMerged | null {
    this.owed += bytes;
    const reuse = buffers.filter(isPoolable);
    if (reuse.length === 0 && this.owed < this.everyBytes) return null;
    const report: PartialsMerged = { type: 'merged', bytes: this.owed, buffers: reuse };
    this.owed = 0;
    return report;
  }
}
