import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSync } from 'libpg-query';
import { planLiteralInsert, scanLiteralInsert, type LiteralInsert } from './literal-insert.js';
import { planStreamInsert, type StreamTarget } from './insert-rows.js';
import { OID } from '../types/oids.js';
import { defaultIoContext } from '../types/io-context.js';
import { varcharTypmod } from '../types/text.js';
import { formatNumeric, parseNumeric } from '../types/numeric.js';
import { Interval, Numeric } from '../types/values.js';
import { evalContext } from '../sql/select/test-support.js';
import '../sql/builtins.js';

const stream: StreamTarget = {
  name: 's',
  columns: [
    { name: 'id', typeOid: OID.int4, typmod: -1 },
    { name: 'big', typeOid: OID.int8, typmod: -1 },
    { name: 'code', typeOid: OID.varchar, typmod: varcharTypmod(3) },
    { name: 'n', typeOid: OID.numeric, typmod: -1 },
    { name: 'ok', typeOid: OID.bool, typmod: -1 },
    { name: 'iv', typeOid: OID.interval, typmod: -1 },
  ],
};
const ctx = evalContext();

/** The scan's values cut back into rows. */
function rowsOf(lit: LiteralInsert): unknown[][] {
  const rows: unknown[][] = [];
  for (let r = 0, start = 0; r < lit.rowEnds.length; start = lit.rowEnds[r++]!) rows.push(lit.values.slice(start, lit.rowEnds[r]!));
  return rows;
}

function fast(sql: string): unknown[][] {
  const lit = scanLiteralInsert(sql);
  assert.ok(lit, `fast path refused: ${sql}`);
  return planLiteralInsert(lit, stream).execute(ctx).toArrays();
}

function full(sql: string): unknown[][] {
  const stmt = (parseSync(sql) as any).stmts[0].stmt;
  return planStreamInsert(stmt, stream, [], defaultIoContext()).execute([], ctx);
}

/** Same result (or same error) on both paths. */
function same(sql: string): unknown[][] {
  let fastErr: any = null;
  let fullErr: any = null;
  let a: unknown[][] = [];
  let b: unknown[][] = [];
  try {
    a = fast(sql);
  } catch (e) {
    fastErr = e;
  }
  try {
    b = full(sql);
  } catch (e) {
    fullErr = e;
  }
  if (fastErr || fullErr) {
    assert.ok(fastErr && fullErr, `only one path failed: ${fastErr?.message ?? fullErr?.message}`);
    assert.deepEqual([fastErr.code, fastErr.message, fastErr.position], [fullErr.code, fullErr.message, fullErr.position]);
    throw fastErr;
  }
  assert.deepEqual(a, b);
  return a;
}

test('scanning: what the fast path accepts', () => {
  const lit = scanLiteralInsert(`  insert INTO public."s" ( id , "code" ) values (1, 'it''s'),(-2,NULL) ;  `);
  assert.deepEqual(lit && { ...lit, rowEnds: [...lit.rowEnds], locations: [...lit.locations] }, {
    schema: 'public',
    relation: 's',
    columns: [{ name: 'id', location: 27 }, { name: 'code', location: 32 }],
    values: [1, "it's", -2, null],
    rowEnds: [2, 4],
    locations: [49, 52, 62, 65],
  });
  const typed = scanLiteralInsert('INSERT INTO s VALUES (2147483647, -2147483648, 2147483648, 9223372036854775808, 1.50, .5e3, true, FALSE, default)')!;
  assert.deepEqual(rowsOf(typed)[0]!.slice(0, 3), [2147483647, -2147483648, 2147483648n]);
  assert.ok(rowsOf(typed)[0]![3] instanceof Numeric);
  assert.equal(formatNumeric(rowsOf(typed)[0]![4] as Numeric), '1.50');
  assert.equal(formatNumeric(rowsOf(typed)[0]![5] as Numeric), '500');
  assert.deepEqual(rowsOf(typed)[0]!.slice(6), [true, false, null]);
});

