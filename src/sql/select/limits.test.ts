// Statement limits in the SELECT executor: rows held in memory are reported to
// ctx.countRows (53200 past the limit) where they are made, once, and every long loop calls
// ctx.checkInterrupts (57014 once a cancel or statement_timeout is pending).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PgError, SQLSTATE } from '../../errors.js';
import { OID } from '../../types/oids.js';
import { TestLimits } from '../functions/test-support.js';
import type { Relation, RelationProvider } from './relation.js';
import { dedupe } from './plan-select.js';
import { rowKeyFn } from './row-key.js';
import { rowComparator, sortRows } from './sort.js';
import { evalContext, query } from './test-support.js';

const CANCELED = 'canceling statement due to user request';

function assertPgError(fn: () => unknown, code: string, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof PgError && e.code === code && e.message === message);
}

test('a result over the row limit fails with 53200', () => {
  const limits = new TestLimits({ rowLimit: 500 });
  assertPgError(() => query('select * from generate_series(1, 1000)', { limits }), '53200', 'out of memory');
});

test('rows are counted where they are made, not again where they are projected', () => {
  // The function's 1000 values; the result rows project them one to one.
  const limits = new TestLimits({ rowLimit: 1000 });
  assert.equal(query('select * from generate_series(1, 1000)', { limits }).rows.length, 1000);
  assert.equal(limits.rowsCounted, 1000);
  assertPgError(() => query('select * from generate_series(1, 1001)', { limits: new TestLimits({ rowLimit: 1000 }) }), '53200', 'out of memory');
  const inTargetList = new TestLimits({ rowLimit: 1000 });
  assert.equal(query('select generate_series(1, 1000) + 1', { limits: inTargetList }).rows.length, 1000);
  assert.equal(inTargetList.rowsCounted, 1000);
});

test('a FROM sub-select passes its rows through without counting them again', () => {
  // ORDER BY makes the sub-select materialize its 600 values; the outer query
  // reads them without counting them again, then holds one group: 601 of 1000.
  const limits = new TestLimits({ rowLimit: 1000 });
  const sql = 'select count(*) from (select g from generate_series(1, 600) g order by g) s';
  assert.deepEqual(query(sql, { limits }).rows, [['600']]);
  assert.equal(limits.rowsCounted, 601);
  assertPgError(() => query('select count(*) from (select g from generate_series(1, 1001) g order by g) s', { limits: new TestLimits({ rowLimit: 1000 }) }), '53200', 'out of memory');
});

test('a FROM sub-select that can give its rows one at a time streams into the outer query', () => {
  // Nothing is held but the outer query's own rows: one group, or the one row top-N keeps.
  const streamed = new TestLimits({ rowLimit: 1000 });
  assert.deepEqual(query('select count(*), sum(g) from (select g from generate_series(1, 5000) g where g % 2 = 0) s', { limits: streamed }).rows, [['2500', '6252500']]);
  assert.equal(streamed.rowsCounted, 1);
  const nested = new TestLimits({ rowLimit: 1000 });
  assert.deepEqual(query('select x * 2 from (select g + 1 as x from (select g from generate_series(1, 6000) g) s) t order by 1 desc limit 1', { limits: nested }).rows, [['12002']]);
  assert.equal(nested.rowsCounted, 1);
  // A LIMIT outside stops the rows inside, as PostgreSQL's executor pulls them: 1/(x-2) is never
  // computed for x = 2, and an endless-looking series is read three rows far.
  assert.deepEqual(query('select * from (select 1/(x-2) from generate_series(1, 3) x) s limit 1').rows, [['-1']]);
  assert.deepEqual(query('select y from (select x * 10 as y from generate_series(1, 2000000000) x offset 1) s limit 2').rows, [['20'], ['30']]);
  // Rows an inner OFFSET skips are still computed, as in PostgreSQL: the division by zero shows.
  assert.throws(() => query('select sum(y) from (select 1/(x-2) y from generate_series(1, 3) x offset 2) s'), { code: '22012' });
});

test('a huge generate_series fails before producing anything', () => {
  const limits = new TestLimits({ rowLimit: 1000 });
  assertPgError(() => query('select * from generate_series(1, 1000000000)', { limits }), '53200', 'out of memory');
  assert.equal(limits.rowsCounted, 1_000_000_000);
  assert.equal(limits.interruptChecks, 0);
  const inTargetList = new TestLimits({ rowLimit: 1000 });
  assertPgError(() => query('select generate_series(1, 1000000000)', { limits: inTargetList }), '53200', 'out of memory');
  assert.equal(inTargetList.interruptChecks, 0);
});

