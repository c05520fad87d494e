// The main thread's continuous-query runtime: keeps the engine's threads
// running exactly the active continuous views of the catalog, clears the
// state of views that are truncated or dropped, and serves reads of views.
import type { Catalog } from '../storage/catalog.js';
import type { ContinuousViewEntry, StreamCatalog, StreamEntry } from '../storage/stream-catalog.js';
import type { Relation } from '../sql/select/relation.js';
import type { ContinuousViewDefinition } from '../planner/continuous-plan.js';
import type { TypeIoContext } from '../types/io-context.js';
import type { PipelineRuntimeHooks } from '../server/statements/pipeline-runtime-hooks.js';
import type { ServerLogger } from '../server/log.js';
import type { Engine } from './engine.js';
import type { EngineView } from './messages.js';
import { ViewReader } from './view-reader.js';
import { parseStatements } from '../sql/parse-statements.js';
import { PgError, SQLSTATE } from '../errors.js';
import { AsyncStreamBuffer, SharedSyncBatch } from './stream-writer.js';
import type { InsertLevel } from './batch-tracker.js';

export class PipelineRuntime implements PipelineRuntimeHooks {
  private readonly reader: ViewReader;
  private readonly streams: StreamCatalog;
  /** Views the engine runs, by OID, with the truncation count last seen. */
  private running = new Map<number, { truncations: number }>();
  /** Streams that active views read: writes to other streams are discarded. */
  private readStreams = new Set<number>();
  /** Batches being filled by async writers, per stream layout and stream_targets. */
  private readonly asyncBuffers = new Map<string, AsyncStreamBuffer>();
  /** Batches shared by small sync statements of one event-loop turn, per stream layout, targets and level. */
  private readonly sharedBatches = new Map<string, SharedSyncBatch>();
  /** The shared batch found last, with what found it: concurrent single-row INSERTs ask for the same one. */
  private lastShared: { stream: StreamEntry; level: InsertLevel; batch: SharedSyncBatch } | null = null;

  constructor(private readonly catalog: Catalog, readonly engine: Engine, io: TypeIoContext, private readonly log: ServerLogger) {
    this.reader = new ViewReader(engine, io);
    this.streams = catalog.pipeline();
    // Runs inside a catalog commit: it must not throw, or a committed transaction would report an error.
    this.streams.onChange(() => {
      try {
        this.sync();
      } catch (e) {
        this.log.error({ err: e instanceof Error ? e.stack : String(e) }, 'could not apply a catalog change to the continuous query engine');
      }
    });
    this.sync();
  }

  /** The shared batch of async writers to a stream (with these stream_targets). */
  asyncBuffer(stream: StreamEntry, targets: number[] | null, batchSize: number, maxWaitMs: number): AsyncStreamBuffer {
    const key = `${stream.oid}/${stream.columns.length}/${targets === null ? '*' : targets.join(',')}`;
    let buffer = this.asyncBuffers.get(key);
    if (!buffer) this.asyncBuffers.set(key, (buffer = new AsyncStreamBuffer(this.engine, stream, targets, batchSize, maxWaitMs)));
    return buffer;
  }

  /** The batch small sync_receive / sync_commit statements of this event-loop turn share. */
  sharedSyncBatch(stream: StreamEntry, targets: number[] | null, level: InsertLevel, batchSize: number): SharedSyncBatch {
    const last = this.lastShared;
    if (targets === null && last !== null && last.stream === stream && last.level === level) return last.batch;
    const key = `${stream.oid}/${stream.columns.length}/${targets === null ? '*' : targets.join(',')}/${level}`;
    let batch = this.sharedBatches.get(key);
    if (!batch) this.sharedBatches.set(key, (batch = new SharedSyncBatch(this.engine, stream, targets, level, batchSize)));
    this.lastShared = targets === null ? { stream, level, batch } : null;
    return batch;
  }

  /** Sends every partly filled batch (before a catalog change reaches the threads, and at shutdown). */
  flushAsync(): void {
    for (const buffer of this.asyncBuffers.values()) buffer.flush();
    this.asyncBuffers.clear();
    for (const batch of this.sharedBatches.values()) batch.flush();
    this.sharedBatches.clear();
    this.lastShared = null;
  }

  /** Whether any active continuous view reads the stream. */
  hasReaders(streamOid: number): boolean {
    return this.readStreams.has(streamOid);
  }

  definition(view: ContinuousViewEntry, stream: StreamEntry): ContinuousViewDefinition {
    return { name: view.name, query: view.query, stream: { name: stream.name, columns: stream.columns } };
  }

  /** The definition sent to worker and combiner threads: parsed here, since they do not load the parser. */
  private threadDefinition(view: ContinuousViewEntry, stream: StreamEntry): ContinuousViewDefinition {
    const def = this.definition(view, stream);
    try {
      return { ...def, parsed: parseStatements(def.query) };
    } catch (e) {
      // A stored query that no longer parses: the threads report this error when they compile it.
      const err = e instanceof PgError ? e : new PgError(SQLSTATE.internal_error, String((e as Error)?.message ?? e));
      return { ...def, parseError: { code: err.code, message: err.message } };
    }
  }

  // --- PipelineRuntimeHooks --------------------------------------------------------

  viewRelation(dbOid: number, view: ContinuousViewEntry): Relation | null {
    const stream = this.streams.streamByOid(dbOid, view.streamOid);
    if (!stream || view.action !== 'materialize') return null;
    return this.reader.relation(view.oid, this.definition(view, stream));
  }

  // --- catalog changes ---------------------------------------------------------------

  /** Sends the engine the active materializing views of every database; clears state that went away. */
  private sync(): void {
    // Batches built for the old definitions go first.
    this.flushAsync();
    const views: EngineView[] = [];
    const running = new Map<number, { truncations: number }>();
    const readStreams = new Set<number>();
    for (const db of this.catalog.listDatabases()) {
      for (const view of this.streams.allViews(db.oid)) {
        if (view.action !== 'materialize') continue;
        const stream = this.streams.streamByOid(db.oid, view.streamOid);
        if (!stream) continue;
        const before = this.running.get(view.oid);
        if (before && before.truncations !== view.truncations) this.clear(view.oid);
        running.set(view.oid, { truncations: view.truncations });
        views.push({ oid: view.oid, streamOid: stream.oid, definition: this.threadDefinition(view, stream), active: view.active });
        if (view.active) readStreams.add(stream.oid);
      }
    }
    for (const oid of this.running.keys()) {
      if (!running.has(oid)) this.clear(oid);
    }
    this.running = running;
    this.readStreams = readStreams;
    this.engine.setViews(views);
  }

  private clear(viewOid: number): void {
    this.reader.forget(viewOid);
    this.engine.clearView(viewOid).catch((e) => this.log.error({ view_oid: viewOid, err: String(e) }, 'could not clear continuous view state'));
  }
}
