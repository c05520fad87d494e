// Operators in expressions: A_Expr nodes (binary/prefix operators, IN,
// BETWEEN, LIKE/ILIKE/SIMILAR TO, IS DISTINCT FROM, NULLIF, op ANY/ALL).
import { PgError, SQLSTATE } from '../../errors.js';
import { OID, elementOf, typeByOid } from '../../types/oids.js';
import { operatorCandidates, type OperatorDef, type Volatility } from '../functions/catalog.js';
import { nameList, type AstNode } from './ast.js';
import { isPolymorphic, resolvePolymorphic } from './cast-rules.js';
import { coerceTo, coerceToBoolean, selectCommonType, typeName } from './coerce.js';
import { analyzeExpr } from './analyze.js';
import { selectCandidate, type Candidate } from './resolve.js';
import type { ExprEnv } from './scope.js';
import type { CallExpr, TypedExpr } from './typed-expr.js';
import { likeEscape, similarToRegex } from './operators/pattern-escape.js';

/** OperatorDef plus the volatility our operator files declare (the shared type has none). */
export type OperatorDefEx = OperatorDef & { volatility?: Volatility };

export interface ResolvedOperator {
  def: OperatorDefEx;
  /** Declared argument types with polymorphic types replaced by concrete ones. */
  argTypes: number[];
  ret: number;
}

function opSignature(name: string, types: number[]): string {
  return types.length === 1 ? `${name} ${typeName(types[0])}` : `${typeName(types[0])} ${name} ${typeName(types[1])}`;
}

/** Resolves an operator for the given input types, or throws 42883/42725 as PostgreSQL does. */
export function resolveOperator(name: string, inputs: number[], location: number): ResolvedOperator {
  const prefix = inputs.length === 1;
  const cands: Candidate<OperatorDefEx>[] = [];
  for (const d of operatorCandidates(name)) {
    if ((d.left === null) !== prefix) continue;
    cands.push({ def: d, args: prefix ? [d.right] : [d.left as number, d.right] });
  }
  const r = selectCandidate(cands, inputs, !prefix);
  const pos = location >= 0 ? { position: location + 1 } : {};
  if (r.kind === 'none') {
    throw new PgError(SQLSTATE.undefined_function, `operator does not exist: ${opSignature(name, inputs)}`, {
      hint: 'No operator matches the given name and argument types. You might need to add explicit type casts.',
      ...pos,
    });
  }
  if (r.kind === 'ambiguous') {
    throw new PgError(SQLSTATE.ambiguous_function, `operator is not unique: ${opSignature(name, inputs)}`, {
      hint: 'Could not choose a best candidate operator. You might need to add explicit type casts.',
      ...pos,
    });
  }
  const declared = resolvePolymorphic(inputs, r.cand.args);
  if (typeof declared === 'string') throw new PgError(SQLSTATE.datatype_mismatch, declared, pos);
  return { def: r.cand.def, argTypes: declared, ret: resultType(r.cand.def.ret, r.cand.args, declared) };
}

/** Result type of a (possibly polymorphic) operator or function. */
export function resultType(ret: number | ((argTypes: number[]) => number), declared: number[], actual: number[]): number {
  const t = typeof ret === 'function' ? ret(actual) : ret;
  if (!isPolymorphic(t)) return t;
  let elem = 0;
  let arr = 0;
  for (let i = 0; i < declared.length; i++) {
    if (declared[i] === OID.anyarray) arr = actual[i];
    else if (isPolymorphic(declared[i])) elem = actual[i];
  }
  if (t === OID.anyarray) return arr || (typeByOid(elem)?.array ?? OID.anyarray);
  return elem || (arr ? elementOf(arr) ?? t : t);
}

/** Builds a call of operator `name` on already-analyzed operands. */
export function makeOperator(name: string, left: TypedExpr | null, right: TypedExpr, location: number, env: ExprEnv): CallExpr {
  const operands = left ? [left, right] : [right];
  const op = resolveOperator(name, operands.map((e) => e.type), location);
  const args = operands.map((e, i) => coerceArg(e, op.argTypes[i], env));
  return {
    kind: 'call',
    name,
    isOperator: true,
    args,
    argTypes: args.map((a) => a.type),
    strict: op.def.strict,
    volatility: op.def.volatility ?? 'immutable',
    returnsSet: false,
    impl: op.def.impl,
    type: op.ret,
    typmod: -1,
    location,
  };
}

/** Coerces an argument to the declared type chosen by resolution (which guarantees it is possible). */
export function coerceArg(e: TypedExpr, declared: number, env: ExprEnv): TypedExpr {
  if (declared === OID.any) return e.type === OID.unknown ? coerceTo(e, OID.text, -1, 'implicit', env) ?? e : e;
  const out = coerceTo(e, declared, -1, 'implicit', env);
  if (!out) throw new PgError(SQLSTATE.internal_error, `failed to coerce ${typeName(e.type)} to ${typeName(declared)}`);
  return out;
}