test('a cross join over the limit fails while it is being built', () => {
  const limits = new TestLimits({ rowLimit: 100_000 });
  assertPgError(() => query('select count(*) from generate_series(1, 3000) a, generate_series(1, 3000) b', { limits }), '53200', 'out of memory');
  // 6000 function values, then the combined rows in batches of two outer rows (6000) until past the limit.
  assert.equal(limits.rowsCounted, 6000 + 16 * 6000);
  const joined = new TestLimits({ rowLimit: 100_000 });
  assertPgError(() => query('select count(*) from generate_series(1, 3000) a join generate_series(1, 3000) b on true', { limits: joined }), '53200', 'out of memory');
});

test('VALUES, sort buffers of aggregates and groups are counted', () => {
  const values = new TestLimits();
  query('select * from (values (1), (2), (3)) v(x)', { limits: values });
  assert.equal(values.rowsCounted, 3); // the VALUES rows; the result rows project them
  const grouped = new TestLimits();
  query('select x % 10, array_agg(x order by x desc) from generate_series(1, 100) x group by 1', { limits: grouped });
  // 10 groups, 100 buffered aggregate arguments; the 10 result rows are the groups. The
  // series' 100 values stream into the aggregation (FunctionDef.lazy): none is held.
  assert.equal(grouped.rowsCounted, 110);
});

test('a non-lateral FROM item or sub-select runs once per statement', () => {
  const cross = new TestLimits();
  assert.deepEqual(query('select count(*) from generate_series(1, 100) a, generate_series(1, 100) b', { limits: cross }).rows, [['10000']]);
  // 100 + 100 function values, 10000 combined rows, 1 group.
  assert.equal(cross.rowsCounted, 10_201);
  const sub = new TestLimits();
  query('select (select count(*) from generate_series(1, 100)) from generate_series(1, 1000)', { limits: sub });
  // Outer: 1000 values; the sub-select once: 1 group (its 100 values stream into it).
  assert.equal(sub.rowsCounted, 1001);
  // As in PostgreSQL, a volatile uncorrelated item is evaluated once.
  assert.deepEqual(query('select count(distinct b) from generate_series(1, 3) a, (select random() b) s').rows, [['1']]);
  assert.deepEqual(query('select count(distinct b) from generate_series(1, 3) a, generate_series(1, 2 + (random() * 0)::int) b').rows, [['2']]);
  // A function that reads an earlier item's columns is evaluated per row.
  assert.deepEqual(query('select count(*) from generate_series(1, 3) a, generate_series(1, a) b').rows, [['6']]);
});

/** A relation of `n` int4 rows that notes when its scan has finished. */
function countingRelation(n: number): { provider: RelationProvider; done: () => boolean; produced: () => number } {
  let finished = false;
  let produced = 0;
  const rel: Relation = {
    columns: [{ name: 'n', type: OID.int4, typmod: -1 }],
    *scan() {
      for (let i = 1; i <= n; i++) {
        produced = i;
        yield [i];
      }
      finished = true;
    },
  };
  return { provider: { lookup: (_s, name) => (name === 'big' ? rel : null) }, done: () => finished, produced: () => produced };
}

/** checkInterrupts that cancels on the `after`th call made once `armed()` is true. */
function cancelLater(armed: () => boolean, after: number) {
  const state = { checks: 0 };
  return {
    state,
    limits: {
      countRows: new TestLimits().countRows,
      checkInterrupts: () => {
        if (armed() && ++state.checks >= after) throw new PgError(SQLSTATE.query_canceled, CANCELED);
      },
    },
  };
}

test('aggregates and filters over a named relation hold none of its rows', () => {
  // 100,000 scanned rows against a limit of 1,000 held rows: only the groups (and kept rows) count.
  const { provider } = countingRelation(100_000);
  const agg = new TestLimits({ rowLimit: 1000 });
  assert.deepEqual(query('select count(*), sum(n) from big where n % 2 = 0', { relations: provider, limits: agg }).rows, [['50000', '2500050000']]);
  assert.equal(agg.rowsCounted, 1);
  const grouped = new TestLimits({ rowLimit: 1000 });
  assert.equal(query('select n % 10, count(*) from big group by 1', { relations: provider, limits: grouped }).rows.length, 10);
  assert.equal(grouped.rowsCounted, 10);
  const filtered = new TestLimits({ rowLimit: 1000 });
  assert.deepEqual(query('select n from big where n > 99998', { relations: provider, limits: filtered }).rows, [['99999'], ['100000']]);
  assert.equal(filtered.rowsCounted, 2);
  // Without a WHERE the rows are all held, and the limit applies.
  assertPgError(() => query('select n from big', { relations: provider, limits: new TestLimits({ rowLimit: 1000 }) }), '53200', 'out of memory');
});

