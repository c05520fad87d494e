// Turns an analyzed continuous query into the closures of a
// CompiledContinuousPlan. Everything that runs per row (groupKey, step,
// encodeKey) is specialized once here: no AST walks, no per-row argument
// arrays (step is generated per plan, see step-codegen.ts), one reused byte
// buffer per plan.
//
// State layout per group: one state per aggregate call, then one hidden
// "representative" state per group column whose type has several spellings
// of one key (numeric, interval, bpchar; see key-codec.ts). It holds the
// first value seen for the group, which finalize shows instead of the
// canonical decoded key, as PostgreSQL shows the first row's value.
import type { EvalContext } from '../sql/functions/catalog.js';
import type { AggregateCall } from '../sql/expr/scope.js';
import { childrenOf, type TypedExpr, type EvalFn } from '../sql/expr/typed-expr.js';
import type { AggregateImpl } from '../sql/aggregates/aggregate.js';
import { compile, compilePredicate } from '../sql/expr/compile.js';
import type { CompiledContinuousPlan, OutputColumn, StoredRowReader } from './continuous-plan.js';
import { ByteReader, ByteWriter } from './bytes.js';
import { keyCodecFor, keyEncoder, needsKeyRepresentative } from './key-codec.js';
import { fixedKindFor, stateCodecFor, statesCodec, type FixedKind } from './state-codecs.js';
import { corrupt, nullable, valueCodecFor, type ValueCodec } from './value-codec.js';
import { generateFixedStep, generateStep } from './step-codegen.js';

/** The analyzed view query, as compile-plan.ts produces it. */
export interface ViewAnalysis {
  outputColumns: OutputColumn[];
  /** WHERE over the stream row, or null. */
  where: TypedExpr | null;
  /** GROUP BY expressions over the stream row. */
  groupExprs: TypedExpr[];
  aggs: AggregateCall[];
  /** Output expressions over the grouped row [group values..., aggregate results...]. */
  outputExprs: TypedExpr[];
  /** Per output column: written as one aggregate call (combine() accepts it). */
  aggregateColumns: boolean[];
}

type Predicate = (row: unknown[], ctx: EvalContext) => boolean;

/** The key of every row of a view without GROUP BY (frozen: shared by all rows). */
const EMPTY_KEY = Object.freeze([]) as unknown as unknown[];

const NO_BYTES = new Uint8Array(0);

/** Aggregates whose final value cannot fail: an output column that is one of them, as it is, is a plain column. */
const PLAIN_FINALS = new Set(['count', 'sum', 'avg', 'min', 'max']);

