// A combiner's view-state store that also counts what its commits do, as
// PipelineDB's combiner statistics do: a group written for the first time is
// an output (inserted) row, a group that existed is an updated row, each
// with the bytes of its stored state. The merger marks the writes of groups
// that were not in storage (GroupWrites.isNew).
import type { RootDatabase } from 'lmdb';
import { ViewStateStore, type GroupWrites } from '../storage/view-state-store.js';
import { ERRORS, EXEC_US, OUTPUT_BYTES, OUTPUT_ROWS, UPDATED_BYTES, UPDATED_ROWS, type ThreadStats } from './stats-counters.js';

export class CountingStateStore extends ViewStateStore {
  constructor(env: RootDatabase, private readonly stats: ThreadStats) {
    super(env);
  }

  override writeGroups(w: GroupWrites): void {
    const n = w.viewOids.length;
    if (n === 0) return;
    const started = performance.now();
    try {
      super.writeGroups(w);
    } catch (e) {
      // One failed commit is one error for each view it carried.
      for (const viewOid of new Set(w.viewOids)) this.stats.entry(viewOid)[ERRORS]++;
      throw e;
    }
    // The commit's time is shared among the views by their number of groups.
    const usPerGroup = ((performance.now() - started) * 1000) / n;
    for (let i = 0; i < n; i++) {
      const c = this.stats.entry(w.viewOids[i]!);
      const bytes = w.ends[i]! - (i === 0 ? 0 : w.ends[i - 1]!);
      if (w.isNew[i]) {
        c[OUTPUT_ROWS]++;
        c[OUTPUT_BYTES] += bytes;
      } else {
        c[UPDATED_ROWS]++;
        c[UPDATED_BYTES] += bytes;
      }
      c[EXEC_US] += usPerGroup;
    }
  }
}
