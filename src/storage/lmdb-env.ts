// The one LMDB environment of a data directory. The catalog and (later) every
// view's state live in named databases inside it, so one write transaction
// can cover several of them.
import { open, type RootDatabase } from 'lmdb';
import path from 'node:path';

export const LMDB_SUBDIR = 'lmdb';

/** The environment's map: 64 GiB of address space, so a data file up to that size is never mapped again. */
const MAP_BYTES = 64 * 1024 ** 3;

export function openEnvironment(dataDir: string): RootDatabase {
  return open({
    path: path.join(dataDir, LMDB_SUBDIR),
    // A few named databases (catalog, pipeline, view_blocks); views share one.
    maxDbs: 64,
    // transactionSync() commits are fsynced before they return; that is what
    // catalog changes and combiner commits (and sync_commit) rely on.
    noSync: false,
    // Address space only (the file grows with its pages). lmdb-js otherwise
    // starts small and maps the file again each time it outgrows the map,
    // keeping the old maps: the pages read through them stayed in the
    // server's RSS, about twice the file after a bulk load.
    mapSize: MAP_BYTES,
  });
}
