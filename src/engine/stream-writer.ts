// Writes rows into a stream. A statement's rows are first packed into binary
// batches of at most pipelinedb.batch_size rows and only then handed to the
// engine, so an INSERT ... VALUES that fails writes nothing (an INSERT ...
// SELECT made row by row sends batch by batch: insert-statement.ts). A COPY (StreamedBatches)
// sends each batch as soon as it is full, as PipelineDB sends each full
// microbatch: its parsing overlaps the workers' and combiners' work, and a
// COPY failing on row 900,000 leaves the full batches before it sent (a
// stream is not a table). With stream_insert_level = async the rows of many
// statements share batches, flushed at batch_size rows or after max_wait ms:
// the writer does not wait, and the engine sees fewer, fuller batches.
// Rows of a stream that no active view reads are discarded, as in PipelineDB.
import { PgError, SQLSTATE } from '../errors.js';
import { splitIdentifierList } from '../config/identifiers.js';
import type { StreamEntry } from '../storage/stream-catalog.js';
import { BatchBuilder, currentTimestampMicros } from '../worker/batch-format.js';
import type { InsertLevel } from './batch-tracker.js';
import type { Engine } from './engine.js';
import { appendRows, type StatementRows } from './statement-rows.js';
import type { PipelineRuntime } from './pipeline-runtime.js';

export interface WriteOptions {
  level: InsertLevel;
  /** stream_targets: view OIDs the rows go to (null: every view reading the stream). */
  targets: number[] | null;
  batchSize: number;
  maxWaitMs: number;
}

export interface EncodedBatch {
  buf: ArrayBuffer;
  batchId: number;
}

/** Packs one statement's rows into finished batches. */
export class StatementBatches {
  private readonly builder: BatchBuilder;
  private readonly arrival = currentTimestampMicros();
  readonly batches: EncodedBatch[] = [];

  constructor(private readonly engine: Engine, private readonly stream: StreamEntry, private readonly batchSize: number) {
    this.builder = new BatchBuilder(stream.columns.map((c) => c.typeOid), Math.min(batchSize, 1024));
  }

  add(row: readonly unknown[]): void {
    this.builder.addRow(row as unknown[]);
    if (this.builder.rowCount >= this.batchSize) this.seal();
  }

  addRows(rows: StatementRows): void {
    for (let r = 0; r < rows.length; ) {
      r = appendRows(this.builder, rows, r, rows.length, this.batchSize);
      if (this.builder.rowCount >= this.batchSize) this.seal();
    }
  }

  /** The batches, the last one sealed too. */
  finish(): EncodedBatch[] {
    if (this.builder.rowCount > 0) this.seal();
    return this.batches;
  }

  private seal(): void {
    const batchId = this.engine.newBatchId();
    this.batches.push({ buf: this.builder.finish(batchId, this.stream.oid, this.arrival), batchId });
  }
}

/**
 * Statements of at most this many rows share a batch with the other small
 * statements of the same event-loop turn (see SharedSyncBatch).
 */
export const SHARED_BATCH_MAX_STATEMENT_ROWS = 64;

/**
 * Writes one statement's rows (all converted already) and waits as the level
 * says. A few rows under a synchronous level, a pgbench INSERT's case, get
 * the shared batch's own promise: each async wrapper a statement passes
 * through costs the main thread a promise and a suspended frame (without
 * this one and writeRows's, pgbench at 64 clients won six of seven
 * alternating pairs, by 2 to 4 % on average).
 */
export function writeToStream(runtime: PipelineRuntime, stream: StreamEntry, rows: StatementRows, opts: WriteOptions): Promise<void> {
  if (rows.length > 0 && rows.length <= SHARED_BATCH_MAX_STATEMENT_ROWS && opts.level !== 'async' && reachesViews(runtime, stream, opts)) {
    return runtime.sharedSyncBatch(stream, opts.targets, opts.level, opts.batchSize).add(rows);
  }
  return writeStatementRows(runtime, stream, rows, opts);
}

