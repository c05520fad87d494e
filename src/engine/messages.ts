// Messages between the main thread, workers and combiners. Row data and
// partial states travel as transferred ArrayBuffers, never as row objects.
import type { MessagePort } from 'node:worker_threads';
import type { ContinuousViewDefinition } from '../planner/continuous-plan.js';
import type { TypeIoContext } from '../types/io-context.js';

/** A continuous view as the threads need it. */
export interface EngineView {
  oid: number;
  streamOid: number;
  definition: ContinuousViewDefinition;
}

export interface ThreadConfig {
  role: 'worker' | 'combiner';
  index: number;
  dataDir: string;
  combiners: number;
  commitIntervalMs: number;
  io: TypeIoContext;
}

export type ToWorker =
  | { type: 'views'; views: EngineView[] }
  | { type: 'combiner-ports'; ports: MessagePort[] }
  /** `urgent`: a writer waits for the batch's commit (sync_commit). */
  | { type: 'batch'; buf: ArrayBuffer; batchId: number; streamOid: number; targets: number[] | null; urgent: boolean };

export type FromWorker =
  | { type: 'ready' }
  /** `stats`: the worker's counters since its last report (stats-counters.ts), or null. */
  | { type: 'batch-done'; batchId: number; combiners: number[]; stats: Float64Array | null }
  | { type: 'view-error'; viewOid: number; message: string };

export type ToCombiner =
  | { type: 'views'; views: EngineView[] }
  | { type: 'worker-port'; port: MessagePort }
  | { type: 'forget'; viewOid: number; requestId: number }
  | { type: 'flush'; requestId: number }
  | { type: 'stop' };

/** Sent by a worker to a combiner over their private channel. */
export interface PartialsMessage {
  type: 'partials';
  batchId: number;
  buf: ArrayBuffer;
  /** A writer waits for the commit: commit as soon as the queued input is merged. */
  urgent: boolean;
}

export type FromCombiner =
  | { type: 'ready' }
  /** `stats` (here and on 'error'): the combiner's counters since its last report, or null. */
  | { type: 'committed'; combiner: number; batchIds: number[]; stats: Float64Array | null }
  | { type: 'done'; requestId: number }
  | { type: 'error'; message: string; stats: Float64Array | null };
