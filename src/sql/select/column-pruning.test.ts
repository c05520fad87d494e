// Named relations are told which columns a query reads, so a continuous view
// finalizes only those; every clause that reads a column must count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OID } from '../../types/oids.js';
import type { Relation, RelationProvider } from './relation.js';
import { query } from './test-support.js';

/** A relation t(a, b, c, d) of two rows that records the `needed` mask of each scan. */
function recording(): { relations: RelationProvider; masks: (readonly boolean[] | undefined)[] } {
  const masks: (readonly boolean[] | undefined)[] = [];
  const t: Relation = {
    columns: ['a', 'b', 'c', 'd'].map((name) => ({ name, type: OID.int4, typmod: -1 })),
    *scan(_ctx, needed) {
      masks.push(needed);
      const rows = [[1, 10, 100, 1000], [2, 20, 200, 2000]];
      for (const r of rows) yield needed ? r.map((v, i) => (needed[i] ? v : null)) : r;
    },
  };
  return { relations: { lookup: (_s, name) => (name === 't' ? t : null) }, masks };
}

function maskOf(sql: string): { mask: readonly boolean[] | undefined; rows: (string | null)[][] } {
  const { relations, masks } = recording();
  const r = query(sql, { relations });
  return { mask: masks[0], rows: r.rows };
}

test('only the columns some clause reads are asked for', () => {
  assert.deepEqual(maskOf('select sum(b) from t').mask, [false, true, false, false]);
  assert.deepEqual(maskOf('select a from t where c > 150').mask, [true, false, true, false]);
  assert.deepEqual(maskOf('select a, count(*) from t group by a order by a').mask, [true, false, false, false]);
  assert.deepEqual(maskOf('select a from t order by d').mask, [true, false, false, true]);
  assert.deepEqual(maskOf('select sum(b) filter (where d > 1500) from t').mask, [false, true, false, true]);
  assert.deepEqual(maskOf("select string_agg(a::text, ' ' order by c) from t").mask, [true, false, true, false]);
  assert.deepEqual(maskOf('select generate_series(1, a) from t').mask, [true, false, false, false]);
  assert.deepEqual(maskOf('select count(*) from t having max(c) > 0').mask, [false, false, true, false]);
  assert.deepEqual(maskOf('select 1 from t').mask, [false, false, false, false]);
});

test('values are right when columns are pruned', () => {
  assert.deepEqual(maskOf('select sum(b) from t').rows, [['30']]);
  assert.deepEqual(maskOf('select a from t where c > 150').rows, [['2']]);
});

test('every column for *, join conditions, lateral functions and sub-selects', () => {
  assert.deepEqual(maskOf('select * from t').mask, [true, true, true, true]);
  const join = recording();
  query('select x.a from t x join t y on x.b = y.c', { relations: join.relations });
  assert.deepEqual(join.masks, [[true, true, false, false], [false, false, true, false]]);
  const lateral = recording();
  query('select g from t, generate_series(1, t.d) g where t.a = 1', { relations: lateral.relations });
  assert.deepEqual(lateral.masks, [[true, false, false, true]]);
  assert.equal(maskOf('select a from t where b in (select 1)').mask, undefined);
});
