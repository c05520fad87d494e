// Sketch aggregates in continuous views: hll_agg & co. store their sketch,
// count(DISTINCT x) reads an HLL's cardinality, percentile_cont reads a
// t-digest. Partial states are split, serialized, merged and compared with
// one state fed every row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OID } from '../types/oids.js';
import { defaultIoContext } from '../types/io-context.js';
import { textOut } from '../types/type-io.js';
import { SKETCH_OID } from '../types/sketch-types.js';
import { HyperLogLog } from '../sketches/hll.js';
import { loadParser } from '../sql/parse-statements.js';
import { evalContext } from '../sql/select/test-support.js';
import { compileContinuousPlan } from './compile-plan.js';
import type { CompiledContinuousPlan, StreamColumn } from './continuous-plan.js';
import { aggregate, finalizeAll, type Group } from './plan-test-support.js';

await loadParser();
const io = defaultIoContext();
const ctx = evalContext();

const col = (name: string, typeOid: number): StreamColumn => ({ name, typeOid, typmod: -1 });
const S = { name: 's', columns: [col('k', OID.int4), col('x', OID.int4), col('t', OID.text), col('f', OID.float8)] };

function plan(query: string): CompiledContinuousPlan {
  return compileContinuousPlan({ name: 'v', query, stream: S }, io);
}

function columns(p: CompiledContinuousPlan): string[] {
  return p.outputColumns.map((c) => `${c.name}:${c.typeOid}`);
}

/** Stream rows: [k, x, t, f, arrival_timestamp]. */
const row = (k: number, x: number | null, f: number | null = null): unknown[] => [k, x, x === null ? null : `v${x}`, f, 0];

/** The rows split round-robin into `parts` partials, each serialized, then merged into one table. */
function mergedSplits(p: CompiledContinuousPlan, rows: unknown[][], parts: number): Map<string, Group> {
  const partials: unknown[][][] = Array.from({ length: parts }, () => []);
  rows.forEach((r, i) => partials[i % parts].push(r));
  const into = new Map<string, Group>();
  for (const part of partials) {
    for (const [mk, g] of aggregate(p, part, ctx)) {
      const states = p.deserializeStates(p.serializeStates(g.states));
      const have = into.get(mk);
      if (have) p.merge(have.states, states);
      else into.set(mk, { key: g.key, states });
    }
  }
  return into;
}

function stateBytes(p: CompiledContinuousPlan, groups: Map<string, Group>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [mk, g] of groups) out.set(mk, Buffer.from(p.serializeStates(g.states)).toString('hex'));
  return out;
}

function textRows(p: CompiledContinuousPlan, groups: Map<string, Group>): string[] {
  return finalizeAll(p, groups, ctx)
    .map((r) => r.map((v, i) => (v === null ? 'NULL' : textOut(p.outputColumns[i].typeOid, v, io))).join('|'))
    .sort();
}

