// Output columns of compiled views, their results through the plan's
// functions, state round trips at the edges of each type, and the errors for
// queries the planner cannot compile.
import { aggregate } from './plan-test-support.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OID } from '../types/oids.js';
import { defaultIoContext } from '../types/io-context.js';
import { textOut } from '../types/type-io.js';
import { parseNumeric, NUMERIC_NAN } from '../types/numeric.js';
import { Interval } from '../types/values.js';
import { loadParser } from '../sql/parse-statements.js';
import { evalContext } from '../sql/select/test-support.js';
import { compileContinuousPlan } from './compile-plan.js';
import type { CompiledContinuousPlan, StreamColumn } from './continuous-plan.js';

await loadParser();
const io = defaultIoContext();
const ctx = evalContext();

const col = (name: string, typeOid: number, typmod = -1): StreamColumn => ({ name, typeOid, typmod });
const S1 = { name: 's1', columns: [col('id', OID.int4), col('val', OID.int4)] };
const DAILY = { name: 'daily_stream', columns: [col('x', OID.timestamptz), col('worker', OID.text)] };
const WIDE = {
  name: 'w',
  columns: [
    col('i2', OID.int2), col('i8', OID.int8), col('f4', OID.float4), col('f8', OID.float8), col('n', OID.numeric),
    col('vc', OID.varchar, 14), col('ch', OID.bpchar, 7), col('d', OID.date), col('ts', OID.timestamp), col('iv', OID.interval),
    col('b', OID.bool), col('js', OID.jsonb), col('arr', OID._int4),
  ],
};

function plan(query: string, stream: { name: string; columns: StreamColumn[] } = S1): CompiledContinuousPlan {
  return compileContinuousPlan({ name: 'v', query, stream }, io);
}

function columns(p: CompiledContinuousPlan): string[] {
  return p.outputColumns.map((c) => `${c.name}:${c.typeOid}${c.typmod >= 0 ? '(' + c.typmod + ')' : ''}`);
}

/** Rows through one group table, each group's states round-tripped through bytes; text rows sorted. */
function run(p: CompiledContinuousPlan, rows: unknown[][]): string[] {
  return [...aggregate(p, rows, ctx).values()]
    .map((g) => p.finalize(p.decodeKey(g.key), p.deserializeStates(p.serializeStates(g.states)), ctx))
    .map((r) => r.map((v, i) => (v === null ? 'NULL' : textOut(p.outputColumns[i].typeOid, v, io))).join('|'))
    .sort();
}

const T = 837_000_000_000_000; // 2026-07-10 12:00:00 UTC

test('cv1: names, types and values', () => {
  const p = plan('SELECT id, count(*), avg(val), min(val), max(val), sum(val) FROM s1 GROUP BY id');
  assert.deepEqual(columns(p), ['id:23', 'count:20', 'avg:1700', 'min:23', 'max:23', 'sum:20']);
  assert.equal(p.stateCount, 5);
  assert.deepEqual(run(p, [[1, 1, T], [1, 2, T], [2, null, T], [1, null, T], [null, 7, T]]), [
    '1|3|1.5000000000000000|1|2|3',
    '2|1|NULL|NULL|NULL|NULL',
    'NULL|1|7.0000000000000000|7|7|7',
  ]);
});

test('daily view: GROUP BY an output alias of a cast', () => {
  const p = plan('SELECT x::date AS day, worker, count(*) FROM daily_stream GROUP BY day, worker', DAILY);
  assert.deepEqual(columns(p), ['day:1082', 'worker:25', 'count:20']);
  const h = 3_600_000_000;
  assert.deepEqual(run(p, [[T, 'a', T], [T + h, 'a', T], [T + 13 * h, 'a', T], [T, 'b', T]]), [
    '2026-07-10|a|2',
    '2026-07-10|b|1',
    '2026-07-11|a|1',
  ]);
});

