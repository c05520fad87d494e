// What a commit slice wrote, per view, for the combiner's statistics: the
// groups it inserted and those it updated, as PipelineDB counts them.

/** One view's rows in a commit slice. */
export interface SliceTally {
  viewOid: number;
  /** Groups written for the first time (output rows), and the bytes of their states. */
  newRows: number;
  newBytes: number;
  /** Groups that were in storage (updated rows), and the bytes of their states. */
  updatedRows: number;
  updatedBytes: number;
}

export function newSliceTally(viewOid: number): SliceTally {
  return { viewOid, newRows: 0, newBytes: 0, updatedRows: 0, updatedBytes: 0 };
}

/** Counts one packed group of `size` bytes of states (`isNew`: not in storage before). */
export function tallyGroup(tally: SliceTally, isNew: boolean, size: number): void {
  if (isNew) {
    tally.newRows++;
    tally.newBytes += size;
  } else {
    tally.updatedRows++;
    tally.updatedBytes += size;
  }
}
