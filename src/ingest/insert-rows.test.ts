import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSync } from 'libpg-query';
import { planStreamInsert, type StreamTarget } from './insert-rows.js';
import { OID } from '../types/oids.js';
import { defaultIoContext } from '../types/io-context.js';
import { varcharTypmod } from '../types/text.js';
import { formatNumeric, numericTypmod } from '../types/numeric.js';
import { Numeric } from '../types/values.js';
import { evalContext } from '../sql/select/test-support.js';
import { TestLimits } from '../sql/functions/test-support.js';
import '../sql/builtins.js';

const cv1: StreamTarget = {
  name: 's',
  columns: [
    { name: 'id', typeOid: OID.int4, typmod: -1 },
    { name: 'val', typeOid: OID.int4, typmod: -1 },
    { name: 'code', typeOid: OID.varchar, typmod: varcharTypmod(3) },
  ],
};
const ctx = evalContext({ now: 837_000_000_000_000 });

function planOf(sql: string, paramTypes: number[] = [], stream = cv1) {
  const stmt = (parseSync(sql) as any).stmts[0].stmt;
  return planStreamInsert(stmt, stream, paramTypes, defaultIoContext());
}
const rows = (sql: string, params: unknown[] = [], paramTypes: number[] = []) => planOf(sql, paramTypes).execute(params, ctx);

test('VALUES: literal rows in column order, arrival_timestamp last', () => {
  assert.deepEqual(rows("INSERT INTO s VALUES (1, 2, 'ab'), (3, 4, NULL)"), [
    [1, 2, 'ab', null],
    [3, 4, null, null],
  ]);
  assert.deepEqual(rows('INSERT INTO s (val, id) VALUES (10, 20)'), [[20, 10, null, null]]);
  assert.deepEqual(rows('INSERT INTO s VALUES (1)'), [[1, null, null, null]]);
  assert.deepEqual(rows('INSERT INTO s (id, val) VALUES (DEFAULT, 5)'), [[null, 5, null, null]]);
  assert.deepEqual(rows('INSERT INTO s DEFAULT VALUES'), [[null, null, null, null]]);
  assert.equal(planOf('INSERT INTO s VALUES (1)').width, 4);
});

test('VALUES: expressions, casts and arrival_timestamp given explicitly', () => {
  assert.deepEqual(rows("INSERT INTO s VALUES (1 + 2, '7', 'x' || 'y')"), [[3, 7, 'xy', null]]);
  assert.deepEqual(rows('INSERT INTO s (id, val) VALUES (2.5, 3.5::float8)'), [[3, 4, null, null]]);
  assert.deepEqual(rows("INSERT INTO s (id, arrival_timestamp) VALUES (1, '2000-01-01 00:00:01+00')"), [[1, null, null, 1_000_000]]);
  assert.deepEqual(rows('INSERT INTO s (id, arrival_timestamp) VALUES (1, now())'), [[1, null, null, 837_000_000_000_000]]);
  assert.deepEqual(rows("INSERT INTO s (code) VALUES ('ab   ')"), [[null, null, 'ab ', null]]);
});

test('the plan runs again with fresh rows', () => {
  const p = planOf('INSERT INTO s VALUES (1, 2)');
  const a = p.execute([], ctx);
  a[0]![0] = 99;
  assert.deepEqual(p.execute([], ctx), [[1, 2, null, null]]);
});

test('parameters take their types from the target columns', () => {
  const p = planOf('INSERT INTO s (val, code, id) VALUES ($1, $2, $3 + 1)');
  assert.deepEqual(p.paramTypes, [OID.int4, OID.varchar, OID.int4]);
  assert.deepEqual(p.execute([5, 'abc', 41], ctx), [[42, 5, 'abc', null]]);
  assert.deepEqual(p.execute([null, null, 0], ctx), [[1, null, null, null]]);
  assert.throws(() => p.execute([1, 'abcd', 1], ctx), { code: '22001', message: 'value too long for type character varying(3)' });
  const declared = planOf('INSERT INTO s (id) VALUES ($1)', [OID.int8]);
  assert.deepEqual(declared.paramTypes, [OID.int8]);
  assert.deepEqual(declared.execute([7n], ctx), [[7, null, null, null]]);
  assert.throws(() => declared.execute([2n ** 40n], ctx), { code: '22003', message: 'integer out of range' });
});

test('INSERT ... SELECT', () => {
  const out = rows('INSERT INTO s (id, val) SELECT x % 10, x FROM generate_series(1, 1000) x');
  assert.equal(out.length, 1000);
  assert.deepEqual(out[0], [1, 1, null, null]);
  assert.deepEqual(out[999], [0, 1000, null, null]);
  assert.deepEqual(rows("INSERT INTO s SELECT '5', 6::int8, 7"), [[5, 6, '7', null]]);
  assert.deepEqual(rows('INSERT INTO s (id) VALUES (3), (1), (2) ORDER BY 1 LIMIT 2'), [[1, null, null, null], [2, null, null, null]]);
  assert.throws(() => rows('INSERT INTO s (id) SELECT 2147483648'), { code: '22003', message: 'integer out of range' });
  const p = planOf('INSERT INTO s (id) SELECT $1::int + 1');
  assert.deepEqual(p.paramTypes, [OID.int4]);
  assert.deepEqual(p.execute([1], ctx), [[2, null, null, null]]);
});

