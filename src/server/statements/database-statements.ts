// CREATE DATABASE / DROP DATABASE. Each database is its own namespace of
// streams, views and tables; the catalog keeps the list.
import { PgError, SQLSTATE } from '../../errors.js';
import type { Session } from '../session.js';
import type { StatementPlan } from '../statement-plan.js';

function requireCreateDb(session: Session): void {
  if (!session.role.superuser && !session.role.createDb) {
    throw new PgError(SQLSTATE.insufficient_privilege, 'permission denied to create database');
  }
}

export function planCreateDatabase(node: any): StatementPlan {
  const name: string = node.dbname;
  let ownerName: string | null = null;
  for (const d of node.options ?? []) {
    const item = d.DefElem;
    const value = item.arg?.String?.sval ?? item.arg?.A_Const?.sval?.sval ?? null;
    switch (item.defname) {
      case 'owner':
        ownerName = value;
        break;
      case 'template':
      case 'encoding':
      case 'lc_collate':
      case 'lc_ctype':
      case 'locale':
      case 'connection_limit':
      case 'allow_connections':
      case 'is_template':
      case 'tablespace':
        break; // accepted: one encoding (UTF8) and one collation exist
      default:
        throw new PgError(SQLSTATE.syntax_error, `option "${item.defname}" not recognized`, { position: (item.location ?? -1) + 1 || undefined });
    }
  }
  return {
    kind: 'CreatedbStmt',
    paramTypes: [],
    columns: null,
    execute(session) {
      session.tx.preventInBlock('CREATE DATABASE');
      requireCreateDb(session);
      let ownerOid = session.role.oid;
      if (ownerName !== null) {
        const owner = session.server.catalog.getRole(ownerName);
        if (!owner) throw new PgError(SQLSTATE.undefined_object, `role "${ownerName}" does not exist`);
        ownerOid = owner.oid;
      }
      session.server.catalog.createDatabase(name, ownerOid);
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
      session.tx.preventInBlock('DROP DATABASE');
      const { catalog, backends } = session.server;
      const db = catalog.getDatabase(name);
      if (!db) {
        if (!missingOk) throw new PgError(SQLSTATE.invalid_catalog_name, `database "${name}" does not exist`);
        session.out.notice(new PgError(SQLSTATE.successful_completion, `database "${name}" does not exist, skipping`, { severity: 'NOTICE' }));
        return { tag: 'DROP DATABASE' };
      }
      if (!session.role.superuser && db.ownerOid !== session.role.oid) {
        throw new PgError(SQLSTATE.insufficient_privilege, `must be owner of database ${name}`);
      }
      if (name === session.database) throw new PgError(SQLSTATE.object_in_use, 'cannot drop the currently open database');
      if (db.isTemplate) throw new PgError(SQLSTATE.wrong_object_type, 'cannot drop a template database');
      const others = backends.countForDatabase(name);
      if (others > 0) {
        throw new PgError(SQLSTATE.object_in_use, `database "${name}" is being accessed by other users`, {
          detail: others === 1 ? 'There is 1 other session using the database.' : `There are ${others} other sessions using the database.`,
        });
      }
      session.server.dropDatabase(name);
      return { tag: 'DROP DATABASE' };
    },
  };
}
