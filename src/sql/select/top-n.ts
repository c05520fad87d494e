// ORDER BY ... LIMIT n as a bounded heap (PostgreSQL's "top-N heapsort"):
// keeps the best `bound` rows seen so far instead of sorting every row, so
// `SELECT * FROM view ORDER BY x DESC LIMIT 10` over a million groups holds
// ten rows and compares each scanned row about once. Ties keep input order,
// so the result is exactly the first `bound` rows of the stable full sort.
import type { EvalContext } from '../functions/catalog.js';
import { INTERRUPT_MASK, RowMeter } from '../functions/row-meter.js';
import type { RowComparator } from './sort.js';

/** Largest bound served by the heap; above it a full sort does as well. */
export const TOP_N_MAX_BOUND = 65_536;

export class TopN {
  /** A max-heap on (row order, input position): the root is the worst row kept. */
  private readonly rows: unknown[][] = [];
  private readonly seqs: number[] = [];
  private seen = 0;
  private readonly meter: RowMeter | null;

  /**
   * `countKept`: the input rows are not counted where they are made (a
   * relation's stream), so the rows this holds are counted here.
   */
  constructor(
    private readonly cmp: RowComparator,
    private readonly bound: number,
    private readonly ctx: EvalContext,
    countKept: boolean,
  ) {
    this.meter = countKept ? new RowMeter(ctx) : null;
  }

  /** Offers the next input row; it is kept only while among the best `bound` seen. True: it is kept (for now). */
  offer(row: unknown[]): boolean {
    const seq = this.seen++;
    if ((seq & INTERRUPT_MASK) === INTERRUPT_MASK) this.ctx.checkInterrupts();
    const rows = this.rows;
    if (rows.length < this.bound) {
      this.meter?.add();
      rows.push(row);
      this.seqs.push(seq);
      this.siftUp(rows.length - 1);
      return true;
    }
    // A row equal to the worst kept one came later, so it sorts after it.
    if (this.bound === 0 || this.cmp(row, rows[0]) >= 0) return false;
    rows[0] = row;
    this.seqs[0] = seq;
    this.siftDown(0);
    return true;
  }

  /** The rows kept, best first. */
  sorted(): unknown[][] {
    this.meter?.flush();
    const order = this.rows.map((_, i) => i);
    order.sort((i, j) => this.cmp(this.rows[i], this.rows[j]) || this.seqs[i] - this.seqs[j]);
    return order.map((i) => this.rows[i]);
  }

  /** Whether kept row i sorts after kept row j. */
  private after(i: number, j: number): boolean {
    const c = this.cmp(this.rows[i], this.rows[j]);
    return c > 0 || (c === 0 && this.seqs[i] > this.seqs[j]);
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.after(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const n = this.rows.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      const r = l + 1;
      const worst = r < n && this.after(r, l) ? r : l;
      if (!this.after(worst, i)) return;
      this.swap(i, worst);
      i = worst;
    }
  }

  private swap(i: number, j: number): void {
    const rows = this.rows;
    const seqs = this.seqs;
    const row = rows[i];
    rows[i] = rows[j];
    rows[j] = row;
    const seq = seqs[i];
    seqs[i] = seqs[j];
    seqs[j] = seq;
  }
}
