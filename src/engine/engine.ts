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
import type { EngineView, FromCombiner, FromWorker, ThreadConfig, ToCombiner, ToWorker } from './messages.js';
import type { ServerLogger } from '../server/log.js';

export interface EngineOptions {
  dataDir: string;
  env: RootDatabase;
  workers: number;
  combiners: number;
  commitIntervalMs: number;
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
}

const WORKER_URL = new URL('../worker/worker-main.js', import.meta.url);
const COMBINER_URL = new URL('../combiner/combiner-main.js', import.meta.url);

export class Engine {
  private readonly workers: Worker[] = [];
  private readonly combiners: Worker[] = [];
  private readonly tracker = new BatchTracker();
  /** Stream and continuous-query statistics (pipelinedb.*_stats); reset on every start. */
  readonly stats = new StatsRegistry();
  private readonly store: ViewStateStore;
  private readonly requests = new Map<number, { remaining: number; resolve: () => void }>();
  private nextRequest = 1;
  private nextWorker = 0;
  private stopping = false;

  private constructor(private readonly opts: EngineOptions) {
    this.store = new ViewStateStore(opts.env);
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
    const done = this.tracker.track(batch.batchId, batch.level);
    const worker = this.workers[this.nextWorker]!;
    this.nextWorker = (this.nextWorker + 1) % this.workers.length;
    const msg: ToWorker = {
      type: 'batch',
      buf: batch.buf,
      batchId: batch.batchId,
      streamOid: batch.streamOid,
      targets: batch.targets,
      urgent: batch.level === 'sync_commit',
    };
    this.stats.streamInput(batch.streamOid, batchRowCount(batch.buf), batch.buf.byteLength);
    worker.postMessage(msg, [batch.buf]);
    return done;
  }

  /** The active continuous views, sent to every thread (after any catalog change). */
  setViews(views: EngineView[]): void {
    for (const w of this.workers) w.postMessage({ type: 'views', views } satisfies ToWorker);
    for (const c of this.combiners) c.postMessage({ type: 'views', views } satisfies ToCombiner);
  }

  /** Committed groups of a view, for reads. */
  scan(viewOid: number): Iterable<StoredGroup> {
    return this.store.scan(viewOid);
  }

  /** One committed group's serialized states (undefined: no such group), for point reads. */
  get(viewOid: number, key: Uint8Array): Uint8Array | undefined {
    return this.store.get(viewOid, key);
  }

  /**
   * Empties a view (TRUNCATE, DROP): its stored state goes at once (reads right
   * after see it empty); combiners then forget their cached groups and clear
   * their partition again, in case a commit of theirs raced this one.
   */
  clearView(viewOid: number): Promise<void> {
    this.store.clear(viewOid);
    return this.allCombiners((requestId) => ({ type: 'forget', viewOid, requestId }));
  }

  /** Makes every combiner commit what it has merged so far. */
  async flush(): Promise<void> {
    await this.allCombiners((requestId) => ({ type: 'flush', requestId }));
  }

  /** Stops the threads; with `flush`, combiners commit first (a clean shutdown). */
  async stop(flush: boolean): Promise<void> {
    this.stopping = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
    if (flush) {
      await Promise.all(
        this.combiners.map(
          (c) =>
            new Promise<void>((resolve) => {
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
      const c = new Worker(COMBINER_URL, { workerData: this.config('combiner', i) });
      ready.push(this.once(c, 'ready'));
      // A thread's pid in the statistics views is its thread id (read now: it is -1 once the thread ends).
      const pid = c.threadId;
      c.on('message', (m: FromCombiner) => this.onCombinerMessage(m, pid));
      c.on('exit', () => this.stats.forgetThread(pid));
      c.on('error', (e) => this.threadFailed('combiner', i, e));
      this.combiners.push(c);
    }
    for (let i = 0; i < workers; i++) {
      const w = new Worker(WORKER_URL, { workerData: this.config('worker', i) });
      ready.push(this.once(w, 'ready'));
      const pid = w.threadId;
      w.on('message', (m: FromWorker) => this.onWorkerMessage(m, pid));
      w.on('exit', () => this.stats.forgetThread(pid));
      w.on('error', (e) => this.threadFailed('worker', i, e));
      this.workers.push(w);
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
        this.tracker.workerDone(m.batchId, m.combiners);
        break;
      case 'view-error':
        this.opts.log.error({ view_oid: m.viewOid }, m.message);
        break;
    }
  }

  private onCombinerMessage(m: FromCombiner, pid: number): void {
    switch (m.type) {
      case 'committed':
        if (m.stats) this.stats.applyDelta('combiner', pid, m.stats);
        this.tracker.committed(m.combiner, m.batchIds);
        break;
      case 'done': {
        const r = this.requests.get(m.requestId);
        if (r && --r.remaining === 0) {
          this.requests.delete(m.requestId);
          r.resolve();
        }
        break;
      }
      case 'error':
        if (m.stats) this.stats.applyDelta('combiner', pid, m.stats);
        this.opts.log.error(m.message);
        break;
    }
  }

  private allCombiners(make: (requestId: number) => ToCombiner): Promise<void> {
    const requestId = this.nextRequest++;
    return new Promise((resolve) => {
      this.requests.set(requestId, { remaining: this.combiners.length, resolve });
      for (const c of this.combiners) c.postMessage(make(requestId));
    });
  }

  private threadFailed(role: string, index: number, e: Error): void {
    this.opts.log.error({ role, index, err: e.stack ?? e.message }, 'continuous query thread failed');
    this.tracker.failAll(new PgError(SQLSTATE.internal_error, `${role} ${index} failed: ${e.message}`));
  }
}
