import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addIntSum, intSumOf, intSumToBigint } from './int-sum.js';
import { ByteReader, ByteWriter } from '../../planner/bytes.js';
import { readIntSum, writeIntSum, writeBigint } from '../../planner/value-codec.js';

const LIMIT = 2 ** 50;

test('integer sums stay numbers below 2^50 and become exact bigints beyond', () => {
  assert.equal(addIntSum(0, 5), 5);
  assert.equal(addIntSum(-7, 2147483647), 2147483640);
  assert.equal(addIntSum(LIMIT - 1 - 5, 5), LIMIT - 1);
  assert.equal(addIntSum(LIMIT - 5, 5), 2n ** 50n);
  assert.equal(addIntSum(-(LIMIT - 5), -5), -(2n ** 50n));
  // Past 2^53 a number would round; the bigint form does not.
  let s: number | bigint = 0;
  for (let i = 0; i < 5000; i++) s = addIntSum(s, 2 ** 42 + 1);
  assert.equal(s, 5000n * (2n ** 42n + 1n));
  // Back below the limit, a sum is a number again: one form per value.
  assert.equal(addIntSum(2n ** 51n, -(2 ** 51) as number), 0);
  assert.equal(addIntSum(5, 9223372036854775807n), 9223372036854775812n);
  assert.equal(addIntSum(5, -3n), 2);
  assert.equal(addIntSum(2n ** 60n, 1n), 2n ** 60n + 1n);
  assert.equal(addIntSum(LIMIT - 1, BigInt(LIMIT - 1)), 2n ** 51n - 2n);
  assert.equal(intSumOf(123n), 123);
  assert.equal(intSumToBigint(123), 123n);
});

test('integer sums encode as bigints do and read back in their one form', () => {
  for (const v of [0, 1, -1, 2147483647, -2147483648, LIMIT - 1, -(LIMIT - 1), 2n ** 50n, -(2n ** 50n), 2n ** 70n, -(2n ** 63n)]) {
    const w = new ByteWriter();
    writeIntSum(w, v);
    const wb = new ByteWriter();
    writeBigint(wb, BigInt(v));
    assert.deepEqual([...w.finish()], [...wb.finish()], `bytes of ${v}`);
    const back = readIntSum(new ByteReader(w.finish()));
    assert.equal(back, v);
  }
});
