// A combiner's view-state store that also counts what its commits do, as
// PipelineDB's combiner statistics do: a group written for the first time is
// an output (inserted) row, a group that existed is an updated row, each
// with the bytes of its stored state. The merger marks the writes of groups
// that were not in storage (GroupWrite.isNew).
import type { RootDatabase } from 'lmdb';
import { ViewStateStore, type GroupWrite } from '../storage/view-state-store.js';
import { ERRORS, EXEC_US, OUTPUT_BYTES, OUTPUT_ROWS, UPDATED_BYTES, UPDATED_ROWS, type ThreadStats } from './stats-counters.js';

export class CountingStateStore extends ViewStateStore {
  constructor(env: RootDatabase, private readonly stats: ThreadStats) {
    super(env);
  }

  override write(groups: readonly GroupWrite[]): void {
    if (groups.length === 0) return;
    const started = performance.now();
    try {
      super.write(groups);
    } catch (e) {
      // One failed commit is one error for each view it carried.
      for (const viewOid of new Set(groups.map((g) => g.viewOid))) this.stats.entry(viewOid)[ERRORS]++;
      throw e;
    }
    // The commit's time is shared among the views by their number of groups.
    const usPerGroup = ((performance.now() - started) * 1000) / groups.length;
    for (const g of groups) {
      const c = this.stats.entry(g.viewOid);
      if (g.isNew) {
        c[OUTPUT_ROWS]++;
        c[OUTPUT_BYTES] += g.state.byteLength;
      } else {
        c[UPDATED_ROWS]++;
        c[UPDATED_BYTES] += g.state.byteLength;
      }
      c[EXEC_US] += usPerGroup;
    }
  }

}
