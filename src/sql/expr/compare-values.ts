// Ordering and equality of non-null SQL values per type (the btree/hash
// opclass behaviour): used by comparison operators, ORDER BY, DISTINCT,
// GROUP BY, min/max and GREATEST/LEAST. Text compares by code point, which is
// PostgreSQL's "C" collation.
import { PgError, SQLSTATE } from '../../errors.js';
import { OID, elementOf, typeByOid } from '../../types/oids.js';
import { Interval, Numeric, PgArray, USECS_PER_DAY } from '../../types/values.js';
import { numericCompare } from '../../types/numeric.js';
import { jsonbCompare, jsonbKey } from './type-bridge.js';

export type CompareFn = (a: unknown, b: unknown) => number;

const cmpNumber: CompareFn = (a, b) => {
  const x = a as number;
  const y = b as number;
  if (x < y) return -1;
  if (x > y) return 1;
  if (x === y) return 0;
  // NaN sorts above everything and equals itself (float8 btree semantics)
  const xn = Number.isNaN(x);
  const yn = Number.isNaN(y);
  return xn === yn ? 0 : xn ? 1 : -1;
};
const cmpBigint: CompareFn = (a, b) => ((a as bigint) < (b as bigint) ? -1 : (a as bigint) > (b as bigint) ? 1 : 0);
const cmpBool: CompareFn = (a, b) => (a === b ? 0 : a ? 1 : -1);
const cmpNumeric: CompareFn = (a, b) => numericCompare(a as Numeric, b as Numeric);

/** Code-point order of two JS strings (UTF-16 order differs only around surrogates). */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // surrogates (U+D800..DFFF) stand for code points above U+FFFF
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xd800 && x <= 0xdfff ? x + 0x10000 : x;
      y = y >= 0xd800 && y <= 0xdfff ? y + 0x10000 : y;
    }
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}
const cmpText: CompareFn = (a, b) => compareText(a as string, b as string);

function rtrim(s: string): string {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === 32) e--;
  return e === s.length ? s : s.slice(0, e);
}
const cmpBpchar: CompareFn = (a, b) => compareText(rtrim(a as string), rtrim(b as string));

const cmpBytea: CompareFn = (a, b) => {
  const x = a as Uint8Array;
  const y = b as Uint8Array;
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return x.length - y.length < 0 ? -1 : x.length > y.length ? 1 : 0;
};

/** Intervals compare by total span, a month counting 30 days (interval_cmp_value). */
export function intervalSpan(v: Interval): number {
  return (v.months * 30 + v.days) * USECS_PER_DAY + v.micros;
}
function intervalKey(v: Interval): string {
  const wholeDays = Math.floor(v.micros / USECS_PER_DAY);
  return v.months * 30 + v.days + wholeDays + ':' + (v.micros - wholeDays * USECS_PER_DAY);
}

const cmpInterval: CompareFn = (a, b) => {
  const x = a as Interval;
  const y = b as Interval;
  // months and days first, exactly; micros break ties (avoids double rounding)
  const dx = x.months * 30 + x.days + Math.floor(x.micros / USECS_PER_DAY);
  const dy = y.months * 30 + y.days + Math.floor(y.micros / USECS_PER_DAY);
  if (dx !== dy) return dx < dy ? -1 : 1;
  const rx = x.micros - Math.floor(x.micros / USECS_PER_DAY) * USECS_PER_DAY;
  const ry = y.micros - Math.floor(y.micros / USECS_PER_DAY) * USECS_PER_DAY;
  return rx < ry ? -1 : rx > ry ? 1 : 0;
};

function arrayCompare(elemCmp: CompareFn): CompareFn {
  return (a, b) => {
    const x = (a as PgArray).items;
    const y = (b as PgArray).items;
    const n = Math.min(x.length, y.length);
    for (let i = 0; i < n; i++) {
      const p = x[i];
      const q = y[i];
      if (p === null || q === null) {
        if (p === q) continue;
        return p === null ? 1 : -1; // NULL elements sort last
      }
      const c = elemCmp(p, q);
      if (c !== 0) return c;
    }
    if (x.length !== y.length) return x.length < y.length ? -1 : 1;
    const lx = (a as PgArray).lower;
    const ly = (b as PgArray).lower;
    return lx < ly ? -1 : lx > ly ? 1 : 0;
  };
}

const byType = new Map<number, CompareFn>([
  [OID.bool, cmpBool],
  [OID.int2, cmpNumber],
  [OID.int4, cmpNumber],
  [OID.oid, cmpNumber],
  [OID.regclass, cmpNumber],
  [OID.regtype, cmpNumber],
  [OID.float4, cmpNumber],
  [OID.float8, cmpNumber],
  [OID.int8, cmpBigint],
  [OID.numeric, cmpNumeric],
  [OID.text, cmpText],
  [OID.varchar, cmpText],
  [OID.name, cmpText],
  [OID.char, cmpText],
  [OID.uuid, cmpText],
  [OID.unknown, cmpText],
  [OID.bpchar, cmpBpchar],
  [OID.bytea, cmpBytea],
  [OID.date, cmpNumber],
  [OID.time, cmpNumber],
  [OID.timestamp, cmpNumber],
  [OID.timestamptz, cmpNumber],
  [OID.interval, cmpInterval],
  [OID.jsonb, (a, b) => jsonbCompare(a, b)],
]);

/** The comparison for a type, or null when the type has no ordering (json, point...). */
export function compareFnFor(type: number): CompareFn | null {
  const f = byType.get(type);
  if (f) return f;
  const elem = elementOf(type);
  if (elem !== undefined) {
    const ec = compareFnFor(elem);
    return ec ? arrayCompare(ec) : null;
  }
  return null;
}

/** Like compareFnFor, but raises 42883 "could not identify an ordering operator for type json". */
export function requireCompareFn(type: number, location = -1): CompareFn {
  const f = compareFnFor(type);
  if (f) return f;
  throw new PgError(
    SQLSTATE.undefined_function,
    `could not identify an ordering operator for type ${typeByOid(type)?.sqlName ?? type}`,
    { hint: 'Use an explicit ordering operator or modify the query.', ...(location >= 0 ? { position: location + 1 } : {}) },
  );
}

/** A string that is equal for two values exactly when they compare equal (for hashing). */
export type KeyFn = (v: unknown) => string;

const keyByType = new Map<number, KeyFn>([
  [OID.bool, (v) => (v ? 't' : 'f')],
  [OID.numeric, (v) => (v as Numeric).value.toString()],
  [OID.bpchar, (v) => rtrim(v as string)],
  [OID.bytea, (v) => Buffer.from(v as Uint8Array).toString('hex')],
  [OID.interval, (v) => intervalKey(v as Interval)],
  [OID.jsonb, (v) => jsonbKey(v)],
]);

export function keyFnFor(type: number): KeyFn {
  const f = keyByType.get(type);
  if (f) return f;
  const elem = elementOf(type);
  if (elem !== undefined) {
    const ek = keyFnFor(elem);
    return (v) => {
      const a = v as PgArray;
      return JSON.stringify([a.lower, a.items.map((x) => (x === null ? null : ek(x)))]);
    };
  }
  return (v) => String(v);
}

/** Equality on non-null values through the type's comparison (or its key when unordered). */
export function equalsFnFor(type: number): (a: unknown, b: unknown) => boolean {
  const c = compareFnFor(type);
  if (c) return (a, b) => c(a, b) === 0;
  const k = keyFnFor(type);
  return (a, b) => k(a) === k(b);
}
