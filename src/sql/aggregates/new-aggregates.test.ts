// Statistical, bitwise and JSON aggregates through the ad-hoc SELECT
// executor. Expected texts were computed by PostgreSQL (15, with
// extra_float_digits = 0, which prints float8 as PostgreSQL 11 did) over the
// same rows. A second test checks that every new aggregate's states, split at
// random points, serialized and merged, finalize like one pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OID } from '../../types/oids.js';
import { defaultIoContext } from '../../types/io-context.js';
import { textOut } from '../../types/type-io.js';
import { parseNumeric } from '../../types/numeric.js';
import { PgArray } from '../../types/values.js';
import { loadParser } from '../parse-statements.js';
import { evalContext, query } from '../select/test-support.js';
import { aggregateCandidates } from './index.js';
import { mulberry32 as prng } from '../../testing/prng.js';

await loadParser();

const DATA = `(VALUES (1::int2, 10::int4, 100::int8, 1.5::float4, 2.25::float8, 1.10::numeric, 3.0::float8, 'a'::text, '{"x":1}'::jsonb),
 (2::int2, -3::int4, 7::int8, 0.1::float4, 0.1::float8, 2.345::numeric, 5.5::float8, 'b', '[1,2]'),
 (NULL, 7, NULL, 2.75, 9.5, NULL, 1.25, NULL, NULL),
 (5, 12, 123456789012::int8, -1.0, 3.3, 7, NULL, 'c', 'null'),
 (3, 5, -5, 4.0, 1e10, 0.001, 2.0, 'd', '"s"')) AS t(a, b, c, f4, f8, n, y, s, j)`;

function one(select: string): (string | null)[] {
  const r = query(`SELECT ${select} FROM ${DATA}`);
  assert.equal(r.rows.length, 1);
  return r.rows[0] as (string | null)[];
}

