// A statement's rows on their way to a stream: an array per row, or all of
// them in one flat list. A 1,000-row literal INSERT makes its rows flat: an
// array per row was, after the scan's own, most of what the main thread
// allocated under a 1,000-row INSERT load.
import type { BatchBuilder } from '../worker/batch-format.js';

/** Rows laid out in one list, `width` values per row, row after row. */
export class FlatRows {
  constructor(
    readonly values: readonly unknown[],
    readonly width: number,
    readonly length: number,
  ) {}

  /** The rows as arrays (tests, and the rare caller that wants them so). */
  toArrays(): unknown[][] {
    const out: unknown[][] = new Array(this.length);
    for (let r = 0; r < this.length; r++) out[r] = this.values.slice(r * this.width, (r + 1) * this.width);
    return out;
  }
}

/** Each row an array of the stream's values (optionally then arrival_timestamp), or FlatRows. */
export type StatementRows = readonly (readonly unknown[])[] | FlatRows;

/**
 * Appends rows [from, to) of `rows` to `builder`, stopping early when it
 * holds `fullAt` rows; returns the index of the first row not appended.
 */
export function appendRows(builder: BatchBuilder, rows: StatementRows, from: number, to: number, fullAt: number): number {
  let r = from;
  if (rows instanceof FlatRows) {
    const { values, width } = rows;
    // addRow reads the arrival_timestamp after the declared columns: a row must have that slot.
    if (width !== builder.columnTypes.length + 1) throw new Error(`flat rows of ${width} values for ${builder.columnTypes.length} columns`);
    for (; r < to && builder.rowCount < fullAt; r++) builder.addRow(values, r * width);
  } else {
    for (; r < to && builder.rowCount < fullAt; r++) builder.addRow(rows[r]!);
  }
  return r;
}
