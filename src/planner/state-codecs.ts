// Compact binary codecs for the transition states of the aggregates a
// continuous view can use. They mirror the state shapes of the
// implementations in src/sql/aggregates (count: a number; sum: the running
// value or NULL, an IntSum over integers; avg: {n, sum}; min/max/bool_*/
// bit_*: the current value or NULL; variance family: {n, sx, sxx}; regression family: co-moments;
// string_agg/array_agg/json*_agg: the collected pieces);
// the round-trip tests in this directory break if those shapes change.
// Sketch aggregates (hll_agg, dist_agg, ...) keep the sketch object as their
// state and are stored through the aggregate's own serialize/deserialize.
// Aggregates without a codec here are rejected by the planner.
import { OID } from '../types/oids.js';
import type { Interval, Numeric } from '../types/values.js';
import type { AggregateCall } from '../sql/expr/scope.js';
import type { IntSum } from '../sql/aggregates/int-sum.js';
import type { ByteReader, ByteWriter } from './bytes.js';
import { ANY_VALUE } from './distinct-clause.js';
import {
  intervalCodec,
  nullable,
  numericCodec,
  readBigint,
  readIntSum,
  readNumber,
  valueCodecFor,
  writeBigint,
  writeIntSum,
  writeNumber,
  type ValueCodec,
} from './value-codec.js';

const countState: ValueCodec = {
  write: (w, v) => w.uvarint(v as number),
  read: (r) => r.uvarint(),
};

/** sum over integers: IntSum or NULL. */
const intSumState: ValueCodec = nullable({
  write: (w, v) => writeIntSum(w, v as IntSum),
  read: (r) => readIntSum(r),
});

const numberState: ValueCodec = nullable({
  write: (w, v) => writeNumber(w, v as number),
  read: (r) => readNumber(r),
});

/** avg over integers: {n, sum: IntSum}. */
const intAvgState: ValueCodec = {
  write: (w, v) => {
    const s = v as { n: number; sum: IntSum };
    w.uvarint(s.n);
    writeIntSum(w, s.sum);
  },
  read: (r) => {
    const n = r.uvarint();
    return { n, sum: readIntSum(r) };
  },
};

/** avg over floats: {n, sum: number}. */
const floatAvgState: ValueCodec = {
  write: (w, v) => {
    const s = v as { n: number; sum: number };
    w.uvarint(s.n);
    writeNumber(w, s.sum);
  },
  read: (r) => {
    const n = r.uvarint();
    return { n, sum: readNumber(r) };
  },
};

const nullableNumeric = nullable(numericCodec);

/** avg over numeric: {n, sum: Numeric | null}. */
const numericAvgState: ValueCodec = {
  write: (w, v) => {
    const s = v as { n: number; sum: Numeric | null };
    w.uvarint(s.n);
    nullableNumeric.write(w, s.sum);
  },
  read: (r) => {
    const n = r.uvarint();
    return { n, sum: nullableNumeric.read(r) };
  },
};

/** avg over interval: {n, sum: Interval}. */
const intervalAvgState: ValueCodec = {
  write: (w, v) => {
    const s = v as { n: number; sum: Interval };
    w.uvarint(s.n);
    intervalCodec.write(w, s.sum);
  },
  read: (r) => {
    const n = r.uvarint();
    return { n, sum: intervalCodec.read(r) as Interval };
  },
};

/** Objects of named fields, each with its own codec, written in a fixed order. */
function record(fields: readonly [string, ValueCodec][]): ValueCodec {
  return {
    write: (w, v) => {
      const o = v as Record<string, unknown>;
      for (const [name, c] of fields) c.write(w, o[name]);
    },
    read: (r) => {
      const o: Record<string, unknown> = {};
      for (const [name, c] of fields) o[name] = c.read(r);
      return o;
    },
  };
}

const countField = countState;
const numberField: ValueCodec = { write: (w, v) => writeNumber(w, v as number), read: (r) => readNumber(r) };
const bigintField: ValueCodec = { write: (w, v) => writeBigint(w, v as bigint), read: (r) => readBigint(r) };

