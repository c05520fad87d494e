// Which casts exist between the built-in types and in which contexts they may
// be applied without being written (PostgreSQL's pg_cast.castcontext), plus
// the implicit-coercibility test the operator/function resolver relies on.
import { OID, typeByOid, elementOf } from '../../types/oids.js';

/** i: implicit (anywhere), a: assignment, e: explicit only. */
export type CastContext = 'i' | 'a' | 'e';
export type CoercionContext = 'implicit' | 'assignment' | 'explicit';

const rules = new Map<number, Map<number, CastContext>>();
function rule(src: number, ctx: CastContext, ...dsts: number[]): void {
  let m = rules.get(src);
  if (!m) rules.set(src, (m = new Map()));
  for (const d of dsts) m.set(d, ctx);
}

// Numbers: widening is implicit, narrowing needs assignment.
rule(OID.int2, 'i', OID.int4, OID.int8, OID.float4, OID.float8, OID.numeric, OID.oid);
rule(OID.int4, 'i', OID.int8, OID.float4, OID.float8, OID.numeric, OID.oid, OID.regclass, OID.regtype);
rule(OID.int4, 'a', OID.int2);
rule(OID.int4, 'e', OID.bool, OID.char);
rule(OID.int8, 'i', OID.float4, OID.float8, OID.numeric, OID.oid, OID.regclass, OID.regtype);
rule(OID.int8, 'a', OID.int2, OID.int4);
rule(OID.float4, 'i', OID.float8);
rule(OID.float4, 'a', OID.int2, OID.int4, OID.int8, OID.numeric);
rule(OID.float8, 'a', OID.int2, OID.int4, OID.int8, OID.float4, OID.numeric);
rule(OID.numeric, 'i', OID.float4, OID.float8);
rule(OID.numeric, 'a', OID.int2, OID.int4, OID.int8);
rule(OID.oid, 'a', OID.int4, OID.int8);
rule(OID.oid, 'i', OID.regclass, OID.regtype);
rule(OID.regclass, 'i', OID.oid);
rule(OID.regtype, 'i', OID.oid);
rule(OID.regclass, 'a', OID.int4, OID.int8);
rule(OID.regtype, 'a', OID.int4, OID.int8);
rule(OID.bool, 'e', OID.int4);
rule(OID.bool, 'a', OID.bpchar, OID.varchar, OID.text);
rule(OID.char, 'e', OID.int4);
rule(OID.char, 'i', OID.text);
rule(OID.char, 'a', OID.bpchar, OID.varchar);

// Strings.
rule(OID.text, 'i', OID.bpchar, OID.varchar, OID.name, OID.regclass);
rule(OID.text, 'a', OID.char);
rule(OID.varchar, 'i', OID.text, OID.bpchar, OID.name, OID.regclass);
rule(OID.varchar, 'a', OID.char);
rule(OID.bpchar, 'i', OID.text, OID.varchar, OID.name);
rule(OID.bpchar, 'a', OID.char);
rule(OID.name, 'i', OID.text);
rule(OID.name, 'a', OID.bpchar, OID.varchar);

// Date/time.
rule(OID.date, 'i', OID.timestamp, OID.timestamptz);
rule(OID.timestamp, 'i', OID.timestamptz);
rule(OID.timestamp, 'a', OID.date, OID.time);
rule(OID.timestamptz, 'a', OID.timestamp, OID.date, OID.time);
rule(OID.time, 'i', OID.interval);
rule(OID.interval, 'a', OID.time);

// JSON (PostgreSQL 11 added jsonb -> bool/numeric casts, explicit only).
rule(OID.json, 'e', OID.jsonb);
rule(OID.jsonb, 'e', OID.json, OID.bool, OID.numeric, OID.int2, OID.int4, OID.int8, OID.float4, OID.float8);

const STRING_TYPES = new Set<number>([OID.text, OID.varchar, OID.bpchar]);

export function isStringType(oid: number): boolean {
  return STRING_TYPES.has(oid);
}

export function isArrayType(oid: number): boolean {
  return elementOf(oid) !== undefined;
}

export function isPolymorphic(oid: number): boolean {
  return oid === OID.anyelement || oid === OID.anyarray || oid === OID.anynonarray;
}