const CASES: [string, (string | null)[]][] = [
  ['variance(a), var_pop(a), stddev(a), stddev_pop(a)', ['2.9166666666666667', '2.1875000000000000', '1.7078251276599331', '1.4790199457749040']],
  ['variance(b), var_pop(b), stddev_samp(b), stddev_pop(b)', ['33.7000000000000000', '26.9600000000000000', '5.8051701094799970', '5.1923019942988678']],
  ['variance(c), var_pop(c), stddev(c), stddev_pop(c)', ['3810394686189605573323', '2857796014642204179992', '61728394489', '53458357762']],
  ['variance(n), var_pop(n), stddev(n), stddev_pop(n)', ['9.4764323333333333', '7.1073242500000000', '3.0783814470161643', '2.6659565356546982']],
  ['variance(f4), var_pop(f4), stddev(f4), stddev_pop(f4)', ['4.00449999897927', '3.20359999918342', '2.00112468351656', '1.78986032951832']],
  ['var_samp(f8), var_pop(f8), stddev(f8), stddev_pop(f8)', ['1.999999998485e+19', '1.599999998788e+19', '4472135953.30576', '3999999998.485']],
  ['corr(y, f8), covar_pop(y, f8), covar_samp(y, f8), regr_avgx(y, f8), regr_avgy(y, f8), regr_count(y, f8)', ['-0.337355601233268', '-2343750003.90859', '-3125000005.21146', '2500000002.9625', '2.9375', '4']],
  ['regr_intercept(y, f8), regr_r2(y, f8), regr_slope(y, f8), regr_sxx(y, f8), regr_sxy(y, f8), regr_syy(y, f8)', ['3.25000000113833', '0.11380880168346', '-1.25000000307208e-10', '7.499999994075e+19', '-9375000015.63437', '10.296875']],
  ['corr(b, a), regr_slope(a, b), regr_intercept(b, c)', ['0.37965307921097', '0.0970149253731343', '3.9999999963226']],
  ['variance(n) FILTER (WHERE a > 10), var_samp(n) FILTER (WHERE a = 1), stddev_pop(n) FILTER (WHERE a = 1)', [null, null, '0']],
  ['variance(n * 0), stddev(0.5), var_pop(n * 1.000)', ['0', '0', '7.1073242500000000']],
  ['regr_count(y, f8) FILTER (WHERE false), corr(y, f8) FILTER (WHERE false), regr_r2(y, y * 0)', ['0', null, null]],
  ['bit_and(a), bit_or(a), bit_and(b), bit_or(b), bit_and(c), bit_or(c)', ['0', '7', '0', '-1', '0', '-1']],
  ['json_agg(s), jsonb_agg(s), json_agg(j), jsonb_agg(j)', ['["a", "b", null, "c", "d"]', '["a", "b", null, "c", "d"]', '[{"x": 1}, [1, 2], null, null, "s"]', '[{"x": 1}, [1, 2], null, null, "s"]']],
  ['json_agg(n), jsonb_agg(f8), json_agg(f4)', ['[1.10, 2.345, null, 7, 0.001]', '[2.25, 0.1, 9.5, 3.3, 10000000000]', '[1.5, 0.1, 2.75, -1, 4]']],
  ["json_agg(array[a, b]), json_object_agg(coalesce(s, 'z'), array[a])", ['[[1,10], \n [2,-3], \n [null,7], \n [5,12], \n [3,5]]', '{ "a" : [1], "b" : [2], "z" : [null], "c" : [5], "d" : [3] }']],
  ["jsonb_object_agg(coalesce(s, 'q'), a), jsonb_object_agg(a > 2, s) FILTER (WHERE a IS NOT NULL)", ['{"a": 1, "b": 2, "c": 5, "d": 3, "q": null}', '{"true": "d", "false": "b"}']],
  ["json_object_agg(f8, s), jsonb_object_agg(f8, j), json_object_agg(true, 1)", ['{ "2.25" : "a", "0.1" : "b", "9.5" : null, "3.3" : "c", "10000000000" : "d" }', '{"0.1": [1, 2], "3.3": null, "9.5": null, "2.25": {"x": 1}, "10000000000": "s"}', '{ "true" : 1, "true" : 1, "true" : 1, "true" : 1, "true" : 1 }']],
  ["json_agg('2020-01-02'::date), jsonb_object_agg(1.50, 2)", ['["2020-01-02", "2020-01-02", "2020-01-02", "2020-01-02", "2020-01-02"]', '{"1.50": 2}']],
  ["variance(f8 * 'Infinity'), var_pop(f8 + 'NaN'), stddev(f4 * 0)", ['NaN', 'NaN', '0']],
];

test('new aggregates give PostgreSQL 11 results and text', () => {
  for (const [select, want] of CASES) assert.deepEqual(one(select), want, select);
});

test('new aggregates raise PostgreSQL errors', () => {
  assert.throws(() => one('json_object_agg(s, a)'), { code: '22023', message: 'field name must not be null' });
  assert.throws(() => one('jsonb_object_agg(array[a], 1)'), { code: '22023', message: 'key value must be scalar, not array, composite, or json' });
  assert.throws(() => one('variance(f8 * 1e300)'), { code: '22003', message: 'value out of range: overflow' });
});

test('result types follow PostgreSQL', () => {
  const r = query(`SELECT variance(a), stddev(c), var_pop(n), stddev(f4), regr_count(y, f8), corr(b, a), bit_and(a::int2), bit_or(b), bit_and(c), json_agg(s), jsonb_agg(s), json_object_agg(a, s), jsonb_object_agg(a, s) FROM ${DATA} WHERE a IS NOT NULL AND s IS NOT NULL`);
  assert.deepEqual(r.types, [
    OID.numeric, OID.numeric, OID.numeric, OID.float8, OID.int8, OID.float8, OID.int2, OID.int4, OID.int8, OID.json, OID.jsonb, OID.json, OID.jsonb,
  ]);
});


const io = defaultIoContext();
const ctx = evalContext();

