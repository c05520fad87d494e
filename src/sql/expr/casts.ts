// Cast implementations: how a value of one type becomes a value of another,
// and typmod application (varchar(3), numeric(10,2), timestamp(0) ...).
// Which casts are allowed where is decided in cast-rules.ts.
import { PgError, SQLSTATE } from '../../errors.js';
import { OID, elementOf, typeByOid } from '../../types/oids.js';
import { Interval, PgArray, USECS_PER_DAY } from '../../types/values.js';
import {
  numericFromFloat4,
  numericFromFloat8,
  numericFromInt,
  numericToFloat4,
  numericToFloat8,
  numericToInt2,
  numericToInt4,
  numericToInt8,
} from '../../types/numeric.js';
import { float8ToFloat4 } from '../../types/float-format.js';
import type { Volatility } from '../functions/catalog.js';
import type { ConvertFn } from './typed-expr.js';
import { castContext, contextAllows, isStringType, type CoercionContext } from './cast-rules.js';
import { applyTypmod, jsonbToScalar, localToUtc, textIn, textOut, utcToLocal } from './type-bridge.js';

export interface CastImpl {
  /** null: the representation does not change (binary-compatible types). */
  convert: ConvertFn | null;
  volatility: Volatility;
}

const outOfRange = (what: string) => new PgError(SQLSTATE.numeric_value_out_of_range, `${what} out of range`);

/** rint(): round half to even, as float -> integer casts do. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  if (r - x === 0.5 && r % 2 !== 0) return r - 1;
  return r;
}

function checkInt2(v: number): number {
  if (v < -32768 || v > 32767) throw outOfRange('smallint');
  return v;
}
function checkInt4(v: number): number {
  if (v < -2147483648 || v > 2147483647) throw outOfRange('integer');
  return v;
}
const I8_MIN = -(2n ** 63n);
const I8_MAX = 2n ** 63n - 1n;

function floatToInt(x: number, lo: number, hi: number, name: string): number {
  if (Number.isNaN(x)) throw outOfRange(name);
  const r = roundHalfEven(x);
  if (r < lo || r > hi) throw outOfRange(name);
  return r || 0;
}
function floatToInt8(x: number): bigint {
  if (!Number.isFinite(x)) throw outOfRange('bigint');
  const r = roundHalfEven(x);
  if (r < -9223372036854775808 || r >= 9223372036854775808) throw outOfRange('bigint');
  return BigInt(r);
}
function int8ToNumber(v: bigint, lo: number, hi: number, name: string): number {
  if (v < BigInt(lo) || v > BigInt(hi)) throw outOfRange(name);
  return Number(v);
}

function rtrimSpaces(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 32) end--;
  return end === s.length ? s : s.slice(0, end);
}

const NAMEDATALEN_CHARS = 63;

/** Casts with their own conversion function, keyed "src>dst". */
const direct = new Map<string, { fn: ConvertFn; vol?: Volatility }>();
function def(src: number, dst: number, fn: ConvertFn, vol?: Volatility): void {
  direct.set(src + '>' + dst, { fn, vol });
}

