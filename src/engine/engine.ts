// The continuous-query engine as the main thread sees it: it starts
// num_workers worker threads and num_combiners combiner threads, gives every
// worker a private channel to every combiner, hands out stream batches
// round-robin, keeps the threads' view of the catalog current, and tracks
// each batch until it is acknowledged at the writer's stream_insert_level.
import { Worker } from 'node:worker_threads';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { RootDatabase } from 'lmdb';
import { PgError, SQLSTATE } from '../errors.js';
import type { TypeIoContext } from '../types/io-context.js';
import { ViewStateStore, type StoredGroup } from '../storage/view-state-store.js';
import { BatchTracker, type InsertLevel } from './batch-tracker.js';
import { StatsRegistry, batchRowCount } from './stats.js';
import type { Control, ControlMessage, EngineView, FromCombiner, FromWorker, ThreadConfig, ToCombiner, ToWorker } from './messages.js';
import type { ServerLogger } from '../server/log.js';

export interface EngineOptions {
  dataDir: string;
  env: RootDatabase;
  workers: number;
  combiners: number;
  commitIntervalMs: number;
  /** Each combiner's budget for cached groups, in bytes. */
  combinerCacheBytes: number;
  io: TypeIoContext;
  log: ServerLogger;
}

/** A batch ready to be processed: its encoded rows and what the writer asked for. */
export interface BatchToSend {
  buf: ArrayBuffer;
  batchId: number;
  streamOid: number;
  /** stream_targets: only these views, or all (null). */
  targets: number[] | null;
  level: InsertLevel;
  /**
   * Whether a sync_commit batch asks its combiners to commit as soon as its
   * partials are merged (default: yes). A COPY sends all but its last batch
   * without, so they share the commits the schedule makes.
   */
  urgent?: boolean;
  /** Called once a worker has processed the batch (not for `async`): a streaming writer's flow control. */
  onReceived?: () => void;
}

const WORKER_URL = new URL('../worker/worker-main.js', import.meta.url);
const COMBINER_URL = new URL('../combiner/combiner-main.js', import.meta.url);
/**
 * A combiner allocates a short-lived decoded state per partial of a view in
 * object form: a young generation twice V8's default lets scavenges collect them instead of
 * promoting them to the old generation (1 M-row COPY into 632 k groups:
 * combiner heap 381 -> 153-174 MB, 12.5-14.1 -> 12.0-12.2 s until visible).
 */
const COMBINER_LIMITS = { maxYoungGenerationSizeMb: 96 };

export class Engine {
  private readonly workers: Worker[] = [];
  private readonly combiners: Worker[] = [];
  private readonly tracker = new BatchTracker();
  /** Stream and continuous-query statistics (pipelinedb.*_stats); reset on every start. */
  readonly stats = new StatsRegistry();
  private readonly store: ViewStateStore;
  /** Control requests waiting for combiners' acknowledgements. */
  private readonly requests = new Map<number, { waiting: Set<number>; resolve: () => void }>();
  private nextRequest = 1;
  private nextControl = 1;
  private nextWorker = 0;
  private readonly workerAlive: boolean[] = [];
  private readonly combinerAlive: boolean[] = [];
  /** Batches a worker has not reported yet, by batch id: failed if that worker dies. */
  private readonly inFlight = new Map<number, number>();
  private stopping = false;

  private constructor(private readonly opts: EngineOptions) {
    // Before the combiners and writers open the store: they expect blocks.
    const moved = ViewStateStore.upgradeGroupEntries(opts.env);
    if (moved > 0) opts.log.info(`moved ${moved} stored groups into blocks`);
    this.store = new ViewStateStore(opts.env);
    // Commits a crash (or a stop) left in the delta log go into their blocks before any combiner
    // starts: its writer numbers may differ from the last run's.
    try {
      const folded = this.store.fold();
      if (folded > 0) opts.log.info(`folded ${folded} logged groups into their blocks`);
    } catch (e) {
      // Reads lay the log over the blocks all the same; the writers try again.
      opts.log.error({ err: String(e) }, 'could not fold the view-state delta log into its blocks');
    }
  }

  /** Starts the threads and waits until every one of them is ready. */
  static async start(opts: EngineOptions): Promise<Engine> {
    const engine = new Engine(opts);
    await engine.spawn();
    return engine;
  }

  newBatchId(): number {
    return this.tracker.newBatchId();
  }

