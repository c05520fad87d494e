// CREATE ROLE / USER, ALTER ROLE, ALTER ROLE ... RENAME, DROP ROLE. Passwords
// are stored hashed as password_encryption says (SCRAM verifier or md5).
import { PgError, SQLSTATE } from '../../errors.js';
import type { RoleEntry } from '../../storage/catalog.js';
import { encryptPassword } from '../../auth/md5.js';
import { BOOTSTRAP_SUPERUSER_OID } from '../../storage/init.js';
import { parseTimestamptzLiteral } from './timestamp-literal.js';
import type { Session } from '../session.js';
import type { StatementPlan } from '../statement-plan.js';

type RoleOptions = Partial<Omit<RoleEntry, 'oid' | 'name'>> & { rawPassword?: string | null };

function optionValue(arg: any): unknown {
  if (arg === undefined || arg === null) return null;
  if (arg.Boolean) return Boolean(arg.Boolean.boolval);
  if (arg.Integer) return Number(arg.Integer.ival ?? 0);
  if (arg.String) return String(arg.String.sval);
  return null;
}

function readOptions(session: Session, options: any[] | undefined): RoleOptions {
  const out: RoleOptions = {};
  const seen = new Set<string>();
  for (const d of options ?? []) {
    const { defname, arg, location } = d.DefElem;
    if (seen.has(defname)) throw new PgError(SQLSTATE.syntax_error, 'conflicting or redundant options', { position: location >= 0 ? location + 1 : undefined });
    seen.add(defname);
    const v = optionValue(arg);
    switch (defname) {
      case 'canlogin': out.login = v as boolean; break;
      case 'superuser': out.superuser = v as boolean; break;
      case 'createdb': out.createDb = v as boolean; break;
      case 'createrole': out.createRole = v as boolean; break;
      case 'inherit': out.inherit = v as boolean; break;
      case 'isreplication': out.replication = v as boolean; break;
      case 'bypassrls': out.bypassRls = v as boolean; break;
      case 'connectionlimit': out.connectionLimit = v as number; break;
      case 'password': out.rawPassword = v as string | null; break;
      case 'validUntil': out.validUntil = parseTimestamptzLiteral(String(v), session); break;
      case 'sysid': break; // accepted and ignored, as PostgreSQL does
      default:
        throw new PgError(SQLSTATE.feature_not_supported, `role option "${defname}" is not supported`);
    }
  }
  return out;
}

function storedPassword(session: Session, roleName: string, raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  if (raw === '') {
    session.out.notice(new PgError(SQLSTATE.successful_completion, `empty string is not a valid password, clearing password`, { severity: 'NOTICE' }));
    return null;
  }
  const method = session.settings.show('password_encryption');
  return encryptPassword(roleName, raw, method === 'md5' ? 'md5' : 'scram-sha-256');
}

function requireCreateRole(session: Session, superuserWanted: boolean, what: string): void {
  if (superuserWanted && !session.role.superuser) throw new PgError(SQLSTATE.insufficient_privilege, `must be superuser to ${what} superusers`);
  if (!session.role.superuser && !session.role.createRole) throw new PgError(SQLSTATE.insufficient_privilege, 'permission denied to create role');
}

const RESERVED_PREFIX = 'pg_';

export function planCreateRole(node: any): StatementPlan {
  const name: string = node.role;
  const isUser = node.stmt_type === 'ROLESTMT_USER';
  return {
    kind: 'CreateRoleStmt',
    paramTypes: [],
    columns: null,
    execute(session) {
      const opts = readOptions(session, node.options);
      requireCreateRole(session, Boolean(opts.superuser), 'create');
      if (name.startsWith(RESERVED_PREFIX)) {
        throw new PgError(SQLSTATE.reserved_name, `role name "${name}" is reserved`, { detail: 'Role names starting with "pg_" are reserved.' });
      }
      session.server.catalog.createRole({
        name,
        superuser: opts.superuser ?? false,
        login: opts.login ?? isUser,
        createDb: opts.createDb ?? false,
        createRole: opts.createRole ?? false,
        inherit: opts.inherit ?? true,
        replication: opts.replication ?? false,
        bypassRls: opts.bypassRls ?? false,
        connectionLimit: opts.connectionLimit ?? -1,
        password: storedPassword(session, name, opts.rawPassword),
        validUntil: opts.validUntil ?? null,
      });
      return { tag: 'CREATE ROLE' };
    },
  };
}

