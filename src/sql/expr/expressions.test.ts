// Expression results compared with PostgreSQL's exact text output (checked
// against a PostgreSQL server; PostgreSQL 11 semantics where they differ).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OID } from '../../types/oids.js';
import { query, scalar } from '../select/test-support.js';

function row(sql: string): (string | null)[] {
  return query(sql).rows[0];
}

test('integer, numeric and float arithmetic', () => {
  assert.deepEqual(row('select 1+2, 7/2, -7/2, 7%3, -7%3, 7.0/2, 2^10'), ['3', '3', '-3', '1', '-1', '3.5000000000000000', '1024']);
  assert.deepEqual(row('select 10::numeric/4, 1/3::numeric'), ['2.5000000000000000', '0.33333333333333333333']);
  assert.deepEqual(row('select 0.1::float8 + 0.2, 1.5::float4 + 1'), ['0.3', '2.5']);
  assert.deepEqual(row('select -(5), +5, @(-5), |/ 16.0, ||/ 27.0, 5 & 3, 5 | 3, 5 # 3, ~5, 1 << 4, 256 >> 2'), [
    '-5', '5', '5', '4', '3', '1', '7', '6', '-6', '16', '64',
  ]);
});

test('literal typing: int4, int8, numeric', () => {
  const r = query('select 1, 3000000000, 12345678901234567890, 1.5, .5');
  assert.deepEqual(r.types, [OID.int4, OID.int8, OID.numeric, OID.numeric, OID.numeric]);
  assert.deepEqual(r.rows[0], ['1', '3000000000', '12345678901234567890', '1.5', '0.5']);
});

test('text concatenation with non-text operands', () => {
  const r = query(`select 'a'||1, 1::text||'b', 'a' || 'b', 'ab'::char(4) || 'x'`);
  assert.deepEqual(r.types, [OID.text, OID.text, OID.text, OID.text]);
  assert.deepEqual(r.rows[0], ['a1', '1b', 'ab', 'abx']);
  assert.deepEqual(row(`select 'a'::text || null, null::text || 'a'`), [null, null]);
});

test('casts: rounding rules, typmods, bool and char', () => {
  assert.deepEqual(row('select 2.5::int, 3.5::int, (-2.5)::int, 2.5::float8::int4, 3.5::float8::int4, 2.5::float4::int2'), [
    '3', '4', '-3', '2', '4', '2',
  ]);
  assert.deepEqual(row(`select 1.5::numeric(5,2), 123.456::numeric(5,1), 'abc'::varchar(2), 'x'::char(3) = 'x'`), ['1.50', '123.5', 'ab', 't']);
  assert.deepEqual(row(`select 1::bool, 0::bool, true::int, 'yes'::bool, 65::"char", 'a'::"char"::int`), ['t', 'f', '1', 't', 'A', '97']);
  const r = query(`select 1::int, 'a'::varchar(3), 1::numeric, x::int8 from (values (1)) v(x)`);
  assert.deepEqual(r.names, ['int4', 'varchar', 'numeric', 'x']);
});

test('date/time arithmetic', () => {
  const r = query(`select '2026-01-31'::date + interval '1 month', date '2020-03-01' - date '2020-02-01', date '2020-01-01' + 30`);
  assert.deepEqual(r.types, [OID.timestamp, OID.int4, OID.date]);
  assert.deepEqual(r.rows[0], ['2026-02-28 00:00:00', '29', '2020-01-31']);
  assert.deepEqual(row(`select timestamp '2020-01-01 10:00' - timestamp '2019-12-30 08:30', interval '1 day' * 1.5, interval '3 days' / 2`), [
    '2 days 01:30:00', '1 day 12:00:00', '1 day 12:00:00',
  ]);
  assert.deepEqual(row(`select timestamptz '2020-01-01 00:00+02' + interval '1 day', -interval '2 hours'`), ['2020-01-01 22:00:00+00', '-02:00:00']);
  assert.equal(query('select now(), current_timestamp').types.join(), `${OID.timestamptz},${OID.timestamptz}`);
  assert.deepEqual(query('select now(), current_timestamp, current_user, localtimestamp').names, ['now', 'current_timestamp', 'current_user', 'localtimestamp']);
});

test('CASE, COALESCE, NULLIF, GREATEST, LEAST', () => {
  assert.deepEqual(row(`select case when 1 > 2 then 'a' when 2 > 1 then 'b' end, case 3 when 1 then 'one' when 3 then 'three' else 'other' end`), ['b', 'three']);
  assert.deepEqual(row('select coalesce(null, null, 3), nullif(2, 2), nullif(2, 3), greatest(1, 5, 3), least(\'b\', \'a\', \'c\'), greatest(null, 1)'), [
    '3', null, '2', '5', 'a', '1',
  ]);
  const r = query('select coalesce(1, 2.5), nullif(1, 2.5), greatest(1, 2.5)');
  assert.deepEqual(r.types, [OID.numeric, OID.numeric, OID.numeric]);
  assert.deepEqual(r.names, ['coalesce', 'nullif', 'greatest']);
});

