import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PgError, SQLSTATE } from '../errors.js';
import { OID } from '../types/oids.js';
import { defaultIoContext } from '../types/io-context.js';
import type { RowEncoder } from './row-encoder.js';
import { sendRowsAsRead } from './send-result.js';
import { computedColumn } from './statement-plan.js';

/**
 * A session whose output keeps each DataRow's text in `log` and says it must
 * wait after every `blockEvery`-th row (a client reading slower than the
 * rows are made); a wait ends on the next turn of the event loop.
 */
function fakeSession(blockEvery: number, checkInterrupts: () => void = () => {}) {
  const log: string[] = [];
  let rows = 0;
  const out = {
    mustWait: false,
    dataRow(row: unknown[], encoder: RowEncoder) {
      log.push(`sent ${row.map((_, i) => encoder.encode(row, i)).join(',')}`);
      if (++rows % blockEvery === 0) out.mustWait = true;
    },
    waitForDrain(): Promise<void> {
      log.push('wait');
      return new Promise((resolve) =>
        setImmediate(() => {
          out.mustWait = false;
          resolve();
        }),
      );
    },
  };
  const io = defaultIoContext();
  const session = { out, settings: { ioContext: () => io }, checkInterrupts } as unknown as Parameters<typeof sendRowsAsRead>[0];
  return { log, session };
}

const columns = [computedColumn('id', OID.int4), computedColumn('count', OID.int8)];

test('sendRowsAsRead encodes each row as it is read and answers how many', async () => {
  const { log, session } = fakeSession(1000);
  function* rows() {
    for (let i = 0; i < 3; i++) yield [i, BigInt(i * 10)];
  }
  assert.equal(await sendRowsAsRead(session, columns, [0, 0], rows()), 3);
  assert.deepEqual(log, ['sent 0,0', 'sent 1,10', 'sent 2,20']);
});

test('a slow client: the next row is made after the output drains, and other work runs meanwhile', async () => {
  const { log, session } = fakeSession(2);
  function* rows() {
    for (let i = 0; i < 5; i++) {
      log.push(`made ${i}`);
      yield [i, 1n];
    }
  }
  setImmediate(() => log.push('other work'));
  assert.equal(await sendRowsAsRead(session, columns, [0, 0], rows()), 5);
  assert.deepEqual(log, [
    'made 0', 'sent 0,1', 'made 1', 'sent 1,1', 'wait',
    'other work',
    'made 2', 'sent 2,1', 'made 3', 'sent 3,1', 'wait',
    'made 4', 'sent 4,1',
  ]);
});

test('a cancel that came during a wait ends the statement there and closes the rows', async () => {
  let cancelled = false;
  const { log, session } = fakeSession(2, () => {
    if (cancelled) throw new PgError(SQLSTATE.query_canceled, 'canceling statement due to user request');
  });
  let closed = false;
  function* rows() {
    try {
      // Bounded, so that a missed cancel fails the test instead of hanging it.
      for (let i = 0; i < 10_000; i++) yield [i, 1n];
    } finally {
      closed = true;
    }
  }
  setImmediate(() => (cancelled = true));
  await assert.rejects(sendRowsAsRead(session, columns, [0, 0], rows()), (e: unknown) => e instanceof PgError && e.code === '57014');
  assert.deepEqual(log, ['sent 0,1', 'sent 1,1', 'wait']);
  assert.equal(closed, true);
});
