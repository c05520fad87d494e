// Test helpers: a stream catalog on a temporary LMDB environment, opened
// before a test file's tests and removed after them.
import { before, after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RootDatabase } from 'lmdb';
import { openEnvironment } from './lmdb-env.js';
import { StreamCatalog } from './stream-catalog.js';
import { StreamCatalogTransaction } from './stream-catalog-transaction.js';

export interface TemporaryCatalog {
  /** Valid inside the tests (set by the `before` hook). */
  readonly env: RootDatabase;
  readonly catalog: StreamCatalog;
  /** Another handle on the same environment (what a restarted server or another thread opens). */
  reopen(): StreamCatalog;
  /** A new session transaction, begun. */
  started(): StreamCatalogTransaction;
}

/** Registers the hooks; OIDs are handed out from `firstOid` on. */
export function temporaryCatalog(prefix: string, firstOid: number): TemporaryCatalog {
  let dir = '';
  let nextOid = firstOid;
  const fixture = {
    env: undefined as unknown as RootDatabase,
    catalog: undefined as unknown as StreamCatalog,
    reopen: () => new StreamCatalog(fixture.env, () => nextOid++),
    started(): StreamCatalogTransaction {
      const tx = new StreamCatalogTransaction(fixture.catalog);
      tx.begin();
      return tx;
    },
  };
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), prefix));
    fixture.env = openEnvironment(dir);
    fixture.catalog = fixture.reopen();
  });
  after(async () => {
    await fixture.env.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return fixture;
}

/** Runs `fn` on an LMDB environment in a new temporary directory, closed and removed afterwards, also when `fn` fails. */
export async function withTemporaryEnv(prefix: string, fn: (env: RootDatabase) => void | Promise<void>): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const env = openEnvironment(dir);
  try {
    await fn(env);
  } finally {
    await env.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
