// WHERE pushdown into keyed relations: which predicates read one row through
// Relation.lookup (with which key values) and which fall back to the scan,
// and that both give the same rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OID } from '../../types/oids.js';
import { Numeric } from '../../types/values.js';
import { parseNumeric } from '../../types/numeric.js';
import { evalContext, plan, query, type RunOptions } from './test-support.js';
import type { Relation, RelationProvider } from './relation.js';

const day = (iso: string) => (Date.parse(iso) - Date.UTC(2000, 0, 1)) / 86_400_000;

/** Counts how a relation was read; lookups keep the key values they were asked for. */
interface Reads {
  scans: number;
  lookups: unknown[][];
}

function sameKey(a: unknown, b: unknown): boolean {
  if (a instanceof Numeric && b instanceof Numeric) return a.value.eq(b.value);
  return a === b;
}

function keyed(columns: [string, number][], keyColumns: number[], rows: unknown[][], reads: Reads): Relation {
  return {
    columns: columns.map(([name, type]) => ({ name, type, typmod: -1 })),
    scan: () => {
      reads.scans++;
      return rows;
    },
    keyColumns,
    lookup: (values) => {
      reads.lookups.push(values);
      return rows.find((r) => keyColumns.every((c, i) => sameKey(r[c], values[i]))) ?? null;
    },
  };
}

function fixture() {
  const reads: Reads = { scans: 0, lookups: [] };
  const cv = keyed(
    [['id', OID.int4], ['count', OID.int8], ['name', OID.varchar], ['amount', OID.numeric]],
    [0],
    [
      [42, 3n, 'w1', parseNumeric('1.50')],
      [7, 1n, 'w2', parseNumeric('2')],
      [null, 5n, null, null],
    ],
    reads,
  );
  const daily = keyed(
    [['day', OID.date], ['worker', OID.text], ['count', OID.int8]],
    [0, 1],
    [
      [day('2026-01-01'), 'w1', 10n],
      [day('2026-01-01'), 'w2', 20n],
      [day('2026-01-02'), 'w1', 30n],
    ],
    reads,
  );
  const byName = keyed([['name', OID.varchar], ['count', OID.int8]], [0], [['a', 1n], ['b', 2n]], reads);
  const byBig = keyed([['big', OID.int8], ['count', OID.int8]], [0], [[5_000_000_000n, 1n], [3n, 2n]], reads);
  const byAmount = keyed([['amount', OID.numeric], ['count', OID.int8]], [0], [[parseNumeric('1.50'), 4n]], reads);
  const total = keyed([['count', OID.int8]], [], [[99n]], reads);
  const plain: Relation = { columns: cv.columns, scan: cv.scan };
  const all: Record<string, Relation> = { cv, daily, by_name: byName, by_big: byBig, by_amount: byAmount, total, plain };
  const relations: RelationProvider = { lookup: (schema, name) => (schema === null ? all[name] ?? null : null) };
  return { reads, relations };
}

/** Text rows of a query and how the relations were read. */
function run(sql: string, opts: RunOptions = {}) {
  const { reads, relations } = fixture();
  const rows = query(sql, { ...opts, relations }).rows.map((r) => r.join('|'));
  return { rows, scans: reads.scans, lookups: reads.lookups };
}

const keyOf = (lookups: unknown[][]) => lookups.map((k) => k.map((v) => (v instanceof Numeric ? `N${v.value.toString()}` : v)));

test('an equality on the whole key reads one row', () => {
  for (const sql of ['select * from cv where id = 42', 'select * from cv where 42 = id', 'select * from cv c where c.id = 42']) {
    const r = run(sql);
    assert.deepEqual(r.rows, ['42|3|w1|1.50'], sql);
    assert.equal(r.scans, 0, sql);
    assert.deepEqual(r.lookups, [[42]], sql);
  }
  const absent = run('select * from cv where id = 43');
  assert.deepEqual(absent, { rows: [], scans: 0, lookups: [[43]] });
  // Projection, aggregation, ORDER BY and LIMIT work on the looked-up row.
  assert.deepEqual(run('select count * 2, upper(name) from cv where id = 42').rows, ['6|W1']);
  assert.deepEqual(run('select count(*) from cv where id = 43'), { rows: ['0'], scans: 0, lookups: [[43]] });
  assert.deepEqual(run('select id from cv where id = 42 order by 1 limit 1 offset 1').rows, []);
});

test('the remaining conjuncts still filter the looked-up row', () => {
  assert.deepEqual(run('select id from cv where id = 42 and count > 2'), { rows: ['42'], scans: 0, lookups: [[42]] });
  assert.deepEqual(run('select id from cv where count > 3 and id = 42'), { rows: [], scans: 0, lookups: [[42]] });
  // Two values for one key column: the first is looked up, the second filters it out.
  assert.deepEqual(run('select id from cv where id = 42 and id = 7'), { rows: [], scans: 0, lookups: [[42]] });
  assert.deepEqual(run('select id from cv where (id = 42 and true) and name = \'w1\'').lookups, [[42]]);
});