export function buildPlan(a: ViewAnalysis): CompiledContinuousPlan {
  const groupFns = a.groupExprs.map(compile);
  const G = groupFns.length;
  const impls: AggregateImpl[] = a.aggs.map((c) => c.impl);
  const nAggs = impls.length;

  // Hidden representative states: [group column index, state index].
  const repKeys: number[] = [];
  const repStates: number[] = [];
  const stateCodecs: ValueCodec[] = a.aggs.map((c) => stateCodecFor(c)!);
  a.groupExprs.forEach((g, i) => {
    if (!needsKeyRepresentative(g.type, g.typmod)) return;
    repKeys.push(i);
    repStates.push(nAggs + repKeys.length - 1);
    stateCodecs.push(nullable(valueCodecFor(g.type)!));
  });
  const nReps = repKeys.length;
  const stateCount = nAggs + nReps;
  const kinds = a.aggs.map(fixedKindFor);
  const fixedKinds = nReps === 0 && kinds.every((k) => k !== null) ? (kinds as FixedKind[]) : null;

  const whereFn = a.where ? compilePredicate(a.where) : null;
  const slots = a.aggs.map((c) => ({
    impl: c.impl,
    args: c.args.map(compile),
    strict: c.strict,
    filter: c.filter ? compilePredicate(c.filter) : null,
  }));
  const step = generateStep(
    slots,
    repKeys.map((k, r) => ({ stateIndex: repStates[r], groupFn: groupFns[k] })),
  );
  const fixedStep = fixedKinds ? generateFixedStep(slots, fixedKinds) : null;

  const keys = keyEncoder(a.groupExprs.map((g) => keyCodecFor(g.type, g.typmod)!));
  const states = statesCodec(stateCodecs);
  const writer = new ByteWriter(256);
  const outputFns = a.outputExprs.map(compile);
  const nOut = outputFns.length;

  // combine(col): the one aggregate state an aggregate column reads (after the
  // sketch rewrites an output may read a state through a function, e.g.
  // hll_cardinality(hll_agg(x)) for count(DISTINCT x)).
  const combineStates = a.outputExprs.map((e, i) => (a.aggregateColumns[i] ? singleAggregate(e, G) : null));
  // One reader for every deserialization (no state codec deserializes states while reading).
  const reader = new ByteReader(new Uint8Array(0));
  const deserializeStates = (bytes: Uint8Array, start = 0, end = bytes.length): unknown[] => {
    const r = reader;
    r.reset(bytes, start, end);
    const s = states.read(r);
    if (!r.done) throw corrupt();
    return s;
  };

  /**
   * The states `read` of a group, the first ones in order (those after them
   * not read at all); with `readsAll`, checked to end where the bytes do.
   * An array of its own per row, not a reused one: a long-lived array
   * storing each row's new values costs a write barrier per store (and
   * scans got slower).
   */
  const readStates = (read: ValueCodec[], readsAll: boolean, bytes: Uint8Array, start: number, end: number): unknown[] => {
    const s = new Array<unknown>(read.length);
    const r = reader;
    r.reset(bytes, start, end);
    try {
      for (let j = 0; j < read.length; j++) s[j] = read[j]!.read(r);
      if (readsAll && !r.done) throw corrupt();
    } finally {
      // Not kept pointing at LMDB's buffer.
      r.reset(NO_BYTES, 0, 0);
    }
    return s;
  };

  /** Group values (representatives shown where kept), aggregate slots left undefined. */
  const groupedRow = (key: unknown[], s: unknown[]): unknown[] => {
    const grouped = new Array<unknown>(G + nAggs);
    for (let i = 0; i < G; i++) grouped[i] = key[i];
    for (let r = 0; r < nReps; r++) {
      const v = s[repStates[r]];
      if (v !== null) grouped[repKeys[r]] = v;
    }
    return grouped;
  };
  // Per output column: the aggregate it shows as it is, or null (a group column, an expression).
  const bareAggregate = a.outputExprs.map((e) => (e.kind === 'column' && e.index >= G ? e.index - G : null));
  /**
   * storedRows() for columns that are each one aggregate's result as it is
   * (SELECT sum(count) FROM v reads only such): no grouped row and no column
   * functions, each final value computed once and set in its columns.
   */
  const bareAggregateRows = (
    read: ValueCodec[],
    readsAll: boolean,
    columnStates: number[],
    columns: number[],
    width: number,
  ): StoredRowReader => {
    // Per state read: the columns showing its final value (none: read only to reach the next state).
    const shownIn = read.map((_, j) => columns.filter((_c, k) => columnStates[k] === j));
    const finalOf = read.map((_, j) => (j < nAggs ? impls[j] : null));
    // One slot more, as storedRows' rows have: the caller's hidden column.
    const nulls = new Array<unknown>(width + 1).fill(null);
    return (_keyBytes, _keyStart, _keyEnd, stateBytes, stateStart, stateEnd, ctx) => {
      const s = readStates(read, readsAll, stateBytes, stateStart, stateEnd);
      // slice() of a packed array is a plain copy, and the row is the caller's own.
      const out = nulls.slice();
      for (let j = 0; j < read.length; j++) {
        const shown = shownIn[j]!;
        if (shown.length === 0) continue;
        const f = finalOf[j]!.final(s[j], ctx);
        for (let k = 0; k < shown.length; k++) out[shown[k]!] = f;
      }
      return out;
    };
  };
  // Per output column: the aggregates it reads, and whether it reads a group column.
  const outputAggregates = a.outputExprs.map((e) => aggregatesRead(e, G));
  const outputReadsKey = a.outputExprs.map((e) => readsGroupColumn(e, G));

  return {
    outputColumns: a.outputColumns,
    keyOutputColumns: keyOutputColumns(a),
    plainColumns: a.outputExprs.map((e) => e.kind === 'column' && (e.index < G || PLAIN_FINALS.has(a.aggs[e.index - G]!.name))),
    combinableColumns: combineStates.map((j) => j !== null),
    combineAggregate(column) {
      const j = combineStates[column];
      if (j === null) throw new Error(`output column ${column} is not an aggregate column`);
      const impl = impls[j];
      const outputFn = outputFns[column];
      // A marker for "no group stepped yet", so merge never sees a state it did not produce.
      const EMPTY = Symbol('empty');
      return {
        resultType: a.outputColumns[column].typeOid,
        init: () => EMPTY,
        step: (acc, args) => {
          const s = deserializeStates(args[0] as Uint8Array)[j];
          return acc === EMPTY ? s : impl.merge(acc, s);
        },
        merge: (x, y) => (x === EMPTY ? y : y === EMPTY ? x : impl.merge(x, y)),
        final: (acc, ctx) => {
          const grouped = new Array<unknown>(G + nAggs).fill(null);
          grouped[G + j] = impl.final(acc === EMPTY ? impl.init() : acc, ctx);
          return outputFn(grouped, ctx!);
        },
        serialize: () => {
          throw new Error('combine() states are not serialized');
        },
        deserialize: () => {
          throw new Error('combine() states are not serialized');
        },
      };
    },
    stateCount,
    fixedKinds,
    fixedStep,
    groupKey: groupKeyFn(groupFns, whereFn),
    newStates() {
      const s = new Array<unknown>(stateCount);
      for (let j = 0; j < nAggs; j++) s[j] = impls[j].init();
      for (let j = nAggs; j < stateCount; j++) s[j] = null;
      return s;
    },
    step,
    merge(into, from) {
      for (let j = 0; j < nAggs; j++) into[j] = impls[j].merge(into[j], from[j]);
      for (let r = 0; r < nReps; r++) {
        const h = repStates[r];
        if (into[h] === null) into[h] = from[h];
      }
    },
    encodeKey: keys.encode,
    encodeKeyId: keys.encodeId,
    decodeKey: keys.decode,
    serializeStates(s) {
      writer.pos = 0;
      states.write(writer, s);
      return writer.finish();
    },
    writeStates(w, s) {
      states.write(w, s);
    },
    deserializeStates,
    finalize(key, s, ctx) {
      const grouped = groupedRow(key, s);
      for (let j = 0; j < nAggs; j++) grouped[G + j] = impls[j].final(s[j], ctx);
      const out = new Array<unknown>(nOut);
      for (let i = 0; i < nOut; i++) out[i] = outputFns[i](grouped, ctx);
      return out;
    },
    storedRows(needed) {
      const readsKey = needed === undefined || this.readsKey(needed);
      // The columns computed, and the aggregates they read (each finalized once per row).
      const columns: number[] = [];
      const finals: number[] = [];
      const wanted = new Array<boolean>(stateCount).fill(false);
      for (let i = 0; i < nOut; i++) {
        if (needed !== undefined && !needed[i]) continue;
        columns.push(i);
        for (const j of outputAggregates[i]!) {
          if (!wanted[j]) finals.push(j);
          wanted[j] = true;
        }
      }
      // A shown key reads the representatives (kept after the aggregates' states).
      if (readsKey) for (const h of repStates) wanted[h] = true;
      // States are read in order up to the last one wanted; those after it are not read at all.
      const read = stateCodecs.slice(0, wanted.lastIndexOf(true) + 1);
      const readsAll = read.length === stateCount;
      if (!readsKey && columns.every((c) => bareAggregate[c] !== null)) {
        // Only bare aggregate results: each state's final value goes straight into its columns.
        return bareAggregateRows(read, readsAll, columns.map((c) => bareAggregate[c]!), columns, nOut);
      }
      const finalImpls = finals.map((j) => impls[j]);
      const columnFns = columns.map((i) => outputFns[i]);
      return (keyBytes, keyStart, keyEnd, stateBytes, stateStart, stateEnd, ctx) => {
        const s = readStates(read, readsAll, stateBytes, stateStart, stateEnd);
        const grouped = new Array<unknown>(G + nAggs);
        if (readsKey) {
          const key = keys.decode(keyBytes, keyStart, keyEnd);
          for (let i = 0; i < G; i++) grouped[i] = key[i];
          for (let k = 0; k < nReps; k++) {
            const v = s[repStates[k]];
            if (v !== null) grouped[repKeys[k]] = v;
          }
        }
        for (let f = 0; f < finals.length; f++) grouped[G + finals[f]!] = finalImpls[f]!.final(s[finals[f]!], ctx);
        // One slot more, the caller's (a view relation's hidden states column): set, not pushed, so the array never grows.
        const out = new Array<unknown>(nOut + 1);
        for (let i = 0; i <= nOut; i++) out[i] = null;
        for (let c = 0; c < columns.length; c++) out[columns[c]!] = columnFns[c]!(grouped, ctx);
        return out;
      };
    },
    readsKey(needed) {
      for (let i = 0; i < nOut; i++) if (needed[i] && outputReadsKey[i]) return true;
      return false;
    },
  };
}

