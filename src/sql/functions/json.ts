// JSON functions (PostgreSQL 11 "JSON Functions and Operators"): building
// json/jsonb from SQL values and taking json/jsonb apart.
import { PgError, SQLSTATE } from '../../errors.js';
import { JSONB_NULL, JsonbObject, formatJsonb, quoteJsonString, type Jsonb } from '../../types/jsonb.js';
import { OID } from '../../types/oids.js';
import { Numeric, PgArray } from '../../types/values.js';
import { registerFunction, type EvalContext } from './catalog.js';
import { fn } from './define.js';
import { nodeAsText, nodeText, scanJson, type JsonNode } from './json-scan.js';
import { sqlToJsonText, sqlToJsonb } from './sql-json.js';
import { valueToText } from './value-text.js';

const { json, jsonb, text, int4, bool, anyelement, _text } = OID;

function invalidParam(msg: string, hint?: string): PgError {
  return new PgError(SQLSTATE.invalid_parameter_value, msg, hint ? { hint } : {});
}

// ---- building --------------------------------------------------------------------

/** Object keys: any scalar, printed with its output function; NULL is an error. */
function objectKey(value: unknown, type: number, position: number, ctx: EvalContext): string {
  if (value === null) throw invalidParam(`argument ${position} cannot be null`, 'Object keys should be text.');
  if (value instanceof PgArray || type === json || type === jsonb) {
    throw invalidParam('key value must be scalar, not array, composite, or json');
  }
  return valueToText(value, type, ctx.io);
}

function checkPairs(n: number, fnName: string): void {
  if (n % 2 !== 0) {
    throw invalidParam(
      'argument list must have even number of elements',
      `The arguments of ${fnName}() must consist of alternating keys and values.`,
    );
  }
}

function jsonBuildObject(args: unknown[], ctx: EvalContext, types: number[]): string {
  checkPairs(args.length, 'json_build_object');
  let out = '{';
  for (let i = 0; i < args.length; i += 2) {
    const key = objectKey(args[i], types[i]!, i + 1, ctx);
    out += (i ? ', ' : '') + quoteJsonString(key) + ' : ' + sqlToJsonText(args[i + 1], types[i + 1]!, ctx.io);
  }
  return out + '}';
}

function jsonbBuildObject(args: unknown[], ctx: EvalContext, types: number[]): Jsonb {
  checkPairs(args.length, 'jsonb_build_object');
  const keys: string[] = [];
  const values: Jsonb[] = [];
  for (let i = 0; i < args.length; i += 2) {
    keys.push(objectKey(args[i], types[i]!, i + 1, ctx));
    values.push(sqlToJsonb(args[i + 1], types[i + 1]!, ctx.io));
  }
  return JsonbObject.fromPairs(keys, values);
}

function jsonBuildArray(args: unknown[], ctx: EvalContext, types: number[]): string {
  let out = '[';
  for (let i = 0; i < args.length; i++) out += (i ? ', ' : '') + sqlToJsonText(args[i], types[i]!, ctx.io);
  return out + ']';
}

// ---- inspecting -------------------------------------------------------------------------

function jsonbKind(v: Jsonb): 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null' {
  if (v === JSONB_NULL) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  if (v instanceof Numeric) return 'number';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

function arrayLength(kind: string, n: number): number {
  if (kind === 'array') return n;
  throw invalidParam(kind === 'object' ? 'cannot get array length of a non-array' : 'cannot get array length of a scalar');
}

function objectKeysError(fnName: string, kind: string): PgError {
  return invalidParam(`cannot call ${fnName} on ${kind === 'array' ? 'an array' : 'a scalar'}`);
}

function jsonObjectKeys(doc: string, ctx: EvalContext): string[] {
  const n = scanJson(doc);
  if (n.kind !== 'object') throw objectKeysError('json_object_keys', n.kind);
  ctx.countRows(n.keys!.length);
  return n.keys!;
}

function jsonbObjectKeys(v: Jsonb, ctx: EvalContext): string[] {
  const kind = jsonbKind(v);
  if (kind !== 'object') throw objectKeysError('jsonb_object_keys', kind);
  const keys = (v as JsonbObject).keys;
  ctx.countRows(keys.length);
  return [...keys];
}

function jsonArrayElements(doc: string, asText: boolean, ctx: EvalContext): (string | null)[] {
  const n = scanJson(doc);
  const name = asText ? 'json_array_elements_text' : 'json_array_elements';
  if (n.kind === 'object') throw invalidParam(`cannot call ${name} on a non-array`);
  if (n.kind !== 'array') throw invalidParam(`cannot call ${name} on a scalar`);
  ctx.countRows(n.children!.length);
  return n.children!.map((c) => (asText ? nodeAsText(doc, c) : nodeText(doc, c)));
}