test('parameters are evaluated per execution of one plan', () => {
  const { reads, relations } = fixture();
  const { plan: p, paramTypes } = plan('select id, count from cv where id = $1', { relations });
  assert.deepEqual(paramTypes, [OID.int4]);
  const out: unknown[][][] = [];
  for (const v of [42, 7, 8, null, 42]) out.push(p.run(evalContext({ params: [v] })));
  assert.deepEqual(out, [[[42, 3n]], [[7, 1n]], [], [], [[42, 3n]]]);
  // NULL = anything is never true: no lookup for it.
  assert.deepEqual(reads.lookups, [[42], [7], [8], [42]]);
  assert.equal(reads.scans, 0);
});

test('NULL keys: = NULL finds nothing, IS NULL finds the NULL group', () => {
  assert.deepEqual(run('select count from cv where id = null'), { rows: [], scans: 0, lookups: [] });
  assert.deepEqual(run('select count from cv where id is null'), { rows: ['5'], scans: 0, lookups: [[null]] });
  assert.deepEqual(run('select count from cv where id = $1', { params: [null] }), { rows: [], scans: 0, lookups: [] });
});

test('multi-column keys need every column fixed', () => {
  const both = run(`select count from daily where day = '2026-01-01' and worker = 'w2'`);
  assert.deepEqual(both, { rows: ['20'], scans: 0, lookups: [[day('2026-01-01'), 'w2']] });
  const params = run('select count from daily where worker = $2 and day = $1', { params: [day('2026-01-02'), 'w1'] });
  assert.deepEqual(params, { rows: ['30'], scans: 0, lookups: [[day('2026-01-02'), 'w1']] });
  const one = run(`select count from daily where day = '2026-01-01' order by 1`);
  assert.deepEqual(one, { rows: ['10', '20'], scans: 1, lookups: [] });
});

test('types: varchar through its text cast, int8, numeric by value, integer widening', () => {
  assert.deepEqual(run(`select count from by_name where name = 'b'`), { rows: ['2'], scans: 0, lookups: [['b']] });
  assert.deepEqual(run(`select count from by_name where name = 'b'::text`).lookups, [['b']]);
  assert.deepEqual(run('select count from by_big where big = 5000000000'), { rows: ['1'], scans: 0, lookups: [[5_000_000_000n]] });
  assert.deepEqual(run('select count from by_big where big = 3').lookups, [[3n]]);
  const num = run('select amount, count from by_amount where amount = 1.5000');
  assert.deepEqual({ ...num, lookups: keyOf(num.lookups) }, { rows: ['1.50|4'], scans: 0, lookups: [['N1.5']] });
  // An int4 key compared as int8: the value comes back to int4, or matches nothing when out of its range.
  assert.deepEqual(run('select count from cv where id = 42::int8'), { rows: ['3'], scans: 0, lookups: [[42]] });
  assert.deepEqual(run('select count from cv where id = 99999999999'), { rows: [], scans: 0, lookups: [] });
  assert.deepEqual(run('select count from cv where id = $1', { params: [7n], paramTypes: [OID.int8] }), { rows: ['1'], scans: 0, lookups: [[7]] });
});

test('a relation with an empty key is read by lookup even without WHERE', () => {
  assert.deepEqual(run('select * from total'), { rows: ['99'], scans: 0, lookups: [[]] });
});

test('everything else scans', () => {
  const scanned = [
    'select id from cv where id = 1 or id = 42',
    'select id from cv where id in (42, 43)',
    `select id from cv where id::text = '42'`,
    'select id from cv where id + 0 = 42',
    'select id from cv where id = 42.0',
    'select id from cv where id = count + 39',
    'select id from cv where id = (random() * 0)::int + 42',
    'select id from cv where id = (select 42)',
    'select id from cv where not (id <> 42)',
    'select id from cv where id is not null and id = 42 or false',
    'select id from plain where id = 42',
    'select c.id from cv c, total t where c.id = 42',
    'select id from (select * from cv) s where id = 42',
  ];
  for (const sql of scanned) {
    const r = run(sql);
    assert.deepEqual(r.lookups, [], sql);
    assert.ok(r.scans >= 1, sql);
    assert.deepEqual(r.rows, ['42'], sql);
  }
});

test('stable functions and casts of constants are evaluated once per execution', () => {
  assert.deepEqual(run(`select count from cv where id = length('x' || 'y') * 21`), { rows: ['3'], scans: 0, lookups: [[42]] });
  assert.deepEqual(run(`select count from daily where day = '2026-01-02'::timestamp::date and worker = lower('W1')`).rows, ['30']);
});
