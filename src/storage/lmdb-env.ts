// The one LMDB environment of a data directory. The catalog and (later) every
// view's state live in named databases inside it, so one write transaction
// can cover several of them.
import { open, type RootDatabase } from 'lmdb';
import path from 'node:path';

export const LMDB_SUBDIR = 'lmdb';

export function openEnvironment(dataDir: string): RootDatabase {
  return open({
    path: path.join(dataDir, LMDB_SUBDIR),
    // One named database per view and table: leave plenty of room.
    maxDbs: 10_000,
    // Catalog writes are rare and must be durable; lmdb-js commits are
    // synchronous to disk unless told otherwise.
    noSync: false,
  });
}
