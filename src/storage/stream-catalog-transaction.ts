// One session's transactional view of the stream / continuous query catalog.
// CREATE / ALTER / DROP of streams and views (continuous and plain),
// ACTIVATE / DEACTIVATE, TRUNCATE's counter and CREATE EXTENSION are
// buffered here until the transaction commits; reads see them first and
// the committed catalog underneath (other sessions' commits show up at
// once, as PostgreSQL's catalog lookups do). Commit hands everything to StreamCatalog.applyChanges,
// which re-validates it against what is committed by then and applies it in
// one LMDB write transaction; only then does the runtime hear of it, so a
// rolled-back DROP or TRUNCATE never touches a view's state.
import { PgError, SQLSTATE } from '../errors.js';
import type { TransactionParticipant } from '../server/transaction.js';
import {
  StreamCatalogLookups,
  byOid,
  relationExistsError,
  type ContinuousViewEntry,
  type PipelineRelation,
  type PlainViewEntry,
  type RelationChange,
  type StreamCatalog,
  type StreamCatalogReader,
  type StreamColumn,
  type StreamEntry,
} from './stream-catalog.js';

/** A transaction's changes. Replaced, never mutated, once a savepoint holds them. */
interface Changes {
  relations: Map<number, RelationChange>;
  /** Databases where CREATE EXTENSION ran in this transaction. */
  extensions: number[];
}

/** The lists of one database as this transaction sees them, rebuilt after each write or foreign commit. */
interface MergedLists {
  dbOid: number;
  committedVersion: number;
  views: ContinuousViewEntry[];
  streams: StreamEntry[];
  plainViews: PlainViewEntry[];
}

export type NewViewEntry = Omit<ContinuousViewEntry, 'kind' | 'oid' | 'id' | 'active' | 'truncations'>;
export type NewPlainViewEntry = Omit<PlainViewEntry, 'kind' | 'oid'>;

export class StreamCatalogTransaction extends StreamCatalogLookups implements StreamCatalogReader, TransactionParticipant {
  /** null until the first write, so statements without DDL allocate nothing. */
  private changes: Changes | null = null;
  /** `changes` is also held by a savepoint: the next write copies it first. */
  private shared = false;
  private merged: MergedLists | null = null;

  constructor(readonly committed: StreamCatalog) {
    super();
  }

  /** true when this transaction has uncommitted stream or view changes. */
  get hasChanges(): boolean {
    return this.changes !== null && (this.changes.relations.size > 0 || this.changes.extensions.length > 0);
  }

  // --- reads -------------------------------------------------------------------------

  relationByName(dbOid: number, name: string): PipelineRelation | undefined {
    const relations = this.changes?.relations;
    if (relations === undefined || relations.size === 0) return this.committed.relationByName(dbOid, name);
    for (const c of relations.values()) if (c.next !== null && c.dbOid === dbOid && c.next.name === name) return c.next;
    const rel = this.committed.relationByName(dbOid, name);
    // Changed or dropped here: a change under this name was found above, so it is gone.
    return rel && relations.has(rel.oid) ? undefined : rel;
  }

  relationByOid(dbOid: number, oid: number): PipelineRelation | undefined {
    const c = this.changes?.relations.get(oid);
    if (c) return c.dbOid === dbOid ? (c.next ?? undefined) : undefined;
    return this.committed.relationByOid(dbOid, oid);
  }

  allViews(dbOid: number): readonly ContinuousViewEntry[] {
    if (!this.hasRelationChanges) return this.committed.allViews(dbOid);
    return this.mergedLists(dbOid).views;
  }

  allStreams(dbOid: number): readonly StreamEntry[] {
    if (!this.hasRelationChanges) return this.committed.allStreams(dbOid);
    return this.mergedLists(dbOid).streams;
  }

  plainViews(dbOid: number): readonly PlainViewEntry[] {
    if (!this.hasRelationChanges) return this.committed.plainViews(dbOid);
    return this.mergedLists(dbOid).plainViews;
  }

  extensionCreated(dbOid: number): boolean {
    return (this.changes?.extensions.includes(dbOid) ?? false) || this.committed.extensionCreated(dbOid);
  }

  /**
   * A view whose rows this transaction cannot see in the runtime's state:
   * created here (nothing runs it before commit) or truncated here (its state
   * is cleared at commit). Reads of it return no rows.
   */
  readsAsEmpty(view: ContinuousViewEntry): boolean {
    const c = this.changes?.relations.get(view.oid);
    if (!c || c.next === null) return false;
    return c.base === null || (c.base.kind === 'view' && c.base.truncations !== view.truncations);
  }