function jsonbArrayElements(v: Jsonb, asText: boolean, ctx: EvalContext): (Jsonb | string | null)[] {
  const kind = jsonbKind(v);
  if (kind === 'object') throw invalidParam('cannot extract elements from an object');
  if (kind !== 'array') throw invalidParam('cannot extract elements from a scalar');
  ctx.countRows((v as Jsonb[]).length);
  return asText ? (v as Jsonb[]).map(jsonbAsText) : [...(v as Jsonb[])];
}

/** ->> semantics for jsonb. */
function jsonbAsText(v: Jsonb): string | null {
  if (v === JSONB_NULL) return null;
  if (typeof v === 'string') return v;
  return formatJsonb(v);
}

/** Array subscript in a path: integer text, negative counting from the end; null when absent. */
function pathIndex(step: string, length: number): number | null {
  if (!/^\s*[+-]?\d+$/.test(step)) return null;
  const i = Number(step);
  if (!Number.isSafeInteger(i) || i > 2147483647 || i < -2147483648) return null;
  const idx = i >= 0 ? i : length + i;
  return idx >= 0 && idx < length ? idx : null;
}

function jsonExtractPath(doc: string, path: string[], asText: boolean): string | null {
  let n: JsonNode = scanJson(doc);
  for (const step of path) {
    if (n.kind === 'object') {
      // with duplicate keys the last one wins, as in PostgreSQL
      const k = n.keys!.lastIndexOf(step);
      if (k < 0) return null;
      n = n.children![k]!;
    } else if (n.kind === 'array') {
      const idx = pathIndex(step, n.children!.length);
      if (idx === null) return null;
      n = n.children![idx]!;
    } else return null;
  }
  return asText ? nodeAsText(doc, n) : nodeText(doc, n);
}

function jsonbFollow(v: Jsonb, path: string[]): Jsonb | null {
  let cur: Jsonb = v;
  for (const step of path) {
    if (Array.isArray(cur)) {
      const idx = pathIndex(step, cur.length);
      if (idx === null) return null;
      cur = cur[idx]!;
    } else if (cur instanceof JsonbObject) {
      const next = cur.get(step);
      if (next === undefined) return null;
      cur = next;
    } else return null;
  }
  return cur;
}

// ---- modifying --------------------------------------------------------------------------

function jsonbStripNulls(v: Jsonb): Jsonb {
  if (Array.isArray(v)) return v.map(jsonbStripNulls);
  if (v instanceof JsonbObject) {
    const keys: string[] = [];
    const values: Jsonb[] = [];
    for (let i = 0; i < v.keys.length; i++) {
      if (v.values[i] === JSONB_NULL) continue;
      keys.push(v.keys[i]!);
      values.push(jsonbStripNulls(v.values[i]!));
    }
    return new JsonbObject(keys, values);
  }
  return v;
}

function jsonbSet(target: Jsonb, pathArr: PgArray, replacement: Jsonb, create: boolean): Jsonb {
  const kind = jsonbKind(target);
  if (kind !== 'object' && kind !== 'array') throw invalidParam('cannot set path in scalar');
  const path = pathArr.items as (string | null)[];
  if (path.length === 0) return target;
  return setPath(target, path, 0, replacement, create);
}

function setPath(v: Jsonb, path: (string | null)[], level: number, repl: Jsonb, create: boolean): Jsonb {
  const step = path[level];
  if (step === null || step === undefined) {
    throw new PgError(SQLSTATE.null_value_not_allowed, `path element at position ${level + 1} is null`);
  }
  const last = level === path.length - 1;
  if (v instanceof JsonbObject) {
    const i = v.indexOf(step);
    if (i >= 0) {
      const values = v.values.slice();
      values[i] = last ? repl : setPath(values[i]!, path, level + 1, repl, create);
      return new JsonbObject(v.keys, values);
    }
    if (last && create) return JsonbObject.fromPairs([...v.keys, step], [...v.values, repl]);
    return v;
  }
  if (Array.isArray(v)) {
    if (!/^\s*[+-]?\d+$/.test(step)) {
      throw new PgError(SQLSTATE.invalid_text_representation, `path element at position ${level + 1} is not an integer: "${step}"`);
    }
    let idx = Number(step);
    const n = v.length;
    if (idx < 0) idx = -idx > n ? -1 : n + idx; // -1 here means "before the first element"
    else if (idx > n) idx = n;
    if (idx >= 0 && idx < n) {
      const out = v.slice();
      out[idx] = last ? repl : setPath(out[idx]!, path, level + 1, repl, create);
      return out;
    }
    if (last && create) return idx < 0 ? [repl, ...v] : [...v, repl];
    return v;
  }
  return v; // scalars below the top level are left alone
}