test('scanning: integers read inline, and the values around them', () => {
  const lit = scanLiteralInsert('INSERT INTO s VALUES(-0,00012,123456789,1234567890,-999999999)\n ,\f( 7\t, -8 ) ,(9.5,1e3,-0.0);')!;
  assert.deepEqual(rowsOf(lit).slice(0, 2), [[0, 12, 123456789, 1234567890, -999999999], [7, -8]]);
  assert.ok(Object.is(rowsOf(lit)[0]![0], 0));
  assert.deepEqual(rowsOf(lit)[2]!.map((v) => formatNumeric(v as Numeric)), ['9.5', '1000', '0.0']);
  assert.deepEqual([...lit.locations], [21, 24, 30, 40, 51, 68, 72, 79, 83, 87]);
  for (const sql of ['INSERT INTO s VALUES (1abc)', 'INSERT INTO s VALUES (1)(2)', 'INSERT INTO s VALUES (1,)', 'INSERT INTO s VALUES (1),', 'INSERT INTO s VALUES (1$)', 'INSERT INTO s VALUES (-)']) {
    assert.equal(scanLiteralInsert(sql), null, sql);
  }
});

test('scanning: a statement with more values and rows than the scratch offsets hold', () => {
  // Rows of one, two and three values in turn: 5,000 rows, 9,999 values.
  const rows: string[] = [];
  const expected: number[][] = [];
  for (let r = 0; r < 5_000; r++) {
    const row = Array.from({ length: 1 + (r % 3) }, (_, k) => r * 10 + k);
    expected.push(row);
    rows.push(`(${row.join(', ')})`);
  }
  const prefix = 'INSERT INTO s VALUES ';
  const sql = prefix + rows.join(',');
  const lit = scanLiteralInsert(sql)!;
  assert.deepEqual(rowsOf(lit), expected);
  assert.equal(lit.values.length, 9_999);
  assert.equal(lit.locations.length, 9_999);
  // Each location is where the value's text starts.
  for (let p = 0; p < lit.values.length; p++) assert.equal(sql.slice(lit.locations[p]!).match(/^\d+/)![0], String(lit.values[p]), `value ${p}`);
  // The scratch offsets, now grown, serve a small statement exactly.
  const small = scanLiteralInsert('INSERT INTO s VALUES (1, 2), (3)')!;
  assert.deepEqual([...small.rowEnds], [2, 3]);
  assert.deepEqual([...small.locations], [22, 25, 30]);
});

test('scanning: rows longer than the first one, past the list sized from it', () => {
  const rows = [`(1, '${'x'.repeat(200)}')`];
  for (let r = 2; r <= 3_000; r++) rows.push(`(${r}, 'a')`);
  const lit = scanLiteralInsert(`INSERT INTO s (id, code) VALUES ${rows.join(', ')}`)!;
  const got = rowsOf(lit);
  assert.equal(got.length, 3_000);
  assert.deepEqual(got[0], [1, 'x'.repeat(200)]);
  assert.deepEqual(got[2_999], [3_000, 'a']);
  assert.equal(lit.values.length, 6_000);
  assert.ok(got.every((row, r) => row[0] === r + 1));
});

test('scanning: everything else goes to the full parser', () => {
  for (const sql of [
    'INSERT INTO s VALUES (1) RETURNING id',
    'INSERT INTO s VALUES (1); SELECT 1',
    'INSERT INTO s VALUES (1::int)',
    "INSERT INTO s VALUES (E'\\n')",
    'INSERT INTO s VALUES (1 + 1)',
    'INSERT INTO s VALUES ($1)',
    'INSERT INTO s VALUES (now())',
    'INSERT INTO s VALUES (1) -- comment',
    'INSERT INTO s VALUES (/* c */ 1)',
    'INSERT INTO s VALUES (0x10)',
    "INSERT INTO s VALUES ('a' 'b')",
    'INSERT INTO s SELECT 1',
    'INSERT INTO s (select) VALUES (1)',
    'INSERT INTO s VALUES (1',
    "INSERT INTO s VALUES ('unterminated)",
    'INSERT INTO s VALUES (- 1)',
    'INSERT INTO s VALUES (+1)',
    'INSERT INTO s VALUES ()',
    'INSERT INTO s (id) VALUES (1) ON CONFLICT DO NOTHING',
    'WITH x AS (SELECT 1) INSERT INTO s VALUES (1)',
  ]) {
    assert.equal(scanLiteralInsert(sql), null, sql);
  }
});

test('rows match the full path', () => {
  assert.deepEqual(same("INSERT INTO s VALUES (1, 2, 'ab', 1.5, true, '1 day'), (-3, -4, NULL, -0.00, false, NULL)"), [
    [1, 2n, 'ab', parseNumeric('1.5'), true, new Interval(0, 1, 0), null],
    [-3, -4n, null, parseNumeric('-0.00'), false, null, null],
  ]);
  same("INSERT INTO s (code, id, n) VALUES ('abc  ', '42', 7), (12, 2.5, '1e3')");
  same('INSERT INTO s (id, big, n) VALUES (2.5, 3.5, 9223372036854775808)');
  same("INSERT INTO s (arrival_timestamp, id) VALUES ('2000-01-01 00:00:00+00', DEFAULT)");
  same("INSERT INTO s (ok) VALUES ('t'), ('off'), (true)");
});

