// One session's transactional view of the catalog. Role changes made by SQL
// are buffered here until the transaction commits; reads see them first and
// the committed catalog underneath (other sessions' commits show up at once,
// as PostgreSQL's catalog lookups do). Commit applies everything in one LMDB
// write transaction, re-validated against what is committed by then.
// Databases are not buffered: CREATE/DROP DATABASE cannot run in a
// transaction block, so they write to the catalog directly.
import { PgError, SQLSTATE } from '../errors.js';
import type { TransactionParticipant } from '../server/transaction.js';
import { roleHasDependentsError, type Catalog, type DatabaseEntry, type RoleChange, type RoleEntry } from './catalog.js';

export class CatalogTransaction implements TransactionParticipant {
  /**
   * This transaction's role changes by OID; null until the first write, so a
   * statement without catalog writes allocates nothing. Entries are replaced,
   * never mutated, so savepoints can share them.
   */
  private changes: Map<number, RoleChange> | null = null;
  /** `changes` is also held by a savepoint: the next write copies it first. */
  private shared = false;

  constructor(readonly committed: Catalog) {}

  /** true when this transaction has uncommitted catalog changes. */
  get hasChanges(): boolean {
    return this.changes !== null && this.changes.size > 0;
  }

  // --- reads -------------------------------------------------------------------

  getRole(name: string): RoleEntry | undefined {
    const changes = this.changes;
    if (changes !== null) {
      for (const c of changes.values()) if (c.next?.name === name) return c.next;
    }
    const role = this.committed.getRole(name);
    // Renamed or dropped in this transaction: the committed name is gone here.
    if (role && changes?.has(role.oid)) return undefined;
    return role;
  }

  getRoleByOid(oid: number): RoleEntry | undefined {
    const c = this.changes?.get(oid);
    if (c) return c.next ?? undefined;
    return this.committed.getRoleByOid(oid);
  }

  /** Sorted by name, as the committed catalog lists them. */
  listRoles(): RoleEntry[] {
    const roles = this.committed.listRoles();
    const changes = this.changes;
    if (changes === null || changes.size === 0) return roles;
    const out = roles.filter((r) => !changes.has(r.oid));
    for (const c of changes.values()) if (c.next) out.push(c.next);
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  getDatabase(name: string): DatabaseEntry | undefined {
    return this.committed.getDatabase(name);
  }

  listDatabases(): DatabaseEntry[] {
    return this.committed.listDatabases();
  }

  // --- role changes (callers have checked privileges) --------------------------

  createRole(entry: Omit<RoleEntry, 'oid'>): RoleEntry {
    if (this.getRole(entry.name)) throw new PgError(SQLSTATE.duplicate_object, `role "${entry.name}" already exists`);
    const role: RoleEntry = { ...entry, oid: this.committed.allocateOid() };
    this.writable().set(role.oid, { oid: role.oid, base: null, next: role });
    return role;
  }

  /** Replaces a role's attributes; a different name in the result renames it. */
  updateRole(name: string, update: (role: RoleEntry) => RoleEntry): RoleEntry {
    const current = this.getRole(name);
    if (!current) throw new PgError(SQLSTATE.undefined_object, `role "${name}" does not exist`);
    const next = { ...update({ ...current }), oid: current.oid };
    if (next.name !== current.name && this.getRole(next.name)) {
      throw new PgError(SQLSTATE.duplicate_object, `role "${next.name}" already exists`);
    }
    this.writable().set(current.oid, { oid: current.oid, base: this.baseOf(current), next });
    return next;
  }

  /** Drops a role; one that owns a database cannot be dropped. */
  dropRole(name: string): void {
    const current = this.getRole(name);
    if (!current) throw new PgError(SQLSTATE.undefined_object, `role "${name}" does not exist`);
    const owned = this.committed.listDatabases().filter((d) => d.ownerOid === current.oid);
    if (owned.length > 0) throw roleHasDependentsError(name, owned);
    const base = this.baseOf(current);
    if (base === null) this.writable().delete(current.oid); // created in this transaction: nothing to commit
    else this.writable().set(current.oid, { oid: current.oid, base, next: null });
  }

  /** The committed version a change to this role starts from (null: created here). */
  private baseOf(current: RoleEntry): RoleEntry | null {
    const earlier = this.changes?.get(current.oid);
    return earlier ? earlier.base : current;
  }

  /** The change map to write to: created on the first write, copied when a savepoint holds it. */
  private writable(): Map<number, RoleChange> {
    if (this.changes === null) this.changes = new Map();
    else if (this.shared) this.changes = new Map(this.changes);
    this.shared = false;
    return this.changes;
  }

  // --- TransactionParticipant ----------------------------------------------------

  begin(): void {
    this.clear();
  }

  /** Throws when the changes no longer apply (another session committed a conflicting change); nothing is written then. */
  commit(): void {
    const changes = this.changes;
    this.clear();
    if (changes !== null && changes.size > 0) this.committed.applyRoleChanges([...changes.values()]);
  }

  rollback(): void {
    this.clear();
  }

  /** The token is the change map itself (null when empty); it stays untouched because the next write copies it. */
  savepoint(): unknown {
    if (this.changes === null || this.changes.size === 0) return null;
    this.shared = true;
    return this.changes;
  }

  rollbackTo(token: unknown): void {
    this.changes = token as Map<number, RoleChange> | null;
    // ROLLBACK TO keeps the savepoint, which may be rolled back to again.
    this.shared = this.changes !== null;
  }

  release(): void {}

  private clear(): void {
    this.changes = null;
    this.shared = false;
  }
}
