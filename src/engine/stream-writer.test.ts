import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OID } from '../types/oids.js';
import { decodeBatch } from '../worker/batch-format.js';
import type { StreamEntry } from '../storage/stream-catalog.js';
import type { BatchToSend, Engine } from './engine.js';
import { AsyncStreamBuffer, SharedSyncBatch, StatementBatches } from './stream-writer.js';
import { FlatRows, type StatementRows } from './statement-rows.js';

const STREAM: StreamEntry = {
  kind: 'stream',
  oid: 42,
  dbOid: 1,
  schema: 'public',
  name: 's',
  columns: [
    { name: 'id', typeOid: OID.int4, typmod: -1 },
    { name: 't', typeOid: OID.text, typmod: -1 },
  ] as StreamEntry['columns'],
};
// Five rows of the two columns and arrival_timestamp (null: the batch's own).
const ARRAYS: unknown[][] = [1, 2, 3, 4, 5].map((i) => [i, i % 2 ? `r${i}` : null, null]);
const FLAT = new FlatRows(ARRAYS.flat(), 3, ARRAYS.length);

/** An engine that numbers batches and keeps what it is sent. */
function fakeEngine(): { engine: Engine; sent: BatchToSend[] } {
  let id = 0;
  const sent: BatchToSend[] = [];
  const engine = {
    newBatchId: () => ++id,
    send: (b: BatchToSend) => {
      sent.push(b);
      return Promise.resolve();
    },
  } as unknown as Engine;
  return { engine, sent };
}

/** Each batch's rows, the declared columns only. */
function rowsOf(bufs: ArrayBuffer[]): unknown[][][] {
  return bufs.map((buf) => {
    const b = decodeBatch(buf);
    return Array.from({ length: b.rowCount }, (_, i) => {
      const out: unknown[] = [];
      b.row(i, out);
      return out.slice(0, 2);
    });
  });
}

const EXPECTED = [[[1, 'r1'], [2, null]], [[3, 'r3'], [4, null]], [[5, 'r5']]];

test('a statement\'s rows, flat or in arrays, are cut in the same batches', () => {
  for (const rows of [ARRAYS, FLAT] as StatementRows[]) {
    const { engine } = fakeEngine();
    const batches = new StatementBatches(engine, STREAM, 2);
    batches.addRows(rows);
    const done = batches.finish();
    assert.deepEqual(done.map((b) => b.batchId), [1, 2, 3]);
    assert.deepEqual(rowsOf(done.map((b) => b.buf)), EXPECTED);
  }
});

test('an async buffer sends flat rows at batch_size, the rest on flush', () => {
  for (const rows of [ARRAYS, FLAT] as StatementRows[]) {
    const { engine, sent } = fakeEngine();
    const buffer = new AsyncStreamBuffer(engine, STREAM, null, 2, 60_000);
    buffer.add(rows);
    assert.equal(sent.length, 2);
    buffer.flush();
    assert.deepEqual(rowsOf(sent.map((b) => b.buf)), EXPECTED);
  }
});

test('a shared batch takes flat rows whole, after sending what it held when they would overflow it', async () => {
  for (const rows of [ARRAYS, FLAT] as StatementRows[]) {
    const { engine, sent } = fakeEngine();
    const shared = new SharedSyncBatch(engine, STREAM, null, 'sync_receive', 6);
    const first = shared.add(new FlatRows([0, 'z', null, 0, 'y', null], 3, 2));
    const second = shared.add(rows);
    await Promise.all([first, second]);
    assert.deepEqual(rowsOf(sent.map((b) => b.buf)), [[[0, 'z'], [0, 'y']], EXPECTED.flat()]);
  }
});