  /**
   * Rows may only be written to a stream the runtime knows as this
   * transaction sees it: one created or altered here is refused until commit
   * (stream writes are not transactional, and the engine decodes rows by the
   * committed definition).
   */
  requireCommittedStream(stream: StreamEntry): void {
    const c = this.changes?.relations.get(stream.oid);
    if (!c) return;
    throw new PgError(SQLSTATE.object_not_in_prerequisite_state, `stream "${stream.name}" has uncommitted changes`, {
      detail: c.base === null ? 'The stream was created in this transaction.' : 'The stream was altered in this transaction.',
      hint: 'Commit the transaction before writing to the stream.',
    });
  }

  // --- changes (callers have validated the statement) ---------------------------------

  /** Fails with 42P07 when the name is taken by any stream or view. */
  createStream(dbOid: number, schema: string, name: string, columns: StreamColumn[]): StreamEntry {
    this.requireFreeName(dbOid, name);
    const entry: StreamEntry = { kind: 'stream', oid: this.committed.newOid(), dbOid, schema, name, columns };
    this.set({ oid: entry.oid, dbOid, base: null, next: entry });
    return entry;
  }

  /** Appends columns to a stream (ALTER STREAM ... ADD COLUMN). */
  addStreamColumns(dbOid: number, name: string, columns: StreamColumn[]): StreamEntry {
    const current = this.streamByName(dbOid, name);
    if (!current) throw new PgError(SQLSTATE.undefined_table, `relation "${name}" does not exist`);
    const next: StreamEntry = { ...current, columns: [...current.columns, ...columns] };
    this.set({ oid: current.oid, dbOid, base: this.baseOf(current), next });
    return next;
  }

  /** The new view gets the smallest query id free in the database as this transaction sees it. */
  createView(entry: NewViewEntry): ContinuousViewEntry {
    this.requireFreeName(entry.dbOid, entry.name);
    if (!this.streamByOid(entry.dbOid, entry.streamOid)) {
      throw new PgError(SQLSTATE.undefined_table, 'the stream read by the continuous query no longer exists');
    }
    const created: ContinuousViewEntry = {
      ...entry,
      kind: 'view',
      oid: this.committed.newOid(),
      id: this.freeQueryId(entry.dbOid),
      active: true,
      truncations: 0,
    };
    this.set({ oid: created.oid, dbOid: entry.dbOid, base: null, next: created });
    return created;
  }

  /** Fails with 42P07 when the name is taken; the relations it reads must exist as this transaction sees them. */
  createPlainView(entry: NewPlainViewEntry): PlainViewEntry {
    this.requireFreeName(entry.dbOid, entry.name);
    this.requireReferences(entry);
    const created: PlainViewEntry = { ...entry, kind: 'sqlview', oid: this.committed.newOid() };
    this.set({ oid: created.oid, dbOid: entry.dbOid, base: null, next: created });
    return created;
  }

  /** CREATE OR REPLACE VIEW of a plain view: same OID, new definition (the caller checked the columns). */
  replacePlainView(current: PlainViewEntry, entry: NewPlainViewEntry): PlainViewEntry {
    this.requireReferences(entry);
    const next: PlainViewEntry = { ...entry, kind: 'sqlview', oid: current.oid };
    this.set({ oid: current.oid, dbOid: current.dbOid, base: this.baseOf(current), next });
    return next;
  }

  /** Drops streams and views by name (the caller has resolved dependencies). */
  dropRelations(dbOid: number, names: readonly string[]): void {
    for (const name of names) {
      const current = this.relationByName(dbOid, name);
      if (!current) continue;
      const base = this.baseOf(current);
      if (base === null) this.writable().relations.delete(current.oid); // created here: nothing to commit
      else this.set({ oid: current.oid, dbOid, base, next: null });
    }
  }

  /** Sets a continuous query's active flag; returns true when it changed. */
  setActive(dbOid: number, name: string, active: boolean): boolean {
    const current = this.viewByName(dbOid, name);
    if (!current || current.active === active) return false;
    this.set({ oid: current.oid, dbOid, base: this.baseOf(current), next: { ...current, active } });
    return true;
  }

