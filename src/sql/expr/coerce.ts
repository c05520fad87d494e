// Coercing typed expressions to a target type (PostgreSQL's coerce_type and
// coerce_type_typmod), resolving unknown literals and parameters, and picking
// the common type of CASE/COALESCE/UNION branches (select_common_type).
import { PgError, SQLSTATE } from '../../errors.js';
import { OID, typeByOid } from '../../types/oids.js';
import { canCastType, isPolymorphic, isPreferredType, typeCategory, type CoercionContext } from './cast-rules.js';
import { cannotCast, lookupCast, typmodCoercion } from './casts.js';
import type { ExprEnv } from './scope.js';
import type { TypedExpr } from './typed-expr.js';
import { textIn } from './type-bridge.js';

/** SQLSTATE 42P08 (ambiguous_parameter), not in the shared SQLSTATE table. */
const AMBIGUOUS_PARAMETER = '42P08';

export function typeName(oid: number): string {
  return typeByOid(oid)?.sqlName ?? String(oid);
}

export function withPosition(e: unknown, location: number): unknown {
  if (e instanceof PgError && e.position === undefined && location >= 0) e.position = location + 1;
  return e;
}

/**
 * Coerces `expr` to `target` (and `typmod`), or returns null when the
 * conversion is not allowed in `ctx`. `explicit` marks a written cast.
 */
export function coerceTo(
  expr: TypedExpr,
  target: number,
  typmod: number,
  ctx: CoercionContext,
  env: ExprEnv,
  explicit = false,
): TypedExpr | null {
  const src = expr.type;
  if (target === OID.any || isPolymorphic(target)) return expr;
  let out: TypedExpr;
  if (src === target) {
    out = expr;
  } else if (src === OID.unknown && expr.kind === 'const') {
    out = { kind: 'const', value: null, type: target, typmod: -1, location: expr.location };
    if (expr.value !== null) {
      try {
        out.value = textIn(target, expr.value as string, target === OID.interval ? typmod : -1, env.io);
      } catch (e) {
        throw withPosition(e, expr.location);
      }
      if (target === OID.interval && typmod >= 0) return { ...out, typmod };
    }
  } else if (src === OID.unknown && expr.kind === 'param') {
    out = fixParamType(expr.index, target, env, expr.location);
  } else {
    if (!canCastType(src, target, ctx)) return null;
    const c = lookupCast(src, target, ctx);
    if (!c) return null;
    out = c.convert
      ? { kind: 'cast', arg: expr, convert: c.convert, volatility: c.volatility, explicit, type: target, typmod: -1, location: expr.location }
      : { ...retype(expr, target), typmod: -1 };
  }
  if (typmod >= 0 && out.typmod !== typmod) {
    const conv = typmodCoercion(target, typmod, explicit || ctx === 'explicit');
    if (conv) {
      return { kind: 'cast', arg: out, convert: conv, volatility: 'immutable', explicit, type: target, typmod, location: expr.location };
    }
    return { ...out, typmod } as TypedExpr;
  }
  if (out !== expr && explicit && out.kind === 'cast') out.explicit = true;
  return out;
}

/** A binary-compatible relabel: same value, new type. */
function retype(expr: TypedExpr, type: number): TypedExpr {
  if (expr.kind === 'const') return { ...expr, type };
  // Wrap so the original node (possibly shared) keeps its own type.
  return { kind: 'cast', arg: expr, convert: (v) => v, volatility: 'immutable', explicit: false, type, typmod: -1, location: expr.location };
}

/** Fixes the type of an as-yet-untyped parameter from its context. */
function fixParamType(index: number, target: number, env: ExprEnv, location: number): TypedExpr {
  const types = env.params.types;
  const have = types[index] ?? 0;
  if (have !== 0 && have !== OID.unknown && have !== target) {
    throw new PgError(AMBIGUOUS_PARAMETER, `inconsistent types deduced for parameter $${index + 1}`, {
      detail: `${typeName(have)} versus ${typeName(target)}`,
      position: location + 1,
    });
  }
  types[index] = target;
  return { kind: 'param', index, type: target, typmod: -1, location };
}

/** Coerces or throws "cannot cast type X to Y" (42846). */
export function coerceOrCastError(
  expr: TypedExpr,
  target: number,
  typmod: number,
  ctx: CoercionContext,
  env: ExprEnv,
  location: number,
  explicit = false,
): TypedExpr {
  const out = coerceTo(expr, target, typmod, ctx, env, explicit);
  if (!out) throw cannotCast(expr.type, target, location);
  return out;
}

/** Unknown literals/params left without context become text (as PostgreSQL 10+ does in target lists). */
export function resolveUnknownAsText(expr: TypedExpr, env: ExprEnv): TypedExpr {
  if (expr.type !== OID.unknown) return expr;
  return coerceTo(expr, OID.text, -1, 'implicit', env) ?? expr;
}

/** coerce_to_boolean: "argument of WHERE must be type boolean, not type integer" (42804). */
export function coerceToBoolean(expr: TypedExpr, what: string, env: ExprEnv): TypedExpr {
  if (expr.type === OID.bool) return expr;
  const out = coerceTo(expr, OID.bool, -1, 'assignment', env);
  if (!out) {
    throw new PgError(SQLSTATE.datatype_mismatch, `argument of ${what} must be type boolean, not type ${typeName(expr.type)}`, {
      position: expr.location + 1,
    });
  }
  return out;
}

/**
 * select_common_type: the type CASE branches, COALESCE arguments, UNION
 * columns etc. are resolved to. `context` names the construct in the error.
 */
export function selectCommonType(exprs: TypedExpr[], context: string): number {
  let ptype: number = OID.unknown;
  let pexpr: TypedExpr | null = null;
  let allSame = true;
  for (const e of exprs) {
    if (pexpr === null) {
      pexpr = e;
      ptype = e.type;
    } else if (e.type !== ptype) allSame = false;
  }
  if (exprs.length === 0) return OID.text;
  if (allSame) return ptype === OID.unknown ? OID.text : ptype;
  ptype = OID.unknown;
  let pcategory = '';
  let ppreferred = false;
  for (const e of exprs) {
    const ntype = e.type;
    if (ntype === OID.unknown || ntype === ptype) continue;
    if (ptype === OID.unknown) {
      ptype = ntype;
      pcategory = typeCategory(ntype);
      ppreferred = isPreferredType(pcategory, ntype);
      continue;
    }
    const ncategory = typeCategory(ntype);
    if (ncategory !== pcategory) {
      throw new PgError(SQLSTATE.datatype_mismatch, `${context} types ${typeName(ptype)} and ${typeName(ntype)} cannot be matched`, {
        position: e.location + 1,
      });
    }
    if (!ppreferred && canCastType(ptype, ntype, 'implicit') && !canCastType(ntype, ptype, 'implicit')) {
      ptype = ntype;
      ppreferred = isPreferredType(ncategory, ntype);
    }
  }
  return ptype === OID.unknown ? OID.text : ptype;
}

/** Coerces each expression to the common type, as coerce_to_common_type does. */
export function coerceToCommonType(exprs: TypedExpr[], type: number, context: string, env: ExprEnv): TypedExpr[] {
  return exprs.map((e) => {
    const out = coerceTo(e, type, -1, 'implicit', env);
    if (!out) {
      throw new PgError(SQLSTATE.cannot_coerce, `${context} could not convert type ${typeName(e.type)} to ${typeName(type)}`, {
        position: e.location + 1,
      });
    }
    return out;
  });
}
