// The catalog of streams and continuous queries (views and transforms), per
// database, in the "pipeline" named database of the data directory's LMDB
// environment. Streams and views share PostgreSQL's relation namespace, so
// both live under one key space:
//
//   ['rel', dbOid, name]  -> StreamEntry | ContinuousViewEntry
//   ['version']           -> catalog version, +1 on every change
//   ['extension', dbOid]  -> true once CREATE EXTENSION pipelinedb ran there
//
// Every change is one synchronous write transaction (it survives kill -9).
// Reads are served from an in-memory copy that is rebuilt whenever the stored
// version differs from the one it was built at, so another thread's handle on
// the same environment sees changes too.
import type { Database, RootDatabase } from 'lmdb';
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

export type PipelineRelation = StreamEntry | ContinuousViewEntry;

type Key = (string | number)[];

const VERSION_KEY: Key = ['version'];

interface DatabaseCache {
  byName: Map<string, PipelineRelation>;
  byOid: Map<number, PipelineRelation>;
  /** Views sorted by OID (creation order). */
  views: ContinuousViewEntry[];
  streams: StreamEntry[];
}

export class StreamCatalog {
  private readonly db: Database<unknown, Key>;
  private cacheVersion = -1;
  private readonly cache = new Map<number, DatabaseCache>();
  private readonly listeners = new Set<(version: number) => void>();

  constructor(
    private readonly env: RootDatabase,
    /** Hands out a new OID (PostgreSQL's counter is shared by all objects). */
    private readonly allocateOid: () => number,
  ) {
    this.db = env.openDB<unknown, Key>({ name: 'pipeline' });
  }

  // --- reads ----------------------------------------------------------------------

  /** Increments on every stream or view change (workers reload their plans when it moves). */
  version(): number {
    return (this.db.get(VERSION_KEY) as number | undefined) ?? 0;
  }

  /** Calls `fn` after every change made through this handle, with the new version. */
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

  /** Continuous views and transforms, in creation order. */
  allViews(dbOid: number): readonly ContinuousViewEntry[] {
    return this.database(dbOid).views;
  }

  /** Streams in creation order. */
  allStreams(dbOid: number): readonly StreamEntry[] {
    return this.database(dbOid).streams;
  }

  /** The continuous queries reading a stream (active or not), in creation order. */
  viewsReadingStream(dbOid: number, streamOid: number): ContinuousViewEntry[] {
    return this.database(dbOid).views.filter((v) => v.streamOid === streamOid);
  }

  // --- writes (callers have validated the statement) -------------------------------

  /** Fails with 42P07 when the name is taken by any stream or view. */
  createStream(dbOid: number, schema: string, name: string, columns: StreamColumn[]): StreamEntry {
    const oid = this.allocateOid();
    const entry: StreamEntry = { kind: 'stream', oid, dbOid, schema, name, columns };
    this.write(() => {
      this.requireFreeName(dbOid, name);
      this.db.putSync(['rel', dbOid, name], entry);
    });
    return entry;
  }

  /** Appends columns to a stream (ALTER STREAM ... ADD COLUMN). */
  addStreamColumns(dbOid: number, name: string, columns: StreamColumn[]): StreamEntry {
    let updated: StreamEntry | undefined;
    this.write(() => {
      const current = this.db.get(['rel', dbOid, name]) as PipelineRelation | undefined;
      if (current?.kind !== 'stream') throw new PgError(SQLSTATE.undefined_table, `relation "${name}" does not exist`);
      updated = { ...current, columns: [...current.columns, ...columns] };
      this.db.putSync(['rel', dbOid, name], updated);
    });
    return updated!;
  }

  createView(entry: Omit<ContinuousViewEntry, 'kind' | 'oid' | 'id' | 'active' | 'truncations'>): ContinuousViewEntry {
    const oid = this.allocateOid();
    let created: ContinuousViewEntry | undefined;
    this.write(() => {
      this.requireFreeName(entry.dbOid, entry.name);
      const stream = this.db.get(['rel', entry.dbOid, this.nameOfOid(entry.dbOid, entry.streamOid) ?? '']) as PipelineRelation | undefined;
      if (stream?.kind !== 'stream') throw new PgError(SQLSTATE.undefined_table, 'the stream read by the continuous query no longer exists');
      created = { ...entry, kind: 'view', oid, id: this.freeQueryId(entry.dbOid), active: true, truncations: 0 };
      this.db.putSync(['rel', entry.dbOid, entry.name], created);
    });
    return created!;
  }

