// The catalog of streams, continuous queries (views and transforms) and
// plain SQL views, per database, in the "pipeline" named database of the
// data directory's LMDB environment. They all share PostgreSQL's relation
// namespace, so they live under one key space:
//
//   ['rel', dbOid, name]  -> StreamEntry | ContinuousViewEntry | PlainViewEntry
//   ['version']           -> catalog version, +1 on every commit
//   ['extension', dbOid]  -> true once CREATE EXTENSION pipelinedb ran there
//
// This is the committed catalog. SQL changes it through a session's
// StreamCatalogTransaction, which buffers them and hands them to
// applyChanges at commit: one synchronous write transaction (it survives
// kill -9). Reads are served from an in-memory copy that is rebuilt whenever
// the stored version differs from the one it was built at, so another
// thread's handle on the same environment sees commits too.
import type { Database, RootDatabase } from 'lmdb';
import { quoteIdentifier } from '../config/identifiers.js';
import { PgError, SQLSTATE } from '../errors.js';

export interface StreamColumn {
  name: string;
  typeOid: number;
  typmod: number;
}

export const ARRIVAL_TIMESTAMP = 'arrival_timestamp';

export interface StreamEntry {
  kind: 'stream';
  oid: number;
  dbOid: number;
  schema: string;
  name: string;
  /** Declared columns in order; `arrival_timestamp timestamptz` follows them implicitly. */
  columns: StreamColumn[];
}

export type ContinuousAction = 'materialize' | 'transform';

export interface ContinuousViewOptions {
  /** Sliding window as written, e.g. '1 hour' (the `sw` option). */
  sw: string | null;
  /** Sliding-window step as a percentage of the window (1..50). */
  stepFactor: number | null;
  /** TTL in seconds. */
  ttl: number | null;
  ttlColumn: string | null;
  fillfactor: number | null;
}

export interface OutputFunction {
  /** Name as written, possibly schema-qualified (e.g. "pipelinedb.insert_into_stream"). */
  name: string;
  /** Literal string arguments. */
  args: string[];
}

export interface ContinuousViewEntry {
  kind: 'view';
  /** The relation OID (SELECT ... FROM v). */
  oid: number;
  /** The continuous query id (pipelinedb.views.id): the smallest id free in the database when created. */
  id: number;
  dbOid: number;
  schema: string;
  name: string;
  action: ContinuousAction;
  /** The defining SELECT as the user wrote it. */
  query: string;
  /** The one stream the query reads. */
  streamOid: number;
  /** Output columns as the view's SELECT * returns them. */
  columns: StreamColumn[];
  options: ContinuousViewOptions;
  /** Transforms: the function called for each output row (null: none). */
  outputFunction: OutputFunction | null;
  active: boolean;
  /** Times the view was truncated; the runtime clears state when it changes. */
  truncations: number;
}

/** A relation a plain view reads, with the number of its columns the view saw (a plain view may grow since). */
export interface ViewReference {
  oid: number;
  width: number;
}

/** A plain (non-continuous) SQL view: its SELECT runs at each read and reads no stream. */
export interface PlainViewEntry {
  kind: 'sqlview';
  oid: number;
  dbOid: number;
  schema: string;
  name: string;
  /** The defining SELECT as the user wrote it. */
  query: string;
  /** Output columns, column aliases applied. */
  columns: StreamColumn[];
  /** The continuous and plain views its FROM clauses name (its dependencies). */
  references: ViewReference[];
}

export type PipelineRelation = StreamEntry | ContinuousViewEntry | PlainViewEntry;

/** A relation that depends on another: a continuous query on its stream, a plain view on what it reads. */
export type DependentRelation = ContinuousViewEntry | PlainViewEntry;

/** Whether `r` depends directly on the relation with this OID. */
function dependsOn(r: PipelineRelation, oid: number): r is DependentRelation {
  return r.kind === 'view' ? r.streamOid === oid : r.kind === 'sqlview' && r.references.some((x) => x.oid === oid);
}

/** Creation order: OIDs only grow. */
export function byOid(a: PipelineRelation, b: PipelineRelation): number {
  return a.oid - b.oid;
}

/**
 * One relation's change within a transaction: `base` is the committed version
 * it was made from (null: created in the transaction), `next` the version to
 * commit (null: dropped).
 */
export interface RelationChange {
  oid: number;
  dbOid: number;
  base: PipelineRelation | null;
  next: PipelineRelation | null;
}

/** What one transaction commits. */
export interface StreamCatalogChanges {
  relations: readonly RelationChange[];
  /** Databases where CREATE EXTENSION pipelinedb ran. */
  extensions: readonly number[];
}

