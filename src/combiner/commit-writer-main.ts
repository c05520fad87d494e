// A combiner's storage writer thread: stores the slices of each commit the
// combiner prepares (GroupMerger.prepareCommit), in order, one durable LMDB
// transaction each, as they arrive: while the combiner packs the next
// slice, and while it merges on. LMDB's B-tree work, most
// of a bulk load's commit, so runs on another core than the merging.
//
// It answers every job, failed or not, and then bumps the shared counter
// the combiner waits on when it must have the answer at once (settle()).
import { workerData, type MessagePort } from 'node:worker_threads';
import { openEnvironment } from '../storage/lmdb-env.js';
import { ViewStateStore } from '../storage/view-state-store.js';
import { ANSWERED, ENDED, type CommitWriterData, type WriteMessage, type WriteResult } from './commit-writer.js';

const { dataDir, port, done } = workerData as CommitWriterData & { port: MessagePort };
// Registered first: a failure to open the environment ends the thread too.
process.on('exit', () => {
  Atomics.store(done, ENDED, 1);
  Atomics.notify(done, ANSWERED);
});

const env = openEnvironment(dataDir);
const store = new ViewStateStore(env);

/** The commit being stored: slices arrive one by one as the combiner packs them. */
let current: WriteResult = { seq: 0, stored: 0, error: null, unstored: [] };

port.on('message', (m: WriteMessage | 'close') => {
  if (m === 'close') {
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
        store.writePacked(m.slice);
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
