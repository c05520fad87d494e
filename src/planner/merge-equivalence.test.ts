// Property test: for random views over random rows (NULLs included), the
// partial-aggregation path — rows split into partials, serialized, merged
// in random order, re-serialized, finalized — gives exactly the rows of
// feeding everything into one state per group, and exactly what the ad-hoc
// SELECT executor answers for the same query over the same rows as VALUES.
// Values are compared by their text output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OID } from '../types/oids.js';
import { defaultIoContext } from '../types/io-context.js';
import { textOut } from '../types/type-io.js';
import { parseNumeric } from '../types/numeric.js';
import { Interval } from '../types/values.js';
import { loadParser } from '../sql/parse-statements.js';
import { evalContext, query } from '../sql/select/test-support.js';
import { compileContinuousPlan } from './compile-plan.js';
import type { CompiledContinuousPlan, StreamColumn } from './continuous-plan.js';
import { mulberry32 as prng, pickOne, randomInt, type Rand } from '../testing/prng.js';
import { aggregate as aggregateRows, finalizeAll as finalizeGroups, type Group } from './plan-test-support.js';

await loadParser();
const io = defaultIoContext();
const ctx = evalContext();


const int = randomInt;
const pick = pickOne;

interface ColSpec {
  name: string;
  type: number;
  typmod: number;
  sqlType: string;
  /** 'num': sum/avg/min/max; 'ord': min/max; 'bool': bool_and/bool_or. */
  kind: 'num' | 'ord' | 'bool';
  gen(r: Rand): unknown;
}

const TS_2020 = 631_152_000_000_000;
const TEXTS = ['', 'a', 'b', 'ab', "it's", 'é', 'ü', '日本', 'Z'];

// Value domains are small so groups collide, and chosen so that results do
// not depend on the order rows are folded in: floats are multiples of 1/8
// (sums stay exact), numerics all have two fraction digits and intervals
// never tie in length with a different spelling (min/max keep the first of
// equal values, PostgreSQL's behaviour too).
const COLUMNS: ColSpec[] = [
  { name: 'i2', type: OID.int2, typmod: -1, sqlType: 'int2', kind: 'num', gen: (r) => int(r, -5, 5) },
  { name: 'i4', type: OID.int4, typmod: -1, sqlType: 'int4', kind: 'num', gen: (r) => int(r, -50, 50) },
  {
    name: 'i8', type: OID.int8, typmod: -1, sqlType: 'int8', kind: 'num',
    gen: (r) => (r() < 0.1 ? BigInt(int(r, -1, 1)) * 4611686018427387904n + BigInt(int(r, -9, 9)) : BigInt(int(r, -5, 5))),
  },
  { name: 'f4', type: OID.float4, typmod: -1, sqlType: 'float4', kind: 'num', gen: (r) => int(r, -20, 20) / 4 },
  { name: 'f8', type: OID.float8, typmod: -1, sqlType: 'float8', kind: 'num', gen: (r) => int(r, -40, 40) / 8 },
  { name: 'n', type: OID.numeric, typmod: -1, sqlType: 'numeric', kind: 'num', gen: (r) => parseNumeric((int(r, -300, 300) / 100).toFixed(2)) },
  { name: 't', type: OID.text, typmod: -1, sqlType: 'text', kind: 'ord', gen: (r) => pick(r, TEXTS) },
  { name: 'vc', type: OID.varchar, typmod: 14, sqlType: 'varchar(10)', kind: 'ord', gen: (r) => pick(r, TEXTS) },
  { name: 'd', type: OID.date, typmod: -1, sqlType: 'date', kind: 'ord', gen: (r) => (r() < 0.05 ? pick(r, [Infinity, -Infinity]) : int(r, -3, 3)) },
  { name: 'ts', type: OID.timestamp, typmod: -1, sqlType: 'timestamp', kind: 'ord', gen: (r) => TS_2020 + int(r, -3, 3) * 3_600_000_000 },
  {
    name: 'tz', type: OID.timestamptz, typmod: -1, sqlType: 'timestamptz', kind: 'ord',
    gen: (r) => (r() < 0.05 ? Infinity : TS_2020 + int(r, -3, 3) * 1_000_000 + int(r, 0, 1)),
  },
  {
    name: 'iv', type: OID.interval, typmod: -1, sqlType: 'interval', kind: 'num',
    gen: (r) => new Interval(int(r, 0, 2), int(r, 0, 3), int(r, 0, 23) * 3_600_000_000 + int(r, 0, 1)),
  },
  { name: 'b', type: OID.bool, typmod: -1, sqlType: 'bool', kind: 'bool', gen: (r) => r() < 0.5 },
];
const ARRIVAL: ColSpec = {
  name: 'arrival_timestamp', type: OID.timestamptz, typmod: -1, sqlType: 'timestamptz', kind: 'ord',
  gen: (r) => TS_2020 + int(r, 0, 1000) * 1000,
};
const STREAM_COLUMNS: StreamColumn[] = COLUMNS.map((c) => ({ name: c.name, typeOid: c.type, typmod: c.typmod }));

function aggregateFor(r: Rand, c: ColSpec): string {
  const fns = c.kind === 'num' ? ['count', 'sum', 'avg', 'min', 'max'] : c.kind === 'ord' ? ['count', 'min', 'max'] : ['count', 'bool_and', 'bool_or'];
  let call = `${pick(r, fns)}(${c.name})`;
  if (r() < 0.25) call += pick(r, [' FILTER (WHERE i4 > 0)', ' FILTER (WHERE t IS NOT NULL)', ' FILTER (WHERE b)']);
  return call;
}

