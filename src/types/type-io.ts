// Entry points for value I/O by type OID. Each type's text and binary
// functions sit in a table built once; callers fetch a function per column
// (getTextOutput(oid)) and call it per value without any dispatch.
import { formatRecordText, recordInputRefused, recordToBinary, type PgRecord } from './record.js';
import { PgError, SQLSTATE } from '../errors.js';
import { arrayFromBinary, arrayToBinary, formatArrayText, parseArrayText } from './arrays.js';
import { formatBool, parseBool } from './bool.js';
import { formatByteaEscape, formatByteaHex, parseBytea } from './bytea.js';
import { roundToPrecision } from './datetime.js';
import { formatDate, formatTime, formatTimestamp, formatTimestamptz } from './datetime-format.js';
import { parseDate, parseTime, parseTimestamp, parseTimestamptz, type DateTimeInput } from './datetime-parse.js';
import { formatFloat4, formatFloat8, parseFloat4, parseFloat8 } from './float-format.js';
import { parseInt2, parseInt4, parseInt8, parseOid } from './ints.js';
import {
  formatInterval, formatIntervalTypmod, INTERVAL_FULL_RANGE, intervalApplyTypmod, intervalTypmod, parseInterval,
} from './interval.js';
import type { TypeIoContext } from './io-context.js';
import { formatJsonb, jsonbFromBinary, jsonbToBinary, parseJson, parseJsonb, type Jsonb } from './jsonb.js';
import {
  formatNumeric, numericApplyTypmod, numericFromBinary, numericToBinary, numericTypmod, numericTypmodPrecision,
  numericTypmodScale, parseNumeric,
} from './numeric.js';
import { OID, typeByName, typeByOid } from './oids.js';
import { applyBpcharTypmod, applyVarcharTypmod, parseChar, truncateName, varcharTypmod } from './text.js';
import { sessionZone } from './timezone.js';
import { SKETCH_TYPES, sketchTypeIo } from './sketch-types.js';
import { parseUuid, uuidFromBinary, uuidToBinary } from './uuid.js';
import { Interval, Numeric, PgArray } from './values.js';

/**
 * The I/O context may also carry the transaction start time, used for the
 * literals 'now', 'today', 'tomorrow' and 'yesterday' (PG-epoch microseconds,
 * UTC); without it the wall clock is used.
 */
export type IoContext = TypeIoContext & { transactionTimestamp?: number };

export type TextInput = (text: string, typmod: number, ctx: IoContext) => unknown;
export type TextOutput = (value: unknown, ctx: IoContext) => string;
export type BinaryInput = (buf: Buffer, typmod: number, ctx: IoContext) => unknown;
export type BinaryOutput = (value: unknown, ctx: IoContext) => Buffer;

interface TypeIo {
  textIn: TextInput;
  textOut: TextOutput;
  binIn: BinaryInput;
  binOut: BinaryOutput;
}

// ---- helpers -------------------------------------------------------------------------

function insufficientData(): PgError {
  return new PgError(SQLSTATE.protocol_violation, 'insufficient data left in message');
}

function badBinary(): PgError {
  return new PgError(SQLSTATE.invalid_binary_representation, 'incorrect binary data format');
}

/** Checks a fixed-width binary value's length. */
function fixed(buf: Buffer, len: number): void {
  // pq_getmsgbyte's wording for a one-byte value with nothing there.
  if (buf.length === 0 && len === 1) throw new PgError(SQLSTATE.protocol_violation, 'no data left in message');
  if (buf.length < len) throw insufficientData();
  if (buf.length > len) throw badBinary();
}

function dtInput(ctx: IoContext): DateTimeInput {
  return { order: ctx.dateStyle.order, zone: sessionZone(ctx.timeZone), now: ctx.transactionTimestamp };
}

const utf8 = (v: unknown): Buffer => Buffer.from(v as string, 'utf8');
const fromUtf8 = (b: Buffer): string => b.toString('utf8');

