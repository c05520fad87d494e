// The contract between a continuous view's definition and the threads that
// maintain it. A plan is compiled from the view's SQL in every thread that
// needs it (workers, combiners, the main thread for reads): only the view
// definition crosses threads, never closures.
//
//   worker:   row -> groupKey (null: filtered out) -> step(states, row)
//   combiner: merge(stored, partial), serializeStates / deserializeStates
//   read:     finalize(key, states) -> one output row of the view
import type { EvalContext } from '../sql/functions/catalog.js';
import type { AggregateImpl } from '../sql/aggregates/aggregate.js';
import type { ByteWriter } from './bytes.js';
import type { FixedKind } from './state-codecs.js';
import type { FixedStepFn } from './step-codegen.js';
import type { KeyId } from '../engine/key-string.js';
import type { ParsedStatement } from '../sql/parse-statements.js';

export interface StreamColumn {
  name: string;
  typeOid: number;
  typmod: number;
}

export interface ContinuousViewDefinition {
  /** The view's name, for error messages. */
  name: string;
  /** The view's defining SELECT, as stored in the catalog (already validated). */
  query: string;
  /** The stream it reads: its declared columns; `arrival_timestamp timestamptz` follows them implicitly. */
  stream: { name: string; columns: StreamColumn[] };
  /**
   * `query` already parsed, as sent to worker and combiner threads: they
   * compile from it and so never load the parser.
   */
  parsed?: ParsedStatement[];
  /** Why `query` did not parse on the main thread (then `parsed` is absent): the threads' compile error. */
  parseError?: { code: string; message: string };
}

export interface OutputColumn {
  name: string;
  typeOid: number;
  typmod: number;
}

/** One stored group's output row (CompiledContinuousPlan.storedRows), and one slot more for the caller, null. */
export type StoredRowReader = (
  keyBytes: Uint8Array,
  keyStart: number,
  keyEnd: number,
  stateBytes: Uint8Array,
  stateStart: number,
  stateEnd: number,
  ctx: EvalContext,
) => unknown[];

export interface CompiledContinuousPlan {
  /** The view's columns, as SELECT * FROM view returns them. */
  readonly outputColumns: OutputColumn[];
  /**
   * Per group-key element (GROUP BY order): the output column that shows it
   * unchanged (equal under the type's `=` to the key), or null when no output
   * column does (grouped by an expression that is not selected as such).
   */
  readonly keyOutputColumns: readonly (number | null)[];
  /** Number of aggregate states per group. */
  readonly stateCount: number;
  /**
   * Per state, its fixed kind when every state has one (and no group column
   * needs a representative), else null: the combiner can then hold the
   * group as plain numbers.
   */
  readonly fixedKinds: readonly FixedKind[] | null;
  /**
   * With fixedKinds, step() over a record of doubles (fixed-fields.ts), for
   * a worker's batch; null when some aggregate cannot be stepped so.
   */
  readonly fixedStep: FixedStepFn | null;
  /**
   * For one stream row (declared columns in order, then arrival_timestamp):
   * the group key values, or null when WHERE filters the row out. A view
   * without GROUP BY has the empty key [].
   */
  groupKey(row: unknown[], ctx: EvalContext): unknown[] | null;
  /** Fresh states for a new group. */
  newStates(): unknown[];
  /** Folds one (unfiltered) row into its group's states, in place. */
  step(states: unknown[], row: unknown[], ctx: EvalContext): void;
  /** Folds partial states `from` into `into`, in place (`from` is not used afterwards). */
  merge(into: unknown[], from: unknown[]): void;
  /** Canonical bytes of a group key: equal keys give equal bytes (map keys, storage keys, partitioning). */
  encodeKey(key: unknown[]): Uint8Array;
  /** keyId(encodeKey(key)) without the copy (engine/key-string.ts). */
  encodeKeyId(key: unknown[]): KeyId;
  /** The group key encoded in bytes [start, end) (default: all of `bytes`). */
  decodeKey(bytes: Uint8Array, start?: number, end?: number): unknown[];
  serializeStates(states: unknown[]): Uint8Array;
  /** Appends the serialized states to `w` (what serializeStates returns, without the copy). */
  writeStates(w: ByteWriter, states: unknown[]): void;
  /** The states serialized in bytes [start, end) (default: all of `bytes`). */
  deserializeStates(bytes: Uint8Array, start?: number, end?: number): unknown[];
  /** The view's output row for one group. */
  finalize(key: unknown[], states: unknown[], ctx: EvalContext): unknown[];
  /**
   * Output rows of stored groups, made by one reader for a scan: a group's
   * key is bytes [keyStart, keyEnd) of `keyBytes`, its serialized states
   * bytes [stateStart, stateEnd) of `stateBytes`. With `needed`, only those
   * output columns are computed (others null): only the states they read
   * are decoded (up to the last of them; the rest are not read), only their
   * aggregates finalized, and the key only decoded when one reads it.
   */
  storedRows(needed?: readonly boolean[]): StoredRowReader;
  /** Whether any of the `needed` output columns reads the group key. */
  readsKey(needed: readonly boolean[]): boolean;
  /**
   * Per output column: a group column, or one count, sum, avg, min or max
   * result, as it is. Finalizing such a column raises no error and calls
   * nothing volatile, so a read may finalize it only for some rows: those
   * an ORDER BY ... LIMIT keeps (src/sql/select/late-top-n.ts), or those a
   * WHERE passes (src/sql/select/filter-first.ts).
   */
  readonly plainColumns: readonly boolean[];
  /**
   * For combine(col): per output column, whether it is an aggregate column.
   * combineAggregate(i) then gives an aggregate whose step takes a group's
   * serialized states (serializeStates) and whose final is column i's value
   * for all the groups stepped, as if their rows had formed one group.
   */
  readonly combinableColumns: readonly boolean[];
  combineAggregate(column: number): AggregateImpl;
}