/** The lookups statements make; the committed catalog and a session's transactional view both answer them. */
export interface StreamCatalogReader {
  relationByName(dbOid: number, name: string): PipelineRelation | undefined;
  relationByOid(dbOid: number, oid: number): PipelineRelation | undefined;
  streamByName(dbOid: number, name: string): StreamEntry | undefined;
  streamByOid(dbOid: number, oid: number): StreamEntry | undefined;
  viewByName(dbOid: number, name: string): ContinuousViewEntry | undefined;
  viewByOid(dbOid: number, oid: number): ContinuousViewEntry | undefined;
  /** Continuous views and transforms, in creation order. */
  allViews(dbOid: number): readonly ContinuousViewEntry[];
  /** Streams in creation order. */
  allStreams(dbOid: number): readonly StreamEntry[];
  /** Plain SQL views, in creation order. */
  plainViews(dbOid: number): readonly PlainViewEntry[];
  /** The continuous queries reading a stream (active or not), in creation order. */
  viewsReadingStream(dbOid: number, streamOid: number): ContinuousViewEntry[];
  /** The relations depending directly on a relation (readers of a stream, plain views reading it), in creation order. */
  dependentsOf(dbOid: number, oid: number): DependentRelation[];
  extensionCreated(dbOid: number): boolean;
}

/** The typed lookups of a StreamCatalogReader, derived from its relation lookups and lists. */
export abstract class StreamCatalogLookups {
  abstract relationByName(dbOid: number, name: string): PipelineRelation | undefined;
  abstract relationByOid(dbOid: number, oid: number): PipelineRelation | undefined;
  abstract allViews(dbOid: number): readonly ContinuousViewEntry[];
  abstract plainViews(dbOid: number): readonly PlainViewEntry[];

  viewsReadingStream(dbOid: number, streamOid: number): ContinuousViewEntry[] {
    return this.allViews(dbOid).filter((v) => v.streamOid === streamOid);
  }

  dependentsOf(dbOid: number, oid: number): DependentRelation[] {
    return [...this.allViews(dbOid), ...this.plainViews(dbOid)].filter((r) => dependsOn(r, oid)).sort(byOid);
  }

  streamByName(dbOid: number, name: string): StreamEntry | undefined {
    const r = this.relationByName(dbOid, name);
    return r?.kind === 'stream' ? r : undefined;
  }

  streamByOid(dbOid: number, oid: number): StreamEntry | undefined {
    const r = this.relationByOid(dbOid, oid);
    return r?.kind === 'stream' ? r : undefined;
  }

  viewByName(dbOid: number, name: string): ContinuousViewEntry | undefined {
    const r = this.relationByName(dbOid, name);
    return r?.kind === 'view' ? r : undefined;
  }

  viewByOid(dbOid: number, oid: number): ContinuousViewEntry | undefined {
    const r = this.relationByOid(dbOid, oid);
    return r?.kind === 'view' ? r : undefined;
  }
}

/** PostgreSQL's public schema, the namespace of every stream and view (for error details). */
const PUBLIC_NAMESPACE_OID = 2200;

/** 42P07: the name is taken by a stream or view. */
export function relationExistsError(name: string): PgError {
  return new PgError(SQLSTATE.duplicate_table, `relation "${name}" already exists`);
}

/** A concurrent transaction committed a relation of the same name first (streams and views both have row types). */
function duplicateRelationName(name: string): PgError {
  return new PgError(SQLSTATE.unique_violation, 'duplicate key value violates unique constraint "pg_type_typname_nsp_index"', {
    detail: `Key (typname, typnamespace)=(${name}, ${PUBLIC_NAMESPACE_OID}) already exists.`,
    schema: 'pg_catalog',
    table: 'pg_type',
    constraint: 'pg_type_typname_nsp_index',
  });
}

function duplicateExtension(): PgError {
  return new PgError(SQLSTATE.unique_violation, 'duplicate key value violates unique constraint "pg_extension_name_index"', {
    detail: 'Key (extname)=(pipelinedb) already exists.',
    schema: 'pg_catalog',
    table: 'pg_extension',
    constraint: 'pg_extension_name_index',
  });
}

/** How PostgreSQL describes the relation in messages ("foreign table s", "view v"), the name quoted if needed. */
export function describeRelation(rel: PipelineRelation): string {
  return `${rel.kind === 'stream' ? 'foreign table' : 'view'} ${quoteIdentifier(rel.name)}`;
}

export const DROP_CASCADE_HINT = 'Use DROP ... CASCADE to drop the dependent objects too.';

