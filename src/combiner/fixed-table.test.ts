import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixedTable } from './fixed-table.js';
import { PgError } from '../errors.js';
import { ByteWriter } from '../planner/bytes.js';
import { writeIntSum } from '../planner/value-codec.js';

const none = (): undefined => undefined;
const isCorrupt = (e: unknown) => e instanceof PgError && e.code === 'XX001';

/** The states of group `id` as FixedTable writes them. */
function statesOf(table: FixedTable, id: number): number[] {
  const w = new ByteWriter(64);
  for (const g of table.groups(w)) if (g.id === id) return [...g.states];
  throw new Error(`no group ${id}`);
}

/** count n, then a present sum of v (the generic encoding: count uvarint; nullable IntSum). */
function countSum(n: number, v: number): number[] {
  const w = new ByteWriter(32);
  w.uvarint(n);
  w.byte(1);
  writeIntSum(w, v);
  return [...w.buf.subarray(0, w.pos)];
}

test('FixedTable reads a partial where it lies, multi-byte varints exactly, and refuses or rejects what it cannot hold', () => {
  const table = new FixedTable(['count', 'intsum']);
  // The partial lies inside a larger message.
  const message = new Uint8Array([0xff, ...countSum(5, 7), 0xff]);
  assert.equal(table.merge(1, message, 1, message.length - 1, none), true);
  assert.deepEqual(statesOf(table, 1), countSum(5, 7));

  // Values of every varint length up to 2^50, either sign, merge exactly.
  let n = 0;
  let sum = 0;
  for (const v of [1, 127, 128, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 31 + 5, -(2 ** 40), 2 ** 45, -3]) {
    const bytes = Uint8Array.from(countSum(3, v));
    assert.equal(table.merge(2, bytes, 0, bytes.length, none), true);
    n += 3;
    sum += v;
    assert.deepEqual(statesOf(table, 2), countSum(n, sum), `after ${v}`);
  }

  // Counts past 2^31 too.
  const big = Uint8Array.from(countSum(2 ** 35 + 3, 0));
  assert.equal(table.merge(2, big, 0, big.length, none), true);
  assert.deepEqual(statesOf(table, 2), countSum(n + 2 ** 35 + 3, sum));

  // A sum held as a bigint (marker 3) is the object form's: refused, nothing changed.
  const bigSum = new Uint8Array([2, 1, 3]);
  assert.equal(table.merge(1, bigSum, 0, bigSum.length, none), false);
  assert.deepEqual(statesOf(table, 1), countSum(5, 7));
  // A sum past 2^50: refused too.
  const past = Uint8Array.from(countSum(1, 2 ** 50 - 1));
  assert.equal(table.merge(1, past, 0, past.length, none), false);
  assert.deepEqual(statesOf(table, 1), countSum(5, 7));

  // Trailing bytes, a truncated varint, a missing field: corrupt.
  for (const bad of [[2, 1, 14, 9], [2, 1, 0x80], [2]]) {
    const bytes = Uint8Array.from(bad);
    assert.throws(() => table.merge(3, bytes, 0, bytes.length, none), isCorrupt, JSON.stringify(bad));
  }
  // A NULL sum merges as no change.
  const nullSum = new Uint8Array([4, 0]);
  assert.equal(table.merge(1, nullSum, 0, nullSum.length, none), true);
  assert.deepEqual(statesOf(table, 1), countSum(9, 7));
});
