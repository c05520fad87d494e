// SELECTs without tables: FROM functions / VALUES / sub-selects, ORDER BY,
// LIMIT, DISTINCT, aggregates and set operations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OID } from '../../types/oids.js';
import { query } from './test-support.js';
import type { RelationProvider } from './relation.js';

const flat = (sql: string) => query(sql).rows.map((r) => r.join('|'));

test('generate_series with WHERE, ORDER BY, LIMIT/OFFSET', () => {
  assert.deepEqual(flat('select x from generate_series(1, 10) x where x % 3 = 0 order by x desc'), ['9', '6', '3']);
  assert.deepEqual(flat('select g, g * 2 from generate_series(1, 3) as g(g)'), ['1|2', '2|4', '3|6']);
  const r = query('select * from generate_series(1, 2) with ordinality');
  assert.deepEqual(r.names, ['generate_series', 'ordinality']);
  assert.deepEqual(r.types, [OID.int4, OID.int8]);
  assert.deepEqual(flat('select x from generate_series(1, 10) x order by x limit $1 offset 2'.replace('$1', '3')), ['3', '4', '5']);
  assert.deepEqual(query('select x from generate_series(1, 10) x order by x limit $1', { params: [2n] }).rows, [['1'], ['2']]);
  assert.deepEqual(flat('select generate_series(1,3), \'x\''), ['1|x', '2|x', '3|x']);
  assert.deepEqual(flat('select unnest(array[1,2])'), ['1', '2']);
});

test('ORDER BY NULL placement', () => {
  assert.deepEqual(flat('select x from (values (3), (1), (null), (2)) v(x) order by x'), ['1', '2', '3', '']);
  assert.deepEqual(flat('select x from (values (3), (1), (null), (2)) v(x) order by x desc'), ['', '3', '2', '1']);
  assert.deepEqual(flat('select x from (values (3), (1), (null), (2)) v(x) order by x desc nulls last limit 2 offset 1'), ['2', '1']);
  assert.deepEqual(flat(`select x, y from (values (1, 'a'), (2, 'b'), (3, null)) v(x, y) order by y nulls first`), ['3|', '1|a', '2|b']);
});

test('ORDER BY with LIMIT (a top-N) returns the head of the full ordering, ties in input order', () => {
  const v = `(values (2, 'a'), (1, 'b'), (2, 'c'), (1, 'd'), (3, 'e'), (null, 'f')) v(x, y)`;
  assert.deepEqual(flat(`select x, y from ${v} order by x limit 3`), ['1|b', '1|d', '2|a']);
  assert.deepEqual(flat(`select x, y from ${v} order by x desc limit 2 offset 2`), ['2|a', '2|c']);
  assert.deepEqual(flat(`select y from ${v} order by x nulls first, y desc limit 2`), ['f', 'd']);
  assert.deepEqual(flat(`select y from ${v} order by x limit null offset 4`), ['e', 'f']);
  assert.deepEqual(flat(`select y from ${v} order by x limit all offset 5`), ['f']);
  assert.deepEqual(flat(`select y from ${v} order by x limit 0`), []);
  assert.deepEqual(flat(`select x, count(*) from ${v} group by x order by count(*) desc, x limit 2`), ['1|2', '2|2']);
  // Many ties and a sort key that is not an output column, against the same query without LIMIT.
  const all = 'select g from generate_series(1, 5000) g order by (g * 7919) % 101, g % 3 desc';
  for (const [limit, offset] of [[1, 0], [10, 0], [37, 5], [4990, 7], [70_000, 0]]) {
    assert.deepEqual(flat(`${all} limit ${limit} offset ${offset}`), flat(all).slice(offset, offset + limit), `limit ${limit} offset ${offset}`);
  }
});

test('FETCH FIRST ... WITH TIES keeps the rows tied with the last one (expected values from PostgreSQL 15)', () => {
  const v = '(values (1), (1), (2), (3)) v(x)';
  assert.deepEqual(flat(`select x from ${v} order by x fetch first 1 row with ties`), ['1', '1']);
  assert.deepEqual(flat(`select x from ${v} order by x offset 1 fetch first 1 row with ties`), ['1']);
  assert.deepEqual(flat(`select x from ${v} order by x fetch first (null::int) rows with ties`), ['1', '1', '2', '3']);
  assert.deepEqual(flat(`select x from ${v} order by x fetch first 0 rows with ties`), []);
  assert.deepEqual(flat(`select x from ${v} order by x desc fetch first 2 rows with ties`), ['3', '2']);
  assert.deepEqual(flat('select x, count(*) from (values (1), (1), (2), (2), (3)) v(x) group by x order by count(*) desc fetch first 1 row with ties'), ['1|2', '2|2']);
  assert.deepEqual(flat('select x from generate_series(1, 3) x union all select 1 order by 1 fetch first 2 rows with ties'), ['1', '1']);
  assert.deepEqual(flat('values (1), (1), (2) order by 1 fetch first 1 row with ties'), ['1', '1']);
  assert.throws(() => query(`select x from ${v} order by x fetch first -1 rows with ties`), (e: unknown) => (e as { code?: string }).code === '2201W');
  // A literal NULL count is an error; one that evaluates to NULL means no limit.
  assert.throws(
    () => query('select x from generate_series(1, 5) x order by x / 2 fetch first null rows with ties'),
    (e: unknown) => (e as { code?: string }).code === '2201W' && (e as Error).message === 'row count cannot be null in FETCH FIRST ... WITH TIES clause',
  );
  assert.deepEqual(query('select x from generate_series(1, 5) x order by x / 2 fetch first $1 rows with ties', { params: [null], paramTypes: [OID.int4] }).rows.length, 5);
});

