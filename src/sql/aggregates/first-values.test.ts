import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../builtins.js';
import { PgError } from '../../errors.js';
import { OID } from '../../types/oids.js';
import { PgRecord } from '../../types/record.js';
import { getTextOutput } from '../../types/type-io.js';
import { defaultIoContext } from '../../types/io-context.js';
import { Dec, Numeric, PgArray } from '../../types/values.js';
import { mulberry32 as prng } from '../../testing/prng.js';
import { aggregateCandidates, type AggregateImpl, type WithinGroupOrder } from './aggregate.js';

function impl(argTypes: number[]): AggregateImpl {
  const def = aggregateCandidates('first_values').find((d) => !d.withinGroup && d.args.length === argTypes.length);
  assert.ok(def);
  return def.create(argTypes);
}

function withinGroup(argTypes: number[], order: WithinGroupOrder[]): AggregateImpl {
  const def = aggregateCandidates('first_values').find((d) => d.withinGroup === 'ordered' && d.args.length === argTypes.length);
  assert.ok(def);
  return def.create(argTypes, order);
}

function run(agg: AggregateImpl, rows: unknown[][]): unknown {
  let s = agg.init();
  for (const r of rows) s = agg.step(s, r);
  return agg.final(s);
}

/** The result as printed, so arrays of records compare by their text. */
function text(agg: AggregateImpl, v: unknown): string | null {
  return v === null ? null : getTextOutput(agg.resultType)(v, defaultIoContext());
}

const ASC: WithinGroupOrder = { desc: false, nullsFirst: false, location: -1 };

test('one column: the n smallest values ascending, duplicates kept, NULLs last', () => {
  const a = impl([OID.int4, OID.int4]);
  assert.equal(a.resultType, OID._int4);
  const v = run(a, [[2, 1], [2, 1], [2, 5], [2, 1]]) as PgArray;
  assert.equal(v.elemType, OID.int4);
  assert.deepEqual(v.items, [1, 1]);
  assert.deepEqual((run(a, [[2, 1], [2, null], [2, -1]]) as PgArray).items, [-1, 1]);
  assert.deepEqual((run(a, [[3, null], [3, 7]]) as PgArray).items, [7, null]);
  assert.deepEqual((run(a, [[5, 3], [5, 2]]) as PgArray).items, [2, 3]);
  assert.equal(run(a, []), null);
});

test('several columns: records sorted by every column', () => {
  const a = impl([OID.int4, OID.int4, OID.int4]);
  assert.equal(a.resultType, OID._record);
  const rows = [[1, 10], [1, 4], [1, 5], [1, -1], [2, 10], [2, 4], [-1, -10]].map((r) => [2, ...r]);
  const v = run(a, rows) as PgArray;
  assert.equal(v.elemType, OID.record);
  assert.ok(v.items[0] instanceof PgRecord);
  assert.deepEqual(v.items.map((r) => (r as PgRecord).values), [[-1, -10], [1, -1]]);
  assert.equal(text(a, v), '{"(-1,-10)","(1,-1)"}');
  const t = impl([OID.int4, OID.text, OID.text, OID.text]);
  const words = ['500', '250', '1', '10', '100', '1000', '2'].map((w) => [3, w, w, w]);
  assert.equal(text(t, run(t, words)), '{"(1,1,1)","(10,10,10)","(100,100,100)"}');
  // A NULL in a later column sorts after values of that column.
  assert.equal(text(a, run(a, [[2, 1, null], [2, 1, 3], [2, 2, 0]])), '{"(1,3)","(1,)"}');
});

test('WITHIN GROUP: the ORDER BY columns, with DESC and NULLS FIRST', () => {
  const asc = withinGroup([OID.int4, OID.int4], [ASC]);
  assert.deepEqual((run(asc, [[2, 3], [2, null], [2, 1], [2, 2]]) as PgArray).items, [1, 2]);
  const desc = withinGroup([OID.int4, OID.int4], [{ desc: true, nullsFirst: true, location: -1 }]);
  assert.deepEqual((run(desc, [[3, 3], [3, null], [3, 1], [3, 2]]) as PgArray).items, [null, 3, 2]);
  const two = withinGroup([OID.int4, OID.int4, OID.text], [ASC, { desc: true, nullsFirst: false, location: -1 }]);
  assert.equal(text(two, run(two, [[2, 1, 'a'], [2, 1, 'b'], [2, 0, 'z']])), '{"(0,z)","(1,b)"}');
  // first_values(n, x) WITHIN GROUP (ORDER BY y): only n may be a direct argument.
  assert.throws(() => withinGroup([OID.int4, OID.int4, OID.int4], [ASC]), /function first_values\(integer, integer, integer\) does not exist/);
});

