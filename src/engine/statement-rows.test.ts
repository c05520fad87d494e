import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchBuilder } from '../worker/batch-format.js';
import { OID } from '../types/oids.js';
import { appendRows, FlatRows } from './statement-rows.js';

const TYPES = [OID.int4, OID.text];
// Two declared columns and arrival_timestamp; the third row has an explicit arrival.
const ARRAYS: unknown[][] = [
  [1, 'a', null],
  [null, 'bb', null],
  [3, null, 1_000_000],
  [4, 'dddd', null],
  [5, 'e', null],
];
const FLAT = new FlatRows(ARRAYS.flat(), 3, ARRAYS.length);

function bytes(build: (b: BatchBuilder) => void): Uint8Array {
  const b = new BatchBuilder(TYPES, 2);
  build(b);
  return new Uint8Array(b.finish(7, 42, 5_000_000));
}

test('flat rows make the same batch as rows in arrays', () => {
  const expected = bytes((b) => ARRAYS.forEach((row) => b.addRow(row)));
  assert.deepEqual(bytes((b) => assert.equal(appendRows(b, FLAT, 0, FLAT.length, Infinity), 5)), expected);
  assert.deepEqual(bytes((b) => assert.equal(appendRows(b, ARRAYS, 0, ARRAYS.length, Infinity), 5)), expected);
  assert.deepEqual(FLAT.toArrays(), ARRAYS);
});

test('appendRows stops when the builder is full, and goes on from there', () => {
  for (const rows of [FLAT, ARRAYS]) {
    const parts: Uint8Array[] = [];
    let b = new BatchBuilder(TYPES, 2);
    let r = appendRows(b, rows, 0, rows.length, 2);
    assert.equal(r, 2);
    parts.push(new Uint8Array(b.finish(1, 42, 5_000_000)));
    b = new BatchBuilder(TYPES, 2);
    r = appendRows(b, rows, r, 4, 2);
    assert.equal(r, 4);
    assert.equal(b.rowCount, 2);
    // Rows [2, 4) match the same rows added one by one.
    const direct = bytes((d) => [ARRAYS[2]!, ARRAYS[3]!].forEach((row) => d.addRow(row)));
    assert.deepEqual(new Uint8Array(b.finish(7, 42, 5_000_000)), direct);
  }
});

test('flat rows without the arrival_timestamp slot are refused', () => {
  const b = new BatchBuilder(TYPES, 2);
  assert.throws(() => appendRows(b, new FlatRows([1, 'a', 2, 'b'], 2, 2), 0, 2, Infinity), /flat rows of 2 values for 2 columns/);
});
