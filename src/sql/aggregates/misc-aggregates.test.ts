import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../builtins.js';
import { OID } from '../../types/oids.js';
import { PgArray } from '../../types/values.js';
import { functionCandidates } from '../functions/catalog.js';
import { aggregateCandidates, type AggregateImpl } from './aggregate.js';
import { mulberry32 as prng } from '../../testing/prng.js';

function impl(name: string, argTypes: number[]): AggregateImpl {
  const def = aggregateCandidates(name).find((d) => d.args.length === argTypes.length);
  assert.ok(def, `${name} registered`);
  return def.create(argTypes);
}

function run(agg: AggregateImpl, rows: unknown[][]): unknown {
  let s = agg.init();
  for (const r of rows) s = agg.step(s, r);
  return agg.final(s);
}

/** Splits rows at random cuts, serializes each part's state, merges in order. */
function runSplit(agg: AggregateImpl, rows: unknown[][], r: () => number): unknown {
  const cuts = [0, ...[r(), r(), r()].map((x) => Math.floor(x * (rows.length + 1))).sort((a, b) => a - b), rows.length];
  let merged = agg.init();
  for (let p = 0; p + 1 < cuts.length; p++) {
    let s = agg.init();
    for (const row of rows.slice(cuts[p], cuts[p + 1])) s = agg.step(s, row);
    merged = agg.merge(merged, agg.deserialize(agg.serialize(s)));
  }
  return agg.final(merged);
}

test('set_agg: distinct values in first-seen order, NULL kept once, no rows NULL', () => {
  const a = impl('set_agg', [OID.int4]);
  const v = run(a, [[3], [1], [3], [null], [2], [null], [1]]) as PgArray;
  assert.equal(v.elemType, OID.int4);
  assert.deepEqual(v.items, [3, 1, null, 2]);
  assert.equal(a.resultType, OID._int4);
  assert.equal(run(a, []), null);
});

test('exact_count_distinct: int4 count, NULL counts once, no rows 0', () => {
  const a = impl('exact_count_distinct', [OID.text]);
  assert.equal(a.resultType, OID.int4);
  assert.equal(run(a, [['a'], ['b'], ['a'], [null], [null]]), 3);
  assert.equal(run(a, []), 0);
  const n = impl('exact_count_distinct', [OID.int8]);
  assert.equal(run(n, Array.from({ length: 1000 }, (_, i) => [BigInt(i % 37)])), 37);
});

test('keyed_max / keyed_min: value at the extreme key, later row wins ties, NULL keys ignored', () => {
  const mx = impl('keyed_max', [OID.int4, OID.text]);
  const mn = impl('keyed_min', [OID.int4, OID.text]);
  const rows = [[5, 'a'], [9, 'b'], [null, 'n'], [9, 'c'], [1, 'd'], [1, 'e']];
  assert.equal(run(mx, rows), 'c');
  assert.equal(run(mn, rows), 'e');
  assert.equal(run(mx, [[3, null], [2, 'x']]), null);
  assert.equal(run(mx, [[null, 'first'], [2, 'x']]), 'x');
  assert.equal(run(mx, [[null, 'first']]), 'first');
  assert.equal(run(mx, []), null);
});

test('merge over random splits equals one pass', () => {
  const cases: [string, number[], (r: () => number) => unknown[]][] = [
    ['set_agg', [OID.int4], (r) => [r() < 0.1 ? null : Math.floor(r() * 8)]],
    ['exact_count_distinct', [OID.text], (r) => [r() < 0.1 ? null : String(Math.floor(r() * 12))]],
    ['keyed_max', [OID.int4, OID.int4], (r) => [r() < 0.1 ? null : Math.floor(r() * 6), Math.floor(r() * 1000)]],
    ['keyed_min', [OID.float8, OID.text], (r) => [r() < 0.1 ? null : Math.floor(r() * 6) / 2, String(Math.floor(r() * 1000))]],
  ];
  for (const [name, types, gen] of cases) {
    const agg = impl(name, types);
    for (let seed = 1; seed <= 30; seed++) {
      const r = prng(seed);
      const rows = Array.from({ length: Math.floor(r() * 30) }, () => gen(r));
      const show = (v: unknown) => (v instanceof PgArray ? v.items : v);
      assert.deepEqual(show(runSplit(agg, rows, r)), show(run(agg, rows)), `${name} seed ${seed}`);
    }
  }
});

test('0.9 aliases share the 1.0 definitions', () => {
  for (const [old, now] of [['cmsketch_agg', 'freq_agg'], ['cmsketch_merge_agg', 'freq_merge_agg'], ['tdigest_agg', 'dist_agg']]) {
    assert.deepEqual(aggregateCandidates(old!).map((d) => d.create), aggregateCandidates(now!).map((d) => d.create).concat(old === 'cmsketch_agg' ? [aggregateCandidates(old).at(-1)!.create] : []));
  }
  assert.deepEqual(aggregateCandidates('fss_agg').map((d) => d.args.length), [2, 4]);
  assert.deepEqual(aggregateCandidates('fss_agg_weighted').map((d) => d.args), [[OID.anyelement, OID.int4, OID.int8]]);
  for (const [old, now] of [['cmsketch_frequency', 'freq'], ['cmsketch_total', 'freq_total'], ['fss_topk_values', 'topk_values'], ['tdigest_quantile', 'dist_quantile'], ['tdigest_cdf', 'dist_cdf']]) {
    assert.deepEqual(functionCandidates(old!).map((d) => d.impl), functionCandidates(now!).map((d) => d.impl));
  }
  assert.equal(functionCandidates('set_cardinality')[0]!.impl([new PgArray(OID.int4, [1, 2, null])], undefined as never, [OID._int4]), 3);
});