test('expressions over aggregates and group columns, positions, FILTER, WHERE', () => {
  const p = plan(
    'SELECT id % 2, sum(val) / count(*), count(val) FILTER (WHERE val > 1) AS big, avg(val)::int, max(val) - min(val) AS spread, 1, \'k\' ' +
      'FROM s1 WHERE id IS NOT NULL GROUP BY 1',
  );
  assert.deepEqual(columns(p), ['?column?:23', '?column?:20', 'big:20', 'avg:23', 'spread:23', '?column?:23', '?column?:25']);
  assert.deepEqual(run(p, [[1, 1, T], [3, 2, T], [2, 10, T], [null, 5, T], [4, null, T]]), ['0|5|1|10|0|1|k', '1|1|1|2|1|1|k']);
  const noGroup = plan('SELECT count(*), sum(val) FROM s1 AS s WHERE s.val > 0');
  assert.deepEqual(columns(noGroup), ['count:20', 'sum:20']);
  assert.deepEqual(run(noGroup, [[1, 1, T], [1, -1, T], [1, 2, T]]), ['2|3']);
  assert.deepEqual(noGroup.groupKey([1, 1, T], ctx), []);
  assert.equal(noGroup.groupKey([1, -1, T], ctx), null);
  const arrival = plan('SELECT arrival_timestamp, max(s1.arrival_timestamp) FROM s1 GROUP BY arrival_timestamp');
  assert.deepEqual(columns(arrival), ['arrival_timestamp:1184', 'max:1184']);
});

test('readsKey tells which output columns need the group key decoded', () => {
  const p = plan('SELECT id % 2 AS parity, count(*), id + sum(val) AS mixed, avg(val) FROM s1 GROUP BY id');
  const only = (...cols: number[]): boolean[] => [0, 1, 2, 3].map((i) => cols.includes(i));
  assert.equal(p.readsKey(only()), false);
  assert.equal(p.readsKey(only(1)), false);
  assert.equal(p.readsKey(only(1, 3)), false);
  assert.equal(p.readsKey(only(0)), true);
  assert.equal(p.readsKey(only(2)), true);
  const [g] = [...aggregate(p, [[4, 10, T], [4, 20, T]], ctx).values()];
  const states = p.serializeStates(g.states);
  const text = (out: unknown[]) => out.map((v, i) => (v === null ? null : textOut(p.outputColumns[i].typeOid, v, io)));
  // Rows of aggregate-only columns do not look at the key (these bytes are no key at all).
  const noKey = new Uint8Array([0xff]);
  assert.deepEqual(text(p.storedRows(only(1, 3))(noKey, 0, 1, states, 0, states.length, ctx)), [null, '2', null, '15.0000000000000000', null]);
  // The states past the last one read are not read: count(*) alone is read from a prefix.
  assert.deepEqual(text(p.storedRows(only(1))(noKey, 0, 1, states, 0, 1, ctx)), [null, '2', null, null, null]);
  // Every column: the key decoded, all states read (and checked to end where they should).
  const key = p.encodeKey([4]);
  assert.deepEqual(text(p.storedRows()(key, 0, key.length, states, 0, states.length, ctx)), ['0', '2', '34', '15.0000000000000000', null]);
  assert.throws(() => p.storedRows()(key, 0, key.length, Uint8Array.from([...states, 0]), 0, states.length + 1, ctx));
});

test('rows of bare aggregate columns show what the whole row shows, in every column showing one', () => {
  const p = plan('SELECT count(*) AS a, id, max(val) AS m, count(*) AS b, sum(val) + 1 AS s1, min(val) FROM s1 GROUP BY id');
  const only = (...cols: number[]): boolean[] => [0, 1, 2, 3, 4, 5].map((i) => cols.includes(i));
  const [g] = [...aggregate(p, [[4, 10, T], [4, 20, T], [4, -3, T]], ctx).values()];
  const states = p.serializeStates(g.states);
  const key = p.encodeKey([4]);
  const text = (out: unknown[]) => out.map((v, i) => (v === null ? null : textOut(p.outputColumns[i].typeOid, v, io)));
  const all = text(p.storedRows()(key, 0, key.length, states, 0, states.length, ctx).slice(0, 6));
  assert.deepEqual(all, ['3', '4', '20', '3', '28', '-3']);
  // Bare aggregates only: the same values as the full row, the others null, one slot more for the caller.
  for (const cols of [[0], [3], [0, 3], [2], [5], [0, 2, 3, 5]]) {
    const row = p.storedRows(only(...cols))(key, 0, key.length, states, 0, states.length, ctx);
    assert.equal(row.length, 7);
    assert.deepEqual(text(row.slice(0, 6)), all.map((v, i) => (cols.includes(i) ? v : null)));
  }
  // Reading every state, it checks that they end where the bytes do.
  assert.throws(() => p.storedRows(only(5))(key, 0, key.length, Uint8Array.from([...states, 0]), 0, states.length + 1, ctx));
});

