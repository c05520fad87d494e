// Keeps long row loops cancellable and bounded in memory at a tiny per-row
// cost. Loops that know their output size up front call ctx.countRows(n)
// before allocating and test `(++i & INTERRUPT_MASK) === 0` to call
// ctx.checkInterrupts(); loops that only learn their size as they go use a
// RowMeter, which reports rows to ctx.countRows in batches.
import type { EvalContext } from './catalog.js';

/** Rows processed between interrupt checks, minus one (a power of two minus one, used as a mask). */
export const INTERRUPT_MASK = 4095;

/** Counts rows as they are produced and reports them (and checks interrupts) once per batch. */
export class RowMeter {
  private pending = 0;

  constructor(private readonly ctx: EvalContext) {}

  /** One more row will be held in memory. */
  add(): void {
    if (++this.pending > INTERRUPT_MASK) this.flush();
  }

  /** `n` more rows will be held in memory. */
  addMany(n: number): void {
    this.pending += n;
    if (this.pending > INTERRUPT_MASK) this.flush();
  }

  /** Reports the rows counted so far; call once the loop is done. */
  flush(): void {
    const n = this.pending;
    this.pending = 0;
    if (n > 0) this.ctx.countRows(n);
    this.ctx.checkInterrupts();
  }
}
