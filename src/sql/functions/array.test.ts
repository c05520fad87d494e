// Expected values come from PostgreSQL (15 as the oracle).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './index.js';
import { PgError } from '../../errors.js';
import { formatNumeric, parseNumeric } from '../../types/numeric.js';
import { OID } from '../../types/oids.js';
import { Numeric, PgArray } from '../../types/values.js';
import { call, findDef } from './test-support.js';

const { anyarray, anyelement, int4, int8, numeric, _int4, text } = OID;
const arr = (items: unknown[], lower = 1) => new PgArray(int4, items, lower);

test('dimensions', () => {
  assert.equal(call('array_length', [anyarray, int4], [arr([1, 2, 3]), 1]), 3);
  assert.equal(call('array_length', [anyarray, int4], [arr([]), 1]), null);
  assert.equal(call('array_length', [anyarray, int4], [arr([1]), 2]), null);
  assert.equal(call('array_lower', [anyarray, int4], [arr([1, 2], 5), 1]), 5);
  assert.equal(call('array_upper', [anyarray, int4], [arr([1, 2], 5), 1]), 6);
  assert.equal(call('array_dims', [anyarray], [arr([1, 2], 5)]), '[5:6]');
  assert.equal(call('array_dims', [anyarray], [arr([])]), null);
  assert.equal(call('cardinality', [anyarray], [arr([])]), 0);
  assert.equal(call('array_ndims', [anyarray], [arr([7])]), 1);
});

test('append, prepend and cat keep the lower bound', () => {
  const app = call('array_append', [anyarray, anyelement], [arr([1, 2], 5), 3], undefined, [_int4, int4]) as PgArray;
  assert.deepEqual([app.items, app.lower], [[1, 2, 3], 5]);
  const pre = call('array_prepend', [anyelement, anyarray], [0, arr([1, 2], 5)], undefined, [int4, _int4]) as PgArray;
  assert.deepEqual([pre.items, pre.lower], [[0, 1, 2], 5]);
  const fromNull = call('array_append', [anyarray, anyelement], [null, 1], undefined, [_int4, int4]) as PgArray;
  assert.deepEqual([fromNull.items, fromNull.lower, fromNull.elemType], [[1], 1, int4]);
  const cat = call('array_cat', [anyarray, anyarray], [arr([1, 2], 5), arr([3, 4], 2)]) as PgArray;
  assert.deepEqual([cat.items, cat.lower], [[1, 2, 3, 4], 5]);
  const catEmpty = call('array_cat', [anyarray, anyarray], [arr([]), arr([3, 4], 2)]) as PgArray;
  assert.equal(catEmpty.lower, 2);
  assert.equal(call('array_cat', [anyarray, anyarray], [null, null]), null);
  const ret = findDef('array_append', [anyarray, anyelement]).ret as (t: number[]) => number;
  assert.equal(ret([_int4, int4]), _int4);
});

test('position, remove, replace use IS NOT DISTINCT FROM', () => {
  assert.equal(call('array_position', [anyarray, anyelement], [arr([1, null, 2]), null]), 2);
  assert.equal(call('array_position', [anyarray, anyelement, int4], [arr([1, 2, 1]), 1, 2]), 3);
  assert.equal(call('array_position', [anyarray, anyelement], [arr([1, 2]), 9]), null);
  assert.throws(
    () => call('array_position', [anyarray, anyelement, int4], [arr([1, 2]), 1, null]),
    (e: unknown) => e instanceof PgError && e.code === '22004' && e.message === 'initial position must not be null',
  );
  assert.deepEqual((call('array_positions', [anyarray, anyelement], [arr([1, 2, 1]), 1]) as PgArray).items, [1, 3]);
  const removed = call('array_remove', [anyarray, anyelement], [arr([1, null, 2]), null]) as PgArray;
  assert.deepEqual(removed.items, [1, 2]);
  const r5 = call('array_remove', [anyarray, anyelement], [arr([1, 2], 5), 1]) as PgArray;
  assert.deepEqual([r5.items, r5.lower], [[2], 5]);
  const num = new PgArray(numeric, [parseNumeric('1.0'), parseNumeric('2')]);
  assert.equal(call('array_position', [anyarray, anyelement], [num, parseNumeric('1')]), 1);
  assert.deepEqual((call('array_replace', [anyarray, anyelement, anyelement], [arr([1, 2, 1]), 1, 9]) as PgArray).items, [9, 2, 9]);
});

test('array_fill, unnest and generate_subscripts', () => {
  const filled = call('array_fill', [anyelement, _int4, _int4], [7, arr([3]), arr([2])], undefined, [int4, _int4, _int4]) as PgArray;
  assert.deepEqual([filled.items, filled.lower], [[7, 7, 7], 2]);
  assert.deepEqual(call('unnest', [anyarray], [new PgArray(text, ['a', null])]), ['a', null]);
  assert.equal((findDef('unnest', [anyarray]).ret as (t: number[]) => number)([OID._text]), text);
  assert.deepEqual(call('generate_subscripts', [anyarray, int4], [arr([1, 2], 5), 1]), [5, 6]);
  assert.deepEqual(call('generate_subscripts', [anyarray, int4, OID.bool], [arr([1, 2, 3]), 1, true]), [3, 2, 1]);
});

test('generate_series over integers and numerics', () => {
  assert.deepEqual(call('generate_series', [int4, int4], [1, 3]), [1, 2, 3]);
  assert.deepEqual(call('generate_series', [int4, int4, int4], [5, 1, -2]), [5, 3, 1]);
  assert.deepEqual(call('generate_series', [int4, int4], [2147483646, 2147483647]), [2147483646, 2147483647]);
  assert.deepEqual(call('generate_series', [int8, int8, int8], [1n, 10n, 4n]), [1n, 5n, 9n]);
  const nums = call('generate_series', [numeric, numeric, numeric], ['0.5', '2', '0.75'].map(parseNumeric)) as Numeric[];
  assert.deepEqual(nums.map(formatNumeric), ['0.5', '1.25', '2.00']);
  const nums2 = call('generate_series', [numeric, numeric], ['1', '3.5'].map(parseNumeric)) as Numeric[];
  assert.deepEqual(nums2.map(formatNumeric), ['1', '2', '3']);
  assert.throws(
    () => call('generate_series', [int4, int4, int4], [1, 2, 0]),
    (e: unknown) => e instanceof PgError && e.code === '22023' && e.message === 'step size cannot equal zero',
  );
  assert.throws(
    () => call('generate_series', [numeric, numeric], [parseNumeric('1'), parseNumeric('NaN')]),
    (e: unknown) => e instanceof PgError && e.code === '22023' && e.message === 'stop value cannot be NaN',
  );
  assert.equal(findDef('generate_series', [int4, int4]).returnsSet, true);
});
