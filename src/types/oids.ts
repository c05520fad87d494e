// The built-in types: OIDs, names and properties as PostgreSQL's pg_type has
// them. Clients see these OIDs in RowDescription and ParameterDescription, so
// they must match PostgreSQL exactly.
import { SKETCH_TYPES } from './sketch-types.js';

export const OID = {
  bool: 16, bytea: 17, char: 18, name: 19, int8: 20, int2: 21, int2vector: 22, int4: 23,
  regproc: 24, text: 25, oid: 26, json: 114, xml: 142, point: 600, cidr: 650, inet: 869,
  float4: 700, float8: 701, unknown: 705, money: 790, bpchar: 1042, varchar: 1043,
  date: 1082, time: 1083, timestamp: 1114, timestamptz: 1184, interval: 1186, timetz: 1266,
  bit: 1560, varbit: 1562, numeric: 1700, regclass: 2205, regtype: 2206, cstring: 2275,
  any: 2276, anyarray: 2277, void: 2278, record: 2249, anyelement: 2283, anynonarray: 2776,
  uuid: 2950, jsonb: 3802, regnamespace: 4089, regrole: 4096,
  // arrays
  _bool: 1000, _bytea: 1001, _char: 1002, _name: 1003, _int2: 1005, _int4: 1007,
  _text: 1009, _bpchar: 1014, _varchar: 1015, _int8: 1016, _float4: 1021, _float8: 1022,
  _oid: 1028, _timestamp: 1115, _date: 1182, _time: 1183, _timestamptz: 1185,
  _interval: 1187, _numeric: 1231, _cstring: 1263, _uuid: 2951, _json: 199, _jsonb: 3807,
  _regtype: 2211, _record: 2287,
} as const;

/** pg_type.typcategory */
export type TypeCategory = 'A' | 'B' | 'D' | 'N' | 'S' | 'T' | 'U' | 'X' | 'P' | 'G' | 'I' | 'V' | 'E' | 'C' | 'R';

export interface TypeInfo {
  oid: number;
  /** pg_type.typname, e.g. "int4", "_int4", "timestamptz". */
  name: string;
  /** format_type() spelling, e.g. "integer", "integer[]", "timestamp with time zone". */
  sqlName: string;
  /** pg_type.typlen: byte width, -1 for varlena, -2 for cstring. */
  len: number;
  category: TypeCategory;
  /** pg_type.typispreferred within its category. */
  preferred: boolean;
  /** For array types: the element type. */
  elem?: number;
  /** For element types: the array type. */
  array?: number;
}

const T: TypeInfo[] = [];
function def(oid: number, name: string, sqlName: string, len: number, category: TypeCategory, preferred = false, array?: number): void {
  T.push({ oid, name, sqlName, len, category, preferred, array });
}

def(OID.bool, 'bool', 'boolean', 1, 'B', true, OID._bool);
def(OID.bytea, 'bytea', 'bytea', -1, 'U', false, OID._bytea);
def(OID.char, 'char', '"char"', 1, 'S', false, OID._char);
def(OID.name, 'name', 'name', 64, 'S', false, OID._name);
def(OID.int8, 'int8', 'bigint', 8, 'N', false, OID._int8);
def(OID.int2, 'int2', 'smallint', 2, 'N', false, OID._int2);
def(OID.int4, 'int4', 'integer', 4, 'N', false, OID._int4);
def(OID.regproc, 'regproc', 'regproc', 4, 'N');
def(OID.text, 'text', 'text', -1, 'S', true, OID._text);
def(OID.oid, 'oid', 'oid', 4, 'N', true, OID._oid);
def(OID.json, 'json', 'json', -1, 'U', false, OID._json);
def(OID.float4, 'float4', 'real', 4, 'N', false, OID._float4);
def(OID.float8, 'float8', 'double precision', 8, 'N', true, OID._float8);
def(OID.unknown, 'unknown', 'unknown', -2, 'X');
def(OID.bpchar, 'bpchar', 'character', -1, 'S', false, OID._bpchar);
def(OID.varchar, 'varchar', 'character varying', -1, 'S', false, OID._varchar);
def(OID.date, 'date', 'date', 4, 'D', false, OID._date);
def(OID.time, 'time', 'time without time zone', 8, 'D', false, OID._time);
def(OID.timestamp, 'timestamp', 'timestamp without time zone', 8, 'D', false, OID._timestamp);
def(OID.timestamptz, 'timestamptz', 'timestamp with time zone', 8, 'D', true, OID._timestamptz);
def(OID.interval, 'interval', 'interval', 16, 'T', true, OID._interval);
def(OID.numeric, 'numeric', 'numeric', -1, 'N', false, OID._numeric);
def(OID.regclass, 'regclass', 'regclass', 4, 'N');
def(OID.regtype, 'regtype', 'regtype', 4, 'N', false, OID._regtype);
def(OID.cstring, 'cstring', 'cstring', -2, 'P', false, OID._cstring);
def(OID.any, 'any', '"any"', 4, 'P');
def(OID.anyarray, 'anyarray', 'anyarray', -1, 'P');
def(OID.anyelement, 'anyelement', 'anyelement', 4, 'P');
def(OID.anynonarray, 'anynonarray', 'anynonarray', 4, 'P');
def(OID.void, 'void', 'void', 4, 'P');
def(OID.record, 'record', 'record', -1, 'P', false, OID._record);
def(OID.uuid, 'uuid', 'uuid', 16, 'U', false, OID._uuid);
def(OID.jsonb, 'jsonb', 'jsonb', -1, 'U', false, OID._jsonb);
// PipelineDB's sketch types (no array types, as in PipelineDB 1.0's script).
for (const s of SKETCH_TYPES) def(s.oid, s.name, s.name, -1, 'U');

// Array types mirror their element types.
for (const t of [...T]) {
  if (t.array === undefined) continue;
  T.push({ oid: t.array, name: '_' + t.name, sqlName: t.sqlName + '[]', len: -1, category: 'A', preferred: false, elem: t.oid });
}

const byOid = new Map<number, TypeInfo>(T.map((t) => [t.oid, t]));
const byName = new Map<string, TypeInfo>(T.map((t) => [t.name, t]));

/** SQL spellings that the grammar does not already turn into pg_catalog names. */
const ALIASES: Record<string, string> = {
  integer: 'int4', int: 'int4', smallint: 'int2', bigint: 'int8', real: 'float4',
  'double precision': 'float8', float: 'float8', boolean: 'bool', decimal: 'numeric',
  'character varying': 'varchar', character: 'bpchar', 'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz', 'time without time zone': 'time',
  'time with time zone': 'timetz', serial: 'int4', bigserial: 'int8', smallserial: 'int2',
};

export function typeByOid(oid: number): TypeInfo | undefined {
  return byOid.get(oid);
}

/** Looks a type up by pg_type name or a common SQL alias ("integer", "int4", "_int4"). */
export function typeByName(name: string): TypeInfo | undefined {
  const n = name.toLowerCase();
  return byName.get(n) ?? byName.get(ALIASES[n] ?? '');
}

export function arrayOf(elemOid: number): number | undefined {
  return byOid.get(elemOid)?.array;
}

export function elementOf(arrayOid: number): number | undefined {
  return byOid.get(arrayOid)?.elem;
}

export function allTypes(): readonly TypeInfo[] {
  return T;
}
