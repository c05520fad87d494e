// Expected values come from PostgreSQL (15 as the oracle, checked against 11's documented behaviour).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './index.js';
import { PgError } from '../../errors.js';
import { OID } from '../../types/oids.js';
import { PgArray } from '../../types/values.js';
import { call } from './test-support.js';

const { text, int4, int8, bpchar } = OID;
const T = (name: string, ...args: unknown[]) => call(name, args.map(() => text), args);

function pgError(code: string, message: string) {
  return (e: unknown) => e instanceof PgError && e.code === code && e.message === message;
}

test('lengths count code points; octet/bit lengths count UTF-8 bytes', () => {
  assert.equal(T('length', '😀'), 1);
  assert.equal(T('char_length', 'héllo'), 5);
  assert.equal(T('octet_length', 'é'), 2);
  assert.equal(T('bit_length', 'é'), 16);
  assert.equal(call('length', [bpchar], ['ab   ']), 2);
  assert.equal(call('octet_length', [bpchar], ['ab   ']), 5);
  assert.equal(T('length', null), null);
});

test('case mapping is per character', () => {
  assert.equal(T('upper', 'éß'), 'Éß');
  assert.equal(T('lower', 'ÉΣ'), 'éσ');
  assert.equal(T('initcap', 'hELLO wORLD-foo bar_baz 1abc'), 'Hello World-Foo Bar_Baz 1abc');
  assert.equal(T('initcap', "ABC1DEF x'y"), "Abc1def X'Y");
  assert.equal(T('initcap', 'élan ÉLAN'), 'Élan Élan');
});

test('substr/substring', () => {
  const s = (...a: [string, number, number?]) => call('substr', a.length === 2 ? [text, int4] : [text, int4, int4], a);
  assert.equal(s('hello', 0, 3), 'he');
  assert.equal(s('hello', -1, 3), 'h');
  assert.equal(s('héllo', 2), 'éllo');
  assert.equal(s('abc', 2, 2147483647), 'bc');
  assert.equal(s('abc', -2147483647, 2147483647), '');
  assert.equal(call('substring', [text, int4, int4], ['hello', 2, 2]), 'el');
  assert.throws(() => s('hello', 1, -1), pgError('22011', 'negative substring length not allowed'));
});

test('position, strpos, overlay', () => {
  assert.equal(T('strpos', 'h😀llo', 'l'), 3);
  assert.equal(T('position', 'héllo', 'l'), 3);
  assert.equal(T('strpos', 'abc', ''), 1);
  assert.equal(T('strpos', 'abc', 'x'), 0);
  assert.equal(call('overlay', [text, text, int4, int4], ['Txxxxas', 'hom', 2, 4]), 'Thomas');
  assert.equal(call('overlay', [text, text, int4], ['abc', 'X', 5]), 'abcX');
  assert.throws(() => call('overlay', [text, text, int4], ['abc', 'X', -1]), pgError('22011', 'negative substring length not allowed'));
});

test('trim family', () => {
  assert.equal(T('btrim', '  x  '), 'x');
  assert.equal(T('btrim', 'xxaxx', 'x'), 'a');
  assert.equal(T('ltrim', 'xxa', 'x'), 'a');
  assert.equal(T('rtrim', 'axx', 'xa'), '');
  assert.equal(T('btrim', 'abc', ''), 'abc');
  assert.equal(T('btrim', '😀a😀', '😀'), 'a');
});

test('padding, left/right, repeat, reverse', () => {
  const lp = (...a: [string, number, string?]) => call('lpad', a.length === 2 ? [text, int4] : [text, int4, text], a);
  assert.equal(lp('hi', 5), '   hi');
  assert.equal(lp('hello', 3, 'xy'), 'hel');
  assert.equal(lp('hi', 5, ''), 'hi');
  assert.equal(lp('x', -1), '');
  assert.equal(call('rpad', [text, int4, text], ['hi', 5, 'xy']), 'hixyx');
  assert.throws(() => lp('abc', 2147483647), pgError('54000', 'requested length too large'));
  assert.equal(call('left', [text, int4], ['hello', -2]), 'hel');
  assert.equal(call('right', [text, int4], ['hello', -2]), 'llo');
  assert.equal(call('left', [text, int4], ['h😀llo', 2]), 'h😀');
  assert.equal(call('right', [text, int4], ['h😀llo', 4]), '😀llo');
  assert.equal(call('repeat', [text, int4], ['é', 3]), 'ééé');
  assert.equal(call('repeat', [text, int4], ['ab', -1]), '');
  assert.equal(T('reverse', 'abc😀'), '😀cba');
});

test('replace, split_part, translate', () => {
  assert.equal(T('replace', 'abcabc', '', 'X'), 'abcabc');
  assert.equal(T('replace', 'abcabc', 'b', ''), 'acac');
  assert.equal(call('split_part', [text, text, int4], ['a,b,c', ',', 2]), 'b');
  assert.equal(call('split_part', [text, text, int4], ['a,b,c', ',', 5]), '');
  assert.equal(call('split_part', [text, text, int4], ['abc', '', 1]), 'abc');
  assert.throws(
    () => call('split_part', [text, text, int4], ['a,b', ',', 0]),
    pgError('22023', 'field position must be greater than zero'),
  );
  assert.equal(T('translate', '12345', '143', 'ax'), 'a2x5');
  assert.equal(T('translate', 'aéb', 'é', '€'), 'a€b');
});

test('ascii, chr, to_hex, starts_with', () => {
  assert.equal(T('ascii', 'é'), 233);
  assert.equal(T('ascii', ''), 0);
  assert.equal(call('chr', [int4], [8364]), '€');
  assert.equal(call('chr', [int4], [128512]), '😀');
  assert.throws(() => call('chr', [int4], [0]), pgError('54000', 'null character not permitted'));
  assert.throws(() => call('chr', [int4], [-1]), pgError('54000', 'character number must be positive'));
  assert.throws(() => call('chr', [int4], [1114112]), pgError('54000', 'requested character too large for encoding: 1114112'));
  assert.equal(call('to_hex', [int4], [-1]), 'ffffffff');
  assert.equal(call('to_hex', [int4], [255]), 'ff');
  assert.equal(call('to_hex', [int8], [-1n]), 'ffffffffffffffff');
  assert.equal(T('starts_with', 'abc', 'ab'), true);
});

test('string_to_array', () => {
  const s2a = (...a: (string | null)[]) => call('string_to_array', a.map(() => text), a) as PgArray | null;
  assert.deepEqual(s2a('a,b,,c', ',')!.items, ['a', 'b', '', 'c']);
  assert.deepEqual(s2a('abc', '')!.items, ['abc']);
  assert.deepEqual(s2a('abc', null)!.items, ['a', 'b', 'c']);
  assert.deepEqual(s2a('a,*,c', ',', '*')!.items, ['a', null, 'c']);
  assert.deepEqual(s2a('', ',')!.items, []);
  assert.deepEqual(s2a('xx', 'x')!.items, ['', '', '']);
  assert.equal(s2a(null, ','), null);
  assert.equal(s2a('a', ',')!.elemType, text);
});
