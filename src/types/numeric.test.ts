// Expected strings come from PostgreSQL (checked against a live server).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatNumeric, numericAdd, numericApplyTypmod, numericCompare, numericDiv, numericExp, numericFromBinary,
  numericFromFloat8, numericLn, numericLog10, numericMod, numericMul, numericPower, numericRound, numericSqrt,
  numericSub, numericToBinary, numericToInt4, numericToInt8, numericTrunc, numericTypmod, parseNumeric,
  numericDivSmallInts, numericFromInt, comparePlainText, MAX_QUOTIENT_TEXT,
} from './numeric.js';
import { Numeric } from './values.js';
import { Decimal } from 'decimal.js';
import { PgError } from '../errors.js';

const n = parseNumeric;
const f = formatNumeric;

function throwsCode(fn: () => unknown, code: string, message: string, detail?: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof PgError);
    assert.equal(e.code, code);
    assert.equal(e.message, message);
    if (detail !== undefined) assert.equal(e.detail, detail);
    return true;
  });
}

test('numeric input keeps the written scale and never prints an exponent', () => {
  assert.equal(f(n('1.50')), '1.50');
  assert.equal(f(n(' 1e3 ')), '1000');
  assert.equal(f(n('1.5e-3')), '0.0015');
  assert.equal(f(n('-0.000')), '0.000');
  assert.equal(f(n('nan')), 'NaN');
  assert.equal(f(n('.5')), '0.5');
  assert.equal(f(n('12345678901234567890.123456789')), '12345678901234567890.123456789');
  throwsCode(() => n('abc'), '22P02', 'invalid input syntax for type numeric: "abc"');
  throwsCode(() => n('1e'), '22P02', 'invalid input syntax for type numeric: "1e"');
  throwsCode(() => n('Infinity'), '22P02', 'invalid input syntax for type numeric: "Infinity"');
});

test('result scales of + - * / %', () => {
  assert.equal(f(numericAdd(n('1.5'), n('2.25'))), '3.75');
  assert.equal(f(numericSub(n('1'), n('0.001'))), '0.999');
  assert.equal(f(numericMul(n('1.50'), n('2.0'))), '3.000');
  assert.equal(f(numericDiv(n('1'), n('3'))), '0.33333333333333333333');
  assert.equal(f(numericDiv(n('10'), n('4'))), '2.5000000000000000');
  assert.equal(f(numericDiv(n('123456.789'), n('0.000123'))), '1003713731.70731707');
  assert.equal(f(numericDiv(n('7e-10'), n('3'))), '0.0000000002333333333333333333');
  assert.equal(f(numericMod(n('-7'), n('2'))), '-1');
  assert.equal(f(numericMod(n('1.50'), n('0.4'))), '0.30');
  throwsCode(() => numericDiv(n('1'), n('0')), '22012', 'division by zero');
  assert.equal(f(numericAdd(n('NaN'), n('1'))), 'NaN');
});

test('transcendental functions use PostgreSQL 11 result scales', () => {
  assert.equal(f(numericSqrt(n('2'))), '1.414213562373095');
  assert.equal(f(numericExp(n('1'))), '2.7182818284590452');
  assert.equal(f(numericLn(n('2'))), '0.6931471805599453');
  assert.equal(f(numericLog10(n('2'))), '0.3010299956639812');
  assert.equal(f(numericPower(n('2'), n('0.5'))), '1.4142135623730950');
  assert.equal(f(numericPower(n('2'), n('10'))), '1024.0000000000000000');
  throwsCode(() => numericSqrt(n('-1')), '2201F', 'cannot take square root of a negative number');
  throwsCode(() => numericLn(n('0')), '2201E', 'cannot take logarithm of zero');
  throwsCode(() => numericPower(n('-2'), n('0.5')), '2201F', 'a negative number raised to a non-integer power yields a complex result');
});