/** writeToStream's other cases: no rows or no reader, `async`, or more rows than a shared batch takes (a batch of their own). */
async function writeStatementRows(runtime: PipelineRuntime, stream: StreamEntry, rows: StatementRows, opts: WriteOptions): Promise<void> {
  if (rows.length === 0 || !reachesViews(runtime, stream, opts)) return;
  if (opts.level === 'async') {
    runtime.asyncBuffer(stream, opts.targets, opts.batchSize, opts.maxWaitMs).add(rows);
    return;
  }
  const batches = new StatementBatches(runtime.engine, stream, opts.batchSize);
  batches.addRows(rows);
  await sendBatches(runtime.engine, stream, batches.finish(), opts);
}

/**
 * Batches of a COPY sent while its rows are still arriving: each full batch
 * is handed to the engine when the next row comes (so the last can go as
 * the urgent one under sync_commit), no more than FLOW_WINDOW of them wait for a
 * worker (add() callers await flow()), and finish() waits for every batch
 * at the writer's level. Batches under `async` are tracked until a worker
 * has them, the flow control only.
 */
export class StreamedBatches {
  /** Packs the rows; its full batches wait in it until the next row arrives. */
  private readonly packed: StatementBatches;
  /** Per batch sent and not yet known to be with a worker: settles once it is (or fails). */
  private readonly onTheirWay: Promise<void>[] = [];
  /** Per batch sent, unless under `async`: settles at the writer's level. */
  private readonly acknowledged: Promise<void>[] = [];
  /** The first batch that failed (engine stopping, a thread gone): the COPY fails with it. */
  private failure: unknown = null;

  constructor(private readonly engine: Engine, private readonly stream: StreamEntry, private readonly opts: Pick<WriteOptions, 'level' | 'targets' | 'batchSize'>) {
    this.packed = new StatementBatches(engine, stream, opts.batchSize);
  }

  add(row: readonly unknown[]): void {
    // A full batch goes when the next row arrives (as PipelineDB sends a full microbatch on
    // the row that does not fit), or at finish(), as the last one.
    const full = this.packed.batches;
    if (full.length > 0) {
      for (const b of full) this.send(b, false);
      full.length = 0;
    }
    this.packed.add(row);
  }

  /** Waits while more than FLOW_WINDOW batches are on their way to a worker. */
  async flow(): Promise<void> {
    while (this.onTheirWay.length > FLOW_WINDOW) await this.onTheirWay.shift();
    if (this.failure !== null) throw this.failure;
  }

  /** Sends what is left (the last batch urgent) and waits for every batch at the writer's level. */
  async finish(): Promise<void> {
    // The full batch not sent yet and the last one, both urgent: with several workers either may be merged last.
    for (const b of this.packed.finish()) this.send(b, true);
    await Promise.all(this.acknowledged);
    if (this.failure !== null) throw this.failure;
  }

  private send(batch: EncodedBatch, urgent: boolean): void {
    let received!: () => void;
    const withWorker = new Promise<void>((resolve) => (received = resolve));
    const level: InsertLevel = this.opts.level === 'async' ? 'sync_receive' : this.opts.level;
    const acknowledged = this.engine.send({ buf: batch.buf, batchId: batch.batchId, streamOid: this.stream.oid, targets: this.opts.targets, level, urgent, onReceived: received });
    // Noted here (so no rejection goes unhandled, also after the COPY failed on its own) and thrown by flow() or finish().
    acknowledged.catch((e: unknown) => (this.failure ??= e));
    if (this.opts.level !== 'async') this.acknowledged.push(acknowledged);
    this.onTheirWay.push(Promise.race([withWorker, acknowledged]).catch(() => {}));
  }
}

/** Batches of one COPY that may wait for a worker at once: enough to keep one busy while the next is parsed. */
const FLOW_WINDOW = 4;

/** Hands finished batches to the engine; settles when all reached the writer's level. */
export async function sendBatches(engine: Engine, stream: StreamEntry, batches: readonly EncodedBatch[], opts: Pick<WriteOptions, 'level' | 'targets'>): Promise<void> {
  await Promise.all(batches.map((b) => engine.send({ buf: b.buf, batchId: b.batchId, streamOid: stream.oid, targets: opts.targets, level: opts.level })));
}

/** Whether rows for the stream go anywhere (an active reader among the targets). */
export function reachesViews(runtime: PipelineRuntime, stream: StreamEntry, opts: Pick<WriteOptions, 'targets'>): boolean {
  if (!runtime.hasReaders(stream.oid)) return false;
  return opts.targets === null || opts.targets.length > 0;
}

