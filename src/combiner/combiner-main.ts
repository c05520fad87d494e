// Combiner thread: merges the partial aggregates of its partition of every
// view's groups into the stored state, and commits the changed groups to
// LMDB at most every commit_interval, then acknowledges the batches the
// commit covered. A commit's groups are serialized here and stored by the
// combiner's writer thread (commit-writer.ts) while merging goes on; one
// commit is written at a time.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import '../sql/builtins.js';
import { compileContinuousPlan } from '../planner/compile-plan.js';
import type { CompiledContinuousPlan } from '../planner/continuous-plan.js';
import { combinerFor, forEachPartialAt, type RecordPartials } from '../engine/partials-codec.js';
import type { ControlMessage, EngineView, FromCombiner, PartialsMessage, ThreadConfig, ToCombiner } from '../engine/messages.js';
import { openEnvironment } from '../storage/lmdb-env.js';
import { ViewStateStore } from '../storage/view-state-store.js';
import { ERRORS, InputCounter, ThreadStats } from '../engine/stats-counters.js';
import { GroupKeyTooLong, GroupMerger, type PreparedCommit } from './group-merger.js';
import { commitDueAt, commitWaits } from './commit-schedule.js';
import { CommitWriter, type WriteResult } from './commit-writer.js';
import { countCommit } from './commit-stats.js';
import { MergeReports } from './merge-reports.js';
import { lowerThreadPriority, THREAD_NICENESS } from '../engine/thread-priority.js';
import { releaseHeapWhenIdle } from '../engine/idle-heap.js';

const config = workerData as ThreadConfig;
const port = parentPort!;
lowerThreadPriority(THREAD_NICENESS.combiner);
releaseHeapWhenIdle();

const env = openEnvironment(config.dataDir);
/** Per-view counters, reported with each committed (or error) message. */
const stats = new ThreadStats();
const inputs = new InputCounter(stats);
const store = new ViewStateStore(env);
const writer = new CommitWriter(config.dataDir);
let plans = new Map<number, CompiledContinuousPlan>();
const merger = new GroupMerger(store, (oid) => plans.get(oid), {
  cacheBudgetBytes: config.combinerCacheBytes,
  owns: (key) => combinerFor(key, config.combiners) === config.index,
});
/** Batches merged since the last commit. */
let uncommitted: number[] = [];
/** A commit was due while the writer was busy: it starts once the writer is done. */
let commitWanted = false;
/** When the last commit started, and how long it took until stored (performance.now() ms). */
let lastCommit = 0;
let lastCommitMs = 0;
/** Groups the last commit stored. */
let lastCommitGroups = 0;
/** When the last partials message was merged. */
let lastPartials = 0;
let commitTimer: NodeJS.Timeout | null = null;
/** What each worker is told of the partials merged (merge-reports.ts), by the worker's port. */
const reportsTo = new Map<MessagePort, MergeReports>();

function post(msg: FromCombiner): void {
  port.postMessage(msg);
}

/** Every existing view, active or not (a deactivated view keeps its state); merged groups are committed first. */
function loadViews(views: EngineView[]): void {
  commitAndSettle();
  const next = new Map<number, CompiledContinuousPlan>();
  for (const v of views) {
    const known = plans.get(v.oid);
    try {
      next.set(v.oid, known && definitions.get(v.oid) === v.definition.query ? known : compileContinuousPlan(v.definition, config.io));
      definitions.set(v.oid, v.definition.query);
    } catch {
      // The worker reports the view's error; without a plan its partials are dropped.
    }
  }
  for (const oid of plans.keys()) {
    if (next.has(oid)) continue;
    merger.forget(oid);
    definitions.delete(oid);
  }
  plans = next;
}

/** Compiles the plans of views this combiner does not know yet; loadViews settles the rest. */
function addNewPlans(views: EngineView[]): void {
  for (const v of views) {
    if (plans.has(v.oid)) continue;
    try {
      plans.set(v.oid, compileContinuousPlan(v.definition, config.io));
      definitions.set(v.oid, v.definition.query);
    } catch {
      // As in loadViews: the worker reports the view's error.
    }
  }
}

/** Definition text of each compiled plan, so unchanged views keep theirs. */
const definitions = new Map<number, string>();

