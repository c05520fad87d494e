// Reads of continuous views: a view is a relation whose rows are its
// committed groups, finalized. Plans are compiled once per view definition
// on the main thread and reused by every read.
import type { PartialScan, PushedRows, Relation } from '../sql/select/relation.js';
import type { ColumnDesc } from '../sql/expr/scope.js';
import type { EvalContext } from '../sql/functions/catalog.js';
import { OID } from '../types/oids.js';
import { compileContinuousPlan } from '../planner/compile-plan.js';
import type { CompiledContinuousPlan, ContinuousViewDefinition, StoredRowReader } from '../planner/continuous-plan.js';
import type { StoredGroup } from '../storage/view-state-store.js';
import type { TypeIoContext } from '../types/io-context.js';
import type { Engine } from './engine.js';

export class ViewReader {
  /** Compiled plans by view OID, valid for the definition text they were compiled from. */
  private readonly plans = new Map<number, { query: string; plan: CompiledContinuousPlan }>();

  constructor(private readonly engine: Engine, private readonly io: TypeIoContext) {}

  plan(viewOid: number, definition: ContinuousViewDefinition): CompiledContinuousPlan {
    const cached = this.plans.get(viewOid);
    if (cached && cached.query === definition.query) return cached.plan;
    const plan = compileContinuousPlan(definition, this.io);
    this.plans.set(viewOid, { query: definition.query, plan });
    return plan;
  }

  /**
   * The view as a relation: its output columns, and rows finalized from
   * committed state. When every group-key element is an output column, the
   * relation is keyed by those columns and reads one group by its key.
   */
  relation(viewOid: number, definition: ContinuousViewDefinition): Relation {
    const plan = this.plan(viewOid, definition);
    const engine = this.engine;
    // Rows end with a hidden column: the group's serialized states, which combine(col) merges.
    const states: ColumnDesc = { name: '', type: OID.bytea, typmod: -1, hidden: true };
    const columns: ColumnDesc[] = plan.outputColumns.map((c, i) => ({
      name: c.name,
      type: c.typeOid,
      typmod: c.typmod,
      ...(plan.combinableColumns[i] ? { combine: { states, create: () => plan.combineAggregate(i) } } : {}),
    }));
    columns.push(states);
    const statesColumn = columns.length - 1;
    const relation: Relation = {
      columns,
      scan(ctx, needed) {
        // A query reading every output column finalizes them all anyway.
        const some = needed && needed.slice(0, statesColumn).includes(false) ? needed : undefined;
        const keepStates = !needed || needed[statesColumn];
        // count(*) and the like read no column: nothing to decode.
        const readsNothing = some !== undefined && !keepStates && !some.includes(true);
        return new ViewRows(() => engine.scan(viewOid), plan.storedRows(some), ctx, columns.length, keepStates, readsNothing);
      },
      scanPartial(ctx, needed) {
        const readsNothing = !needed.includes(true);
        return new ViewRows(() => engine.scan(viewOid), plan.storedRows(needed), ctx, columns.length, needed[statesColumn] === true, readsNothing);
      },
      rowCompleter(needed) {
        const rowOfNeeded = plan.storedRows(needed);
        const keepStates = needed[statesColumn] === true;
        return (kept, ctx) => {
          const { key, states } = kept as KeptGroup;
          const out = rowOfNeeded(key, 0, key.length, states, 0, states.length, ctx);
          out[statesColumn] = keepStates ? states : null;
          return out;
        };
      },
      // The states column cannot fail either: its bytes are the same later.
      deferrable: [...plan.plainColumns, true],
    };
    const keyColumns = plan.keyOutputColumns;
    if (keyColumns.every((c) => c !== null)) {
      relation.keyColumns = keyColumns as readonly number[];
      const everyColumn = plan.storedRows();
      // One row reader for each `needed` (a planned statement passes the same array to each run).
      const readers = new WeakMap<readonly boolean[], StoredRowReader>();
      const readerFor = (needed: readonly boolean[] | undefined): StoredRowReader => {
        if (needed === undefined) return everyColumn;
        let rowOf = readers.get(needed);
        // Every output column read (SELECT *): the one reader of them all.
        if (!rowOf) readers.set(needed, (rowOf = needed.slice(0, statesColumn).includes(false) ? plan.storedRows(needed) : everyColumn));
        return rowOf;
      };
      // Finalized from the decoded canonical key, as a scan does, so both show the same values.
      const rowOf = (key: Uint8Array, state: Uint8Array, ctx: EvalContext, needed: readonly boolean[] | undefined): unknown[] => {
        const out = readerFor(needed)(key, 0, key.length, state, 0, state.length, ctx);
        out[statesColumn] = needed === undefined || needed[statesColumn] ? state : null;
        return out;
      };
      relation.lookup = (keyValues, ctx, needed) => {
        const key = plan.encodeKey(keyValues);
        const state = engine.get(viewOid, key);
        return state === undefined ? null : rowOf(key, state, ctx, needed);
      };
      relation.lookupPartial = (keyValues, ctx, needed) => {
        const key = plan.encodeKey(keyValues);
        const state = engine.get(viewOid, key);
        if (state === undefined) return null;
        const kept: KeptGroup = { key, states: state };
        return { row: rowOf(key, state, ctx, needed), kept };
      };
    }
    return relation;
  }

