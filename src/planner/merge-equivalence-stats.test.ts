// Property test for the statistical, bitwise, JSON and collecting aggregates
// in continuous views: rows split into contiguous partials, serialized,
// merged in order (string_agg/array_agg/json*_agg depend on row order, as in
// PostgreSQL) with random round trips through bytes, then finalized, equal
// one-pass aggregation; one-pass aggregation equals the ad-hoc SELECT
// executor over the same rows as VALUES. Exact types compare by text; float8
// results of merged float moments may differ from one pass in the last bits
// (the parallel formula rounds differently), so those compare within 1e-9.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OID } from '../types/oids.js';
import { defaultIoContext } from '../types/io-context.js';
import { textOut } from '../types/type-io.js';
import { parseNumeric } from '../types/numeric.js';
import { parseJsonb } from '../types/jsonb.js';
import { loadParser } from '../sql/parse-statements.js';
import { evalContext, query } from '../sql/select/test-support.js';
import { compileContinuousPlan } from './compile-plan.js';
import type { CompiledContinuousPlan, StreamColumn } from './continuous-plan.js';
import { mulberry32 as prng, pickOne, randomInt, type Rand } from '../testing/prng.js';
import { aggregate as aggregateRows, finalizeAll as finalizeGroups, type Group } from './plan-test-support.js';

await loadParser();
const io = defaultIoContext();
/** Literals carry every bit of a float (17 significant digits). */
const exactIo = { ...io, extraFloatDigits: 3 };
const ctx = evalContext();


const int = randomInt;
const pick = pickOne;

interface ColSpec {
  name: string;
  type: number;
  sqlType: string;
  gen(r: Rand): unknown;
}

const JSONS = ['{"a": 1}', '[1, "x"]', 'null', '2.50', '"s"', 'true'];
const COLUMNS: ColSpec[] = [
  { name: 'i2', type: OID.int2, sqlType: 'int2', gen: (r) => int(r, -5, 5) },
  { name: 'i4', type: OID.int4, sqlType: 'int4', gen: (r) => int(r, -1000, 1000) },
  { name: 'i8', type: OID.int8, sqlType: 'int8', gen: (r) => BigInt(int(r, -9, 9)) * 123456789013n },
  { name: 'f4', type: OID.float4, sqlType: 'float4', gen: (r) => int(r, -20, 20) / 4 },
  { name: 'f8', type: OID.float8, sqlType: 'float8', gen: (r) => int(r, -4000, 4000) / 7 },
  { name: 'y', type: OID.float8, sqlType: 'float8', gen: (r) => int(r, -100, 100) / 3 },
  { name: 'n', type: OID.numeric, sqlType: 'numeric', gen: (r) => parseNumeric((int(r, -30000, 30000) / 1000).toFixed(int(r, 0, 3))) },
  { name: 't', type: OID.text, sqlType: 'text', gen: (r) => pick(r, ['a', 'b', "it's", 'é', '']) },
  { name: 'j', type: OID.jsonb, sqlType: 'jsonb', gen: (r) => parseJsonb(pick(r, JSONS)) },
];
const STREAM_COLUMNS: StreamColumn[] = COLUMNS.map((c) => ({ name: c.name, typeOid: c.type, typmod: -1 }));

const STATS = ['variance', 'var_samp', 'var_pop', 'stddev', 'stddev_samp', 'stddev_pop'];
const REGR = ['corr', 'covar_pop', 'covar_samp', 'regr_avgx', 'regr_avgy', 'regr_count', 'regr_intercept', 'regr_r2', 'regr_slope', 'regr_sxx', 'regr_sxy', 'regr_syy'];

function randomAggregate(r: Rand): string {
  const x = r();
  if (x < 0.35) return `${pick(r, STATS)}(${pick(r, ['i2', 'i4', 'i8', 'f4', 'f8', 'n'])})`;
  if (x < 0.6) return `${pick(r, REGR)}(${pick(r, ['y', 'f8', 'i4'])}, ${pick(r, ['f8', 'y', 'f4', 'i2'])})`;
  if (x < 0.7) return `${pick(r, ['bit_and', 'bit_or'])}(${pick(r, ['i2', 'i4', 'i8'])})`;
  return pick(r, [
    'json_agg(t)', 'json_agg(n)', 'json_agg(j)', 'jsonb_agg(j)', 'jsonb_agg(f8)',
    "json_object_agg(coalesce(t, 'k'), i4)", "jsonb_object_agg(coalesce(t, 'k'), j)",
    "string_agg(t, ',')", 'array_agg(i4)', 'array_agg(t)', 'array_agg(n)',
  ]);
}

function randomView(r: Rand): { select: string; tail: string; grouped: boolean } {
  const items: string[] = [];
  const grouped = r() < 0.5;
  if (grouped) items.push('i2');
  const n = int(r, 1, 4);
  for (let i = 0; i < n; i++) items.push(randomAggregate(r) + (r() < 0.2 ? ' FILTER (WHERE i4 > 0)' : ''));
  return { select: items.join(', '), tail: grouped ? ' GROUP BY i2' : '', grouped };
}

