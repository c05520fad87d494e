// Exact aggregates of continuous views against a live PostgreSQL 15. The
// same seeded rows go into a stream on our server (4 workers / 4 combiners,
// so partial states are merged across threads) and into a table on a
// throwaway PostgreSQL 15; every aggregate column of a grouped view must
// equal PostgreSQL's GROUP BY over the table, and combine() of each column
// over all groups must equal the aggregate over the whole table. Exact types
// compare as text; float8 results (computed by a different summation order)
// within 1e-12 relative.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pg15Available, startPostgres15, startTestServer, type TestServer } from '../harness/server.js';
import { withClient } from '../harness/pg-client.js';
import { SYNC_COMMIT, columnTypes, engineSkip, insertStatements, seededInts, textRows } from './engine-helpers.js';

const ROWS = 3000;
const FLOAT8 = 701;
const FLOAT4 = 700;

// Every aggregate whose result does not depend on row order, over each input type it takes.
const AGGREGATES = [
  'count(*)', 'count(i)', 'count(t)',
  'sum(i)', 'sum(b)', 'sum(n)', 'sum(f)', 'sum(iv)',
  'avg(i)', 'avg(b)', 'avg(n)', 'avg(f)', 'avg(iv)',
  'min(i)', 'max(b)', 'min(n)', 'max(f)', 'min(t)', 'max(t)', 'min(d)', 'max(ts)', 'min(iv)',
  'bit_and(i)', 'bit_or(i)', 'bit_and(b)', 'bool_and(bo)', 'bool_or(bo)', 'every(bo)',
  'stddev(i)', 'stddev_pop(n)', 'stddev_samp(b)', 'variance(f)', 'var_pop(i)', 'var_samp(n)',
  'corr(f, i)', 'covar_pop(i, f)', 'covar_samp(f, b)', 'regr_avgx(f, i)', 'regr_avgy(f, i)', 'regr_count(f, i)',
  'regr_intercept(f, i)', 'regr_r2(f, i)', 'regr_slope(f, i)', 'regr_sxx(f, i)', 'regr_sxy(f, i)', 'regr_syy(f, i)',
  'count(DISTINCT t)', 'count(DISTINCT i)',
  'rank(0) WITHIN GROUP (ORDER BY i)', 'dense_rank(0) WITHIN GROUP (ORDER BY i)',
  'percent_rank(0) WITHIN GROUP (ORDER BY i DESC)', 'cume_dist(0.5) WITHIN GROUP (ORDER BY f)',
];

const COLUMNS = 'g text, i int4, b int8, n numeric, f float8, t text, d date, ts timestamp, iv interval, bo bool';
const NAMES = 'g, i, b, n, f, t, d, ts, iv, bo';

function rows(): string[] {
  const r = seededInts(15_15);
  const maybe = (s: string) => (r(0, 9) === 0 ? 'NULL' : s);
  const out: string[] = [];
  for (let k = 0; k < ROWS; k++) {
    const g = r(0, 6) === 0 ? 'NULL' : `'g${r(1, 5)}'`;
    out.push(
      `(${g}, ${maybe(String(r(-1000, 1000)))}, ${maybe(`${r(-9, 9)}${String(r(0, 99_999_999)).padStart(8, '0')}${r(0, 9)}`)}, ` +
        `${maybe(`${r(-500, 500)}.${String(r(0, 99)).padStart(2, '0')}`)}, ${maybe(String(r(-800, 800) / 8))}, ` +
        `${maybe(`'w${r(1, 40)}'`)}, ${maybe(`'2020-01-${String(r(1, 28)).padStart(2, '0')}'`)}, ` +
        `${maybe(`'2021-03-04 ${String(r(0, 23)).padStart(2, '0')}:${String(r(0, 59)).padStart(2, '0')}:00'`)}, ` +
        `${maybe(`'${r(0, 3)} days ${r(0, 23)} hours'`)}, ${maybe(r(0, 1) ? 'true' : 'false')})`,
    );
  }
  return out;
}

function compareRows(ours: (string | null)[][], theirs: (string | null)[][], types: number[], label: string): void {
  assert.equal(ours.length, theirs.length, `${label}: row count`);
  for (let r = 0; r < theirs.length; r++) {
    for (let c = 0; c < types.length; c++) {
      const a = ours[r][c];
      const b = theirs[r][c];
      const what = `${label}: row ${r} (${theirs[r][0]}), column ${c}`;
      if (a === null || b === null || (types[c] !== FLOAT8 && types[c] !== FLOAT4)) {
        assert.equal(a, b, what);
        continue;
      }
      const x = Number(a);
      const y = Number(b);
      assert.ok(Math.abs(x - y) <= 1e-12 * Math.max(1, Math.abs(y)), `${what}: ${a} vs ${b}`);
    }
  }
}

const skip = engineSkip || (pg15Available() ? false : 'PostgreSQL 15 binaries are not installed');
let ours: TestServer | undefined;
let postgres: TestServer | undefined;

before(async () => {
  if (skip) return;
  [ours, postgres] = await Promise.all([
    startTestServer({ settings: { ...SYNC_COMMIT, 'pipelinedb.num_workers': '4', 'pipelinedb.num_combiners': '4' } }),
    startPostgres15(),
  ]);
});

after(async () => {
  await Promise.all([ours?.stop(), postgres?.stop()]);
});

test('exact aggregates of a continuous view and their combine() equal PostgreSQL 15', { skip, timeout: 180_000 }, async () => {
  const values = rows();
  const targets = AGGREGATES.map((a, k) => `${a} AS a${k}`).join(', ');
  const insert = insertStatements('src', NAMES, values, 200);

  const expectedGroups = await withClient(postgres!, async (c) => {
    await c.query('SET extra_float_digits = 0');
    await c.query(`CREATE TABLE src (${COLUMNS})`);
    await c.query(insert);
    const sql = `SELECT g, ${targets} FROM src GROUP BY g ORDER BY g`;
    return { rows: await textRows(c, sql), types: await columnTypes(c, sql) };
  });
  assert.equal(expectedGroups.rows.length, 6, 'five groups and the NULL group');
  assert.equal(expectedGroups.types.length, AGGREGATES.length + 1);
  const expectedTotals = await withClient(postgres!, async (c) => {
    await c.query('SET extra_float_digits = 0');
    return textRows(c, `SELECT ${targets} FROM src`);
  });

  await withClient(ours!, async (c) => {
    await c.query(`CREATE STREAM src (${COLUMNS})`);
    await c.query(`CREATE VIEW v WITH (action=materialize) AS SELECT g, ${targets} FROM src GROUP BY g`);
    // Several statements, so several batches and partial states per group.
    for (const stmt of insert.split(';\n').filter((s) => s.trim())) await c.query(stmt);
    const columns = AGGREGATES.map((_, k) => `a${k}`);
    const groups = await textRows(c, `SELECT g, ${columns.join(', ')} FROM v ORDER BY g`);
    compareRows(groups, expectedGroups.rows, expectedGroups.types, 'per group');
    const totals = await textRows(c, `SELECT ${columns.map((a) => `combine(${a})`).join(', ')} FROM v`);
    compareRows(totals, expectedTotals, expectedGroups.types.slice(1), 'combine() over all groups');
  });
});
