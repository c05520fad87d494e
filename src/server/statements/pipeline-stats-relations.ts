// PipelineDB's statistics views, read from the engine's StatsRegistry, with
// the columns and types PipelineDB 1.0's extension script gives them (its
// views sum int8 counters, so their sums are numeric; names from pg_class
// and pg_namespace are of type name):
//
//   pipelinedb.proc_query_stats / get_proc_query_stats()   per (thread, query), int8 counters
//   pipelinedb.proc_stats     per thread (type, pid)        ORDER BY type, pid
//   pipelinedb.query_stats    per (type, continuous query)  ORDER BY type, namespace, continuous_query
//   pipelinedb.db_stats       per type                      ORDER BY type
//   pipelinedb.stream_stats / get_stream_stats()            per stream
//
// and PipelineDB 0.9's pg_catalog views (text names, bigint counters):
//
//   pipeline_proc_stats, pipeline_query_stats, pipeline_stream_stats
//
// 0.9's rate columns are lifetime averages of the same counters: tuples_ps
// and bytes_ps per second since the entry started, time_pb (ms) and
// tuples_pb per execution; memory is the thread's V8 heap in use.
//
// Worker and combiner threads serve every database, so each database sees
// the entries of its own continuous queries and streams (PipelineDB ran
// separate processes per database, with the same effect).
import { OID } from '../../types/oids.js';
import { Dec, Numeric } from '../../types/values.js';
import type { ColumnDesc } from '../../sql/expr/scope.js';
import type { Relation } from '../../sql/select/relation.js';
import type { ContinuousViewEntry, StreamCatalogReader } from '../../storage/stream-catalog.js';
import type { ProcQueryStats, StatsRegistry } from '../../engine/stats.js';
import {
  ERRORS, EXECUTIONS, EXEC_US, INPUT_BYTES, INPUT_ROWS, OUTPUT_BYTES, OUTPUT_ROWS, UPDATED_BYTES, UPDATED_ROWS, nowMicros,
} from '../../engine/stats-counters.js';
import type { Session } from '../session.js';
import { PIPELINEDB_SCHEMA } from './pipeline-common.js';

const col = (name: string, type: number): ColumnDesc => ({ name, type, typmod: -1 });

interface StatsContext {
  session: Session;
  catalog: StreamCatalogReader;
  dbOid: number;
  stats: StatsRegistry;
}

type Builder = (ctx: StatsContext) => Relation;

/** Functions of the pipelinedb schema read as relations in FROM (see rewritePipelineCalls). */
export const STATS_RELATION_FUNCTIONS = ['get_proc_query_stats', 'get_stream_stats'];

const PIPELINEDB_STATS: Record<string, Builder> = {
  proc_query_stats: procQueryStatsView,
  'get_proc_query_stats()': procQueryStatsFunction,
  proc_stats: procStats,
  query_stats: queryStats,
  db_stats: dbStats,
  stream_stats: streamStats,
  'get_stream_stats()': streamStatsFunction,
};

const PG_CATALOG_STATS: Record<string, Builder> = {
  pipeline_proc_stats: legacyProcStats,
  pipeline_query_stats: legacyQueryStats,
  pipeline_stream_stats: legacyStreamStats,
};

/**
 * The statistics relation `schema.name` names, or null. Unqualified 0.9
 * names resolve to pg_catalog's views first, as PostgreSQL's search path does.
 */
export function pipelineStatsRelation(session: Session, catalog: StreamCatalogReader, schema: string | null, name: string): Relation | null {
  const builder = schema === PIPELINEDB_SCHEMA ? PIPELINEDB_STATS[name] : schema === null || schema === 'pg_catalog' ? PG_CATALOG_STATS[name] : undefined;
  if (!builder) return null;
  return builder({ session, catalog, dbOid: session.db.oid, stats: session.server.engine.stats });
}

// --- values ----------------------------------------------------------------------

const int8 = (n: number): bigint => BigInt(Math.floor(n));
const numeric = (n: number): Numeric => new Numeric(new Dec(Math.floor(n)), 0);
const execMs = (counters: Float64Array): number => Math.floor(counters[EXEC_US]! / 1000);

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// --- reading the registry ------------------------------------------------------------

/** Drops entries of queries and streams no database has any more (PipelineDB purges them on DROP). */
function purgeDropped(ctx: StatsContext): void {
  const committed = ctx.session.server.catalog.pipeline();
  const queries = new Set<number>();
  const streams = new Set<number>();
  for (const db of ctx.session.server.catalog.listDatabases()) {
    for (const v of committed.allViews(db.oid)) queries.add(v.oid);
    for (const s of committed.allStreams(db.oid)) streams.add(s.oid);
  }
  ctx.stats.retain((oid) => queries.has(oid), (oid) => streams.has(oid));
}

interface QueryEntry {
  stats: ProcQueryStats;
  query: ContinuousViewEntry;
}