// integers
def(OID.int2, OID.int4, (v) => v);
def(OID.int2, OID.int8, (v) => BigInt(v as number));
def(OID.int4, OID.int8, (v) => BigInt(v as number));
def(OID.int4, OID.int2, (v) => checkInt2(v as number));
def(OID.int8, OID.int4, (v) => int8ToNumber(v as bigint, -2147483648, 2147483647, 'integer'));
def(OID.int8, OID.int2, (v) => int8ToNumber(v as bigint, -32768, 32767, 'smallint'));
for (const t of [OID.int2, OID.int4]) {
  def(t, OID.float4, (v) => Math.fround(v as number));
  def(t, OID.float8, (v) => v);
  def(t, OID.numeric, (v) => numericFromInt(v as number));
  def(t, OID.oid, (v) => (v as number) >>> 0);
}
def(OID.int8, OID.float4, (v) => Math.fround(Number(v as bigint)));
def(OID.int8, OID.float8, (v) => Number(v as bigint));
def(OID.int8, OID.numeric, (v) => numericFromInt(v as bigint));
def(OID.int8, OID.oid, (v) => {
  const n = v as bigint;
  if (n < -2147483648n || n > 4294967295n) throw new PgError(SQLSTATE.numeric_value_out_of_range, 'OID out of range');
  return Number(n) >>> 0;
});
def(OID.oid, OID.int4, (v) => (v as number) | 0);
def(OID.oid, OID.int8, (v) => BigInt(v as number));
// floats
def(OID.float4, OID.float8, (v) => v);
def(OID.float8, OID.float4, (v) => float8ToFloat4(v as number));
for (const t of [OID.float4, OID.float8]) {
  def(t, OID.int2, (v) => floatToInt(v as number, -32768, 32767, 'smallint'));
  def(t, OID.int4, (v) => floatToInt(v as number, -2147483648, 2147483647, 'integer'));
  def(t, OID.int8, (v) => floatToInt8(v as number));
}
def(OID.float4, OID.numeric, (v) => numericFromFloat4(v as number));
def(OID.float8, OID.numeric, (v) => numericFromFloat8(v as number));
// numeric
def(OID.numeric, OID.int2, (v) => numericToInt2(v as never));
def(OID.numeric, OID.int4, (v) => numericToInt4(v as never));
def(OID.numeric, OID.int8, (v) => numericToInt8(v as never));
def(OID.numeric, OID.float4, (v) => numericToFloat4(v as never));
def(OID.numeric, OID.float8, (v) => numericToFloat8(v as never));
// bool, "char"
def(OID.bool, OID.int4, (v) => (v ? 1 : 0));
def(OID.int4, OID.bool, (v) => (v as number) !== 0);
def(OID.bool, OID.text, (v) => (v ? 'true' : 'false'));
def(OID.bool, OID.varchar, (v) => (v ? 'true' : 'false'));
def(OID.bool, OID.bpchar, (v) => (v ? 'true' : 'false'));
def(OID.char, OID.int4, (v) => {
  const c = (v as string).length ? (v as string).charCodeAt(0) & 255 : 0;
  return c > 127 ? c - 256 : c;
});
def(OID.int4, OID.char, (v) => {
  const n = v as number;
  if (n < -128 || n > 127) throw new PgError(SQLSTATE.numeric_value_out_of_range, '"char" out of range');
  return n === 0 ? '' : String.fromCharCode(n < 0 ? n + 256 : n);
});
// strings: blank-padded char loses its trailing spaces when it becomes text
for (const t of [OID.text, OID.varchar, OID.name]) def(OID.bpchar, t, (v) => rtrimSpaces(v as string));
for (const s of [OID.text, OID.varchar, OID.bpchar]) {
  def(s, OID.name, (v) => {
    const str = v as string;
    return str.length > NAMEDATALEN_CHARS ? str.slice(0, NAMEDATALEN_CHARS) : str;
  });
  def(s, OID.char, (v) => (v as string).slice(0, 1));
}
// date/time
const dateToTs = (v: unknown) => (Number.isFinite(v as number) ? (v as number) * USECS_PER_DAY : v);
const tsToDate = (v: unknown) => (Number.isFinite(v as number) ? Math.floor((v as number) / USECS_PER_DAY) : v);
const tsToTime = (v: unknown) => {
  const us = v as number;
  if (!Number.isFinite(us)) throw new PgError(SQLSTATE.datetime_field_overflow, 'timestamp out of range');
  return ((us % USECS_PER_DAY) + USECS_PER_DAY) % USECS_PER_DAY;
};
def(OID.date, OID.timestamp, dateToTs);
def(OID.date, OID.timestamptz, (v, ctx) => (Number.isFinite(v as number) ? localToUtc(dateToTs(v) as number, ctx.io) : v), 'stable');
def(OID.timestamp, OID.date, tsToDate);
def(OID.timestamp, OID.time, tsToTime);
def(OID.timestamp, OID.timestamptz, (v, ctx) => (Number.isFinite(v as number) ? localToUtc(v as number, ctx.io) : v), 'stable');
def(OID.timestamptz, OID.timestamp, (v, ctx) => (Number.isFinite(v as number) ? utcToLocal(v as number, ctx.io) : v), 'stable');
def(OID.timestamptz, OID.date, (v, ctx) => tsToDate(Number.isFinite(v as number) ? utcToLocal(v as number, ctx.io) : v), 'stable');
def(OID.timestamptz, OID.time, (v, ctx) => tsToTime(Number.isFinite(v as number) ? utcToLocal(v as number, ctx.io) : v), 'stable');
def(OID.time, OID.interval, (v) => new Interval(0, 0, v as number));
def(OID.interval, OID.time, (v) => {
  const us = (v as Interval).micros % USECS_PER_DAY;
  return us < 0 ? us + USECS_PER_DAY : us;
});
// json
for (const t of [OID.bool, OID.numeric, OID.int2, OID.int4, OID.int8, OID.float4, OID.float8]) {
  def(OID.jsonb, t, (v, ctx) => jsonbToScalar(v, t, ctx.io));
}

