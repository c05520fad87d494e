// Buffers for the records a worker sends its combiners (RecordPartials):
// each combiner hands a message's buffers of the pooled sizes back once
// merged, and the worker reuses them (smaller ones, a few rows', are left
// to the combiner's GC: malloc serves them from its heap). A fresh buffer
// per batch cost as much as aggregating it: the kernel zeroes each new page
// on first touch, and a buffer freed by the combiner's GC is unmapped under
// every thread of the process.

/** Buffers kept for reuse; more than the messages usually in flight. */
const MAX_POOLED = 16;
/**
 * Takes from this many doubles (128 KB) get a pooled buffer; smaller ones a
 * buffer of their own size (a few single-row INSERTs), which malloc serves
 * from its heap anyway.
 */
const POOLED_FROM_DOUBLES = 1 << 14;
/** Pooled buffers are made in multiples of this many doubles (64 KB), so one fits takes of about its size: a batch of cv1 takes up to 70,000. */
const POOLED_UNIT_DOUBLES = 1 << 13;

/** Whether a pool would keep this buffer: a combiner hands back only these. */
export function isPoolable(buf: ArrayBuffer): boolean {
  return buf.byteLength >= 8 * POOLED_FROM_DOUBLES;
}

export class RecordBufferPool {
  private readonly free: ArrayBuffer[] = [];

  /** A zero-offset view of `doubles` doubles, on a reused buffer when one is large enough. */
  take(doubles: number): Float64Array<ArrayBuffer> {
    if (doubles < POOLED_FROM_DOUBLES) return new Float64Array(doubles);
    const bytes = 8 * doubles;
    for (let i = this.free.length - 1; i >= 0; i--) {
      const buf = this.free[i]!;
      if (buf.byteLength < bytes) continue;
      this.free[i] = this.free[this.free.length - 1]!;
      this.free.pop();
      return new Float64Array(buf, 0, doubles);
    }
    const size = Math.ceil(doubles / POOLED_UNIT_DOUBLES) * POOLED_UNIT_DOUBLES;
    return new Float64Array(new ArrayBuffer(8 * size), 0, doubles);
  }

  /** A buffer handed back (its views' contents are no longer read). */
  give(buf: ArrayBuffer): void {
    if (this.free.length < MAX_POOLED && isPoolable(buf)) this.free.push(buf);
  }

  get size(): number {
    return this.free.length;
  }
}