/** Starts a commit of the merged batches, or, while the writer is busy, has one start when it is done. */
function commit(): void {
  if (commitTimer) clearTimeout(commitTimer);
  commitTimer = null;
  if (writer.busy) {
    commitWanted = true;
    return;
  }
  commitWanted = false;
  if (uncommitted.length === 0) return;
  lastCommit = performance.now();
  const batchIds = uncommitted;
  uncommitted = [];
  // Each slice goes to the writer as soon as it is packed, so packing and storing overlap.
  let prepared: PreparedCommit | null = null;
  let sent = false;
  try {
    prepared = merger.prepareCommit((slice) => {
      if (!sent) writer.begin((r) => stored(prepared!, batchIds, r));
      sent = true;
      writer.send(slice.bytes, slice.groups);
    });
  } catch (e) {
    prepared = { slices: [], error: e instanceof Error ? e : new Error(String(e)) };
  } finally {
    if (sent) writer.end();
  }
  if (sent) return;
  if (prepared?.error) {
    // Nothing was handed to the writer; the groups stay changed for the next commit.
    uncommitted = batchIds.concat(uncommitted);
    failed(prepared.error.message);
    return;
  }
  // Their partials changed nothing stored (views dropped meanwhile).
  post({ type: 'committed', combiner: config.index, batchIds, stats: stats.drain() });
}

/** The writer is done with a commit: acknowledge its batches, or keep them for the next one. */
function stored(prepared: PreparedCommit, batchIds: number[], r: WriteResult): void {
  r.unstored.forEach((bytes, i) => (prepared.slices[r.stored + i]!.bytes = bytes));
  merger.finishCommit(prepared, r.stored);
  // The commit is in storage, and finishCommit may have forgotten groups it stored: reads from
  // now on need a snapshot that has them (the writer's commits do not renew this thread's).
  store.readLatest();
  lastCommitMs = performance.now() - lastCommit;
  lastCommitGroups = 0;
  for (const slice of prepared.slices) lastCommitGroups += slice.groups;
  countCommit(stats, prepared.slices, r.stored, lastCommitMs);
  // The commit is stored all the same (in the log, which reads see); the fold is tried again.
  if (r.foldError !== null) post({ type: 'error', message: `could not fold the view-state delta log into its blocks: ${r.foldError}`, stats: stats.drain() });
  const error = r.error ?? prepared.error?.message ?? null;
  if (error !== null) {
    // The failed slice and those after it were not written (earlier slices are, and their
    // groups are clean); the next commit writes the rest, the writers keep waiting.
    uncommitted = batchIds.concat(uncommitted);
    failed(error);
    return;
  }
  post({ type: 'committed', combiner: config.index, batchIds, stats: stats.drain() });
  // Not at once: this may run inside settle(), whose caller (a failed merge) must act before
  // another commit packs what it is about to drop.
  if (commitWanted) setImmediate(commitIfWanted);
}

function commitIfWanted(): void {
  if (commitWanted) commit();
}

/** Waits for the commit being written, with no read snapshot held meanwhile (it would keep LMDB from reusing the pages the commit frees). */
function settleWriter(): void {
  store.readLatest();
  writer.settle();
}

function failed(message: string): void {
  post({ type: 'error', message, stats: stats.drain() });
  if (!commitTimer) commitTimer = setTimeout(commit, Math.max(config.commitIntervalMs, 100));
}

/** Commits what is merged and waits until it is stored (and any commit before it). */
function commitAndSettle(): void {
  settleWriter();
  commit();
  settleWriter();
}

/** When the next commit of a combiner behind its input is due (commit-schedule.ts). */
function commitDue(): number {
  // While a commit is being written its duration is not known yet: the next one is not due
  // (only a writer waiting for it, or a full cache, starts one right after it).
  if (writer.busy) return Infinity;
  return commitDueAt(lastCommit, nextCommitMs(), config.commitIntervalMs);
}

/**
 * How long the next commit should take: the last one's duration, scaled
 * down to the groups changed since (never up). The schedule spaces commits
 * by this, so once a bulk load's long commits are over, a trickle of rows
 * after it is committed every commit_interval again, not only six times
 * the last bulk commit's duration later.
 */
function nextCommitMs(): number {
  if (lastCommitGroups === 0) return lastCommitMs;
  return lastCommitMs * Math.min(1, merger.dirtyCount / lastCommitGroups);
}

/** Partials arriving before the commit is due share one transaction. */
function scheduleCommit(): void {
  if (commitTimer) return;
  commitTimer = setTimeout(onCommitTimer, Math.max(0, lastCommit + config.commitIntervalMs - performance.now()));
}

/** commit_interval has passed: commit, unless one is being written or the schedule says to wait (commitWaits). */
function onCommitTimer(): void {
  commitTimer = null;
  if (writer.busy || commitWaits(performance.now(), lastCommit, nextCommitMs(), lastPartials, config.commitIntervalMs)) {
    commitTimer = setTimeout(onCommitTimer, config.commitIntervalMs);
    return;
  }
  commit();
}