/** variance family over integers: {n, sx, sxx} as bigints. */
const intMomentsState = record([['n', countField], ['sx', bigintField], ['sxx', bigintField]]);
/** variance family over numeric: {n, sx, sxx} as numerics. */
const numericMomentsState = record([['n', countField], ['sx', numericCodec], ['sxx', numericCodec]]);
/** variance family over floats: Youngs–Cramer {n, sx, sxx}. */
const floatMomentsState = record([['n', countField], ['sx', numberField], ['sxx', numberField]]);
/** corr / covar_* / regr_*: {n, sx, sxx, sy, syy, sxy}. */
const coMomentsState = record([
  ['n', countField],
  ['sx', numberField],
  ['sxx', numberField],
  ['sy', numberField],
  ['syy', numberField],
  ['sxy', numberField],
]);

const textCodec = valueCodecFor(OID.text)!;
const byteaCodec = valueCodecFor(OID.bytea)!;
const jsonbCodec = valueCodecFor(OID.jsonb)!;

/** string_agg(text): {s, firstDelim} or NULL. */
const textAggState = nullable(record([['s', textCodec], ['firstDelim', textCodec]]));

/** string_agg(bytea): {parts, firstDelim} or NULL; the parts are stored joined as one piece. */
const byteaAggState = nullable({
  write: (w, v) => {
    const s = v as { parts: Uint8Array[]; firstDelim: Uint8Array };
    let n = 0;
    for (const p of s.parts) n += p.length;
    w.uvarint(n);
    for (const p of s.parts) w.bytes(p);
    byteaCodec.write(w, s.firstDelim);
  },
  read: (r) => {
    const joined = r.bytes(r.uvarint());
    return { parts: [joined], firstDelim: byteaCodec.read(r) };
  },
});

/** A list whose items are each nullable values of one codec. */
function listOf(item: ValueCodec): ValueCodec {
  const c = nullable(item);
  return {
    write: (w, v) => {
      const xs = v as unknown[];
      w.uvarint(xs.length);
      for (const x of xs) c.write(w, x);
    },
    read: (r) => {
      const n = r.uvarint();
      const xs = new Array<unknown>(n);
      for (let i = 0; i < n; i++) xs[i] = c.read(r);
      return xs;
    },
  };
}

/** json_agg / json_object_agg: the separator-prefixed text pieces, or NULL. */
const jsonTextAggState = nullable(textCodec);
/** jsonb_agg: the element list (JSON null elements are jsonb values, never SQL NULL), or NULL. */
const jsonbAggState = nullable({
  write: (w, v) => jsonbCodec.write(w, v),
  read: (r) => jsonbCodec.read(r),
});
/** jsonb_object_agg: {keys, values} in arrival order, or NULL. */
const jsonbPairsState = nullable({
  write: (w, v) => {
    const s = v as { keys: string[]; values: unknown[] };
    w.uvarint(s.keys.length);
    for (const k of s.keys) w.string(k);
    jsonbCodec.write(w, s.values);
  },
  read: (r) => {
    const n = r.uvarint();
    const keys = new Array<string>(n);
    for (let i = 0; i < n; i++) keys[i] = r.string();
    return { keys, values: jsonbCodec.read(r) };
  },
});

/** The PipelineDB sketch aggregates: the state is the sketch (or null before the first row). */
const SKETCH_AGGREGATES = new Set([
  'hll_agg', 'hll_union_agg', 'bloom_agg', 'bloom_union_agg', 'bloom_intersection_agg',
  'freq_agg', 'freq_merge_agg', 'topk_agg', 'dist_agg',
  // PipelineDB 0.9 names of the same aggregates.
  'cmsketch_agg', 'cmsketch_merge_agg', 'fss_agg', 'fss_agg_weighted', 'tdigest_agg', 'tdigest_merge_agg',
]);

/** A state stored as the aggregate's own serialized bytes, length-prefixed. */
function serializedState(impl: AggregateCall['impl']): ValueCodec {
  return {
    write: (w, v) => {
      const b = impl.serialize(v);
      w.uvarint(b.length);
      w.bytes(b);
    },
    read: (r) => impl.deserialize(r.bytes(r.uvarint())),
  };
}

/**
 * Aggregates stored through their own serialize/deserialize: PipelineDB's
 * exact set and keyed aggregates, and the hypothetical-set aggregates (views
 * use their counting variant, hypothetical-streaming.ts).
 */
const SERIALIZED_BY_IMPL = new Set([
  'set_agg', 'exact_count_distinct', 'keyed_max', 'keyed_min', 'bucket_agg', 'first_values',
  'rank', 'dense_rank', 'percent_rank', 'cume_dist',
]);
const STATS = new Set(['variance', 'var_samp', 'var_pop', 'stddev', 'stddev_samp', 'stddev_pop']);
const REGRESSION = new Set([
  'corr', 'covar_pop', 'covar_samp', 'regr_avgx', 'regr_avgy', 'regr_count', 'regr_intercept',
  'regr_r2', 'regr_slope', 'regr_sxx', 'regr_sxy', 'regr_syy',
]);