/** Types whose text output does not depend on session settings. */
const SETTING_FREE_OUTPUT = new Set<number>([
  OID.bool, OID.int2, OID.int4, OID.int8, OID.numeric, OID.text, OID.varchar, OID.bpchar, OID.name, OID.char,
  OID.uuid, OID.json, OID.jsonb, OID.oid,
]);

/**
 * How to convert src values to dst values in the given context, or null when
 * no such cast exists (or it is not allowed there).
 */
export function lookupCast(src: number, dst: number, ctx: CoercionContext): CastImpl | null {
  if (src === dst) return { convert: null, volatility: 'immutable' };
  const c = castContext(src, dst);
  if (c === null || !contextAllows(c, ctx)) return null;
  return castImpl(src, dst);
}

function castImpl(src: number, dst: number): CastImpl | null {
  if (src === dst) return { convert: null, volatility: 'immutable' };
  const d = direct.get(src + '>' + dst);
  if (d) return { convert: d.fn, volatility: d.vol ?? 'immutable' };
  // text, varchar and name share a representation; text -> bpchar keeps the string as is
  if (isStringType(src) && (isStringType(dst) || dst === OID.name)) return { convert: null, volatility: 'immutable' };
  if ((src === OID.name || src === OID.char) && isStringType(dst)) return { convert: null, volatility: 'immutable' };
  if (src === OID.regclass || src === OID.regtype || dst === OID.regclass || dst === OID.regtype) {
    if ((src === OID.oid || src === OID.int4 || src === OID.int8) || (dst === OID.oid || dst === OID.int4 || dst === OID.int8)) {
      const toInt = direct.get(src + '>' + dst);
      if (toInt) return { convert: toInt.fn, volatility: 'immutable' };
      return { convert: null, volatility: 'immutable' };
    }
  }
  const se = elementOf(src);
  const de = elementOf(dst);
  if (se !== undefined && de !== undefined) {
    const elem = castImpl(se, de);
    if (!elem) return null;
    const conv = elem.convert;
    if (!conv) return { convert: (v) => new PgArray(de, (v as PgArray).items, (v as PgArray).lower), volatility: elem.volatility };
    return {
      convert: (v, ctx) => {
        const a = v as PgArray;
        const items = new Array(a.items.length);
        for (let i = 0; i < items.length; i++) {
          const x = a.items[i];
          items[i] = x === null ? null : conv(x, ctx);
        }
        return new PgArray(de, items, a.lower);
      },
      volatility: elem.volatility,
    };
  }
  if (isStringType(dst)) {
    const vol: Volatility = SETTING_FREE_OUTPUT.has(src) ? 'immutable' : 'stable';
    return { convert: (v, ctx) => textOut(src, v, ctx.io), volatility: vol };
  }
  if (isStringType(src) || src === OID.name || src === OID.char) {
    return { convert: (v, ctx) => textIn(dst, v as string, -1, ctx.io), volatility: 'stable' };
  }
  if (src === OID.json && dst === OID.jsonb) {
    return { convert: (v, ctx) => textIn(OID.jsonb, v as string, -1, ctx.io), volatility: 'immutable' };
  }
  if (src === OID.jsonb && dst === OID.json) {
    return { convert: (v, ctx) => textOut(OID.jsonb, v, ctx.io), volatility: 'immutable' };
  }
  return null;
}

/** Types that take a typmod. */
const TYPMOD_TYPES = new Set<number>([
  OID.bpchar, OID.varchar, OID.numeric, OID.timestamp, OID.timestamptz, OID.time, OID.timetz, OID.interval, OID.bit, OID.varbit,
]);

/**
 * The length coercion applying `typmod` to values of `type` (and arrays of it),
 * or null when nothing needs doing. `explicit`: a written cast (varchar
 * truncates silently) rather than an assignment (varchar raises 22001).
 */
export function typmodCoercion(type: number, typmod: number, explicit: boolean): ConvertFn | null {
  if (typmod < 0) return null;
  const elem = elementOf(type);
  if (elem !== undefined) {
    const inner = typmodCoercion(elem, typmod, explicit);
    if (!inner) return null;
    return (v, ctx) => {
      const a = v as PgArray;
      return new PgArray(a.elemType, a.items.map((x) => (x === null ? null : inner(x, ctx))), a.lower);
    };
  }
  if (!TYPMOD_TYPES.has(type)) return null;
  return (v) => applyTypmod(type, v, typmod, explicit);
}

/** "cannot cast type boolean to date" */
export function cannotCast(src: number, dst: number, location: number): PgError {
  return new PgError(
    SQLSTATE.cannot_coerce,
    `cannot cast type ${typeByOid(src)?.sqlName ?? src} to ${typeByOid(dst)?.sqlName ?? dst}`,
    location >= 0 ? { position: location + 1 } : {},
  );
}
