import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RootDatabase } from 'lmdb';
import { Catalog, type RoleEntry } from './catalog.js';
import { CatalogTransaction } from './catalog-transaction.js';
import { openEnvironment } from './lmdb-env.js';

let dir: string;
let env: RootDatabase;
let catalog: Catalog;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-tx-'));
  env = openEnvironment(dir);
  catalog = new Catalog(env);
  catalog.createRole({ oid: 10, ...attrs('admin'), superuser: true });
});

after(async () => {
  await env.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function attrs(name: string): Omit<RoleEntry, 'oid'> {
  return {
    name, superuser: false, login: false, createDb: false, createRole: false, inherit: true,
    replication: false, bypassRls: false, connectionLimit: -1, password: null, validUntil: null,
  };
}

function pgError(fn: () => unknown, code: string, message: string): void {
  assert.throws(fn, (e: any) => {
    assert.equal(e.code, code);
    assert.equal(e.message, message);
    return true;
  });
}

function started(): CatalogTransaction {
  const tx = new CatalogTransaction(catalog);
  tx.begin();
  return tx;
}

test('writes stay in the transaction until commit, then land together', () => {
  const tx = started();
  const a = tx.createRole(attrs('u_a'));
  tx.createRole(attrs('u_b'));
  assert.equal(tx.getRole('u_a')?.oid, a.oid);
  assert.equal(tx.getRoleByOid(a.oid)?.name, 'u_a');
  assert.equal(catalog.getRole('u_a'), undefined);
  assert.deepEqual(tx.listRoles().map((r) => r.name), ['admin', 'u_a', 'u_b']);
  tx.commit();
  assert.equal(catalog.getRole('u_a')?.oid, a.oid);
  assert.equal(catalog.getRoleByOid(a.oid)?.name, 'u_a');
  assert.equal(tx.hasChanges, false);
});

test('rollback discards everything; OIDs handed out are not reused', () => {
  const tx = started();
  const r = tx.createRole(attrs('u_gone'));
  tx.rollback();
  assert.equal(tx.getRole('u_gone'), undefined);
  assert.equal(catalog.getRole('u_gone'), undefined);
  const tx2 = started();
  const next = tx2.createRole(attrs('u_gone'));
  assert.ok(next.oid > r.oid);
  tx2.rollback();
});

test('rename: the old name disappears in the transaction and the OID index follows at commit', () => {
  const tx = started();
  const r = tx.createRole(attrs('u_old'));
  tx.commit();
  const tx2 = started();
  tx2.updateRole('u_old', (x) => ({ ...x, name: 'u_new' }));
  assert.equal(tx2.getRole('u_old'), undefined);
  assert.equal(tx2.getRole('u_new')?.oid, r.oid);
  assert.equal(catalog.getRole('u_old')?.oid, r.oid);
  tx2.commit();
  assert.equal(catalog.getRole('u_old'), undefined);
  assert.equal(catalog.getRoleByOid(r.oid)?.name, 'u_new');
});

test('two roles may swap names in one transaction', () => {
  const setup = started();
  const x = setup.createRole(attrs('u_x'));
  const y = setup.createRole(attrs('u_y'));
  setup.commit();
  const tx = started();
  tx.updateRole('u_x', (r) => ({ ...r, name: 'u_tmp' }));
  tx.updateRole('u_y', (r) => ({ ...r, name: 'u_x' }));
  tx.updateRole('u_tmp', (r) => ({ ...r, name: 'u_y' }));
  tx.commit();
  assert.equal(catalog.getRole('u_x')?.oid, y.oid);
  assert.equal(catalog.getRole('u_y')?.oid, x.oid);
  assert.equal(catalog.getRole('u_tmp'), undefined);
});

test('statement-time validation sees the transaction: duplicates and missing roles', () => {
  const tx = started();
  tx.createRole(attrs('u_dup'));
  pgError(() => tx.createRole(attrs('u_dup')), '42710', 'role "u_dup" already exists');
  pgError(() => tx.createRole(attrs('admin')), '42710', 'role "admin" already exists');
  tx.dropRole('u_dup');
  pgError(() => tx.dropRole('u_dup'), '42704', 'role "u_dup" does not exist');
  pgError(() => tx.updateRole('u_missing', (r) => r), '42704', 'role "u_missing" does not exist');
  pgError(() => tx.updateRole('u_x', (r) => ({ ...r, name: 'admin' })), '42710', 'role "admin" already exists');
  tx.commit();
  assert.equal(catalog.getRole('u_dup'), undefined);
});

test('savepoints: rollbackTo restores the changes as they were', () => {
  const tx = started();
  tx.createRole(attrs('u_sp1'));
  const sp = tx.savepoint();
  tx.createRole(attrs('u_sp2'));
  tx.updateRole('u_sp1', (r) => ({ ...r, login: true }));
  tx.rollbackTo(sp);
  assert.equal(tx.getRole('u_sp2'), undefined);
  assert.equal(tx.getRole('u_sp1')?.login, false);
  tx.commit();
  assert.equal(catalog.getRole('u_sp1')?.login, false);
  assert.equal(catalog.getRole('u_sp2'), undefined);
});

test('savepoints share the change map until the next write; ROLLBACK TO may be repeated', () => {
  const tx = started();
  // Nothing written yet: no change map exists, and an empty savepoint holds none.
  const empty = tx.savepoint();
  assert.equal(empty, null);
  assert.equal((tx as unknown as { changes: unknown }).changes, null);
  tx.createRole(attrs('u_cow1'));
  const sp = tx.savepoint() as Map<number, unknown>;
  assert.equal(sp, (tx as unknown as { changes: unknown }).changes, 'the savepoint holds the map itself');
  tx.createRole(attrs('u_cow2'));
  assert.equal(sp.size, 1, 'the write after the savepoint copied the map');
  tx.rollbackTo(sp);
  assert.equal(tx.getRole('u_cow2'), undefined);
  tx.createRole(attrs('u_cow3'));
  tx.rollbackTo(sp);
  assert.equal(tx.getRole('u_cow3'), undefined);
  assert.equal(sp.size, 1);
  tx.rollbackTo(empty);
  assert.equal(tx.hasChanges, false);
  assert.equal(tx.getRole('u_cow1'), undefined);
  tx.commit();
  assert.equal(catalog.getRole('u_cow1'), undefined);
  // A transaction without writes leaves nothing allocated behind.
  tx.begin();
  tx.getRole('admin');
  tx.commit();
  assert.equal((tx as unknown as { changes: unknown }).changes, null);
});

test('commit fails with nothing written when another transaction changed the role first', () => {
  const setup = started();
  setup.createRole(attrs('u_race'));
  setup.commit();
  const mine = started();
  mine.updateRole('u_race', (r) => ({ ...r, login: true }));
  mine.createRole(attrs('u_race_side'));
  const theirs = started();
  theirs.updateRole('u_race', (r) => ({ ...r, createDb: true }));
  theirs.commit();
  pgError(() => mine.commit(), 'XX000', 'tuple concurrently updated');
  assert.equal(catalog.getRole('u_race')?.login, false);
  assert.equal(catalog.getRole('u_race')?.createDb, true);
  assert.equal(catalog.getRole('u_race_side'), undefined);
  assert.equal(mine.hasChanges, false);
});

test('commit fails with 23505 when the name was taken meanwhile', () => {
  const mine = started();
  mine.createRole(attrs('u_taken'));
  const theirs = started();
  theirs.createRole(attrs('u_taken'));
  theirs.commit();
  pgError(() => mine.commit(), '23505', 'duplicate key value violates unique constraint "pg_authid_rolname_index"');
});

test('a role owning a database cannot be dropped, at statement time or at commit', () => {
  const setup = started();
  const owner = setup.createRole(attrs('u_owner'));
  setup.commit();
  catalog.createDatabase('owned_db', owner.oid);
  const tx = started();
  assert.throws(() => tx.dropRole('u_owner'), (e: any) => e.code === '2BP01' && e.detail === 'owner of database owned_db');
  tx.rollback();
  catalog.dropDatabase('owned_db');
  const tx2 = started();
  tx2.dropRole('u_owner');
  catalog.createDatabase('owned_db2', owner.oid);
  pgError(() => tx2.commit(), '2BP01', 'role "u_owner" cannot be dropped because some objects depend on it');
  assert.equal(catalog.getRoleByOid(owner.oid)?.name, 'u_owner');
});

test('createDatabase stores ALLOW_CONNECTIONS, IS_TEMPLATE and CONNECTION LIMIT and needs an existing owner', () => {
  const d = catalog.createDatabase('opts_db', 10, { allowConnections: false, isTemplate: true, connectionLimit: 7 });
  assert.deepEqual(catalog.getDatabase('opts_db'), d);
  assert.deepEqual({ a: d.allowConnections, t: d.isTemplate, l: d.connectionLimit }, { a: false, t: true, l: 7 });
  assert.equal(catalog.createDatabase('plain_db', 10).connectionLimit, -1);
  pgError(() => catalog.createDatabase('orphan_db', 999_999), '42704', 'role with OID 999999 does not exist');
});

test('the OID index is built for a catalog written before it existed', async () => {
  const oldDir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-old-'));
  const oldEnv = openEnvironment(oldDir);
  try {
    const raw = oldEnv.openDB<unknown, (string | number)[]>({ name: 'catalog' });
    raw.putSync(['role', 'legacy'], { oid: 10, ...attrs('legacy'), superuser: true });
    const c = new Catalog(oldEnv);
    assert.equal(c.getRoleByOid(10)?.name, 'legacy');
  } finally {
    await oldEnv.close();
    fs.rmSync(oldDir, { recursive: true, force: true });
  }
});
