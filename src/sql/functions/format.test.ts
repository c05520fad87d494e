// Expected values come from PostgreSQL (15 as the oracle).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './index.js';
import { PgError } from '../../errors.js';
import { parseNumeric } from '../../types/numeric.js';
import { OID } from '../../types/oids.js';
import { PgArray } from '../../types/values.js';
import { call, callVariadic } from './test-support.js';

const { text, int4, bool, numeric, anyelement, anyarray, _int4 } = OID;
const fmt = (f: string | null, ...args: [unknown, number][]) =>
  callVariadic('format', [text], [f, ...args.map((a) => a[0])], [text, ...args.map((a) => a[1])]);
function pgError(code: string, message: string) {
  return (e: unknown) => e instanceof PgError && e.code === code && e.message === message;
}

test('format', () => {
  assert.equal(
    fmt('%s|%I|%L|%L|%3$s|%-5s|%5s|%%', ['a b', text], ['Foo', text], [null, text], ["it's", text], ['x', text], [1, int4]),
    `a b|"Foo"|NULL|'it''s'||it's |    x|%`,
  );
  assert.equal(fmt('%s', [new PgArray(int4, [1, 2]), _int4]), '{1,2}');
  assert.equal(fmt('%I', ['a"b', text]), '"a""b"');
  assert.equal(fmt(null), null);
  assert.equal(fmt('%*s|', [4, int4], ['ab', text]), '  ab|');
  assert.equal(fmt('%-*s|', [4, int4], ['ab', text]), 'ab  |');
  assert.equal(fmt('%*s|', [-4, int4], ['ab', text]), 'ab  |');
  assert.equal(fmt('%L', [parseNumeric('1.5'), numeric]), "'1.5'");
  assert.equal(fmt('%1$s %s', ['a', text], ['b', text]), 'a b');
  assert.throws(() => fmt('%s %s', ['a', text]), pgError('22023', 'too few arguments for format()'));
  assert.throws(() => fmt('%z', ['a', text]), pgError('22023', 'unrecognized format() type specifier "z"'));
  assert.throws(() => fmt('%', [1, int4]), pgError('22023', 'unterminated format() type specifier'));
  assert.throws(() => fmt('%I', [null, text]), pgError('22004', 'null values cannot be formatted as an SQL identifier'));
});

test('concat and concat_ws skip NULLs and print any type', () => {
  assert.equal(
    callVariadic('concat', [], ['a', null, 1, true, new PgArray(int4, [1, 2])], [text, text, int4, bool, _int4]),
    'a1t{1,2}',
  );
  assert.equal(callVariadic('concat_ws', [text], [',', 'a', null, 2], [text, text, text, int4]), 'a,2');
  assert.equal(callVariadic('concat_ws', [text], [null, 'a'], [text, text]), null);
});

test('quote_ident, quote_literal, quote_nullable', () => {
  assert.equal(call('quote_ident', [text], ['Foo']), '"Foo"');
  assert.equal(call('quote_ident', [text], ['foo']), 'foo');
  assert.equal(call('quote_ident', [text], ['select']), '"select"');
  assert.equal(call('quote_ident', [text], ['abort']), 'abort');
  assert.equal(call('quote_literal', [text], ["a'b\\c"]), "E'a''b\\\\c'");
  assert.equal(call('quote_literal', [anyelement], [42], undefined, [int4]), "'42'");
  assert.equal(call('quote_nullable', [text], [null]), 'NULL');
  assert.equal(call('quote_nullable', [anyelement], [parseNumeric('1.5')], undefined, [numeric]), "'1.5'");
});

test('array_to_string', () => {
  const arr = new PgArray(int4, [1, null, 3]);
  assert.equal(call('array_to_string', [anyarray, text], [arr, ',']), '1,3');
  assert.equal(call('array_to_string', [anyarray, text, text], [arr, ',', '*']), '1,*,3');
  assert.equal(call('array_to_string', [anyarray, text, text], [arr, null, '*']), null);
});
