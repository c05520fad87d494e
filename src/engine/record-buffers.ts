// Buffers for the records a worker sends its combiners (RecordPartials):
// each combiner hands a message's buffers back once merged, and the worker
// reuses them. A fresh buffer per batch cost as much as aggregating it: the
// kernel zeroes each new page on first touch, and a buffer freed by the
// combiner's GC is unmapped under every thread of the process.

/** Buffers kept for reuse; more than the messages usually in flight. */
const MAX_POOLED = 16;
/** Smallest buffer pooled, in doubles (512 KB): a batch of cv1 takes 70,000. */
const MIN_DOUBLES = 1 << 16;
/**
 * Takes below this many doubles (128 KB) get a buffer of their own size,
 * not pooled: a small batch (a few single-row INSERTs) would otherwise
 * hold 512 KB, and malloc serves such sizes from its heap anyway.
 */
const POOLED_FROM_DOUBLES = MIN_DOUBLES / 4;

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
    let size = MIN_DOUBLES;
    while (size < doubles) size *= 2;
    return new Float64Array(new ArrayBuffer(8 * size), 0, doubles);
  }

  /** A buffer handed back (its views' contents are no longer read). */
  give(buf: ArrayBuffer): void {
    if (this.free.length < MAX_POOLED && buf.byteLength >= 8 * MIN_DOUBLES) this.free.push(buf);
  }

  get size(): number {
    return this.free.length;
  }
}