test('errors match the full path', () => {
  const cases: [string, string][] = [
    ["INSERT INTO s (id) VALUES (1), ('x')", '22P02'],
    ['INSERT INTO s (id) VALUES (true)', '42804'],
    ['INSERT INTO s (ok) VALUES (1)', '42804'],
    ["INSERT INTO s (code) VALUES ('abcd')", '22001'],
    ['INSERT INTO s (id) VALUES (2147483648)', '22003'],
    ['INSERT INTO s (id, nope) VALUES (1, 2)', '42703'],
    ['INSERT INTO s (id, id) VALUES (1, 2)', '42701'],
    ['INSERT INTO s (id) VALUES (1, 2)', '42601'],
    ['INSERT INTO s (id, big) VALUES (1)', '42601'],
    // Rows in order, each checked as PostgreSQL's analysis does: its length
    // against the first row's, then against the targets, then its values.
    ['INSERT INTO s (id) VALUES (1), (2), (3, 4), (5, 6, 7)', '42601'],
    ['INSERT INTO s (id, big) VALUES (1, 2), (3), (4, 5, 6)', '42601'],
    ["INSERT INTO s (id) VALUES ('x'), (1, 2)", '22P02'],
    ['INSERT INTO s (id) VALUES (1, 2), (3)', '42601'],
    // Casts and length checks run after the analysis of every row.
    ['INSERT INTO s (id) VALUES (2147483648), (1, 2)', '42601'],
    ["INSERT INTO s (code) VALUES ('abcd'), (1, 2)", '42601'],
    ["INSERT INTO s (id) VALUES (2147483648), ('x')", '22P02'],
    ["INSERT INTO s (code, id) VALUES ('abcd', 'x')", '22P02'],
    ['INSERT INTO s (id) VALUES (1.5e20), (2147483648)', '22003'],
    ["INSERT INTO s (iv) VALUES ('1 fortnight')", '22007'],
  ];
  for (const [sql, code] of cases) assert.throws(() => same(sql), { code }, sql);
  // Messages and positions as PostgreSQL 15 gives them.
  assert.throws(() => same('INSERT INTO s (id) VALUES (1), (2), (3, 4), (5, 6, 7)'), { message: 'VALUES lists must all be the same length', position: 38 });
  assert.throws(() => same('INSERT INTO s (id, big) VALUES (1, 2), (3), (4, 5, 6)'), { message: 'VALUES lists must all be the same length', position: 41 });
  assert.throws(() => same('INSERT INTO s (id) VALUES (1, 2), (3)'), { message: 'INSERT has more expressions than target columns', position: 31 });
  // The full path analyzes a row's expressions before checking its length,
  // and points at an expression's leftmost token, as PostgreSQL 15 does.
  assert.throws(() => full('INSERT INTO s (id) VALUES (1), (nope, 2)'), { code: '42703', position: 33 });
  assert.throws(() => full('INSERT INTO s (id) VALUES (1), (2 + 3, 4)'), { message: 'VALUES lists must all be the same length', position: 33 });
  assert.throws(() => full('INSERT INTO s (id) VALUES (1, 2 + 3)'), { message: 'INSERT has more expressions than target columns', position: 31 });
  assert.throws(() => full("INSERT INTO s (id, code) VALUES (1, 'a'), ('2'::int, 'b', 3)"), { message: 'VALUES lists must all be the same length', position: 44 });
  // Parameters are typed as a row's values are coerced, after its analysis:
  // one parameter in two columns of different types is inconsistent.
  assert.throws(
    () => planStreamInsert((parseSync('INSERT INTO s (id, code) VALUES ($1, $1)') as any).stmts[0].stmt, stream, [], defaultIoContext()),
    { code: '42P08', message: 'inconsistent types deduced for parameter $1', position: 38 },
  );
});

test('one plan per statement keeps per-column conversions for mixed literal kinds', () => {
  const rows = fast("INSERT INTO s (n) VALUES (1), (2.25), ('3'), (4000000000)");
  assert.deepEqual(rows.map((r) => formatNumeric(r[3] as Numeric)), ['1', '2.25', '3', '4000000000']);
});
