// What SELECT sees of streams and continuous queries, as a RelationProvider:
//
//   pipelinedb.views / get_views()            id, schema, name, active, query
//   pipelinedb.transforms / get_transforms()  id, schema, name, active, tgfunc, tgargs, query
//   pipelinedb.get_streams()                  schema, name, queries
//   pipelinedb.stream_readers / get_stream_readers()   stream, continuous_queries
//   pipelinedb.*_stats, 0.9's pipeline_*_stats   statistics (pipeline-stats-relations.ts)
//   a stream                                  42809 "s" is a stream (only continuous queries read streams)
//   a continuous view                         its rows, from the runtime (none while
//                                             created or truncated in this transaction)
//   a plain view                              its stored SELECT, planned and run at each read
//                                             (plain-view-relation.ts)
//
// The pipelinedb.get_*() functions in FROM become relation references before
// planning (rewritePipelineCalls), since their results have several columns.
import { quoteIdentifier } from '../../config/identifiers.js';
import { PgError, SQLSTATE } from '../../errors.js';
import { OID } from '../../types/oids.js';
import { PgArray } from '../../types/values.js';
import { ParamTypes, type ColumnDesc } from '../../sql/expr/scope.js';
import { planSelect } from '../../sql/select/plan-select.js';
import type { Relation, RelationProvider } from '../../sql/select/relation.js';
import type { ContinuousViewEntry, PipelineRelation, PlainViewEntry, StreamCatalogReader } from '../../storage/stream-catalog.js';
import type { Session } from '../session.js';
import { PIPELINEDB_SCHEMA, PUBLIC_SCHEMA, pipelineCatalog } from './pipeline-common.js';
import { plainViewRelation, viewRecursionError } from './plain-view-relation.js';
import { STATS_RELATION_FUNCTIONS, pipelineStatsRelation } from './pipeline-stats-relations.js';

const col = (name: string, type: number): ColumnDesc => ({ name, type, typmod: -1 });

/** The introspection relations of the pipelinedb schema, by the name they are read under. */
const INTROSPECTION: Record<string, (catalog: StreamCatalogReader, dbOid: number) => Relation> = {
  views: viewsRelation,
  'get_views()': viewsRelation,
  transforms: transformsRelation,
  'get_transforms()': transformsRelation,
  'get_streams()': streamsRelation,
  stream_readers: streamReadersRelation,
  'get_stream_readers()': streamReadersRelation,
};

/** Functions of the pipelinedb schema that are read as relations when called in FROM. */
const RELATION_FUNCTIONS = new Set(['get_views', 'get_transforms', 'get_streams', 'get_stream_readers', ...STATS_RELATION_FUNCTIONS]);

function textArray(items: string[]): PgArray {
  return new PgArray(OID.text, items);
}

function queriesOf(catalog: StreamCatalogReader, dbOid: number, action: ContinuousViewEntry['action']): ContinuousViewEntry[] {
  return catalog.allViews(dbOid).filter((v) => v.action === action);
}

function viewsRelation(catalog: StreamCatalogReader, dbOid: number): Relation {
  return {
    columns: [col('id', OID.oid), col('schema', OID.text), col('name', OID.text), col('active', OID.bool), col('query', OID.text)],
    scan: () => queriesOf(catalog, dbOid, 'materialize').map((v) => [v.id, v.schema, v.name, v.active, v.query]),
  };
}

function transformsRelation(catalog: StreamCatalogReader, dbOid: number): Relation {
  return {
    columns: [
      col('id', OID.oid), col('schema', OID.text), col('name', OID.text), col('active', OID.bool),
      col('tgfunc', OID.text), col('tgargs', OID._text), col('query', OID.text),
    ],
    scan: () =>
      queriesOf(catalog, dbOid, 'transform').map((v) => [
        v.id,
        v.schema,
        v.name,
        v.active,
        v.outputFunction?.name ?? null,
        v.outputFunction && v.outputFunction.args.length > 0 ? textArray(v.outputFunction.args) : null,
        v.query,
      ]),
  };
}

/** Every stream with the continuous queries reading it (NULL when none does), names sorted. */
function streamsRelation(catalog: StreamCatalogReader, dbOid: number): Relation {
  return {
    columns: [col('schema', OID.text), col('name', OID.text), col('queries', OID._text)],
    scan: () =>
      catalog.allStreams(dbOid).map((s) => {
        // Active readers only, their names quoted as identifiers and then sorted (as PipelineDB lists them).
        const readers = catalog.viewsReadingStream(dbOid, s.oid).filter((v) => v.active).map((v) => quoteIdentifier(v.name)).sort();
        return [s.schema, s.name, readers.length > 0 ? textArray(readers) : null];
      }),
  };
}

/** Streams that have readers, with the readers in continuous-query id order. */
function streamReadersRelation(catalog: StreamCatalogReader, dbOid: number): Relation {
  return {
    columns: [col('stream', OID.text), col('continuous_queries', OID._text)],
    scan: () => {
      const rows: unknown[][] = [];
      for (const s of catalog.allStreams(dbOid)) {
        const readers = catalog.viewsReadingStream(dbOid, s.oid).filter((v) => v.active).sort((a, b) => a.id - b.id);
        if (readers.length > 0) rows.push([s.name, textArray(readers.map((v) => v.name))]);
      }
      return rows;
    },
  };
}

