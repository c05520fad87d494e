// A worker's aggregation of one batch: each group once, in the order it first
// appeared, with the states of all its rows, for numeric and string key ids
// alike; a batch that fails leaves nothing behind for the next one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OID } from '../types/oids.js';
import { defaultIoContext } from '../types/io-context.js';
import { textOut } from '../types/type-io.js';
import { loadParser } from '../sql/parse-statements.js';
import { evalContext } from '../sql/select/test-support.js';
import { compileContinuousPlan } from '../planner/compile-plan.js';
import { forEachPartialAt, PartialsWriter } from '../engine/partials-codec.js';
import { fixedFieldsOf } from '../planner/fixed-fields.js';
import { aggregateView, type RowSource } from './partial-aggregator.js';
import { messageBytes } from './test-support.js';

await loadParser();
const io = defaultIoContext();
const ctx = evalContext();
// Keys of up to 6 bytes have numeric key ids, longer ones string ids: short and long texts mix both.
const plan = compileContinuousPlan(
  {
    name: 'v',
    query: 'SELECT k, count(*), sum(100 / x) FROM s GROUP BY k',
    stream: { name: 's', columns: [{ name: 'k', typeOid: OID.text, typmod: -1 }, { name: 'x', typeOid: OID.int4, typmod: -1 }] },
  },
  io,
);

function rows(data: [string, number][]): RowSource {
  return {
    rowCount: data.length,
    row(i, out) {
      out[0] = data[i]![0];
      out[1] = data[i]![1];
      out[2] = null;
    },
  };
}

/** The batch's groups as "key|count|sum", in message order. */
function aggregate(data: [string, number][]): string[] {
  const w = new PartialsWriter();
  aggregateView({ viewOid: 1, plan }, rows(data), 3, ctx, [w]);
  const out: string[] = [];
  forEachPartialAt(messageBytes(w, () => fixedFieldsOf(plan.fixedKinds!)), (_oid, bytes, keyStart, keyEnd, stateStart, stateEnd) => {
    const key = plan.decodeKey(bytes, keyStart, keyEnd);
    const row = plan.finalize(key, plan.deserializeStates(bytes, stateStart, stateEnd), ctx);
    out.push(row.map((v, i) => (v === null ? 'NULL' : textOut(plan.outputColumns[i]!.typeOid, v, io))).join('|'));
  });
  return out;
}

test('each group once, in first-seen order, with every row of it, for short and long keys', () => {
  const data: [string, number][] = [];
  const expected = new Map<string, [number, number]>();
  for (let i = 0; i < 5000; i++) {
    // 3,000 keys: short ones (numeric ids) and long ones (string ids), every key seen more than once.
    const k = i % 3000 < 1500 ? `k${i % 3000}` : `a-much-longer-key-${i % 3000}`;
    const x = 1 + (i % 7);
    data.push([k, x]);
    const [n, sum] = expected.get(k) ?? [0, 0];
    expected.set(k, [n + 1, sum + Math.trunc(100 / x)]);
  }
  const want = [...expected].map(([k, [n, sum]]) => `${k}|${n}|${sum}`);
  assert.deepEqual(aggregate(data), want);
  // The same table serves the next batch, empty again.
  assert.deepEqual(aggregate(data.slice(0, 2)), ['k0|1|100', 'k1|1|50']);
});

test('a batch that fails part-way leaves nothing for the next one', () => {
  assert.throws(() => aggregate([['a', 1], ['b', 2], ['a', 0]]), /division by zero/);
  assert.deepEqual(aggregate([['a', 4]]), ['a|1|25']);
});
