// Tracks stream batches until they are acknowledged at the level the writer
// asked for (stream_insert_level):
//   async         acknowledged as soon as the rows are handed to the engine
//   sync_receive  when a worker has processed the batch
//   sync_commit   when every combiner the batch's partials went to has
//                 committed them to storage
// Combiner commits may be reported before the worker's own report arrives;
// both orders are handled.

export type InsertLevel = 'async' | 'sync_receive' | 'sync_commit';

interface Pending {
  level: InsertLevel;
  resolve: () => void;
  reject: (e: Error) => void;
  /** Combiners still to commit; null until the worker has reported. */
  waiting: Set<number> | null;
}

export class BatchTracker {
  private readonly pending = new Map<number, Pending>();
  /** Commits reported before the worker's report, by batch. */
  private readonly earlyCommits = new Map<number, Set<number>>();
  private nextId = 1;

  newBatchId(): number {
    return this.nextId++;
  }

  /** Registers a batch; the promise settles when it reaches `level`. */
  track(batchId: number, level: InsertLevel): Promise<void> {
    if (level === 'async') return Promise.resolve();
    return new Promise((resolve, reject) => this.pending.set(batchId, { level, resolve, reject, waiting: null }));
  }

  /** The worker finished the batch and sent partials to these combiners. */
  workerDone(batchId: number, combiners: readonly number[]): void {
    const p = this.pending.get(batchId);
    const early = this.earlyCommits.get(batchId);
    this.earlyCommits.delete(batchId);
    if (!p) return;
    if (p.level === 'sync_receive') return this.settle(batchId, p);
    const waiting = new Set(combiners);
    if (early) for (const c of early) waiting.delete(c);
    p.waiting = waiting;
    if (waiting.size === 0) this.settle(batchId, p);
  }

  /** A combiner committed the partials of these batches. */
  committed(combiner: number, batchIds: readonly number[]): void {
    for (const id of batchIds) {
      const p = this.pending.get(id);
      if (!p || p.waiting === null) {
        if (p?.level === 'sync_receive') continue;
        let early = this.earlyCommits.get(id);
        if (!early) this.earlyCommits.set(id, (early = new Set()));
        early.add(combiner);
        continue;
      }
      p.waiting.delete(combiner);
      if (p.waiting.size === 0) this.settle(id, p);
    }
  }

  /** Fails every waiting writer (engine stopping or a thread died). */
  failAll(error: Error): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(error);
    }
    this.earlyCommits.clear();
  }

  get size(): number {
    return this.pending.size;
  }

  private settle(id: number, p: Pending): void {
    this.pending.delete(id);
    p.resolve();
  }
}
