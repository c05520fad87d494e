// The late top-N over a relation that completes rows later: it returns what
// the plain top-N over whole rows returns, reads rows whole only for the rows
// it keeps, and applies only where no expression would go unevaluated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OID } from '../../types/oids.js';
import { compile } from '../expr/compile.js';
import type { TypedExpr } from '../expr/typed-expr.js';
import { mulberry32 } from '../../testing/prng.js';
import { planLateTopN } from './late-top-n.js';
import type { PartialScan, Relation } from './relation.js';
import { rowComparator } from './sort.js';
import { evalContext } from './test-support.js';
import { TopN } from './top-n.js';

const column = (index: number): TypedExpr => ({ kind: 'column', index, name: `c${index}`, type: OID.int4, typmod: -1, location: -1 });

/** Rows [key, a, b]: `b` stands for an expensive column, counted each time it is computed. */
function fakeRelation(rows: number[][]): Relation & { wholeReads: number; bComputed: number } {
  const rel = {
    wholeReads: 0,
    bComputed: 0,
    columns: [0, 1, 2].map((i) => ({ name: `c${i}`, type: OID.int4, typmod: -1 })),
    scan: () => rows.map((r) => r.slice()),
    scanPartial(_ctx: unknown, needed: readonly boolean[]): PartialScan {
      let at = -1;
      return {
        *[Symbol.iterator]() {
          for (at = 0; at < rows.length; at++) {
            const r = rows[at]!;
            if (needed[2]) rel.bComputed++;
            yield r.map((v, i) => (needed[i] ? v : null));
          }
        },
        keep: () => at,
      };
    },
    completeRow(kept: unknown): unknown[] {
      rel.wholeReads++;
      rel.bComputed++;
      return rows[kept as number]!.slice();
    },
  };
  return rel;
}

test('a late top-N returns the plain top-N of whole rows and reads whole only rows it keeps', () => {
  const rand = mulberry32(3);
  const rows = Array.from({ length: 5000 }, (_, k) => [k, Math.floor(rand() * 50), Math.floor(rand() * 1000)]);
  const ctx = evalContext();
  const exprs = [column(0), column(1), column(2)];
  const fns = exprs.map(compile);
  // ORDER BY a DESC, key: outputs 1 and 0.
  const sorter = rowComparator([
    { index: 1, type: OID.int4, desc: true, nullsFirst: true, location: -1 },
    { index: 0, type: OID.int4, desc: false, nullsFirst: false, location: -1 },
  ]);
  for (const bound of [1, 7, 40]) {
    const rel = fakeRelation(rows);
    const late = planLateTopN(rel, exprs, fns, [1, 0], sorter, null);
    assert.ok(late, 'applies: b is read by no sort key');
    const got = late.run(ctx, bound, null, (r) => r.slice());
    const plain = new TopN(sorter, bound, ctx, false);
    for (const r of rows) plain.offer(r.slice());
    assert.deepEqual(got, plain.sorted());
    assert.equal(rel.wholeReads, bound, 'only the rows shown are read whole');
    assert.equal(rel.bComputed, bound, 'the expensive column is computed for them alone');
  }
  // WHERE on the expensive column reads it for every row, and still filters.
  const rel = fakeRelation(rows);
  const where = { kind: 'call', name: '>', isOperator: true, args: [column(2), { kind: 'const', value: 900, type: OID.int4, typmod: -1, location: -1 }] } as unknown as TypedExpr;
  const late = planLateTopN(rel, [column(0), column(1)], [compile(column(0)), compile(column(1))], [1, 0], sorter, where);
  assert.equal(late, null, 'nothing is left to defer once WHERE reads b and no output shows it');
  const withB = planLateTopN(rel, exprs, fns, [1, 0], sorter, column(1));
  assert.ok(withB);
  const filtered = withB.run(ctx, 5, (r) => (r[1] as number) > 40, (r) => r.slice());
  assert.deepEqual(filtered, rows.filter((r) => r[1]! > 40).sort((x, y) => y[1]! - x[1]! || x[0]! - y[0]!).slice(0, 5));
});

test('a late top-N applies only where every other output is a plain column and some column is left out', () => {
  const rel = fakeRelation([[1, 2, 3]]);
  const sorter = rowComparator([{ index: 1, type: OID.int4, desc: false, nullsFirst: false, location: -1 }]);
  const exprs = [column(0), column(1), column(2)];
  const fns = exprs.map(compile);
  assert.ok(planLateTopN(rel, exprs, fns, [1], sorter, null));
  // An expression over a left-out column would go unevaluated for the rows not kept.
  const expression = { kind: 'call', name: 'int4abs', isOperator: false, args: [column(2)] } as unknown as TypedExpr;
  assert.equal(planLateTopN(rel, [column(0), column(1), expression], fns, [1], sorter, null), null);
  // The sort keys read every output column: nothing to leave out.
  assert.equal(planLateTopN(rel, [column(1), column(2)], fns, [0, 1], sorter, null), null);
  // No sort key, no relation, or a relation that cannot complete rows.
  assert.equal(planLateTopN(rel, exprs, fns, [], sorter, null), null);
  assert.equal(planLateTopN(null, exprs, fns, [1], sorter, null), null);
  const { scanPartial: _p, completeRow: _c, ...plainRelation } = rel;
  assert.equal(planLateTopN(plainRelation, exprs, fns, [1], sorter, null), null);
});
