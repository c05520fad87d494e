// CREATE [OR REPLACE] VIEW of a plain SQL view: a CREATE VIEW without an
// action whose SELECT reads no stream (PipelineDB 1.0 leaves those to
// PostgreSQL). The SELECT is planned against the session's relations to
// check it and learn its columns and the views it reads; the catalog keeps
// its text, columns and references, and reads plan it again
// (plain-view-relation.ts). Checks and messages follow PostgreSQL's
// DefineView, in its order.
import { PgError, SQLSTATE } from '../../errors.js';
import { parseBool } from '../../config/setting-values.js';
import { ParamTypes } from '../../sql/expr/scope.js';
import { viewQueryText } from '../../sql/pipeline-ddl/view-query-text.js';
import { planSelect } from '../../sql/select/plan-select.js';
import { relationExistsError, type PlainViewEntry, type StreamColumn, type ViewReference } from '../../storage/stream-catalog.js';
import { typeByOid } from '../../types/oids.js';
import { formatTypeName } from '../../types/type-io.js';
import type { Session } from '../session.js';
import { constantText, type DefElemNode } from './option-values.js';
import { PUBLIC_SCHEMA, pipelineCatalog, requirePublicSchema } from './pipeline-common.js';
import { pipelineRelations, rewritePipelineCalls } from './pipeline-relations.js';
import { requireWritableTransaction } from './role-statements.js';

const NOT_UPDATABLE = 'Views that do not select from a single table or view are not automatically updatable.';

/** Creates (or replaces) the plain view a ViewStmt without an action defines. */
export function createPlainView(session: Session, node: any, statementText: string): { tag: string } {
  requireWritableTransaction(session, 'CREATE VIEW');
  const catalog = pipelineCatalog(session);
  const dbOid = session.db.oid;
  const rv = node.view;
  requirePublicSchema(rv.schemaname, rv.location);
  // A temporary view would have to vanish with the session: not kept by this catalog.
  if (rv.relpersistence === 't') throw new PgError(SQLSTATE.feature_not_supported, 'temporary views are not supported');

  const options: DefElemNode[] = (node.options ?? []).map((o: any) => o.DefElem).filter(Boolean);
  const references = new Map<number, ViewReference>();
  // The parse tree is planned on a copy: the statement may run again (extended protocol).
  const select = structuredClone(node.query);
  rewritePipelineCalls(select);
  const plan = planSelect(select, {
    params: new ParamTypes([], false),
    io: session.settings.ioContext(),
    relations: pipelineRelations(session, {
      expanding: [],
      widths: new Map(),
      onReference: (rel) => references.set(rel.oid, { oid: rel.oid, width: rel.columns.length }),
    }),
  });

  // No view here is automatically updatable (each reads a view or nothing).
  if ((node.withCheckOption && node.withCheckOption !== 'NO_CHECK_OPTION') || options.some((o) => o.defname === 'check_option')) {
    throw new PgError(SQLSTATE.feature_not_supported, 'WITH CHECK OPTION is supported only on automatically updatable views', { hint: NOT_UPDATABLE });
  }
  const aliases: string[] = (node.aliases ?? []).map((a: any) => a.String.sval);
  if (aliases.length > plan.columns.length) {
    throw new PgError(SQLSTATE.syntax_error, 'CREATE VIEW specifies more column names than columns');
  }
  if (rv.relpersistence === 'u') {
    throw new PgError(SQLSTATE.syntax_error, 'views cannot be unlogged because they do not have storage');
  }
  const columns: StreamColumn[] = plan.columns.map((c, i) => ({ name: aliases[i] ?? c.name, typeOid: c.typeOid, typmod: c.typmod }));

  const existing = catalog.relationByName(dbOid, rv.relname);
  if (existing && node.replace) {
    if (existing.kind === 'stream') throw new PgError(SQLSTATE.wrong_object_type, `"${rv.relname}" is not a view`);
    if (existing.kind === 'view') throw new PgError(SQLSTATE.internal_error, 'continuous queries cannot be replaced');
    checkReplacementColumns(existing.columns, columns);
  }
  checkOptions(options);
  checkColumns(columns);
  if (existing && !node.replace) throw relationExistsError(rv.relname);

  const entry: Omit<PlainViewEntry, 'kind' | 'oid'> = {
    dbOid,
    schema: PUBLIC_SCHEMA,
    name: rv.relname,
    query: viewQueryText(statementText) ?? '',
    columns,
    references: [...references.values()],
  };
  if (existing?.kind === 'sqlview') catalog.replacePlainView(existing, entry);
  else catalog.createPlainView(entry);
  return { tag: 'CREATE VIEW' };
}

/** A view's reloptions: security_barrier (accepted; there is no row security to guard) and nothing else. */
function checkOptions(options: readonly DefElemNode[]): void {
  for (const o of options) {
    if (o.defname !== 'security_barrier') throw new PgError(SQLSTATE.invalid_parameter_value, `unrecognized parameter "${o.defname}"`);
    const text = constantText(o.arg);
    if (text !== null && parseBool(text) === undefined) {
      throw new PgError(SQLSTATE.invalid_parameter_value, `invalid value for boolean option "security_barrier": ${text}`);
    }
  }
}

/** Column names must be unique and types storable (not pseudo-types such as record or void). */
function checkColumns(columns: readonly StreamColumn[]): void {
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name)) throw new PgError(SQLSTATE.duplicate_column, `column "${c.name}" specified more than once`);
    seen.add(c.name);
  }
  for (const c of columns) {
    if (typeByOid(c.typeOid)?.category === 'P') {
      throw new PgError(SQLSTATE.invalid_table_definition, `column "${c.name}" has pseudo-type ${formatTypeName(c.typeOid, -1)}`);
    }
  }
}

/** CREATE OR REPLACE VIEW keeps every column, in order, with its name and type; new ones may follow. */
function checkReplacementColumns(old: readonly StreamColumn[], next: readonly StreamColumn[]): void {
  if (next.length < old.length) throw new PgError(SQLSTATE.invalid_table_definition, 'cannot drop columns from view');
  for (let i = 0; i < old.length; i++) {
    const o = old[i];
    const n = next[i];
    if (o.name !== n.name) {
      throw new PgError(SQLSTATE.invalid_table_definition, `cannot change name of view column "${o.name}" to "${n.name}"`);
    }
    if (o.typeOid !== n.typeOid || o.typmod !== n.typmod) {
      throw new PgError(
        SQLSTATE.invalid_table_definition,
        `cannot change data type of view column "${o.name}" from ${formatTypeName(o.typeOid, o.typmod)} to ${formatTypeName(n.typeOid, n.typmod)}`,
      );
    }
  }
}