function groupKeyFn(groupFns: EvalFn[], whereFn: Predicate | null): CompiledContinuousPlan['groupKey'] {
  const G = groupFns.length;
  if (G === 0) return whereFn ? (row, ctx) => (whereFn(row, ctx) ? EMPTY_KEY : null) : () => EMPTY_KEY;
  if (G === 1) {
    const g0 = groupFns[0];
    return whereFn ? (row, ctx) => (whereFn(row, ctx) ? [g0(row, ctx)] : null) : (row, ctx) => [g0(row, ctx)];
  }
  if (G === 2) {
    const g0 = groupFns[0];
    const g1 = groupFns[1];
    return whereFn ? (row, ctx) => (whereFn(row, ctx) ? [g0(row, ctx), g1(row, ctx)] : null) : (row, ctx) => [g0(row, ctx), g1(row, ctx)];
  }
  return (row, ctx) => {
    if (whereFn && !whereFn(row, ctx)) return null;
    const key = new Array<unknown>(G);
    for (let i = 0; i < G; i++) key[i] = groupFns[i](row, ctx);
    return key;
  };
}

/** The aggregate indexes an output expression over the grouped row reads. */
function aggregatesRead(e: TypedExpr, groupCount: number): number[] {
  const out = new Set<number>();
  const walk = (x: TypedExpr): void => {
    if (x.kind === 'column' && x.index >= groupCount) out.add(x.index - groupCount);
    for (const c of childrenOf(x)) walk(c);
  };
  walk(e);
  return [...out];
}

/** Whether an output expression over the grouped row reads a group column. */
function readsGroupColumn(e: TypedExpr, groupCount: number): boolean {
  if (e.kind === 'column' && e.index < groupCount) return true;
  // A sub-select's closure may read the row: assume it does.
  if (e.kind === 'subquery') return true;
  return childrenOf(e).some((c) => readsGroupColumn(c, groupCount));
}

/** The aggregate index an output expression reads when it reads exactly one aggregate and no group column, else null. */
function singleAggregate(e: TypedExpr, groupCount: number): number | null {
  let found: number | null = null;
  let other = false;
  const walk = (x: TypedExpr): void => {
    if (x.kind === 'column') {
      const j = x.index - groupCount;
      if (j < 0 || (found !== null && found !== j)) other = true;
      else found = j;
      return;
    }
    for (const c of childrenOf(x)) walk(c);
  };
  walk(e);
  return other ? null : found;
}

/** For each group expression, the first output column that is exactly that group value. */
function keyOutputColumns(a: ViewAnalysis): (number | null)[] {
  return a.groupExprs.map((_, g) => {
    const i = a.outputExprs.findIndex((e) => e.kind === 'column' && e.index === g);
    return i < 0 ? null : i;
  });
}
