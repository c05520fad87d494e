// Continuous views read through the SQL layer from a real view-state store:
// a WHERE fixing the group key reads one group (one store get, no scan) and
// gives exactly the row the scan gives; views whose key is not shown as
// output columns are only scanned.
import { aggregate } from '../planner/plan-test-support.js';
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OID } from '../types/oids.js';
import { defaultIoContext } from '../types/io-context.js';
import { parseNumeric } from '../types/numeric.js';
import { loadParser } from '../sql/parse-statements.js';
import { evalContext, plan as planSql, query } from '../sql/select/test-support.js';
import { pushesRows, type RelationProvider } from '../sql/select/relation.js';
import { compileContinuousPlan } from '../planner/compile-plan.js';
import type { ContinuousViewDefinition, StreamColumn } from '../planner/continuous-plan.js';
import { openEnvironment } from '../storage/lmdb-env.js';
import { ViewStateStore } from '../storage/view-state-store.js';
import { ViewReader } from './view-reader.js';
import type { Engine } from './engine.js';

await loadParser();
const io = defaultIoContext();
const ctx = evalContext();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'view-reader-'));
const env = openEnvironment(dir);
const store = new ViewStateStore(env);
after(async () => {
  await env.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The store reads the reader makes, and the scans' cursors opened and released. */
const reads = { scans: 0, gets: 0 };
const cursors = { opened: 0, released: 0 };
const engine = {
  scan(oid: number) {
    reads.scans++;
    const groups = store.scan(oid);
    return {
      [Symbol.iterator]() {
        cursors.opened++;
        const it = groups[Symbol.iterator]();
        return {
          next: () => it.next(),
          return: (v?: unknown) => {
            cursors.released++;
            return it.return ? it.return(v) : { value: v, done: true };
          },
        };
      },
    };
  },
  get(oid: number, key: Uint8Array) {
    reads.gets++;
    return store.get(oid, key);
  },
} as unknown as Engine;
const reader = new ViewReader(engine, io);

const col = (name: string, typeOid: number, typmod = -1): StreamColumn => ({ name, typeOid, typmod });
const T = 837_000_000_000_000;
const day = (iso: string) => (Date.parse(iso) - Date.UTC(2000, 0, 1)) / 86_400_000;

const views = new Map<string, { oid: number; def: ContinuousViewDefinition }>();
let nextOid = 20000;

/** Defines a view and commits the groups of `rows` (stream columns; arrival_timestamp is added) to the store. */
function defineView(name: string, query: string, stream: { name: string; columns: StreamColumn[] }, rows: unknown[][]): void {
  const def: ContinuousViewDefinition = { name, query, stream };
  const oid = nextOid++;
  const p = compileContinuousPlan(def, io);
  const groups = aggregate(p, rows.map((r) => [...r, T]), ctx);
  store.write([...groups.values()].map((g) => ({ viewOid: oid, key: g.key, state: p.serializeStates(g.states) })));
  views.set(name, { oid, def });
}

const relations: RelationProvider = {
  lookup(schema, name) {
    const v = schema === null ? views.get(name) : undefined;
    return v ? reader.relation(v.oid, v.def) : null;
  },
};

/** Text rows of a query and the store reads it made. */
function run(sql: string, params: unknown[] = []) {
  reads.scans = 0;
  reads.gets = 0;
  const rows = query(sql, { relations, params }).rows.map((r) => r.join('|'));
  return { rows, scans: reads.scans, gets: reads.gets };
}

const S1 = { name: 's1', columns: [col('id', OID.int4), col('val', OID.int4)] };
const S2 = { name: 's2', columns: [col('day', OID.date), col('worker', OID.text), col('n', OID.numeric), col('v', OID.varchar, 10), col('ch', OID.bpchar, 8)] };
const s1Rows: unknown[][] = [];
for (let i = 0; i < 300; i++) s1Rows.push([i % 100, i]);
s1Rows.push([null, 5], [null, 6]);
const s2Rows: unknown[][] = [
  [day('2026-01-01'), 'w1', parseNumeric('1.00'), 'a', 'ab  '],
  [day('2026-01-01'), 'w1', parseNumeric('1.0'), 'a', 'ab  '],
  [day('2026-01-01'), 'w2', parseNumeric('2.50'), 'b', 'c   '],
  [day('2026-01-02'), 'w1', null, null, null],
];
defineView('cv1', 'SELECT id, count(*), avg(val), sum(val), max(val) FROM s1 GROUP BY id', S1, s1Rows);
defineView('daily', 'SELECT day, worker, count(*) FROM s2 GROUP BY day, worker', S2, s2Rows);
defineView('by_num', 'SELECT count(*), n FROM s2 GROUP BY n', S2, s2Rows);
defineView('by_vc', 'SELECT v, count(*) FROM s2 GROUP BY v', S2, s2Rows);
defineView('by_ch', 'SELECT ch, count(*) FROM s2 GROUP BY ch', S2, s2Rows);
defineView('mod10', 'SELECT id % 10 AS m, count(*) FROM s1 GROUP BY id % 10', S1, s1Rows);
defineView('hidden_key', 'SELECT count(*) FROM s1 GROUP BY id', S1, s1Rows);
defineView('cast_key', 'SELECT id::text AS t, count(*) FROM s1 GROUP BY id', S1, s1Rows);
defineView('total', 'SELECT count(*), sum(val) FROM s1', S1, s1Rows);
// q fails for id 1 (its sum is 303).
defineView('ratio', 'SELECT id, count(*) AS n, 100 / (sum(val) - 303) AS q FROM s1 GROUP BY id', S1, s1Rows);

test('keyOutputColumns maps group keys to the output columns that show them', () => {
  const keys = (name: string) => compileContinuousPlan(views.get(name)!.def, io).keyOutputColumns;
  assert.deepEqual(keys('cv1'), [0]);
  assert.deepEqual(keys('daily'), [0, 1]);
  assert.deepEqual(keys('by_num'), [1]);
  assert.deepEqual(keys('mod10'), [0]);
  assert.deepEqual(keys('hidden_key'), [null]);
  assert.deepEqual(keys('cast_key'), [null]);
  assert.deepEqual(keys('total'), []);
  const rel = (name: string) => relations.lookup(null, name)!;
  assert.deepEqual(rel('daily').keyColumns, [0, 1]);
  assert.equal(rel('hidden_key').keyColumns, undefined);
  assert.equal(rel('cast_key').lookup, undefined);
});

test('a point read returns exactly the scanned row, from one get', () => {
  for (const id of [0, 42, 99]) {
    const point = run(`SELECT * FROM cv1 WHERE id = ${id}`);
    // id + 0 = ... has the same meaning but cannot use the key: the scan path.
    const scan = run(`SELECT * FROM cv1 WHERE id + 0 = ${id}`);
    assert.equal(point.rows.length, 1);
    assert.deepEqual(point.rows, scan.rows);
    assert.deepEqual([point.scans, point.gets, scan.scans, scan.gets], [0, 1, 1, 0]);
  }
  assert.deepEqual(run('SELECT * FROM cv1 WHERE id = 42').rows, ['42|3|142.0000000000000000|426|242']);
  assert.deepEqual(run('SELECT * FROM cv1 WHERE id = 100'), { rows: [], scans: 0, gets: 1 });
  assert.deepEqual(run('SELECT count FROM cv1 WHERE id IS NULL'), { rows: ['2'], scans: 0, gets: 1 });
  assert.deepEqual(run('SELECT count FROM cv1 WHERE id = NULL'), { rows: [], scans: 0, gets: 0 });
  assert.deepEqual(run('SELECT id FROM cv1 WHERE id = 42 AND max > 300'), { rows: [], scans: 0, gets: 1 });
});

test('one planned statement, many executions with $1', () => {
  const { plan: p } = planSql('SELECT id, count FROM cv1 WHERE id = $1', { relations });
  reads.gets = 0;
  reads.scans = 0;
  const got: unknown[][][] = [];
  for (let i = 0; i < 200; i++) got.push(p.run(evalContext({ params: [i % 101] })));
  for (let i = 0; i < 200; i++) assert.deepEqual(got[i], i % 101 === 100 ? [] : [[i % 101, 3n]]);
  assert.deepEqual([reads.scans, reads.gets], [0, 200]);
});

test('multi-column, date, text, numeric and varchar keys', () => {
  assert.deepEqual(run(`SELECT * FROM daily WHERE day = '2026-01-01' AND worker = 'w1'`), { rows: ['2026-01-01|w1|2'], scans: 0, gets: 1 });
  assert.deepEqual(run(`SELECT * FROM daily WHERE worker = $1 AND day = $2`, ['w1', day('2026-01-02')]).rows, ['2026-01-02|w1|1']);
  assert.deepEqual(run(`SELECT * FROM daily WHERE day = '2026-01-02' AND worker = 'w2'`), { rows: [], scans: 0, gets: 1 });
  // Only part of the key: a scan.
  assert.deepEqual(run(`SELECT count FROM daily WHERE day = '2026-01-01' ORDER BY 1`), { rows: ['1', '2'], scans: 1, gets: 0 });
  // Numeric keys are found by value and show the first spelling stored, as the scan does.
  for (const lit of ['1', '1.0', '1.000']) {
    assert.deepEqual(run(`SELECT * FROM by_num WHERE n = ${lit}`), { rows: ['2|1.00'], scans: 0, gets: 1 });
  }
  assert.deepEqual(run('SELECT * FROM by_num WHERE n + 0 = 1').rows, ['2|1.00']);
  assert.deepEqual(run(`SELECT * FROM by_vc WHERE v = 'b'`), { rows: ['b|1'], scans: 0, gets: 1 });
  // bpchar: trailing blanks do not count, in the comparison as in the key.
  assert.deepEqual(run(`SELECT * FROM by_ch WHERE ch = 'ab'`), { rows: ['ab  |2'], scans: 0, gets: 1 });
  assert.deepEqual(run(`SELECT * FROM by_ch WHERE ch = 'ab      '`).rows, ['ab  |2']);
  assert.deepEqual(run(`SELECT * FROM mod10 WHERE m = 3`), { rows: ['3|30'], scans: 0, gets: 1 });
});

test('a scan pushes the rows it iterates, and an aggregate takes them so', () => {
  const v = views.get('cv1')!;
  const rel = reader.relation(v.oid, v.def);
  // Every column, some columns (bare aggregates, then the key too) and the hidden states column.
  for (const needed of [undefined, [false, true, false, true, false, false], [true, false, true, false, false, false], [false, true, false, false, false, true]]) {
    const iterated = [...rel.scan(ctx, needed)];
    const pushed: unknown[][] = [];
    const rows = rel.scan(ctx, needed);
    assert.ok(pushesRows(rows));
    cursors.opened = cursors.released = 0;
    rows.forEachRow((r) => pushed.push(r));
    assert.deepEqual(pushed, iterated);
    assert.equal(pushed.length, 101);
    assert.deepEqual(cursors, { opened: 1, released: 1 });
    // A rows object is read once.
    assert.throws(() => rows.forEachRow(() => {}));
  }
  cursors.opened = cursors.released = 0;
  assert.deepEqual(run('SELECT sum(count), count(*), max(max), sum(sum) FILTER (WHERE id < 2) FROM cv1').rows, ['302|101|299|603']);
  assert.deepEqual(cursors, { opened: 1, released: 1 });
  // A row that fails the aggregate ends the scan, its cursor released.
  cursors.opened = cursors.released = 0;
  assert.throws(() => run('SELECT sum(100 / (count - 3)) FROM cv1'), /division by zero/);
  assert.deepEqual(cursors, { opened: 1, released: 1 });
  assert.deepEqual(run('SELECT count(*) FROM cv1').rows, ['101']);
});

test('a point read filters its one group first: the WHERE runs before a failing column is read', () => {
  assert.deepEqual(run('SELECT id, q FROM ratio WHERE id = 1 AND n > 3'), { rows: [], scans: 0, gets: 1 });
  assert.deepEqual(run('SELECT id, q FROM ratio WHERE id = 2 AND n > 1'), { rows: ['2|33'], scans: 0, gets: 1 });
  assert.deepEqual(run('SELECT count(*), sum(q) FROM ratio WHERE id = 1 AND n <> 3'), { rows: ['0|'], scans: 0, gets: 1 });
  assert.deepEqual(run('SELECT id, q FROM ratio WHERE id = 7 AND n > 1 AND q < 0'), { rows: [], scans: 0, gets: 1 });
  assert.throws(() => run('SELECT id, q FROM ratio WHERE id = 1'), /division by zero/);
  // A column the query does not read is not computed, as in a scan.
  assert.deepEqual(run('SELECT id, n FROM ratio WHERE id = 1'), { rows: ['1|3'], scans: 0, gets: 1 });
  assert.deepEqual(run('SELECT count(*) FROM ratio WHERE id = 1'), { rows: ['1'], scans: 0, gets: 1 });
  assert.deepEqual(run('SELECT n FROM ratio WHERE id = 1 AND n = 3'), { rows: ['3'], scans: 0, gets: 1 });
  assert.throws(() => run('SELECT id FROM ratio WHERE id = 1 AND n > 1 AND q > 0'), /division by zero/);
  // Rows are counted (toward the statement's row limit) as the scan of the same WHERE counts them.
  const counted = (sql: string) => {
    let n = 0;
    const c = evalContext({ params: [], limits: { checkInterrupts: () => {}, countRows: (k: number) => void (n += k) } });
    const rows = planSql(sql, { relations }).plan.run(c);
    return { rows: rows.length, counted: n };
  };
  for (const [id, rest] of [[2, 'n > 1'], [1, 'n > 3'], [2, 'q > 0']]) {
    const looked = counted(`SELECT id, q FROM ratio WHERE id = ${id} AND ${rest}`);
    assert.deepEqual(looked, counted(`SELECT id, q FROM ratio WHERE id + 0 = ${id} AND ${rest}`), `${id} ${rest}`);
    assert.equal(looked.counted, looked.rows);
  }
});

test('views without an output key scan; a view without GROUP BY reads its one group', () => {
  assert.deepEqual(run('SELECT count(*) FROM hidden_key WHERE count = 3'), { rows: ['100'], scans: 1, gets: 0 });
  assert.deepEqual(run(`SELECT * FROM cast_key WHERE t = '42'`), { rows: ['42|3'], scans: 1, gets: 0 });
  assert.deepEqual(run('SELECT * FROM total'), { rows: ['302|44861'], scans: 0, gets: 1 });
});

test('a scan opens storage only when read, and releases it on LIMIT and on a failing group', () => {
  const v = views.get('cv1')!;
  const rel = reader.relation(v.oid, v.def);
  cursors.opened = cursors.released = 0;
  const rows = rel.scan(ctx);
  assert.equal(cursors.opened, 0);
  assert.equal([...rows].length, 101);
  assert.deepEqual(cursors, { opened: 1, released: 0 });

  cursors.opened = cursors.released = 0;
  assert.deepEqual(run('SELECT id FROM cv1 ORDER BY id LIMIT 2').rows.length, 2);
  // Storage order: the NULL group first.
  assert.deepEqual(run('SELECT id FROM cv1 LIMIT 2').rows, ['', '0']);
  assert.equal(cursors.released, 1);

  // A group whose states do not decode fails the read inside the scan's next().
  const def: ContinuousViewDefinition = { name: 'broken', query: 'SELECT id, count(*) FROM s1 GROUP BY id', stream: S1 };
  const oid = nextOid++;
  const p = compileContinuousPlan(def, io);
  const groups = [...aggregate(p, [[1, 1], [2, 2], [3, 3]].map((r) => [...r, T]), ctx).values()];
  store.write(groups.map((g, i) => ({ viewOid: oid, key: g.key, state: i === 1 ? Uint8Array.of(0xff, 0xff) : p.serializeStates(g.states) })));
  views.set('broken', { oid, def });
  cursors.opened = cursors.released = 0;
  assert.throws(() => run('SELECT * FROM broken'));
  assert.deepEqual(cursors, { opened: 1, released: 1 });
  // The read after it works: nothing was left open.
  assert.deepEqual(run('SELECT count(*) FROM cv1').rows, ['101']);
});
