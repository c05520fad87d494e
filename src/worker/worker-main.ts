// Worker thread: turns stream batches into partial aggregates for every
// continuous view reading the stream, and sends each combiner the groups of
// its partition over a private channel.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import '../sql/builtins.js';
import { compileContinuousPlan } from '../planner/compile-plan.js';
import { PartialsWriter } from '../engine/partials-codec.js';
import type { ControlMessage, EngineView, FromWorker, PartialsMerged, PartialsMessage, ThreadConfig, ToWorker } from '../engine/messages.js';
import { InputGate } from './input-gate.js';
import { threadEvalContext } from '../engine/thread-eval-context.js';
import { ERRORS, EXECUTIONS, EXEC_US, INPUT_BYTES, INPUT_ROWS, OUTPUT_BYTES, OUTPUT_ROWS, ThreadStats } from '../engine/stats-counters.js';
import { decodeBatch } from './batch-format.js';
import { aggregateView, type RowSource, type ViewPlan } from './partial-aggregator.js';
import { recordBuffers } from './fixed-aggregator.js';
import { lowerThreadPriority, THREAD_NICENESS } from '../engine/thread-priority.js';
import { releaseHeapWhenIdle } from '../engine/idle-heap.js';

const config = workerData as ThreadConfig;
const port = parentPort!;
lowerThreadPriority(THREAD_NICENESS.worker);
releaseHeapWhenIdle();

/** Active views by the stream they read, with the row width their stream has now. */
let plansByStream = new Map<number, (ViewPlan & { width: number })[]>();
let combinerPorts: MessagePort[] = [];
/** One partials message being built per combiner, reused batch after batch. */
const writers = Array.from({ length: config.combiners }, () => new PartialsWriter());
/** Per-view counters, reported with each batch-done. */
const stats = new ThreadStats();

function post(msg: FromWorker): void {
  port.postMessage(msg);
}

function loadViews(views: EngineView[]): void {
  const next = new Map<number, (ViewPlan & { width: number })[]>();
  for (const v of views) {
    if (!v.active) continue;
    try {
      const plan = compileContinuousPlan(v.definition, config.io);
      let list = next.get(v.streamOid);
      if (!list) next.set(v.streamOid, (list = []));
      list.push({ viewOid: v.oid, plan, width: v.definition.stream.columns.length + 1 });
    } catch (e) {
      post({ type: 'view-error', viewOid: v.oid, message: e instanceof Error ? e.message : String(e) });
    }
  }
  plansByStream = next;
}

function processBatch(msg: Extract<ToWorker, { type: 'batch' }>): void {
  const batch = decodeBatch(msg.buf);
  let views = plansByStream.get(msg.streamOid) ?? [];
  if (msg.targets) views = views.filter((v) => msg.targets!.includes(v.viewOid));
  const ctx = threadEvalContext(config.io);
  const used: number[] = [];
  for (const w of writers) w.reset();
  // A view whose expressions fail on this batch loses the batch (as in PipelineDB);
  // the other views still get it.
  for (const view of views) {
    const counts = stats.entry(view.viewOid);
    counts[EXECUTIONS]++;
    counts[INPUT_ROWS] += batch.rowCount;
    counts[INPUT_BYTES] += msg.buf.byteLength;
    const started = performance.now();
    try {
      const out = aggregateView(view, rowsFor(batch, view.width), view.width, ctx, writers);
      counts[OUTPUT_ROWS] += out.groups;
      counts[OUTPUT_BYTES] += out.bytes;
    } catch (e) {
      counts[ERRORS]++;
      post({ type: 'view-error', viewOid: view.viewOid, message: e instanceof Error ? e.message : String(e) });
    }
    counts[EXEC_US] += (performance.now() - started) * 1000;
  }
  writers.forEach((w, c) => {
    if (w.empty) return;
    const buf = w.finish();
    const records = w.recordPartials();
    let bytes = buf.byteLength;
    for (const r of records) bytes += r.records.byteLength;
    const m: PartialsMessage = { type: 'partials', batchId: msg.batchId, buf, records, urgent: msg.urgent, bytes };
    gate.sent(c, bytes);
    combinerPorts[c]!.postMessage(m, [buf, ...records.map((r) => r.records.buffer)]);
    used.push(c);
  });
  post({ type: 'batch-done', batchId: msg.batchId, combiners: used, stats: stats.drain() });
}

/**
 * A batch written before ALTER STREAM ... ADD COLUMN has fewer columns than
 * the stream now: its rows read as NULL in the new columns, with
 * arrival_timestamp (always last) moved to its new place.
 */
function rowsFor(batch: ReturnType<typeof decodeBatch>, width: number): RowSource {
  if (batch.width === width) return batch;
  if (batch.width > width) throw new Error(`a batch with ${batch.width - 1} columns cannot feed a stream with ${width - 1}`);
  const old = batch.width;
  const tmp: unknown[] = new Array(old);
  return {
    rowCount: batch.rowCount,
    row(i, out) {
      batch.row(i, tmp);
      for (let c = 0; c < old - 1; c++) out[c] = tmp[c];
      for (let c = old - 1; c < width - 1; c++) out[c] = null;
      out[width - 1] = tmp[old - 1];
    },
  };
}

/** Applies a control message, then passes it on to every combiner behind the partials sent before it. */
function onControl(msg: ControlMessage): void {
  if (msg.control.kind === 'views') loadViews(msg.control.views);
  for (const p of combinerPorts) p.postMessage(msg);
}

/** Batches and control messages, held in order while a combiner is behind. */
const gate = new InputGate<Exclude<ToWorker, { type: 'combiner-ports' }>>(
  config.combiners,
  (msg) => (msg.type === 'control' ? onControl(msg) : processBatch(msg)),
  (msg) => msg.type === 'batch',
);

port.on('message', (msg: ToWorker) => {
  if (msg.type !== 'combiner-ports') {
    gate.receive(msg);
    return;
  }
  combinerPorts = msg.ports;
  combinerPorts.forEach((p, c) => {
    // Each combiner reports the bytes it merged, with the records' buffers to reuse.
    p.on('message', (m: PartialsMerged) => {
      for (const b of m.buffers) recordBuffers.give(b);
      gate.merged(c, m.bytes);
    });
    p.once('close', () => gate.closed(c));
  });
});
post({ type: 'ready' });
