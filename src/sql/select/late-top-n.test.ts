// The late top-N over a relation that reads kept rows later: it returns what
// the plain top-N over whole rows returns, reads a deferrable column only for
// the rows it keeps, evaluates each sort key once per row in target-list
// order, and applies only where no expression would go unevaluated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OID } from '../../types/oids.js';
import { compile } from '../expr/compile.js';
import type { EvalFn, TypedExpr } from '../expr/typed-expr.js';
import { mulberry32 } from '../../testing/prng.js';
import { planLateTopN } from './late-top-n.js';
import type { PartialScan, Relation } from './relation.js';
import { rowComparator } from './sort.js';
import { evalContext } from './test-support.js';
import { TopN } from './top-n.js';

const column = (index: number): TypedExpr => ({ kind: 'column', index, name: `c${index}`, type: OID.int4, typmod: -1, location: -1 });
const byKey = (index: number, desc = false) => ({ index, type: OID.int4, desc, nullsFirst: desc, location: -1 });

/** Rows [key, a, b]; each time a column is computed it is counted, and `b` may be marked not deferrable. */
function fakeRelation(rows: number[][], bDeferrable = true) {
  const computed = [0, 0, 0];
  let wholeReads = 0;
  const count = (r: number[], needed: readonly boolean[]) => r.map((v, i) => (needed[i] ? (computed[i]++, v) : null));
  const rel: Relation = {
    columns: [0, 1, 2].map((i) => ({ name: `c${i}`, type: OID.int4, typmod: -1 })),
    scan: () => rows.map((r) => r.slice()),
    scanPartial(_ctx, needed): PartialScan {
      let at = -1;
      return {
        *[Symbol.iterator]() {
          for (at = 0; at < rows.length; at++) yield count(rows[at]!, needed);
        },
        keep: () => at,
      };
    },
    rowCompleter: (needed) => (kept) => (wholeReads++, count(rows[kept as number]!, needed)),
    deferrable: [true, true, bDeferrable],
  };
  return { rel, computed, wholeReads: () => wholeReads };
}

const rand = mulberry32(3);
const ROWS = Array.from({ length: 5000 }, (_, k) => [k, Math.floor(rand() * 50), Math.floor(rand() * 1000)]);
const ctx = evalContext();
const exprs = [column(0), column(1), column(2)];
const fns = exprs.map(compile);

test('a late top-N returns the plain top-N of whole rows and reads a deferrable column only for the rows it keeps', () => {
  // ORDER BY a DESC, key: outputs 1 and 0.
  const sorter = rowComparator([byKey(1, true), byKey(0)]);
  for (const bound of [1, 7, 40]) {
    const f = fakeRelation(ROWS);
    const late = planLateTopN(f.rel, exprs, fns, [1, 0], sorter, null);
    assert.ok(late, 'applies: no sort key reads b');
    const got = late.run(ctx, bound, null);
    const plain = new TopN(sorter, bound, ctx, false);
    for (const r of ROWS) plain.offer(r.slice());
    assert.deepEqual(got, plain.sorted());
    assert.equal(f.wholeReads(), bound, 'only the rows kept are read again');
    assert.deepEqual(f.computed, [ROWS.length, ROWS.length, bound], 'each column computed once per row it shows in, b for the kept rows alone');
  }
  // A column that is not deferrable is read for every row, as the plain scan reads it, and shown as read then; the key is still deferred.
  const f = fakeRelation(ROWS, false);
  const byA = rowComparator([byKey(1, true)]);
  const late = planLateTopN(f.rel, exprs, fns, [1], byA, null);
  assert.ok(late);
  const got = late.run(ctx, 5, null);
  // Ties keep scan order, as the plain top-N keeps input order.
  assert.deepEqual(got, ROWS.slice().sort((x, y) => y[1]! - x[1]!).slice(0, 5));
  assert.equal(f.computed[2], ROWS.length, 'b is read once per row, not again for the rows kept');
  assert.equal(f.computed[0], 5, 'the key is read for the rows kept only');
  // WHERE filters on the columns it reads.
  const withWhere = planLateTopN(fakeRelation(ROWS).rel, exprs, fns, [1, 0], sorter, column(1))!;
  assert.deepEqual(
    withWhere.run(ctx, 5, (r) => (r[1] as number) > 40),
    ROWS.filter((r) => r[1]! > 40).sort((x, y) => y[1]! - x[1]! || x[0]! - y[0]!).slice(0, 5),
  );
});

test('a late top-N evaluates each sort key once per row, in target-list order, and shows the value it sorted by', () => {
  const calls: string[] = [];
  let draws = 0;
  // A volatile sort key: a new value at every call.
  const volatile: EvalFn = () => (calls.push('v'), (draws = (draws * 7 + 3) % 101));
  const keyFn: EvalFn = (row) => (calls.push('k'), row[0]);
  const outExprs = [column(0), { ...column(1), kind: 'call', name: 'random', args: [] } as unknown as TypedExpr, column(2)];
  const outFns = [keyFn, volatile, fns[2]!];
  // ORDER BY the volatile output, then the key (sort indexes given in ORDER BY order).
  const sorter = rowComparator([byKey(1), byKey(0)]);
  const late = planLateTopN(fakeRelation(ROWS).rel, outExprs, outFns, [1, 0], sorter, null)!;
  assert.ok(late);
  const got = late.run(ctx, 10, null);
  assert.equal(calls.length, 2 * ROWS.length, 'each key once per row');
  assert.ok(calls.every((c, i) => c === (i % 2 === 0 ? 'k' : 'v')), 'the key (output 0) before the volatile output (1)');
  for (let i = 1; i < got.length; i++) assert.ok(sorter(got[i - 1]!, got[i]!) <= 0, 'shown in the order sorted by');
  // The ten smallest draws over all rows are the values shown.
  assert.equal(got.length, 10);
  assert.ok(got.every((r) => (r[1] as number) <= (got[9]![1] as number)));
});

test('a late top-N applies only where every other output is a plain column and some column is left out', () => {
  const { rel } = fakeRelation([[1, 2, 3]]);
  const sorter = rowComparator([byKey(1)]);
  assert.ok(planLateTopN(rel, exprs, fns, [1], sorter, null));
  // An expression over a left-out column would go unevaluated for the rows not kept.
  const expression = { kind: 'call', name: 'int4abs', isOperator: false, args: [column(2)] } as unknown as TypedExpr;
  assert.equal(planLateTopN(rel, [column(0), column(1), expression], fns, [1], sorter, null), null);
  // The sort keys read every output column: nothing to leave out.
  assert.equal(planLateTopN(rel, [column(1), column(2)], fns, [0, 1], sorter, null), null);
  // Nothing deferrable: every column is read for every row anyway.
  assert.equal(planLateTopN({ ...rel, deferrable: [false, false, false] }, exprs, fns, [1], sorter, null), null);
  // No sort key, no relation, or a relation that cannot read rows later.
  assert.equal(planLateTopN(rel, exprs, fns, [], sorter, null), null);
  assert.equal(planLateTopN(null, exprs, fns, [1], sorter, null), null);
  const { scanPartial: _p, rowCompleter: _c, ...plainRelation } = rel;
  assert.equal(planLateTopN(plainRelation, exprs, fns, [1], sorter, null), null);
});