test('IN, ANY/ALL, BETWEEN, IS DISTINCT FROM with NULLs', () => {
  assert.deepEqual(row('select 1 in (1, 2), 3 in (1, 2), 3 in (1, null), 3 not in (1, null), null in (1), 1 not in (2, 3)'), ['t', 'f', null, null, null, 't']);
  assert.deepEqual(row(`select 1 = any(array[1,2]), 3 = any(array[1,null]), 3 <> all(array[1,2]), 1 = any('{}'::int[])`), ['t', null, 't', 'f']);
  assert.deepEqual(row('select 2 between 1 and 3, 5 not between 1 and 3, 2 between symmetric 3 and 1'), ['t', 't', 't']);
  assert.deepEqual(row('select 1 is distinct from null, null is not distinct from null, 1 is distinct from 1'), ['t', 't', 'f']);
  assert.deepEqual(row('select true and null, false and null, true or null, false or null, not null::bool'), [null, 'f', 't', null, null]);
});

test('LIKE with escapes, ILIKE, regular expressions, SIMILAR TO', () => {
  assert.deepEqual(row(`select 'abc' like 'a%', 'abc' like 'a_c', 'a%c' like 'a\\%c', 'abc' like 'a\\%c', 'a_c' like 'a#_c' escape '#', 'ABC' ilike 'a%', 'abc' not like '%b%'`), [
    't', 't', 't', 'f', 't', 't', 'f',
  ]);
  assert.deepEqual(row(`select 'abc' ~ '^a', 'abc' ~* '^A', 'abc' !~ 'z', 'abc' similar to 'a(b|c)c', 'abd' similar to '%(c|e)'`), ['t', 't', 't', 't', 'f']);
});

test('arrays: subscripts, slices, concatenation, comparison', () => {
  assert.deepEqual(row('select (array[1,2,3])[2], (array[1,2,3])[5], (array[1,2,3])[2:3], (array[1,2,3])[:2], array[1,2] || 3, 0 || array[1], array[1] || array[2,3]'), [
    '2', null, '{2,3}', '{1,2}', '{1,2,3}', '{0,1}', '{1,2,3}',
  ]);
  assert.deepEqual(row(`select array[1,2] = array[1,2], array[1,2] < array[1,3], '{1,2}'::int[] @> '{1}', '{a,b}'::text[] || '{c}'`), ['t', 't', 't', '{a,b,c}']);
  assert.equal(query('select array[1, 2.5]').types[0], OID._numeric);
});

test('jsonb operators', () => {
  assert.deepEqual(row(`select '{"a":{"b":[1,2]}}'::jsonb -> 'a', '{"a":"x"}'::jsonb ->> 'a', '[1,2,3]'::jsonb -> -1, '{"a":{"b":5}}'::jsonb #>> '{a,b}', '{"a":1,"b":2}'::jsonb ? 'b', '{"a":1}'::jsonb || '{"b":2}'`), [
    '{"b": [1, 2]}', 'x', '3', '5', 't', '{"a": 1, "b": 2}',
  ]);
  assert.deepEqual(row(`select '{"a":1,"b":[1,2]}'::jsonb @> '{"b":[2]}', '[1,2]'::jsonb @> '1', '1'::jsonb::int + 1`), ['t', 't', '2']);
});

test('unknown literals take the type of the other operand', () => {
  const r = query(`select 1 = '1', '1' + 2, 1.5 + '1', 'a' = 'a', now() + '1 day' > now()`);
  assert.deepEqual(r.rows[0], ['t', '3', '2.5', 't', 't']);
  assert.equal(r.types[1], OID.int4);
  assert.equal(query(`select 'abc'`).types[0], OID.text);
});

test('functions from the library resolve through the catalog', () => {
  assert.deepEqual(row(`select lower('ABC'), length('abc'), substring('abc' from 2), position('b' in 'abc'), trim(both 'x' from 'xaxx')`), ['abc', '3', 'bc', '2', 'a']);
  const r = query(`select extract(year from date '2020-05-17'), date_trunc('month', timestamp '2020-05-17 10:00'), round(2.567, 2)`);
  assert.deepEqual(r.names, ['date_part', 'date_trunc', 'round']);
  assert.deepEqual(r.types, [OID.float8, OID.timestamp, OID.numeric]);
  assert.deepEqual(r.rows[0], ['2020', '2020-05-01 00:00:00', '2.57']);
});

test('parameters: inferred types and values', async () => {
  const { plan } = await import('../select/test-support.js');
  assert.deepEqual(plan('select $1 + 1').paramTypes, [OID.int4]);
  assert.deepEqual(plan('select $1').paramTypes, [OID.text]);
  assert.deepEqual(plan('select $1::int8').paramTypes, [OID.int8]);
  assert.deepEqual(plan('select x from generate_series(1,3) x where x = $1').paramTypes, [OID.int4]);
  assert.deepEqual(plan('select $2::text, $1 = 1.5').paramTypes, [OID.numeric, OID.text]);
  assert.deepEqual(query('select $1 + 1, $2::text', { params: [41, 'x'] }).rows[0], ['42', 'x']);
});