test('round/trunc and comparisons', () => {
  assert.equal(f(numericRound(n('2.5'))), '3');
  assert.equal(f(numericRound(n('-2.5'))), '-3');
  assert.equal(f(numericRound(n('123456.789'), -2)), '123500');
  assert.equal(f(numericRound(n('1.005'), 2)), '1.01');
  assert.equal(f(numericTrunc(n('-2.59'), 1)), '-2.5');
  assert.equal(numericCompare(n('NaN'), n('1e20')), 1);
  assert.equal(numericCompare(n('NaN'), n('NaN')), 0);
  assert.equal(numericCompare(n('1.0'), n('1')), 0);
});

test('conversions to integers and from float8', () => {
  assert.equal(numericToInt4(n('2.5')), 3);
  assert.equal(numericToInt4(n('-2.5')), -3);
  assert.equal(numericToInt8(n('9223372036854775807')), 9223372036854775807n);
  throwsCode(() => numericToInt4(n('2147483647.5')), '22003', 'integer out of range');
  throwsCode(() => numericToInt4(n('NaN')), '0A000', 'cannot convert NaN to integer');
  assert.equal(f(numericFromFloat8(0.1)), '0.1');
  assert.equal(f(numericFromFloat8(3.14159265358979)), '3.14159265358979');
  assert.equal(f(numericFromFloat8(123456789012345678)), '123456789012346000');
  assert.equal(f(numericFromFloat8(1e-20)), '0.00000000000000000001');
});

test('numeric(p,s) typmod', () => {
  assert.equal(numericTypmod(10, 2), 655366);
  assert.equal(f(numericApplyTypmod(n('1.005'), numericTypmod(5, 2))), '1.01');
  assert.equal(f(numericApplyTypmod(n('2'), numericTypmod(10, 4))), '2.0000');
  throwsCode(() => numericApplyTypmod(n('123456.789'), numericTypmod(5, 2)), '22003', 'numeric field overflow',
    'A field with precision 5, scale 2 must round to an absolute value less than 10^3.');
  throwsCode(() => numericApplyTypmod(n('1'), numericTypmod(2, 2)), '22003', 'numeric field overflow',
    'A field with precision 2, scale 2 must round to an absolute value less than 1.');
  throwsCode(() => numericTypmod(0), '22023', 'NUMERIC precision 0 must be between 1 and 1000');
});

test('binary format: base-10000 digits, weight, sign, dscale', () => {
  assert.equal(numericToBinary(n('1234.5678')).toString('hex'), '0002000000000004' + '04d2' + '162e');
  assert.equal(numericToBinary(n('-0.00012')).toString('hex'), '0002ffff40000005' + '000107d0');
  assert.equal(numericToBinary(n('NaN')).toString('hex'), '00000000c0000000');
  assert.equal(numericToBinary(n('0.00')).toString('hex'), '0000000000000002');
  for (const s of ['0', '1.50', '-123456789.000000001', '1e20', '0.0001', 'NaN', '99990000']) {
    assert.equal(f(numericFromBinary(numericToBinary(n(s)))), f(n(s)));
  }
});

