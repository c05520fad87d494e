import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openEnvironment } from './lmdb-env.js';
import { StreamCatalog, type ContinuousViewEntry } from './stream-catalog.js';
import { StreamCatalogTransaction } from './stream-catalog-transaction.js';

const NO_OPTIONS = { sw: null, stepFactor: null, ttl: null, ttlColumn: null, fillfactor: null };

async function withCatalog(fn: (make: () => StreamCatalog) => void | Promise<void>): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'stream-catalog-'));
  const env = openEnvironment(dir);
  let oid = 20000;
  try {
    await fn(() => new StreamCatalog(env, () => oid++));
  } finally {
    await env.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `fn` in a transaction of its own and commits it (what an autocommit statement does). */
function committed<T>(catalog: StreamCatalog, fn: (tx: StreamCatalogTransaction) => T): T {
  const tx = new StreamCatalogTransaction(catalog);
  tx.begin();
  const result = fn(tx);
  tx.commit();
  return result;
}

function view(catalog: StreamCatalog, dbOid: number, name: string, streamOid: number): ContinuousViewEntry {
  return committed(catalog, (tx) =>
    tx.createView({ dbOid, schema: 'public', name, action: 'materialize', query: 'SELECT 1', streamOid, columns: [], options: NO_OPTIONS, outputFunction: null }),
  );
}

test('streams and views share one namespace per database', async () => {
  await withCatalog((make) => {
    const c = make();
    const s = committed(c, (tx) => tx.createStream(1, 'public', 's', [{ name: 'x', typeOid: 23, typmod: -1 }]));
    assert.throws(() => committed(c, (tx) => tx.createStream(1, 'public', 's', [])), { code: '42P07', message: 'relation "s" already exists' });
    assert.throws(() => view(c, 1, 's', s.oid), { code: '42P07' });
    // Another database has its own names.
    const other = committed(c, (tx) => tx.createStream(2, 'public', 's', []));
    assert.notEqual(other.oid, s.oid);
    assert.equal(c.streamByName(1, 's')?.oid, s.oid);
    assert.equal(c.streamByName(2, 's')?.oid, other.oid);
    assert.equal(c.viewByName(1, 's'), undefined);
  });
});

test('views read a stream, get the smallest free id, and are found by stream', async () => {
  await withCatalog((make) => {
    const c = make();
    const s = committed(c, (tx) => tx.createStream(1, 'public', 's', []));
    const t = committed(c, (tx) => tx.createStream(1, 'public', 't', []));
    const a = view(c, 1, 'a', s.oid);
    const b = view(c, 1, 'b', t.oid);
    const d = view(c, 1, 'd', s.oid);
    assert.deepEqual([a.id, b.id, d.id], [1, 2, 3]);
    assert.deepEqual(c.viewsReadingStream(1, s.oid).map((v) => v.name), ['a', 'd']);
    committed(c, (tx) => tx.dropRelations(1, ['b']));
    assert.equal(view(c, 1, 'e', t.oid).id, 2);
    assert.deepEqual(c.allViews(1).map((v) => v.name), ['a', 'd', 'e']);
  });
});

test('every commit bumps the version once, which another handle sees', async () => {
  await withCatalog((make) => {
    const c = make();
    const other = make();
    const seen: number[] = [];
    c.onChange((v) => seen.push(v));
    const v0 = c.version();
    const s = committed(c, (tx) => tx.createStream(1, 'public', 's', []));
    assert.equal(other.streamByName(1, 's')?.oid, s.oid);
    committed(c, (tx) => tx.addStreamColumns(1, 's', [{ name: 'y', typeOid: 25, typmod: -1 }]));
    assert.deepEqual(other.streamByName(1, 's')?.columns.map((col) => col.name), ['y']);
    view(c, 1, 'v', s.oid);
    assert.equal(committed(c, (tx) => tx.setActive(1, 'v', false)), true);
    // Nothing changed: no commit, no version.
    assert.equal(committed(c, (tx) => tx.setActive(1, 'v', false)), false);
    assert.equal(other.viewByName(1, 'v')?.active, false);
    // Several changes in one transaction are one commit.
    committed(c, (tx) => {
      assert.equal(tx.recordTruncation(1, 'v').truncations, 1);
      assert.equal(tx.recordTruncation(1, 'v').truncations, 2);
      tx.setActive(1, 'v', true);
    });
    assert.deepEqual(seen, [v0 + 1, v0 + 2, v0 + 3, v0 + 4, v0 + 5]);
    assert.equal(other.version(), v0 + 5);
    assert.equal(other.viewByName(1, 'v')?.truncations, 2);
    assert.equal(other.viewByName(1, 'v')?.active, true);
  });
});

test('dropping a database removes its objects only', async () => {
  await withCatalog((make) => {
    const c = make();
    committed(c, (tx) => tx.createStream(1, 'public', 's', []));
    committed(c, (tx) => tx.createStream(2, 'public', 's', []));
    assert.equal(committed(c, (tx) => tx.createExtension(1)), true);
    assert.equal(committed(c, (tx) => tx.createExtension(1)), false);
    c.dropDatabaseObjects(1);
    assert.equal(c.streamByName(1, 's'), undefined);
    assert.equal(c.extensionCreated(1), false);
    assert.ok(c.streamByName(2, 's'));
  });
});
