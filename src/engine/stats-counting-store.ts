// A combiner's view-state store that also counts what its commits do, as
// PipelineDB's combiner statistics do: a group written for the first time is
// an output (inserted) row, a group that existed is an updated row, each
// with the bytes of its stored state. The merger tells which groups were not
// in storage (putGroup's isNew).
import type { RootDatabase } from 'lmdb';
import type { KeyId } from './key-string.js';
import { ViewStateStore } from '../storage/view-state-store.js';
import { ERRORS, EXEC_US, OUTPUT_BYTES, OUTPUT_ROWS, UPDATED_BYTES, UPDATED_ROWS, type ThreadStats } from './stats-counters.js';

/** One view's writes in the open transaction: inserted rows, their bytes, updated rows, their bytes. */
type Tally = [number, number, number, number];

export class CountingStateStore extends ViewStateStore {
  /** The open transaction's writes by view, counted once it commits. */
  private readonly tallies = new Map<number, Tally>();
  /** The view of the last put and its tally: a commit writes each view's groups together. */
  private lastViewOid = -1;
  private lastTally: Tally = [0, 0, 0, 0];

  constructor(env: RootDatabase, private readonly stats: ThreadStats) {
    super(env);
  }

  /** Also counts the commit's time (serializing included) among its views, by their number of groups. */
  override writeTransaction(viewOids: readonly number[], body: () => void): void {
    this.tallies.clear();
    this.lastViewOid = -1;
    const started = performance.now();
    try {
      super.writeTransaction(viewOids, body);
    } catch (e) {
      // One failed commit is one error for each view it carried.
      for (const viewOid of viewOids) this.stats.entry(viewOid)[ERRORS]++;
      throw e;
    }
    let groups = 0;
    for (const t of this.tallies.values()) groups += t[0] + t[2];
    if (groups === 0) return;
    // The commit's time is shared among the views by their number of groups.
    const usPerGroup = ((performance.now() - started) * 1000) / groups;
    for (const [viewOid, t] of this.tallies) {
      const c = this.stats.entry(viewOid);
      c[OUTPUT_ROWS] += t[0];
      c[OUTPUT_BYTES] += t[1];
      c[UPDATED_ROWS] += t[2];
      c[UPDATED_BYTES] += t[3];
      c[EXEC_US] += usPerGroup * (t[0] + t[2]);
    }
  }

  override putGroup(viewOid: number, key: Uint8Array | KeyId, states: Uint8Array, isNew: boolean): void {
    let t = this.lastTally;
    if (viewOid !== this.lastViewOid) {
      t = this.tallies.get(viewOid) ?? [0, 0, 0, 0];
      this.tallies.set(viewOid, t);
      this.lastViewOid = viewOid;
      this.lastTally = t;
    }
    super.putGroup(viewOid, key, states, isNew);
    if (isNew) {
      t[0]++;
      t[1] += states.byteLength;
    } else {
      t[2]++;
      t[3] += states.byteLength;
    }
  }
}
