import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OID } from '../../types/oids.js';
import { PgArray } from '../../types/values.js';
import { aggregateCandidates, type AggregateImpl } from './aggregate.js';
import { formatG } from './ordered-set.js';
import { query } from '../select/test-support.js';
import './index.js';

function impl(name: string, argTypes: number[], desc = false): AggregateImpl {
  const def = aggregateCandidates(name).find((d) => d.withinGroup === 'hypothetical' || d.args.every((t, i) => t === argTypes[i] || t === OID.anyelement));
  assert.ok(def, name);
  return def.create(argTypes, argTypes.slice(def.withinGroup === 'hypothetical' ? argTypes.length / 2 : argTypes.length - 1).map(() => ({ desc, nullsFirst: desc, location: -1 })));
}

function run(a: AggregateImpl, rows: unknown[][], split = 0): unknown {
  // Steps two partial states and merges them through serialize/deserialize, as the view engine does.
  let s1 = a.init();
  let s2 = a.init();
  rows.forEach((r, i) => {
    if (i < split) s1 = a.step(s1, r);
    else s2 = a.step(s2, r);
  });
  return a.final(a.merge(a.deserialize(a.serialize(s1)), s2));
}

test('formatG matches C %g', () => {
  assert.equal(formatG(1.5), '1.5');
  assert.equal(formatG(2), '2');
  assert.equal(formatG(-0.00001234567), '-1.23457e-05');
  assert.equal(formatG(1234567.5), '1.23457e+06');
  assert.equal(formatG(0.0001), '0.0001');
  assert.equal(formatG(NaN), 'NaN');
  assert.equal(formatG(-Infinity), '-Infinity');
});

test('percentile_cont interpolates over merged partial states, ignoring NULLs', () => {
  const a = impl('percentile_cont', [OID.float8, OID.float8]);
  assert.equal(run(a, [[0.25, 10], [0.25, null], [0.25, 1], [0.25, 2], [0.25, 2]], 2), 1.75);
  assert.equal(run(a, []), null);
});

test('percentile_disc with an array keeps NULL fractions and the lower bound', () => {
  const a = impl('percentile_disc', [OID._float8, OID.int4]);
  const fr = new PgArray(OID.float8, [0, null, 0.5, 1]);
  const out = run(a, [[fr, 3], [fr, 1], [fr, 2]], 1) as PgArray;
  assert.deepEqual(out.items, [1, null, 2, 3]);
  assert.equal(out.elemType, OID.int4);
});

test('percentile out of range raises 22003 with the %g text', () => {
  const a = impl('percentile_cont', [OID.float8, OID.float8]);
  assert.throws(() => run(a, [[1.5, 1]]), { code: '22003', message: 'percentile value 1.5 is not between 0 and 1' });
});

test('mode picks the first of equally frequent values in sort order', () => {
  assert.equal(run(impl('mode', [OID.int4]), [[3], [1], [3], [1], [2]], 2), 1);
  assert.equal(run(impl('mode', [OID.int4], true), [[3], [1], [3], [1], [2]], 2), 3);
});

test('hypothetical-set aggregates count rows before and peers of the hypothetical row', () => {
  const rows = [[2, 1], [2, 2], [2, 2], [2, 10], [2, null]];
  assert.equal(run(impl('rank', [OID.float8, OID.float8]), rows, 3), 2n);
  assert.equal(run(impl('dense_rank', [OID.float8, OID.float8]), [[3, 1], [3, 1], [3, 2], [3, 3]], 1), 3n);
  assert.equal(run(impl('percent_rank', [OID.float8, OID.float8]), rows, 3), 0.2);
  assert.equal(run(impl('cume_dist', [OID.float8, OID.float8]), rows, 3), 4 / 6);
  assert.equal(run(impl('rank', [OID.float8, OID.float8]), []), 1n);
  assert.equal(run(impl('cume_dist', [OID.float8, OID.float8]), []), 1);
});

test('SQL: WITHIN GROUP calls resolve types and errors as PostgreSQL does', () => {
  assert.deepEqual(query('SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM (VALUES (1), (4)) t(x)').rows, [['2.5']]);
  assert.deepEqual(query('SELECT rank(3) WITHIN GROUP (ORDER BY x DESC) FROM (VALUES (1), (4)) t(x)').rows, [['2']]);
  assert.throws(() => query('SELECT percentile_cont(2) WITHIN GROUP (ORDER BY x) FROM (VALUES (1)) t(x) WHERE false'), { code: '22003' });
  assert.throws(() => query('SELECT count(*) WITHIN GROUP (ORDER BY x) FROM (VALUES (1)) t(x)'), {
    code: '42809',
    message: 'count is not an ordered-set aggregate, so it cannot have WITHIN GROUP',
  });
  assert.throws(() => query('SELECT rank(1) FROM (VALUES (1)) t(x)'), { code: '42809', message: 'WITHIN GROUP is required for ordered-set aggregate rank' });
});