/** This database's (thread, query) entries, by type, pid and query id. */
function entries(ctx: StatsContext): QueryEntry[] {
  purgeDropped(ctx);
  const out: QueryEntry[] = [];
  for (const stats of ctx.stats.procQueryStats()) {
    const query = ctx.catalog.viewByOid(ctx.dbOid, stats.queryOid);
    if (query) out.push({ stats, query });
  }
  return out.sort((a, b) => byText(a.stats.type, b.stats.type) || a.stats.pid - b.stats.pid || a.query.id - b.query.id);
}

/** Entries summed by a grouping key, in first-seen order. */
interface Sum {
  first: QueryEntry;
  startTime: number;
  counters: Float64Array;
  /** Sum of the entries' whole exec_ms (as SQL's sum over the int8 column). */
  execMs: number;
}

function sumBy(list: readonly QueryEntry[], key: (e: QueryEntry) => string): Sum[] {
  const sums = new Map<string, Sum>();
  for (const e of list) {
    const k = key(e);
    let s = sums.get(k);
    if (!s) sums.set(k, (s = { first: e, startTime: e.stats.startTime, counters: new Float64Array(e.stats.counters.length), execMs: 0 }));
    s.startTime = Math.min(s.startTime, e.stats.startTime);
    for (let i = 0; i < s.counters.length; i++) s.counters[i] += e.stats.counters[i]!;
    s.execMs += execMs(e.stats.counters);
  }
  return [...sums.values()];
}

// --- PipelineDB 1.0 -------------------------------------------------------------------

/** input_rows .. exec_ms in the order the 1.0 views list them. */
const COUNTER_COLUMNS = ['input_rows', 'output_rows', 'updated_rows', 'output_bytes', 'updated_bytes', 'input_bytes', 'executions', 'errors', 'exec_ms'];

function counterValues(c: Float64Array, ms: number, as: (n: number) => unknown): unknown[] {
  return [
    as(c[INPUT_ROWS]!), as(c[OUTPUT_ROWS]!), as(c[UPDATED_ROWS]!), as(c[OUTPUT_BYTES]!), as(c[UPDATED_BYTES]!),
    as(c[INPUT_BYTES]!), as(c[EXECUTIONS]!), as(c[ERRORS]!), as(ms),
  ];
}

function procQueryStatsView(ctx: StatsContext): Relation {
  return {
    columns: [
      col('type', OID.text), col('pid', OID.int4), col('start_time', OID.timestamptz), col('query_id', OID.int4),
      ...COUNTER_COLUMNS.map((n) => col(n, OID.int8)),
    ],
    scan: () =>
      entries(ctx).map(({ stats: s, query }) => [s.type, s.pid, s.startTime, query.id, ...counterValues(s.counters, execMs(s.counters), int8)]),
  };
}

/** The function's own column order: input, output and updated bytes follow the row counts. */
function procQueryStatsFunction(ctx: StatsContext): Relation {
  return {
    columns: [
      col('type', OID.text), col('pid', OID.int4), col('start_time', OID.timestamptz), col('query_id', OID.int4),
      ...['input_rows', 'output_rows', 'updated_rows', 'input_bytes', 'output_bytes', 'updated_bytes', 'executions', 'errors', 'exec_ms'].map((n) => col(n, OID.int8)),
    ],
    scan: () =>
      entries(ctx).map(({ stats: s, query }) => {
        const c = s.counters;
        return [
          s.type, s.pid, s.startTime, query.id,
          int8(c[INPUT_ROWS]!), int8(c[OUTPUT_ROWS]!), int8(c[UPDATED_ROWS]!), int8(c[INPUT_BYTES]!), int8(c[OUTPUT_BYTES]!),
          int8(c[UPDATED_BYTES]!), int8(c[EXECUTIONS]!), int8(c[ERRORS]!), int8(execMs(c)),
        ];
      }),
  };
}

function procStats(ctx: StatsContext): Relation {
  return {
    columns: [col('type', OID.text), col('pid', OID.int4), col('start_time', OID.timestamptz), ...COUNTER_COLUMNS.map((n) => col(n, OID.numeric))],
    scan: () =>
      sumBy(entries(ctx), (e) => e.stats.type + ':' + e.stats.pid).map((s) => [
        s.first.stats.type, s.first.stats.pid, s.startTime, ...counterValues(s.counters, s.execMs, numeric),
      ]),
  };
}

function queryStats(ctx: StatsContext): Relation {
  return {
    columns: [col('type', OID.text), col('namespace', OID.name), col('continuous_query', OID.name), ...COUNTER_COLUMNS.map((n) => col(n, OID.numeric))],
    scan: () =>
      sumBy(entries(ctx), (e) => e.stats.type + ':' + e.query.oid)
        .sort((a, b) => byText(a.first.stats.type, b.first.stats.type) || byText(a.first.query.schema, b.first.query.schema) || byText(a.first.query.name, b.first.query.name))
        .map((s) => [s.first.stats.type, s.first.query.schema, s.first.query.name, ...counterValues(s.counters, s.execMs, numeric)]),
  };
}

