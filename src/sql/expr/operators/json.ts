// json/jsonb operators: -> ->> #> #>> (field, element, path), and for jsonb
// @> <@ ? ?| ?& || and - . json values are read through the jsonb parser
// (so whitespace inside an extracted json value is normalized).
import { PgError, SQLSTATE } from '../../../errors.js';
import { OID } from '../../../types/oids.js';
import { Numeric, PgArray } from '../../../types/values.js';
import { formatNumeric } from '../../../types/numeric.js';
import { JSONB_NULL, JsonbObject, compareJsonb, formatJsonb, parseJsonb, type Jsonb } from '../../../types/jsonb.js';
import { op, register } from './define.js';

const { json, jsonb, text, int4, _text, bool } = OID;

function field(v: Jsonb, key: string): Jsonb | null {
  return v instanceof JsonbObject ? (v.get(key) ?? null) : null;
}

function element(v: Jsonb, i: number): Jsonb | null {
  if (!Array.isArray(v)) return null;
  const k = i < 0 ? v.length + i : i;
  return k >= 0 && k < v.length ? v[k] : null;
}

function path(v: Jsonb, p: PgArray): Jsonb | null {
  let cur: Jsonb | null = v;
  for (const step of p.items) {
    if (cur === null || step === null) return null;
    if (cur instanceof JsonbObject) cur = cur.get(step as string) ?? null;
    else if (Array.isArray(cur)) {
      const s = step as string;
      if (!/^-?[0-9]+$/.test(s)) return null;
      cur = element(cur, Number(s));
    } else return null;
  }
  return cur;
}

/** ->> text: strings unquoted, JSON null as SQL NULL. */
function asText(v: Jsonb | null): string | null {
  if (v === null || v === JSONB_NULL) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Numeric) return formatNumeric(v);
  return formatJsonb(v);
}

const viaJson = (s: string): Jsonb => parseJsonb(s);
const toJson = (v: Jsonb | null): string | null => (v === null ? null : formatJsonb(v));

register(
  op('->', jsonb, text, jsonb, ([v, k]) => field(v, k)),
  op('->', jsonb, int4, jsonb, ([v, i]) => element(v, i)),
  op('->>', jsonb, text, text, ([v, k]) => asText(field(v, k))),
  op('->>', jsonb, int4, text, ([v, i]) => asText(element(v, i))),
  op('#>', jsonb, _text, jsonb, ([v, p]) => path(v, p)),
  op('#>>', jsonb, _text, text, ([v, p]) => asText(path(v, p))),
  op('->', json, text, json, ([v, k]) => toJson(field(viaJson(v), k))),
  op('->', json, int4, json, ([v, i]) => toJson(element(viaJson(v), i))),
  op('->>', json, text, text, ([v, k]) => asText(field(viaJson(v), k))),
  op('->>', json, int4, text, ([v, i]) => asText(element(viaJson(v), i))),
  op('#>', json, _text, json, ([v, p]) => toJson(path(viaJson(v), p))),
  op('#>>', json, _text, text, ([v, p]) => asText(path(viaJson(v), p))),
);

/** jsonb containment (@>), PostgreSQL's rules: objects by key, arrays as multisets, scalars by equality. */
export function jsonbContains(a: Jsonb, b: Jsonb, top = true): boolean {
  if (a instanceof JsonbObject) {
    if (!(b instanceof JsonbObject)) return false;
    for (let i = 0; i < b.keys.length; i++) {
      const av = a.get(b.keys[i]);
      if (av === undefined || !jsonbContains(av, b.values[i], false)) return false;
    }
    return true;
  }
  if (Array.isArray(a)) {
    // a top-level array contains a bare scalar that is one of its elements
    const items: Jsonb[] | null = Array.isArray(b) ? (b as Jsonb[]) : top && !(b instanceof JsonbObject) ? [b] : null;
    if (items === null) return false;
    const elems = a as Jsonb[];
    return items.every((y: Jsonb) => elems.some((x: Jsonb) => (isContainer(y) ? isContainer(x) && jsonbContains(x, y, false) : !isContainer(x) && compareJsonb(x, y) === 0)));
  }
  if (Array.isArray(b) || b instanceof JsonbObject) return false;
  return compareJsonb(a, b) === 0;
}

function isContainer(v: Jsonb): boolean {
  return Array.isArray(v) || v instanceof JsonbObject;
}

function hasKey(v: Jsonb, k: string): boolean {
  if (v instanceof JsonbObject) return v.get(k) !== undefined;
  if (Array.isArray(v)) return v.some((x) => x === k);
  return v === k;
}

function concat(a: Jsonb, b: Jsonb): Jsonb {
  if (a instanceof JsonbObject && b instanceof JsonbObject) {
    return JsonbObject.fromPairs([...a.keys, ...b.keys], [...a.values, ...b.values]);
  }
  const la: Jsonb[] = Array.isArray(a) ? (a as Jsonb[]) : [a];
  const lb: Jsonb[] = Array.isArray(b) ? (b as Jsonb[]) : [b];
  return la.concat(lb) as Jsonb;
}

function deleteKey(v: Jsonb, k: string): Jsonb {
  if (v instanceof JsonbObject) {
    const i = v.keys.indexOf(k);
    if (i < 0) return v;
    return new JsonbObject(v.keys.filter((_, j) => j !== i), v.values.filter((_, j) => j !== i));
  }
  if (Array.isArray(v)) return v.filter((x) => x !== k);
  throw new PgError(SQLSTATE.invalid_parameter_value, 'cannot delete from scalar');
}

function deleteIndex(v: Jsonb, i: number): Jsonb {
  if (v instanceof JsonbObject) throw new PgError(SQLSTATE.invalid_parameter_value, 'cannot delete from object using integer index');
  if (!Array.isArray(v)) throw new PgError(SQLSTATE.invalid_parameter_value, 'cannot delete from scalar');
  const k = i < 0 ? v.length + i : i;
  return k >= 0 && k < v.length ? v.filter((_, j) => j !== k) : v;
}

register(
  op('@>', jsonb, jsonb, bool, ([a, b]) => jsonbContains(a, b)),
  op('<@', jsonb, jsonb, bool, ([a, b]) => jsonbContains(b, a)),
  op('?', jsonb, text, bool, ([v, k]) => hasKey(v, k)),
  op('?|', jsonb, _text, bool, ([v, ks]) => (ks as PgArray).items.some((k) => k !== null && hasKey(v, k as string))),
  op('?&', jsonb, _text, bool, ([v, ks]) => (ks as PgArray).items.every((k) => k === null || hasKey(v, k as string))),
  op('||', jsonb, jsonb, jsonb, ([a, b]) => concat(a, b)),
  op('-', jsonb, text, jsonb, ([v, k]) => deleteKey(v, k)),
  op('-', jsonb, int4, jsonb, ([v, i]) => deleteIndex(v, i)),
);
