// Combiner thread: merges the partial aggregates of its partition of every
// view's groups into the stored state, and commits the changed groups to
// LMDB at most every commit_interval, then acknowledges the batches the
// commit covered.
import { parentPort, workerData } from 'node:worker_threads';
import { loadParser } from '../sql/parse-statements.js';
import '../sql/builtins.js';
import { compileContinuousPlan } from '../planner/compile-plan.js';
import type { CompiledContinuousPlan } from '../planner/continuous-plan.js';
import { combinerFor, forEachPartial } from '../engine/partials-codec.js';
import type { EngineView, FromCombiner, PartialsMessage, ThreadConfig, ToCombiner } from '../engine/messages.js';
import { openEnvironment } from '../storage/lmdb-env.js';
import { CountingStateStore } from '../engine/stats-counting-store.js';
import { InputCounter, ThreadStats } from '../engine/stats-counters.js';
import { GroupMerger } from './group-merger.js';

const config = workerData as ThreadConfig;
const port = parentPort!;
await loadParser();

const env = openEnvironment(config.dataDir);
/** Per-view counters, reported with each committed (or error) message. */
const stats = new ThreadStats();
const inputs = new InputCounter(stats);
const store = new CountingStateStore(env, stats);
let plans = new Map<number, CompiledContinuousPlan>();
const merger = new GroupMerger(store, (oid) => plans.get(oid));
/** Batches merged since the last commit. */
let uncommitted: number[] = [];
let lastCommit = 0;
let commitTimer: NodeJS.Timeout | null = null;

function post(msg: FromCombiner): void {
  port.postMessage(msg);
}

function loadViews(views: EngineView[]): void {
  const next = new Map<number, CompiledContinuousPlan>();
  for (const v of views) {
    try {
      next.set(v.oid, compileContinuousPlan(v.definition, config.io));
    } catch {
      // The worker reports the view's error; without a plan its partials are dropped.
    }
  }
  for (const oid of plans.keys()) if (!next.has(oid)) merger.forget(oid);
  plans = next;
}

function commit(): void {
  if (commitTimer) clearTimeout(commitTimer);
  commitTimer = null;
  lastCommit = Date.now();
  if (uncommitted.length === 0) return;
  try {
    merger.commit();
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? e.message : String(e), stats: stats.drain() });
    return;
  }
  const batchIds = uncommitted;
  uncommitted = [];
  post({ type: 'committed', combiner: config.index, batchIds, stats: stats.drain() });
}

/** Commits at most every commit_interval: partials arriving in between share one transaction. */
function scheduleCommit(): void {
  if (commitTimer) return;
  const wait = Math.max(0, lastCommit + config.commitIntervalMs - Date.now());
  commitTimer = setTimeout(commit, wait);
}

function onPartials(msg: PartialsMessage): void {
  forEachPartial(msg.buf, (viewOid, key, state) => {
    inputs.group(viewOid, key.byteLength + state.byteLength);
    merger.merge(viewOid, key, state);
  });
  inputs.end();
  uncommitted.push(msg.batchId);
  if (msg.urgent) scheduleUrgentCommit();
  else scheduleCommit();
}

let urgentScheduled = false;

/**
 * A writer waits for this commit (sync_commit): commit once the partials
 * already queued are merged (setImmediate runs after them), so concurrent
 * writers share one commit instead of each waiting out commit_interval.
 */
function scheduleUrgentCommit(): void {
  if (urgentScheduled) return;
  urgentScheduled = true;
  setImmediate(() => {
    urgentScheduled = false;
    commit();
  });
}

port.on('message', async (msg: ToCombiner) => {
  switch (msg.type) {
    case 'views':
      loadViews(msg.views);
      break;
    case 'worker-port':
      msg.port.on('message', onPartials);
      break;
    case 'forget':
      // The main thread already cleared the view; a commit of ours may have raced it,
      // so our partition is cleared again, now that our cache has forgotten the view.
      merger.forget(msg.viewOid);
      store.clear(msg.viewOid, (key) => combinerFor(key, config.combiners) === config.index);
      post({ type: 'done', requestId: msg.requestId });
      break;
    case 'flush':
      commit();
      post({ type: 'done', requestId: msg.requestId });
      break;
    case 'stop':
      commit();
      await env.close();
      process.exit(0);
  }
});
post({ type: 'ready' });
