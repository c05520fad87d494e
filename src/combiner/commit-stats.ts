// A combiner's statistics of its commits, as PipelineDB's combiner keeps
// them: a group written for the first time is an output (inserted) row, a
// group that existed is an updated row, each with the bytes of its stored
// state; a commit's time is shared among its views by their groups; a
// failed slice is one error of each view it carried.
import { ERRORS, EXEC_US, OUTPUT_BYTES, OUTPUT_ROWS, UPDATED_BYTES, UPDATED_ROWS, type ThreadStats } from '../engine/stats-counters.js';
import type { CommitSlice } from './group-merger.js';

/** Counts the first `stored` slices of a commit that took `ms`, and the next one, if any, as failed. */
export function countCommit(stats: ThreadStats, slices: readonly CommitSlice[], stored: number, ms: number): void {
  let groups = 0;
  for (let i = 0; i < stored; i++) groups += slices[i]!.groups;
  const usPerGroup = groups > 0 ? (ms * 1000) / groups : 0;
  for (let i = 0; i < stored; i++) {
    for (const t of slices[i]!.tallies) {
      const c = stats.entry(t.viewOid);
      c[OUTPUT_ROWS] += t.newRows;
      c[OUTPUT_BYTES] += t.newBytes;
      c[UPDATED_ROWS] += t.updatedRows;
      c[UPDATED_BYTES] += t.updatedBytes;
      c[EXEC_US] += usPerGroup * (t.newRows + t.updatedRows);
    }
  }
  if (stored < slices.length) for (const t of slices[stored]!.tallies) stats.entry(t.viewOid)[ERRORS]++;
}
