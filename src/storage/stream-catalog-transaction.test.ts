import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { StreamCatalog, type ContinuousViewEntry, type StreamEntry } from './stream-catalog.js';
import type { StreamCatalogTransaction } from './stream-catalog-transaction.js';
import { temporaryCatalog } from './test-support.js';

const NO_OPTIONS = { sw: null, stepFactor: null, ttl: null, ttlColumn: null, fillfactor: null };
const INT4 = { typeOid: 23, typmod: -1 };

const fixture = temporaryCatalog('stream-catalog-tx-', 30000);
const started = fixture.started;
let catalog: StreamCatalog;
/** Versions the committed catalog announced. */
const announced: number[] = [];
/** Each test works in a database of its own. */
let dbCounter = 100;

before(() => {
  catalog = fixture.catalog;
  catalog.onChange((v) => announced.push(v));
});

function stream(tx: StreamCatalogTransaction, db: number, name: string): StreamEntry {
  return tx.createStream(db, 'public', name, [{ name: 'x', ...INT4 }]);
}

function view(tx: StreamCatalogTransaction, db: number, name: string, streamOid: number): ContinuousViewEntry {
  return tx.createView({
    dbOid: db, schema: 'public', name, action: 'materialize', query: 'SELECT count(*) FROM s', streamOid,
    columns: [{ name: 'count', typeOid: 20, typmod: -1 }], options: NO_OPTIONS, outputFunction: null,
  });
}

/** A database with stream s and view v over it, committed. */
function setup(): { db: number; s: StreamEntry; v: ContinuousViewEntry } {
  const db = dbCounter++;
  const tx = started();
  const s = stream(tx, db, 's');
  const v = view(tx, db, 'v', s.oid);
  tx.commit();
  return { db, s, v };
}

function pgError(fn: () => unknown, code: string, message: string, detail?: string): void {
  assert.throws(fn, (e: any) => {
    assert.equal(e.code, code);
    assert.equal(e.message, message);
    if (detail !== undefined) assert.equal(e.detail, detail);
    return true;
  });
}

test('changes stay in the transaction, visible to it, until one commit applies them and announces it', () => {
  const db = dbCounter++;
  const tx = started();
  const before = announced.length;
  const s = stream(tx, db, 's');
  const v = view(tx, db, 'v', s.oid);
  assert.equal(tx.relationByName(db, 's'), s);
  assert.equal(tx.viewByOid(db, v.oid), v);
  assert.deepEqual(tx.viewsReadingStream(db, s.oid).map((x) => x.name), ['v']);
  assert.deepEqual(tx.allStreams(db).map((x) => x.name), ['s']);
  assert.equal(tx.hasChanges, true);
  // Nothing is committed or announced yet.
  assert.equal(catalog.relationByName(db, 's'), undefined);
  assert.equal(catalog.allViews(db).length, 0);
  assert.equal(announced.length, before);
  tx.commit();
  assert.equal(announced.length, before + 1);
  assert.equal(announced.at(-1), catalog.version());
  assert.equal(catalog.viewByName(db, 'v')?.id, 1);
  assert.equal(catalog.streamByOid(db, s.oid)?.name, 's');
  assert.equal(tx.hasChanges, false);
});

test('rollback discards every kind of change and announces nothing', () => {
  const { db, s, v } = setup();
  const before = announced.length;
  const version = catalog.version();
  const tx = started();
  tx.addStreamColumns(db, 's', [{ name: 'y', ...INT4 }]);
  tx.setActive(db, 'v', false);
  tx.recordTruncation(db, 'v');
  const t = stream(tx, db, 't');
  tx.createExtension(db);
  tx.dropRelations(db, ['v', 's']);
  assert.equal(tx.relationByName(db, 's'), undefined);
  assert.equal(tx.relationByOid(db, v.oid), undefined);
  assert.deepEqual(tx.allViews(db), []);
  assert.deepEqual(tx.allStreams(db).map((x) => x.name), ['t']);
  assert.equal(tx.extensionCreated(db), true);
  tx.rollback();
  assert.equal(tx.relationByName(db, 's'), catalog.relationByName(db, 's'));
  assert.deepEqual(catalog.streamByName(db, 's')?.columns, s.columns);
  assert.deepEqual(catalog.viewByName(db, 'v'), v);
  assert.equal(catalog.relationByName(db, 't'), undefined);
  assert.equal(catalog.extensionCreated(db), false);
  assert.equal(catalog.version(), version);
  assert.equal(announced.length, before);
  // OIDs handed out are not given back.
  const tx2 = started();
  assert.ok(stream(tx2, db, 't').oid > t.oid);
  tx2.rollback();
});

