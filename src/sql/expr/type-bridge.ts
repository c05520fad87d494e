// The few entry points of src/types/ that expressions need, gathered in one
// place so the analyzer and casts do not depend on that module's layout.
import type { TypeIoContext } from '../../types/io-context.js';
import * as typeIo from '../../types/type-io.js';
import { PgError, SQLSTATE } from '../../errors.js';
import { OID, typeByOid } from '../../types/oids.js';
import { Numeric } from '../../types/values.js';
import { numericToFloat4, numericToFloat8, numericToInt2, numericToInt4, numericToInt8 } from '../../types/numeric.js';
import { JSONB_NULL, compareJsonb, formatJsonb, type Jsonb } from '../../types/jsonb.js';
import { sessionZone, type TimeZone } from '../../types/timezone.js';
import { timestampToTimestamptz, timestamptzToTimestamp } from '../../types/datetime.js';

let lastZoneSetting = '';
let lastZone: TimeZone | null = null;

/** The session's TimeZone, resolved once per distinct setting string. */
export function zoneOf(io: TypeIoContext): TimeZone {
  if (lastZone === null || io.timeZone !== lastZoneSetting) {
    lastZone = sessionZone(io.timeZone);
    lastZoneSetting = io.timeZone;
  }
  return lastZone;
}

/** Text input of a value of `type` (typmod -1: none). Throws 22P02 etc. */
export function textIn(type: number, text: string, typmod: number, io: TypeIoContext): unknown {
  return typeIo.textIn(type, text, typmod, io);
}

/** Text output of a non-null value of `type`. */
export function textOut(type: number, value: unknown, io: TypeIoContext): string {
  return typeIo.textOut(type, value, io);
}

/** Applies a typmod (varchar(3), numeric(10,2), timestamp(0)...). */
export function applyTypmod(type: number, value: unknown, typmod: number, explicit: boolean): unknown {
  return typeIo.applyTypmod(type, value, typmod, explicit);
}

/** format_type(type, typmod): "character varying(3)", "integer[]". */
export function formatTypeName(type: number, typmod: number): string {
  return typeIo.formatTypeName(type, typmod);
}

/** timestamp (local wall-clock microseconds) -> timestamptz in the session TimeZone. */
export function localToUtc(localUs: number, io: TypeIoContext): number {
  return timestampToTimestamptz(localUs, zoneOf(io));
}

/** timestamptz -> local wall-clock microseconds in the session TimeZone. */
export function utcToLocal(utcUs: number, io: TypeIoContext): number {
  return timestamptzToTimestamp(utcUs, zoneOf(io));
}

/** jsonb -> bool / numeric / int / float (PostgreSQL 11 casts): 22023 for other JSON kinds. */
export function jsonbToScalar(value: unknown, type: number, _io: TypeIoContext): unknown {
  const v = value as Jsonb;
  if (type === OID.bool) {
    if (typeof v === 'boolean') return v;
    throw jsonbCastError(v, type);
  }
  if (!(v instanceof Numeric)) throw jsonbCastError(v, type);
  switch (type) {
    case OID.numeric: return v;
    case OID.int2: return numericToInt2(v);
    case OID.int4: return numericToInt4(v);
    case OID.int8: return numericToInt8(v);
    case OID.float4: return numericToFloat4(v);
    default: return numericToFloat8(v);
  }
}

function jsonbKind(v: Jsonb): string {
  if (v === JSONB_NULL) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  if (v instanceof Numeric) return 'numeric';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

function jsonbCastError(v: Jsonb, type: number): PgError {
  return new PgError(SQLSTATE.invalid_parameter_value, `cannot cast jsonb ${jsonbKind(v)} to type ${typeByOid(type)?.sqlName ?? type}`);
}

/** jsonb btree ordering. */
export function jsonbCompare(a: unknown, b: unknown): number {
  return compareJsonb(a as Jsonb, b as Jsonb);
}

/** A string equal for equal jsonb values (its canonical text). */
export function jsonbKey(v: unknown): string {
  return formatJsonb(v as Jsonb);
}