export function analyzeAExpr(n: AstNode, env: ExprEnv): TypedExpr {
  const location: number = n.location ?? -1;
  const name = nameList(n.name).pop() ?? '';
  switch (n.kind as string) {
    case 'AEXPR_OP':
      return makeOperator(name, n.lexpr ? analyzeExpr(n.lexpr, env) : null, analyzeExpr(n.rexpr, env), location, env);
    case 'AEXPR_OP_ANY':
    case 'AEXPR_OP_ALL':
      return makeScalarArrayOp(name, n.kind === 'AEXPR_OP_ANY', analyzeExpr(n.lexpr, env), analyzeExpr(n.rexpr, env), location, env);
    case 'AEXPR_DISTINCT':
    case 'AEXPR_NOT_DISTINCT': {
      const eq = makeOperator(name, analyzeExpr(n.lexpr, env), analyzeExpr(n.rexpr, env), location, env);
      requireBoolean(eq, 'IS DISTINCT FROM requires = operator to yield boolean', location);
      return {
        kind: 'distinct',
        left: eq.args[0],
        right: eq.args[1],
        negate: n.kind === 'AEXPR_NOT_DISTINCT',
        eq: eq.impl,
        eqArgTypes: eq.argTypes,
        type: OID.bool,
        typmod: -1,
        location,
      };
    }
    case 'AEXPR_NULLIF': {
      const eq = makeOperator(name, analyzeExpr(n.lexpr, env), analyzeExpr(n.rexpr, env), location, env);
      requireBoolean(eq, 'NULLIF requires = operator to yield boolean', location);
      const left = eq.args[0];
      return { kind: 'nullif', left, right: eq.args[1], eq: eq.impl, eqArgTypes: eq.argTypes, type: left.type, typmod: left.typmod, location };
    }
    case 'AEXPR_IN':
      return analyzeIn(n, name, location, env);
    case 'AEXPR_LIKE':
    case 'AEXPR_ILIKE':
      return makeOperator(name, analyzeExpr(n.lexpr, env), analyzePattern(n.rexpr, 'like_escape', env), location, env);
    case 'AEXPR_SIMILAR':
      return makeOperator(name, analyzeExpr(n.lexpr, env), analyzePattern(n.rexpr, 'similar_to_escape', env), location, env);
    case 'AEXPR_BETWEEN':
    case 'AEXPR_NOT_BETWEEN':
    case 'AEXPR_BETWEEN_SYM':
    case 'AEXPR_NOT_BETWEEN_SYM':
      return analyzeBetween(n, location, env);
    default:
      throw new PgError(SQLSTATE.feature_not_supported, `unsupported operator expression ${n.kind}`, { position: location + 1 });
  }
}

function requireBoolean(e: TypedExpr, message: string, location: number): void {
  if (e.type !== OID.bool) throw new PgError(SQLSTATE.datatype_mismatch, message, { position: location + 1 });
}

/** scalar op ANY/ALL (array), PostgreSQL's make_scalar_array_op. */
export function makeScalarArrayOp(name: string, useOr: boolean, left: TypedExpr, right: TypedExpr, location: number, env: ExprEnv): TypedExpr {
  let elemType: number;
  if (right.type === OID.unknown) elemType = OID.unknown;
  else {
    const e = elementOf(right.type);
    if (e === undefined) {
      throw new PgError(SQLSTATE.wrong_object_type, 'op ANY/ALL (array) requires array on right side', {
        position: location + 1,
      });
    }
    elemType = e;
  }
  const op = resolveOperator(name, [left.type, elemType], location);
  if (op.ret !== OID.bool) {
    throw new PgError(SQLSTATE.wrong_object_type, 'op ANY/ALL (array) requires operator to yield boolean', { position: location + 1 });
  }
  const arrayType = typeByOid(op.argTypes[1])?.array;
  if (arrayType === undefined) {
    throw new PgError(SQLSTATE.undefined_object, `could not find array type for data type ${typeName(op.argTypes[1])}`, {
      position: location + 1,
    });
  }
  const l = coerceArg(left, op.argTypes[0], env);
  const r = coerceArg(right, arrayType, env);
  return {
    kind: 'scalararrayop',
    useOr,
    left: l,
    right: r,
    opName: name,
    op: op.def.impl,
    opArgTypes: [l.type, op.argTypes[1]],
    opStrict: op.def.strict,
    type: OID.bool,
    typmod: -1,
    location,
  };
}

function containsColumn(e: TypedExpr): boolean {
  if (e.kind === 'column' || e.kind === 'aggref' || e.kind === 'subquery') return true;
  switch (e.kind) {
    case 'call':
    case 'bool':
    case 'coalesce':
    case 'minmax':
      return e.args.some(containsColumn);
    case 'cast':
    case 'nulltest':
    case 'booltest':
      return containsColumn(e.arg);
    case 'case':
      return e.whens.some((w) => containsColumn(w.cond) || containsColumn(w.result)) || containsColumn(e.elseResult);
    case 'nullif':
    case 'distinct':
    case 'scalararrayop':
      return containsColumn(e.left) || containsColumn(e.right);
    case 'array':
      return e.elements.some(containsColumn);
    case 'subscript':
      return containsColumn(e.arg) || (e.lower !== null && containsColumn(e.lower)) || (e.upper !== null && containsColumn(e.upper));
    default:
      return false;
  }
}