function dbStats(ctx: StatsContext): Relation {
  return {
    columns: [col('type', OID.text), ...COUNTER_COLUMNS.map((n) => col(n, OID.numeric))],
    scan: () => sumBy(entries(ctx), (e) => e.stats.type).map((s) => [s.first.stats.type, ...counterValues(s.counters, s.execMs, numeric)]),
  };
}

/** This database's streams with their counts, in stream OID order. */
function streamEntries(ctx: StatsContext) {
  purgeDropped(ctx);
  const out = [];
  for (const s of ctx.stats.streamStats()) {
    const stream = ctx.catalog.streamByOid(ctx.dbOid, s.streamOid);
    if (stream) out.push({ s, stream });
  }
  return out;
}

const STREAM_COUNTER_COLUMNS = ['input_rows', 'input_batches', 'input_bytes'];

function streamStats(ctx: StatsContext): Relation {
  return {
    columns: [col('namespace', OID.name), col('stream', OID.name), ...STREAM_COUNTER_COLUMNS.map((n) => col(n, OID.int8))],
    scan: () => streamEntries(ctx).map(({ s, stream }) => [stream.schema, stream.name, int8(s.inputRows), int8(s.inputBatches), int8(s.inputBytes)]),
  };
}

function streamStatsFunction(ctx: StatsContext): Relation {
  return {
    columns: [col('relid', OID.oid), ...STREAM_COUNTER_COLUMNS.map((n) => col(n, OID.int8))],
    scan: () => streamEntries(ctx).map(({ s }) => [s.streamOid, int8(s.inputRows), int8(s.inputBatches), int8(s.inputBytes)]),
  };
}

// --- PipelineDB 0.9 -------------------------------------------------------------------

/** 0.9's averages: per second since `startTime`, and per execution. */
function rates(c: Float64Array, ms: number, startTime: number): bigint[] {
  const seconds = (nowMicros() - startTime) / 1e6;
  const perSecond = (n: number) => int8(seconds > 0 ? n / seconds : 0);
  const perExecution = (n: number) => int8(c[EXECUTIONS]! > 0 ? n / c[EXECUTIONS]! : 0);
  return [perSecond(c[INPUT_ROWS]!), perSecond(c[INPUT_BYTES]!), perExecution(ms), perExecution(c[INPUT_ROWS]!)];
}

const LEGACY_RATE_COLUMNS = ['tuples_ps', 'bytes_ps', 'time_pb', 'tuples_pb'];
const LEGACY_ROW_COLUMNS = ['input_rows', 'output_rows', 'updated_rows', 'input_bytes', 'output_bytes', 'updated_bytes'];

function legacyRowValues(c: Float64Array): bigint[] {
  return [int8(c[INPUT_ROWS]!), int8(c[OUTPUT_ROWS]!), int8(c[UPDATED_ROWS]!), int8(c[INPUT_BYTES]!), int8(c[OUTPUT_BYTES]!), int8(c[UPDATED_BYTES]!)];
}

function legacyProcStats(ctx: StatsContext): Relation {
  return {
    columns: [
      col('type', OID.text), col('pid', OID.int4), col('start_time', OID.timestamptz),
      ...[...LEGACY_ROW_COLUMNS, 'executions', ...LEGACY_RATE_COLUMNS, 'memory', 'errors'].map((n) => col(n, OID.int8)),
    ],
    scan: () =>
      sumBy(entries(ctx), (e) => e.stats.type + ':' + e.stats.pid).map((s) => [
        s.first.stats.type, s.first.stats.pid, s.startTime, ...legacyRowValues(s.counters), int8(s.counters[EXECUTIONS]!),
        ...rates(s.counters, s.execMs, s.startTime), int8(ctx.stats.threadHeapBytes(s.first.stats.pid)), int8(s.counters[ERRORS]!),
      ]),
  };
}

function legacyQueryStats(ctx: StatsContext): Relation {
  return {
    columns: [col('name', OID.text), col('type', OID.text), ...[...LEGACY_ROW_COLUMNS, ...LEGACY_RATE_COLUMNS, 'errors'].map((n) => col(n, OID.int8))],
    scan: () =>
      sumBy(entries(ctx), (e) => e.stats.type + ':' + e.query.oid)
        .sort((a, b) => byText(a.first.query.name, b.first.query.name) || byText(a.first.stats.type, b.first.stats.type))
        .map((s) => [s.first.query.name, s.first.stats.type, ...legacyRowValues(s.counters), ...rates(s.counters, s.execMs, s.startTime), int8(s.counters[ERRORS]!)]),
  };
}

function legacyStreamStats(ctx: StatsContext): Relation {
  return {
    columns: [col('schema', OID.text), col('name', OID.text), ...STREAM_COUNTER_COLUMNS.map((n) => col(n, OID.int8))],
    scan: () => streamEntries(ctx).map(({ s, stream }) => [stream.schema, stream.name, int8(s.inputRows), int8(s.inputBatches), int8(s.inputBytes)]),
  };
}
