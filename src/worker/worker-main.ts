// Worker thread: turns stream batches into partial aggregates for every
// continuous view reading the stream, and sends each combiner the groups of
// its partition over a private channel.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { loadParser } from '../sql/parse-statements.js';
import '../sql/builtins.js';
import { compileContinuousPlan } from '../planner/compile-plan.js';
import { encodePartials, type ViewPartials } from '../engine/partials-codec.js';
import type { EngineView, FromWorker, PartialsMessage, ThreadConfig, ToWorker } from '../engine/messages.js';
import { threadEvalContext } from '../engine/thread-eval-context.js';
import { ERRORS, EXECUTIONS, EXEC_US, INPUT_BYTES, INPUT_ROWS, ThreadStats, countOutput } from '../engine/stats-counters.js';
import { decodeBatch } from './batch-format.js';
import { aggregateBatch, type ViewPlan } from './partial-aggregator.js';

const config = workerData as ThreadConfig;
const port = parentPort!;
await loadParser();

/** Active views by the stream they read. */
let plansByStream = new Map<number, ViewPlan[]>();
let combinerPorts: MessagePort[] = [];
/** Per-view counters, reported with each batch-done. */
const stats = new ThreadStats();

function post(msg: FromWorker): void {
  port.postMessage(msg);
}

function loadViews(views: EngineView[]): void {
  const next = new Map<number, ViewPlan[]>();
  for (const v of views) {
    try {
      const plan = compileContinuousPlan(v.definition, config.io);
      let list = next.get(v.streamOid);
      if (!list) next.set(v.streamOid, (list = []));
      list.push({ viewOid: v.oid, plan });
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
  // A view whose expressions fail on this batch loses the batch (as in PipelineDB);
  // the other views still get it.
  const perCombiner = new Map<number, ViewPartials[]>();
  for (const view of views) {
    const counts = stats.entry(view.viewOid);
    counts[EXECUTIONS]++;
    counts[INPUT_ROWS] += batch.rowCount;
    counts[INPUT_BYTES] += msg.buf.byteLength;
    const started = performance.now();
    try {
      for (const [c, partials] of aggregateBatch([view], batch, batch.width, ctx, config.combiners)) {
        let list = perCombiner.get(c);
        if (!list) perCombiner.set(c, (list = []));
        list.push(...partials);
        for (const vp of partials) countOutput(counts, vp.keys, vp.states);
      }
    } catch (e) {
      counts[ERRORS]++;
      post({ type: 'view-error', viewOid: view.viewOid, message: e instanceof Error ? e.message : String(e) });
    }
    counts[EXEC_US] += (performance.now() - started) * 1000;
  }
  for (const [c, partials] of perCombiner) {
    const buf = encodePartials(partials);
    const m: PartialsMessage = { type: 'partials', batchId: msg.batchId, buf, urgent: msg.urgent };
    combinerPorts[c]!.postMessage(m, [buf]);
    used.push(c);
  }
  post({ type: 'batch-done', batchId: msg.batchId, combiners: used, stats: stats.drain() });
}

port.on('message', (msg: ToWorker) => {
  switch (msg.type) {
    case 'views':
      loadViews(msg.views);
      break;
    case 'combiner-ports':
      combinerPorts = msg.ports;
      break;
    case 'batch':
      processBatch(msg);
      break;
  }
});
post({ type: 'ready' });
