// A combiner's storage writer thread: stores the slices of each commit the
// combiner prepares (GroupMerger.prepareCommit), in order, one durable LMDB
// transaction each, as they arrive: while the combiner packs the next
// slice, and while it merges on. LMDB's B-tree work, most
// of a bulk load's commit, so runs on another core than the merging.
//
// It answers every job, failed or not, and then bumps the shared counter
// the combiner waits on when it must have the answer at once (settle()).
//
// A slice of fewer than DIRECT_GROUPS groups is appended to the delta log
// (delta-log.ts), one write however scattered its groups; the log is folded
// into the blocks once FOLD_MS has passed since the first record appended
// after the last fold, or once FOLD_GROUPS groups are appended, one chunk
// of keys per event-loop turn, so commits are stored between chunks. A
// larger slice fills its blocks well enough to be written into them at once,
// when this writer has nothing in the log (else it is appended too). While
// folds fail, every slice is appended (reads stay right, as they read the
// log), the failure is reported with the next commit's answer, and the fold
// is tried again less and less often.
import { workerData, type MessagePort } from 'node:worker_threads';
import { openEnvironment } from '../storage/lmdb-env.js';
import { ViewStateStore, type DeltaFold } from '../storage/view-state-store.js';
import { ANSWERED, ENDED, type CommitWriterData, type WriteMessage, type WriteResult } from './commit-writer.js';
import { releaseHeapWhenIdle } from '../engine/idle-heap.js';

const { dataDir, port, done } = workerData as CommitWriterData & { port: MessagePort };
releaseHeapWhenIdle();

/**
 * A slice of at least this many groups goes into the blocks rather than the
 * delta log: a bulk load's (group-merger.ts cuts a commit in slices of at
 * least MIN_SLICE_GROUPS, save a last one a few groups short). Through the
 * log, a COPY of 5 M rows into 1 M groups took 0.56-0.61 M rows/s end to
 * end and left 165 B of data directory per group; straight into the blocks,
 * 1.34-1.45 M rows/s and 46-59 B.
 */
const DIRECT_GROUPS = 4096;
/** The delta log is folded after this long, */
const FOLD_MS = 2000;
/** or once this writer appended this many groups since its last fold. */
const FOLD_GROUPS = 131_072;
/** A fold that failed is tried again after this long, doubled at each failure up to FOLD_RETRY_MAX_MS. */
const FOLD_RETRY_MS = 1000;
const FOLD_RETRY_MAX_MS = 60_000;
// Registered first: a failure to open the environment ends the thread too.
process.on('exit', () => {
  Atomics.store(done, ENDED, 1);
  Atomics.notify(done, ANSWERED);
});

const env = openEnvironment(dataDir);
const store = new ViewStateStore(env);

/** The commit being stored: slices arrive one by one as the combiner packs them. */
let current: WriteResult = { seq: 0, stored: 0, error: null, unstored: [], foldError: null };

/** Groups this writer appended since its last fold (another writer's fold is not seen: this one then comes early). */
let appended = 0;
let foldTimer: NodeJS.Timeout | null = null;
/** The fold under way, a chunk per turn. */
let folding: DeltaFold | null = null;
/** The last fold failed: how long until the next try, and why (not reported yet: null). */
let foldRetryMs = 0;
let foldError: string | null = null;
/** The environment is closed: no more folds. */
let closed = false;

/** Has a fold start `ms` from now, unless one is due already. */
function foldLater(ms = FOLD_MS): void {
  if (!closed) foldTimer ??= setTimeout(fold, ms);
}

/** Starts a fold; while one is under way, has another start later (for what is appended meanwhile). */
function fold(): void {
  if (foldTimer) clearTimeout(foldTimer);
  foldTimer = null;
  if (closed) return;
  if (folding) {
    foldLater();
    return;
  }
  try {
    folding = store.beginFold();
    if (folding) {
      // What this writer appended so far is in this fold.
      appended = 0;
      setImmediate(foldNext);
      return;
    }
    // Nothing to fold, or another writer's fold is under way: this one's records may outlast it.
    foldRetryMs = 0;
    if (store.hasPendingDeltas()) foldLater();
  } catch (e) {
    foldFailed(e);
  }
}

/** Writes the next chunk of the fold under way. */
function foldNext(): void {
  if (closed || !folding) return;
  try {
    if (!store.foldStep(folding)) {
      setImmediate(foldNext);
      return;
    }
    const gaveUp = folding.gaveUp;
    folding = null;
    foldRetryMs = 0;
    // A clear or another writer's fold came first: records may still wait.
    if (gaveUp) foldLater();
  } catch (e) {
    const failed = folding;
    folding = null;
    try {
      if (failed) store.abandonFold(failed);
    } catch {
      // Its claim ages out instead.
    }
    foldFailed(e);
  }
}

/** The records stay readable where they are; the fold is tried again, later each time. */
function foldFailed(e: unknown): void {
  foldRetryMs = Math.min(FOLD_RETRY_MAX_MS, foldRetryMs === 0 ? FOLD_RETRY_MS : 2 * foldRetryMs);
  foldError = e instanceof Error ? e.message : String(e);
  if (foldTimer) clearTimeout(foldTimer);
  foldTimer = null;
  foldLater(foldRetryMs);
}

function storeSlice(slice: Uint8Array, groups: number): void {
  const failing = foldRetryMs > 0;
  // Straight into the blocks only when this writer has nothing in the log (records of
  // other writers, or of a fold that gave up, are folded first, in the same transaction).
  let directError: unknown = null;
  if (groups >= DIRECT_GROUPS && !failing && !folding && appended === 0) {
    try {
      store.writePacked(slice);
      return;
    } catch (e) {
      directError = e;
    }
  }
  // Throws for a slice no transaction can store (then the commit fails as before).
  store.appendPacked(slice);
  // Stored in the log: what failed was the fold the direct write starts with (or its blocks).
  if (directError !== null) foldFailed(directError);
  appended += groups;
  foldLater();
  // Not in this message's turn: the commit's answer goes first.
  if (appended >= FOLD_GROUPS && !failing && !folding) setImmediate(fold);
}

port.on('message', (m: WriteMessage | 'close') => {
  if (m === 'close') {
    // A clean stop folds the log (what a failure, or a crash, leaves is folded at the next start).
    closed = true;
    if (foldTimer) clearTimeout(foldTimer);
    folding = null;
    try {
      store.fold();
    } catch {
      // Left for the next start.
    }
    port.close();
    void env.close();
    return;
  }
  if (m.seq !== current.seq) current = { seq: m.seq, stored: 0, error: null, unstored: [], foldError: null };
  if (m.slice) {
    // After a failed slice the rest are not stored either: they go back.
    if (current.error !== null) current.unstored.push(m.slice);
    else {
      try {
        storeSlice(m.slice, m.groups);
        current.stored++;
      } catch (e) {
        current.error = e instanceof Error ? e.message : String(e);
        current.unstored.push(m.slice);
      }
    }
    return;
  }
  // The commit's last slice was sent: answer. The slices not stored go back,
  // for the combiner to mark their groups changed again.
  current.foldError = foldError;
  foldError = null;
  port.postMessage(current, current.unstored.map((s) => s.buffer as ArrayBuffer));
  Atomics.store(done, ANSWERED, current.seq);
  Atomics.notify(done, ANSWERED);
});