test('ORDER BY ... LIMIT over a named relation holds only the rows it returns', () => {
  const { provider, produced } = countingRelation(100_000);
  const top = new TestLimits({ rowLimit: 1000 });
  assert.deepEqual(query('select n from big order by n % 1000 desc, n limit 3 offset 1', { relations: provider, limits: top }).rows, [['1999'], ['2999'], ['3999']]);
  assert.equal(top.rowsCounted, 4);
  assert.equal(produced(), 100_000);
  const filtered = new TestLimits({ rowLimit: 1000 });
  assert.deepEqual(query('select n from big where n % 2 = 0 order by n desc limit 2', { relations: provider, limits: filtered }).rows, [['100000'], ['99998']]);
  assert.equal(filtered.rowsCounted, 2);
  // A LIMIT too large for the heap sorts every row, and the row limit applies.
  assertPgError(() => query('select n from big order by n limit 100000', { relations: provider, limits: new TestLimits({ rowLimit: 1000 }) }), '53200', 'out of memory');
});

test('LIMIT without ORDER BY stops the scan once it has its rows; LIMIT 0 does not scan', () => {
  const { provider, produced, done } = countingRelation(100_000);
  const limits = new TestLimits({ rowLimit: 1000 });
  assert.deepEqual(query('select n * 2 from big where n % 10 = 0 limit 2 offset 1', { relations: provider, limits }).rows, [['40'], ['60']]);
  assert.equal(produced(), 30);
  assert.equal(limits.rowsCounted, 3);
  assert.ok(!done());
  const none = countingRelation(100);
  assert.deepEqual(query('select n from big order by n limit 0', { relations: none.provider }).rows, []);
  assert.equal(none.produced(), 0);
});

test('a negative LIMIT or OFFSET fails before the scan starts', () => {
  for (const [sql, code, message] of [
    ['select n from big order by n limit -1', '2201W', 'LIMIT must not be negative'],
    ['select n from big limit 1 offset -1', '2201X', 'OFFSET must not be negative'],
    ['select count(*) from big limit -1', '2201W', 'LIMIT must not be negative'],
  ]) {
    const { provider, produced } = countingRelation(100);
    assertPgError(() => query(sql, { relations: provider }), code, message);
    assert.equal(produced(), 0, sql);
  }
});

test('generate_series alone in FROM streams into an aggregate or a LIMIT: none of its values is held', () => {
  // 10 M values against a row limit of 1,000 (expected values from PostgreSQL 15).
  const agg = new TestLimits({ rowLimit: 1000 });
  assert.deepEqual(query('select count(*), sum(x), max(x) from generate_series(1, 10000000) x', { limits: agg }).rows, [['10000000', '50000005000000', '10000000']]);
  assert.equal(agg.rowsCounted, 1);
  const int8 = new TestLimits({ rowLimit: 1000 });
  assert.deepEqual(query('select count(*), min(x) from generate_series(9000000000, 1, -3000000) x', { limits: int8 }).rows, [['3000', '3000000']]);
  const first = new TestLimits({ rowLimit: 1000 });
  assert.deepEqual(query('select x * 2 from generate_series(1, 1000000000) x limit 2 offset 1', { limits: first }).rows, [['4'], ['6']]);
  assert.equal(first.rowsCounted, 3);
  const top = new TestLimits({ rowLimit: 1000 });
  assert.deepEqual(query('select x from generate_series(1, 100000) x where x % 7 = 0 order by x desc limit 2', { limits: top }).rows, [['99995'], ['99988']]);
  assert.equal(top.rowsCounted, 2);
  // NULL arguments give no rows; a zero step fails as the materialized form does; all of a huge series is still refused.
  assert.deepEqual(query('select count(*) from generate_series(1, null::int) x').rows, [['0']]);
  assertPgError(() => query('select count(*) from generate_series(1, 10, 0) x'), '22023', 'step size cannot equal zero');
  assertPgError(() => query('select * from generate_series(1, 1000000000)', { limits: new TestLimits({ rowLimit: 1000 }) }), '53200', 'out of memory');
  // A cancel reaches a streamed aggregate.
  let checks = 0;
  const cancel = {
    countRows: new TestLimits().countRows,
    checkInterrupts: () => {
      if (++checks === 3) throw new PgError(SQLSTATE.query_canceled, CANCELED);
    },
  };
  assertPgError(() => query('select count(*) from generate_series(1, 1000000000) x', { limits: cancel }), '57014', CANCELED);
});

