// SQL values as JSON, for to_json/to_jsonb and the json(b)_build_* functions:
// numbers and booleans become JSON scalars, date/time values ISO 8601 ("XSD")
// strings, arrays JSON arrays, json/jsonb values are embedded, and every other
// type becomes a string holding its text output.
import { formatDate, formatTime, formatTimestamp, formatTimestamptz } from '../../types/datetime-format.js';
import type { TypeIoContext } from '../../types/io-context.js';
import { JSONB_NULL, formatJsonb, parseJsonb, quoteJsonString, type Jsonb } from '../../types/jsonb.js';
import { numericFromInt, parseNumeric } from '../../types/numeric.js';
import { OID } from '../../types/oids.js';
import { sessionZone } from '../../types/timezone.js';
import { Numeric, PgArray } from '../../types/values.js';
import { valueToText } from './value-text.js';

const ISO = { style: 'ISO', order: 'MDY' } as const;

/** JSON's number grammar, which numeric/float output may not satisfy (NaN, Infinity). */
const JSON_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

function isNumericType(t: number): boolean {
  return t === OID.int2 || t === OID.int4 || t === OID.int8 || t === OID.float4 || t === OID.float8 || t === OID.numeric || t === OID.oid;
}

/** XSD dateTime: ISO output with a T, and a full hh:mm offset. */
function xsdDateTime(type: number, value: number, io: TypeIoContext): string {
  if (!Number.isFinite(value)) return value > 0 ? 'infinity' : '-infinity';
  if (type === OID.timestamp) return formatTimestamp(value, ISO).replace(' ', 'T');
  const s = formatTimestamptz(value, ISO, sessionZone(io.timeZone)).replace(' ', 'T');
  return s.replace(/([+-]\d\d)(?=$| BC)/, '$1:00');
}

/** Datetime values as JSON strings; null when `type` is not a date/time type. */
function dateTimeJson(value: unknown, type: number, io: TypeIoContext): string | null {
  switch (type) {
    case OID.date:
      return formatDate(value as number, ISO);
    case OID.time:
      return formatTime(value as number);
    case OID.timestamp:
    case OID.timestamptz:
      return xsdDateTime(type, value as number, io);
    default:
      return null;
  }
}

/** to_json / json_build_*: the JSON text of a SQL value (arrays print compactly, as [1,2]). */
export function sqlToJsonText(value: unknown, type: number, io: TypeIoContext): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof PgArray) {
    let out = '[';
    for (let i = 0; i < value.items.length; i++) {
      out += (i ? ',' : '') + sqlToJsonText(value.items[i], value.elemType, io);
    }
    return out + ']';
  }
  if (type === OID.json) return value as string;
  if (type === OID.jsonb) return formatJsonb(value as Jsonb);
  if (type === OID.bool) return value ? 'true' : 'false';
  if (isNumericType(type)) {
    const s = valueToText(value, type, io);
    return JSON_NUMBER.test(s) ? s : quoteJsonString(s);
  }
  const dt = dateTimeJson(value, type, io);
  if (dt !== null) return quoteJsonString(dt);
  return quoteJsonString(valueToText(value, type, io));
}

/** to_jsonb / jsonb_build_*: the jsonb value of a SQL value. */
export function sqlToJsonb(value: unknown, type: number, io: TypeIoContext): Jsonb {
  if (value === null || value === undefined) return JSONB_NULL;
  if (value instanceof PgArray) return value.items.map((v) => sqlToJsonb(v, value.elemType, io));
  if (type === OID.jsonb) return value as Jsonb;
  if (type === OID.json) return parseJsonb(value as string);
  if (type === OID.bool) return value as boolean;
  if (type === OID.numeric) return (value as Numeric).isNaN() ? 'NaN' : (value as Numeric);
  if (type === OID.int2 || type === OID.int4 || type === OID.int8 || type === OID.oid) return numericFromInt(value as number | bigint);
  if (type === OID.float4 || type === OID.float8) {
    const s = valueToText(value, type, io);
    return JSON_NUMBER.test(s) ? parseNumeric(s) : s;
  }
  const dt = dateTimeJson(value, type, io);
  if (dt !== null) return dt;
  return valueToText(value, type, io);
}

