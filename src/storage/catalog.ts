// The system catalog: databases and roles (streams and views join later).
// Stored in the "catalog" named database of the data directory's LMDB
// environment; every change is one synchronous write transaction. Role
// changes made by SQL go through a session's CatalogTransaction, which
// buffers them and hands them to applyRoleChanges at commit.
import type { Database, RootDatabase } from 'lmdb';
import { randomBytes } from 'node:crypto';
import { PgError, SQLSTATE } from '../errors.js';
import { StreamCatalog } from './stream-catalog.js';

export interface DatabaseEntry {
  oid: number;
  name: string;
  ownerOid: number;
  allowConnections: boolean;
  isTemplate: boolean;
  /** CONNECTION LIMIT; -1 = no limit. */
  connectionLimit: number;
}

export interface RoleEntry {
  oid: number;
  name: string;
  superuser: boolean;
  login: boolean;
  createDb: boolean;
  createRole: boolean;
  inherit: boolean;
  replication: boolean;
  bypassRls: boolean;
  connectionLimit: number;
  /** "SCRAM-SHA-256$..." or "md5..." or null when the role has no password. */
  password: string | null;
  /** VALID UNTIL, as microseconds since 2000-01-01 UTC; null = forever. */
  validUntil: number | null;
}

/**
 * One role's change within a transaction: `base` is the committed version the
 * change was made from (null: created in the transaction), `next` the version
 * to commit (null: dropped).
 */
export interface RoleChange {
  oid: number;
  base: RoleEntry | null;
  next: RoleEntry | null;
}

export type DatabaseOptions = Partial<Pick<DatabaseEntry, 'isTemplate' | 'allowConnections' | 'connectionLimit' | 'oid'>>;

type Key = (string | number)[];

/** First OID handed out to user objects, as in PostgreSQL (FirstNormalObjectId). */
const FIRST_USER_OID = 16384;

const ROLE_FIELDS: readonly (keyof RoleEntry)[] = [
  'oid', 'name', 'superuser', 'login', 'createDb', 'createRole', 'inherit',
  'replication', 'bypassRls', 'connectionLimit', 'password', 'validUntil',
];

export function sameRole(a: RoleEntry, b: RoleEntry): boolean {
  for (const f of ROLE_FIELDS) if (a[f] !== b[f]) return false;
  return true;
}

/** 2BP01 for DROP ROLE of a role that still owns databases. */
export function roleHasDependentsError(roleName: string, owned: readonly DatabaseEntry[]): PgError {
  return new PgError(SQLSTATE.dependent_objects_still_exist, `role "${roleName}" cannot be dropped because some objects depend on it`, {
    detail: owned.map((d) => `owner of database ${d.name}`).join('\n'),
  });
}

export class Catalog {
  private readonly db: Database<unknown, Key>;

  constructor(private readonly env: RootDatabase) {
    this.db = env.openDB<unknown, Key>({ name: 'catalog' });
    this.ensureRoleOidIndex();
  }

  // --- databases -------------------------------------------------------------

  getDatabase(name: string): DatabaseEntry | undefined {
    const d = this.db.get(['database', name]) as DatabaseEntry | undefined;
    return d && withDatabaseDefaults(d);
  }

  listDatabases(): DatabaseEntry[] {
    return this.listKind<DatabaseEntry>('database').map(withDatabaseDefaults);
  }

  createDatabase(name: string, ownerOid: number, opts: DatabaseOptions = {}): DatabaseEntry {
    return this.env.transactionSync(() => {
      if (this.getDatabase(name)) throw new PgError(SQLSTATE.duplicate_database, `database "${name}" already exists`);
      // The owner may have been dropped since the statement looked it up.
      if (!this.getRoleByOid(ownerOid)) throw new PgError(SQLSTATE.undefined_object, `role with OID ${ownerOid} does not exist`);
      const entry: DatabaseEntry = {
        oid: opts.oid ?? this.nextOid(),
        name,
        ownerOid,
        allowConnections: opts.allowConnections ?? true,
        isTemplate: opts.isTemplate ?? false,
        connectionLimit: opts.connectionLimit ?? -1,
      };
      this.db.putSync(['database', name], entry);
      return entry;
    });
  }

  dropDatabase(name: string): void {
    this.env.transactionSync(() => {
      if (!this.getDatabase(name)) throw new PgError(SQLSTATE.invalid_catalog_name, `database "${name}" does not exist`);
      this.db.removeSync(['database', name]);
    });
  }

  // --- roles -----------------------------------------------------------------

  getRole(name: string): RoleEntry | undefined {
    return this.db.get(['role', name]) as RoleEntry | undefined;
  }