function randomRows(r: Rand, n: number): unknown[][] {
  const rows: unknown[][] = [];
  for (let i = 0; i < n; i++) rows.push(COLUMNS.map((c) => (r() < 0.15 ? null : c.gen(r))));
  return rows;
}

function literal(c: ColSpec, v: unknown): string {
  if (v === null) return `NULL::${c.sqlType}`;
  return `'${textOut(c.type, v, exactIo).replace(/'/g, "''")}'::${c.sqlType}`;
}

function render(plan: CompiledContinuousPlan, rows: unknown[][]): (string | null)[][] {
  return rows
    .map((row) => row.map((v, i) => (v === null ? null : textOut(plan.outputColumns[i].typeOid, v, io))))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

function aggregate(plan: CompiledContinuousPlan, rows: unknown[][]): Map<string, Group> {
  return aggregateRows(plan, rows, ctx);
}

function finalizeAll(plan: CompiledContinuousPlan, groups: Map<string, Group>): unknown[][] {
  return finalizeGroups(plan, groups, ctx);
}

/** Contiguous partials, serialized, merged in order with random round trips through bytes. */
function partitioned(r: Rand, plan: CompiledContinuousPlan, rows: unknown[][]): Map<string, Group> {
  const cuts = Array.from({ length: int(r, 0, 3) }, () => int(r, 0, rows.length)).sort((a, b) => a - b);
  const bounds = [0, ...cuts, rows.length];
  const stored = new Map<string, Group>();
  for (let p = 0; p + 1 < bounds.length; p++) {
    for (const [mk, g] of aggregate(plan, rows.slice(bounds[p], bounds[p + 1]))) {
      const partial = plan.deserializeStates(plan.serializeStates(g.states));
      const s = stored.get(mk);
      if (!s) {
        stored.set(mk, { key: g.key, states: partial });
        continue;
      }
      plan.merge(s.states, partial);
      if (r() < 0.5) s.states = plan.deserializeStates(plan.serializeStates(s.states));
    }
  }
  return stored;
}

/** Exact text equality, except float8 cells, which agree to 1e-9 relative. */
function assertClose(plan: CompiledContinuousPlan, got: (string | null)[][], want: (string | null)[][], label: string): void {
  assert.equal(got.length, want.length, label);
  for (let i = 0; i < got.length; i++) {
    for (let c = 0; c < want[i].length; c++) {
      const g = got[i][c];
      const w = want[i][c];
      if (plan.outputColumns[c].typeOid === OID.float8 && g !== null && w !== null && g !== w) {
        const a = Number(g);
        const b = Number(w);
        assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1e-6), `${label}: ${g} vs ${w}`);
      } else {
        assert.equal(g, w, `${label} (row ${i}, column ${c})`);
      }
    }
  }
}

test('new aggregates: partial states merged equal one pass, and one pass equals the SELECT executor', () => {
  const ITERATIONS = 120;
  let compared = 0;
  for (let seed = 1; seed <= ITERATIONS; seed++) {
    const r = prng(seed * 7919);
    const q = randomView(r);
    const viewSql = `SELECT ${q.select} FROM s${q.tail}`;
    const label = `seed ${seed}: ${viewSql}`;
    const plan = compileContinuousPlan({ name: 'v', query: viewSql, stream: { name: 's', columns: STREAM_COLUMNS } }, io);
    const rows = randomRows(r, int(r, 1, 30));
    const single = render(plan, finalizeAll(plan, aggregate(plan, rows)));
    const merged = render(plan, finalizeAll(plan, partitioned(r, plan, rows)));
    assertClose(plan, merged, single, label);

    if (!q.grouped && single.length === 0) continue;
    const values = rows.map((row) => `(${COLUMNS.map((c, i) => literal(c, row[i])).join(', ')})`).join(',\n');
    const names = COLUMNS.map((c) => c.name).join(', ');
    const expected = query(`SELECT ${q.select} FROM (VALUES ${values}) AS s(${names})${q.tail}`);
    assert.deepEqual(plan.outputColumns.map((c) => c.typeOid), expected.types, label);
    const executor = expected.rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    assert.deepEqual(single, executor, label);
    compared++;
  }
  assert.ok(compared > ITERATIONS / 2, `only ${compared} queries compared with the executor`);
});

test('array_agg(DISTINCT) in a continuous view is set_agg, as in PipelineDB', () => {
  const plan = compileContinuousPlan({ name: 'v', query: 'SELECT array_agg(DISTINCT t) FROM s', stream: { name: 's', columns: STREAM_COLUMNS } }, io);
  assert.equal(plan.outputColumns[0].name, 'array_agg');
  const states = plan.newStates();
  const ti = STREAM_COLUMNS.findIndex((c) => c.name === 't');
  for (const t of ['b', 'a', 'b', null, 'a']) {
    const row = STREAM_COLUMNS.map(() => null as unknown);
    row[ti] = t;
    plan.step(states, row.concat([null]), ctx);
  }
  const [value] = plan.finalize([], plan.deserializeStates(plan.serializeStates(states)), ctx);
  assert.equal(textOut(plan.outputColumns[0].typeOid, value, io), '{b,a,NULL}');
});
