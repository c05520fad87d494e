// Expected values come from PostgreSQL (15 as the oracle).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './index.js';
import { PgError } from '../../errors.js';
import { formatJsonb, parseJsonb, type Jsonb } from '../../types/jsonb.js';
import { parseNumeric } from '../../types/numeric.js';
import { OID } from '../../types/oids.js';
import { PgArray } from '../../types/values.js';
import { dateToDays } from '../../types/datetime.js';
import { call, callVariadic, testContext } from './test-support.js';

const { json, jsonb, text, int4, float8, numeric, bool, anyelement, timestamp, timestamptz, date, _text, _int4 } = OID;
const J = (s: string) => parseJsonb(s);
const out = (v: unknown) => formatJsonb(v as Jsonb);
const path = (...p: (string | null)[]) => new PgArray(text, p);
function pgError(code: string, message: string) {
  return (e: unknown) => e instanceof PgError && e.code === code && e.message === message;
}

test('to_json / to_jsonb of SQL values', () => {
  const ny = testContext();
  ny.io.timeZone = 'America/New_York';
  const tj = (v: unknown, t: number, ctx = testContext()) => call('to_json', [anyelement], [v], ctx, [t]);
  const noon = dateToDays(2018, 1, 1) * 86_400_000_000 + 12 * 3_600_000_000;
  assert.equal(tj(noon + 1_500_000, timestamp), '"2018-01-01T12:00:01.5"');
  assert.equal(tj(noon + 5 * 3_600_000_000, timestamptz, ny), '"2018-01-01T12:00:00-05:00"');
  assert.equal(tj(dateToDays(2018, 1, 1), date), '"2018-01-01"');
  assert.equal(tj(NaN, float8), '"NaN"');
  assert.equal(tj(1e-7, float8), '1e-07');
  assert.equal(tj(parseNumeric('1.50'), numeric), '1.50');
  assert.equal(tj(new PgArray(int4, [1, 2]), _int4), '[1,2]');
  assert.equal(tj('a"b', text), '"a\\"b"');
  assert.equal(tj(Infinity, timestamp), '"infinity"');
  assert.equal(tj('{"a":1}', json), '{"a":1}');
  assert.equal(tj(true, bool), 'true');
  assert.equal(out(call('to_jsonb', [anyelement], ['{"b":1, "a":2}'], testContext(), [json])), '{"a": 2, "b": 1}');
  assert.equal(out(call('to_jsonb', [anyelement], [1e-7], testContext(), [float8])), '0.0000001');
});

test('json(b)_build_object / _array', () => {
  assert.equal(
    callVariadic('json_build_object', [], ['a', 1, 'b', new PgArray(text, ['x'])], [text, int4, text, _text]),
    '{"a" : 1, "b" : ["x"]}',
  );
  assert.equal(callVariadic('json_build_object', [], [], []), '{}');
  assert.equal(out(callVariadic('jsonb_build_object', [], ['b', 1, 'a', null], [text, int4, text, text])), '{"a": null, "b": 1}');
  assert.equal(out(callVariadic('jsonb_build_object', [], [parseNumeric('1.5'), 2], [numeric, int4])), '{"1.5": 2}');
  assert.equal(callVariadic('json_build_array', [], [1, 'x', null], [int4, text, text]), '[1, "x", null]');
  assert.equal(out(callVariadic('jsonb_build_array', [], [1, 'x', null], [int4, text, text])), '[1, "x", null]');
  assert.throws(() => callVariadic('json_build_object', [], ['a'], [text]), pgError('22023', 'argument list must have even number of elements'));
  assert.throws(() => callVariadic('json_build_object', [], [null, 1], [text, int4]), pgError('22023', 'argument 1 cannot be null'));
  assert.throws(
    () => callVariadic('json_build_object', [], ['{}', 1], [json, int4]),
    pgError('22023', 'key value must be scalar, not array, composite, or json'),
  );
});

