// CREATE DATABASE / DROP DATABASE. Each database is its own namespace of
// streams, views and tables; the catalog keeps the list. Neither may run in a
// transaction block, so both write to the catalog at once.
import { PgError, SQLSTATE } from '../../errors.js';
import type { DatabaseOptions } from '../../storage/catalog.js';
import type { Session } from '../session.js';
import type { StatementPlan } from '../statement-plan.js';
import { optionBoolean, optionInteger, optionPosition, optionString } from './option-values.js';
import { requireWritableTransaction } from './role-statements.js';

/** The options PostgreSQL 11's CREATE DATABASE knows; one encoding (UTF8) and one collation exist here. */
const CREATEDB_OPTIONS = new Set([
  'owner', 'template', 'encoding', 'lc_collate', 'lc_ctype', 'tablespace', 'connection_limit', 'allow_connections', 'is_template',
]);

interface CreatedbOptions extends DatabaseOptions {
  ownerName: string | null;
  template: string;
}

function readCreatedbOptions(options: any[] | undefined): CreatedbOptions {
  const items = new Map<string, any>();
  for (const d of options ?? []) {
    const item = d.DefElem;
    if (!CREATEDB_OPTIONS.has(item.defname)) {
      throw new PgError(SQLSTATE.syntax_error, `option "${item.defname}" not recognized`, { position: optionPosition(item) });
    }
    if (items.has(item.defname)) throw new PgError(SQLSTATE.syntax_error, 'conflicting or redundant options', { position: optionPosition(item) });
    items.set(item.defname, item);
  }
  // DEFAULT (no argument) leaves an option at its default.
  const given = (name: string): any => (items.get(name)?.arg ? items.get(name) : undefined);
  const out: CreatedbOptions = { ownerName: null, template: 'template1' };
  if (given('owner')) out.ownerName = optionString(given('owner'));
  if (given('template')) out.template = optionString(given('template'));
  if (given('is_template')) out.isTemplate = optionBoolean(given('is_template'));
  if (given('allow_connections')) out.allowConnections = optionBoolean(given('allow_connections'));
  if (given('connection_limit')) {
    const limit = optionInteger(given('connection_limit'));
    if (limit < -1) throw new PgError(SQLSTATE.invalid_parameter_value, `invalid connection limit: ${limit}`);
    out.connectionLimit = limit;
  }
  return out;
}

function busyDatabaseDetail(others: number): string {
  return others === 1 ? 'There is 1 other session using the database.' : `There are ${others} other sessions using the database.`;
}

/** Sessions other than this one connected to a database. */
function otherSessions(session: Session, database: string): number {
  return session.server.backends.countForDatabase(database) - (session.database === database ? 1 : 0);
}

export function planCreateDatabase(node: any): StatementPlan {
  const name: string = node.dbname;
  return {
    kind: 'CreatedbStmt',
    paramTypes: [],
    columns: null,
    execute(session) {
      requireWritableTransaction(session, 'CREATE DATABASE');
      session.tx.preventInBlock('CREATE DATABASE');
      const opts = readCreatedbOptions(node.options);
      const { catalog } = session;
      const me = session.freshRole();
      let ownerOid = session.role.oid;
      if (opts.ownerName !== null) {
        const owner = catalog.getRole(opts.ownerName);
        if (!owner) throw new PgError(SQLSTATE.undefined_object, `role "${opts.ownerName}" does not exist`);
        ownerOid = owner.oid;
      }
      if (!me || (!me.superuser && !me.createDb)) throw new PgError(SQLSTATE.insufficient_privilege, 'permission denied to create database');
      // Giving the database to another role needs membership in it (only superusers have that here).
      if (!me.superuser && ownerOid !== me.oid) {
        throw new PgError(SQLSTATE.insufficient_privilege, `must be member of role "${catalog.getRoleByOid(ownerOid)?.name ?? opts.ownerName}"`);
      }
      const template = catalog.getDatabase(opts.template);
      if (!template) throw new PgError(SQLSTATE.invalid_catalog_name, `template database "${opts.template}" does not exist`);
      if (!template.isTemplate && !me.superuser && template.ownerOid !== me.oid) {
        throw new PgError(SQLSTATE.insufficient_privilege, `permission denied to copy database "${opts.template}"`);
      }
      if (catalog.getDatabase(name)) throw new PgError(SQLSTATE.duplicate_database, `database "${name}" already exists`);
      const busy = otherSessions(session, template.name);
      if (busy > 0) {
        throw new PgError(SQLSTATE.object_in_use, `source database "${template.name}" is being accessed by other users`, { detail: busyDatabaseDetail(busy) });
      }
      catalog.committed.createDatabase(name, ownerOid, {
        allowConnections: opts.allowConnections,
        isTemplate: opts.isTemplate,
        connectionLimit: opts.connectionLimit,
      });
      return { tag: 'CREATE DATABASE' };
    },
  };
}

export function planDropDatabase(node: any): StatementPlan {
  const name: string = node.dbname;
  const missingOk = Boolean(node.missing_ok);
  return {
    kind: 'DropdbStmt',
    paramTypes: [],
    columns: null,
    execute(session) {
      requireWritableTransaction(session, 'DROP DATABASE');
      session.tx.preventInBlock('DROP DATABASE');
      const db = session.catalog.getDatabase(name);
      if (!db) {
        if (!missingOk) throw new PgError(SQLSTATE.invalid_catalog_name, `database "${name}" does not exist`);
        session.notice(new PgError(SQLSTATE.successful_completion, `database "${name}" does not exist, skipping`, { severity: 'NOTICE' }));
        return { tag: 'DROP DATABASE' };
      }
      const me = session.freshRole();
      if (!me?.superuser && db.ownerOid !== session.role.oid) {
        throw new PgError(SQLSTATE.insufficient_privilege, `must be owner of database ${name}`);
      }
      if (db.isTemplate) throw new PgError(SQLSTATE.wrong_object_type, 'cannot drop a template database');
      if (name === session.database) throw new PgError(SQLSTATE.object_in_use, 'cannot drop the currently open database');
      const others = otherSessions(session, name);
      if (others > 0) {
        throw new PgError(SQLSTATE.object_in_use, `database "${name}" is being accessed by other users`, { detail: busyDatabaseDetail(others) });
      }
      session.server.dropDatabase(name);
      return { tag: 'DROP DATABASE' };
    },
  };
}