  /** Hands a batch to the next worker; settles when it reaches the writer's level. */
  send(batch: BatchToSend): Promise<void> {
    if (this.stopping) return Promise.reject(new PgError(SQLSTATE.admin_shutdown, 'the continuous query engine is shutting down'));
    const index = this.nextLiveWorker();
    if (index < 0) return Promise.reject(new PgError(SQLSTATE.internal_error, 'no continuous query worker is running'));
    const done = this.tracker.track(batch.batchId, batch.level, batch.onReceived);
    const worker = this.workers[index]!;
    this.inFlight.set(batch.batchId, index);
    const msg: ToWorker = {
      type: 'batch',
      buf: batch.buf,
      batchId: batch.batchId,
      streamOid: batch.streamOid,
      targets: batch.targets,
      urgent: batch.level === 'sync_commit' && batch.urgent !== false,
    };
    this.stats.streamInput(batch.streamOid, batchRowCount(batch.buf), batch.buf.byteLength);
    worker.postMessage(msg, [batch.buf]);
    return done;
  }

  /** Every continuous view (workers feed the active ones), sent in order with the row data after any catalog change. */
  setViews(views: EngineView[]): void {
    this.control({ kind: 'views', views });
  }

  /** Committed groups of a view, for reads. */
  scan(viewOid: number): Iterable<StoredGroup> {
    this.readLatest();
    return this.store.scan(viewOid);
  }

  /** One committed group's serialized states (undefined: no such group), for point reads. */
  get(viewOid: number, key: Uint8Array): Uint8Array | undefined {
    this.readLatest();
    return this.store.get(viewOid, key);
  }

  /**
   * A combiner has written since reads last took a snapshot. Its message
   * comes after its commit, and a commit is acknowledged to a writer only
   * through that message: a read after it must not use an older snapshot.
   * Anything that ever acknowledges a commit another way must set this too.
   */
  private combinerWrote = true;

  /**
   * Starts a new read snapshot when a combiner has written since the last
   * one. Renewing it for every read cost a point read about a microsecond
   * and a timer (lmdb-js ends its snapshot on a setTimeout); without news
   * from a combiner the snapshot is as new as storage, since the main
   * thread's own writes renew it.
   */
  private readLatest(): void {
    if (!this.combinerWrote) return;
    this.combinerWrote = false;
    this.store.readLatest();
  }

  /**
   * Empties a view (TRUNCATE, DROP): its stored state goes at once (reads right
   * after see it empty); combiners then forget their cached groups and clear
   * their partition again, in case a commit of theirs raced this one.
   */
  clearView(viewOid: number): Promise<void> {
    this.store.clear(viewOid);
    return this.request((requestId) => ({ kind: 'forget', viewOid, requestId }));
  }

  /** Stops the threads; with `flush`, combiners commit first (a clean shutdown). */
  async stop(flush: boolean): Promise<void> {
    this.stopping = true;
    // A clean stop drains in order: every batch handed to a worker is merged and committed first.
    if (flush) await this.request((requestId) => ({ kind: 'drain', requestId }));
    await Promise.all(this.workers.map((w) => w.terminate()));
    if (flush) {
      await Promise.all(
        this.combiners.map((c, i) =>
          !this.combinerAlive[i]
            ? undefined
            : new Promise<void>((resolve) => {
                c.once('exit', () => resolve());
                c.postMessage({ type: 'stop' } satisfies ToCombiner);
              }),
        ),
      );
    } else {
      await Promise.all(this.combiners.map((c) => c.terminate()));
    }
    this.tracker.failAll(new PgError(SQLSTATE.admin_shutdown, 'the continuous query engine was stopped'));
  }

  // --- threads ---------------------------------------------------------------

  private async spawn(): Promise<void> {
    const { workers, combiners } = this.opts;
    const ready: Promise<void>[] = [];
    for (let i = 0; i < combiners; i++) {
      const c = new Worker(COMBINER_URL, { workerData: this.config('combiner', i), resourceLimits: COMBINER_LIMITS });
      ready.push(this.once(c, 'ready'));
      // A thread's pid in the statistics views is its thread id (read now: it is -1 once the thread ends).
      const pid = c.threadId;
      c.on('message', (m: FromCombiner) => this.onCombinerMessage(m, pid, i));
      c.on('exit', () => {
        this.stats.forgetThread(pid);
        this.combinerExited(i);
      });
      c.on('error', (e) => this.threadFailed('combiner', i, e));
      this.combiners.push(c);
      this.combinerAlive.push(true);
    }
    for (let i = 0; i < workers; i++) {
      const w = new Worker(WORKER_URL, { workerData: this.config('worker', i) });
      ready.push(this.once(w, 'ready'));
      const pid = w.threadId;
      w.on('message', (m: FromWorker) => this.onWorkerMessage(m, pid));
      w.on('exit', () => {
        this.stats.forgetThread(pid);
        this.workerExited(i);
      });
      w.on('error', (e) => this.threadFailed('worker', i, e));
      this.workers.push(w);
      this.workerAlive.push(true);
      // A private channel from this worker to each combiner.
      const ports = this.combiners.map((c) => {
        const channel = new MessageChannel();
        c.postMessage({ type: 'worker-port', port: channel.port2 } satisfies ToCombiner, [channel.port2]);
        return channel.port1;
      });
      w.postMessage({ type: 'combiner-ports', ports } satisfies ToWorker, ports);
    }
    await Promise.all(ready);
  }