const isInt = (t: number) => t === OID.int2 || t === OID.int4 || t === OID.int8;
const isFloat = (t: number) => t === OID.float4 || t === OID.float8;

/** DISTINCT ON's any_value: 0 before the first row, else 1 and the (nullable) value. */
function anyValueState(type: number): ValueCodec | null {
  const codec = valueCodecFor(type);
  if (!codec) return null;
  const value = nullable(codec);
  return {
    write: (w, v) => {
      if (v === null) {
        w.byte(0);
        return;
      }
      w.byte(1);
      value.write(w, (v as [unknown])[0]);
    },
    read: (r) => (r.byte() === 0 ? null : [value.read(r)]),
  };
}

/** The state codec of an aggregate call, or null when continuous views do not support the aggregate. */
export function stateCodecFor(call: AggregateCall): ValueCodec | null {
  const t = call.argTypes[0];
  if (STATS.has(call.name)) {
    if (isInt(t)) return intMomentsState;
    if (isFloat(t)) return floatMomentsState;
    if (t === OID.numeric) return numericMomentsState;
    return null;
  }
  if (REGRESSION.has(call.name)) return coMomentsState;
  if (SKETCH_AGGREGATES.has(call.name) || SERIALIZED_BY_IMPL.has(call.name)) return serializedState(call.impl);
  switch (call.name) {
    case ANY_VALUE:
      return anyValueState(t);
    case 'count':
      return countState;
    case 'sum':
      if (isInt(t)) return intSumState;
      if (isFloat(t)) return numberState;
      if (t === OID.numeric) return nullableNumeric;
      if (t === OID.interval) return nullable(intervalCodec);
      return null;
    case 'avg':
      if (isInt(t)) return intAvgState;
      if (isFloat(t)) return floatAvgState;
      if (t === OID.numeric) return numericAvgState;
      if (t === OID.interval) return intervalAvgState;
      return null;
    case 'min':
    case 'max': {
      const c = valueCodecFor(t);
      return c ? nullable(c) : null;
    }
    case 'bool_and':
    case 'bool_or':
    case 'every':
      return nullable(valueCodecFor(OID.bool)!);
    case 'bit_and':
    case 'bit_or':
      return isInt(t) ? nullable(t === OID.int8 ? bigintField : numberField) : null;
    case 'string_agg':
      if (t === OID.text) return textAggState;
      if (t === OID.bytea) return byteaAggState;
      return null;
    case 'array_agg': {
      const c = valueCodecFor(t);
      return c ? nullable(listOf(c)) : null;
    }
    case 'json_agg':
    case 'json_object_agg':
      return jsonTextAggState;
    case 'jsonb_agg':
      return jsonbAggState;
    case 'jsonb_object_agg':
      return jsonbPairsState;
  }
  return null;
}

/**
 * States a combiner can hold as plain numbers (see combiner/fixed-table.ts),
 * with the encodings above: count (uvarint), sum over integers (nullable
 * IntSum), avg over integers (uvarint n, IntSum), min/max over int2/int4
 * (nullable number).
 */
export type FixedKind = 'count' | 'intsum' | 'intavg' | 'min' | 'max';

/** The fixed kind of an aggregate call's state, or null when it needs its object form. */
export function fixedKindFor(call: AggregateCall): FixedKind | null {
  const t = call.argTypes[0];
  switch (call.name) {
    case 'count':
      return 'count';
    case 'sum':
      return isInt(t) ? 'intsum' : null;
    case 'avg':
      return isInt(t) ? 'intavg' : null;
    case 'min':
    case 'max':
      return t === OID.int2 || t === OID.int4 ? call.name : null;
  }
  return null;
}

/** Writes/reads a whole state array with one codec per position. */
export function statesCodec(codecs: readonly ValueCodec[]): {
  write(w: ByteWriter, states: unknown[]): void;
  read(r: ByteReader): unknown[];
} {
  const n = codecs.length;
  return {
    write(w, states) {
      for (let i = 0; i < n; i++) codecs[i].write(w, states[i]);
    },
    read(r) {
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) out[i] = codecs[i].read(r);
      return out;
    },
  };
}
