import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecordBufferPool } from './record-buffers.js';

test('large takes reuse the buffers given back; small ones get their own size and are not kept', () => {
  const pool = new RecordBufferPool();
  const small = pool.take(7);
  assert.equal(small.length, 7);
  assert.equal(small.buffer.byteLength, 56);
  pool.give(small.buffer);
  assert.equal(pool.size, 0);

  const big = pool.take(70_000);
  assert.equal(big.length, 70_000);
  assert.equal(big.byteOffset, 0);
  assert.ok(big.buffer.byteLength >= 8 * 70_000);
  const buffer = big.buffer;
  pool.give(buffer);
  assert.equal(pool.size, 1);
  // Too large for it: a new one; a fitting take gets it back.
  assert.notEqual(pool.take(1_000_000).buffer, buffer);
  assert.equal(pool.take(20_000).buffer, buffer);
  assert.equal(pool.size, 0);
});

test('the pool keeps at most sixteen buffers', () => {
  const pool = new RecordBufferPool();
  const taken = Array.from({ length: 20 }, () => pool.take(70_000));
  for (const t of taken) pool.give(t.buffer);
  assert.equal(pool.size, 16);
});
