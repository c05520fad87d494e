// The system catalog: databases and roles (streams and views join later).
// Stored in the "catalog" named database of the data directory's LMDB
// environment; every change is one synchronous write transaction.
import type { Database, RootDatabase } from 'lmdb';
import { randomBytes } from 'node:crypto';
import { PgError, SQLSTATE } from '../errors.js';

export interface DatabaseEntry {
  oid: number;
  name: string;
  ownerOid: number;
  allowConnections: boolean;
  isTemplate: boolean;
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

type Key = [string, string] | [string];

/** First OID handed out to user objects, as in PostgreSQL (FirstNormalObjectId). */
const FIRST_USER_OID = 16384;

export class Catalog {
  private readonly db: Database<unknown, Key>;

  constructor(private readonly env: RootDatabase) {
    this.db = env.openDB<unknown, Key>({ name: 'catalog' });
  }

  // --- databases -------------------------------------------------------------

  getDatabase(name: string): DatabaseEntry | undefined {
    return this.db.get(['database', name]) as DatabaseEntry | undefined;
  }

  listDatabases(): DatabaseEntry[] {
    return this.listKind<DatabaseEntry>('database');
  }

  createDatabase(name: string, ownerOid: number, opts: Partial<Pick<DatabaseEntry, 'isTemplate' | 'allowConnections' | 'oid'>> = {}): DatabaseEntry {
    return this.env.transactionSync(() => {
      if (this.getDatabase(name)) throw new PgError(SQLSTATE.duplicate_database, `database "${name}" already exists`);
      const entry: DatabaseEntry = {
        oid: opts.oid ?? this.nextOid(),
        name,
        ownerOid,
        allowConnections: opts.allowConnections ?? true,
        isTemplate: opts.isTemplate ?? false,
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

  getRoleByOid(oid: number): RoleEntry | undefined {
    return this.listRoles().find((r) => r.oid === oid);
  }

  listRoles(): RoleEntry[] {
    return this.listKind<RoleEntry>('role');
  }

  createRole(entry: Omit<RoleEntry, 'oid'> & { oid?: number }): RoleEntry {
    return this.env.transactionSync(() => {
      if (this.getRole(entry.name)) throw new PgError(SQLSTATE.duplicate_object, `role "${entry.name}" already exists`);
      const role: RoleEntry = { ...entry, oid: entry.oid ?? this.nextOid() };
      this.db.putSync(['role', role.name], role);
      return role;
    });
  }

  /** Replaces a role's attributes; `newName` renames it. */
  updateRole(name: string, update: (role: RoleEntry) => RoleEntry): RoleEntry {
    return this.env.transactionSync(() => {
      const current = this.getRole(name);
      if (!current) throw new PgError(SQLSTATE.undefined_object, `role "${name}" does not exist`);
      const next = update({ ...current });
      if (next.name !== name) {
        if (this.getRole(next.name)) throw new PgError(SQLSTATE.duplicate_object, `role "${next.name}" already exists`);
        this.db.removeSync(['role', name]);
      }
      this.db.putSync(['role', next.name], next);
      return next;
    });
  }

  dropRole(name: string): void {
    this.env.transactionSync(() => {
      if (!this.getRole(name)) throw new PgError(SQLSTATE.undefined_object, `role "${name}" does not exist`);
      this.db.removeSync(['role', name]);
    });
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

  /** Allocates an OID; callers are inside a write transaction. */
  private nextOid(): number {
    const next = (this.db.get(['next_oid']) as number | undefined) ?? FIRST_USER_OID;
    this.db.putSync(['next_oid'], next + 1);
    return next;
  }
}
