import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchBuilder, decodeBatch, isBatchableType } from './batch-format.js';
import { OID } from '../types/oids.js';
import { Dec, Interval, Numeric, PgArray } from '../types/values.js';
import { parseNumeric, NUMERIC_NAN } from '../types/numeric.js';
import { JSONB_NULL, parseJsonb } from '../types/jsonb.js';

function roundTrip(types: number[], rows: unknown[][], arrival = 1000): unknown[][] {
  const b = new BatchBuilder(types, 2);
  for (const r of rows) b.addRow(r);
  const buf = b.finish(7, 16384, arrival);
  // it must survive a transfer to another thread
  const moved = structuredClone(buf, { transfer: [buf] });
  assert.equal(buf.byteLength, 0);
  const d = decodeBatch(moved);
  assert.equal(d.batchId, 7);
  assert.equal(d.streamOid, 16384);
  assert.equal(d.rowCount, rows.length);
  assert.deepEqual(d.columnTypes, types);
  assert.equal(d.width, types.length + 1);
  const out: unknown[][] = [];
  const row: unknown[] = [];
  for (let i = 0; i < d.rowCount; i++) {
    d.row(i, row);
    out.push(row.slice());
  }
  return out;
}

/** Rows as given, with the batch arrival time appended. */
const stamped = (rows: unknown[][], t = 1000) => rows.map((r) => [...r, t]);

test('integers, floats and bool with NULLs and extremes', () => {
  const types = [OID.int2, OID.int4, OID.int8, OID.float4, OID.float8, OID.bool, OID.oid];
  const rows = [
    [-32768, -2147483648, -(2n ** 63n), Math.fround(1.5), -0, true, 4294967295],
    [32767, 2147483647, 2n ** 63n - 1n, Infinity, NaN, false, 0],
    [null, null, null, null, null, null, null],
    [0, 0, 0n, -Infinity, 1e308, true, 26],
  ];
  const out = roundTrip(types, rows);
  assert.deepEqual(out, stamped(rows));
  assert.ok(Object.is(out[0]![4], -0));
  assert.ok(Number.isNaN(out[1]![4]));
});

test('date/time types keep microseconds and infinities', () => {
  const types = [OID.date, OID.time, OID.timestamp, OID.timestamptz];
  const rows = [
    [-Infinity, 0, Infinity, -Infinity],
    [7305, 86_399_999_999, 631_152_000_123_456, -63_113_904_000_000_001],
    [null, 1, null, 0],
  ];
  assert.deepEqual(roundTrip(types, rows), stamped(rows));
});