/** 2BP01: a relation others depend on cannot be dropped without them. */
export function hasDependentsError(rel: PipelineRelation, dependents: readonly DependentRelation[]): PgError {
  return new PgError(SQLSTATE.dependent_objects_still_exist, `cannot drop ${describeRelation(rel)} because other objects depend on it`, {
    detail: dependents.map((v) => `${describeRelation(v)} depends on ${describeRelation(rel)}`).join('\n'),
    hint: DROP_CASCADE_HINT,
  });
}

/** Structural equality of two stored values (plain objects, arrays and scalars). */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ak = Object.keys(a);
  const bk = Object.keys(b);
  if (ak.length !== bk.length) return false;
  for (const k of ak) if (!sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

type Key = (string | number)[];

const VERSION_KEY: Key = ['version'];

interface DatabaseCache {
  byName: Map<string, PipelineRelation>;
  byOid: Map<number, PipelineRelation>;
  /** Views sorted by OID (creation order). */
  views: ContinuousViewEntry[];
  streams: StreamEntry[];
  plainViews: PlainViewEntry[];
}

export class StreamCatalog extends StreamCatalogLookups implements StreamCatalogReader {
  private readonly db: Database<unknown, Key>;
  private cacheVersion = -1;
  private readonly cache = new Map<number, DatabaseCache>();
  private readonly listeners = new Set<(version: number) => void>();

  constructor(
    private readonly env: RootDatabase,
    /** Hands out a new OID (PostgreSQL's counter is shared by all objects). */
    private readonly allocateOid: () => number,
  ) {
    super();
    this.db = env.openDB<unknown, Key>({ name: 'pipeline' });
  }

  // --- reads ----------------------------------------------------------------------

  /** Increments on every stream or view change (workers reload their plans when it moves). */
  version(): number {
    return (this.db.get(VERSION_KEY) as number | undefined) ?? 0;
  }

  /** Calls `fn` after every commit made through this handle (never for uncommitted changes), with the new version. */
  onChange(fn: (version: number) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  relationByName(dbOid: number, name: string): PipelineRelation | undefined {
    return this.database(dbOid).byName.get(name);
  }

  relationByOid(dbOid: number, oid: number): PipelineRelation | undefined {
    return this.database(dbOid).byOid.get(oid);
  }

  /** Continuous views and transforms, in creation order. */
  allViews(dbOid: number): readonly ContinuousViewEntry[] {
    return this.database(dbOid).views;
  }

  /** Streams in creation order. */
  allStreams(dbOid: number): readonly StreamEntry[] {
    return this.database(dbOid).streams;
  }

  /** Plain SQL views in creation order. */
  plainViews(dbOid: number): readonly PlainViewEntry[] {
    return this.database(dbOid).plainViews;
  }

  /** Whether CREATE EXTENSION pipelinedb ran in the database. */
  extensionCreated(dbOid: number): boolean {
    return this.db.get(['extension', dbOid]) !== undefined;
  }

  // --- writes ------------------------------------------------------------------------

  /** Hands out an OID for a new stream or view (not given back if its transaction rolls back). */
  newOid(): number {
    return this.allocateOid();
  }

  /**
   * Commits one transaction's changes (built by StreamCatalogTransaction) in
   * one LMDB write transaction, after `within` has written its own part to
   * the same environment (the role catalog), so either both land or neither.
   * Every change must still apply to what is committed by now; when another
   * session's commit got in the way this throws PostgreSQL's error for the
   * conflict and nothing is written. Listeners hear of the change only once
   * it is committed.
   */
  applyChanges(changes: StreamCatalogChanges, within?: () => void): void {
    let version = 0;
    this.env.transactionSync(() => {
      within?.();
      // Reads here go to the write transaction, never to the read cache: it
      // must not hold state that may still be rolled back.
      this.checkBases(changes.relations);
      for (const c of changes.relations) if (c.base !== null) this.db.removeSync(['rel', c.dbOid, c.base.name]);
      const created: ContinuousViewEntry[] = [];
      for (const c of changes.relations) {
        if (c.next === null) continue;
        if (this.db.get(['rel', c.dbOid, c.next.name]) !== undefined) throw duplicateRelationName(c.next.name);
        if (c.base === null && c.next.kind === 'view') created.push(c.next);
        else this.db.putSync(['rel', c.dbOid, c.next.name], c.next);
      }
      this.putCreatedViews(created);
      this.checkDependencies(changes.relations);
      for (const dbOid of changes.extensions) {
        if (this.db.get(['extension', dbOid]) !== undefined) throw duplicateExtension();
        this.db.putSync(['extension', dbOid], true);
      }
      version = this.bumpVersion();
    });
    for (const l of this.listeners) l(version);
  }

  /** Removes everything a dropped database held (DROP DATABASE runs outside transaction blocks). */
  dropDatabaseObjects(dbOid: number): void {
    const keys: Key[] = [];
    for (const key of this.db.getKeys({ start: ['rel', dbOid], end: ['rel', dbOid + 1] })) keys.push(key as Key);
    let version = 0;
    this.env.transactionSync(() => {
      for (const key of keys) this.db.removeSync(key);
      this.db.removeSync(['extension', dbOid]);
      version = this.bumpVersion();
    });
    for (const l of this.listeners) l(version);
  }

  // --- commit checks -------------------------------------------------------------------

  /** Each changed or dropped relation is still the committed version the transaction started from. */
  private checkBases(changes: readonly RelationChange[]): void {
    for (const c of changes) {
      if (c.base === null) continue;
      const stored = this.db.get(['rel', c.dbOid, c.base.name]) as PipelineRelation | undefined;
      if (stored === undefined || stored.oid !== c.base.oid) throw new PgError(SQLSTATE.internal_error, 'tuple concurrently deleted');
      if (!sameData(stored, c.base)) throw new PgError(SQLSTATE.internal_error, 'tuple concurrently updated');
    }
  }

  /**
   * Views created by the transaction: their stream must still exist, and a
   * query id another session took meanwhile is replaced by the smallest free one.
   */
  private putCreatedViews(created: readonly ContinuousViewEntry[]): void {
    if (created.length === 0) return;
    const used = new Map<number, Set<number>>();
    for (const view of created) {
      let ids = used.get(view.dbOid);
      if (!ids) {
        ids = new Set();
        for (const r of this.storedRelations(view.dbOid)) if (r.kind === 'view') ids.add(r.id);
        used.set(view.dbOid, ids);
      }
      let id = view.id;
      if (ids.has(id)) for (id = 1; ids.has(id); id++);
      ids.add(id);
      this.db.putSync(['rel', view.dbOid, view.name], id === view.id ? view : { ...view, id });
    }
  }

  /**
   * No view may be left reading a relation that is gone: another session may
   * have created one on a relation dropped here, or dropped what a view
   * created (or replaced) here reads. Runs after this transaction's writes.
   */
  private checkDependencies(changes: readonly RelationChange[]): void {
    const dbOids = new Set<number>();
    for (const c of changes) {
      if ((c.base !== null && c.next === null) || c.next?.kind === 'view' || c.next?.kind === 'sqlview') dbOids.add(c.dbOid);
    }
    for (const dbOid of dbOids) {
      const stored = new Map<number, PipelineRelation>();
      for (const r of this.storedRelations(dbOid)) stored.set(r.oid, r);
      const missing = (oid: number) => new PgError(SQLSTATE.internal_error, `could not open relation with OID ${oid}`);
      for (const c of changes) {
        if (c.dbOid !== dbOid) continue;
        if (c.next?.kind === 'view' && !stored.has(c.next.streamOid)) throw missing(c.next.streamOid);
        if (c.next?.kind === 'sqlview') for (const r of c.next.references) if (!stored.has(r.oid)) throw missing(r.oid);
        if (c.base !== null && c.next === null) {
          const dropped = c.base.oid;
          const readers = [...stored.values()].filter((r) => dependsOn(r, dropped));
          if (readers.length > 0) throw hasDependentsError(c.base, readers.sort(byOid));
        }
      }
    }
  }

  private *storedRelations(dbOid: number): Iterable<PipelineRelation> {
    for (const { value } of this.db.getRange({ start: ['rel', dbOid], end: ['rel', dbOid + 1] })) yield value as PipelineRelation;
  }

  private bumpVersion(): number {
    const version = ((this.db.get(VERSION_KEY) as number | undefined) ?? 0) + 1;
    this.db.putSync(VERSION_KEY, version);
    return version;
  }

  // --- read cache ------------------------------------------------------------------

  private database(dbOid: number): DatabaseCache {
    const version = this.version();
    if (version !== this.cacheVersion) {
      this.cache.clear();
      this.cacheVersion = version;
    }
    let c = this.cache.get(dbOid);
    if (!c) {
      c = this.load(dbOid);
      this.cache.set(dbOid, c);
    }
    return c;
  }

  private load(dbOid: number): DatabaseCache {
    const c: DatabaseCache = { byName: new Map(), byOid: new Map(), views: [], streams: [], plainViews: [] };
    for (const r of this.storedRelations(dbOid)) {
      c.byName.set(r.name, r);
      c.byOid.set(r.oid, r);
      if (r.kind === 'view') c.views.push(r);
      else if (r.kind === 'sqlview') c.plainViews.push(r);
      else c.streams.push(r);
    }
    c.views.sort(byOid);
    c.streams.sort(byOid);
    c.plainViews.sort(byOid);
    return c;
  }
}
