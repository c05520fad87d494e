import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PgError } from '../../errors.js';
import { defaultIoContext } from '../../types/io-context.js';
import { parseInterval } from '../../types/interval.js';
import { parseNumeric } from '../../types/numeric.js';
import { OID, typeByName, typeByOid } from '../../types/oids.js';
import { SKETCH_OID } from '../../types/sketch-types.js';
import { binaryIn, binaryOut, textIn, textOut } from '../../types/type-io.js';
import { PgArray } from '../../types/values.js';
import { aggregateCandidates, type AggregateImpl } from '../aggregates/index.js';
import './index.js';
import { canonicalCodec } from './sketch-value-bytes.js';
import { call, callVariadic } from './test-support.js';

const io = defaultIoContext();

function aggregate(name: string, argTypes: number[]): AggregateImpl {
  const def = aggregateCandidates(name).find((d) => d.args.length === argTypes.length);
  assert.ok(def, `${name}/${argTypes.length} is registered`);
  return def.create(argTypes);
}

function run(agg: AggregateImpl, rows: unknown[][]): unknown {
  let s = agg.init();
  for (const r of rows) s = agg.step(s, r);
  return s;
}

test('sketch types have fixed OIDs and PipelineDB names', () => {
  assert.equal(typeByName('hyperloglog')?.oid, SKETCH_OID.hyperloglog);
  assert.equal(typeByName('topk')?.oid, 8803);
  assert.equal(typeByOid(SKETCH_OID.tdigest)?.sqlName, 'tdigest');
});

test('sketch text I/O is bytea text of the serialized bytes; binary is the raw bytes', () => {
  const h = call('hll_empty', [OID.int4], [4]) as Uint8Array;
  assert.equal(textOut(SKETCH_OID.hyperloglog, h, io), '\\x01010400');
  assert.equal(textOut(SKETCH_OID.hyperloglog, h, { ...io, byteaOutput: 'escape' }), '\\001\\001\\004\\000');
  assert.deepEqual(textIn(SKETCH_OID.hyperloglog, '\\x01010400', -1, io), h);
  assert.deepEqual(binaryIn(SKETCH_OID.hyperloglog, binaryOut(SKETCH_OID.hyperloglog, h, io), -1, io), h);
  assert.throws(() => textIn(SKETCH_OID.bloom, '\\x00', -1, io), (e: unknown) => e instanceof PgError && e.code === '22P03');
});

test('canonical bytes: equal values of a type encode equally, and decode back', () => {
  const num = canonicalCodec(OID.numeric);
  assert.deepEqual(num.encode(parseNumeric('1.0')), num.encode(parseNumeric('1.00')));
  assert.notDeepEqual(num.encode(parseNumeric('1.0')), num.encode(parseNumeric('1.01')));
  const iv = canonicalCodec(OID.interval);
  assert.deepEqual(iv.encode(parseInterval('1 day')), iv.encode(parseInterval('24 hours')));
  const txt = canonicalCodec(OID.text);
  assert.equal(txt.decode(txt.encode('héllo')), 'héllo');
  // A type without a key codec falls back to its text form.
  const arr = canonicalCodec(OID._int4);
  assert.deepEqual(arr.decode(arr.encode(new PgArray(OID.int4, [1, 2]))), new PgArray(OID.int4, [1, 2]));
});

test('hll_agg: exact while sparse; partial states merge to the whole', () => {
  const agg = aggregate('hll_agg', [OID.int4]);
  const rows = Array.from({ length: 100 }, (_, i) => [i + 1]);
  const whole = agg.final(run(agg, rows)) as Uint8Array;
  assert.equal(call('hll_cardinality', [SKETCH_OID.hyperloglog], [whole]), 100n);
  const a = run(agg, rows.slice(0, 70));
  const b = agg.deserialize(agg.serialize(run(agg, rows.slice(30))));
  assert.deepEqual(agg.final(agg.merge(a, b)), whole);
  assert.equal(agg.final(agg.init()), null);
});

test('hll_union checks argument types and precision', () => {
  const h = call('hll_empty', [], []) as Uint8Array;
  const H = SKETCH_OID.hyperloglog;
  assert.equal(callVariadic('hll_union', [], [null, null], [H, H]), null);
  assert.throws(() => callVariadic('hll_union', [], [h, 1], [H, OID.int4]), /argument 2 is not of type "hyperloglog"/);
  assert.throws(() => callVariadic('hll_union', [], [h, call('hll_empty', [OID.int4], [10])], [H, H]), /same p/);
});

test('bloom: members are always contained; shapes must match to combine', () => {
  const agg = aggregate('bloom_agg', [OID.text]);
  const b = agg.final(run(agg, [['a'], ['b'], ['c']])) as Uint8Array;
  for (const v of ['a', 'b', 'c']) assert.equal(call('bloom_contains', [SKETCH_OID.bloom, OID.anyelement], [b, v], undefined, [SKETCH_OID.bloom, OID.text]), true);
  assert.equal(call('bloom_cardinality', [SKETCH_OID.bloom], [b]), 3n);
  const small = call('bloom_empty', [OID.float8, OID.int8], [0.1, 10n]);
  assert.throws(() => callVariadic('bloom_union', [], [b, small], [SKETCH_OID.bloom, SKETCH_OID.bloom]), /same p/);
});

test('freq_agg never underestimates and counts the total', () => {
  const agg = aggregate('freq_agg', [OID.int4]);
  const c = agg.final(run(agg, [[1], [1], [2], [1]])) as Uint8Array;
  const C = SKETCH_OID.cmsketch;
  const freq = (v: number) => call('freq', [C, OID.anyelement], [c, v], undefined, [C, OID.int4]);
  assert.equal(freq(1), 3);
  assert.equal(freq(2), 1);
  assert.equal(call('freq_total', [C], [c]), 4n);
  assert.equal(call('freq_total', [C], [null]), 0n);
});

test('topk_agg keeps the heaviest values, decoded in their own type', () => {
  const agg = aggregate('topk_agg', [OID.numeric, OID.int4]);
  const rows = ['1.0', '1.00', '2', '3', '3', '3'].map((s) => [parseNumeric(s), 2]);
  const t = agg.final(run(agg, rows)) as Uint8Array;
  const values = call('topk_values', [SKETCH_OID.topk, OID.anyarray], [t, null], undefined, [SKETCH_OID.topk, OID._numeric]) as PgArray;
  assert.deepEqual(values.items.map((v) => textOut(OID.numeric, v, io)), ['3', '1']);
  assert.deepEqual((call('topk_freqs', [SKETCH_OID.topk], [t]) as PgArray).items, [3n, 2n]);
  assert.deepEqual((call('topk_values', [SKETCH_OID.topk], [t]) as PgArray).items, ['3', '1']);
});

test('dist_agg is exact for small inputs (percentile_cont semantics)', () => {
  const agg = aggregate('dist_agg', [OID.float8]);
  const d = agg.final(run(agg, [[4], [1], [3], [2]])) as Uint8Array;
  const T = SKETCH_OID.tdigest;
  assert.equal(call('dist_quantile', [T, OID.float8], [d, 0.5]), 2.5);
  assert.equal(call('dist_quantile', [T, OID.float8], [d, 1 / 3]), 2);
  assert.equal(call('dist_cdf', [T, OID.float8], [d, 2.5]), 0.5);
  assert.throws(() => call('dist_quantile', [T, OID.float8], [d, -0.1]), /between 0 and 1/);
  assert.throws(() => run(agg, [[Infinity]]), /finite/);
});
