// = <> < <= > >= for every ordered type, through the per-type comparison in
// compare-values.ts (text by code point: "C" collation).
import { OID } from '../../../types/oids.js';
import { compareFnFor, requireCompareFn, type CompareFn } from '../compare-values.js';
import { op, register } from './define.js';

const COMPARABLE = [
  OID.bool, OID.int2, OID.int4, OID.int8, OID.float4, OID.float8, OID.numeric, OID.oid,
  OID.text, OID.bpchar, OID.name, OID.char, OID.bytea, OID.uuid,
  OID.date, OID.time, OID.timestamp, OID.timestamptz, OID.interval, OID.jsonb,
];

type Test = (c: number) => boolean;
const TESTS: [string, Test][] = [
  ['=', (c) => c === 0],
  ['<>', (c) => c !== 0],
  ['<', (c) => c < 0],
  ['<=', (c) => c <= 0],
  ['>', (c) => c > 0],
  ['>=', (c) => c >= 0],
];

/** Types whose values compare correctly with JavaScript's own operators (no NaN, no objects). */
const PLAIN = new Set<number>([OID.int2, OID.int4, OID.int8, OID.oid, OID.date, OID.time, OID.timestamp, OID.timestamptz]);

for (const t of COMPARABLE) {
  if (PLAIN.has(t)) {
    register(
      op('=', t, t, OID.bool, ([a, b]) => a === b),
      op('<>', t, t, OID.bool, ([a, b]) => a !== b),
      op('<', t, t, OID.bool, ([a, b]) => a < b),
      op('<=', t, t, OID.bool, ([a, b]) => a <= b),
      op('>', t, t, OID.bool, ([a, b]) => a > b),
      op('>=', t, t, OID.bool, ([a, b]) => a >= b),
    );
    continue;
  }
  const cmp = compareFnFor(t)!;
  for (const [name, test] of TESTS) register(op(name, t, t, OID.bool, ([a, b]) => test(cmp(a, b))));
}

// Arrays compare element by element with their element type's ordering.
const arrayCmp = new Map<number, CompareFn>();
function arrayCompare(type: number): CompareFn {
  let f = arrayCmp.get(type);
  if (!f) arrayCmp.set(type, (f = requireCompareFn(type)));
  return f;
}
for (const [name, test] of TESTS) {
  register(op(name, OID.anyarray, OID.anyarray, OID.bool, ([a, b], _ctx, types) => test(arrayCompare(types[0])(a, b))));
}
