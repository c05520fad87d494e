// Group-key encodings: exact round trips, canonical bytes for equal keys,
// distinct bytes for distinct keys; and the first-seen spelling a view shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OID } from '../types/oids.js';
import { defaultIoContext } from '../types/io-context.js';
import { textOut } from '../types/type-io.js';
import { parseNumeric, NUMERIC_NAN } from '../types/numeric.js';
import { Interval } from '../types/values.js';
import { loadParser } from '../sql/parse-statements.js';
import { evalContext } from '../sql/select/test-support.js';
import { keyCodecFor, keyEncoder } from './key-codec.js';
import { compileContinuousPlan } from './compile-plan.js';

await loadParser();
const io = defaultIoContext();
const ctx = evalContext();

function encoder(types: [number, number][]) {
  return keyEncoder(types.map(([t, m]) => keyCodecFor(t, m)!));
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const DAY = 86_400_000_000;

const SAMPLES: [number, unknown[]][] = [
  [OID.bool, [true, false]],
  [OID.int2, [0, 1, -1, 32767, -32768]],
  [OID.int4, [0, 63, 64, -64, -65, 2147483647, -2147483648]],
  [OID.int8, [0n, 1n, -1n, 9223372036854775807n, -9223372036854775808n, 1125899906842623n, 1125899906842624n, -1125899906842624n]],
  [OID.float4, [0, 1.5, -2.25, Math.fround(0.1), Infinity, -Infinity, NaN, 3.4028234663852886e38]],
  [OID.float8, [0, 0.1, -1e-300, 1e300, Infinity, -Infinity, NaN, 2 ** 53 + 2, 4.9e-324]],
  [OID.date, [0, -1, 100000, Infinity, -Infinity]],
  [OID.time, [0, 86_400_000_000 - 1]],
  [OID.timestamp, [0, 631_152_000_000_001, -211_813_488_000_000_000, Infinity, -Infinity]],
  [OID.timestamptz, [837_000_000_000_000, -1]],
  [OID.text, ['', 'a', "it's", 'é日本', '😀x', 'x'.repeat(300), 'é'.repeat(100)]],
  [OID.varchar, ['abc']],
  [OID.name, ['pg_class']],
  [OID.uuid, ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11']],
  [OID.bytea, [new Uint8Array(0), new Uint8Array([0, 255, 1])]],
  [OID.interval, [new Interval(0, 1, 3_600_000_000), new Interval(0, -3, -5), new Interval(0, 40, 0)]],
];

test('keys round trip with their types (NULLs included)', () => {
  for (const [type, values] of SAMPLES) {
    const enc = encoder([[type, -1]]);
    for (const v of [...values, null]) {
      const bytes = enc.encode([v]);
      const back = enc.decode(bytes);
      assert.equal(hex(enc.encode(back)), hex(bytes), `re-encoding type ${type} value ${String(v)}`);
      const shown = (x: unknown) => (x === null ? null : textOut(type, x, { ...io, extraFloatDigits: 3 }));
      assert.equal(shown(back[0]), shown(v), `type ${type} value ${String(v)}`);
      if (typeof v === 'number') assert.ok(Object.is(back[0], v === 0 ? 0 : v), `type ${type} value ${v}`);
      if (typeof v === 'bigint' || typeof v === 'string') assert.equal(back[0], v);
    }
  }
  const num = encoder([[OID.numeric, -1]]);
  for (const s of ['0', '1.5', '-1.5', '123456789012345678901234567890.123456789', '0.000000000000000000001', '-1000000']) {
    const back = num.decode(num.encode([parseNumeric(s)]))[0];
    assert.equal(textOut(OID.numeric, back, io), s);
  }
  assert.equal(num.decode(num.encode([NUMERIC_NAN]))[0], NUMERIC_NAN);
  const multi = encoder([[OID.int4, -1], [OID.text, -1], [OID.int8, -1], [OID.bool, -1]]);
  assert.deepEqual(multi.decode(multi.encode([7, 'x', null, true])), [7, 'x', null, true]);
  assert.equal(encoder([]).encode([]).length, 0);
  assert.deepEqual(encoder([]).decode(new Uint8Array(0)), []);
});

test('equal keys give identical bytes', () => {
  const same = (type: number, typmod: number, a: unknown, b: unknown) => {
    const enc = encoder([[type, typmod]]);
    assert.equal(hex(enc.encode([a])), hex(enc.encode([b])), `${String(a)} = ${String(b)}`);
  };
  same(OID.numeric, -1, parseNumeric('1.0'), parseNumeric('1.00'));
  same(OID.numeric, -1, parseNumeric('1'), parseNumeric('1.000'));
  same(OID.numeric, -1, parseNumeric('-0.50'), parseNumeric('-0.5'));
  same(OID.numeric, -1, parseNumeric('0.00'), parseNumeric('0'));
  same(OID.float8, -1, -0, 0);
  same(OID.float8, -1, NaN, -NaN);
  same(OID.float8, -1, NaN, Infinity - Infinity);
  same(OID.bpchar, 9, 'ab   ', 'ab');
  same(OID.interval, -1, new Interval(0, 1, 0), new Interval(0, 0, DAY));
  same(OID.interval, -1, new Interval(1, 0, 0), new Interval(0, 30, 0));
  same(OID.interval, -1, new Interval(0, 2, -DAY), new Interval(0, 0, DAY));
});

test('different keys give different bytes', () => {
  const differ = (types: [number, number][], a: unknown[], b: unknown[]) => {
    const enc = encoder(types);
    assert.notEqual(hex(enc.encode(a)), hex(enc.encode(b)), `${JSON.stringify(a, (_k, v) => String(v))} vs ${JSON.stringify(b, (_k, v) => String(v))}`);
  };
  const tt: [number, number][] = [[OID.text, -1], [OID.text, -1]];
  differ(tt, ['a', 'b'], ['ab', '']);
  differ(tt, ['', null], [null, '']);
  differ([[OID.int4, -1]], [0], [null]);
  differ([[OID.int4, -1]], [1], [-1]);
  differ([[OID.float8, -1]], [1], [1.5]);
  differ([[OID.float8, -1]], [Infinity], [-Infinity]);
  differ([[OID.int8, -1]], [1125899906842624n], [1125899906842623n]);
  differ([[OID.numeric, -1]], [parseNumeric('1.01')], [parseNumeric('1.1')]);
  differ([[OID.numeric, -1]], [parseNumeric('10')], [parseNumeric('1')]);
  differ([[OID.numeric, -1]], [NUMERIC_NAN], [parseNumeric('0')]);
  differ([[OID.interval, -1]], [new Interval(0, 1, 1)], [new Interval(0, 1, 0)]);
  differ([[OID.bool, -1]], [true], [false]);
});

test('decoded keys use the canonical spelling; typmods give scale and padding', () => {
  const num = encoder([[OID.numeric, -1]]);
  assert.equal(textOut(OID.numeric, num.decode(num.encode([parseNumeric('2.500')]))[0], io), '2.5');
  const num102 = encoder([[OID.numeric, (10 << 16) + 2 + 4]]);
  assert.equal(textOut(OID.numeric, num102.decode(num102.encode([parseNumeric('2.50')]))[0], io), '2.50');
  const ch = encoder([[OID.bpchar, 5 + 4]]);
  assert.equal(ch.decode(ch.encode(['ab   ']))[0], 'ab   ');
  const iv = encoder([[OID.interval, -1]]);
  assert.equal(textOut(OID.interval, iv.decode(iv.encode([new Interval(1, 0, 0)]))[0], io), '30 days');
});

test('corrupt key bytes are rejected', () => {
  const enc = encoder([[OID.int4, -1]]);
  assert.throws(() => enc.decode(new Uint8Array([2])), { code: 'XX001' });
  assert.throws(() => enc.decode(new Uint8Array([1])), { code: 'XX001' });
  assert.throws(() => enc.decode(new Uint8Array([1, 2, 0])), { code: 'XX001' });
});

test('a view shows the first spelling it saw of an equal key, as GROUP BY does', () => {
  const plan = compileContinuousPlan(
    {
      name: 'v',
      query: 'SELECT n, iv, count(*) FROM s GROUP BY n, iv',
      stream: { name: 's', columns: [{ name: 'n', typeOid: OID.numeric, typmod: -1 }, { name: 'iv', typeOid: OID.interval, typmod: -1 }] },
    },
    io,
  );
  assert.equal(plan.stateCount, 3);
  const rows = [
    [parseNumeric('1.50'), new Interval(0, 1, 0), 0],
    [parseNumeric('1.5'), new Interval(0, 0, DAY), 0],
    [parseNumeric('1.500'), new Interval(0, 1, 0), 0],
  ];
  const keys = rows.map((r) => hex(plan.encodeKey(plan.groupKey(r, ctx)!)));
  assert.equal(new Set(keys).size, 1);
  const a = plan.newStates();
  plan.step(a, rows[0], ctx);
  const b = plan.newStates();
  plan.step(b, rows[1], ctx);
  plan.step(b, rows[2], ctx);
  plan.merge(a, plan.deserializeStates(plan.serializeStates(b)));
  const key = plan.decodeKey(plan.encodeKey(plan.groupKey(rows[1], ctx)!));
  const out = plan.finalize(key, plan.deserializeStates(plan.serializeStates(a)), ctx);
  assert.deepEqual(out.map((v, i) => textOut(plan.outputColumns[i].typeOid, v, io)), ['1.50', '1 day', '3']);
});
