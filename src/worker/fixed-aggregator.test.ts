// A view of fixed kinds is aggregated in records of doubles (fixed-aggregator.ts):
// its partials must be byte for byte those of the object form, for every
// kind, with NULLs, FILTER, expressions, int8 arguments, short and long
// keys and several combiners; a value only the object form holds sends the
// whole batch there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OID } from '../types/oids.js';
import { defaultIoContext } from '../types/io-context.js';
import { loadParser } from '../sql/parse-statements.js';
import { evalContext } from '../sql/select/test-support.js';
import { compileContinuousPlan } from '../planner/compile-plan.js';
import type { CompiledContinuousPlan } from '../planner/continuous-plan.js';
import { PartialsWriter } from '../engine/partials-codec.js';
import { fixedFieldsOf } from '../planner/fixed-fields.js';
import { messageBytes } from './test-support.js';
import { mulberry32 } from '../testing/prng.js';
import { aggregateView, type RowSource } from './partial-aggregator.js';
import { aggregateFixed } from './fixed-aggregator.js';

await loadParser();
const io = defaultIoContext();
const ctx = evalContext();

const COLUMNS = [
  { name: 'k', typeOid: OID.int4, typmod: -1 },
  { name: 't', typeOid: OID.text, typmod: -1 },
  { name: 'x', typeOid: OID.int4, typmod: -1 },
  { name: 'b', typeOid: OID.int8, typmod: -1 },
  { name: 'y', typeOid: OID.int2, typmod: -1 },
];
const WIDTH = COLUMNS.length + 1;

function compile(query: string): CompiledContinuousPlan {
  return compileContinuousPlan({ name: 'v', query, stream: { name: 's', columns: COLUMNS } }, io);
}

function rows(data: unknown[][]): RowSource {
  return {
    rowCount: data.length,
    row(i, out) {
      const r = data[i]!;
      for (let c = 0; c < r.length; c++) out[c] = r[c];
      out[WIDTH - 1] = null;
    },
  };
}

/** Random rows: keys over `keys` values, about a tenth of each value NULL. */
function randomRows(n: number, keys: number, seed: number, bigint = (r: () => number) => BigInt(Math.floor(r() * 2000) - 1000)): unknown[][] {
  const r = mulberry32(seed);
  const orNull = <T>(v: T) => (r() < 0.1 ? null : v);
  const out: unknown[][] = [];
  for (let i = 0; i < n; i++) {
    const k = Math.floor(r() * keys);
    out.push([orNull(k), orNull(k % 3 === 0 ? `a key long enough for a string id ${k}` : `k${k}`), orNull(Math.floor(r() * 2e6) - 1e6), orNull(bigint(r)), orNull(Math.floor(r() * 600) - 300)]);
  }
  return out;
}

/** The partials messages for `combiners` combiners, by the plan's own path, records written as bytes. */
function partials(plan: CompiledContinuousPlan, data: unknown[][], combiners: number): Buffer[] {
  const writers = Array.from({ length: combiners }, () => new PartialsWriter());
  aggregateView({ viewOid: 7, plan }, rows(data), WIDTH, ctx, writers);
  return writers.map((w) => Buffer.from(messageBytes(w, () => fixedFieldsOf(plan.fixedKinds!))));
}

const objectForm = (plan: CompiledContinuousPlan): CompiledContinuousPlan => ({ ...plan, fixedStep: null });

const QUERIES = [
  'SELECT k, count(*), avg(x), min(x), max(x), sum(x) FROM s GROUP BY k',
  'SELECT t, count(x), sum(b), avg(b), min(y), max(y) FROM s GROUP BY t',
  'SELECT k % 5 AS m, count(*) FILTER (WHERE x > 0), sum(x * 2) FILTER (WHERE y < 0), avg(y), max(x + y) FROM s WHERE k IS NOT NULL GROUP BY m',
  'SELECT count(*), sum(x), min(x) FROM s',
  'SELECT k, t FROM s GROUP BY k, t',
  'SELECT k, t, count(*) FROM s GROUP BY k, t',
  // Products of 0 and a negative number: an integer 0, never -0, in either form.
  'SELECT k % 4 AS m, max(x * 0), min(y * 0), max(x * -1), sum(x * 0) FROM s GROUP BY m',
];

test('partials of records are byte for byte those of the object form', () => {
  for (const query of QUERIES) {
    const plan = compile(query);
    assert.ok(plan.fixedStep, query);
    for (const [n, keys, seed] of [[1, 1, 1], [3000, 100, 2], [5000, 5000, 3], [200, 7, 4]] as const) {
      const data = randomRows(n, keys, seed);
      for (const combiners of [1, 3]) {
        assert.deepEqual(partials(plan, data, combiners), partials(objectForm(plan), data, combiners), `${query} (${n} rows, ${combiners} combiners)`);
      }
    }
  }
});

