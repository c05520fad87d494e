// string_agg(text, text) and string_agg(bytea, bytea): NULL values are
// skipped, a NULL delimiter counts as empty, no rows give NULL.
import { OID } from '../../types/oids.js';
import { registerAggregate, type AggregateImpl } from './aggregate.js';
import { decodeState, encodeState } from './state-codec.js';

/** Pieces are kept as [value, delimiter-before-it] so merge can join partial states. */
interface TextState {
  s: string;
  /** The delimiter that preceded the first value (needed when merging behind another state). */
  firstDelim: string;
}

const textAgg: AggregateImpl<TextState | null> = {
  resultType: OID.text,
  init: () => null,
  step: (st, [v, d]) => {
    if (v === null) return st;
    const delim = (d as string | null) ?? '';
    if (st === null) return { s: v as string, firstDelim: delim };
    st.s += delim + (v as string);
    return st;
  },
  merge: (a, b) => (a === null ? b : b === null ? a : { s: a.s + b.firstDelim + b.s, firstDelim: a.firstDelim }),
  final: (st) => (st === null ? null : st.s),
  serialize: (st) => encodeState(st),
  deserialize: (b) => decodeState<TextState | null>(b),
};

interface BytesState {
  parts: Uint8Array[];
  firstDelim: Uint8Array;
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const EMPTY = new Uint8Array(0);
const byteaAgg: AggregateImpl<BytesState | null> = {
  resultType: OID.bytea,
  init: () => null,
  step: (st, [v, d]) => {
    if (v === null) return st;
    const delim = (d as Uint8Array | null) ?? EMPTY;
    if (st === null) return { parts: [v as Uint8Array], firstDelim: delim };
    st.parts.push(delim, v as Uint8Array);
    return st;
  },
  merge: (a, b) => (a === null ? b : b === null ? a : { parts: [...a.parts, b.firstDelim, ...b.parts], firstDelim: a.firstDelim }),
  final: (st) => (st === null ? null : concat(st.parts)),
  serialize: (st) => encodeState(st),
  deserialize: (b) => decodeState<BytesState | null>(b),
};

registerAggregate(
  { name: 'string_agg', args: [OID.text, OID.text], ret: OID.text, strict: false, create: () => textAgg },
  { name: 'string_agg', args: [OID.bytea, OID.bytea], ret: OID.bytea, strict: false, create: () => byteaAgg },
);