interface RandomQuery {
  /** The part after SELECT and before FROM. */
  select: string;
  /** WHERE / GROUP BY text after FROM. */
  tail: string;
  grouped: boolean;
}

function randomQuery(r: Rand): RandomQuery {
  const items: string[] = [];
  const groupBy: string[] = [];
  const nGroups = int(r, 0, 2);
  for (let g = 0; g < nGroups; g++) {
    const c = pick(r, COLUMNS);
    const style = r();
    if (style < 0.15 && c.type === OID.int4) {
      items.push(`${c.name} % 3 AS k${g}`);
      groupBy.push(`k${g}`);
    } else if (style < 0.3) {
      items.push(c.name);
      groupBy.push(String(items.length));
    } else {
      items.push(c.name);
      groupBy.push(c.name);
    }
  }
  const nAggs = int(r, 1, 5);
  for (let a = 0; a < nAggs; a++) {
    const x = r();
    if (x < 0.15) items.push('count(*)');
    else if (x < 0.22) items.push('sum(i4) / count(*) AS ratio');
    else if (x < 0.27) items.push('max(arrival_timestamp)');
    else if (x < 0.3) items.push('coalesce(sum(n), 0) + count(i2) AS mixed');
    else items.push(aggregateFor(r, pick(r, COLUMNS)));
  }
  const where = r() < 0.3 ? pick(r, [' WHERE i4 > -10', ' WHERE i2 IS NOT NULL', ' WHERE t <> \'a\'']) : '';
  const group = groupBy.length ? ` GROUP BY ${groupBy.join(', ')}` : '';
  return { select: items.join(', '), tail: where + group, grouped: groupBy.length > 0 };
}

function randomRows(r: Rand, n: number): unknown[][] {
  const rows: unknown[][] = [];
  for (let i = 0; i < n; i++) rows.push([...COLUMNS, ARRIVAL].map((c) => (r() < 0.15 && c !== ARRIVAL ? null : c.gen(r))));
  return rows;
}

function literal(c: ColSpec, v: unknown): string {
  if (v === null) return `NULL::${c.sqlType}`;
  return `'${textOut(c.type, v, io).replace(/'/g, "''")}'::${c.sqlType}`;
}

function render(plan: CompiledContinuousPlan, rows: unknown[][]): string[] {
  return rows
    .map((row) => JSON.stringify(row.map((v, i) => (v === null ? null : textOut(plan.outputColumns[i].typeOid, v, io)))))
    .sort();
}

function aggregate(plan: CompiledContinuousPlan, rows: unknown[][]): Map<string, Group> {
  return aggregateRows(plan, rows, ctx);
}

function finalizeAll(plan: CompiledContinuousPlan, groups: Map<string, Group>): unknown[][] {
  return finalizeGroups(plan, groups, ctx);
}

function shuffle<T>(r: Rand, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

/** Rows split into partials, each serialized; merged in random order with random round trips through bytes. */
function partitioned(r: Rand, plan: CompiledContinuousPlan, rows: unknown[][]): Map<string, Group> {
  const parts: unknown[][][] = Array.from({ length: int(r, 1, 4) }, () => []);
  for (const row of rows) pick(r, parts).push(row);
  const partials: { mk: string; key: Uint8Array; bytes: Uint8Array }[] = [];
  for (const p of parts) {
    for (const [mk, g] of aggregate(plan, p)) partials.push({ mk, key: g.key, bytes: plan.serializeStates(g.states) });
  }
  const stored = new Map<string, Group>();
  for (const p of shuffle(r, partials)) {
    const partial = plan.deserializeStates(p.bytes);
    const g = stored.get(p.mk);
    if (!g) {
      stored.set(p.mk, { key: p.key, states: partial });
      continue;
    }
    plan.merge(g.states, partial);
    if (r() < 0.5) g.states = plan.deserializeStates(plan.serializeStates(g.states));
  }
  for (const g of stored.values()) g.states = plan.deserializeStates(plan.serializeStates(g.states));
  return stored;
}

test('partial aggregation, merging and serialization equal one-pass aggregation and the SELECT executor', () => {
  const ITERATIONS = 150;
  let compared = 0;
  for (let seed = 1; seed <= ITERATIONS; seed++) {
    const r = prng(seed);
    const q = randomQuery(r);
    const viewSql = `SELECT ${q.select} FROM s${q.tail}`;
    const plan = compileContinuousPlan({ name: 'v', query: viewSql, stream: { name: 's', columns: STREAM_COLUMNS } }, io);
    const rows = randomRows(r, int(r, 1, 40));
    const label = `seed ${seed}: ${viewSql}`;

    const single = render(plan, finalizeAll(plan, aggregate(plan, rows)));
    const merged = render(plan, finalizeAll(plan, partitioned(r, plan, rows)));
    assert.deepEqual(merged, single, label);

    // A view without GROUP BY has no group until a row passes WHERE; a SELECT has its one row anyway.
    if (!q.grouped && single.length === 0) continue;
    const values = rows.map((row) => `(${[...COLUMNS, ARRIVAL].map((c, i) => literal(c, row[i])).join(', ')})`).join(',\n');
    const names = [...COLUMNS, ARRIVAL].map((c) => c.name).join(', ');
    const expected = query(`SELECT ${q.select} FROM (VALUES ${values}) AS s(${names})${q.tail}`);
    assert.deepEqual(plan.outputColumns.map((c) => c.name), expected.names, label);
    assert.deepEqual(plan.outputColumns.map((c) => c.typeOid), expected.types, label);
    assert.deepEqual(single, expected.rows.map((row) => JSON.stringify(row)).sort(), label);
    compared++;
  }
  assert.ok(compared > ITERATIONS / 2, `only ${compared} queries compared with the executor`);
});