test('strings: empty, ASCII, non-BMP, NUL-free UTF-8 of every string type', () => {
  const types = [OID.text, OID.varchar, OID.bpchar, OID.name, OID.char, OID.uuid, OID.json];
  const rows = [
    ['', '', '', '', '', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{}'],
    ['héllo wörld', '😀 smile', 'ab  ', 'n', 'x', '00000000-0000-0000-0000-000000000000', '{"a": [1, 2]}'],
    [null, null, null, null, null, null, null],
    ['tab\there\nnewline', '\u{10FFFF}', '中文', 'x'.repeat(63), '\u00ff', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '  "x"  '],
  ];
  assert.deepEqual(roundTrip(types, rows), stamped(rows));
});

test('ASCII-only columns decode the same as UTF-8 ones', () => {
  const rows = [['plain'], ['also plain'], ['']];
  assert.deepEqual(roundTrip([OID.text], rows), stamped(rows));
});

test('numeric keeps value, display scale and NaN', () => {
  const rows = [
    [parseNumeric('1.50')],
    [NUMERIC_NAN],
    [parseNumeric('-0.000000000000000000000000001')],
    [parseNumeric('123456789012345678901234567890.123456789')],
    [null],
    [new Numeric(new Dec('2.5'), 0)],
  ];
  const out = roundTrip([OID.numeric], rows);
  assert.deepEqual(out, stamped(rows));
  const n = out[1]![0] as Numeric;
  assert.ok(n.isNaN());
  assert.equal((out[0]![0] as Numeric).dscale, 2);
  assert.equal((out[5]![0] as Numeric).dscale, 0);
  assert.equal((out[5]![0] as Numeric).value.toString(), '2.5');
});

test('interval, bytea, jsonb', () => {
  const types = [OID.interval, OID.bytea, OID.jsonb];
  const rows = [
    [new Interval(14, -3, 123_456_789), new Uint8Array([0, 255, 1]), parseJsonb('{"b": 1.50, "a": [true, null, "x"]}')],
    [new Interval(0, 0, 0), new Uint8Array(0), JSONB_NULL],
    [null, null, null],
    [new Interval(-2147483648, 2147483647, -9.2e15), new Uint8Array([7]), parseJsonb('"😀"')],
  ];
  const out = roundTrip(types, rows);
  assert.deepEqual(out, stamped(rows));
  assert.ok(out[0]![1] instanceof Uint8Array);
});

test('one-dimensional arrays with NULL elements and lower bounds', () => {
  const types = [OID._int4, OID._text, OID._timestamptz, OID._numeric];
  const rows = [
    [new PgArray(OID.int4, [1, null, -3]), new PgArray(OID.text, ['a', '', null, '😀']), new PgArray(OID.timestamptz, [Infinity, 0]), new PgArray(OID.numeric, [parseNumeric('1.0'), NUMERIC_NAN])],
    [new PgArray(OID.int4, []), new PgArray(OID.text, ['x'], 0), null, new PgArray(OID.numeric, [null])],
  ];
  assert.deepEqual(roundTrip(types, rows), stamped(rows));
});

test('arrival_timestamp: given per row, else the batch time', () => {
  const b = new BatchBuilder([OID.int4]);
  b.addRow([1]);
  b.addRow([2, 555]);
  b.addRow([3, null]);
  b.addRow([4, -Infinity]);
  const d = decodeBatch(b.finish(1, 2, 999));
  assert.equal(d.arrivalTimestamp, 999);
  assert.deepEqual([...d.arrivalTimestamps], [999, 555, 999, -Infinity]);
  assert.equal(d.value(1, 1), 555);
  assert.equal(d.value(0, 3), 4);
});

test('grows past its initial capacity and is reusable after finish', () => {
  const b = new BatchBuilder([OID.int4, OID.text], 1);
  for (let i = 0; i < 5000; i++) b.addRow([i, i % 7 === 0 ? null : 'v' + i]);
  const d = decodeBatch(b.finish(1, 1, 0));
  assert.equal(d.rowCount, 5000);
  const row: unknown[] = [];
  d.row(4999, row);
  assert.deepEqual(row, [4999, 'v4999', 0]);
  d.row(4998, row);
  assert.deepEqual(row, [4998, null, 0]);
  assert.deepEqual(Array.from(d.fixedColumn(0) as Int32Array).slice(0, 3), [0, 1, 2]);
  assert.equal(d.nullFlags(0), null);
  assert.equal(d.nullFlags(1)![7], 1);
  // after finish the builder starts empty
  b.addRow([42, 'é']);
  const d2 = decodeBatch(b.finish(2, 1, 5));
  assert.equal(d2.rowCount, 1);
  d2.row(0, row);
  assert.deepEqual(row, [42, 'é', 5]);
  assert.equal(d2.nullFlags(1), null);
});

test('an empty batch and a batch without columns', () => {
  const d = decodeBatch(new BatchBuilder([OID.int4, OID.text]).finish(3, 4, 5));
  assert.equal(d.rowCount, 0);
  const b = new BatchBuilder([]);
  b.addRow([]);
  const d2 = decodeBatch(b.finish(1, 1, 9));
  const row: unknown[] = [];
  d2.row(0, row);
  assert.deepEqual(row, [9]);
});

test('batch ids up to 2^53 survive', () => {
  const d = decodeBatch(new BatchBuilder([]).finish(2 ** 53 - 1, 4294967295, 0));
  assert.equal(d.batchId, 2 ** 53 - 1);
  assert.equal(d.streamOid, 4294967295);
});

test('unsupported types and corrupt buffers are refused', () => {
  assert.equal(isBatchableType(OID.record), false);
  assert.equal(isBatchableType(OID._jsonb), true);
  assert.throws(() => new BatchBuilder([OID._record]), { code: '0A000', message: 'stream columns of type record[] are not supported' });
  assert.throws(() => decodeBatch(new ArrayBuffer(64)), { code: 'XX000', message: 'corrupt stream batch: bad magic' });
  const buf = new BatchBuilder([OID.int4]).finish(1, 1, 1);
  assert.throws(() => decodeBatch(buf.slice(0, buf.byteLength - 8)), { message: 'corrupt stream batch: bad length' });
});