test('numeric targets keep their typmod', () => {
  const s: StreamTarget = { name: 'n', columns: [{ name: 'p', typeOid: OID.numeric, typmod: numericTypmod(5, 2) }] };
  const out = planOf("INSERT INTO n VALUES ('1.005'), (2)", [], s).execute([], ctx);
  assert.deepEqual(out.map((r) => formatNumeric(r[0] as Numeric)), ['1.01', '2.00']);
});

test('column list errors', () => {
  assert.throws(() => planOf('INSERT INTO s (id, nope) VALUES (1, 2)'), { code: '42703', message: 'column "nope" of relation "s" does not exist', position: 20 });
  assert.throws(() => planOf('INSERT INTO s (id, id) VALUES (1, 2)'), { code: '42701', message: 'column "id" specified more than once', position: 20 });
  assert.throws(() => planOf("INSERT INTO s VALUES (1, 2, 'ab', now(), 5)"), { code: '42601', message: 'INSERT has more expressions than target columns', position: 42 });
  assert.throws(() => planOf('INSERT INTO s (id, val) VALUES (1)'), { code: '42601', message: 'INSERT has more target columns than expressions', position: 20 });
  assert.throws(() => planOf('INSERT INTO s (id) SELECT 1, 2'), { code: '42601', message: 'INSERT has more expressions than target columns', position: 30 });
  assert.throws(() => planOf('INSERT INTO s (id, val) SELECT 1'), { code: '42601', message: 'INSERT has more target columns than expressions', position: 20 });
});

test('type errors', () => {
  assert.throws(() => planOf('INSERT INTO s (id) VALUES (true)'), {
    code: '42804',
    message: 'column "id" is of type integer but expression is of type boolean',
    hint: 'You will need to rewrite or cast the expression.',
    position: 28,
  });
  assert.throws(() => planOf('INSERT INTO s (id) SELECT true'), { code: '42804', message: 'column "id" is of type integer but expression is of type boolean', position: 27 });
  assert.throws(() => planOf("INSERT INTO s (id) VALUES (1), ('a')"), { code: '22P02', message: 'invalid input syntax for integer: "a"', position: 33 });
  assert.throws(() => planOf("INSERT INTO s (id) VALUES ('x'::text)"), { code: '42804', message: 'column "id" is of type integer but expression is of type text' });
  assert.throws(() => rows("INSERT INTO s (code) VALUES ('abcd')"), { code: '22001', message: 'value too long for type character varying(3)' });
  assert.throws(() => planOf('INSERT INTO s (id) SELECT $1'), { code: '42P18', message: 'could not determine data type of parameter $1' });
});

test('unsupported clauses', () => {
  assert.throws(() => planOf('INSERT INTO s VALUES (1) RETURNING id'), { code: '0A000', message: 'RETURNING is not supported on streams' });
  assert.throws(() => planOf('INSERT INTO s VALUES (1) ON CONFLICT DO NOTHING'), { code: '0A000', message: 'ON CONFLICT is not supported on streams' });
});

/** The rows executeLazily gives (null when it gives none). */
function lazily(sql: string, at = ctx): unknown[][] | null {
  const it = planOf(sql).executeLazily?.([], at) ?? null;
  return it && [...it];
}