/** A batch filled by the rows of several statements to one stream (and one stream_targets list). */
abstract class SharedStreamBatch {
  protected readonly builder: BatchBuilder;

  constructor(
    protected readonly engine: Engine,
    protected readonly stream: StreamEntry,
    protected readonly targets: number[] | null,
    protected readonly batchSize: number,
  ) {
    this.builder = new BatchBuilder(stream.columns.map((c) => c.typeOid), Math.min(batchSize, 1024));
  }

  /** Seals the rows added so far into a batch and hands it to the engine. */
  protected send(level: InsertLevel): Promise<void> {
    const batchId = this.engine.newBatchId();
    const buf = this.builder.finish(batchId, this.stream.oid, currentTimestampMicros());
    return this.engine.send({ buf, batchId, streamOid: this.stream.oid, targets: this.targets, level });
  }
}

/**
 * Rows of async writers to one stream (and one stream_targets list), batched
 * across statements: sent at batch_size rows or max_wait ms after the first.
 */
export class AsyncStreamBuffer extends SharedStreamBatch {
  private timer: NodeJS.Timeout | null = null;

  constructor(engine: Engine, stream: StreamEntry, targets: number[] | null, batchSize: number, private readonly maxWaitMs: number) {
    super(engine, stream, targets, batchSize);
  }

  add(rows: StatementRows): void {
    for (let r = 0; r < rows.length; ) {
      r = appendRows(this.builder, rows, r, rows.length, this.batchSize);
      if (this.builder.rowCount >= this.batchSize) this.flush();
    }
    if (this.builder.rowCount > 0 && this.timer === null) this.timer = setTimeout(() => this.flush(), this.maxWaitMs);
  }

  /** Sends what is buffered (timer, full batch, catalog change, shutdown). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.builder.rowCount === 0) return;
    // Nobody waits for an async batch; a failure (engine stopping) has no writer to tell.
    this.send('async').catch(() => {});
  }
}

/**
 * Small statements of sync_receive / sync_commit writers to one stream (one
 * stream_targets list and level) that arrive in the same event-loop turn:
 * their rows go out as one batch when the turn ends (setImmediate), and each
 * statement returns when that batch reaches its level. Many concurrent
 * single-row INSERTs then cost one message to a worker, not one each, with
 * the same guarantee per statement. A statement's rows are all converted
 * before they are added, so a failing statement still writes nothing.
 */
export class SharedSyncBatch extends SharedStreamBatch {
  private waiting: { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } | null = null;

  constructor(engine: Engine, stream: StreamEntry, targets: number[] | null, private readonly level: InsertLevel, batchSize: number) {
    super(engine, stream, targets, batchSize);
  }

  add(rows: StatementRows): Promise<void> {
    if (this.builder.rowCount + rows.length > this.batchSize) this.flush();
    appendRows(this.builder, rows, 0, rows.length, Infinity);
    if (this.waiting === null) {
      let resolve!: () => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.waiting = { promise, resolve, reject };
      setImmediate(() => this.flush());
    }
    return this.waiting.promise;
  }

  /** Sends the rows added so far; their statements settle with that batch. */
  flush(): void {
    const waiting = this.waiting;
    if (waiting === null || this.builder.rowCount === 0) return;
    this.waiting = null;
    this.send(this.level).then(waiting.resolve, waiting.reject);
  }
}

/**
 * stream_targets: a list of continuous view names of the current database,
 * read as identifiers (unquoted names fold to lower case, quoted ones keep theirs).
 */
export function resolveStreamTargets(setting: string, lookup: (name: string) => number | undefined): number[] | null {
  const names = splitIdentifierList(setting);
  if (names === null) throw new PgError(SQLSTATE.invalid_parameter_value, `invalid list syntax in parameter "stream_targets"`);
  if (names.length === 0) return null;
  return names.map((name) => {
    const oid = lookup(name);
    // PipelineDB raises this as an internal error (no specific SQLSTATE).
    if (oid === undefined) throw new PgError(SQLSTATE.internal_error, `continuous view "${name}" does not exist`);
    return oid;
  });
}
