// Ordered-set aggregates (percentile_cont, percentile_disc, mode) and
// hypothetical-set aggregates (rank, dense_rank, percent_rank, cume_dist),
// called as name(direct args) WITHIN GROUP (ORDER BY aggregated args).
// Each step receives [direct args..., aggregated args...]; the state keeps the
// direct arguments of the group's first row (PostgreSQL requires them to be
// constant per group) and every aggregated input, and final sorts them. States
// merge by concatenation, so partial aggregation works as for other aggregates.
import { PgError, SQLSTATE } from '../../errors.js';
import { OID, typeByOid } from '../../types/oids.js';
import { Interval, PgArray } from '../../types/values.js';
import { intervalAdd, intervalMul, intervalSub } from '../../types/interval.js';
import { rowComparator, type SortKey } from '../select/sort.js';
import { registerAggregate, type AggregateImpl, type WithinGroupOrder } from './aggregate.js';
import type { HypotheticalKind } from './hypothetical-streaming.js';
import { decodeState, encodeState } from './state-codec.js';
import { streamingHypothetical } from './hypothetical-streaming.js';

interface CollectState {
  /** Direct arguments from the first row stepped (null until then). */
  direct: unknown[] | null;
  /** Aggregated inputs, one row per input row. */
  rows: unknown[][];
}

function collector(
  nDirect: number,
  skipNullInput: boolean,
  constDirect?: readonly unknown[],
): Pick<AggregateImpl<CollectState>, 'init' | 'step' | 'merge' | 'serialize' | 'deserialize'> {
  return {
    init: () => ({ direct: constDirect ? constDirect.slice() : null, rows: [] }),
    step: (st, args) => {
      if (st.direct === null) st.direct = args.slice(0, nDirect);
      // Ordered-set aggregates ignore NULL inputs; hypothetical-set ones sort them like any value.
      if (skipNullInput && args[nDirect] === null) return st;
      st.rows.push(args.slice(nDirect));
      return st;
    },
    merge: (a, b) => {
      if (a.direct === null) a.direct = b.direct;
      for (const r of b.rows) a.rows.push(r);
      return a;
    },
    serialize: (st) => encodeState(st),
    deserialize: (b) => decodeState<CollectState>(b),
  };
}

function sortKeys(types: number[], order: readonly WithinGroupOrder[] | undefined): SortKey[] {
  return types.map((type, i) => ({
    index: i,
    type,
    desc: order?.[i]?.desc ?? false,
    nullsFirst: order?.[i]?.nullsFirst ?? false,
    location: order?.[i]?.location ?? -1,
  }));
}