test('ALTER, ACTIVATE and TRUNCATE are seen by the transaction and land together', () => {
  const { db, v } = setup();
  const tx = started();
  assert.equal(tx.setActive(db, 'v', true), false); // already active: no change
  assert.equal(tx.hasChanges, false);
  assert.equal(tx.setActive(db, 'v', false), true);
  assert.equal(tx.setActive(db, 'v', false), false);
  assert.equal(tx.recordTruncation(db, 'v').truncations, 1);
  tx.addStreamColumns(db, 's', [{ name: 'y', ...INT4 }]);
  assert.deepEqual(tx.streamByName(db, 's')?.columns.map((c) => c.name), ['x', 'y']);
  assert.equal(tx.viewByName(db, 'v')?.active, false);
  assert.equal(catalog.viewByName(db, 'v')?.active, true);
  const before = catalog.version();
  tx.commit();
  assert.equal(catalog.version(), before + 1);
  assert.deepEqual(catalog.viewByName(db, 'v'), { ...v, active: false, truncations: 1 });
  assert.deepEqual(catalog.streamByName(db, 's')?.columns.map((c) => c.name), ['x', 'y']);
});

test('a view created and truncated here reads as empty; others read the runtime', () => {
  const { db, s, v } = setup();
  const tx = started();
  const w = view(tx, db, 'w', s.oid);
  assert.equal(tx.readsAsEmpty(w), true);
  assert.equal(tx.readsAsEmpty(v), false);
  tx.setActive(db, 'v', false);
  assert.equal(tx.readsAsEmpty(tx.viewByName(db, 'v')!), false);
  assert.equal(tx.readsAsEmpty(tx.recordTruncation(db, 'v')), true);
  tx.rollback();
  assert.equal(tx.readsAsEmpty(v), false);
});

test('writes to a stream created or altered here are refused until commit', () => {
  const { db, s } = setup();
  const tx = started();
  tx.requireCommittedStream(s);
  const t = stream(tx, db, 't');
  pgError(() => tx.requireCommittedStream(t), '55000', 'stream "t" has uncommitted changes', 'The stream was created in this transaction.');
  const altered = tx.addStreamColumns(db, 's', [{ name: 'y', ...INT4 }]);
  pgError(() => tx.requireCommittedStream(altered), '55000', 'stream "s" has uncommitted changes', 'The stream was altered in this transaction.');
  tx.commit();
  tx.requireCommittedStream(catalog.streamByName(db, 't')!);
});

test('a relation created and dropped in the same transaction leaves nothing to commit', () => {
  const db = dbCounter++;
  const tx = started();
  const s = stream(tx, db, 's');
  view(tx, db, 'v', s.oid);
  tx.dropRelations(db, ['v', 's']);
  assert.equal(tx.hasChanges, false);
  const version = catalog.version();
  tx.commit();
  assert.equal(catalog.version(), version);
});

test('names and query ids are checked against the transaction\'s own view', () => {
  const { db, s } = setup();
  const tx = started();
  pgError(() => stream(tx, db, 'v'), '42P07', 'relation "v" already exists');
  tx.dropRelations(db, ['v']);
  // The name and the id are free again in this transaction.
  assert.equal(view(tx, db, 'v', s.oid).id, 1);
  pgError(() => view(tx, db, 'v', s.oid), '42P07', 'relation "v" already exists');
  assert.equal(view(tx, db, 'w', s.oid).id, 2);
  tx.commit();
  assert.deepEqual(catalog.allViews(db).map((x) => `${x.id} ${x.name}`), ['1 v', '2 w']);
});

test('savepoints: ROLLBACK TO restores the changes made before it, and can be repeated', () => {
  const { db, s } = setup();
  const tx = started();
  const first = tx.savepoint();
  assert.equal(first, null);
  view(tx, db, 'w', s.oid);
  const sp = tx.savepoint();
  tx.dropRelations(db, ['v', 'w']);
  view(tx, db, 'x', s.oid);
  tx.setActive(db, 'x', false);
  assert.deepEqual(tx.allViews(db).map((x) => x.name), ['x']);
  tx.rollbackTo(sp);
  assert.deepEqual(tx.allViews(db).map((x) => x.name), ['v', 'w']);
  tx.recordTruncation(db, 'w');
  tx.rollbackTo(sp);
  assert.equal(tx.viewByName(db, 'w')?.truncations, 0);
  tx.rollbackTo(first);
  assert.deepEqual(tx.allViews(db).map((x) => x.name), ['v']);
  assert.equal(tx.hasChanges, false);
  view(tx, db, 'y', s.oid);
  tx.commit();
  assert.deepEqual(catalog.allViews(db).map((x) => x.name), ['v', 'y']);
});

