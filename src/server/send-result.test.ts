import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PgError } from '../errors.js';
import { OID } from '../types/oids.js';
import { defaultIoContext } from '../types/io-context.js';
import type { RowEncoder } from './row-encoder.js';
import { sendRowsAsRead } from './send-result.js';
import { computedColumn } from './statement-plan.js';

/** A session whose output keeps each DataRow's text and counts 100 unsent bytes per row (a client that reads nothing). */
function fakeSession() {
  const sent: (string | Buffer | null)[][] = [];
  const out = {
    unsentBytes: 0,
    dataRow(row: unknown[], encoder: RowEncoder) {
      sent.push(row.map((_, i) => encoder.encode(row, i)));
      this.unsentBytes += 100;
    },
  };
  const io = defaultIoContext();
  return { sent, session: { out, settings: { ioContext: () => io } } as unknown as Parameters<typeof sendRowsAsRead>[0] };
}

const columns = [computedColumn('id', OID.int4), computedColumn('count', OID.int8)];

test('sendRowsAsRead encodes each row as it is read and answers how many', () => {
  const { sent, session } = fakeSession();
  function* rows() {
    for (let i = 0; i < 3; i++) yield [i, BigInt(i * 10)];
  }
  assert.equal(sendRowsAsRead(session, columns, [0, 0], rows()), 3);
  assert.deepEqual(sent, [['0', '0'], ['1', '10'], ['2', '20']]);
});

test('sendRowsAsRead fails the statement with 53200 once too many bytes wait for the client, and closes the rows', () => {
  const { sent, session } = fakeSession();
  let closed = false;
  function* rows() {
    try {
      for (let i = 0; ; i++) yield [i, 1n];
    } finally {
      closed = true;
    }
  }
  assert.throws(
    () => sendRowsAsRead(session, columns, [0, 0], rows(), 150_000),
    (e: unknown) => e instanceof PgError && e.code === '53200' && e.message === 'out of memory' && /more than 0 MB the client has not read yet/.test(e.detail ?? ''),
  );
  // Looked at every 1,024 rows: the first look past 150,000 bytes is at 2,048 rows.
  assert.equal(sent.length, 2048);
  assert.equal(closed, true);
});