  /** Removes streams and views by name in one transaction (the caller has resolved dependencies). */
  dropRelations(dbOid: number, names: readonly string[]): void {
    this.write(() => {
      for (const name of names) this.db.removeSync(['rel', dbOid, name]);
    });
  }

  /** Sets a continuous query's active flag; returns true when it changed. */
  setActive(dbOid: number, name: string, active: boolean): boolean {
    let changed = false;
    const current = this.viewByName(dbOid, name);
    if (!current || current.active === active) return false;
    this.write(() => {
      const stored = this.db.get(['rel', dbOid, name]) as PipelineRelation | undefined;
      if (stored?.kind !== 'view' || stored.active === active) return;
      this.db.putSync(['rel', dbOid, name], { ...stored, active });
      changed = true;
    });
    return changed;
  }

  /** Counts a truncation of a view's state (the runtime removes the state itself). */
  recordTruncation(dbOid: number, name: string): ContinuousViewEntry {
    let updated: ContinuousViewEntry | undefined;
    this.write(() => {
      const stored = this.db.get(['rel', dbOid, name]) as PipelineRelation | undefined;
      if (stored?.kind !== 'view') throw new PgError(SQLSTATE.undefined_object, `continuous view "${name}" does not exist`);
      updated = { ...stored, truncations: stored.truncations + 1 };
      this.db.putSync(['rel', dbOid, name], updated);
    });
    return updated!;
  }

  /** Whether CREATE EXTENSION pipelinedb ran in the database. */
  extensionCreated(dbOid: number): boolean {
    return this.db.get(['extension', dbOid]) !== undefined;
  }

  /** Records CREATE EXTENSION pipelinedb; false when it was already recorded. */
  createExtension(dbOid: number): boolean {
    return this.env.transactionSync(() => {
      if (this.db.get(['extension', dbOid]) !== undefined) return false;
      this.db.putSync(['extension', dbOid], true);
      return true;
    });
  }

  /** Removes everything a dropped database held. */
  dropDatabaseObjects(dbOid: number): void {
    const keys: Key[] = [];
    for (const key of this.db.getKeys({ start: ['rel', dbOid], end: ['rel', dbOid + 1] })) keys.push(key as Key);
    this.write(() => {
      for (const key of keys) this.db.removeSync(key);
      this.db.removeSync(['extension', dbOid]);
    });
  }

  // --- helpers -----------------------------------------------------------------------

  /** Runs `fn` in a write transaction that also bumps the version, then notifies listeners. */
  private write(fn: () => void): void {
    let version = 0;
    this.env.transactionSync(() => {
      fn();
      version = ((this.db.get(VERSION_KEY) as number | undefined) ?? 0) + 1;
      this.db.putSync(VERSION_KEY, version);
    });
    for (const l of this.listeners) l(version);
  }

  private requireFreeName(dbOid: number, name: string): void {
    if (this.db.get(['rel', dbOid, name]) !== undefined) {
      throw new PgError(SQLSTATE.duplicate_table, `relation "${name}" already exists`);
    }
  }

  private nameOfOid(dbOid: number, oid: number): string | undefined {
    for (const { value } of this.db.getRange({ start: ['rel', dbOid], end: ['rel', dbOid + 1] })) {
      const r = value as PipelineRelation;
      if (r.oid === oid) return r.name;
    }
    return undefined;
  }

  /** The smallest continuous-query id not in use in the database (ids start at 1). */
  private freeQueryId(dbOid: number): number {
    const used = new Set<number>();
    for (const { value } of this.db.getRange({ start: ['rel', dbOid], end: ['rel', dbOid + 1] })) {
      const r = value as PipelineRelation;
      if (r.kind === 'view') used.add(r.id);
    }
    let id = 1;
    while (used.has(id)) id++;
    return id;
  }

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
    const c: DatabaseCache = { byName: new Map(), byOid: new Map(), views: [], streams: [] };
    for (const { value } of this.db.getRange({ start: ['rel', dbOid], end: ['rel', dbOid + 1] })) {
      const r = value as PipelineRelation;
      c.byName.set(r.name, r);
      c.byOid.set(r.oid, r);
      if (r.kind === 'view') c.views.push(r);
      else c.streams.push(r);
    }
    c.views.sort((a, b) => a.oid - b.oid);
    c.streams.sort((a, b) => a.oid - b.oid);
    return c;
  }
}
