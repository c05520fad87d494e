// Compact binary codecs for the transition states of the aggregates a
// continuous view can use. They mirror the state shapes of the
// implementations in src/sql/aggregates (count: a number; sum: the running
// value or NULL; avg: {n, sum}; min/max/bool_*: the current value or NULL);
// the round-trip tests in this directory break if those shapes change.
// Aggregates without a codec here are rejected by the planner.
import { OID } from '../types/oids.js';
import type { Interval, Numeric } from '../types/values.js';
import type { AggregateCall } from '../sql/expr/scope.js';
import type { ByteReader, ByteWriter } from './bytes.js';
import {
  intervalCodec,
  nullable,
  numericCodec,
  readBigint,
  readNumber,
  valueCodecFor,
  writeBigint,
  writeNumber,
  type ValueCodec,
} from './value-codec.js';

const countState: ValueCodec = {
  write: (w, v) => w.uvarint(v as number),
  read: (r) => r.uvarint(),
};

const bigintState: ValueCodec = nullable({
  write: (w, v) => writeBigint(w, v as bigint),
  read: (r) => readBigint(r),
});

const numberState: ValueCodec = nullable({
  write: (w, v) => writeNumber(w, v as number),
  read: (r) => readNumber(r),
});

/** avg over integers: {n, sum: bigint}. */
const intAvgState: ValueCodec = {
  write: (w, v) => {
    const s = v as { n: number; sum: bigint };
    w.uvarint(s.n);
    writeBigint(w, s.sum);
  },
  read: (r) => {
    const n = r.uvarint();
    return { n, sum: readBigint(r) };
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

const isInt = (t: number) => t === OID.int2 || t === OID.int4 || t === OID.int8;
const isFloat = (t: number) => t === OID.float4 || t === OID.float8;

/** The state codec of an aggregate call, or null when continuous views do not support the aggregate. */
export function stateCodecFor(call: AggregateCall): ValueCodec | null {
  const t = call.argTypes[0];
  switch (call.name) {
    case 'count':
      return countState;
    case 'sum':
      if (isInt(t)) return bigintState;
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
