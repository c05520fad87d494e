import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareJsonb, formatJsonb, jsonbFromBinary, jsonbToBinary, parseJson, parseJsonb } from './jsonb.js';
import { PgError } from '../errors.js';

const show = (s: string) => formatJsonb(parseJsonb(s));

test('jsonb normalizes key order, duplicates and spacing', () => {
  assert.equal(show('{"b": [1, 2.50], "a": 1, "aa": null, "a": 3}'), '{"a": 3, "b": [1, 2.50], "aa": null}');
  assert.equal(show('{"a":1e3,"c":{"y":true,"x":false}}'), '{"a": 1000, "c": {"x": false, "y": true}}');
  assert.equal(show(' [ ] '), '[]');
  assert.equal(show('"x\\ny\\u00e9\\u0001"'), '"x\\nyé\\u0001"');
  assert.equal(show('-0.10'), '-0.10');
  assert.equal(show('null'), 'null');
});

test('json keeps the text as given but validates it', () => {
  assert.equal(parseJson('{"a": 1, "a": 2}'), '{"a": 1, "a": 2}');
  const err = (text: string, detail: string) =>
    assert.throws(() => parseJson(text), (e: unknown) =>
      e instanceof PgError && e.code === '22P02' && e.message === 'invalid input syntax for type json' && e.detail === detail);
  err('{"a" 1}', 'Expected ":", but found "1".');
  err('[1, tru]', 'Token "tru" is invalid.');
  err('[1, 2', 'The input string ended unexpectedly.');
  err('{"a": 1}}', 'Expected end of input, but found "}".');
  err('{1: 2}', 'Expected string or "}", but found "1".');
  err('"\\x"', 'Escape sequence "\\x" is invalid.');
  err('', 'The input string ended unexpectedly.');
});

test('jsonb ordering and binary form', () => {
  const c = (a: string, b: string) => Math.sign(compareJsonb(parseJsonb(a), parseJsonb(b)));
  assert.equal(c('{"a":1}', '[1,2,3]'), 1);
  assert.equal(c('[1]', 'true'), 1);
  assert.equal(c('true', '100'), 1);
  assert.equal(c('1', '"a"'), 1);
  assert.equal(c('"a"', 'null'), 1);
  assert.equal(c('1.0', '1'), 0);
  assert.equal(c('[1,2]', '[3]'), 1);
  const b = jsonbToBinary(parseJsonb('{"k": [1, "x"]}'));
  assert.equal(b[0], 1);
  assert.equal(b.toString('utf8', 1), '{"k": [1, "x"]}');
  assert.equal(formatJsonb(jsonbFromBinary(b)), '{"k": [1, "x"]}');
});
