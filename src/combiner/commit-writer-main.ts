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
// after the last fold, or once FOLD_GROUPS groups are appended. A larger slice
// fills its blocks well enough to be written into them at once (the log
// folded first, in the same transaction).
import { workerData, type MessagePort } from 'node:worker_threads';
import { openEnvironment } from '../storage/lmdb-env.js';
import { ViewStateStore } from '../storage/view-state-store.js';
import { ANSWERED, ENDED, type CommitWriterData, type WriteMessage, type WriteResult } from './commit-writer.js';

const { dataDir, port, done } = workerData as CommitWriterData & { port: MessagePort };

/** A slice of at least this many groups goes into the blocks rather than the delta log. */
const DIRECT_GROUPS = 32_768;
/** The delta log is folded after this long, */
const FOLD_MS = 2000;
/** or once this writer appended this many groups since its last fold. */
const FOLD_GROUPS = 131_072;
/** A fold that failed is tried again after this long. */
const FOLD_RETRY_MS = 1000;
// Registered first: a failure to open the environment ends the thread too.
process.on('exit', () => {
  Atomics.store(done, ENDED, 1);
  Atomics.notify(done, ANSWERED);
});

const env = openEnvironment(dataDir);
const store = new ViewStateStore(env);

/** The commit being stored: slices arrive one by one as the combiner packs them. */
let current: WriteResult = { seq: 0, stored: 0, error: null, unstored: [] };

/** Groups this writer appended since its last fold (another thread's fold, at a clear, is not seen: this one then comes early). */
let appended = 0;
let foldTimer: NodeJS.Timeout | null = null;

function fold(): void {
  if (foldTimer) clearTimeout(foldTimer);
  foldTimer = null;
  try {
    store.fold();
    appended = 0;
  } catch {
    // The records stay readable where they are; the fold is tried again.
    foldTimer = setTimeout(fold, FOLD_RETRY_MS);
  }
}

function storeSlice(slice: Uint8Array, groups: number): void {
  if (groups >= DIRECT_GROUPS) {
    store.writePacked(slice);
    appended = 0;
    return;
  }
  store.appendPacked(slice);
  appended += groups;
  foldTimer ??= setTimeout(fold, FOLD_MS);
  // Not in this message's turn: the commit's answer goes first.
  if (appended >= FOLD_GROUPS) setImmediate(fold);
}

port.on('message', (m: WriteMessage | 'close') => {
  if (m === 'close') {
    // A clean stop leaves nothing in the log (a crash's records are folded at the next start).
    fold();
    if (foldTimer) clearTimeout(foldTimer);
    port.close();
    void env.close();
    return;
  }
  if (m.seq !== current.seq) current = { seq: m.seq, stored: 0, error: null, unstored: [] };
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
  port.postMessage(current, current.unstored.map((s) => s.buffer as ArrayBuffer));
  Atomics.store(done, ANSWERED, current.seq);
  Atomics.notify(done, ANSWERED);
});
