// Tracks stream batches until they are acknowledged at the level the writer
// asked for (stream_insert_level):
//   async         acknowledged as soon as the rows are handed to the engine
//   sync_receive  when a worker has processed the batch
//   sync_commit   when every combiner the batch's partials went to has
//                 committed them to storage
// Combiner commits may be reported before the worker's own report arrives;
// both orders are handled. Only batches somebody waits for are tracked.

export type InsertLevel = 'async' | 'sync_receive' | 'sync_commit';

interface Pending {
  level: InsertLevel;
  /** Called when the worker reports the batch (before it settles at sync_receive). */
  received: (() => void) | undefined;
  resolve: () => void;
  reject: (e: Error) => void;
  /** Combiners still to commit; null until the worker has reported. */
  waiting: Set<number> | null;
  /** Combiners that committed before the worker reported. */
  early: Set<number> | null;
}

export class BatchTracker {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  newBatchId(): number {
    return this.nextId++;
  }

  /** Registers a batch; the promise settles when it reaches `level`; `received` is called when its worker reports it. */
  track(batchId: number, level: InsertLevel, received?: () => void): Promise<void> {
    if (level === 'async') return Promise.resolve();
    return new Promise((resolve, reject) => this.pending.set(batchId, { level, received, resolve, reject, waiting: null, early: null }));
  }

  /** The worker finished the batch and sent partials to these combiners. */
  workerDone(batchId: number, combiners: readonly number[]): void {
    const p = this.pending.get(batchId);
    if (!p) return;
    p.received?.();
    if (p.level === 'sync_receive') return this.settle(batchId, p);
    const waiting = new Set(combiners);
    if (p.early) for (const c of p.early) waiting.delete(c);
    p.early = null;
    p.waiting = waiting;
    if (waiting.size === 0) this.settle(batchId, p);
  }

  /** A combiner committed the partials of these batches. */
  committed(combiner: number, batchIds: readonly number[]): void {
    for (const id of batchIds) {
      const p = this.pending.get(id);
      // Not tracked: nobody waits (async), or already settled.
      if (!p || p.level !== 'sync_commit') continue;
      if (p.waiting === null) {
        (p.early ??= new Set()).add(combiner);
        continue;
      }
      p.waiting.delete(combiner);
      if (p.waiting.size === 0) this.settle(id, p);
    }
  }

  /** Fails one batch (its worker died before reporting it). */
  fail(batchId: number, error: Error): void {
    const p = this.pending.get(batchId);
    if (!p) return;
    this.pending.delete(batchId);
    p.reject(error);
  }

  /** Fails the batches waiting for this combiner's commit (it died). */
  failWaitingOn(combiner: number, error: Error): void {
    for (const [id, p] of this.pending) {
      if (p.waiting?.has(combiner)) this.fail(id, error);
    }
  }

  /** Fails every waiting writer (engine stopping). */
  failAll(error: Error): void {
    for (const id of [...this.pending.keys()]) this.fail(id, error);
  }

  get size(): number {
    return this.pending.size;
  }

  private settle(id: number, p: Pending): void {
    this.pending.delete(id);
    p.resolve();
  }
}