/** A continuous view with no rows, as its own transaction reads it after creating or truncating it. */
function emptyView(view: ContinuousViewEntry): Relation {
  return { columns: view.columns.map((c) => ({ name: c.name, type: c.typeOid, typmod: c.typmod })), scan: () => [] };
}

/** Where a lookup happens: inside which plain views being read, and who wants to know what names resolve to. */
export interface RelationScope {
  /** The plain views being expanded, outermost first (meeting one again is a cycle). */
  readonly expanding: readonly number[];
  /** Column counts of plain views as the view being expanded saw them (by OID). */
  readonly widths: ReadonlyMap<number, number>;
  /** Hears of every stream or view a name resolves to (CREATE VIEW records them as dependencies). */
  readonly onReference?: (rel: PipelineRelation) => void;
}

const TOP_LEVEL: RelationScope = { expanding: [], widths: new Map() };

/** Streams, continuous and plain views and the pipelinedb schema's relations for one session's SELECT. */
export function pipelineRelations(session: Session, scope: RelationScope = TOP_LEVEL): RelationProvider {
  const catalog = pipelineCatalog(session);
  const dbOid = session.db.oid;
  return {
    lookup(schema, name) {
      // Statistics views: pipelinedb.*_stats, and 0.9's pipeline_*_stats (pg_catalog).
      const stats = pipelineStatsRelation(session, catalog, schema, name);
      if (stats) return stats;
      if (schema === PIPELINEDB_SCHEMA) return INTROSPECTION[name]?.(catalog, dbOid) ?? null;
      if (schema !== null && schema !== PUBLIC_SCHEMA) return null;
      const rel = catalog.relationByName(dbOid, name);
      if (!rel) return null;
      if (rel.kind === 'stream') {
        throw new PgError(SQLSTATE.wrong_object_type, `"${name}" is a stream`, {
          hint: "Streams can only be read by a continuous view's FROM clause.",
        });
      }
      scope.onReference?.(rel);
      if (rel.kind === 'sqlview') return plainView(session, rel, scope);
      if (rel.action === 'transform') {
        throw new PgError(SQLSTATE.feature_not_supported, `"${name}" is a continuous transform and has no rows`);
      }
      // The runtime holds committed state only: a view created or truncated here has none yet.
      if (catalog.readsAsEmpty(rel)) return emptyView(rel);
      const relation = session.server.pipelineRuntime?.viewRelation(dbOid, rel) ?? null;
      if (!relation) throw new PgError(SQLSTATE.feature_not_supported, `continuous view "${name}" cannot be read: the continuous query runtime is not available`);
      return relation;
    },
  };
}

/** A plain view: its SELECT planned in this session, its own references seen at the widths it recorded. */
function plainView(session: Session, view: PlainViewEntry, scope: RelationScope): Relation {
  if (scope.expanding.includes(view.oid)) throw viewRecursionError(view);
  const inner = pipelineRelations(session, {
    expanding: [...scope.expanding, view.oid],
    widths: new Map(view.references.map((r) => [r.oid, r.width])),
  });
  return plainViewRelation(view, scope.widths.get(view.oid) ?? view.columns.length, (select) => {
    rewritePipelineCalls(select);
    return planSelect(select, { params: new ParamTypes([], false), io: session.settings.ioContext(), relations: inner });
  });
}

/**
 * Before planning a SELECT: pipelinedb.get_views() and friends in FROM become
 * references to the introspection relations (keeping the function's default
 * alias), and calls of pipelinedb.activate() etc. lose the schema so the
 * function catalog (which has no schemas) resolves them.
 */
export function rewritePipelineCalls(node: unknown): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const replaced = relationForFunction(node[i]);
      if (replaced) node[i] = replaced;
      else rewritePipelineCalls(node[i]);
    }
    return;
  }
  const obj = node as Record<string, any>;
  const fc = obj.FuncCall;
  if (fc && (fc.funcname?.length ?? 0) === 2 && fc.funcname[0].String?.sval === PIPELINEDB_SCHEMA) {
    const name = fc.funcname[1].String?.sval;
    if (PIPELINEDB_FUNCTIONS.has(name)) fc.funcname = [fc.funcname[1]];
  }
  for (const key in obj) {
    const v = obj[key];
    if (v === null || typeof v !== 'object') continue;
    const replaced = relationForFunction(v);
    if (replaced) obj[key] = replaced;
    else rewritePipelineCalls(v);
  }
}

/** Functions of the pipelinedb schema callable in expressions (registered unqualified). */
export const PIPELINEDB_FUNCTIONS = new Set(['activate', 'deactivate', 'truncate_continuous_view']);

function relationForFunction(item: any): Record<string, any> | null {
  const rf = item?.RangeFunction;
  if (!rf || rf.lateral || rf.ordinality || (rf.functions?.length ?? 0) !== 1) return null;
  const fc = rf.functions[0]?.List?.items?.[0]?.FuncCall;
  const names: string[] = (fc?.funcname ?? []).map((n: any) => n.String?.sval);
  if (names.length !== 2 || names[0] !== PIPELINEDB_SCHEMA || !RELATION_FUNCTIONS.has(names[1]) || (fc.args?.length ?? 0) > 0) return null;
  return {
    RangeVar: {
      schemaname: PIPELINEDB_SCHEMA,
      relname: `${names[1]}()`,
      inh: true,
      relpersistence: 'p',
      alias: rf.alias ?? { aliasname: names[1] },
      location: fc.location ?? -1,
    },
  };
}
