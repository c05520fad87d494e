// TopN keeps exactly the first `bound` rows of a stable sort of its input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PgError, SQLSTATE } from '../../errors.js';
import { TestLimits } from '../functions/test-support.js';
import { evalContext } from './test-support.js';
import { TopN } from './top-n.js';

const byFirst = (a: unknown[], b: unknown[]): number => (a[0] as number) - (b[0] as number);

/** A deterministic pseudo-random sequence (LCG), so failures repeat. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

test('TopN equals the head of a stable sort, ties in input order', () => {
  const random = lcg(7);
  for (const n of [0, 1, 2, 5, 100, 1000]) {
    for (const distinct of [2, 10, 1_000_000]) {
      // [sort value, input position]: equal sort values must keep input order.
      const rows = Array.from({ length: n }, (_, i) => [Math.floor(random() * distinct), i]);
      const expected = rows.slice().sort(byFirst);
      for (const bound of [0, 1, 2, 3, 7, 64, n, n + 5]) {
        const top = new TopN(byFirst, bound, evalContext(), false);
        for (const r of rows) top.offer(r);
        assert.deepEqual(top.sorted(), expected.slice(0, bound), `n ${n}, distinct ${distinct}, bound ${bound}`);
      }
    }
  }
});

test('TopN counts the rows it holds only when asked, and checks interrupts', () => {
  const counted = new TestLimits();
  const top = new TopN(byFirst, 10, evalContext({ limits: counted }), true);
  for (let i = 0; i < 10_000; i++) top.offer([10_000 - i]);
  assert.deepEqual(top.sorted().map((r) => r[0]), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(counted.rowsCounted, 10);
  assert.ok(counted.interruptChecks >= 2, `checks: ${counted.interruptChecks}`);

  const uncounted = new TestLimits();
  const passThrough = new TopN(byFirst, 10, evalContext({ limits: uncounted }), false);
  for (let i = 0; i < 100; i++) passThrough.offer([i]);
  passThrough.sorted();
  assert.equal(uncounted.rowsCounted, 0);

  let checks = 0;
  const canceled = new TopN(byFirst, 10, {
    ...evalContext(),
    checkInterrupts: () => {
      if (++checks === 2) throw new PgError(SQLSTATE.query_canceled, 'canceling statement due to user request');
    },
  }, false);
  assert.throws(() => {
    for (let i = 0; i < 100_000; i++) canceled.offer([i]);
  }, (e: unknown) => e instanceof PgError && e.code === '57014');
});
