// The reference computations the engine suites compare against: numeric
// division text as PostgreSQL prints it (values taken from PostgreSQL 15,
// whose numeric division is PostgreSQL 11's) and the seeded generator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupTotals, numericDivText, seededInts } from './engine-helpers.js';

test('numericDivText matches PostgreSQL numeric division', () => {
  const cases: [bigint, bigint, string][] = [
    [11n, 2n, '5.5000000000000000'],
    [14n, 3n, '4.6666666666666667'],
    [7000000n, 1n, '7000000.000000000000'],
    [7n, 3n, '2.3333333333333333'],
    [42n, 4n, '10.5000000000000000'],
    [65533n, 4n, '16383.250000000000'],
    [4294967293n, 4n, '1073741823.25000000'],
    [18446744073709551613n, 4n, '4611686018427387903'],
    [4294967342n, 9n, '477218593.55555556'],
    [18446744073709551917n, 8n, '2305843009213693990'],
    [1n, 3n, '0.33333333333333333333'],
    [-2n, 3n, '-0.66666666666666666667'],
    [0n, 5n, '0.00000000000000000000'],
    [9999n, 10000n, '0.99990000000000000000'],
    [10000n, 9999n, '1.0001000100010001'],
  ];
  for (const [a, b, want] of cases) assert.equal(numericDivText(a, b), want, `${a} / ${b}`);
});

test('seededInts is deterministic and stays in range', () => {
  const a = seededInts(42);
  const b = seededInts(42);
  for (let i = 0; i < 1000; i++) {
    const x = a(1, 100);
    assert.equal(x, b(1, 100));
    assert.ok(x >= 1 && x <= 100);
  }
});

test('GroupTotals rows are ordered by key with PostgreSQL avg text', () => {
  const t = new GroupTotals();
  t.add(2, 5);
  t.add(1, 6);
  t.add(1, 5);
  assert.deepEqual(t.cv1Rows(), [
    ['1', '2', '5.5000000000000000', '5', '6', '11'],
    ['2', '1', '5.0000000000000000', '5', '5', '5'],
  ]);
  assert.deepEqual(t.totals(), { rows: 3, sum: 16n, groups: 2 });
});