/** Formats like C's %g (6 significant digits), as PostgreSQL's error message does. */
export function formatG(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const exp = Number(v.toExponential(5).split('e')[1]);
  if (exp < -4 || exp >= 6) {
    const [mant, e] = v.toExponential(5).split('e');
    const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
    const n = Math.abs(Number(e));
    return `${m}e${e[0] === '-' ? '-' : '+'}${n < 10 ? '0' : ''}${n}`;
  }
  const fixed = v.toFixed(Math.max(0, 5 - exp));
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

function checkPercentile(p: number): void {
  if (!(p >= 0 && p <= 1)) {
    throw new PgError(SQLSTATE.numeric_value_out_of_range, `percentile value ${formatG(p)} is not between 0 and 1`);
  }
}

type Lerp = (lo: unknown, hi: unknown, frac: number) => unknown;
const lerpFloat: Lerp = (lo, hi, frac) => (lo as number) + ((hi as number) - (lo as number)) * frac;
const lerpInterval: Lerp = (lo, hi, frac) => intervalAdd(lo as Interval, intervalMul(intervalSub(hi as Interval, lo as Interval), frac));

/** Sorted non-NULL values of the single aggregated argument. */
function sortedValues(st: CollectState, type: number, order: readonly WithinGroupOrder[] | undefined): unknown[] {
  st.rows.sort(rowComparator(sortKeys([type], order)));
  return st.rows.map((r) => r[0]);
}

function contAt(vals: unknown[], p: number, lerp: Lerp): unknown {
  const pos = p * (vals.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return lo === hi ? vals[lo] : lerp(vals[lo], vals[hi], pos - lo);
}

function discAt(vals: unknown[], p: number): unknown {
  const rownum = Math.ceil(p * vals.length);
  return vals[rownum > 1 ? rownum - 1 : 0];
}

/** percentile_cont / percentile_disc with a single fraction or an array of them. */
function percentile(
  valueType: number,
  multi: boolean,
  resultType: number,
  order: readonly WithinGroupOrder[] | undefined,
  pick: (vals: unknown[], p: number) => unknown,
  constDirect: readonly unknown[] | undefined,
): AggregateImpl<CollectState> {
  return {
    resultType,
    ...collector(1, true, constDirect),
    final: (st) => {
      if (st.direct === null || st.direct[0] === null) return null;
      if (!multi) {
        // A single fraction is checked even for an empty group; an array only when there are rows.
        const p = st.direct[0] as number;
        checkPercentile(p);
        if (st.rows.length === 0) return null;
        return pick(sortedValues(st, valueType, order), p);
      }
      if (st.rows.length === 0) return null;
      const fractions = st.direct[0] as PgArray;
      // All fractions are checked before any value is picked, as PostgreSQL does.
      for (const p of fractions.items) if (p !== null) checkPercentile(p as number);
      const vals = sortedValues(st, valueType, order);
      return new PgArray(valueType, fractions.items.map((p) => (p === null ? null : pick(vals, p as number))), fractions.lower);
    },
  };
}

function modeAgg(type: number, order: readonly WithinGroupOrder[] | undefined): AggregateImpl<CollectState> {
  const cmp = rowComparator(sortKeys([type], order));
  return {
    resultType: type,
    ...collector(0, true),
    final: (st) => {
      const rows = st.rows;
      if (rows.length === 0) return null;
      rows.sort(cmp);
      // The first value (in sort order) of the longest run of equal values wins.
      let best = rows[0][0];
      let bestCount = 0;
      let runStart = 0;
      for (let i = 1; i <= rows.length; i++) {
        if (i < rows.length && cmp(rows[i], rows[runStart]) === 0) continue;
        if (i - runStart > bestCount) {
          bestCount = i - runStart;
          best = rows[runStart][0];
        }
        runStart = i;
      }
      return best;
    },
  };
}


/** A hypothetical-set aggregate over `n` ordering columns of the given types. */
function hypothetical(kind: HypotheticalKind, types: number[], order: readonly WithinGroupOrder[] | undefined): AggregateImpl<CollectState> {
  const n = types.length;
  const cmp = rowComparator(sortKeys(types, order));
  return {
    resultType: kind === 'rank' || kind === 'dense_rank' ? OID.int8 : OID.float8,
    ...collector(n, false),
    final: (st) => {
      const total = st.rows.length;
      if (total === 0 || st.direct === null) {
        if (kind === 'percent_rank') return 0;
        return kind === 'cume_dist' ? 1 : 1n;
      }
      const h = st.direct;
      let before = 0;
      let peers = 0;
      for (const r of st.rows) {
        const c = cmp(r, h);
        if (c < 0) before++;
        else if (c === 0) peers++;
      }
      switch (kind) {
        case 'rank':
          return BigInt(before + 1);
        case 'percent_rank':
          return before / total;
        case 'cume_dist':
          return (before + peers + 1) / (total + 1);
        case 'dense_rank': {
          // Count the distinct peer groups sorting strictly before the hypothetical row.
          const lower = st.rows.filter((r) => cmp(r, h) < 0).sort(cmp);
          let groups = 0;
          for (let i = 0; i < lower.length; i++) if (i === 0 || cmp(lower[i], lower[i - 1]) !== 0) groups++;
          return BigInt(groups + 1);
        }
      }
    },
  };
}

const arrayOfType = (t: number): number => typeByOid(t)?.array ?? OID.anyarray;

registerAggregate(
  {
    name: 'percentile_cont', args: [OID.float8, OID.float8], ret: OID.float8, strict: false, withinGroup: 'ordered',
    create: (_t, order, cd) => percentile(OID.float8, false, OID.float8, order, (v, p) => contAt(v, p, lerpFloat), cd),
  },
  {
    name: 'percentile_cont', args: [OID.float8, OID.interval], ret: OID.interval, strict: false, withinGroup: 'ordered',
    create: (_t, order, cd) => percentile(OID.interval, false, OID.interval, order, (v, p) => contAt(v, p, lerpInterval), cd),
  },
  {
    name: 'percentile_cont', args: [OID._float8, OID.float8], ret: OID._float8, strict: false, withinGroup: 'ordered',
    create: (_t, order, cd) => percentile(OID.float8, true, OID._float8, order, (v, p) => contAt(v, p, lerpFloat), cd),
  },
  {
    name: 'percentile_cont', args: [OID._float8, OID.interval], ret: OID._interval, strict: false, withinGroup: 'ordered',
    create: (_t, order, cd) => percentile(OID.interval, true, OID._interval, order, (v, p) => contAt(v, p, lerpInterval), cd),
  },
  {
    name: 'percentile_disc', args: [OID.float8, OID.anyelement], ret: OID.anyelement, strict: false, withinGroup: 'ordered',
    create: (t, order, cd) => percentile(t[1], false, t[1], order, discAt, cd),
  },
  {
    name: 'percentile_disc', args: [OID._float8, OID.anyelement], ret: OID.anyarray, strict: false, withinGroup: 'ordered',
    create: (t, order, cd) => percentile(t[1], true, arrayOfType(t[1]), order, discAt, cd),
  },
  {
    name: 'mode', args: [OID.anyelement], ret: OID.anyelement, strict: false, withinGroup: 'ordered',
    create: (t, order) => modeAgg(t[0], order),
  },
);

for (const kind of ['rank', 'dense_rank', 'percent_rank', 'cume_dist'] as const) {
  registerAggregate({
    name: kind,
    // Direct and aggregated arguments are paired up and unified by the analyzer, not matched against this list.
    args: [],
    ret: kind === 'rank' || kind === 'dense_rank' ? OID.int8 : OID.float8,
    strict: false,
    withinGroup: 'hypothetical',
    create: (t, order) => hypothetical(kind, t.slice(t.length / 2), order),
    createStreaming: (t, order, cd) => streamingHypothetical(kind, t.slice(t.length / 2), order, cd),
  });
}