function onPartials(msg: PartialsMessage, from: MessagePort): void {
  try {
    // A fresh read snapshot per batch: lmdb-js would keep this thread's snapshot
    // until a timer runs, which a busy combiner never lets happen, and a held
    // snapshot keeps LMDB from reusing the pages other commits free.
    store.readLatest();
    writer.poll();
    forEachPartialAt(msg.buf, (viewOid, bytes, keyStart, keyEnd, stateStart, stateEnd) => {
      inputs.group(viewOid, keyEnd - keyStart + stateEnd - stateStart);
      try {
        merger.mergeAt(viewOid, bytes, keyStart, keyEnd, stateStart, stateEnd);
      } catch (e) {
        // A merge that fails (a sum overflowing) loses this partial for this group, as PipelineDB
        // drops a failing batch; the group's half-merged state is dropped too and reloads from
        // storage, once the commit being written (which may hold its newer states) is stored.
        // A key too long to store was refused before anything was merged.
        if (!(e instanceof GroupKeyTooLong)) {
          settleWriter();
          merger.discard(viewOid, bytes.subarray(keyStart, keyEnd));
        }
        stats.entry(viewOid)[ERRORS]++;
        post({ type: 'view-error', viewOid, message: e instanceof Error ? e.message : String(e) });
      }
    });
    for (const r of msg.records) mergeRecords(r);
  } finally {
    // Also after a failure: the worker counts what this combiner has not merged.
    const report = reportsTo.get(from)!.merged(msg.bytes, msg.records.map((r) => r.records.buffer));
    if (report) from.postMessage(report, report.buffers);
  }
  inputs.end();
  uncommitted.push(msg.batchId);
  lastPartials = performance.now();
  // Queued batches are merged back to back, with timers seldom run in
  // between: commit when due, or once the changed groups fill the budget.
  if (merger.mustCommit) {
    // The budget is full of changed groups: wait for the writer rather than grow past it.
    settleWriter();
    if (merger.mustCommit) commit();
  } else if (lastPartials >= commitDue()) commit();
  else if (msg.urgent) scheduleUrgentCommit();
  else scheduleCommit();
}

/** A view's partials that came as records (partials-codec.ts), merged as onPartials merges those in bytes. */
function mergeRecords({ viewOid, stride, records }: RecordPartials): void {
  inputs.group(viewOid, 8 * records.length, records.length / stride);
  merger.mergeRecords(viewOid, records, stride, (at, e) => {
    settleWriter();
    merger.discardId(viewOid, records[at]!);
    stats.entry(viewOid)[ERRORS]++;
    post({ type: 'view-error', viewOid, message: e instanceof Error ? e.message : String(e) });
  });
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

/** Copies of each control message received so far, by sequence number. */
const controlCopies = new Map<number, number>();

/** A control message from one worker: applied once every live worker's copy has arrived. */
function onControl(msg: ControlMessage): void {
  const copies = (controlCopies.get(msg.seq) ?? 0) + 1;
  if (copies < msg.expect) {
    controlCopies.set(msg.seq, copies);
    // The worker that sent this copy may send partials of a new view right
    // after it, before the other workers' copies arrive: its plan is needed now.
    if (copies === 1 && msg.control.kind === 'views') addNewPlans(msg.control.views);
    return;
  }
  controlCopies.delete(msg.seq);
  const c = msg.control;
  switch (c.kind) {
    case 'views':
      loadViews(c.views);
      break;
    case 'forget':
      // The main thread already cleared the view; a commit of ours may have raced it,
      // so our partition is cleared again, once that commit is stored and our cache
      // has forgotten the view.
      settleWriter();
      merger.forget(c.viewOid);
      store.clear(c.viewOid, (key) => combinerFor(key, config.combiners) === config.index);
      post({ type: 'done', requestId: c.requestId });
      break;
    case 'drain':
      commitAndSettle();
      post({ type: 'done', requestId: c.requestId });
      break;
  }
}

port.on('message', async (msg: ToCombiner) => {
  switch (msg.type) {
    case 'worker-port':
      reportsTo.set(msg.port, new MergeReports());
      msg.port.on('message', (m: PartialsMessage | ControlMessage) => (m.type === 'partials' ? onPartials(m, msg.port) : onControl(m)));
      break;
    case 'stop':
      commitAndSettle();
      await writer.close();
      await env.close();
      process.exit(0);
  }
});
post({ type: 'ready' });
