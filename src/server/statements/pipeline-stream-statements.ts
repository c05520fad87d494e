// Streams: CREATE FOREIGN TABLE ... SERVER pipelinedb (0.9: CREATE STREAM),
// ALTER FOREIGN TABLE ... ADD COLUMN (0.9: ALTER STREAM). Every stream has
// an implicit `arrival_timestamp timestamptz` column after its own.
import { PgError, SQLSTATE } from '../../errors.js';
import { resolveTypeName } from '../../sql/expr/typename.js';
import { ARRIVAL_TIMESTAMP, type StreamColumn, type StreamEntry } from '../../storage/stream-catalog.js';
import type { Session } from '../session.js';
import type { StatementPlan } from '../statement-plan.js';
import { commandTag, notice, pipelineCatalog, requirePublicSchema, PUBLIC_SCHEMA } from './pipeline-common.js';
import { requireWritableTransaction } from './role-statements.js';

/** The foreign server streams belong to (created by CREATE EXTENSION pipelinedb). */
export const PIPELINEDB_SERVER = 'pipelinedb';

function ddlPlan(kind: string, execute: (session: Session) => { tag: string }): StatementPlan {
  return { kind, paramTypes: [], columns: null, execute };
}

/** A column definition of a stream: name and type; streams take no constraints, defaults or collations. */
function streamColumn(def: any): StreamColumn {
  const location: number = def.location ?? -1;
  if ((def.constraints?.length ?? 0) > 0 || def.raw_default || def.collClause) {
    throw new PgError(SQLSTATE.feature_not_supported, 'streams do not support column constraints, defaults or collations', {
      ...(location >= 0 ? { position: location + 1 } : {}),
    });
  }
  const { type, typmod } = resolveTypeName(def.typeName);
  return { name: def.colname, typeOid: type, typmod };
}

export function planCreateStream(node: any, statementText: string): StatementPlan {
  return ddlPlan('CreateForeignTableStmt', (session) => {
    const tag = commandTag(statementText, 'CREATE FOREIGN TABLE');
    requireWritableTransaction(session, 'CREATE FOREIGN TABLE');
    const base = node.base;
    const rel = base.relation;
    requirePublicSchema(rel.schemaname, rel.location);
    if (node.servername !== PIPELINEDB_SERVER) {
      throw new PgError(SQLSTATE.undefined_object, `server "${node.servername}" does not exist`);
    }
    const catalog = pipelineCatalog(session);
    if (catalog.relationByName(session.db.oid, rel.relname)) {
      if (base.if_not_exists) {
        notice(session, `relation "${rel.relname}" already exists, skipping`, SQLSTATE.duplicate_table);
        return { tag };
      }
      throw new PgError(SQLSTATE.duplicate_table, `relation "${rel.relname}" already exists`);
    }
    if (base.inhRelations?.length || base.partbound || base.partspec) {
      throw new PgError(SQLSTATE.feature_not_supported, 'streams do not support inheritance or partitioning');
    }
    const columns: StreamColumn[] = [];
    const seen = new Set<string>([ARRIVAL_TIMESTAMP]);
    for (const elt of base.tableElts ?? []) {
      const def = elt.ColumnDef;
      if (!def) throw new PgError(SQLSTATE.feature_not_supported, 'streams do not support table constraints or LIKE');
      if (seen.has(def.colname)) throw new PgError(SQLSTATE.duplicate_column, `column "${def.colname}" specified more than once`);
      seen.add(def.colname);
      columns.push(streamColumn(def));
    }
    catalog.createStream(session.db.oid, PUBLIC_SCHEMA, rel.relname, columns);
    return { tag };
  });
}

function hasColumn(stream: StreamEntry, name: string): boolean {
  return name === ARRIVAL_TIMESTAMP || stream.columns.some((c) => c.name === name);
}

/** ALTER FOREIGN TABLE on a stream: ADD COLUMN (OWNER TO is accepted, ownership is not tracked). */
export function planAlterStream(node: any, statementText: string): StatementPlan {
  return ddlPlan('AlterTableStmt', (session) => {
    const tag = commandTag(statementText, 'ALTER FOREIGN TABLE');
    requireWritableTransaction(session, 'ALTER FOREIGN TABLE');
    const rel = node.relation;
    requirePublicSchema(rel.schemaname, rel.location);
    const catalog = pipelineCatalog(session);
    const target = catalog.relationByName(session.db.oid, rel.relname);
    if (!target) {
      if (node.missing_ok) {
        notice(session, `relation "${rel.relname}" does not exist, skipping`);
        return { tag };
      }
      throw new PgError(SQLSTATE.undefined_table, `relation "${rel.relname}" does not exist`);
    }
    if (target.kind !== 'stream') throw new PgError(SQLSTATE.wrong_object_type, `"${rel.relname}" is not a foreign table`);
    const added: StreamColumn[] = [];
    for (const c of node.cmds ?? []) {
      const cmd = c.AlterTableCmd;
      if (cmd.subtype === 'AT_ChangeOwner') {
        const owner = cmd.newowner?.rolename;
        if (owner && !session.catalog.getRole(owner)) throw new PgError(SQLSTATE.undefined_object, `role "${owner}" does not exist`);
        continue;
      }
      if (cmd.subtype !== 'AT_AddColumn') {
        throw new PgError(SQLSTATE.feature_not_supported, 'streams only support ADD COLUMN or OWNER TO actions');
      }
      const def = cmd.def.ColumnDef;
      if (hasColumn(target, def.colname) || added.some((a) => a.name === def.colname)) {
        if (cmd.missing_ok) {
          notice(session, `column "${def.colname}" of relation "${rel.relname}" already exists, skipping`, SQLSTATE.duplicate_column);
          continue;
        }
        throw new PgError(SQLSTATE.duplicate_column, `column "${def.colname}" of relation "${rel.relname}" already exists`);
      }
      added.push(streamColumn(def));
    }
    if (added.length > 0) catalog.addStreamColumns(session.db.oid, rel.relname, added);
    return { tag };
  });
}