test('result types follow PostgreSQL', () => {
  const p = plan(
    'SELECT sum(i2), sum(i8), sum(f4), avg(f4), sum(n), avg(n), sum(iv), avg(iv), min(vc), max(ch), min(d), max(ts), ' +
      'bool_and(b), bool_or(b), every(b), count(js), vc, ch FROM w GROUP BY vc, ch',
    WIDE,
  );
  assert.deepEqual(columns(p), [
    'sum:20', 'sum:1700', 'sum:700', 'avg:701', 'sum:1700', 'avg:1700', 'sum:1186', 'avg:1186', 'min:25', 'max:1042', 'min:1082',
    'max:1114', 'bool_and:16', 'bool_or:16', 'every:16', 'count:20', 'vc:1043(14)', 'ch:1042(7)',
  ]);
});

test('states round-trip exactly at the edges of their types', () => {
  const p = plan(
    'SELECT count(*), sum(i8), avg(i8), sum(f8), avg(f8), sum(f4), sum(n), avg(n), min(n), sum(iv), avg(iv), max(iv), min(vc), max(d), bool_and(b) FROM w',
    WIDE,
  );
  const row = (i8: bigint | null, f8: number | null, f4: number | null, n: unknown, iv: unknown, vc: string | null, d: number | null, b: boolean | null) =>
    [null, i8, f4, f8, n, vc, null, d, null, iv, b, null, null, T];
  const rows = [
    row(9223372036854775807n, 0.1, 1.5, parseNumeric('123456789012345678901234567890.000000001'), new Interval(1, 2, 3), 'é日本😀', Infinity, true),
    row(9223372036854775807n, -0, Math.fround(0.1), parseNumeric('-0.5'), new Interval(-1, 0, -9_000_000_000_000_000), "it's", 0, false),
    row(-5n, 1e300, null, NUMERIC_NAN, new Interval(0, 0, 1), '', -Infinity, null),
  ];
  const s = p.newStates();
  for (const r of rows) p.step(s, r, ctx);
  const bytes = p.serializeStates(s);
  const back = p.deserializeStates(bytes);
  assert.deepEqual(Buffer.from(p.serializeStates(back)), Buffer.from(bytes));
  const text = (states: unknown[]) => p.finalize([], states, ctx).map((v, i) => (v === null ? null : textOut(p.outputColumns[i].typeOid, v, { ...io, extraFloatDigits: 3 })));
  assert.deepEqual(text(back), text(s));
  assert.deepEqual(text(back).slice(0, 3), ['3', '18446744073709551609', '6148914691236517203']);
  assert.equal(text(back)[6], 'NaN');
  // Merged partials equal one pass.
  const a = p.newStates();
  const b = p.newStates();
  p.step(a, rows[0], ctx);
  p.step(b, rows[1], ctx);
  p.step(b, rows[2], ctx);
  p.merge(a, p.deserializeStates(p.serializeStates(b)));
  assert.deepEqual(text(a), text(s));
  // Fresh states serialize too (an empty group).
  assert.deepEqual(text(p.deserializeStates(p.serializeStates(p.newStates()))), text(p.newStates()));
  assert.throws(() => p.deserializeStates(bytes.subarray(0, bytes.length - 1)), { code: 'XX001' });
  assert.throws(() => p.deserializeStates(new Uint8Array([...bytes, 0])), { code: 'XX001' });
});

test('identical aggregate calls share one state', () => {
  const p = plan('SELECT count(*), count(*) + 1, sum(val), sum(val) / count(*) FROM s1');
  assert.equal(p.stateCount, 2);
  assert.deepEqual(run(p, [[1, 4, T], [1, 6, T]]), ['2|3|10|5']);
});

function rejects(query: string, code: string, message: RegExp, stream = S1): void {
  assert.throws(() => plan(query, stream), (e: any) => {
    assert.equal(e.code, code, `${query}: ${e.message}`);
    assert.match(e.message, message, query);
    return true;
  });
}