test('integer division by long division matches PostgreSQL and the decimal.js path', () => {
  // From PostgreSQL 15: SELECT a::numeric / b.
  const pg: [number, number, string][] = [
    [2, 3, '0.66666666666666666667'],
    [0, 1, '0.00000000000000000000'],
    [-11, 2, '-5.5000000000000000'],
    [2 ** 52, 7, '643371375338642.2857'],
    [-(2 ** 52), 2147483647, '-2097152.000976562500'],
    [1, 2147483647, '0.0000000004656612875245796924'],
    [9999, 1, '9999.0000000000000000'],
    [10000, 9999, '1.0001000100010001'],
    [2, 20001, '0.000099995000249987500625'],
    [-1, 3, '-0.33333333333333333333'],
  ];
  for (const [a, b, text] of pg) {
    const v = numericDivSmallInts(a, b)!;
    assert.equal(f(v), text, `${a} / ${b}`);
    assert.equal(v.value.toFixed(v.dscale), text, `${a} / ${b}: value and text agree`);
  }
  // Quotients just below 1, at the 20-digit scale: one rounded up (...71247|9), one exact.
  assert.equal(f(numericDivSmallInts(2147483646, 2147483647)!), '0.99999999953433871248');
  assert.equal(f(numericDivSmallInts(1999999999, 2000000000)!), '0.99999999950000000000');
  // Exact halves at the last digit round away from zero (a / 2^m with m = scale + 1).
  assert.equal(f(numericDivSmallInts(393217, 131072)!), '3.0000076293945313');
  assert.equal(f(numericDivSmallInts(1019346943, 131072)!), '7776.9999923706054688');
  assert.equal(f(numericDivSmallInts(-2097153, 2097152)!), '-1.00000047683715820313');
  assert.equal(f(numericDivSmallInts(3, 33554432)!), '0.000000089406967163085938');
  // Against the general path, over magnitudes from 1 digit to 2^52 and divisors up to 2^31 - 1.
  let seed = 12345;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 3000; i++) {
    const a = Math.round((rand() - 0.3) * 10 ** Math.floor(rand() * 16)) * (i % 7 === 0 ? 7 : 1);
    const b = Math.max(1, Math.floor(10 ** (rand() * 9.33)));
    const fast = numericDivSmallInts(a, b)!;
    const slow = numericDiv(numericFromInt(a), numericFromInt(b));
    assert.equal(f(fast), f(slow), `${a} / ${b}`);
    assert.equal(fast.dscale, slow.dscale, `${a} / ${b}`);
    assert.equal(numericCompare(fast, slow), 0, `${a} / ${b}`);
  }
  // Outside the exact range the caller falls back to numericDiv.
  assert.equal(numericDivSmallInts(2 ** 52 + 2, 3), null);
  assert.equal(numericDivSmallInts(5, 2 ** 31), null);
  assert.equal(numericDivSmallInts(5, 0), null);
});

test('a quotient writes its text as ASCII bytes, the same as its string; other numerics do not', () => {
  const out = new Uint8Array(MAX_QUOTIENT_TEXT + 8);
  const written = (v: Numeric): string => {
    const end = v.writeText(out, 3);
    assert.ok(end > 3 && end - 3 <= MAX_QUOTIENT_TEXT);
    return Buffer.from(out.subarray(3, end)).toString('latin1');
  };
  let seed = 4242;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const cases: [number, number][] = [[0, 1], [2, 3], [-1, 3], [2 ** 52, 7], [-(2 ** 52), 1], [-(2 ** 52), 2147483647], [1, 2147483647], [2147483646, 2147483647], [393217, 131072], [-2097153, 2097152], [999999, 1000000]];
  for (let i = 0; i < 5000; i++) {
    cases.push([Math.round((rand() - 0.4) * 10 ** Math.floor(rand() * 16)), Math.max(1, Math.floor(10 ** (rand() * 9.33)))]);
  }
  for (const [a, b] of cases) {
    // Written first (no string made yet), then compared with the string made afterwards.
    const v = numericDivSmallInts(a, b)!;
    const bytes = written(v);
    assert.equal(bytes, f(v), `${a} / ${b}`);
    assert.equal(written(v), bytes, `${a} / ${b}: again, after the string`);
  }
  assert.equal(n('1.50').writeText(out, 0), -1);
  assert.equal(n('NaN').writeText(out, 0), -1);
});

test('numerics that carry their text compare by it as decimal.js compares their values', () => {
  let seed = 777;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const values: Numeric[] = [];
  for (let i = 0; i < 400; i++) {
    const a = Math.round((rand() - 0.5) * 10 ** Math.floor(rand() * 12));
    const b = [1, 2, 3, 7, 10, 1000, 2 ** 31 - 1][i % 7];
    values.push(numericDivSmallInts(a, b)!);
  }
  // Equal values at different scales, zeros and a negative zero's text.
  const byText = (text: string): Numeric => new Numeric(undefined, text.split('.')[1]?.length ?? 0, text);
  values.push(...['0', '0.000', '-0.00', '12.5', '12.50000', '-12.5', '9.99', '10'].map(byText));
  const sign = (x: number): number => (x < 0 ? -1 : x > 0 ? 1 : 0);
  for (const x of values) {
    for (const y of values) {
      const byText = comparePlainText(x.text!, y.text!);
      assert.equal(byText, sign(new Decimal(x.text!).cmp(new Decimal(y.text!))), `${x.text} vs ${y.text}`);
      assert.equal(numericCompare(x, y), byText);
    }
  }
});
