// Continuous views and transforms: CREATE VIEW v [WITH (action=...)] AS
// SELECT ... FROM stream (0.9: CREATE CONTINUOUS VIEW / TRANSFORM). A CREATE
// VIEW without an action that reads a stream is a continuous view, as in
// PipelineDB 1.0; one that reads none is a plain view (plain-view-statements.ts). The query is validated as PipelineDB does, then analyzed by
// the SQL layer against the stream's columns (unknown columns, functions and
// type errors come out as PostgreSQL reports them), which also gives the
// view's output columns.
import { compileContinuousPlan } from '../../planner/compile-plan.js';
import { PgError, SQLSTATE } from '../../errors.js';
import { OID } from '../../types/oids.js';
import { planSelect } from '../../sql/select/plan-select.js';
import { isAggregateName as isAggregate } from '../../sql/aggregates/aggregate.js';
import { ParamTypes } from '../../sql/expr/scope.js';
import type { Relation, RelationProvider } from '../../sql/select/relation.js';
import { viewQueryText } from '../../sql/pipeline-ddl/view-query-text.js';
import { ARRIVAL_TIMESTAMP, type StreamColumn, type StreamEntry, type StreamCatalogReader } from '../../storage/stream-catalog.js';
import '../../sql/builtins.js';
import type { Session } from '../session.js';
import type { StatementPlan } from '../statement-plan.js';
import { commandTag, pipelineCatalog, requirePublicSchema, PUBLIC_SCHEMA } from './pipeline-common.js';
import { validateContinuousQuery } from './pipeline-query-validation.js';
import { createPlainView } from './plain-view-statements.js';
import { readFillfactor, readOutputFunction, readTtlOptions, readWindowOptions, viewAction, viewOptions } from './pipeline-view-options.js';
import { requireWritableTransaction } from './role-statements.js';

/** Column name PipelineDB reserves for a view's storage key. */
const RESERVED_PK_COLUMN = '$pk';

/** The stream's columns as a continuous query sees them: declared ones, then arrival_timestamp. */
export function streamInputColumns(stream: StreamEntry): { name: string; type: number; typmod: number }[] {
  return [
    ...stream.columns.map((c) => ({ name: c.name, type: c.typeOid, typmod: c.typmod })),
    { name: ARRIVAL_TIMESTAMP, type: OID.timestamptz, typmod: -1 },
  ];
}

/** Streams are visible to the analysis of a continuous query (and only there); their rows are never read here. */
function analysisRelations(catalog: StreamCatalogReader, dbOid: number): RelationProvider {
  return {
    lookup(schema, name): Relation | null {
      if (schema !== null && schema !== PUBLIC_SCHEMA) return null;
      const stream = catalog.streamByName(dbOid, name);
      if (!stream) return null;
      return { columns: streamInputColumns(stream), scan: () => [] };
    },
  };
}