/** jsonb_pretty: four-space indentation, one member per line. */
function jsonbPretty(v: Jsonb, indent = ''): string {
  if (Array.isArray(v)) {
    const inner = indent + '    ';
    let out = '[\n';
    for (let i = 0; i < v.length; i++) out += (i ? ',\n' : '') + inner + jsonbPretty(v[i]!, inner);
    return out + (v.length ? '\n' : '') + indent + ']';
  }
  if (v instanceof JsonbObject) {
    const inner = indent + '    ';
    let out = '{\n';
    for (let i = 0; i < v.keys.length; i++) {
      out += (i ? ',\n' : '') + inner + quoteJsonString(v.keys[i]!) + ': ' + jsonbPretty(v.values[i]!, inner);
    }
    return out + (v.keys.length ? '\n' : '') + indent + '}';
  }
  return formatJsonb(v);
}

// ---- registration --------------------------------------------------------------------------

const stable = { volatility: 'stable' as const };
const variadicAny = { strict: false, volatility: 'stable' as const, variadic: OID.any };
const pathArgs = (a: unknown[]) => a.slice(1) as string[];

registerFunction(
  fn('to_json', [anyelement], json, (a: unknown[], ctx, t) => sqlToJsonText(a[0], t[0]!, ctx.io), stable),
  fn('to_jsonb', [anyelement], jsonb, (a: unknown[], ctx, t) => sqlToJsonb(a[0], t[0]!, ctx.io), stable),
  fn('json_build_object', [], json, (a: unknown[], ctx, t) => jsonBuildObject(a, ctx, t), variadicAny),
  fn('jsonb_build_object', [], jsonb, (a: unknown[], ctx, t) => jsonbBuildObject(a, ctx, t), variadicAny),
  fn('json_build_array', [], json, (a: unknown[], ctx, t) => jsonBuildArray(a, ctx, t), variadicAny),
  fn('jsonb_build_array', [], jsonb, (a: unknown[], ctx, t) => a.map((v, i) => sqlToJsonb(v, t[i]!, ctx.io)), variadicAny),
  fn('json_typeof', [json], text, (a: string[]) => scanJson(a[0]!).kind),
  fn('jsonb_typeof', [jsonb], text, (a: Jsonb[]) => jsonbKind(a[0]!)),
  fn('json_array_length', [json], int4, (a: string[]) => {
    const n = scanJson(a[0]!);
    return arrayLength(n.kind, n.children?.length ?? 0);
  }),
  fn('jsonb_array_length', [jsonb], int4, (a: Jsonb[]) => {
    const v = a[0]!;
    return arrayLength(jsonbKind(v), Array.isArray(v) ? v.length : 0);
  }),
  fn('json_object_keys', [json], text, (a: string[], ctx) => jsonObjectKeys(a[0]!, ctx), { returnsSet: true }),
  fn('jsonb_object_keys', [jsonb], text, (a: Jsonb[], ctx) => jsonbObjectKeys(a[0]!, ctx), { returnsSet: true }),
  fn('json_array_elements', [json], json, (a: string[], ctx) => jsonArrayElements(a[0]!, false, ctx), { returnsSet: true }),
  fn('json_array_elements_text', [json], text, (a: string[], ctx) => jsonArrayElements(a[0]!, true, ctx), { returnsSet: true }),
  fn('jsonb_array_elements', [jsonb], jsonb, (a: Jsonb[], ctx) => jsonbArrayElements(a[0]!, false, ctx), { returnsSet: true }),
  fn('jsonb_array_elements_text', [jsonb], text, (a: Jsonb[], ctx) => jsonbArrayElements(a[0]!, true, ctx), { returnsSet: true }),
  // VARIADIC text[] path: the path elements arrive as separate text arguments.
  fn('json_extract_path', [json], json, (a: string[]) => jsonExtractPath(a[0]!, pathArgs(a), false), { variadic: text }),
  fn('json_extract_path_text', [json], text, (a: string[]) => jsonExtractPath(a[0]!, pathArgs(a), true), { variadic: text }),
  fn('jsonb_extract_path', [jsonb], jsonb, (a: unknown[]) => jsonbFollow(a[0] as Jsonb, pathArgs(a)), { variadic: text }),
  fn('jsonb_extract_path_text', [jsonb], text, (a: unknown[]) => {
    const v = jsonbFollow(a[0] as Jsonb, pathArgs(a));
    return v === null ? null : jsonbAsText(v);
  }, { variadic: text }),
  fn('jsonb_strip_nulls', [jsonb], jsonb, (a: Jsonb[]) => jsonbStripNulls(a[0]!)),
  fn('jsonb_pretty', [jsonb], text, (a: Jsonb[]) => jsonbPretty(a[0]!)),
  fn('jsonb_set', [jsonb, _text, jsonb], jsonb, (a: [Jsonb, PgArray, Jsonb]) => jsonbSet(a[0], a[1], a[2], true)),
  fn('jsonb_set', [jsonb, _text, jsonb, bool], jsonb, (a: [Jsonb, PgArray, Jsonb, boolean]) => jsonbSet(a[0], a[1], a[2], a[3])),
);
