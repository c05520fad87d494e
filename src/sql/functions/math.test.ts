// Expected values come from PostgreSQL (15 as the oracle; random() from glibc as PostgreSQL 11 uses it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './index.js';
import { PgError } from '../../errors.js';
import { formatNumeric, parseNumeric } from '../../types/numeric.js';
import { OID } from '../../types/oids.js';
import { Numeric } from '../../types/values.js';
import { call, findDef, testContext } from './test-support.js';

const { int2, int4, int8, float4, float8, numeric } = OID;
const N = (s: string) => parseNumeric(s);
const F = (name: string, ...args: number[]) => call(name, args.map(() => float8), args) as number;
const Num = (name: string, ...args: string[]) => formatNumeric(call(name, args.map(() => numeric), args.map(N)) as Numeric);

function pgError(code: string, message: string) {
  return (e: unknown) => e instanceof PgError && e.code === code && e.message === message;
}

test('overloads keep PostgreSQL result types', () => {
  assert.equal(findDef('abs', [int4]).ret, int4);
  assert.equal(findDef('abs', [int2]).ret, int2);
  assert.equal(findDef('abs', [float4]).ret, float4);
  assert.equal(findDef('round', [numeric]).ret, numeric);
  assert.equal(findDef('round', [float8]).ret, float8);
  assert.equal(findDef('random', []).volatility, 'volatile');
  assert.equal(call('abs', [int4], [-5]), 5);
  assert.equal(call('abs', [int8], [-5n]), 5n);
});

test('integer abs and mod edge cases', () => {
  assert.throws(() => call('abs', [int2], [-32768]), pgError('22003', 'smallint out of range'));
  assert.throws(() => call('abs', [int4], [-2147483648]), pgError('22003', 'integer out of range'));
  assert.equal(call('mod', [int4, int4], [-2147483648, -1]), 0);
  assert.equal(call('mod', [int4, int4], [-7, 3]), -1);
  assert.equal(call('mod', [int8, int8], [7n, -3n]), 1n);
  assert.throws(() => call('mod', [int4, int4], [1, 0]), pgError('22012', 'division by zero'));
});

test('float8 rounding is rint (half to even); numeric rounds half away from zero', () => {
  assert.equal(F('round', 2.5), 2);
  assert.equal(F('round', 3.5), 4);
  assert.ok(Object.is(F('round', -0.5), -0));
  assert.equal(Num('round', '2.5'), '3');
  assert.equal(Num('round', '-2.5'), '-3');
  assert.equal(formatNumeric(call('round', [numeric, int4], [N('1.2'), 3]) as Numeric), '1.200');
  assert.equal(formatNumeric(call('round', [numeric, int4], [N('1234.5'), -2]) as Numeric), '1200');
  assert.equal(Num('ceil', '1.2'), '2');
  assert.equal(Num('ceil', '-1.5'), '-1');
  assert.equal(F('trunc', -1.7), -1);
  assert.ok(Object.is(F('ceil', -0.5), -0));
  assert.equal(Num('sign', '-2.5'), '-1');
  assert.equal(F('sign', -3), -1);
});

test('numeric transcendental functions use PostgreSQL result scales', () => {
  assert.equal(Num('sqrt', '2'), '1.414213562373095');
  assert.equal(Num('exp', '1'), '2.7182818284590452');
  assert.equal(Num('ln', '2'), '0.6931471805599453');
  assert.equal(Num('ln', '1.05'), '0.048790164169432003');
  assert.equal(Num('log', '100'), '2.0000000000000000');
  assert.equal(Num('power', '2', '3'), '8.0000000000000000');
  assert.equal(Num('power', '2', '0.5'), '1.4142135623730950');
  assert.equal(Num('mod', '-7.5', '2'), '-1.5');
  assert.equal(Num('div', '-7.5', '2'), '-3');
  assert.equal(call('scale', [numeric], [N('1.230')]), 3);
  assert.equal(call('scale', [numeric], [N('NaN')]), null);
  assert.throws(() => Num('log', '1', '10'), pgError('22012', 'division by zero'));
});