test('other sessions\' commits show through at once', () => {
  const { db, s } = setup();
  const tx = started();
  view(tx, db, 'mine', s.oid);
  assert.deepEqual(tx.allViews(db).map((x) => x.name), ['v', 'mine']);
  const other = started();
  view(other, db, 'theirs', s.oid);
  other.commit();
  assert.deepEqual(tx.allViews(db).map((x) => x.name), ['v', 'mine', 'theirs']);
  // Both took query id 2: the later commit gets the smallest free one.
  tx.commit();
  assert.deepEqual(catalog.allViews(db).map((x) => `${x.id} ${x.name}`), ['1 v', '3 mine', '2 theirs']);
});

test('a name another session committed first fails the later commit with a unique violation; nothing is written', () => {
  const db = dbCounter++;
  const a = started();
  const b = started();
  stream(a, db, 's');
  stream(b, db, 'b_only');
  stream(b, db, 's');
  a.commit();
  const version = catalog.version();
  pgError(() => b.commit(), '23505', 'duplicate key value violates unique constraint "pg_type_typname_nsp_index"', 'Key (typname, typnamespace)=(s, 2200) already exists.');
  assert.equal(catalog.relationByName(db, 'b_only'), undefined);
  assert.equal(catalog.version(), version);
  assert.equal(b.hasChanges, false);
});

test('changing or dropping what another session changed or dropped since fails the commit', () => {
  const { db } = setup();
  const a = started();
  const b = started();
  a.recordTruncation(db, 'v');
  b.setActive(db, 'v', false);
  a.commit();
  pgError(() => b.commit(), 'XX000', 'tuple concurrently updated');
  assert.equal(catalog.viewByName(db, 'v')?.active, true);

  const c = started();
  const d = started();
  c.dropRelations(db, ['v']);
  d.dropRelations(db, ['v']);
  c.commit();
  pgError(() => d.commit(), 'XX000', 'tuple concurrently deleted');
});

test('a stream dropped here that another session gave a reader fails the commit, and the reverse', () => {
  const db = dbCounter++;
  const init = started();
  const s = stream(init, db, 's');
  const t = stream(init, db, 't');
  init.commit();

  const dropper = started();
  dropper.dropRelations(db, ['s']);
  const creator = started();
  view(creator, db, 'reads_s', s.oid);
  creator.commit();
  pgError(() => dropper.commit(), '2BP01', 'cannot drop foreign table s because other objects depend on it', 'view reads_s depends on foreign table s');
  assert.ok(catalog.streamByName(db, 's'));

  const late = started();
  view(late, db, 'reads_t', t.oid);
  const dropper2 = started();
  dropper2.dropRelations(db, ['t']);
  dropper2.commit();
  pgError(() => late.commit(), 'XX000', `could not open relation with OID ${t.oid}`);
  assert.equal(catalog.viewByName(db, 'reads_t'), undefined);
});

test('CREATE EXTENSION follows the transaction', () => {
  const db = dbCounter++;
  const a = started();
  const b = started();
  assert.equal(a.createExtension(db), true);
  assert.equal(a.createExtension(db), false);
  assert.equal(catalog.extensionCreated(db), false);
  assert.equal(b.createExtension(db), true);
  a.commit();
  assert.equal(catalog.extensionCreated(db), true);
  pgError(() => b.commit(), '23505', 'duplicate key value violates unique constraint "pg_extension_name_index"', 'Key (extname)=(pipelinedb) already exists.');
});

test('commitWith writes the other catalog\'s part in the same LMDB transaction', () => {
  const other = fixture.env.openDB<unknown, string>({ name: 'stream-catalog-tx-test' });
  const db = dbCounter++;
  const a = started();
  const b = started();
  stream(a, db, 's');
  stream(b, db, 's');
  a.commitWith(() => other.putSync('first', 1));
  assert.equal(other.get('first'), 1);
  assert.ok(catalog.streamByName(db, 's'));

  // The stream part conflicts: the other part is not written either.
  assert.throws(() => b.commitWith(() => other.putSync('second', 2)), { code: '23505' });
  assert.equal(other.get('second'), undefined);

  // The other part fails: the stream changes are not written.
  const c = started();
  stream(c, db, 'c_stream');
  assert.throws(() => c.commitWith(() => {
    other.putSync('third', 3);
    throw new Error('role conflict');
  }), /role conflict/);
  assert.equal(other.get('third'), undefined);
  assert.equal(catalog.relationByName(db, 'c_stream'), undefined);

  // Without stream changes the other part still commits.
  const d = started();
  d.commitWith(() => other.putSync('fourth', 4));
  assert.equal(other.get('fourth'), 4);
});
