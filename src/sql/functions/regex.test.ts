// Expected values come from PostgreSQL (15 as the oracle).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './index.js';
import { PgError } from '../../errors.js';
import { OID } from '../../types/oids.js';
import { PgArray } from '../../types/values.js';
import { call } from './test-support.js';

const { text } = OID;
const T = (name: string, ...args: unknown[]) => call(name, args.map(() => text), args);
const items = (v: unknown) => (v as PgArray).items;

test('regexp_replace with back references and flags', () => {
  assert.equal(T('regexp_replace', 'foobarbaz', 'b(..)', 'X\\1Y', 'g'), 'fooXarYXazY');
  assert.equal(T('regexp_replace', 'abc', 'B', 'x', 'i'), 'axc');
  assert.equal(T('regexp_replace', 'abc', 'b', '[\\&]'), 'a[b]c');
  assert.equal(T('regexp_replace', 'a.b', '.', '-', 'g'), '---');
  assert.equal(T('regexp_replace', 'a\nb', '^b', 'X', 'gn'), 'a\nX');
  assert.equal(T('regexp_replace', 'Hello World', '\\mW', 'w'), 'Hello world');
  assert.equal(T('regexp_replace', 'abc', '[[:alpha:]]', 'X', 'g'), 'XXX');
  assert.equal(T('regexp_replace', 'a+b', 'a\\+b', 'ok'), 'ok');
  assert.equal(T('regexp_replace', 'cost $5', '\\$', 'USD'), 'cost USD5');
});

test('regexp_match and regexp_matches', () => {
  assert.deepEqual(items(T('regexp_match', 'foobarbequebaz', 'bar.*que')), ['barbeque']);
  assert.deepEqual(items(T('regexp_match', 'foobarbequebaz', '(bar)(beque)')), ['bar', 'beque']);
  assert.deepEqual(items(T('regexp_match', 'abc', '(x)?b')), [null]);
  assert.equal(T('regexp_match', 'abc', 'z'), null);
  const rows = T('regexp_matches', 'foobarbequebazilbarfbonk', '(b[^b]+)(b[^b]+)', 'g') as PgArray[];
  assert.deepEqual(rows.map((r) => r.items), [['bar', 'beque'], ['bazil', 'barf']]);
  assert.equal((T('regexp_matches', 'abc', '', 'g') as PgArray[]).length, 4);
  assert.throws(
    () => T('regexp_match', 'a', 'a', 'g'),
    (e: unknown) => e instanceof PgError && e.code === '22023' && e.message === 'regexp_match() does not support the "global" option',
  );
});

test('invalid flags and patterns', () => {
  assert.throws(
    () => T('regexp_replace', 'a', 'a', 'b', 'z'),
    (e: unknown) => e instanceof PgError && e.code === '22023' && e.message === 'invalid regular expression option: "z"',
  );
  assert.throws(
    () => T('regexp_match', 'a', '('),
    (e: unknown) => e instanceof PgError && e.code === '2201B' && e.message === 'invalid regular expression: parentheses () not balanced',
  );
});

test('regexp_split_to_array ignores degenerate empty matches', () => {
  assert.deepEqual(items(T('regexp_split_to_array', 'hello world', '\\s+')), ['hello', 'world']);
  assert.deepEqual(items(T('regexp_split_to_array', 'hello', '')), ['h', 'e', 'l', 'l', 'o']);
  assert.deepEqual(items(T('regexp_split_to_array', 'abc', 'x*')), ['a', 'b', 'c']);
  assert.deepEqual(T('regexp_split_to_table', 'a,b', ','), ['a', 'b']);
});

test('substring(text from pattern)', () => {
  assert.equal(T('substring', 'foobar', 'o.b'), 'oob');
  assert.equal(T('substring', 'foobar', 'o(.)b'), 'o');
  assert.equal(T('substring', 'foobar', 'z'), null);
});

test('braces and brackets that are not syntax are literal', () => {
  assert.equal(T('regexp_replace', 'a{b}]', '\\{b\\}\\]', 'X'), 'aX');
  assert.equal(T('regexp_replace', 'aaa', 'a{2}', 'X'), 'Xa');
  assert.equal(T('regexp_replace', 'x]y', ']', '-'), 'x-y');
  assert.equal(T('regexp_replace', 'a/b', '/', '-'), 'a-b');
});