// name, argument types, a generator of one row's arguments
const MERGE_CASES: [string, number[], (r: () => number) => unknown[]][] = [];
const num = (r: () => number) => Math.floor(r() * 2001) - 1000;
for (const name of ['variance', 'var_samp', 'var_pop', 'stddev', 'stddev_samp', 'stddev_pop']) {
  MERGE_CASES.push([name, [OID.int4], (r) => [num(r)]]);
  MERGE_CASES.push([name, [OID.int8], (r) => [BigInt(num(r)) * 98765432101n]]);
  MERGE_CASES.push([name, [OID.numeric], (r) => [parseNumeric((num(r) / 100).toFixed(Math.floor(r() * 4)))]]);
  MERGE_CASES.push([name, [OID.float8], (r) => [num(r) / 7]]);
}
for (const name of ['corr', 'covar_pop', 'covar_samp', 'regr_avgx', 'regr_avgy', 'regr_count', 'regr_intercept', 'regr_r2', 'regr_slope', 'regr_sxx', 'regr_sxy', 'regr_syy']) {
  MERGE_CASES.push([name, [OID.float8, OID.float8], (r) => [num(r) / 3, num(r) / 11]]);
}
for (const name of ['bit_and', 'bit_or']) {
  MERGE_CASES.push([name, [OID.int2], (r) => [num(r)]]);
  MERGE_CASES.push([name, [OID.int4], (r) => [num(r) * 65537]]);
  MERGE_CASES.push([name, [OID.int8], (r) => [BigInt(num(r)) << 40n]]);
}
MERGE_CASES.push(['json_agg', [OID.int4], (r) => [r() < 0.2 ? null : num(r)]]);
MERGE_CASES.push(['json_agg', [OID._int4], (r) => [r() < 0.3 ? null : new PgArray(OID.int4, [num(r), null])]]);
MERGE_CASES.push(['jsonb_agg', [OID.text], (r) => [r() < 0.2 ? null : String(num(r))]]);
MERGE_CASES.push(['json_object_agg', [OID.text, OID.numeric], (r) => [String(num(r) % 5), r() < 0.2 ? null : parseNumeric(String(num(r) / 4))]]);
MERGE_CASES.push(['jsonb_object_agg', [OID.text, OID.int4], (r) => [String(num(r) % 5), r() < 0.2 ? null : num(r)]]);

test('every new aggregate: random splits, serialized and merged in order, equal one pass', () => {
  for (const [name, argTypes, gen] of MERGE_CASES) {
    const def = aggregateCandidates(name).find((d) => d.args.length === argTypes.length && (d.args[0] === argTypes[0] || d.args[0] === OID.anyelement || d.args[0] === OID.any));
    assert.ok(def, `${name} registered`);
    const impl = def.create(argTypes);
    for (let seed = 1; seed <= 20; seed++) {
      const r = prng(seed);
      const rows = Array.from({ length: 1 + Math.floor(r() * 25) }, () => gen(r));
      let single = impl.init();
      for (const row of rows) single = impl.step(single, row, ctx);
      const cuts = [0, ...Array.from({ length: 3 }, () => Math.floor(r() * (rows.length + 1))).sort((a, b) => a - b), rows.length];
      let merged: unknown = null;
      for (let p = 0; p + 1 < cuts.length; p++) {
        let s = impl.init();
        for (const row of rows.slice(cuts[p], cuts[p + 1])) s = impl.step(s, row, ctx);
        s = impl.deserialize(impl.serialize(s));
        merged = merged === null ? s : impl.merge(merged, s);
      }
      const show = (v: unknown) => (v === null ? null : textOut(impl.resultType, v, io));
      const got = show(impl.final(merged));
      const want = show(impl.final(single));
      if (impl.resultType === OID.float8 && got !== null && want !== null && got !== want) {
        assert.ok(Math.abs(Number(got) - Number(want)) <= 1e-9 * Math.abs(Number(want)), `${name} seed ${seed}: ${got} vs ${want}`);
      } else {
        assert.equal(got, want, `${name}(${argTypes}) seed ${seed}`);
      }
    }
  }
});
