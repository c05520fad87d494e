// The per-role and per-database CONNECTION LIMIT checks PostgreSQL makes at
// login, once the role and database are known. Superusers are exempt from
// both. (ALLOW_CONNECTIONS false is checked separately and applies to everyone.)
import { PgError, SQLSTATE } from '../errors.js';
import type { DatabaseEntry, RoleEntry } from './catalog.js';

/** What the check needs to know about a live session. */
export interface LiveSession {
  readonly user: string;
  readonly database: string;
}

/**
 * Throws FATAL 53300 when a new session of `role` on `db` would exceed the
 * role's or the database's connection limit. `others` are the sessions
 * already running (not including the one logging in).
 */
export function checkConnectionLimits(role: RoleEntry, db: DatabaseEntry, others: Iterable<LiveSession>): void {
  if (role.superuser) return;
  const roleLimited = role.connectionLimit >= 0;
  const dbLimited = db.connectionLimit >= 0;
  if (!roleLimited && !dbLimited) return;
  let forRole = 0;
  let forDb = 0;
  for (const s of others) {
    if (s.user === role.name) forRole++;
    if (s.database === db.name) forDb++;
  }
  // PostgreSQL checks the role first (while establishing the user), then the database.
  if (roleLimited && forRole >= role.connectionLimit) {
    throw new PgError(SQLSTATE.too_many_connections, `too many connections for role "${role.name}"`, { severity: 'FATAL' });
  }
  if (dbLimited && forDb >= db.connectionLimit) {
    throw new PgError(SQLSTATE.too_many_connections, `too many connections for database "${db.name}"`, { severity: 'FATAL' });
  }
}