test('n must be a positive constant', () => {
  const a = impl([OID.int4, OID.int4]);
  const code = (rows: unknown[][]) => {
    try {
      run(a, rows);
    } catch (e) {
      return (e as PgError).code;
    }
    return 'none';
  };
  assert.equal(code([[0, 1]]), '22023');
  assert.equal(code([[-2, 1]]), '22023');
  assert.equal(code([[null, 1]]), '22004');
  assert.equal(code([[2, 1], [3, 1]]), '22023');
  assert.throws(() => a.merge(a.step(a.init(), [1, 5]), a.step(a.init(), [2, 5])), /must be constant/);
  assert.throws(() => impl([OID.int4, OID.json]), /could not identify an ordering operator for type json/);
});

test('values equal to the sort but printed differently are chosen by their text, not arrival', () => {
  const a = impl([OID.int4, OID.numeric]);
  const num = (s: string, scale: number) => new Numeric(new Dec(s), scale);
  const rows = [[1, num('1', 2)], [1, num('1', 1)], [1, num('1', 0)]];
  const forward = text(a, run(a, rows));
  assert.equal(forward, '{1}');
  assert.equal(text(a, run(a, rows.slice().reverse())), forward);
  const f = impl([OID.int4, OID.float8]);
  assert.equal(text(f, run(f, [[1, 0], [1, -0]])), '{-0}');
  assert.equal(text(f, run(f, [[1, -0], [1, 0]])), '{-0}');
});

/** Steps random parts of the rows, round-trips each state through bytes, merges them in a random order. */
function runSplit(agg: AggregateImpl, rows: unknown[][], r: () => number): unknown {
  const cuts = [0, ...[r(), r(), r(), r()].map((x) => Math.floor(x * (rows.length + 1))).sort((a, b) => a - b), rows.length];
  const parts: unknown[] = [];
  for (let p = 0; p + 1 < cuts.length; p++) {
    let s = agg.init();
    for (const row of rows.slice(cuts[p], cuts[p + 1])) s = agg.step(s, row);
    parts.push(agg.deserialize(agg.serialize(s)));
  }
  for (let i = parts.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [parts[i], parts[j]] = [parts[j], parts[i]];
  }
  // Merge as a random tree: repeatedly combine two random neighbours.
  while (parts.length > 1) {
    const i = Math.floor(r() * (parts.length - 1));
    parts.splice(i, 2, agg.deserialize(agg.serialize(agg.merge(parts[i], parts[i + 1]))));
  }
  return agg.final(parts[0] ?? agg.init());
}

test('merging random splits in random order equals one pass (int, text, float, timestamp)', () => {
  const pick = (r: () => number, k: number) => Math.floor(r() * k);
  const cases: [number[], (r: () => number) => unknown[]][] = [
    [[OID.int4, OID.int4], (r) => [r() < 0.1 ? null : pick(r, 20) - 10]],
    [[OID.int4, OID.text], (r) => [r() < 0.1 ? null : 'w' + pick(r, 30)]],
    [[OID.int4, OID.float8], (r) => [r() < 0.05 ? NaN : r() < 0.1 ? null : pick(r, 40) / 4 - 5]],
    [[OID.int4, OID.timestamp, OID.int4], (r) => [pick(r, 10) * 86_400_000_000, r() < 0.1 ? null : pick(r, 5)]],
    [[OID.int4, OID.text, OID.float8, OID.timestamp], (r) => [String(pick(r, 4)), pick(r, 3) / 2, pick(r, 1000) * 1_000_000]],
  ];
  for (const [types, gen] of cases) {
    const agg = impl(types);
    for (let seed = 1; seed <= 40; seed++) {
      const r = prng(seed);
      const n = 1 + pick(r, 6);
      const rows = Array.from({ length: pick(r, 40) }, () => [n, ...gen(r)]);
      const expected = run(agg, rows);
      assert.equal(text(agg, runSplit(agg, rows, r)), text(agg, expected), `${types} seed ${seed}`);
      if (types.length === 2 && types[1] === OID.int4) {
        // Against a plain sort: ascending, NULLs last, first n.
        const all = rows.map((x) => x[1] as number | null).sort((x, y) => (x === null ? 1 : y === null ? -1 : x - y));
        assert.deepEqual(expected === null ? [] : (expected as PgArray).items, all.slice(0, n), `seed ${seed}`);
      }
    }
  }
});

test('the state stays bounded by n', () => {
  const agg = impl([OID.int4, OID.int4]);
  let s = agg.init() as { rows: unknown[] };
  for (let i = 1000; i > 0; i--) s = agg.step(s, [3, i]) as { rows: unknown[] };
  assert.equal(s.rows.length, 3);
  assert.deepEqual((agg.final(s) as PgArray).items, [1, 2, 3]);
});