function int64Buffer(v: bigint): Buffer {
  const b = Buffer.allocUnsafe(8);
  b.writeBigInt64BE(v, 0);
  return b;
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

/** timestamp/time values as int64; infinities as PostgreSQL's sentinels. */
function timestampToInt64(v: number): bigint {
  if (v === Infinity) return INT64_MAX;
  if (v === -Infinity) return INT64_MIN;
  return BigInt(Math.round(v));
}

function int64ToTimestamp(v: bigint): number {
  if (v === INT64_MAX) return Infinity;
  if (v === INT64_MIN) return -Infinity;
  return Number(v);
}

/** Length-checked text conversion of a time value's fractional precision (timestamp(p) etc.). */
function timePrecision(typmod: number): number {
  return typmod < 0 ? -1 : typmod;
}

// ---- the table -------------------------------------------------------------------------

const table = new Map<number, TypeIo>();

function def(oid: number, io: TypeIo): void {
  table.set(oid, io);
}

const textLike = (apply?: (s: string, typmod: number) => string): TypeIo => ({
  textIn: apply ? (t, typmod) => apply(t, typmod) : (t) => t,
  textOut: (v) => v as string,
  binIn: apply ? (b, typmod) => apply(fromUtf8(b), typmod) : (b) => fromUtf8(b),
  binOut: utf8,
});

def(OID.bool, {
  textIn: (t) => parseBool(t),
  textOut: (v) => formatBool(v as boolean),
  binIn: (b) => {
    fixed(b, 1);
    return b[0] !== 0;
  },
  binOut: (v) => Buffer.from([v ? 1 : 0]),
});

def(OID.int2, {
  textIn: (t) => parseInt2(t),
  textOut: (v) => String(v),
  binIn: (b) => {
    fixed(b, 2);
    return b.readInt16BE(0);
  },
  binOut: (v) => {
    const b = Buffer.allocUnsafe(2);
    b.writeInt16BE(v as number, 0);
    return b;
  },
});

def(OID.int4, {
  textIn: (t) => parseInt4(t),
  textOut: (v) => String(v),
  binIn: (b) => {
    fixed(b, 4);
    return b.readInt32BE(0);
  },
  binOut: (v) => {
    const b = Buffer.allocUnsafe(4);
    b.writeInt32BE(v as number, 0);
    return b;
  },
});

def(OID.int8, {
  textIn: (t) => parseInt8(t),
  textOut: (v) => String(v),
  binIn: (b) => {
    fixed(b, 8);
    return b.readBigInt64BE(0);
  },
  binOut: (v) => int64Buffer(BigInt(v as bigint)),
});

const oidIo: TypeIo = {
  textIn: (t) => parseOid(t),
  textOut: (v) => String(v),
  binIn: (b) => {
    fixed(b, 4);
    return b.readUInt32BE(0);
  },
  binOut: (v) => {
    const b = Buffer.allocUnsafe(4);
    b.writeUInt32BE(v as number, 0);
    return b;
  },
};
def(OID.oid, oidIo);

def(OID.float4, {
  textIn: (t) => parseFloat4(t),
  textOut: (v, ctx) => formatFloat4(v as number, ctx.extraFloatDigits),
  binIn: (b) => {
    fixed(b, 4);
    return b.readFloatBE(0);
  },
  binOut: (v) => {
    const b = Buffer.allocUnsafe(4);
    b.writeFloatBE(v as number, 0);
    return b;
  },
});

def(OID.float8, {
  textIn: (t) => parseFloat8(t),
  textOut: (v, ctx) => formatFloat8(v as number, ctx.extraFloatDigits),
  binIn: (b) => {
    fixed(b, 8);
    return b.readDoubleBE(0);
  },
  binOut: (v) => {
    const b = Buffer.allocUnsafe(8);
    b.writeDoubleBE(v as number, 0);
    return b;
  },
});

def(OID.numeric, {
  textIn: (t, typmod) => numericApplyTypmod(parseNumeric(t), typmod),
  textOut: (v) => formatNumeric(v as Numeric),
  binIn: (b, typmod) => numericApplyTypmod(numericFromBinary(b), typmod),
  binOut: (v) => numericToBinary(v as Numeric),
});

def(OID.text, textLike());
def(OID.unknown, textLike());
def(OID.varchar, textLike((s, typmod) => applyVarcharTypmod(s, typmod, false)));
def(OID.bpchar, textLike((s, typmod) => applyBpcharTypmod(s, typmod, false)));
def(OID.name, textLike((s) => truncateName(s)));
def(OID.json, {
  textIn: (t) => parseJson(t),
  textOut: (v) => v as string,
  binIn: (b) => parseJson(fromUtf8(b)),
  binOut: utf8,
});
def(OID.char, {
  textIn: (t) => parseChar(t),
  textOut: (v) => v as string,
  binIn: (b) => (b.length === 0 ? '' : String.fromCharCode(b[0]!)),
  binOut: (v) => Buffer.from((v as string).length ? [(v as string).charCodeAt(0) & 0xff] : []),
});

def(OID.bytea, {
  textIn: (t) => parseBytea(t),
  textOut: (v, ctx) => (ctx.byteaOutput === 'escape' ? formatByteaEscape(v as Uint8Array) : formatByteaHex(v as Uint8Array)),
  binIn: (b) => new Uint8Array(b),
  binOut: (v) => {
    const u = v as Uint8Array;
    return Buffer.from(u.buffer, u.byteOffset, u.length);
  },
});

def(OID.uuid, {
  textIn: (t) => parseUuid(t),
  textOut: (v) => v as string,
  binIn: (b) => uuidFromBinary(b),
  binOut: (v) => uuidToBinary(v as string),
});

def(OID.jsonb, {
  textIn: (t) => parseJsonb(t),
  textOut: (v) => formatJsonb(v as Jsonb),
  binIn: (b) => jsonbFromBinary(b),
  binOut: (v) => jsonbToBinary(v as Jsonb),
});

def(OID.void, {
  textIn: () => '',
  textOut: () => '',
  binIn: () => '',
  binOut: () => Buffer.alloc(0),
});

def(OID.date, {
  textIn: (t, _typmod, ctx) => parseDate(t, dtInput(ctx)),
  textOut: (v, ctx) => formatDate(v as number, ctx.dateStyle),
  binIn: (b) => {
    fixed(b, 4);
    const d = b.readInt32BE(0);
    return d === INT32_MAX ? Infinity : d === INT32_MIN ? -Infinity : d;
  },
  binOut: (v) => {
    const d = v as number;
    const b = Buffer.allocUnsafe(4);
    b.writeInt32BE(d === Infinity ? INT32_MAX : d === -Infinity ? INT32_MIN : d, 0);
    return b;
  },
});

def(OID.time, {
  textIn: (t, typmod, ctx) => roundToPrecision(parseTime(t, dtInput(ctx)), timePrecision(typmod)),
  textOut: (v) => formatTime(v as number),
  binIn: (b, typmod) => {
    fixed(b, 8);
    const us = Number(b.readBigInt64BE(0));
    if (us < 0 || us > 86_400_000_000) {
      throw new PgError(SQLSTATE.invalid_binary_representation, 'time out of range');
    }
    return roundToPrecision(us, timePrecision(typmod));
  },
  binOut: (v) => int64Buffer(BigInt(v as number)),
});

def(OID.timestamp, {
  textIn: (t, typmod, ctx) => roundToPrecision(parseTimestamp(t, dtInput(ctx)), timePrecision(typmod)),
  textOut: (v, ctx) => formatTimestamp(v as number, ctx.dateStyle),
  binIn: (b, typmod) => {
    fixed(b, 8);
    return roundToPrecision(int64ToTimestamp(b.readBigInt64BE(0)), timePrecision(typmod));
  },
  binOut: (v) => int64Buffer(timestampToInt64(v as number)),
});

def(OID.timestamptz, {
  textIn: (t, typmod, ctx) => roundToPrecision(parseTimestamptz(t, dtInput(ctx)), timePrecision(typmod)),
  textOut: (v, ctx) => formatTimestamptz(v as number, ctx.dateStyle, sessionZone(ctx.timeZone)),
  binIn: (b, typmod) => {
    fixed(b, 8);
    return roundToPrecision(int64ToTimestamp(b.readBigInt64BE(0)), timePrecision(typmod));
  },
  binOut: (v) => int64Buffer(timestampToInt64(v as number)),
});

def(OID.interval, {
  textIn: (t, typmod, ctx) => intervalApplyTypmod(parseInterval(t, ctx.intervalStyle), typmod),
  textOut: (v, ctx) => formatInterval(v as Interval, ctx.intervalStyle),
  binIn: (b, typmod) => {
    fixed(b, 16);
    const iv = new Interval(b.readInt32BE(12), b.readInt32BE(8), Number(b.readBigInt64BE(0)));
    return intervalApplyTypmod(iv, typmod);
  },
  binOut: (v) => {
    const iv = v as Interval;
    const b = Buffer.allocUnsafe(16);
    b.writeBigInt64BE(BigInt(iv.micros), 0);
    b.writeInt32BE(iv.days, 8);
    b.writeInt32BE(iv.months, 12);
    return b;
  },
});

// Object-identifier aliases: shown by number (no catalog lookup at this layer),
// except regtype, whose names are all built in.
for (const oid of [OID.regproc, OID.regclass, OID.regnamespace, OID.regrole]) def(oid, oidIo);
def(OID.regtype, {
  ...oidIo,
  textIn: (t, typmod, ctx) => {
    const name = t.trim();
    if (/^[0-9]+$/.test(name)) return oidIo.textIn(name, typmod, ctx);
    const isArray = name.endsWith('[]');
    const base = typeByName(isArray ? name.slice(0, -2).trim() : name);
    const oid = base && isArray ? base.array : base?.oid;
    if (oid === undefined) throw new PgError(SQLSTATE.undefined_object, `type "${name}" does not exist`);
    return oid;
  },
  // format_type without a typmod, as regtypeout prints it ("character" for bpchar).
  textOut: (v) => (v === OID.bpchar ? 'character' : typeByOid(v as number) ? formatTypeName(v as number, -1) : String(v)),
});

// Arrays of every element type above.
for (const [elemOid, elemIo] of [...table]) {
  const arrayOid = typeByOid(elemOid)?.array;
  if (arrayOid === undefined) continue;
  def(arrayOid, {
    textIn: (t, typmod, ctx) => parseArrayText(t, elemOid, (s) => elemIo.textIn(s, typmod, ctx)),
    textOut: (v, ctx) => formatArrayText(v as PgArray, (e) => elemIo.textOut(e, ctx)),
    binIn: (b, typmod, ctx) => arrayFromBinary(b, elemOid, (e) => elemIo.binIn(e, typmod, ctx)),
    binOut: (v, ctx) => arrayToBinary(v as PgArray, (e) => elemIo.binOut(e, ctx)),
  });
}

for (const s of SKETCH_TYPES) def(s.oid, sketchTypeIo(s));

// Anonymous records: fields print with their own types' output (looked up per value).
def(OID.record, {
  textIn: () => {
    throw recordInputRefused();
  },
  textOut: (v, ctx) => formatRecordText(v as PgRecord, (t, x) => ioFor(t).textOut(x, ctx)),
  binIn: () => {
    throw recordInputRefused();
  },
  binOut: (v, ctx) => recordToBinary(v as PgRecord, (t, x) => ioFor(t).binOut(x, ctx)),
});
// record[] (first_values over several columns): defined after record, so the array loop above skipped it.
def(OID._record, {
  textIn: () => {
    throw recordInputRefused();
  },
  textOut: (v, ctx) => formatArrayText(v as PgArray, (e) => ioFor(OID.record).textOut(e, ctx)),
  binIn: () => {
    throw recordInputRefused();
  },
  binOut: (v, ctx) => arrayToBinary(v as PgArray, (e) => ioFor(OID.record).binOut(e, ctx)),
});

function ioFor(oid: number): TypeIo {
  const io = table.get(oid);
  if (!io) {
    const name = typeByOid(oid)?.name ?? String(oid);
    throw new PgError(SQLSTATE.feature_not_supported, `no input/output functions for type ${name}`);
  }
  return io;
}

// ---- public API ------------------------------------------------------------------------

/** Whether values of this type can be read and printed here. */
export function hasTypeIo(oid: number): boolean {
  return table.has(oid);
}

export function getTextInput(oid: number): TextInput {
  return ioFor(oid).textIn;
}

export function getTextOutput(oid: number): TextOutput {
  return ioFor(oid).textOut;
}

export function getBinaryInput(oid: number): BinaryInput {
  return ioFor(oid).binIn;
}

export function getBinaryOutput(oid: number): BinaryOutput {
  return ioFor(oid).binOut;
}

/** Text -> value; typmod -1 means none (varchar(n) etc. apply it as an assignment would). */
export function textIn(oid: number, text: string, typmod: number, ctx: IoContext): unknown {
  return ioFor(oid).textIn(text, typmod, ctx);
}

export function textOut(oid: number, value: unknown, ctx: IoContext): string {
  return ioFor(oid).textOut(value, ctx);
}

export function binaryIn(oid: number, buf: Buffer, typmod: number, ctx: IoContext): unknown {
  return ioFor(oid).binIn(buf, typmod, ctx);
}

export function binaryOut(oid: number, value: unknown, ctx: IoContext): Buffer {
  return ioFor(oid).binOut(value, ctx);
}

/**
 * Coerces a value to a type modifier: varchar(n)/bpchar(n) (explicit casts
 * truncate, others raise 22001), numeric(p,s), timestamp(p)/time(p), interval
 * fields/precision; arrays apply it to each element.
 */
export function applyTypmod(oid: number, value: unknown, typmod: number, isExplicitCast: boolean): unknown {
  if (typmod < 0 || value === null || value === undefined) return value;
  switch (oid) {
    case OID.varchar:
      return applyVarcharTypmod(value as string, typmod, isExplicitCast);
    case OID.bpchar:
      return applyBpcharTypmod(value as string, typmod, isExplicitCast);
    case OID.numeric:
      return numericApplyTypmod(value as Numeric, typmod);
    case OID.timestamp:
    case OID.timestamptz:
    case OID.time:
      return roundToPrecision(value as number, typmod);
    case OID.interval:
      return intervalApplyTypmod(value as Interval, typmod);
  }
  const elem = typeByOid(oid)?.elem;
  if (elem !== undefined && value instanceof PgArray) {
    let changed = false;
    const items = value.items.map((e) => {
      const r = applyTypmod(elem, e, typmod, isExplicitCast);
      if (r !== e) changed = true;
      return r;
    });
    return changed ? new PgArray(value.elemType, items, value.lower) : value;
  }
  return value;
}

function precisionTypmod(typeLabel: string, p: number): number {
  if (p < 0) throw new PgError(SQLSTATE.invalid_parameter_value, `${typeLabel}(${p}) precision must not be negative`);
  return Math.min(p, 6); // PostgreSQL warns and reduces larger values to 6
}

function wrongTypmodCount(typeName: string): PgError {
  return new PgError(SQLSTATE.invalid_parameter_value, `invalid type modifier`, { detail: typeName });
}

/**
 * The typmod PostgreSQL stores for a type written with modifiers, e.g.
 * numeric(10,2) -> 655366, varchar(3) -> 7, timestamp(3) -> 3. For interval,
 * [precision] or [fieldRangeMask, precision] as the grammar supplies them.
 */
export function typmodFromTypeName(oid: number, typmods: number[]): number {
  const elem = typeByOid(oid)?.elem;
  if (elem !== undefined) return typmodFromTypeName(elem, typmods);
  if (typmods.length === 0) return -1;
  switch (oid) {
    case OID.varchar:
      if (typmods.length !== 1) throw wrongTypmodCount('varchar');
      return varcharTypmod(typmods[0]!, 'varchar');
    case OID.bpchar:
      if (typmods.length !== 1) throw wrongTypmodCount('char');
      return varcharTypmod(typmods[0]!, 'char');
    case OID.numeric:
      if (typmods.length > 2) throw new PgError(SQLSTATE.invalid_parameter_value, 'invalid NUMERIC type modifier');
      return numericTypmod(typmods[0]!, typmods[1] ?? 0);
    case OID.timestamp:
      return precisionTypmod('TIMESTAMP', typmods[0]!);
    case OID.timestamptz:
      return precisionTypmod('TIMESTAMP', typmods[0]!);
    case OID.time:
      return precisionTypmod('TIME', typmods[0]!);
    case OID.interval:
      if (typmods.length === 1) return intervalTypmod(INTERVAL_FULL_RANGE, precisionTypmod('INTERVAL', typmods[0]!));
      return intervalTypmod(typmods[0]!, typmods[1]! < 0 ? 0xffff : precisionTypmod('INTERVAL', typmods[1]!));
    default: {
      const name = typeByOid(oid)?.name ?? String(oid);
      throw new PgError(SQLSTATE.syntax_error, `type modifier is not allowed for type "${name}"`);
    }
  }
}

/**
 * format_type(oid, typmod): "character varying(10)", "numeric(10,2)",
 * "timestamp(3) with time zone", "integer[]". With typmod -1, bpchar prints as
 * "bpchar" as format_type does for a column without a length.
 */
export function formatTypeName(oid: number, typmod: number): string {
  const info = typeByOid(oid);
  if (!info) return '???';
  if (info.elem !== undefined) return formatTypeName(info.elem, typmod) + '[]';
  switch (oid) {
    case OID.varchar:
      return typmod >= 4 ? `character varying(${typmod - 4})` : 'character varying';
    case OID.bpchar:
      return typmod >= 4 ? `character(${typmod - 4})` : 'bpchar';
    case OID.numeric:
      return typmod >= 4 ? `numeric(${numericTypmodPrecision(typmod)},${numericTypmodScale(typmod)})` : 'numeric';
    case OID.timestamp:
      return typmod >= 0 ? `timestamp(${typmod}) without time zone` : 'timestamp without time zone';
    case OID.timestamptz:
      return typmod >= 0 ? `timestamp(${typmod}) with time zone` : 'timestamp with time zone';
    case OID.time:
      return typmod >= 0 ? `time(${typmod}) without time zone` : 'time without time zone';
    case OID.interval:
      return 'interval' + formatIntervalTypmod(typmod);
    default:
      return info.sqlName;
  }
}
