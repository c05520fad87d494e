// float4/float8 text I/O with PostgreSQL 11's %.{15,6}g output rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFloat4, formatFloat8, parseFloat4, parseFloat8 } from './float-format.js';
import { PgError } from '../errors.js';

test('float8 output with extra_float_digits', () => {
  assert.equal(formatFloat8(0.1), '0.1');
  assert.equal(formatFloat8(1 / 3), '0.333333333333333');
  assert.equal(formatFloat8(123456789012345678), '1.23456789012346e+17');
  assert.equal(formatFloat8(1e-5), '1e-05');
  assert.equal(formatFloat8(0.0001234), '0.0001234');
  assert.equal(formatFloat8(1e15), '1e+15');
  assert.equal(formatFloat8(100), '100');
  assert.equal(formatFloat8(-0), '-0');
  // PostgreSQL 11 used DBL_DIG + extra_float_digits significant digits: 18 at the maximum of 3
  assert.equal(formatFloat8(0.1, 3), '0.100000000000000006');
  assert.equal(formatFloat8(0.1, 2), '0.10000000000000001');
  assert.equal(formatFloat8(1 / 3, -5), '0.3333333333');
  assert.equal(formatFloat8(NaN), 'NaN');
  assert.equal(formatFloat8(-Infinity), '-Infinity');
});

test('float4 output, rounding exact ties to even like printf', () => {
  assert.equal(formatFloat4(Math.fround(3.14159265)), '3.14159');
  assert.equal(formatFloat4(Math.fround(0.1), 3), '0.100000001');
  assert.equal(formatFloat4(623924.5625, 3), '623924.562');
  assert.equal(formatFloat4(Math.fround(1e10)), '1e+10');
});

test('float input accepted spellings and errors', () => {
  assert.equal(parseFloat8(' 1.5 '), 1.5);
  assert.equal(parseFloat8('-Infinity'), -Infinity);
  assert.equal(parseFloat8('inf'), Infinity);
  assert.ok(Number.isNaN(parseFloat8('nan')));
  assert.equal(parseFloat8('1e3'), 1000);
  assert.equal(parseFloat8('.5'), 0.5);
  const err = (fn: () => unknown, code: string, message: string) =>
    assert.throws(fn, (e: unknown) => e instanceof PgError && e.code === code && e.message === message);
  err(() => parseFloat8('abc'), '22P02', 'invalid input syntax for type double precision: "abc"');
  err(() => parseFloat8(''), '22P02', 'invalid input syntax for type double precision: ""');
  err(() => parseFloat8('1e'), '22P02', 'invalid input syntax for type double precision: "1e"');
  err(() => parseFloat8('1e400'), '22003', '"1e400" is out of range for type double precision');
  err(() => parseFloat8('1e-310'), '22003', '"1e-310" is out of range for type double precision');
  err(() => parseFloat4('1e39'), '22003', 'value out of range: overflow');
  err(() => parseFloat4('1e-50'), '22003', 'value out of range: underflow');
  err(() => parseFloat4('x'), '22P02', 'invalid input syntax for type real: "x"');
});