test('float8 math errors', () => {
  assert.throws(() => F('exp', -1000), pgError('22003', 'value out of range: underflow'));
  assert.throws(() => F('power', 10, -400), pgError('22003', 'value out of range: underflow'));
  assert.equal(F('power', 1, NaN), 1);
  assert.equal(F('power', 0, 0), 1);
  assert.throws(
    () => F('power', -8, 1 / 3),
    pgError('2201F', 'a negative number raised to a non-integer power yields a complex result'),
  );
  assert.throws(() => F('ln', 0), pgError('2201E', 'cannot take logarithm of zero'));
  assert.throws(() => F('sqrt', -1), pgError('2201F', 'cannot take square root of a negative number'));
  assert.throws(() => F('asin', 2), pgError('22003', 'input is out of range'));
  assert.throws(() => F('sin', Infinity), pgError('22003', 'input is out of range'));
  assert.equal(F('cot', 0), Infinity);
  assert.equal(F('log', 100), 2);
  assert.equal(F('degrees', Math.PI), 180);
});

test('degree-based trigonometry is exact at standard angles', () => {
  assert.equal(F('sind', 30), 0.5);
  assert.equal(F('cosd', 60), 0.5);
  assert.equal(F('tand', 45), 1);
  assert.equal(F('asind', 0.5), 30);
  assert.equal(F('acosd', 0.5), 60);
  assert.equal(F('atand', 1), 45);
  assert.equal(F('sind', 210), -0.5);
  assert.equal(F('cosd', 120), -0.5);
  assert.equal(F('tand', 135), -1);
  assert.equal(F('cotd', -45), -1);
  assert.equal(F('acosd', -0.5), 120);
  assert.equal(F('asind', -1), -90);
  assert.equal(F('atan2d', 1, -1), 135);
});

test('width_bucket', () => {
  assert.equal(call('width_bucket', [numeric, numeric, numeric, int4], [N('5.35'), N('0.024'), N('10.06'), 5]), 3);
  assert.equal(call('width_bucket', [numeric, numeric, numeric, int4], [N('5.0'), N('10'), N('0'), 3]), 2);
  assert.equal(call('width_bucket', [float8, float8, float8, int4], [-1, 0, 10, 5]), 0);
  assert.equal(call('width_bucket', [float8, float8, float8, int4], [10, 0, 10, 5]), 6);
  assert.equal(call('width_bucket', [float8, float8, float8, int4], [3, 10, 0, 5]), 4);
  assert.throws(
    () => call('width_bucket', [float8, float8, float8, int4], [5.35, 10, 10, 5]),
    pgError('2201G', 'lower bound cannot equal upper bound'),
  );
  assert.throws(
    () => call('width_bucket', [float8, float8, float8, int4], [5, 0, 10, 0]),
    pgError('2201G', 'count must be greater than zero'),
  );
});

test('setseed makes random() repeat PostgreSQL 11 (glibc random) sequences per session', () => {
  const ctx = testContext();
  const other = testContext();
  assert.equal(call('setseed', [float8], [0.5], ctx), '');
  assert.equal(call('random', [], [], ctx), 0.7985127782449126);
  call('random', [], [], other); // another session's generator is separate
  assert.equal(call('random', [], [], ctx), 0.5185330174863338);
  call('setseed', [float8], [-0.5], ctx);
  assert.equal(call('random', [], [], ctx), 0.16038393462076783);
  call('setseed', [float8], [0], ctx);
  assert.equal(call('random', [], [], ctx), 0.8401877167634666);
  assert.throws(() => call('setseed', [float8], [2], ctx), pgError('XX000', 'setseed parameter 2.000000 out of range [-1,1]'));
});