  forget(viewOid: number): void {
    this.plans.delete(viewOid);
  }
}

/**
 * A scan's rows, one per committed group, finalized as they are read. An
 * iterator object rather than a generator: a full-view aggregate reads a
 * row per group, and a generator's resume and yield per row were most of
 * what SELECT count(*) over a view cost.
 */
class ViewRows implements IterableIterator<unknown[]>, PartialScan, PushedRows {
  /** Opened at the first next(), as a generator would: storage is read only by an iteration. */
  private groups: Iterator<StoredGroup> | null = null;
  private n = 0;
  /** The group of the row next() gave last (its bytes valid until the next read). */
  private current: StoredGroup | null = null;
  /**
   * The one result object next() answers with, its value set per row: a
   * consumer takes the row out of it before asking for the next (an
   * object made per row was a fifth of a count(*) over a view).
   */
  private readonly step: IteratorYieldResult<unknown[]> = { value: [], done: false };
  /** A row of NULLs, copied for each group when the query reads no column. */
  private readonly nullRow: unknown[];

  constructor(
    private readonly open: () => Iterable<StoredGroup>,
    private readonly rowOf: StoredRowReader,
    private readonly ctx: EvalContext,
    private readonly width: number,
    private readonly keepStates: boolean,
    private readonly readsNothing: boolean,
  ) {
    this.nullRow = [];
    for (let i = 0; i < width; i++) this.nullRow.push(null);
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<unknown[]> {
    try {
      const groups = (this.groups ??= this.open()[Symbol.iterator]());
      const step = groups.next();
      if (step.done) {
        this.groups = EMPTY;
        return DONE;
      }
      if ((++this.n & 4095) === 0) this.ctx.checkInterrupts();
      this.current = step.value;
      this.step.value = this.rowOfGroup(step.value);
      return this.step;
    } catch (e) {
      // A reader does not call return() after next() threw: release the cursor here
      // (and end the scan, as a generator ends when it throws).
      this.return();
      throw e;
    }
  }

  /**
   * Every row (as next() gives them) passed to `fn`, in one loop: a full-view
   * aggregate reads each row once, and a next() call per row was a third of
   * what SELECT sum(count) over a view cost.
   */
  forEachRow(fn: (row: unknown[]) => void): void {
    if (this.groups !== null) throw new Error('forEachRow() after next()');
    const groups = this.open()[Symbol.iterator]();
    this.groups = EMPTY;
    try {
      for (let step = groups.next(); !step.done; step = groups.next()) {
        if ((++this.n & 4095) === 0) this.ctx.checkInterrupts();
        fn(this.rowOfGroup(step.value));
      }
    } finally {
      groups.return?.();
    }
  }

  private rowOfGroup(g: StoredGroup): unknown[] {
    // slice() of a packed array is a plain copy; new Array(n).fill(null) took a runtime call per row.
    if (this.readsNothing) return this.nullRow.slice();
    // The group's bytes lie in LMDB's buffers, reused by the next LMDB read:
    // decoded into the row here, the states copied first when the row keeps
    // them (finalizing could one day read LMDB).
    const kept = this.keepStates ? g.bytes.slice(g.stateStart, g.stateEnd) : null;
    const out = kept
      ? this.rowOf(g.bytes, g.keyStart, g.keyEnd, kept, 0, kept.length, this.ctx)
      : this.rowOf(g.bytes, g.keyStart, g.keyEnd, g.bytes, g.stateStart, g.stateEnd, this.ctx);
    out[this.width - 1] = kept;
    return out;
  }

  /** The key and states of the row next() gave last, copied out of LMDB's buffer (a top-N keeps the row). */
  keep(): KeptGroup {
    const g = this.current;
    if (g === null) throw new Error('keep() before a row was read');
    return { key: g.bytes.slice(g.keyStart, g.keyEnd), states: g.bytes.slice(g.stateStart, g.stateEnd) };
  }

  /** An early exit (LIMIT, an error) releases the storage cursor. */
  return(value?: unknown): IteratorResult<unknown[]> {
    this.groups?.return?.();
    this.groups = EMPTY;
    this.current = null;
    return { value: value as unknown[], done: true };
  }
}

/** A group a partial scan's keep() took: its key and states bytes. */
interface KeptGroup {
  key: Uint8Array;
  states: Uint8Array;
}

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };
/** What a returned scan reads from then on: nothing. */
const EMPTY: Iterator<StoredGroup> = { next: () => DONE };
