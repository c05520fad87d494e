// A worker's hold on its input while a combiner is behind. A worker turns a
// batch into partials faster than a combiner merges them, and nothing else
// bounded what waited in a combiner's port: a 20 M-row COPY left some 300 MB
// of partials queued, growing with the COPY. Each combiner now reports the
// bytes it merged (small messages together: src/combiner/merge-reports.ts),
// and while one has more than a budget of this worker's bytes not yet
// merged (a combiner's backlog is then at most the budget, plus the 1 MB a
// combiner may owe in reports, times the workers) the worker takes no new
// batch. Its input waits in order (control messages behind held batches
// too), the batches' acknowledgements wait with it, and so the main
// thread's flow control holds a COPY or a sync_receive / sync_commit INSERT
// back. Nothing waits for batches under `async`: those queue here, as they
// queued in the combiner's port before.

/** Bytes of one worker's partials a combiner may have not merged yet before that worker holds its input. */
export const MAX_UNMERGED_BYTES = 64 * 1024 * 1024;

export class InputGate<M> {
  /** Bytes sent to each combiner and not reported merged. */
  private readonly unmerged: Float64Array;
  /** Combiners gone (their port closed): they hold nothing back. */
  private readonly gone: Uint8Array;
  private readonly held: M[] = [];

  constructor(
    combiners: number,
    /** Handles one message (a batch sends partials: sent() for each). */
    private readonly handle: (msg: M) => void,
    /** Whether a message is a batch (only batches wait for combiners; other messages wait behind held ones). */
    private readonly isBatch: (msg: M) => boolean,
    private readonly maxUnmergedBytes = MAX_UNMERGED_BYTES,
  ) {
    this.unmerged = new Float64Array(combiners);
    this.gone = new Uint8Array(combiners);
  }

  /** A message from the main thread: handled now, or held in order. */
  receive(msg: M): void {
    if (this.held.length > 0 || (this.isBatch(msg) && this.behind())) this.held.push(msg);
    else this.handle(msg);
  }

  /** Partials of `bytes` were sent to combiner `c`. */
  sent(c: number, bytes: number): void {
    this.unmerged[c]! += bytes;
  }

  /** Combiner `c` merged messages of `bytes` in all. */
  merged(c: number, bytes: number): void {
    this.unmerged[c] = Math.max(0, this.unmerged[c]! - bytes);
    this.release();
  }

  /** Combiner `c` is gone: it holds nothing back any more. */
  closed(c: number): void {
    this.gone[c] = 1;
    this.unmerged[c] = 0;
    this.release();
  }

  /** Messages held now. */
  get holding(): number {
    return this.held.length;
  }

  private behind(): boolean {
    for (let c = 0; c < this.unmerged.length; c++) if (this.gone[c] === 0 && this.unmerged[c]! > this.maxUnmergedBytes) return true;
    return false;
  }

  private release(): void {
    while (this.held.length > 0) {
      if (this.isBatch(this.held[0]!) && this.behind()) return;
      this.handle(this.held.shift()!);
    }
  }
}