/** Whether a SELECT reads a stream anywhere in its FROM clause (PipelineDB's QueryHasStream). */
function readsStream(select: any, catalog: StreamCatalogReader, dbOid: number): boolean {
  let found = false;
  const visit = (node: unknown): void => {
    if (found || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const obj = node as Record<string, any>;
    if (obj.RangeVar) {
      const rv = obj.RangeVar;
      if ((rv.schemaname ?? PUBLIC_SCHEMA) === PUBLIC_SCHEMA && catalog.streamByName(dbOid, rv.relname)) found = true;
      return;
    }
    for (const key in obj) visit(obj[key]);
  };
  visit(select.fromClause);
  if (select.op && select.op !== 'SETOP_NONE') {
    visit(select.larg);
    visit(select.rarg);
  }
  return found;
}

export function planCreateView(node: any, statementText: string): StatementPlan {
  return {
    kind: 'ViewStmt',
    paramTypes: [],
    columns: null,
    execute(session) {
      const catalog = pipelineCatalog(session);
      const dbOid = session.db.oid;
      const select = node.query?.SelectStmt;
      let action = viewAction(node.options);
      if (action === null && select && readsStream(select, catalog, dbOid)) action = 'materialize';
      if (action === null) return createPlainView(session, node, statementText);
      if (action === 'dumped') throw new PgError(SQLSTATE.feature_not_supported, 'restoring dumped continuous views is not supported');
      const tag = commandTag(statementText, 'CREATE VIEW');
      requireWritableTransaction(session, 'CREATE VIEW');
      if (node.replace) throw new PgError(SQLSTATE.internal_error, 'continuous queries cannot be replaced');
      const rv = node.view;
      requirePublicSchema(rv.schemaname, rv.location);
      if (catalog.relationByName(dbOid, rv.relname)) {
        throw new PgError(SQLSTATE.duplicate_table, `relation "${rv.relname}" already exists`);
      }
      if (!select) throw new PgError(SQLSTATE.internal_error, 'continuous views can only be defined using SELECT queries');

      const io = session.settings.ioContext();
      const window = readWindowOptions(node.options, select.whereClause, io);
      const validated = validateContinuousQuery(select, (r) =>
        (r.schemaname ?? PUBLIC_SCHEMA) === PUBLIC_SCHEMA ? catalog.relationByName(dbOid, r.relname) : undefined,
      );
      // A materializing view's columns are what the engine will produce (its plan also knows the
      // aggregates an ad-hoc SELECT lacks, such as percentile_cont over a t-digest); compiling it
      // here also refuses, at CREATE, anything the engine cannot maintain.
      // The SELECT analysis comes first: its errors carry positions in the user's statement.
      // Ordered-set aggregates (percentile_cont ... WITHIN GROUP) exist only in continuous views.
      let outputColumns: readonly StreamColumn[] | null = null;
      try {
        outputColumns = planSelect(select, { params: new ParamTypes([], false), io, relations: analysisRelations(catalog, dbOid) })
          .columns.map((c) => ({ name: c.name, typeOid: c.typeOid, typmod: c.typmod }));
      } catch (e) {
        if (!(action === 'materialize' && e instanceof PgError && /is not an aggregate function$/.test(e.message))) throw e;
      }
      if (action === 'materialize') {
        const stream = validated.stream;
        outputColumns = compileContinuousPlan(
          { name: rv.relname, query: viewQueryText(statementText) ?? '', stream: { name: stream.name, columns: stream.columns } },
          io,
        ).outputColumns;
      }
      if (action === 'transform' && hasAggregates(validated.select)) {
        throw new PgError(SQLSTATE.feature_not_supported, "continuous transforms don't support aggregates");
      }
      const columns: StreamColumn[] = outputColumns!.map((c) => ({ name: c.name, typeOid: c.typeOid, typmod: c.typmod }));
      if (columns.some((c) => c.name === RESERVED_PK_COLUMN)) {
        throw new PgError(SQLSTATE.internal_error, `"${RESERVED_PK_COLUMN}" is a reserved column name`);
      }
      const ttl = readTtlOptions(node.options, columns, window.isSlidingWindow, io);
      // Valid in PipelineDB, but maintaining them needs window buckets and a reaper the engine does not
      // have yet: refused rather than maintained as if the window or TTL were not there.
      if (action === 'materialize' && window.isSlidingWindow) {
        throw new PgError(SQLSTATE.feature_not_supported, 'sliding-window continuous views are not supported yet');
      }
      if (action === 'materialize' && ttl.ttl !== null) {
        throw new PgError(SQLSTATE.feature_not_supported, 'continuous views with a TTL are not supported yet');
      }
      const fillfactor = readFillfactor(node.options);
      const outputFunction = action === 'transform' ? readOutputFunction(node.options) : null;
      catalog.createView({
        dbOid,
        schema: PUBLIC_SCHEMA,
        name: rv.relname,
        action,
        query: viewQueryText(statementText) ?? '',
        streamOid: validated.stream.oid,
        columns,
        options: viewOptions(window, ttl, fillfactor),
        outputFunction,
      });
      return { tag };
    },
  };
}

/** Whether the target list calls an aggregate (transforms may not). */
function hasAggregates(select: any): boolean {
  let found = false;
  const visit = (node: unknown): void => {
    if (found || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const obj = node as Record<string, any>;
    if (obj.FuncCall && !obj.FuncCall.over) {
      const names: string[] = (obj.FuncCall.funcname ?? []).map((n: any) => n.String?.sval);
      if (obj.FuncCall.agg_star || obj.FuncCall.agg_within_group || (names.length === 1 && isAggregate(names[0]))) {
        found = true;
        return;
      }
    }
    if (obj.SubLink) return;
    for (const key in obj) visit(obj[key]);
  };
  visit(select.targetList);
  visit(select.havingClause);
  return found;
}

// --- TRUNCATE CONTINUOUS VIEW (0.9) and ACTIVATE / DEACTIVATE (0.9) -------------------

/**
 * Truncates a continuous view's state: counted in the transaction's catalog;
 * the runtime clears the state when the count changes at commit.
 */
export function truncateView(session: Session, name: string, missing: () => PgError): void {
  const catalog = pipelineCatalog(session);
  const view = catalog.viewByName(session.db.oid, name);
  if (!view || view.action !== 'materialize') throw missing();
  catalog.recordTruncation(session.db.oid, name);
}

export function planTruncateContinuousView(node: any): StatementPlan {
  return {
    kind: 'PipelineTruncateStmt',
    paramTypes: [],
    columns: null,
    execute(session) {
      requireWritableTransaction(session, 'TRUNCATE TABLE');
      const rels: { schemaname: string | null; relname: string; location: number }[] = node.relations;
      const catalog = pipelineCatalog(session);
      // All names are checked before anything is truncated.
      for (const r of rels) {
        requirePublicSchema(r.schemaname, r.location);
        const view = catalog.viewByName(session.db.oid, r.relname);
        if (!view || view.action !== 'materialize') {
          throw new PgError(SQLSTATE.undefined_object, `continuous view "${r.relname}" does not exist`, { position: r.location + 1 });
        }
      }
      for (const r of rels) {
        truncateView(session, r.relname, () => new PgError(SQLSTATE.undefined_object, `continuous view "${r.relname}" does not exist`));
      }
      return { tag: 'TRUNCATE CONTINUOUS VIEW' };
    },
  };
}

export function planActivate(node: any): StatementPlan {
  const activate: boolean = node.activate;
  return {
    kind: 'PipelineActivateStmt',
    paramTypes: [],
    columns: null,
    execute(session) {
      const catalog = pipelineCatalog(session);
      const dbOid = session.db.oid;
      const rels: { schemaname: string | null; relname: string; location: number }[] = node.names;
      const names = rels.length > 0 ? rels.map((r) => r.relname) : catalog.allViews(dbOid).map((v) => v.name);
      for (const r of rels) {
        requirePublicSchema(r.schemaname, r.location);
        if (!catalog.viewByName(dbOid, r.relname)) {
          throw new PgError(SQLSTATE.undefined_object, `continuous query "${r.relname}" does not exist`, { position: r.location + 1 });
        }
      }
      for (const name of names) catalog.setActive(dbOid, name, activate);
      return { tag: activate ? 'ACTIVATE' : 'DEACTIVATE' };
    },
  };
}
