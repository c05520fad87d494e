// Plain SQL views in the stream catalog: a relation kind of their own, kept
// apart from the continuous queries the engine runs, transactional like
// them, and checked at commit against what other sessions dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContinuousViewEntry, PipelineRelation, PlainViewEntry } from './stream-catalog.js';
import type { StreamCatalogTransaction } from './stream-catalog-transaction.js';
import { temporaryCatalog } from './test-support.js';

const INT8 = { typeOid: 20, typmod: -1 };

const fixture = temporaryCatalog('stream-catalog-pv-', 40000);
const started = fixture.started;
let dbCounter = 500;

/** A plain view reading `reads` (each at its current width). */
function plain(tx: StreamCatalogTransaction, db: number, name: string, reads: PipelineRelation[], columns = [{ name: 'count', ...INT8 }]): PlainViewEntry {
  return tx.createPlainView({
    dbOid: db, schema: 'public', name, query: 'SELECT count FROM cv', columns,
    references: reads.map((r) => ({ oid: r.oid, width: r.columns.length })),
  });
}

/** A committed database with stream s and continuous view cv over it. */
function setup(): { db: number; cv: ContinuousViewEntry } {
  const db = dbCounter++;
  const tx = started();
  const s = tx.createStream(db, 'public', 's', [{ name: 'x', typeOid: 23, typmod: -1 }]);
  const cv = tx.createView({
    dbOid: db, schema: 'public', name: 'cv', action: 'materialize', query: 'SELECT count(*) FROM s', streamOid: s.oid,
    columns: [{ name: 'count', ...INT8 }], options: { sw: null, stepFactor: null, ttl: null, ttlColumn: null, fillfactor: null }, outputFunction: null,
  });
  tx.commit();
  return { db, cv };
}

test('plain views share the namespace but are neither continuous queries nor streams', () => {
  const { db, cv } = setup();
  const tx = started();
  const v = plain(tx, db, 'v', [cv]);
  const w = plain(tx, db, 'w', [v]);
  assert.equal(tx.relationByName(db, 'v'), v);
  assert.equal(tx.viewByName(db, 'v'), undefined);
  assert.deepEqual(tx.plainViews(db).map((x) => x.name), ['v', 'w']);
  assert.deepEqual(tx.allViews(db).map((x) => x.name), ['cv']);
  assert.deepEqual(tx.dependentsOf(db, cv.oid).map((x) => x.name), ['v']);
  assert.deepEqual(tx.dependentsOf(db, v.oid).map((x) => x.name), ['w']);
  assert.throws(() => plain(tx, db, 'cv', []), { code: '42P07', message: 'relation "cv" already exists' });
  assert.deepEqual(fixture.catalog.plainViews(db), []);
  tx.commit();

  // Stored in LMDB: a new handle on the environment reads them back.
  const reopened = fixture.reopen();
  assert.deepEqual(reopened.relationByName(db, 'w'), w);
  assert.deepEqual(reopened.plainViews(db).map((x) => [x.kind, x.name, x.references]), [
    ['sqlview', 'v', [{ oid: cv.oid, width: 1 }]],
    ['sqlview', 'w', [{ oid: v.oid, width: 1 }]],
  ]);
  assert.deepEqual(reopened.allViews(db).map((x) => x.name), ['cv']);
  assert.deepEqual(reopened.allStreams(db).map((x) => x.name), ['s']);
});

test('rollback forgets a plain view; replacing one keeps its OID', () => {
  const { db, cv } = setup();
  const tx = started();
  plain(tx, db, 'gone', [cv]);
  tx.rollback();
  assert.equal(fixture.catalog.relationByName(db, 'gone'), undefined);
  assert.deepEqual(tx.plainViews(db), []);

  const create = started();
  const v = plain(create, db, 'v', [cv]);
  create.commit();
  const replace = started();
  const next = replace.replacePlainView(v, {
    dbOid: db, schema: 'public', name: 'v', query: 'SELECT count, 1 AS one FROM cv',
    columns: [{ name: 'count', ...INT8 }, { name: 'one', typeOid: 23, typmod: -1 }], references: [{ oid: cv.oid, width: 1 }],
  });
  assert.equal(next.oid, v.oid);
  assert.equal(replace.relationByName(db, 'v'), next);
  assert.equal(fixture.catalog.relationByName(db, 'v')?.columns.length, 1);
  replace.commit();
  assert.deepEqual(fixture.catalog.relationByOid(db, v.oid), next);
});

test('a view dropped by another session fails the commit of a plain view reading it', () => {
  const { db, cv } = setup();
  const creator = started();
  plain(creator, db, 'v', [cv]);
  const dropper = started();
  dropper.dropRelations(db, ['cv', 's']);
  dropper.commit();
  assert.throws(() => creator.commit(), { code: 'XX000', message: `could not open relation with OID ${cv.oid}` });
  assert.equal(fixture.catalog.relationByName(db, 'v'), undefined);
});

test('dropping a view that another session gave a plain reader fails the commit', () => {
  const { db, cv } = setup();
  const dropper = started();
  dropper.dropRelations(db, ['cv']);
  const creator = started();
  plain(creator, db, 'v', [cv]);
  plain(creator, db, 'Other', [cv]);
  creator.commit();
  assert.throws(() => dropper.commit(), (e: any) => {
    assert.equal(e.code, '2BP01');
    assert.equal(e.message, 'cannot drop view cv because other objects depend on it');
    assert.equal(e.detail, 'view v depends on view cv\nview "Other" depends on view cv');
    return true;
  });
  assert.ok(fixture.catalog.viewByName(db, 'cv'));
});
