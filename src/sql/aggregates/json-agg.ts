// json_agg, jsonb_agg, json_object_agg and jsonb_object_agg. NULL values
// become JSON null (the aggregates are not strict); a NULL object key is an
// error; no rows give NULL. json results keep PostgreSQL's spacing:
// "[a, b]" with "\n " before array elements, "{ "k" : v, ... }".
import { PgError, SQLSTATE } from '../../errors.js';
import { JSONB_NULL, JsonbObject, formatJsonb, parseJsonb, quoteJsonString, type Jsonb } from '../../types/jsonb.js';
import { OID } from '../../types/oids.js';
import { PgArray } from '../../types/values.js';
import type { EvalContext } from '../functions/catalog.js';
import { sqlToJsonText, sqlToJsonb } from '../functions/sql-json.js';
import { defaultIoContext } from '../../types/io-context.js';
import { registerAggregate, type AggregateImpl } from './aggregate.js';
import { decodeState, encodeState } from './state-codec.js';

const fallbackIo = defaultIoContext();

function invalid(message: string): PgError {
  return new PgError(SQLSTATE.invalid_parameter_value, message);
}

/** Rejects the keys PostgreSQL rejects: NULL and non-scalars. */
function checkKey(key: unknown, type: number): void {
  if (key === null) throw invalid('field name must not be null');
  if (key instanceof PgArray || type === OID.json || type === OID.jsonb) {
    throw invalid('key value must be scalar, not array, composite, or json');
  }
}

/**
 * json_agg's state is every element's text, each behind the separator that
 * would precede it if it were not first (", ", or ", \n " before a non-NULL
 * array); final drops the first separator. Keeping them makes merge a plain
 * concatenation.
 */
function jsonAgg(type: number): AggregateImpl<string | null> {
  return {
    resultType: OID.json,
    init: () => null,
    step: (s, [v], ctx?: EvalContext) => {
      const sep = v instanceof PgArray ? ', \n ' : ', ';
      const piece = sep + sqlToJsonText(v, type, ctx?.io ?? fallbackIo);
      return s === null ? piece : s + piece;
    },
    merge: (a, b) => (a === null ? b : b === null ? a : a + b),
    final: (s) => (s === null ? null : '[' + s.slice(s.startsWith(', \n ') ? 4 : 2) + ']'),
    serialize: (s) => encodeState(s),
    deserialize: (b) => decodeState<string | null>(b),
  };
}

/** json_object_agg's state: the ", "-prefixed `"key" : value` pairs. */
function jsonObjectAgg(keyType: number, valueType: number): AggregateImpl<string | null> {
  return {
    resultType: OID.json,
    init: () => null,
    step: (s, [k, v], ctx?: EvalContext) => {
      checkKey(k, keyType);
      const io = ctx?.io ?? fallbackIo;
      const keyJson = sqlToJsonText(k, keyType, io);
      const piece = ', ' + (keyJson.charCodeAt(0) === 34 ? keyJson : quoteJsonString(keyJson)) + ' : ' + sqlToJsonText(v, valueType, io);
      return s === null ? piece : s + piece;
    },
    merge: (a, b) => (a === null ? b : b === null ? a : a + b),
    final: (s) => (s === null ? null : '{ ' + s.slice(2) + ' }'),
    serialize: (s) => encodeState(s),
    deserialize: (b) => decodeState<string | null>(b),
  };
}

function jsonbAgg(type: number): AggregateImpl<Jsonb[] | null> {
  return {
    resultType: OID.jsonb,
    init: () => null,
    step: (s, [v], ctx?: EvalContext) => {
      const j = v === null ? JSONB_NULL : sqlToJsonb(v, type, ctx?.io ?? fallbackIo);
      if (s === null) return [j];
      s.push(j);
      return s;
    },
    merge: (a, b) => (a === null ? b : b === null ? a : a.concat(b)),
    final: (s) => (s === null ? null : s.slice()),
    serialize: (s) => encodeState(s === null ? null : formatJsonb(s)),
    deserialize: (b) => {
      const text = decodeState<string | null>(b);
      return text === null ? null : parseJsonbArray(text);
    },
  };
}

/** jsonb_object_agg's state: keys and values in arrival order; duplicates resolve (last wins) in final. */
export interface JsonbPairs {
  keys: string[];
  values: Jsonb[];
}

/** The text of a jsonb scalar used as an object key. */
function jsonbKeyText(j: Jsonb): string {
  return typeof j === 'string' ? j : formatJsonb(j);
}

function jsonbObjectAgg(keyType: number, valueType: number): AggregateImpl<JsonbPairs | null> {
  return {
    resultType: OID.jsonb,
    init: () => null,
    step: (s, [k, v], ctx?: EvalContext) => {
      checkKey(k, keyType);
      const io = ctx?.io ?? fallbackIo;
      const key = jsonbKeyText(sqlToJsonb(k, keyType, io));
      const value = v === null ? JSONB_NULL : sqlToJsonb(v, valueType, io);
      if (s === null) return { keys: [key], values: [value] };
      s.keys.push(key);
      s.values.push(value);
      return s;
    },
    merge: (a, b) => (a === null ? b : b === null ? a : { keys: a.keys.concat(b.keys), values: a.values.concat(b.values) }),
    final: (s) => (s === null ? null : JsonbObject.fromPairs(s.keys, s.values)),
    serialize: (s) => encodeState(s === null ? null : { keys: s.keys, values: formatJsonb(s.values) }),
    deserialize: (b) => {
      const t = decodeState<{ keys: string[]; values: string } | null>(b);
      return t === null ? null : { keys: t.keys, values: parseJsonbArray(t.values) };
    },
  };
}

function parseJsonbArray(text: string): Jsonb[] {
  return parseJsonb(text) as Jsonb[];
}

registerAggregate(
  { name: 'json_agg', args: [OID.anyelement], ret: OID.json, strict: false, create: (t) => jsonAgg(t[0]!) },
  { name: 'jsonb_agg', args: [OID.anyelement], ret: OID.jsonb, strict: false, create: (t) => jsonbAgg(t[0]!) },
  { name: 'json_object_agg', args: [OID.any, OID.any], ret: OID.json, strict: false, create: (t) => jsonObjectAgg(t[0]!, t[1]!) },
  { name: 'jsonb_object_agg', args: [OID.any, OID.any], ret: OID.jsonb, strict: false, create: (t) => jsonbObjectAgg(t[0]!, t[1]!) },
);