/**
 * The context a cast from src to dst needs, or null when there is none.
 * Covers pg_cast entries, automatic I/O conversion (anything -> string types
 * in assignment context, string types -> anything explicitly), and arrays
 * element by element.
 */
export function castContext(src: number, dst: number): CastContext | null {
  if (src === dst) return 'i';
  const direct = rules.get(src)?.get(dst);
  if (direct) return direct;
  const se = elementOf(src);
  const de = elementOf(dst);
  if (se !== undefined && de !== undefined) return castContext(se, de);
  if (STRING_TYPES.has(dst) && typeByOid(src) && src !== OID.unknown) return 'a';
  if (STRING_TYPES.has(src) && typeByOid(dst)) return 'e';
  return null;
}

export function contextAllows(have: CastContext, want: CoercionContext): boolean {
  if (have === 'i') return true;
  if (have === 'a') return want !== 'implicit';
  return want === 'explicit';
}

/** Is a plain (non-polymorphic, non-unknown) conversion allowed in this context? */
export function canCastType(src: number, dst: number, ctx: CoercionContext): boolean {
  if (src === dst) return true;
  if (src === OID.unknown) return true;
  if (dst === OID.any) return true;
  const c = castContext(src, dst);
  return c !== null && contextAllows(c, ctx);
}

/**
 * PostgreSQL's can_coerce_type: can every input be coerced to its target,
 * with polymorphic targets consistent with one another?
 */
export function canCoerceAll(inputs: readonly number[], targets: readonly number[], ctx: CoercionContext): boolean {
  let hasPoly = false;
  for (let i = 0; i < inputs.length; i++) {
    const src = inputs[i];
    const dst = targets[i];
    if (isPolymorphic(dst)) {
      hasPoly = true;
      continue;
    }
    if (!canCastType(src, dst, ctx)) return false;
  }
  if (hasPoly) return polymorphicConsistent(inputs, targets);
  return true;
}

/** check_generic_type_consistency: all anyelement inputs agree, anyarray inputs are arrays of it. */
export function polymorphicConsistent(inputs: readonly number[], targets: readonly number[]): boolean {
  let elem = 0;
  let arr = 0;
  let nonArray = false;
  for (let i = 0; i < inputs.length; i++) {
    const t = targets[i];
    const a = inputs[i];
    if (a === OID.unknown) continue;
    if (t === OID.anyelement || t === OID.anynonarray) {
      if (t === OID.anynonarray) nonArray = true;
      if (elem && elem !== a) return false;
      elem = a;
    } else if (t === OID.anyarray) {
      if (arr && arr !== a) return false;
      arr = a;
    }
  }
  if (arr) {
    const e = elementOf(arr);
    if (e === undefined) return false;
    if (elem && elem !== e) return false;
    elem = e;
  }
  if (nonArray && elem && isArrayType(elem)) return false;
  return true;
}

/**
 * enforce_generic_type_consistency: the concrete types to use for the
 * polymorphic argument positions, or an error message when they cannot be
 * determined. Returns the actual declared types with polymorphics replaced.
 */
export function resolvePolymorphic(inputs: readonly number[], declared: readonly number[]): number[] | string {
  let elem = 0;
  let arr = 0;
  let any = false;
  for (let i = 0; i < inputs.length; i++) {
    const t = declared[i];
    if (!isPolymorphic(t)) continue;
    any = true;
    const a = inputs[i];
    if (a === OID.unknown) continue;
    if (t === OID.anyarray) arr = arr || a;
    else elem = elem || a;
  }
  if (!any) return declared.slice();
  if (arr) {
    const e = elementOf(arr);
    if (e === undefined) return 'argument declared anyarray is not an array';
    elem = elem || e;
  }
  if (!elem) return 'could not determine polymorphic type because input has type unknown';
  const arrayType = arr || (typeByOid(elem)?.array ?? 0);
  return declared.map((t) => (t === OID.anyarray ? arrayType : isPolymorphic(t) ? elem : t));
}

export function typeCategory(oid: number): string {
  return typeByOid(oid)?.category ?? 'U';
}

export function isPreferredType(category: string, oid: number): boolean {
  const t = typeByOid(oid);
  return t !== undefined && t.category === category && t.preferred;
}
