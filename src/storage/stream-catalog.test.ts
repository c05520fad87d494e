import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openEnvironment } from './lmdb-env.js';
import { StreamCatalog, type ContinuousViewEntry } from './stream-catalog.js';

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

function view(catalog: StreamCatalog, dbOid: number, name: string, streamOid: number): ContinuousViewEntry {
  return catalog.createView({
    dbOid, schema: 'public', name, action: 'materialize', query: 'SELECT 1', streamOid,
    columns: [], options: NO_OPTIONS, outputFunction: null,
  });
}

test('streams and views share one namespace per database', async () => {
  await withCatalog((make) => {
    const c = make();
    const s = c.createStream(1, 'public', 's', [{ name: 'x', typeOid: 23, typmod: -1 }]);
    assert.throws(() => c.createStream(1, 'public', 's', []), { code: '42P07', message: 'relation "s" already exists' });
    assert.throws(() => view(c, 1, 's', s.oid), { code: '42P07' });
    // Another database has its own names.
    const other = c.createStream(2, 'public', 's', []);
    assert.notEqual(other.oid, s.oid);
    assert.equal(c.streamByName(1, 's')?.oid, s.oid);
    assert.equal(c.streamByName(2, 's')?.oid, other.oid);
    assert.equal(c.viewByName(1, 's'), undefined);
  });
});

test('views read a stream, get the smallest free id, and are found by stream', async () => {
  await withCatalog((make) => {
    const c = make();
    const s = c.createStream(1, 'public', 's', []);
    const t = c.createStream(1, 'public', 't', []);
    const a = view(c, 1, 'a', s.oid);
    const b = view(c, 1, 'b', t.oid);
    const d = view(c, 1, 'd', s.oid);
    assert.deepEqual([a.id, b.id, d.id], [1, 2, 3]);
    assert.deepEqual(c.viewsReadingStream(1, s.oid).map((v) => v.name), ['a', 'd']);
    c.dropRelations(1, ['b']);
    assert.equal(view(c, 1, 'e', t.oid).id, 2);
    assert.deepEqual(c.allViews(1).map((v) => v.name), ['a', 'd', 'e']);
  });
});

test('every change bumps the version, which another handle sees', async () => {
  await withCatalog((make) => {
    const c = make();
    const other = make();
    const seen: number[] = [];
    c.onChange((v) => seen.push(v));
    const v0 = c.version();
    const s = c.createStream(1, 'public', 's', []);
    assert.equal(other.streamByName(1, 's')?.oid, s.oid);
    c.addStreamColumns(1, 's', [{ name: 'y', typeOid: 25, typmod: -1 }]);
    assert.deepEqual(other.streamByName(1, 's')?.columns.map((col) => col.name), ['y']);
    view(c, 1, 'v', s.oid);
    assert.equal(c.setActive(1, 'v', false), true);
    assert.equal(c.setActive(1, 'v', false), false);
    assert.equal(other.viewByName(1, 'v')?.active, false);
    assert.equal(c.recordTruncation(1, 'v').truncations, 1);
    assert.deepEqual(seen, [v0 + 1, v0 + 2, v0 + 3, v0 + 4, v0 + 5]);
    assert.equal(other.version(), v0 + 5);
  });
});

test('dropping a database removes its objects only', async () => {
  await withCatalog((make) => {
    const c = make();
    c.createStream(1, 'public', 's', []);
    c.createStream(2, 'public', 's', []);
    assert.equal(c.createExtension(1), true);
    assert.equal(c.createExtension(1), false);
    c.dropDatabaseObjects(1);
    assert.equal(c.streamByName(1, 's'), undefined);
    assert.equal(c.extensionCreated(1), false);
    assert.ok(c.streamByName(2, 's'));
  });
});