test('INSERT ... SELECT over generate_series gives its rows one at a time, the same rows as execute()', () => {
  for (const sql of [
    'INSERT INTO s (id, val) SELECT x % 10, x FROM generate_series(1, 1000) x',
    "INSERT INTO s (code, id) SELECT x::text || 'a', x FROM generate_series(1, 50) x WHERE x % 3 = 0",
    'INSERT INTO s (id) SELECT x FROM generate_series(1, 100) x WHERE x % 2 = 0 OFFSET 5 LIMIT 10',
    'INSERT INTO s (id) SELECT x FROM generate_series(1, 100) x LIMIT 0',
    'INSERT INTO s (id) SELECT x FROM generate_series(1, 100) x OFFSET 200',
    'INSERT INTO s (id) SELECT x FROM generate_series(1, NULL) x',
    'INSERT INTO s (id, val) SELECT x, 2.5 * x FROM generate_series(10, 1, -3) AS x',
    // One set-returning call in the target list, with or without FROM.
    'INSERT INTO s (id) SELECT generate_series(1, 10)',
    'INSERT INTO s (id, val) SELECT generate_series(1, 10) * 2, 7',
    'INSERT INTO s (id) SELECT generate_series(1, NULL)',
    'INSERT INTO s (id, val) SELECT x, generate_series(1, x) FROM generate_series(1, 5) x',
    'INSERT INTO s (id, val) SELECT x, generate_series(x, 3) FROM generate_series(1, 6) x WHERE x % 2 = 1 OFFSET 1 LIMIT 3',
  ]) {
    const got = lazily(sql);
    assert.ok(got, sql);
    assert.deepEqual(got, rows(sql), sql);
  }
  assert.deepEqual(lazily('INSERT INTO s (id, val) SELECT x, generate_series(x, 3) FROM generate_series(1, 6) x WHERE x % 2 = 1 OFFSET 1 LIMIT 3'), [
    [1, 2, null, null],
    [1, 3, null, null],
    [3, 3, null, null],
  ]);
  assert.deepEqual(lazily('INSERT INTO s (id) SELECT x FROM generate_series(1, 100) x WHERE x % 2 = 0 OFFSET 5 LIMIT 3'), [
    [12, null, null, null],
    [14, null, null, null],
    [16, null, null, null],
  ]);
  // OFFSET's rows are computed, as PostgreSQL's Limit node pulls them: their errors show.
  const offsetSql = 'INSERT INTO s (id) SELECT 1/(x-2) FROM generate_series(1, 3) x OFFSET 2';
  assert.throws(() => rows(offsetSql), { code: '22012' });
  assert.throws(() => lazily(offsetSql), { code: '22012' });
  // A value that does not fit fails when its row is made.
  const it = planOf('INSERT INTO s (id) SELECT x FROM generate_series(2147483646, 2147483648) x').executeLazily!([], ctx)![Symbol.iterator]();
  assert.deepEqual(it.next().value, [2147483646, null, null, null]);
  assert.deepEqual(it.next().value, [2147483647, null, null, null]);
  assert.throws(() => it.next(), { code: '22003' });
});

test('rows given one at a time are not held: a billion-row INSERT ... SELECT is read as far as it is consumed', () => {
  const limits = new TestLimits({ rowLimit: 1000 });
  const at = evalContext({ limits });
  const it = planOf('INSERT INTO s (id, val) SELECT x % 7, x FROM generate_series(1, 1000000000) x').executeLazily!([], at)!;
  let n = 0;
  let last: unknown[] = [];
  for (const row of it) {
    last = row;
    if (++n === 50_000) break;
  }
  assert.deepEqual(last, [50_000 % 7, 50_000, null, null]);
  assert.equal(limits.rowsCounted, 0);
  // A cancel is seen while the rows are made.
  assert.ok(limits.interruptChecks > 0);
  // The same with the function in the target list.
  const inTargetList = new TestLimits({ rowLimit: 1000 });
  const values = planOf('INSERT INTO s (id) SELECT generate_series(1, 1000000000)').executeLazily!([], evalContext({ limits: inTargetList }))!;
  n = 0;
  for (const row of values) {
    last = row;
    if (++n === 50_000) break;
  }
  assert.deepEqual(last, [50_000, null, null, null]);
  assert.ok(inTargetList.rowsCounted <= 1, String(inTargetList.rowsCounted));
});

test('a cancel stops a target-list function that gives no rows for most input rows', () => {
  // generate_series(x, 0) is empty for every x > 0: no row comes out to be counted or checked downstream.
  for (const sql of [
    'INSERT INTO s (id) SELECT generate_series(x, 0) FROM generate_series(1, 2000000000) x',
    'INSERT INTO s (id) SELECT generate_series(1, nullif(x, x)) FROM generate_series(1, 2000000000) x',
  ]) {
    const limits = new TestLimits({ interruptAfter: 50 });
    const it = planOf(sql).executeLazily!([], evalContext({ limits }))!;
    assert.throws(() => [...it], { code: '57014' }, sql);
    assert.equal(limits.interruptChecks, 50);
  }
});

test('INSERT ... SELECT that must see every row first (or reads stored rows) has no one-at-a-time form', () => {
  for (const sql of [
    'INSERT INTO s (id) SELECT x FROM generate_series(1, 10) x ORDER BY 1',
    'INSERT INTO s (id) SELECT count(*) FROM generate_series(1, 10) x',
    'INSERT INTO s (id) SELECT DISTINCT x % 2 FROM generate_series(1, 10) x',
    'INSERT INTO s (id, val) SELECT generate_series(1, 10), generate_series(1, 2)',
    "INSERT INTO s (id) SELECT unnest('{1,2}'::int[])",
    'INSERT INTO s (id) SELECT 1',
    'INSERT INTO s (id) SELECT x FROM generate_series(1, 10) x, generate_series(1, 2) y',
    'INSERT INTO s (id) VALUES (3), (1) ORDER BY 1',
    // A sub-select in an expression, at any depth, would be read after earlier batches went out.
    'INSERT INTO s (id, val) SELECT x, (SELECT 1) FROM generate_series(1, 10) x',
    'INSERT INTO s (id) SELECT x FROM generate_series(1, 10) x WHERE EXISTS (SELECT 1)',
    'INSERT INTO s (id) SELECT y FROM (SELECT x + (SELECT 1) AS y FROM generate_series(1, 10) x) t',
  ]) {
    assert.equal(lazily(sql), null, sql);
  }
});
