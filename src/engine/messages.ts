// Messages between the main thread, workers and combiners. Row data and
// partial states travel as transferred ArrayBuffers, never as row objects.
import type { MessagePort } from 'node:worker_threads';
import type { ContinuousViewDefinition } from '../planner/continuous-plan.js';
import type { TypeIoContext } from '../types/io-context.js';
import type { RecordPartials } from './partials-codec.js';

/** A continuous view as the threads need it. */
export interface EngineView {
  oid: number;
  streamOid: number;
  definition: ContinuousViewDefinition;
  /** Workers feed only active views; combiners keep every view's state. */
  active: boolean;
}

/**
 * Changes the threads must apply in order with the row data: sent by the
 * main thread to every worker, forwarded by each worker to every combiner on
 * the channel its partials use, applied by a combiner once every worker's
 * copy has arrived (so all partials sent before it are merged first).
 */
export type Control =
  | { kind: 'views'; views: EngineView[] }
  /** TRUNCATE / DROP: forget the view's groups (and clear this combiner's partition). */
  | { kind: 'forget'; viewOid: number; requestId: number }
  /** Clean shutdown: commit everything received. */
  | { kind: 'drain'; requestId: number };

export interface ControlMessage {
  type: 'control';
  seq: number;
  /** How many workers forward this control (the live ones when it was sent). */
  expect: number;
  control: Control;
}

export interface ThreadConfig {
  role: 'worker' | 'combiner';
  index: number;
  dataDir: string;
  combiners: number;
  commitIntervalMs: number;
  /** pipelinedb.combiner_work_mem in bytes: each combiner's budget for cached groups. */
  combinerCacheBytes: number;
  io: TypeIoContext;
}

export type ToWorker =
  | ControlMessage
  | { type: 'combiner-ports'; ports: MessagePort[] }
  /** `urgent`: a writer waits for the batch's commit (sync_commit): commit once it is merged (a COPY's earlier batches are not). */
  | { type: 'batch'; buf: ArrayBuffer; batchId: number; streamOid: number; targets: number[] | null; urgent: boolean };

export type FromWorker =
  | { type: 'ready' }
  /** `stats`: the worker's counters since its last report (stats-counters.ts), or null. */
  | { type: 'batch-done'; batchId: number; combiners: number[]; stats: Float64Array | null }
  | { type: 'view-error'; viewOid: number; message: string };

export type ToCombiner =
  | { type: 'worker-port'; port: MessagePort }
  | { type: 'stop' };

/** Sent by a worker to a combiner over their private channel. */
export interface PartialsMessage {
  type: 'partials';
  batchId: number;
  /** The groups in bytes (partials-codec.ts). */
  buf: ArrayBuffer;
  /** The views whose groups came as records; their buffers are transferred too. */
  records: RecordPartials[];
  /** A writer waits for the commit: commit as soon as the queued input is merged. */
  urgent: boolean;
  /** The message's size as the worker counts it (worker/input-gate.ts), reported back once merged. */
  bytes: number;
}

/**
 * Sent by a combiner back to a worker for the partials messages it merged
 * (combiner/merge-reports.ts: small ones together): their size (the worker
 * holds its input while too much is not merged, worker/input-gate.ts) and
 * the records' buffers worth reusing (record-buffers.ts).
 */
export interface PartialsMerged {
  type: 'merged';
  bytes: number;
  buffers: ArrayBuffer[];
}

export type FromCombiner =
  | { type: 'ready' }
  /** `stats` (here and on 'error'): the combiner's counters since its last report, or null. */
  | { type: 'committed'; combiner: number; batchIds: number[]; stats: Float64Array | null }
  | { type: 'done'; requestId: number }
  | { type: 'view-error'; viewOid: number; message: string }
  | { type: 'error'; message: string; stats: Float64Array | null };