/** x IN (a, b, ...): one `= ANY(ARRAY[...])` for the constant-ish items when they share a type, ORed `=` for the rest. */
function analyzeIn(n: AstNode, name: string, location: number, env: ExprEnv): TypedExpr {
  const useOr = name !== '<>';
  const left = analyzeExpr(n.lexpr, env);
  const items = ((n.rexpr?.List?.items ?? n.rexpr) as unknown[]).map((x) => analyzeExpr(x, env));
  const nonVars = items.filter((e) => !containsColumn(e));
  let rest = items;
  let result: TypedExpr | null = null;
  if (nonVars.length > 1) {
    let common = 0;
    try {
      common = selectCommonType([left, ...nonVars], 'IN');
    } catch {
      common = 0;
    }
    const arrayType = common ? typeByOid(common)?.array : undefined;
    const coerced = arrayType !== undefined ? nonVars.map((e) => coerceTo(e, common, -1, 'implicit', env)) : [];
    if (arrayType !== undefined && coerced.every((e) => e !== null)) {
      const elems = coerced as TypedExpr[];
      const arr: TypedExpr = { kind: 'array', elemType: common, elements: elems, type: arrayType, typmod: -1, location };
      result = makeScalarArrayOp(name, useOr, left, arr, location, env);
      rest = items.filter((e) => containsColumn(e));
    }
  }
  for (const item of rest) {
    const cmp = coerceToBoolean(makeOperator(name, left, item, location, env), 'IN', env);
    result = result === null ? cmp : { kind: 'bool', op: useOr ? 'or' : 'and', args: [result, cmp], type: OID.bool, typmod: -1, location };
  }
  return result!;
}

function analyzeBetween(n: AstNode, location: number, env: ExprEnv): TypedExpr {
  const items = (n.rexpr?.List?.items ?? n.rexpr) as unknown[];
  const a = analyzeExpr(n.lexpr, env);
  const lo = analyzeExpr(items[0], env);
  const hi = analyzeExpr(items[1], env);
  const and = (x: TypedExpr, y: TypedExpr): TypedExpr => ({ kind: 'bool', op: 'and', args: [x, y], type: OID.bool, typmod: -1, location });
  const or = (x: TypedExpr, y: TypedExpr): TypedExpr => ({ kind: 'bool', op: 'or', args: [x, y], type: OID.bool, typmod: -1, location });
  const op = (name: string, x: TypedExpr, y: TypedExpr) => coerceToBoolean(makeOperator(name, x, y, location, env), 'BETWEEN', env);
  switch (n.kind as string) {
    case 'AEXPR_BETWEEN':
      return and(op('>=', a, lo), op('<=', a, hi));
    case 'AEXPR_NOT_BETWEEN':
      return or(op('<', a, lo), op('>', a, hi));
    case 'AEXPR_BETWEEN_SYM':
      return or(and(op('>=', a, lo), op('<=', a, hi)), and(op('>=', a, hi), op('<=', a, lo)));
    default:
      return and(or(op('<', a, lo), op('>', a, hi)), or(op('<', a, hi), op('>', a, lo)));
  }
}

/**
 * The right side of LIKE/SIMILAR TO. `x LIKE p ESCAPE e` arrives as
 * like_escape(p, e) and SIMILAR TO as similar_to_escape(p[, e]); both are
 * turned into a call of our own converter so they work without the function
 * library.
 */
function analyzePattern(node: AstNode, escapeFn: string, env: ExprEnv): TypedExpr {
  const fc = node.FuncCall;
  const fname = fc ? nameList(fc.funcname).pop() : undefined;
  if (!fc || (fname !== escapeFn && fname !== 'similar_escape')) return analyzeExpr(node, env);
  const args = (fc.args as unknown[]).map((a) => {
    const e = analyzeExpr(a, env);
    return coerceTo(e, OID.text, -1, 'implicit', env) ?? e;
  });
  for (const a of args) {
    if (a.type !== OID.text && a.type !== OID.varchar && a.type !== OID.bpchar && a.type !== OID.name) {
      throw new PgError(SQLSTATE.undefined_function, `function ${fname}(${args.map((x) => typeName(x.type)).join(', ')}) does not exist`, {
        position: (fc.location ?? 0) + 1,
        hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
      });
    }
  }
  const isLike = escapeFn === 'like_escape';
  return {
    kind: 'call',
    name: escapeFn,
    isOperator: false,
    args,
    argTypes: args.map((a) => a.type),
    strict: isLike,
    volatility: 'immutable',
    returnsSet: false,
    impl: isLike
      ? (v) => likeEscape(v[0] as string, v[1] as string)
      : (v) => (v[0] === null ? null : similarToRegex(v[0] as string, args.length > 1 ? (v[1] as string | null) : '\\')),
    type: OID.text,
    typmod: -1,
    location: fc.location ?? -1,
  };
}
