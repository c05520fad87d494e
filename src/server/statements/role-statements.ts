// CREATE ROLE / USER, ALTER ROLE, ALTER ROLE ... RENAME, DROP ROLE. Changes go
// through the session's transactional catalog view (they commit or roll back
// with the transaction); privileges are those the acting role has right now.
// Passwords are stored hashed as password_encryption says (SCRAM verifier or md5).
import { PgError, SQLSTATE } from '../../errors.js';
import type { RoleEntry } from '../../storage/catalog.js';
import { encryptPassword } from '../../auth/md5.js';
import { BOOTSTRAP_SUPERUSER_OID } from '../../storage/init.js';
import { optionBoolean, optionInteger, optionPosition, optionString, type DefElemNode } from './option-values.js';
import { parseTimestamptzLiteral } from './timestamp-literal.js';
import type { Session } from '../session.js';
import type { StatementPlan } from '../statement-plan.js';

type RoleOptions = Partial<Omit<RoleEntry, 'oid' | 'name' | 'validUntil' | 'password'>> & {
  rawPassword?: string | null;
  /** VALID UNTIL text, converted only after the privilege checks (as PostgreSQL does). */
  rawValidUntil?: string;
};

/**
 * PostgreSQL refuses catalog-changing commands in a read-only transaction
 * before anything else about them is looked at.
 */
export function requireWritableTransaction(session: Session, commandTag: string): void {
  if (session.settings.getBoolean('transaction_read_only')) {
    throw new PgError(SQLSTATE.read_only_sql_transaction, `cannot execute ${commandTag} in a read-only transaction`);
  }
}