  private config(role: ThreadConfig['role'], index: number): ThreadConfig {
    return {
      role,
      index,
      dataDir: this.opts.dataDir,
      combiners: this.opts.combiners,
      commitIntervalMs: this.opts.commitIntervalMs,
      combinerCacheBytes: this.opts.combinerCacheBytes,
      io: this.opts.io,
    };
  }

  private once(thread: Worker, type: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: { type: string }) => {
        if (m.type !== type) return;
        thread.off('message', onMessage);
        resolve();
      };
      thread.on('message', onMessage);
      thread.once('error', reject);
    });
  }

  private onWorkerMessage(m: FromWorker, pid: number): void {
    switch (m.type) {
      case 'batch-done':
        // Before the batch is acknowledged, so a writer that waited sees its rows counted.
        if (m.stats) this.stats.applyDelta('worker', pid, m.stats);
        this.inFlight.delete(m.batchId);
        // Partials sent to a combiner that has died will never be committed.
        if (m.combiners.some((c) => !this.combinerAlive[c])) this.tracker.fail(m.batchId, threadGone('combiner'));
        else this.tracker.workerDone(m.batchId, m.combiners);
        break;
      case 'view-error':
        this.opts.log.error({ view_oid: m.viewOid }, m.message);
        break;
    }
  }

  private onCombinerMessage(m: FromCombiner, pid: number, combiner: number): void {
    this.combinerWrote = true;
    switch (m.type) {
      case 'committed':
        if (m.stats) this.stats.applyDelta('combiner', pid, m.stats);
        this.tracker.committed(m.combiner, m.batchIds);
        break;
      case 'done':
        this.requestDone(m.requestId, combiner);
        break;
      case 'view-error':
        this.opts.log.error({ view_oid: m.viewOid }, m.message);
        break;
      case 'error':
        if (m.stats) this.stats.applyDelta('combiner', pid, m.stats);
        this.opts.log.error(m.message);
        break;
    }
  }

  // --- ordered control messages and thread failures ------------------------------

  /** Sends a control message through every live worker, so combiners apply it in order with the partials. */
  private control(c: Control): void {
    const live = this.workers.filter((_, i) => this.workerAlive[i]);
    const msg: ControlMessage = { type: 'control', seq: this.nextControl++, expect: live.length, control: c };
    for (const w of live) w.postMessage(msg satisfies ToWorker);
  }

  /** A control message every live combiner acknowledges; settles when all did (or died). */
  private request(make: (requestId: number) => Control): Promise<void> {
    const requestId = this.nextRequest++;
    const waiting = new Set(this.combiners.map((_, i) => i).filter((i) => this.combinerAlive[i]));
    if (waiting.size === 0 || !this.workerAlive.some(Boolean)) return Promise.resolve();
    return new Promise((resolve) => {
      this.requests.set(requestId, { waiting, resolve });
      this.control(make(requestId));
    });
  }

  private requestDone(requestId: number, combiner: number): void {
    const r = this.requests.get(requestId);
    if (!r) return;
    r.waiting.delete(combiner);
    if (r.waiting.size === 0) {
      this.requests.delete(requestId);
      r.resolve();
    }
  }

  private nextLiveWorker(): number {
    for (let n = 0; n < this.workers.length; n++) {
      const i = this.nextWorker;
      this.nextWorker = (this.nextWorker + 1) % this.workers.length;
      if (this.workerAlive[i]) return i;
    }
    return -1;
  }

  private threadFailed(role: string, index: number, e: Error): void {
    this.opts.log.error({ role, index, err: e.stack ?? e.message }, 'continuous query thread failed');
  }

  /** A worker died: the writers of the batches it had not reported get an error; the others are unaffected. */
  private workerExited(index: number): void {
    this.workerAlive[index] = false;
    if (this.stopping) return;
    for (const [batchId, w] of [...this.inFlight]) {
      if (w !== index) continue;
      this.inFlight.delete(batchId);
      this.tracker.fail(batchId, threadGone('worker'));
    }
  }

  /** A combiner died: writers waiting for its commit get an error; pending requests stop waiting for it. */
  private combinerExited(index: number): void {
    this.combinerAlive[index] = false;
    if (this.stopping) return;
    this.tracker.failWaitingOn(index, threadGone('combiner'));
    for (const id of [...this.requests.keys()]) this.requestDone(id, index);
  }
}

function threadGone(role: string): PgError {
  return new PgError(SQLSTATE.internal_error, `a continuous query ${role} thread failed; the rows were not stored`);
}