test('inspecting json and jsonb', () => {
  assert.equal(call('json_typeof', [json], ['  [1]']), 'array');
  assert.equal(call('jsonb_typeof', [jsonb], [J('1.5')]), 'number');
  assert.equal(call('json_array_length', [json], ['[1,[2,3],{}]']), 3);
  assert.throws(() => call('json_array_length', [json], ['{}']), pgError('22023', 'cannot get array length of a non-array'));
  assert.throws(() => call('jsonb_array_length', [jsonb], [J('1')]), pgError('22023', 'cannot get array length of a scalar'));
  assert.deepEqual(call('json_object_keys', [json], ['{"b":1,"a":2,"b":3}']), ['b', 'a', 'b']);
  assert.deepEqual(call('jsonb_object_keys', [jsonb], [J('{"bb":1,"a":2}')]), ['a', 'bb']);
  assert.throws(() => call('json_object_keys', [json], ['[]']), pgError('22023', 'cannot call json_object_keys on an array'));
  assert.throws(() => call('jsonb_object_keys', [jsonb], [J('1')]), pgError('22023', 'cannot call jsonb_object_keys on a scalar'));
  assert.deepEqual(call('json_array_elements_text', [json], ['[1,"a",null,[2]]']), ['1', 'a', null, '[2]']);
  assert.deepEqual(call('json_array_elements', [json], ['[1, {"a" : 2}]']), ['1', '{"a" : 2}']);
  assert.deepEqual((call('jsonb_array_elements', [jsonb], [J('[1,"x"]')]) as Jsonb[]).map(formatJsonb), ['1', '"x"']);
  assert.throws(() => call('jsonb_array_elements', [jsonb], [J('{}')]), pgError('22023', 'cannot extract elements from an object'));
  assert.throws(() => call('json_array_elements', [json], ['1']), pgError('22023', 'cannot call json_array_elements on a scalar'));
});

test('extract_path', () => {
  const doc = '{"a": {"b" : [1, 2 ]}, "s": "x\\ny", "n": null}';
  assert.equal(callVariadic('json_extract_path', [json], [doc, 'a', 'b'], [json, text, text]), '[1, 2 ]');
  assert.equal(callVariadic('json_extract_path', [json], [doc, 'a', 'b', '-1'], [json, text, text, text]), '2');
  assert.equal(callVariadic('json_extract_path_text', [json], [doc, 's'], [json, text]), 'x\ny');
  assert.equal(callVariadic('json_extract_path_text', [json], [doc, 'n'], [json, text]), null);
  assert.equal(callVariadic('json_extract_path', [json], [doc, 'zz'], [json, text]), null);
  assert.equal(out(callVariadic('jsonb_extract_path', [jsonb], [J('{"a":[1,2]}'), 'a', '1'], [jsonb, text, text])), '2');
  assert.equal(out(callVariadic('jsonb_extract_path', [jsonb], [J('[1,2]'), '-1'], [jsonb, text])), '2');
  assert.equal(callVariadic('jsonb_extract_path_text', [jsonb], [J('{"a":"x"}'), 'a'], [jsonb, text]), 'x');
  assert.equal(callVariadic('jsonb_extract_path_text', [jsonb], [J('{"a":null}'), 'a'], [jsonb, text]), null);
});

test('jsonb_set, jsonb_strip_nulls, jsonb_pretty', () => {
  const set = (t: string, p: PgArray, v: string, create?: boolean) =>
    out(create === undefined ? call('jsonb_set', [jsonb, _text, jsonb], [J(t), p, J(v)]) : call('jsonb_set', [jsonb, _text, jsonb, bool], [J(t), p, J(v), create]));
  assert.equal(set('{"a":[1,2]}', path('a', '1'), '"x"'), '{"a": [1, "x"]}');
  assert.equal(set('{"a":1}', path('b'), '2'), '{"a": 1, "b": 2}');
  assert.equal(set('{"a":1}', path('b'), '2', false), '{"a": 1}');
  assert.equal(set('{"a":1}', path('b', 'c'), '2'), '{"a": 1}');
  assert.equal(set('[1,2]', path('-1'), '9'), '[1, 9]');
  assert.equal(set('[1,2]', path('5'), '9'), '[1, 2, 9]');
  assert.equal(set('[1,2]', path('-5'), '9'), '[9, 1, 2]');
  assert.throws(() => set('1', path('a'), '1'), pgError('22023', 'cannot set path in scalar'));
  assert.throws(() => set('{"a":[1]}', path('a', 'x'), '1'), pgError('22P02', 'path element at position 2 is not an integer: "x"'));
  assert.throws(() => set('{"a":1}', path('a', null), '1'), pgError('22004', 'path element at position 2 is null'));
  assert.equal(out(call('jsonb_strip_nulls', [jsonb], [J('{"a":null,"b":[null,{"c":null}]}')])), '{"b": [null, {}]}');
  assert.equal(
    call('jsonb_pretty', [jsonb], [J('{"a":[1,{"b":null}],"c":{}}')]),
    '{\n    "a": [\n        1,\n        {\n            "b": null\n        }\n    ],\n    "c": {\n    }\n}',
  );
  assert.equal(call('jsonb_pretty', [jsonb], [J('[]')]), '[\n]');
});
