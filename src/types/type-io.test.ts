// Round trips text -> value -> text and value -> binary -> value for every type,
// plus typmods and type names. Expected strings come from PostgreSQL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultIoContext } from './io-context.js';
import { OID } from './oids.js';
import {
  applyTypmod, binaryIn, binaryOut, formatTypeName, getTextOutput, textIn, textOut, typmodFromTypeName,
} from './type-io.js';
import { PgError } from '../errors.js';

const ctx = defaultIoContext();

const samples: [number, string, string?][] = [
  [OID.bool, 'yes', 't'], [OID.bool, 'f'],
  [OID.int2, ' -32768 ', '-32768'], [OID.int4, '2147483647'], [OID.int8, '-9223372036854775808'],
  [OID.float4, '3.14159265', '3.14159'], [OID.float8, '0.1'], [OID.float8, '-Infinity'], [OID.float8, 'NaN'],
  [OID.numeric, '1.50'], [OID.numeric, '-123456789.000000001'], [OID.numeric, 'NaN'],
  [OID.text, 'héllo wörld'], [OID.varchar, 'abc'], [OID.bpchar, 'ab '], [OID.name, 'pg_class'], [OID.char, 'x'],
  [OID.unknown, 'lit'], [OID.bytea, '\\x0102ff'], [OID.bytea, 'abc\\\\', '\\x6162635c'],
  [OID.date, '2026-11-21'], [OID.date, 'infinity'], [OID.time, '13:14:15.5'],
  [OID.timestamp, '2026-11-21 13:14:15.123456'], [OID.timestamp, '-infinity'],
  [OID.timestamptz, '2026-11-21 13:14:15+05:30', '2026-11-21 07:44:15+00'],
  [OID.interval, '1 year 2 mons 3 days 04:05:06.5'], [OID.interval, '-1 days +00:00:01'],
  [OID.json, '{"b":1, "a":[1,2]}'], [OID.jsonb, '{"b":1, "a":[1,2]}', '{"a": [1, 2], "b": 1}'],
  [OID.uuid, 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
  [OID.oid, '4294967295'], [OID.void, ''],
  [OID._int4, '{1,2,NULL,3}'], [OID._text, '{"a b","x\\"y",NULL,"NULL","",c}'], [OID._text, '[0:1]={a,b}'],
  [OID._numeric, '{1.50, 2}', '{1.50,2}'], [OID._varchar, '{ a , b }', '{a,b}'], [OID._bool, '{}'],
  [OID._timestamptz, '{"2026-01-01 00:00:00+00",infinity}'], [OID._jsonb, '{"{\\"a\\": 1}",null}', '{"{\\"a\\": 1}",NULL}'],
  [OID._bytea, '{"\\\\x00ff"}'], [OID._interval, '{"1 day",00:00:00}', '{"1 day",00:00:00}'],
  [OID._float8, '{1.5,NaN,-Infinity}'], [OID._int8, '{1,-2}'], [OID._date, '{2026-11-21}'], [OID._uuid, '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}'],
  [OID._char, '{a,b}'], [OID._name, '{x}'], [OID._oid, '{1}'], [OID._time, '{10:00:00}'], [OID._timestamp, '{"2026-11-21 00:00:00"}'],
  [OID._int2, '{1}'], [OID._float4, '{1.5}'], [OID._bpchar, '{ab}'], [OID._json, '{"[1, 2]"}'],
];

test('text and binary round trips for every type', () => {
  for (const [oid, input, expected] of samples) {
    const v = textIn(oid, input, -1, ctx);
    const out = textOut(oid, v, ctx);
    assert.equal(out, expected ?? input, `${oid} ${input}`);
    const back = binaryIn(oid, binaryOut(oid, v, ctx), -1, ctx);
    assert.equal(getTextOutput(oid)(back, ctx), out, `binary ${oid} ${input}`);
  }
});

test('binary layouts match PostgreSQL send functions', () => {
  const hex = (oid: number, text: string) => binaryOut(oid, textIn(oid, text, -1, ctx), ctx).toString('hex');
  assert.equal(hex(OID.int8, '1'), '0000000000000001');
  assert.equal(hex(OID.float8, '1.5'), '3ff8000000000000');
  assert.equal(hex(OID.date, '2000-01-02'), '00000001');
  assert.equal(hex(OID.date, 'infinity'), '7fffffff');
  assert.equal(hex(OID.timestamp, '2000-01-01 00:00:01'), '00000000000f4240');
  assert.equal(hex(OID.timestamp, 'infinity'), '7fffffffffffffff');
  assert.equal(hex(OID.interval, '1 mon 2 days 00:00:01'), '00000000000f42400000000200000001');
  assert.equal(hex(OID.bool, 't'), '01');
  assert.equal(hex(OID.jsonb, '[1]'), '015b315d');
  assert.equal(hex(OID._int4, '{1,NULL}'), '00000001' + '00000001' + '00000017' + '00000002' + '00000001' + '00000004' + '00000001' + 'ffffffff');
  assert.equal(hex(OID._int4, '{}'), '000000000000000000000017');
  assert.throws(() => binaryIn(OID.int4, Buffer.from([0, 0, 0, 0, 0]), -1, ctx), (e: unknown) => e instanceof PgError && e.code === '22P03');
  assert.throws(() => binaryIn(OID.int4, Buffer.from([0, 0]), -1, ctx), (e: unknown) => e instanceof PgError && e.code === '08P01');
  assert.throws(() => binaryIn(OID._int4, Buffer.from('000000010000000000000019000000010000000100000000', 'hex'), -1, ctx),
    (e: unknown) => e instanceof PgError && e.code === '42804');
});

test('input errors carry PostgreSQL 11 codes and messages', () => {
  const err = (oid: number, text: string, code: string, message: string) =>
    assert.throws(() => textIn(oid, text, -1, ctx), (e: unknown) => e instanceof PgError && e.code === code && e.message === message);
  err(OID.int4, '1.5', '22P02', 'invalid input syntax for integer: "1.5"');
  err(OID.int4, '99999999999', '22003', 'value "99999999999" is out of range for type integer');
  err(OID.int8, '9223372036854775808', '22003', 'value "9223372036854775808" is out of range for type bigint');
  err(OID.bool, 'o', '22P02', 'invalid input syntax for type boolean: "o"');
  err(OID.uuid, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1', '22P02', 'invalid input syntax for type uuid: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1"');
  err(OID.bytea, '\\x0', '22023', 'invalid hexadecimal data: odd number of digits');
  err(OID._int4, '{1,2', '22P02', 'malformed array literal: "{1,2"');
  err(OID._int4, '{{1},{2}}', '0A000', 'multidimensional arrays are not supported');
  err(OID.timestamp, 'x', '22007', 'invalid input syntax for type timestamp: "x"');
});

test('typmods: varchar/bpchar/numeric/timestamp and type names', () => {
  const vc3 = typmodFromTypeName(OID.varchar, [3]);
  assert.equal(vc3, 7);
  assert.equal(applyTypmod(OID.varchar, 'abcd', vc3, true), 'abc');
  assert.equal(applyTypmod(OID.varchar, 'abc  ', vc3, false), 'abc');
  assert.throws(() => applyTypmod(OID.varchar, 'abcd', vc3, false),
    (e: unknown) => e instanceof PgError && e.code === '22001' && e.message === 'value too long for type character varying(3)');
  assert.equal(applyTypmod(OID.bpchar, 'ab', typmodFromTypeName(OID.bpchar, [4]), false), 'ab  ');
  assert.throws(() => applyTypmod(OID.bpchar, 'abcde', typmodFromTypeName(OID.bpchar, [4]), false),
    (e: unknown) => e instanceof PgError && e.message === 'value too long for type character(4)');
  const num = typmodFromTypeName(OID.numeric, [10, 2]);
  assert.equal(textOut(OID.numeric, textIn(OID.numeric, '3.14159', num, ctx), ctx), '3.14');
  assert.equal(textOut(OID._varchar, applyTypmod(OID._varchar, textIn(OID._varchar, '{abcd,ef}', -1, ctx), vc3, true), ctx), '{abc,ef}');
  const ts2 = typmodFromTypeName(OID.timestamp, [2]);
  assert.equal(textOut(OID.timestamp, textIn(OID.timestamp, '2026-01-01 00:00:00.125', ts2, ctx), ctx), '2026-01-01 00:00:00.13');
  assert.equal(formatTypeName(OID.varchar, vc3), 'character varying(3)');
  assert.equal(formatTypeName(OID.numeric, num), 'numeric(10,2)');
  assert.equal(formatTypeName(OID._int4, -1), 'integer[]');
  assert.equal(formatTypeName(OID._varchar, vc3), 'character varying(3)[]');
  assert.equal(formatTypeName(OID.timestamptz, 3), 'timestamp(3) with time zone');
  assert.equal(formatTypeName(OID.interval, typmodFromTypeName(OID.interval, [3])), 'interval(3)');
  assert.equal(formatTypeName(OID.bpchar, -1), 'bpchar');
});

test('session settings drive output', () => {
  const c = { ...ctx, timeZone: 'America/New_York', dateStyle: { style: 'Postgres' as const, order: 'DMY' as const }, extraFloatDigits: 3, byteaOutput: 'escape' as const };
  assert.equal(textOut(OID.timestamptz, textIn(OID.timestamptz, '2026-07-01 12:00+00', -1, c), c), 'Wed 01 Jul 08:00:00 2026 EDT');
  assert.equal(textOut(OID.float8, 0.1, c), '0.100000000000000006');
  assert.equal(textOut(OID.bytea, new Uint8Array([97, 0, 92, 200]), c), 'a\\000\\\\\\310');
  assert.equal(textOut(OID.date, textIn(OID.date, '01/02/2003', -1, c), c), '01-02-2003');
  assert.equal(textOut(OID.date, textIn(OID.date, '01/02/2003', -1, c), ctx), '2003-02-01');
});