  /** Counts a truncation of a view's state; the runtime clears the state when the commit lands. */
  recordTruncation(dbOid: number, name: string): ContinuousViewEntry {
    const current = this.viewByName(dbOid, name);
    if (!current) throw new PgError(SQLSTATE.undefined_object, `continuous view "${name}" does not exist`);
    const next: ContinuousViewEntry = { ...current, truncations: current.truncations + 1 };
    this.set({ oid: current.oid, dbOid, base: this.baseOf(current), next });
    return next;
  }

  /** Records CREATE EXTENSION pipelinedb; false when it was already recorded. */
  createExtension(dbOid: number): boolean {
    if (this.extensionCreated(dbOid)) return false;
    this.writable().extensions.push(dbOid);
    return true;
  }

  // --- TransactionParticipant ------------------------------------------------------------

  begin(): void {
    this.clear();
  }

  /** Throws when the changes no longer apply (another session committed a conflicting change); nothing is written then. */
  commit(): void {
    this.commitWith(null);
  }

  /**
   * Commits, with `within` writing its own part in the same LMDB write
   * transaction (the role catalog's changes), so a conflict in either leaves
   * both uncommitted.
   */
  commitWith(within: (() => void) | null): void {
    const changes = this.changes;
    const pending = this.hasChanges;
    this.clear();
    if (!pending) {
      within?.();
      return;
    }
    this.committed.applyChanges({ relations: [...changes!.relations.values()], extensions: changes!.extensions }, within ?? undefined);
  }

  rollback(): void {
    this.clear();
  }

  /** The token is the change set itself (null when empty); it stays untouched because the next write copies it. */
  savepoint(): unknown {
    if (!this.hasChanges) return null;
    this.shared = true;
    return this.changes;
  }

  rollbackTo(token: unknown): void {
    this.changes = token as Changes | null;
    // ROLLBACK TO keeps the savepoint, which may be rolled back to again.
    this.shared = this.changes !== null;
    this.merged = null;
  }

  release(): void {}

  // --- helpers ---------------------------------------------------------------------------

  private get hasRelationChanges(): boolean {
    return this.changes !== null && this.changes.relations.size > 0;
  }

  private requireReferences(entry: NewPlainViewEntry): void {
    for (const r of entry.references) {
      if (!this.relationByOid(entry.dbOid, r.oid)) throw new PgError(SQLSTATE.undefined_table, 'a relation read by the view no longer exists');
    }
  }

  private requireFreeName(dbOid: number, name: string): void {
    if (this.relationByName(dbOid, name)) throw relationExistsError(name);
  }

  /** The committed version a change to this relation starts from (null: created here). */
  private baseOf(current: PipelineRelation): PipelineRelation | null {
    const earlier = this.changes?.relations.get(current.oid);
    return earlier ? earlier.base : current;
  }

  private set(change: RelationChange): void {
    this.writable().relations.set(change.oid, change);
  }

  /** The change set to write to: created on the first write, copied when a savepoint holds it. */
  private writable(): Changes {
    if (this.changes === null) this.changes = { relations: new Map(), extensions: [] };
    else if (this.shared) this.changes = { relations: new Map(this.changes.relations), extensions: [...this.changes.extensions] };
    this.shared = false;
    this.merged = null;
    return this.changes;
  }

  /** The smallest continuous query id not in use in the database (ids start at 1). */
  private freeQueryId(dbOid: number): number {
    const used = new Set<number>();
    for (const v of this.allViews(dbOid)) used.add(v.id);
    let id = 1;
    while (used.has(id)) id++;
    return id;
  }

  private mergedLists(dbOid: number): MergedLists {
    const committedVersion = this.committed.version();
    const m = this.merged;
    if (m !== null && m.dbOid === dbOid && m.committedVersion === committedVersion) return m;
    const relations = this.changes!.relations;
    const views = this.committed.allViews(dbOid).filter((v) => !relations.has(v.oid));
    const streams = this.committed.allStreams(dbOid).filter((s) => !relations.has(s.oid));
    const plainViews = this.committed.plainViews(dbOid).filter((v) => !relations.has(v.oid));
    for (const c of relations.values()) {
      if (c.next === null || c.dbOid !== dbOid) continue;
      if (c.next.kind === 'view') views.push(c.next);
      else if (c.next.kind === 'sqlview') plainViews.push(c.next);
      else streams.push(c.next);
    }
    views.sort(byOid);
    streams.sort(byOid);
    plainViews.sort(byOid);
    return (this.merged = { dbOid, committedVersion, views, streams, plainViews });
  }

  private clear(): void {
    this.changes = null;
    this.shared = false;
    this.merged = null;
  }
}