export function planAlterRole(node: any): StatementPlan {
  const name: string = node.role?.rolename;
  return {
    kind: 'AlterRoleStmt',
    paramTypes: [],
    columns: null,
    execute(session) {
      if (!name) throw new PgError(SQLSTATE.feature_not_supported, 'ALTER ROLE of CURRENT_USER / SESSION_USER is not supported');
      const opts = readOptions(session, node.options);
      const target = session.server.catalog.getRole(name);
      if (!target) throw new PgError(SQLSTATE.undefined_object, `role "${name}" does not exist`);
      const onlyOwnPassword = Object.keys(opts).every((k) => k === 'rawPassword') && target.name === session.role.name;
      if (!onlyOwnPassword) requireCreateRole(session, target.superuser || Boolean(opts.superuser), 'alter');
      const updated = session.server.catalog.updateRole(name, (r) => {
        const { rawPassword, ...rest } = opts;
        const next: RoleEntry = { ...r, ...stripUndefined(rest) };
        if ('rawPassword' in opts) next.password = storedPassword(session, name, rawPassword);
        return next;
      });
      if (updated.name === session.role.name) session.role = updated;
      return { tag: 'ALTER ROLE' };
    },
  };
}

export function planRenameRole(node: any): StatementPlan {
  const from: string = node.subname;
  const to: string = node.newname;
  return {
    kind: 'RenameStmt',
    paramTypes: [],
    columns: null,
    execute(session) {
      if (from === session.role.name) throw new PgError(SQLSTATE.feature_not_supported, 'session user cannot be renamed');
      requireCreateRole(session, session.server.catalog.getRole(from)?.superuser ?? false, 'rename');
      if (to.startsWith(RESERVED_PREFIX)) {
        throw new PgError(SQLSTATE.reserved_name, `role name "${to}" is reserved`, { detail: 'Role names starting with "pg_" are reserved.' });
      }
      session.server.catalog.updateRole(from, (r) => {
        // An md5 hash is salted with the role name, so it stops matching.
        if (r.password?.startsWith('md5')) {
          session.out.notice(new PgError(SQLSTATE.successful_completion, 'MD5 password cleared because of role rename', { severity: 'NOTICE' }));
          return { ...r, name: to, password: null };
        }
        return { ...r, name: to };
      });
      return { tag: 'ALTER ROLE' };
    },
  };
}

export function planDropRole(node: any): StatementPlan {
  const names: string[] = (node.roles ?? []).map((r: any) => r.RoleSpec?.rolename);
  const missingOk = Boolean(node.missing_ok);
  return {
    kind: 'DropRoleStmt',
    paramTypes: [],
    columns: null,
    execute(session) {
      const { catalog } = session.server;
      if (!session.role.superuser && !session.role.createRole) throw new PgError(SQLSTATE.insufficient_privilege, 'permission denied to drop role');
      for (const name of names) {
        const role = catalog.getRole(name);
        if (!role) {
          if (!missingOk) throw new PgError(SQLSTATE.undefined_object, `role "${name}" does not exist`);
          session.out.notice(new PgError(SQLSTATE.successful_completion, `role "${name}" does not exist, skipping`, { severity: 'NOTICE' }));
          continue;
        }
        if (role.name === session.role.name) throw new PgError(SQLSTATE.object_in_use, 'current user cannot be dropped');
        if (role.oid === BOOTSTRAP_SUPERUSER_OID) {
          throw new PgError(SQLSTATE.dependent_objects_still_exist, `cannot drop role ${name} because it is required by the database system`);
        }
        if (role.superuser && !session.role.superuser) throw new PgError(SQLSTATE.insufficient_privilege, 'must be superuser to drop superusers');
        const owned = catalog.listDatabases().filter((d) => d.ownerOid === role.oid);
        if (owned.length > 0) {
          throw new PgError(SQLSTATE.dependent_objects_still_exist, `role "${name}" cannot be dropped because some objects depend on it`, {
            detail: owned.map((d) => `owner of database ${d.name}`).join('\n'),
          });
        }
        catalog.dropRole(name);
      }
      return { tag: 'DROP ROLE' };
    },
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