test('LIMIT reads and projects no more rows than it returns (expected values from PostgreSQL 15)', () => {
  // 1 / (x - 2) fails at x = 2: a LIMIT that stops before it does not fail.
  assert.deepEqual(flat('select 1 / (x - 2) from generate_series(1, 3) x limit 1'), ['-1']);
  assert.deepEqual(flat('select 1 / (x - 3) from generate_series(1, 5) x limit 1 offset 1'), ['-1']);
  assert.deepEqual(flat('select 1 / (x - 2) from generate_series(1, 3) x order by 1 limit 0'), []);
  assert.throws(() => query('select 1 / (x - 2) from generate_series(1, 3) x where x <> 1 limit 1'), (e: unknown) => (e as { code?: string }).code === '22012');
  // LIMIT / OFFSET of a set operation and of VALUES are checked before any row is made.
  assert.throws(() => query('select 1 / x from generate_series(0, 1) x union all select 1 limit -1'), (e: unknown) => (e as { code?: string }).code === '2201W');
  assert.throws(() => query('values (1 / (select 0)) offset -1'), (e: unknown) => (e as { code?: string }).code === '2201X');
  // UNION ALL without ORDER BY runs no branch past the rows LIMIT needs; VALUES computes no row past them.
  assert.deepEqual(flat('select 1 union all select 1 / (x - 2) from generate_series(1, 3) x limit 1'), ['1']);
  assert.deepEqual(flat('select 1 union all select 2 union all select 1 / (x - 2) from generate_series(1, 3) x limit 1 offset 1'), ['2']);
  assert.deepEqual(flat('select 1 / (x - 2) from generate_series(1, 3) x union all select 1 limit 0'), []);
  assert.deepEqual(flat('values (1), (1 / (select 0)) limit 1'), ['1']);
  assert.throws(() => query('values (2), (1 / (select 0)) order by 1 limit 1'), (e: unknown) => (e as { code?: string }).code === '22012');
});

test('VALUES and sub-selects in FROM', () => {
  const r = query(`values (1, 'a'), (2, 'b')`);
  assert.deepEqual(r.names, ['column1', 'column2']);
  assert.deepEqual(r.types, [OID.int4, OID.text]);
  assert.deepEqual(flat(`select * from (values (1,'a'),(2,'b')) v(a,b) where a > 1`), ['2|b']);
  assert.deepEqual(flat('select s.y + 1 from (select x * 10 as y from generate_series(1,2) x) s'), ['11', '21']);
  assert.deepEqual(flat('select (select 1), exists(select 1 where false), 2 in (select generate_series(1,3))'), ['1|f|t']);
});

test('aggregates with PostgreSQL result types', () => {
  const r = query('select count(*), count(x), sum(x), avg(x), min(x), max(x) from (values (1), (null), (3)) v(x)');
  assert.deepEqual(r.types, [OID.int8, OID.int8, OID.int8, OID.numeric, OID.int4, OID.int4]);
  assert.deepEqual(r.rows, [['3', '2', '4', '2.0000000000000000', '1', '3']]);
  assert.deepEqual(flat('select count(*), sum(x), avg(x), max(x) from generate_series(1, 0) x'), ['0|||']);
  const t = query('select sum(x::int8), sum(x::numeric), avg(x::float8), sum(x::float4), bool_and(x > 0), bool_or(x > 5) from generate_series(1, 5) x');
  assert.deepEqual(t.types, [OID.numeric, OID.numeric, OID.float8, OID.float4, OID.bool, OID.bool]);
  assert.deepEqual(t.rows[0], ['15', '15', '3', '15', 't', 'f']);
  assert.deepEqual(flat(`select array_agg(x order by x desc), array_agg(distinct x % 2), count(distinct x % 3), string_agg(x::text, ',') from generate_series(1, 5) x`), [
    '{5,4,3,2,1}|{0,1}|3|1,2,3,4,5',
  ]);
});

test('GROUP BY and HAVING', () => {
  assert.deepEqual(flat(`select x % 2 as p, count(*), sum(x), string_agg(x::text, '-') from generate_series(1, 6) x group by p order by p`), [
    '0|3|12|2-4-6',
    '1|3|9|1-3-5',
  ]);
  assert.deepEqual(flat('select x % 2, count(*) from generate_series(1, 7) x group by 1 having count(*) > 3 order by 1'), ['1|4']);
});

test('DISTINCT and set operations', () => {
  assert.deepEqual(flat('select distinct x % 3 from generate_series(1, 10) x order by 1'), ['0', '1', '2']);
  assert.deepEqual(flat('select 1 union select 2 union all select 1 order by 1'), ['1', '1', '2']);
  assert.deepEqual(flat('select x from generate_series(1,5) x except select 3 order by 1'), ['1', '2', '4', '5']);
  assert.deepEqual(flat('select x from generate_series(1,5) x intersect select generate_series(4, 9) order by 1 desc'), ['5', '4']);
  const r = query(`select 1 as a union select '2' order by a`);
  assert.deepEqual(r.types, [OID.int4]);
  assert.deepEqual(r.rows, [['1'], ['2']]);
});

test('a RelationProvider supplies named relations', () => {
  const relations: RelationProvider = {
    lookup: (schema, name) =>
      schema === null && name === 'pets'
        ? {
            columns: [
              { name: 'name', type: OID.text, typmod: -1 },
              { name: 'age', type: OID.int4, typmod: -1 },
            ],
            scan: () => [['rex', 3], ['tom', 5], ['ada', 1]],
          }
        : null,
  };
  const r = query('select p.name, age * 2 as twice from pets p where age > 1 order by name', { relations });
  assert.deepEqual(r.names, ['name', 'twice']);
  assert.deepEqual(r.rows, [['rex', '6'], ['tom', '10']]);
});