/** PostgreSQL's percentile_cont over sorted values. */
function exactPercentile(sorted: number[], q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

test('sketch aggregates are accepted and keep their sketch type', () => {
  const p = plan('SELECT k, hll_agg(x), bloom_agg(t), freq_agg(t), topk_agg(t, 3), dist_agg(f) FROM s GROUP BY k');
  assert.deepEqual(columns(p), [
    'k:23',
    `hll_agg:${SKETCH_OID.hyperloglog}`,
    `bloom_agg:${SKETCH_OID.bloom}`,
    `freq_agg:${SKETCH_OID.cmsketch}`,
    `topk_agg:${SKETCH_OID.topk}`,
    `dist_agg:${SKETCH_OID.tdigest}`,
  ]);
});

test('hll_agg: merged partial states are byte-identical to one state', () => {
  const p = plan('SELECT k, hll_agg(x), hll_cardinality(hll_agg(x)) AS c FROM s GROUP BY k');
  const rows: unknown[][] = [];
  for (let i = 0; i < 30_000; i++) rows.push(row(i % 3, (i * 7919) % 20_000));
  rows.push(row(0, null));
  const whole = aggregate(p, rows, ctx);
  assert.deepEqual(stateBytes(p, mergedSplits(p, rows, 4)), stateBytes(p, whole));
  const out = finalizeAll(p, whole, ctx);
  for (const r of out) {
    const hll = HyperLogLog.deserialize(r[1] as Uint8Array);
    assert.equal(BigInt(hll.cardinality()), r[2]);
    // Each group sees 10000 rows over distinct values (7919 is coprime with 20000).
    assert.ok(Math.abs(Number(r[2]) - 10_000) < 200, String(r[2]));
  }
});

test('hll_union_agg, bloom_*, freq_merge_agg over sketch columns are accepted', () => {
  const T = {
    name: 's2',
    columns: [col('h', SKETCH_OID.hyperloglog), col('b', SKETCH_OID.bloom), col('c', SKETCH_OID.cmsketch)],
  };
  const p = compileContinuousPlan(
    { name: 'v', query: 'SELECT hll_union_agg(h), bloom_union_agg(b), bloom_intersection_agg(b), freq_merge_agg(c) FROM s2', stream: T },
    io,
  );
  assert.equal(p.stateCount, 4);
});

test('bloom_agg: merged partials give the same sketch; freq_agg, topk_agg and dist_agg estimates agree', () => {
  const p = plan(
    "SELECT k, bloom_agg(t), freq_agg(t), topk_values(topk_agg(t, 3)) AS top, dist_quantile(dist_agg(f), 0.5) AS med, bloom_contains(bloom_agg(t), 'v7'::text) AS has7, freq(freq_agg(t), 'v1'::text) AS f1 FROM s GROUP BY k",
  );
  const rows: unknown[][] = [];
  const ones = [0, 0];
  for (let i = 0; i < 3000; i++) {
    // Skewed values: the larger v<n>, the more frequent.
    const x = Math.floor(Math.sqrt(i % 400));
    if (x === 1) ones[i % 2]++;
    rows.push(row(i % 2, x, (i * 37) % 1000));
  }
  const whole = aggregate(p, rows, ctx);
  const merged = mergedSplits(p, rows, 3);
  const wholeOut = finalizeAll(p, whole, ctx);
  const mergedOut = finalizeAll(p, merged, ctx);
  for (let g = 0; g < wholeOut.length; g++) {
    const a = wholeOut[g];
    const b = mergedOut[g];
    assert.deepEqual(b[1], a[1], 'bloom bytes');
    // Count-Min uses conservative updates, so merged counters may differ: compare estimates (b[6]) instead.
    assert.equal(textOut(p.outputColumns[3].typeOid, b[3], io), textOut(p.outputColumns[3].typeOid, a[3], io), 'topk values');
    assert.ok(Math.abs((b[4] as number) - (a[4] as number)) <= 10, `median ${b[4]} vs ${a[4]}`);
    assert.equal(b[5], true);
    assert.equal(a[5], true);
    // Count-Min never undercounts; 3000 rows leave little room to overcount.
    const exact = BigInt(ones[a[0] as number]);
    for (const est of [a[6] as bigint, b[6] as bigint]) assert.ok(est >= exact && est <= exact + 3n, `${est} vs ${exact}`);
  }
});

test('count(DISTINCT x) reads an HLL: name count, type int8, exact for small sets', () => {
  const p = plan('SELECT k, count(DISTINCT x), count(DISTINCT t) + 1 AS plus FROM s GROUP BY k');
  assert.deepEqual(columns(p), ['k:23', 'count:20', 'plus:20']);
  const rows = [row(1, 1), row(1, 2), row(1, 2), row(1, null), row(2, 5), row(2, null), row(3, null)];
  for (let i = 0; i < 300; i++) rows.push(row(4, i % 150));
  assert.deepEqual(textRows(p, aggregate(p, rows, ctx)), ['1|2|3', '2|1|2', '3|0|1', '4|150|151']);
  assert.deepEqual(textRows(p, mergedSplits(p, rows, 3)), ['1|2|3', '2|1|2', '3|0|1', '4|150|151']);
});

test('count(DISTINCT x) over 10^5 distinct values is within 2%, merged or not', () => {
  const p = plan('SELECT count(DISTINCT x) FROM s');
  const rows: unknown[][] = [];
  for (let i = 0; i < 100_000; i++) rows.push(row(0, i));
  const whole = aggregate(p, rows, ctx);
  const merged = mergedSplits(p, rows, 5);
  assert.deepEqual(stateBytes(p, merged), stateBytes(p, whole));
  const n = Number(finalizeAll(p, whole, ctx)[0][0] as bigint);
  assert.ok(Math.abs(n - 100_000) <= 2_000, String(n));
});

test('count(DISTINCT x) FILTER and alongside hll_agg(x) share one state', () => {
  const p = plan('SELECT count(DISTINCT x) FILTER (WHERE x > 1) AS big, count(DISTINCT x), hll_agg(x) FROM s');
  assert.equal(p.stateCount, 2);
  const rows = [row(0, 1), row(0, 2), row(0, 3), row(0, 3)];
  const out = finalizeAll(p, aggregate(p, rows, ctx), ctx)[0];
  assert.equal(out[0], 2n);
  assert.equal(out[1], 3n);
});

test('percentile_cont matches the exact percentile for small inputs', () => {
  const p = plan(
    'SELECT k, percentile_cont(0.5) WITHIN GROUP (ORDER BY f), percentile_cont(ARRAY[0, 0.25, 0.9, 1]) WITHIN GROUP (ORDER BY x) AS qs, ' +
      "percentile_cont('{0.1,0.75}'::float8[]) WITHIN GROUP (ORDER BY f) AS lit FROM s GROUP BY k",
  );
  assert.deepEqual(columns(p), ['k:23', 'percentile_cont:701', 'qs:1022', 'lit:1022']);
  const rows: unknown[][] = [];
  const fs: number[][] = [[], [], []];
  const xs: number[][] = [[], [], []];
  for (let i = 0; i < 60; i++) {
    const k = i % 3;
    const x = (i * 13) % 41;
    const f = ((i * 29) % 53) / 4;
    rows.push(row(k, x, f));
    xs[k].push(x);
    fs[k].push(f);
  }
  rows.push(row(4, null, null));
  const check = (groups: Map<string, Group>) => {
    const out = finalizeAll(p, groups, ctx).sort((a, b) => (a[0] as number) - (b[0] as number));
    for (let k = 0; k < 3; k++) {
      const f = [...fs[k]].sort((a, b) => a - b);
      const x = [...xs[k]].sort((a, b) => a - b);
      assert.equal(out[k][1], exactPercentile(f, 0.5));
      assert.deepEqual((out[k][2] as { items: unknown[] }).items, [0, 0.25, 0.9, 1].map((q) => exactPercentile(x, q)));
      assert.deepEqual((out[k][3] as { items: unknown[] }).items, [0.1, 0.75].map((q) => exactPercentile(f, q)));
    }
    // Only NULL inputs: NULL, also for the array form.
    assert.deepEqual(out[3], [4, null, null, null]);
  };
  check(aggregate(p, rows, ctx));
  check(mergedSplits(p, rows, 4));
});

test('percentile_cont over many values stays close to exact after merging', () => {
  const p = plan('SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY f) FROM s');
  const rows: unknown[][] = [];
  for (let i = 0; i < 20_000; i++) rows.push(row(0, null, (i * 7919) % 20_000));
  const v = finalizeAll(p, mergedSplits(p, rows, 4), ctx)[0][0] as number;
  assert.ok(Math.abs(v - 19_799.01) < 20, String(v));
});

test('percentile_cont fractions out of range are refused at CREATE', () => {
  assert.throws(() => plan('SELECT percentile_cont(1.5) WITHIN GROUP (ORDER BY f) FROM s'), (e: any) => {
    assert.equal(e.code, '22003');
    assert.equal(e.message, 'percentile value 1.5 is not between 0 and 1');
    return true;
  });
  assert.throws(() => plan('SELECT percentile_cont(ARRAY[0.5, 2]) WITHIN GROUP (ORDER BY f) FROM s'), /percentile value 2 is not between 0 and 1/);
});
