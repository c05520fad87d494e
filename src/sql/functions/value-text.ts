// Text output of any SQL value, for the functions that print their arguments
// (concat, format, quote_literal, array_to_string, to_json ...). Each type's
// formatter lives in src/types; this only dispatches on the type OID.
import { formatBool } from '../../types/bool.js';
import { formatByteaEscape, formatByteaHex } from '../../types/bytea.js';
import { formatDate, formatTime, formatTimestamp, formatTimestamptz } from '../../types/datetime-format.js';
import { formatFloat4, formatFloat8 } from '../../types/float-format.js';
import type { TypeIoContext } from '../../types/io-context.js';
import { formatInterval } from '../../types/interval.js';
import { formatJsonb, type Jsonb } from '../../types/jsonb.js';
import { formatNumeric } from '../../types/numeric.js';
import { OID } from '../../types/oids.js';
import { sessionZone } from '../../types/timezone.js';
import { Interval, Numeric, PgArray } from '../../types/values.js';

/** The output-function text of a non-null value of type `type`. */
export function valueToText(value: unknown, type: number, io: TypeIoContext): string {
  switch (type) {
    case OID.bool:
      return formatBool(value as boolean);
    case OID.float4:
      return formatFloat4(value as number, io.extraFloatDigits);
    case OID.float8:
      return formatFloat8(value as number, io.extraFloatDigits);
    case OID.numeric:
      return formatNumeric(value as Numeric);
    case OID.bytea:
      return io.byteaOutput === 'escape' ? formatByteaEscape(value as Uint8Array) : formatByteaHex(value as Uint8Array);
    case OID.date:
      return formatDate(value as number, io.dateStyle);
    case OID.time:
      return formatTime(value as number);
    case OID.timestamp:
      return formatTimestamp(value as number, io.dateStyle);
    case OID.timestamptz:
      return formatTimestamptz(value as number, io.dateStyle, sessionZone(io.timeZone));
    case OID.interval:
      return formatInterval(value as Interval, io.intervalStyle);
    case OID.jsonb:
      return formatJsonb(value as Jsonb);
  }
  if (value instanceof PgArray) return arrayToText(value, io);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return formatBool(value);
  if (value instanceof Numeric) return formatNumeric(value);
  if (value instanceof Interval) return formatInterval(value, io.intervalStyle);
  // int2/int4/int8/oid/regtype and anything else integral
  return String(value);
}

/** array_out: {a,"b c",NULL}, with [lower:upper]= when the lower bound is not 1. */
export function arrayToText(arr: PgArray, io: TypeIoContext): string {
  let out = arr.lower !== 1 && arr.items.length > 0 ? `[${arr.lower}:${arr.lower + arr.items.length - 1}]={` : '{';
  const elemType = arr.elemType;
  for (let i = 0; i < arr.items.length; i++) {
    if (i > 0) out += ',';
    const v = arr.items[i];
    out += v === null || v === undefined ? 'NULL' : quoteArrayElement(valueToText(v, elemType, io));
  }
  return out + '}';
}

function quoteArrayElement(s: string): string {
  if (s === '' || s.toUpperCase() === 'NULL') return `"${s}"`;
  let needs = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 92 || c === 123 || c === 125 || c === 44 || c === 32 || (c >= 9 && c <= 13)) {
      needs = true;
      break;
    }
  }
  if (!needs) return s;
  return '"' + s.replace(/["\\]/g, '\\$&') + '"';
}