test('a cancel aborts a long aggregation', () => {
  const { provider, done } = countingRelation(100_000);
  assert.deepEqual(query('select count(*), sum(n) from big', { relations: provider }).rows, [['100000', '5000050000']]);
  assert.ok(done());
  // Aggregation reads the scan row by row, with and without a WHERE between:
  // a cancel arriving mid-scan stops it there.
  for (const sql of ['select count(*), sum(n) from big', 'select count(*), sum(n) from big where n > 0']) {
    const { provider: p2, done: done2, produced } = countingRelation(100_000);
    const { limits, state } = cancelLater(() => produced() >= 50_000, 1);
    assertPgError(() => query(sql, { relations: p2, limits }), '57014', CANCELED);
    assert.equal(state.checks, 1);
    assert.ok(!done2(), `${sql}: the scan stopped early`);
    assert.ok(produced() < 60_000, `${sql}: rows scanned: ${produced()}`);
  }
});

test('a cancel aborts a nested loop join that produces almost nothing', () => {
  // 1M pairs, only the last one matches: only the per-pair check can notice the cancel in time.
  const sql = 'select count(*) from generate_series(1, 1000) a join generate_series(1, 1000) b on a = 1000 and b = 1000';
  const all = new TestLimits();
  assert.deepEqual(query(sql, { limits: all }).rows, [['1']]);
  assert.equal(all.interruptChecks, 246); // 244 for the pairs, then the join's and the aggregation's row batches
  const limits = new TestLimits({ interruptAfter: 2 });
  assertPgError(() => query(sql, { limits }), '57014', CANCELED);
  assert.equal(limits.interruptChecks, 2);
  // Only the two functions' values were counted, not the join's one output row.
  assert.equal(limits.rowsCounted, 2000);
});

test('a cancel aborts a cross join', () => {
  const limits = new TestLimits({ interruptAfter: 2 });
  assertPgError(() => query('select count(*) from generate_series(1, 3000) a, generate_series(1, 3000) b', { limits }), '57014', CANCELED);
  assert.equal(limits.interruptChecks, 2);
  assert.ok(limits.rowsCounted < 20_000, String(limits.rowsCounted));
});

/** Limits whose checkInterrupts cancels on its `after`th call once countRows(armAt) was seen. */
function cancelAfterCount(armAt: number, after: number) {
  let armed = false;
  const { state, limits } = cancelLater(() => armed, after);
  const counter = new TestLimits();
  const countRows = (n: number): void => {
    if (n === armAt) armed = true;
    counter.countRows(n);
  };
  return { state, limits: { countRows, checkInterrupts: limits.checkInterrupts } };
}

test('a cancel aborts a big sort and DISTINCT', () => {
  const rows = Array.from({ length: 50_000 }, (_, i) => [(i * 7919) % 50_000]);
  const byValue = rowComparator([{ index: 0, type: OID.int4, desc: false, nullsFirst: false, location: -1 }]);
  const sortLimits = new TestLimits({ interruptAfter: 2 });
  assertPgError(() => sortRows(rows, byValue, evalContext({ limits: sortLimits })), '57014', CANCELED);
  assert.equal(sortLimits.interruptChecks, 2);
  const distinctLimits = new TestLimits({ interruptAfter: 2 });
  assertPgError(() => dedupe(rows, rowKeyFn([OID.int4]), evalContext({ limits: distinctLimits })), '57014', CANCELED);
  assert.equal(distinctLimits.interruptChecks, 2);
});

test('a cancel aborts a set operation', () => {
  const { provider } = countingRelation(50_000);
  // Armed by the right side's single VALUES row: only the EXCEPT loop over the left side is left to cancel.
  const { limits, state } = cancelAfterCount(1, 2);
  assertPgError(() => query('select n from big except values (1)', { relations: provider, limits }), '57014', CANCELED);
  assert.equal(state.checks, 2);
  assert.deepEqual(query('select count(*) from (select n from big except select 1) s', { relations: provider }).rows, [['49999']]);
});
