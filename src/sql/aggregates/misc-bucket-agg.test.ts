import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../builtins.js';
import { PgError } from '../../errors.js';
import { OID } from '../../types/oids.js';
import { PgArray } from '../../types/values.js';
import { functionCandidates } from '../functions/catalog.js';
import { aggregateCandidates, type AggregateImpl } from './aggregate.js';
import { mulberry32 } from '../../testing/prng.js';

function impl(argTypes: number[]): AggregateImpl {
  const def = aggregateCandidates('bucket_agg').find((d) => d.args.length === argTypes.length);
  assert.ok(def);
  return def.create(argTypes);
}

function call(name: string, ...args: unknown[]): unknown {
  return functionCandidates(name)[0]!.impl(args, undefined as never, []);
}

/** [bucket ids, cardinalities] of a bucket_agg result. */
function buckets(bytes: unknown): [unknown[], unknown[]] {
  return [(call('bucket_ids', bytes) as PgArray).items, (call('bucket_cardinalities', bytes) as PgArray).items];
}

function stepAll(agg: AggregateImpl, rows: unknown[][]): unknown {
  let s = agg.init();
  for (const r of rows) s = agg.step(s, r);
  return s;
}

/** A state as the combiner gets it: serialized and read back. */
function shipped(agg: AggregateImpl, s: unknown): unknown {
  return agg.deserialize(agg.serialize(s));
}

test('signatures, result types and functions', () => {
  assert.deepEqual(aggregateCandidates('bucket_agg').map((d) => [d.args, d.ret, d.strict]), [
    [[OID.anyelement, OID.int2], OID.bytea, false],
    [[OID.anyelement, OID.int2, OID.timestamptz], OID.bytea, false],
  ]);
  const agg = impl([OID.text, OID.int2]);
  assert.equal(agg.resultType, OID.bytea);
  assert.equal(agg.final(agg.init()), null);
  const b = agg.final(stepAll(agg, [['x', 3], ['y', -2], ['z', 3], [null, 3]]));
  assert.deepEqual(buckets(b), [[-2, 3], [1, 3]]);
  assert.equal((call('bucket_ids', b) as PgArray).elemType, OID.int2);
  assert.equal((call('bucket_cardinalities', b) as PgArray).elemType, OID.int4);
  assert.equal(call('bucket_cardinality', b, 3), 3n);
  assert.equal(call('bucket_cardinality', b, 0), 0n);
});

test('a later step moves a value, whichever order the partial states merge in', () => {
  const agg = impl([OID.int4, OID.int2]);
  const older = stepAll(agg, [[1, 0], [2, 0], [3, 0]]);
  const newer = stepAll(agg, [[1, 5], [2, 5], [4, 5]]);
  const ab = agg.final(agg.merge(shipped(agg, older), shipped(agg, newer)));
  const ba = agg.final(agg.merge(shipped(agg, newer), shipped(agg, older)));
  assert.deepEqual(buckets(ab), [[0, 5], [1, 3]]);
  assert.deepEqual(ba, ab);
  // Within one state the later row wins too.
  assert.deepEqual(buckets(agg.final(stepAll(agg, [[7, 1], [7, 2], [7, 1]]))), [[1], [1]]);
  assert.deepEqual(agg.merge(agg.init(), older), older);
  assert.deepEqual(agg.merge(older, agg.init()), older);
});

test('equal values of a type are one value; NULL bucket id or timestamp fails', () => {
  const agg = impl([OID.float8, OID.int2]);
  assert.deepEqual(buckets(agg.final(stepAll(agg, [[0, 1], [-0, 1], [1.5, 1]]))), [[1], [2]]);
  const isXX000 = (msg: string) => (e: unknown) => e instanceof PgError && e.code === 'XX000' && e.message === msg;
  assert.throws(() => stepAll(agg, [[1, null]]), isXX000('set ID cannot be NULL'));
  const ts = impl([OID.float8, OID.int2, OID.timestamptz]);
  assert.throws(() => stepAll(ts, [[1, 1, null]]), isXX000('timestamp cannot be NULL'));
  assert.throws(() => call('bucket_ids', Uint8Array.of(1, 2)), isXX000('malformed bucket_agg transition state received'));
});

test('with timestamps, any split of the rows merges to the same bytes', () => {
  const agg = impl([OID.int4, OID.int2, OID.timestamptz]);
  const rand = mulberry32(77);
  for (let round = 0; round < 50; round++) {
    const rows: unknown[][] = [];
    for (let i = 0; i < 60; i++) rows.push([Math.floor(rand() * 15), Math.floor(rand() * 5), Math.floor(rand() * 10) * 1e6]);
    const whole = agg.final(stepAll(agg, rows));
    const cut1 = Math.floor(rand() * 61);
    const cut2 = cut1 + Math.floor(rand() * (61 - cut1));
    // Fresh states per merge: merge may reuse its arguments.
    const parts = () => [rows.slice(0, cut1), rows.slice(cut1, cut2), rows.slice(cut2)].map((p) => shipped(agg, stepAll(agg, p)));
    const [a, b, c] = parts();
    assert.deepEqual(agg.final(agg.merge(agg.merge(c, a), b)), whole);
    const [d, e, f] = parts();
    assert.deepEqual(agg.final(agg.merge(e, agg.merge(d, f))), whole);
  }
});