/** CREATE / ALTER ROLE options; the grammar gives each its kind of constant. */
function readOptions(options: any[] | undefined): RoleOptions {
  const out: RoleOptions = {};
  const seen = new Set<string>();
  for (const d of options ?? []) {
    const item: DefElemNode = d.DefElem;
    const defname = item.defname;
    if (seen.has(defname)) throw new PgError(SQLSTATE.syntax_error, 'conflicting or redundant options', { position: optionPosition(item) });
    seen.add(defname);
    switch (defname) {
      case 'canlogin': out.login = optionBoolean(item); break;
      case 'superuser': out.superuser = optionBoolean(item); break;
      case 'createdb': out.createDb = optionBoolean(item); break;
      case 'createrole': out.createRole = optionBoolean(item); break;
      case 'inherit': out.inherit = optionBoolean(item); break;
      case 'isreplication': out.replication = optionBoolean(item); break;
      case 'bypassrls': out.bypassRls = optionBoolean(item); break;
      case 'connectionlimit': {
        const limit = optionInteger(item);
        if (limit < -1) throw new PgError(SQLSTATE.invalid_parameter_value, `invalid connection limit: ${limit}`);
        out.connectionLimit = limit;
        break;
      }
      // PASSWORD NULL has no argument.
      case 'password': out.rawPassword = item.arg ? optionString(item) : null; break;
      case 'validUntil': out.rawValidUntil = optionString(item); break;
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
    session.notice(new PgError(SQLSTATE.successful_completion, `empty string is not a valid password, clearing password`, { severity: 'NOTICE' }));
    return null;
  }
  const method = session.settings.show('password_encryption');
  return encryptPassword(roleName, raw, method === 'md5' ? 'md5' : 'scram-sha-256');
}

function denied(message: string): PgError {
  return new PgError(SQLSTATE.insufficient_privilege, message);
}

/** A dropped role has no privileges left. */
function isSuperuser(role: RoleEntry | undefined): boolean {
  return role?.superuser === true;
}

function hasCreateRole(role: RoleEntry | undefined): boolean {
  return role !== undefined && (role.superuser || role.createRole);
}

const RESERVED_PREFIX = 'pg_';

function reservedNameError(name: string): PgError {
  return new PgError(SQLSTATE.reserved_name, `role name "${name}" is reserved`, { detail: 'Role names starting with "pg_" are reserved.' });
}

export function planCreateRole(node: any): StatementPlan {
  const name: string = node.role;
  const isUser = node.stmt_type === 'ROLESTMT_USER';
  return {
    kind: 'CreateRoleStmt',
    paramTypes: [],
    columns: null,
    execute(session) {
      requireWritableTransaction(session, 'CREATE ROLE');
      const opts = readOptions(node.options);
      const me = session.freshRole();
      if (opts.superuser) {
        if (!isSuperuser(me)) throw denied('must be superuser to create superusers');
      } else if (opts.replication) {
        if (!isSuperuser(me)) throw denied('must be superuser to create replication users');
      } else if (opts.bypassRls) {
        if (!isSuperuser(me)) throw denied('must be superuser to change bypassrls attribute');
      } else if (!hasCreateRole(me)) {
        throw denied('permission denied to create role');
      }
      if (name.startsWith(RESERVED_PREFIX)) throw reservedNameError(name);
      if (session.catalog.getRole(name)) throw new PgError(SQLSTATE.duplicate_object, `role "${name}" already exists`);
      const validUntil = opts.rawValidUntil === undefined ? null : parseTimestamptzLiteral(opts.rawValidUntil, session);
      session.catalog.createRole({
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
        validUntil,
      });
      return { tag: 'CREATE ROLE' };
    },
  };
}

/** The role an ALTER ROLE names: a name, CURRENT_USER / SESSION_USER, or PUBLIC (which is no role). */
function alterTargetName(session: Session, spec: any): string {
  switch (spec?.roletype) {
    case 'ROLESPEC_CSTRING':
      return spec.rolename;
    case 'ROLESPEC_CURRENT_USER':
    case 'ROLESPEC_SESSION_USER':
      return session.freshRole()?.name ?? session.role.name;
    default:
      throw new PgError(SQLSTATE.undefined_object, 'role "public" does not exist');
  }
}

export function planAlterRole(node: any): StatementPlan {
  return {
    kind: 'AlterRoleStmt',
    paramTypes: [],
    columns: null,
    execute(session) {
      requireWritableTransaction(session, 'ALTER ROLE');
      const opts = readOptions(node.options);
      const name = alterTargetName(session, node.role);
      const target = session.catalog.getRole(name);
      if (!target) throw new PgError(SQLSTATE.undefined_object, `role "${name}" does not exist`);
      const me = session.freshRole();
      // Superuser and replication roles, and the BYPASSRLS attribute, are for superusers only;
      // otherwise CREATEROLE is needed, except to change one's own password.
      if (target.superuser || opts.superuser !== undefined) {
        if (!isSuperuser(me)) throw denied('must be superuser to alter superusers');
      } else if (target.replication || opts.replication !== undefined) {
        if (!isSuperuser(me)) throw denied('must be superuser to alter replication users');
      } else if (target.bypassRls || opts.bypassRls !== undefined) {
        if (!isSuperuser(me)) throw denied('must be superuser to change bypassrls attribute');
      } else if (!hasCreateRole(me)) {
        const onlyOwnPassword = 'rawPassword' in opts && Object.keys(opts).length === 1 && target.oid === session.role.oid;
        if (!onlyOwnPassword) throw denied('permission denied');
      }
      const validUntil = opts.rawValidUntil === undefined ? undefined : parseTimestamptzLiteral(opts.rawValidUntil, session);
      const password = 'rawPassword' in opts ? storedPassword(session, target.name, opts.rawPassword) : undefined;
      session.catalog.updateRole(target.name, (r) => {
        const { rawPassword: _p, rawValidUntil: _v, ...attributes } = opts;
        const next: RoleEntry = { ...r, ...stripUndefined(attributes) };
        if (password !== undefined) next.password = password;
        if (validUntil !== undefined) next.validUntil = validUntil;
        return next;
      });
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
      requireWritableTransaction(session, 'ALTER ROLE');
      const target = session.catalog.getRole(from);
      if (!target) throw new PgError(SQLSTATE.undefined_object, `role "${from}" does not exist`);
      if (target.oid === session.role.oid) throw new PgError(SQLSTATE.feature_not_supported, 'session user cannot be renamed');
      if (from.startsWith(RESERVED_PREFIX)) throw reservedNameError(from);
      if (to.startsWith(RESERVED_PREFIX)) throw reservedNameError(to);
      if (session.catalog.getRole(to)) throw new PgError(SQLSTATE.duplicate_object, `role "${to}" already exists`);
      const me = session.freshRole();
      if (target.superuser) {
        if (!isSuperuser(me)) throw denied('must be superuser to rename superusers');
      } else if (!hasCreateRole(me)) {
        throw denied('permission denied to rename role');
      }
      session.catalog.updateRole(from, (r) => {
        // An md5 hash is salted with the role name, so it stops matching.
        if (r.password?.startsWith('md5')) {
          session.notice(new PgError(SQLSTATE.successful_completion, 'MD5 password cleared because of role rename', { severity: 'NOTICE' }));
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
      requireWritableTransaction(session, 'DROP ROLE');
      const { catalog } = session;
      const me = session.freshRole();
      if (!hasCreateRole(me)) throw denied('permission denied to drop role');
      for (const name of names) {
        if (name === undefined) throw new PgError(SQLSTATE.invalid_parameter_value, 'cannot use special role specifier in DROP ROLE');
        const role = catalog.getRole(name);
        if (!role) {
          if (!missingOk) throw new PgError(SQLSTATE.undefined_object, `role "${name}" does not exist`);
          session.notice(new PgError(SQLSTATE.successful_completion, `role "${name}" does not exist, skipping`, { severity: 'NOTICE' }));
          continue;
        }
        if (role.oid === session.role.oid) throw new PgError(SQLSTATE.object_in_use, 'current user cannot be dropped');
        if (role.superuser && !isSuperuser(me)) throw denied('must be superuser to drop superusers');
        if (role.oid === BOOTSTRAP_SUPERUSER_OID) {
          throw new PgError(SQLSTATE.dependent_objects_still_exist, `cannot drop role ${name} because it is required by the database system`);
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