test('queries the planner cannot compile are refused with 0A000', () => {
  const NS = '0A000';
  rejects('SELECT string_agg(DISTINCT worker, \',\') FROM daily_stream', NS, /^string_agg\(DISTINCT \.\.\.\) is not supported in continuous views/, DAILY);
  rejects('SELECT array_agg(val ORDER BY id) FROM s1', NS, /^ordered aggregates/);
  rejects('SELECT id, count(*) FROM s1 GROUP BY id ORDER BY id', NS, /^continuous queries don't support ORDER BY$/);
  rejects('SELECT id, count(*) FROM s1 GROUP BY id HAVING count(*) > 1', NS, /^continuous queries don't support HAVING clauses$/);
  rejects('SELECT count(*) FROM s1 LIMIT 1', NS, /LIMIT/);
  rejects('SELECT DISTINCT id, count(*) FROM s1 GROUP BY id', NS, /SELECT DISTINCT together with aggregates/);
  rejects('SELECT count(*) OVER () FROM s1', NS, /window functions/);
  rejects('WITH x AS (SELECT 1) SELECT count(*) FROM s1', NS, /CTEs/);
  rejects('SELECT count(*) FROM s1 UNION SELECT count(*) FROM s1', NS, /set operations/);
  rejects('SELECT count(*) FROM s1, t', NS, /more than one relation/);
  rejects('SELECT count(*) FROM s1 JOIN t ON true', NS, /more than one relation/);
  rejects('SELECT count(*) FROM (SELECT * FROM s1) x', NS, /more than one relation/);
  rejects('SELECT count(*) FROM other', NS, /must read stream "s1", not "other"/);
  rejects('SELECT 1', NS, /must include a stream/);
  rejects('VALUES (1)', NS, /must include a stream/);
  rejects('SELECT id, val FROM s1', NS, /without aggregates or GROUP BY/);
  rejects('SELECT count(*) FROM s1 WHERE arrival_timestamp > clock_timestamp() - interval \'1 hour\'', NS, /sliding-window/);
  rejects('SELECT arr, count(*) FROM w GROUP BY arr', NS, /cannot group by type integer\[\]/, WIDE);
  rejects('SELECT min(arr) FROM w', NS, /^aggregate min\(integer\[\]\) is not supported/, WIDE);
  rejects('SELECT count(*), (SELECT 1) FROM s1', NS, /subqueries/);
  rejects('SELECT count(*), generate_series(1, 2) FROM s1', NS, /set-returning functions/);
  rejects('SELECT sum(DISTINCT val) FROM s1', NS, /^sum\(DISTINCT \.\.\.\) is not supported/);
  rejects('SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY val DESC) FROM s1', NS, /descending/);
});

test('invalid queries raise PostgreSQL errors', () => {
  rejects('SELECT * FROM s1', '42702', /^can't select "\*" in continuous queries$/);
  rejects('SELECT id, count(*) FROM s1', '42803', /^column "s1.id" must appear in the GROUP BY clause/);
  rejects('SELECT x.val, count(*) FROM s1 x GROUP BY x.id', '42803', /^column "x.val" must appear/);
  rejects('SELECT nope, count(*) FROM s1 GROUP BY nope', '42703', /column "nope" does not exist/);
  rejects('SELECT count(*) FROM s1 WHERE id = $1', '42P02', /there is no parameter \$1/);
  rejects('SELECT count(*) FROM s1 WHERE count(*) > 1', '42803', /aggregate functions are not allowed in WHERE/);
  rejects('SELECT id, count(*) FROM s1 GROUP BY 3', '42P10', /GROUP BY position 3 is not in select list/);
  rejects('SELECT sum(count(*)) FROM s1', '42803', /aggregate function calls cannot be nested/);
  rejects('INSERT INTO s1 VALUES (1)', '42P17', /only be defined using SELECT/);
  rejects('SELECT count(*) FROM', '42601', /syntax error/);
});

test('a definition sent already parsed compiles like its text; a main-thread parse error is the compile error', async () => {
  const { parseStatements } = await import('../sql/parse-statements.js');
  const query = 'SELECT id, count(*), avg(val) FROM s1 GROUP BY id';
  const fromTree = compileContinuousPlan({ name: 'v', query: 'not parsed again', stream: S1, parsed: parseStatements(query) }, io);
  assert.deepEqual(columns(fromTree), columns(plan(query)));
  assert.deepEqual(run(fromTree, [[1, 4, T], [1, 5, T]]), ['1|2|4.5000000000000000']);
  assert.throws(
    () => compileContinuousPlan({ name: 'v', query, stream: S1, parseError: { code: '42601', message: 'syntax error at or near "FORM"' } }, io),
    (e: unknown) => e instanceof Error && (e as { code?: string }).code === '42601' && e.message === 'syntax error at or near "FORM"',
  );
});