  /** Two key lookups: the OID index gives the name, the name the entry. */
  getRoleByOid(oid: number): RoleEntry | undefined {
    const name = this.db.get(['role_oid', oid]) as string | undefined;
    return name === undefined ? undefined : this.getRole(name);
  }

  listRoles(): RoleEntry[] {
    return this.listKind<RoleEntry>('role');
  }

  /** Creates a role right away (bootstrap); SQL goes through CatalogTransaction. */
  createRole(entry: Omit<RoleEntry, 'oid'> & { oid?: number }): RoleEntry {
    return this.env.transactionSync(() => {
      if (this.getRole(entry.name)) throw new PgError(SQLSTATE.duplicate_object, `role "${entry.name}" already exists`);
      const role: RoleEntry = { ...entry, oid: entry.oid ?? this.nextOid() };
      this.applyRoleChanges([{ oid: role.oid, base: null, next: role }]);
      return role;
    });
  }

  /** Hands out an OID in its own write transaction; like PostgreSQL's, it is not given back on rollback. */
  allocateOid(): number {
    return this.env.transactionSync(() => this.nextOid());
  }

  /**
   * Commits a transaction's role changes atomically. Each change must still
   * apply to what is committed now: a role another session changed or dropped
   * since this transaction read it fails with "tuple concurrently updated",
   * a name another session took with a unique violation, and a role that
   * came to own a database cannot be dropped. On error nothing is written.
   */
  applyRoleChanges(changes: readonly RoleChange[]): void {
    this.env.transactionSync(() => {
      for (const c of changes) {
        if (c.base === null) continue;
        const current = this.getRoleByOid(c.oid);
        if (!current || !sameRole(current, c.base)) throw new PgError(SQLSTATE.internal_error, 'tuple concurrently updated');
        if (c.next === null) {
          const owned = this.listDatabases().filter((d) => d.ownerOid === c.oid);
          if (owned.length > 0) throw roleHasDependentsError(c.base.name, owned);
        }
      }
      // Names are released before any is taken, so renames may swap names.
      for (const c of changes) {
        if (c.base === null) continue;
        this.db.removeSync(['role', c.base.name]);
        if (c.next === null) this.db.removeSync(['role_oid', c.oid]);
      }
      for (const c of changes) {
        if (c.next === null) continue;
        if (this.getRole(c.next.name)) {
          throw new PgError(SQLSTATE.unique_violation, 'duplicate key value violates unique constraint "pg_authid_rolname_index"', {
            detail: `Key (rolname)=(${c.next.name}) already exists.`,
          });
        }
        this.db.putSync(['role', c.next.name], c.next);
        this.db.putSync(['role_oid', c.oid], c.next.name);
      }
    });
  }

  // --- streams and continuous views ---------------------------------------------

  private pipelineCatalog: StreamCatalog | null = null;

  /** Streams, continuous views and transforms (their own named database in the same environment). */
  pipeline(): StreamCatalog {
    return (this.pipelineCatalog ??= new StreamCatalog(this.env, () => this.allocateOid()));
  }

  // --- server secrets ----------------------------------------------------------

  /**
   * The secret that salts SCRAM exchanges for roles that do not exist, kept in
   * the catalog so the fake salt of a name stays the same across restarts.
   */
  mockAuthNonce(): Buffer {
    const stored = this.db.get(['mock_auth_nonce']) as Uint8Array | undefined;
    if (stored) return Buffer.from(stored);
    const nonce = randomBytes(32);
    this.db.putSync(['mock_auth_nonce'], nonce);
    return nonce;
  }

  // --- helpers ---------------------------------------------------------------

  private listKind<T>(kind: string): T[] {
    const out: T[] = [];
    for (const { value } of this.db.getRange({ start: [kind], end: [kind + '\u0000', ''] })) out.push(value as T);
    return out;
  }

  /** Data directories created before the OID index existed get it built once. */
  private ensureRoleOidIndex(): void {
    for (const _ of this.db.getKeys({ start: ['role_oid'], end: ['role_oid\u0000', ''], limit: 1 })) return;
    const roles = this.listRoles();
    if (roles.length === 0) return;
    this.env.transactionSync(() => {
      for (const r of roles) this.db.putSync(['role_oid', r.oid], r.name);
    });
  }

  /** Allocates an OID; callers are inside a write transaction. */
  private nextOid(): number {
    const next = (this.db.get(['next_oid']) as number | undefined) ?? FIRST_USER_OID;
    this.db.putSync(['next_oid'], next + 1);
    return next;
  }
}

/** Entries written before connectionLimit existed have no limit. */
function withDatabaseDefaults(d: DatabaseEntry): DatabaseEntry {
  return d.connectionLimit === undefined ? { ...d, connectionLimit: -1 } : d;
}
