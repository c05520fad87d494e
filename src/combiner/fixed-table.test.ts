import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixedTable } from './fixed-table.js';
import { PgError } from '../errors.js';

/** The message bytes FixedTable's shared reader still points at (it must not keep a worker's message alive). */
function heldBytes(table: FixedTable): Uint8Array {
  return (table as unknown as { reader: { buf: Uint8Array } }).reader.buf;
}

test('FixedTable lets go of the message after a merge, a refusal or a corrupt state', () => {
  const table = new FixedTable(['count', 'intsum']);
  const none = (): undefined => undefined;
  // count 5, sum present (1) with zigzag 2 * 7 = 14 (value-codec: even = integer).
  const message = new Uint8Array([0xff, 5, 1, 14, 0xff]);
  assert.equal(table.merge(1, message, 1, 4, none), true);
  assert.equal(heldBytes(table).length, 0, 'after a merge');

  // A sum held as a bigint (marker 3) is the object form's: refused.
  const bigSum = new Uint8Array([2, 1, 3]);
  assert.equal(table.merge(2, bigSum, 0, bigSum.length, none), false);
  assert.equal(heldBytes(table).length, 0, 'after a refusal');

  // Trailing bytes: corrupt.
  const corrupt = new Uint8Array([2, 1, 14, 9]);
  assert.throws(() => table.merge(3, corrupt, 0, corrupt.length, none), (e: unknown) => e instanceof PgError && e.code === 'XX001');
  assert.equal(heldBytes(table).length, 0, 'after a corrupt state');
});
