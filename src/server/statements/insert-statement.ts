// INSERT INTO stream: rows are planned once (Parse) and computed per
// execution, then written to the stream through the engine. Streams are the
// only relations that accept rows.
import { PgError, SQLSTATE } from '../../errors.js';
import { planStreamInsert } from '../../ingest/insert-rows.js';
import { planLiteralInsert, scanLiteralInsert, type LiteralInsert } from '../../ingest/literal-insert.js';
import type { ParsedStatement } from '../../sql/parse-statements.js';
import { resolveStreamTargets, writeToStream, type WriteOptions } from '../../engine/stream-writer.js';
import type { InsertLevel } from '../../engine/batch-tracker.js';
import type { StatementRows } from '../../engine/statement-rows.js';
import type { StreamEntry } from '../../storage/stream-catalog.js';
import type { Session } from '../session.js';
import type { StatementPlan } from '../statement-plan.js';
import { pipelineCatalog } from './pipeline-common.js';
import { pipelineRelations } from './pipeline-relations.js';

export function planInsert(session: Session, node: any, paramTypes: number[]): StatementPlan {
  const rel = node.relation;
  const stream = resolveStream(session, rel);
  const plan = planStreamInsert(node, stream, paramTypes, session.settings.ioContext(), { relations: pipelineRelations(session) });
  return {
    kind: 'InsertStmt',
    paramTypes: plan.paramTypes,
    columns: null,
    async execute(s, params) {
      const ctx = s.evalContext(params);
      const lazily = plan.executeLazily?.(params, ctx);
      if (lazily) return { tag: `INSERT 0 ${await writeRowsInBatches(s, stream, lazily)}` };
      const rows = plan.execute(params, ctx);
      await writeRows(s, stream, rows);
      return { tag: `INSERT 0 ${rows.length}` };
    },
  };
}

/**
 * Sends rows made one at a time (INSERT ... SELECT ... FROM generate_series)
 * to a stream a batch_size batch at a time, so an insert of any size holds
 * one batch. Each batch waits at the session's stream_insert_level, and at
 * least until a worker has received it: under `async` that wait is the flow
 * control a bounded queue gave PipelineDB's inserter, so a fast producer
 * does not pile batches up in the worker's queue. Between batches the event
 * loop runs, so other sessions (and a cancel) are served even when nothing
 * waits (no view reads the stream). As in PipelineDB, the batches sent
 * before an error stay sent: a stream is not a table. Returns the number of
 * rows.
 */
async function writeRowsInBatches(session: Session, stream: StreamEntry, rows: Iterable<unknown[]>): Promise<number> {
  const size = Math.max(1, session.settings.getNumber('pipelinedb.batch_size'));
  let batch: unknown[][] = [];
  let total = 0;
  for (const row of rows) {
    batch.push(row);
    if (batch.length < size) continue;
    await writeRows(session, stream, batch, 'sync_receive');
    total += batch.length;
    batch = [];
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (batch.length > 0 || total === 0) await writeRows(session, stream, batch);
  return total + batch.length;
}

/**
 * Sends rows to a stream with the session's stream_insert_level and
 * stream_targets. Not an async function (see writeToStream): it may throw
 * before returning its promise, which its callers, all awaiting it in
 * async functions, see as the same rejection.
 */
export function writeRows(session: Session, stream: StreamEntry, rows: StatementRows, atLeast?: InsertLevel): Promise<void> {
  // The engine decodes rows by the committed stream definition.
  pipelineCatalog(session).requireCommittedStream(stream);
  const runtime = session.server.pipelineRuntime;
  if (!runtime) throw new PgError(SQLSTATE.object_not_in_prerequisite_state, 'the continuous query engine is not running');
  // stream_targets are resolved only when the rows go somewhere, as in PipelineDB.
  if (!runtime.hasReaders(stream.oid)) return Promise.resolve();
  const opts = writeOptions(session, sessionStreamTargets(session));
  if (atLeast === 'sync_receive' && opts.level === 'async') opts.level = atLeast;
  return writeToStream(runtime, stream, rows, opts);
}

/** The session's stream_insert_level, batch_size and max_wait, with resolved stream_targets. */
export function writeOptions(session: Session, targets: number[] | null): WriteOptions {
  return {
    level: session.settings.getString('pipelinedb.stream_insert_level') as InsertLevel,
    targets,
    batchSize: session.settings.getNumber('pipelinedb.batch_size'),
    maxWaitMs: session.settings.getNumber('pipelinedb.max_wait'),
  };
}

/** stream_targets of the session, as view OIDs of its database. */
export function sessionStreamTargets(session: Session): number[] | null {
  const catalog = pipelineCatalog(session);
  return resolveStreamTargets(session.settings.getString('pipelinedb.stream_targets'), (name) => catalog.viewByName(session.db.oid, name)?.oid);
}

/**
 * The fast path for `INSERT INTO stream [(cols)] VALUES (literals), ...`: a
 * cheap scanner recognizes it, and it becomes one already-parsed statement
 * (anything else, or a name that is not a stream, takes the full parser).
 */
export function literalStreamInsert(session: Session, sql: string): ParsedStatement[] | null {
  const lit = scanLiteralInsert(sql);
  if (!lit || (lit.schema !== null && lit.schema !== 'public')) return null;
  const stream = pipelineCatalog(session).streamByName(session.db.oid, lit.relation);
  if (!stream) return null;
  return [{ kind: LITERAL_INSERT, node: { [LITERAL_INSERT]: { lit, stream } }, text: sql }];
}

export const LITERAL_INSERT = 'LiteralStreamInsert';

export function planLiteralStreamInsert(node: { lit: LiteralInsert; stream: StreamEntry }): StatementPlan {
  const { stream } = node;
  const plan = planLiteralInsert(node.lit, { name: stream.name, columns: stream.columns });
  return {
    kind: 'InsertStmt',
    paramTypes: [],
    columns: null,
    async execute(s) {
      const rows = plan.execute(s.evalContext([]));
      await writeRows(s, stream, rows);
      return { tag: `INSERT 0 ${rows.length}` };
    },
  };
}

function resolveStream(session: Session, rel: any): StreamEntry {
  const name: string = rel.relname;
  const position = typeof rel.location === 'number' ? rel.location + 1 : undefined;
  if (rel.schemaname && rel.schemaname !== 'public') {
    throw new PgError(SQLSTATE.undefined_table, `relation "${rel.schemaname}.${name}" does not exist`, { position });
  }
  const found = pipelineCatalog(session).relationByName(session.db.oid, name);
  if (!found) throw new PgError(SQLSTATE.undefined_table, `relation "${name}" does not exist`, { position });
  if (found.kind === 'sqlview') {
    throw new PgError(SQLSTATE.object_not_in_prerequisite_state, `cannot insert into view "${name}"`, {
      detail: 'Views that do not select from a single table or view are not automatically updatable.',
      hint: 'To enable inserting into the view, provide an INSTEAD OF INSERT trigger or an unconditional ON INSERT DO INSTEAD rule.',
    });
  }
  if (found.kind !== 'stream') {
    throw new PgError(SQLSTATE.wrong_object_type, `cannot insert into continuous view "${name}"`, { position });
  }
  return found;
}
