// The combiner's handle on its storage writer thread (commit-writer-main.ts):
// hands it a commit's slices as they are packed (their buffers are
// transferred, not copied) and calls back once they are stored. One commit is written at a
// time. settle() waits for the commit being written, for the few steps that
// must see storage as the combiner left it (TRUNCATE, a view change, a
// group reloaded after a failed merge, a full cache, drain, stop).
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

const WRITER_URL = new URL('./commit-writer-main.js', import.meta.url);

/** The writer's young generation: it makes a few objects per slice, none per group. */
const WRITER_YOUNG_GENERATION_MB = 16;

/** settle() looks this often whether the writer thread has ended (it sets ENDED on its way out). */
const SETTLE_CHECK_MS = 1000;

/** Indexes of CommitWriterData.done. */
export const ANSWERED = 0;
export const ENDED = 1;

export interface CommitWriterData {
  dataDir: string;
  /** [ANSWERED]: the sequence number of the last commit answered; [ENDED]: 1 once the writer thread ends. */
  done: Int32Array;
}

/** One slice of commit `seq`, or (no slice) the end of that commit. */
export interface WriteMessage {
  seq: number;
  slice: Uint8Array | null;
  /** Groups in the slice. */
  groups: number;
}

export interface WriteResult {
  seq: number;
  /** Slices stored, from the first. */
  stored: number;
  /** Why the next slice was not stored (null: every slice was). */
  error: string | null;
  /** The slices not stored, given back. */
  unstored: Uint8Array[];
  /** Why a fold of the delta log failed since the last answer (null: none did). */
  foldError: string | null;
}

export class CommitWriter {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly done = new Int32Array(new SharedArrayBuffer(8));
  private closing = false;
  private seq = 0;
  private onStored: ((r: WriteResult) => void) | null = null;

  /** `onEnded`: the writer thread ended before close() (by default, thrown: the combiner ends too). */
  constructor(
    dataDir: string,
    onEnded: (e: Error) => void = (e) => {
      throw e;
    },
  ) {
    const { port1, port2 } = new MessageChannel();
    const data: CommitWriterData & { port: MessagePort } = { dataDir, done: this.done, port: port2 };
    this.worker = new Worker(WRITER_URL, {
      workerData: data,
      transferList: [port2],
      resourceLimits: { maxYoungGenerationSizeMb: WRITER_YOUNG_GENERATION_MB },
    });
    // The writer answers every commit; a writer that ends anyway takes its combiner down with
    // it, so the engine fails the writers waiting on the combiner instead of leaving them hanging.
    this.worker.on('error', onEnded);
    this.worker.on('exit', (code) => {
      if (!this.closing) onEnded(new Error(`the commit writer thread exited (code ${code})`));
    });
    this.port = port1;
    this.port.on('message', (r: WriteResult) => this.answered(r));
  }

  /** A commit is being written. */
  get busy(): boolean {
    return this.onStored !== null;
  }

  /** Starts a commit: its slices follow (send), then end(); `onStored` is called from the event loop, or from settle(). */
  begin(onStored: (r: WriteResult) => void): void {
    if (this.onStored) throw new Error('a commit is already being written');
    this.onStored = onStored;
    this.seq++;
  }

  /** The commit's next slice (of `groups` groups): the writer stores it at once. */
  send(slice: Uint8Array, groups: number): void {
    const m: WriteMessage = { seq: this.seq, slice, groups };
    this.port.postMessage(m, [slice.buffer as ArrayBuffer]);
  }

  /** The commit has no more slices: the writer answers once it stored them. */
  end(): void {
    const m: WriteMessage = { seq: this.seq, slice: null, groups: 0 };
    this.port.postMessage(m);
  }

  /**
   * Takes the writer's answer if it has been posted, without waiting. A
   * combiner merging queued partials back to back got to the answer's
   * message event seconds after the writer sent it (a bulk load's next
   * commit, and its writers' acknowledgements, waited all that time).
   */
  poll(): void {
    if (!this.onStored || Atomics.load(this.done, ANSWERED) !== this.seq) return;
    // The answer was posted before the counter moved: it is on the port.
    const m = receiveMessageOnPort(this.port);
    if (m) this.answered(m.message as WriteResult);
  }

  /** Waits until the commit being written (if any) is stored, and calls its callback before returning. */
  settle(): void {
    while (this.onStored) {
      const answered = Atomics.load(this.done, ANSWERED);
      if (answered === this.seq) {
        this.poll();
        continue;
      }
      if (Atomics.load(this.done, ENDED) === 1) throw new Error('the commit writer thread ended without answering');
      Atomics.wait(this.done, ANSWERED, answered, SETTLE_CHECK_MS);
    }
  }

  /** Waits for the commit being written, then ends the thread. */
  async close(): Promise<void> {
    this.settle();
    this.closing = true;
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.port.postMessage('close');
    await exited;
    this.port.close();
  }

  private answered(r: WriteResult): void {
    const onStored = this.onStored;
    if (r.seq !== this.seq || !onStored) return;
    this.onStored = null;
    onStored(r);
  }
}
