// Error codes, messages, hints and cursor positions as PostgreSQL reports them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PgError } from '../../errors.js';
import { plan, query } from '../select/test-support.js';

function err(sql: string, run = true): PgError {
  try {
    if (run) query(sql);
    else plan(sql);
  } catch (e) {
    assert.ok(e instanceof PgError, `expected PgError, got ${String(e)}`);
    return e;
  }
  assert.fail(`no error for ${sql}`);
}

test('undefined operator, function and column', () => {
  let e = err('select 1 + true');
  assert.equal(e.code, '42883');
  assert.equal(e.message, 'operator does not exist: integer + boolean');
  assert.equal(e.hint, 'No operator matches the given name and argument types. You might need to add explicit type casts.');
  assert.equal(e.position, 10);
  e = err('select foo(1)');
  assert.equal(e.code, '42883');
  assert.equal(e.message, 'function foo(integer) does not exist');
  assert.equal(e.position, 8);
  e = err('select x');
  assert.equal(e.code, '42703');
  assert.equal(e.message, 'column "x" does not exist');
  assert.equal(e.position, 8);
  e = err('select t.x');
  assert.equal(e.code, '42P01');
  assert.equal(e.message, 'missing FROM-clause entry for table "t"');
  e = err('select 1 in (true)');
  assert.equal(e.message, 'operator does not exist: integer = boolean');
  assert.equal(e.position, 10);
});

test('type mismatches and casts', () => {
  let e = err(`select case when true then 1 else 'a'::text end`);
  assert.equal(e.code, '42804');
  assert.equal(e.message, 'CASE types text and integer cannot be matched');
  assert.equal(e.position, 28);
  e = err('select true::date');
  assert.equal(e.code, '42846');
  assert.equal(e.message, 'cannot cast type boolean to date');
  assert.equal(e.position, 12);
  e = err(`select 'x'::date`);
  assert.equal(e.code, '22007');
  assert.equal(e.position, 8);
  e = err('select 1 where 1');
  assert.equal(e.message, 'argument of WHERE must be type boolean, not type integer');
  assert.equal(e.position, 16);
  e = err('select array[]');
  assert.equal(e.code, '42P18');
  assert.equal(e.message, 'cannot determine type of empty array');
});

test('runtime errors', () => {
  assert.equal(err('select 5 / 0').code, '22012');
  assert.equal(err('select 5.0 / 0').message, 'division by zero');
  assert.equal(err('select 2147483647 + 1').message, 'integer out of range');
  assert.equal(err('select 32767::int2 + 1::int2').message, 'smallint out of range');
  assert.equal(err('select (-9223372036854775807 - 1) / -1').message, 'bigint out of range');
  assert.equal(err('select 1e308::float8 * 10').message, 'value out of range: overflow');
});

test('parameters and relations', () => {
  let e = err('select 1 where $1 is null', false);
  assert.equal(e.code, '42P18');
  assert.equal(e.message, 'could not determine data type of parameter $1');
  e = err('select * from nosuch');
  assert.equal(e.code, '42P01');
  assert.equal(e.message, 'relation "nosuch" does not exist');
  assert.equal(e.position, 15);
  e = err('select x, count(*) from generate_series(1,3) x');
  assert.equal(e.code, '42803');
  assert.equal(e.message, 'column "x.x" must appear in the GROUP BY clause or be used in an aggregate function');
  e = err('select 1 from generate_series(1,3) x where count(*) > 1');
  assert.equal(e.message, 'aggregate functions are not allowed in WHERE');
});