test('a batch whose keys all have numeric ids goes as records, one set per combiner that owns a key', () => {
  const plan = compile('SELECT k, count(*), avg(x), min(x), max(x), sum(x) FROM s GROUP BY k');
  const data = randomRows(3000, 500, 8).filter((r) => r[0] !== null);
  for (const combiners of [1, 3]) {
    const writers = Array.from({ length: combiners }, () => new PartialsWriter());
    const out = aggregateView({ viewOid: 7, plan }, rows(data), WIDTH, ctx, writers);
    const sets = writers.map((w) => w.recordPartials());
    assert.ok(sets.every((s) => s.length === 1 && s[0]!.viewOid === 7 && s[0]!.stride === 1 + 6));
    const groups = sets.reduce((n, s) => n + s[0]!.records.length / 7, 0);
    assert.equal(groups, new Set(data.map((r) => r[0])).size);
    assert.deepEqual(out, { groups, bytes: 8 * 7 * groups });
  }
  // A key too long for a numeric id: the batch's groups go as bytes.
  const text = compile('SELECT t, count(*) FROM s GROUP BY t');
  const writer = new PartialsWriter();
  aggregateView({ viewOid: 7, plan: text }, rows(randomRows(100, 30, 9)), WIDTH, ctx, [writer]);
  assert.deepEqual(writer.recordPartials(), []);
  assert.ok(!writer.empty);
});

test('a batch none of whose rows reaches the view sends nothing; combiners that own no group of it get nothing', () => {
  const plan = compile('SELECT k, count(*), sum(x) FROM s WHERE x > 100 GROUP BY k');
  for (const combiners of [1, 3]) {
    const writers = Array.from({ length: combiners }, () => new PartialsWriter());
    assert.deepEqual(aggregateView({ viewOid: 7, plan }, rows([[1, 'a', 5, 1n, 1]]), WIDTH, ctx, writers), { groups: 0, bytes: 0 });
    assert.ok(writers.every((w) => w.empty));
    assert.deepEqual(aggregateView({ viewOid: 7, plan }, rows([]), WIDTH, ctx, writers), { groups: 0, bytes: 0 });
    assert.ok(writers.every((w) => w.empty));
  }
  const writers = Array.from({ length: 3 }, () => new PartialsWriter());
  aggregateView({ viewOid: 7, plan }, rows([[1, 'a', 500, 1n, 1]]), WIDTH, ctx, writers);
  assert.deepEqual(writers.map((w) => w.recordPartials().length).sort(), [0, 0, 1]);
});

test('a value only the object form holds sends the batch there, with the same result', () => {
  const plan = compile('SELECT k % 3 AS m, count(*), sum(b), avg(b), sum(x) FROM s GROUP BY m');
  // Sums past 2^50 in magnitude, and int8 values past it.
  const huge = (r: () => number) => BigInt(Math.floor(r() * 1e6)) * 2n ** 40n;
  const data = randomRows(2000, 50, 5, huge);
  data.push([1, 'k1', 1, 2n ** 62n, 1]);
  const writer = new PartialsWriter();
  assert.equal(aggregateFixed({ viewOid: 7, plan }, rows(data), WIDTH, ctx, [writer]), null);
  assert.ok(writer.empty, 'nothing written by the refused records');
  assert.deepEqual(partials(plan, data, 2), partials(objectForm(plan), data, 2));
  // The next batch is stepped in records again.
  const small = randomRows(100, 10, 6);
  assert.notEqual(aggregateFixed({ viewOid: 7, plan }, rows(small), WIDTH, ctx, [new PartialsWriter()]), null);
});

test('a view with an aggregate outside the fixed kinds has no record step', () => {
  assert.equal(compile('SELECT k, sum(x), count(DISTINCT x) FROM s GROUP BY k').fixedStep, null);
  assert.equal(compile('SELECT k, min(b) FROM s GROUP BY k').fixedStep, null);
  assert.equal(compile('SELECT k, avg(x::float8) FROM s GROUP BY k').fixedStep, null);
});

test('an error in a row leaves the thread\'s records empty for the next batch', () => {
  const plan = compile('SELECT k, sum(100 / x) FROM s GROUP BY k');
  assert.throws(() => partials(plan, [[1, 'a', 5, 1n, 1], [2, 'b', 0, 1n, 1]], 1), /division by zero/);
  const data = [[1, 'a', 4, 1n, 1]];
  assert.deepEqual(partials(plan, data, 1), partials(objectForm(plan), data, 1));
});
