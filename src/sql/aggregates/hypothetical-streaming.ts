// Hypothetical-set aggregates (rank, dense_rank, percent_rank, cume_dist)
// with a bounded state, for continuous views: PipelineDB's combinable
// variants. Each row is compared with the hypothetical row as it arrives, so
// the state is three counters (rows before it, its peers, all rows) instead
// of every input. dense_rank needs the number of distinct rows before it,
// kept as a HyperLogLog as PipelineDB does: exact for small sets (its sparse
// form), an estimate beyond.
//
// The hypothetical row is the constant direct arguments, or those of the
// first row stepped (PostgreSQL requires them to be constant per group).
import { HyperLogLog, HLL_DEFAULT_P } from '../../sketches/hll.js';
import { OID } from '../../types/oids.js';
import { rowComparator, type SortKey } from '../select/sort.js';
import { hllUnionInto } from '../functions/sketch-hll.js';
import { readHll } from '../functions/sketch-support.js';
import { canonicalCodec } from '../functions/sketch-value-bytes.js';
import type { AggregateImpl, WithinGroupOrder } from './aggregate.js';
import { decodeState, encodeState } from './state-codec.js';

export type HypotheticalKind = 'rank' | 'dense_rank' | 'percent_rank' | 'cume_dist';

interface CountingState {
  /** The hypothetical row (null until a row or constant supplies it). */
  direct: unknown[] | null;
  before: number;
  peers: number;
  total: number;
  /** dense_rank: the distinct rows sorting before the hypothetical row. */
  lower: HyperLogLog | null;
}

/** Canonical bytes of an ordering row, for the HLL (columns length-prefixed, NULL marked). */
function rowBytesFn(types: number[]): (row: unknown[]) => Uint8Array {
  const codecs = types.map(canonicalCodec);
  if (codecs.length === 1) {
    const c = codecs[0];
    return (row) => (row[0] === null ? new Uint8Array([0xff]) : c.encode(row[0]));
  }
  return (row) => {
    const parts = row.map((v, i) => (v === null ? null : codecs[i].encode(v)));
    const size = parts.reduce((n, p) => n + 5 + (p?.length ?? 0), 0);
    const out = new Uint8Array(size);
    const view = new DataView(out.buffer);
    let at = 0;
    for (const p of parts) {
      view.setInt32(at + 1, p === null ? -1 : p.length);
      if (p !== null) out.set(p, at + 5);
      at += 5 + (p?.length ?? 0);
    }
    return out;
  };
}

export function streamingHypothetical(
  kind: HypotheticalKind,
  types: number[],
  order: readonly WithinGroupOrder[] | undefined,
  constDirect: readonly unknown[] | undefined,
): AggregateImpl<CountingState> {
  const n = types.length;
  const keys: SortKey[] = types.map((type, i) => ({
    index: i,
    type,
    desc: order?.[i]?.desc ?? false,
    nullsFirst: order?.[i]?.nullsFirst ?? false,
    location: order?.[i]?.location ?? -1,
  }));
  const cmp = rowComparator(keys);
  const dense = kind === 'dense_rank';
  const rowBytes = dense ? rowBytesFn(types) : null;
  return {
    resultType: kind === 'rank' || kind === 'dense_rank' ? OID.int8 : OID.float8,
    init: () => ({ direct: constDirect ? constDirect.slice() : null, before: 0, peers: 0, total: 0, lower: null }),
    step: (st, args) => {
      if (st.direct === null) st.direct = args.slice(0, n);
      const row = args.slice(n);
      const c = cmp(row, st.direct);
      st.total++;
      if (c < 0) {
        st.before++;
        if (rowBytes) (st.lower ??= new HyperLogLog(HLL_DEFAULT_P)).addBytes(rowBytes(row));
      } else if (c === 0) {
        st.peers++;
      }
      return st;
    },
    merge: (a, b) => {
      if (a.direct === null) a.direct = b.direct;
      a.before += b.before;
      a.peers += b.peers;
      a.total += b.total;
      if (b.lower) {
        if (a.lower) hllUnionInto(a.lower, b.lower);
        else a.lower = b.lower;
      }
      return a;
    },
    final: (st) => {
      switch (kind) {
        case 'rank':
          return BigInt(st.before + 1);
        case 'percent_rank':
          return st.total === 0 ? 0 : st.before / st.total;
        case 'cume_dist':
          return (st.before + st.peers + 1) / (st.total + 1);
        case 'dense_rank':
          return BigInt((st.lower ? Math.round(st.lower.cardinality()) : 0) + 1);
      }
    },
    serialize: (st) =>
      encodeState({ direct: st.direct, before: st.before, peers: st.peers, total: st.total, lower: st.lower ? st.lower.serialize() : null }),
    deserialize: (bytes) => {
      const s = decodeState<{ direct: unknown[] | null; before: number; peers: number; total: number; lower: Uint8Array | null }>(bytes);
      return { direct: s.direct, before: s.before, peers: s.peers, total: s.total, lower: s.lower ? readHll(s.lower) : null };
    },
  };
}
