// The one LMDB environment of a data directory. The catalog and (later) every
// view's state live in named databases inside it, so one write transaction
// can cover several of them.
import { open, type RootDatabase } from 'lmdb';
import path from 'node:path';

export const LMDB_SUBDIR = 'lmdb';

export function openEnvironment(dataDir: string): RootDatabase {
  return open({
    path: path.join(dataDir, LMDB_SUBDIR),
    // A few named databases (catalog, pipeline, view_state); views share one.
    maxDbs: 64,
    // transactionSync() commits are fsynced before they return; that is what
    // catalog changes and combiner commits (and sync_commit) rely on.
    noSync: false,
  });
}
