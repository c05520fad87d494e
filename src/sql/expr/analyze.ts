// Expression analysis: libpg-query AST -> TypedExpr, applying PostgreSQL's
// type rules (unknown literals, implicit casts, operator/function resolution).
import { PgError, SQLSTATE } from '../../errors.js';
import { OID, elementOf, typeByOid } from '../../types/oids.js';
import { PgArray, USECS_PER_DAY } from '../../types/values.js';
import { parseNumeric } from '../../types/numeric.js';
import { nameList, nodeKind, type AstNode } from './ast.js';
import {
  coerceOrCastError,
  coerceTo,
  coerceToBoolean,
  coerceToCommonType,
  resolveUnknownAsText,
  selectCommonType,
  typeName,
} from './coerce.js';
import { requireCompareFn } from './compare-values.js';
import type { ExprEnv } from './scope.js';
import type { TypedExpr, CallExpr, SubqueryExpr } from './typed-expr.js';
import { resolveTypeName } from './typename.js';
import { analyzeAExpr, makeOperator } from './analyze-operators.js';
import { analyzeFuncCall } from './analyze-functions.js';
import { applyTypmod, utcToLocal } from './type-bridge.js';

/** Analyzes one expression node in `env`. */
export function analyzeExpr(node: unknown, env: ExprEnv): TypedExpr {
  const [kind, n] = nodeKind(node);
  switch (kind) {
    case 'A_Const':
      return analyzeConst(n);
    case 'ColumnRef':
      return analyzeColumnRef(n, env);
    case 'ParamRef':
      return analyzeParamRef(n, env);
    case 'A_Expr':
      return analyzeAExpr(n, env);
    case 'BoolExpr':
      return analyzeBoolExpr(n, env);
    case 'NullTest': {
      const arg = analyzeExpr(n.arg, env);
      return { kind: 'nulltest', arg, isNull: n.nulltesttype === 'IS_NULL', type: OID.bool, typmod: -1, location: n.location ?? -1 };
    }
    case 'BooleanTest':
      return analyzeBooleanTest(n, env);
    case 'TypeCast':
      return analyzeTypeCast(n, env);
    case 'FuncCall':
      return analyzeFuncCall(n, env);
    case 'CaseExpr':
      return analyzeCase(n, env);
    case 'CoalesceExpr':
      return analyzeCoalesce(n, env);
    case 'MinMaxExpr':
      return analyzeMinMax(n, env);
    case 'A_ArrayExpr':
      return analyzeArray(n, env, 0);
    case 'A_Indirection':
      return analyzeIndirection(n, env);
    case 'CollateClause':
      // Only code-point ("C") ordering exists here, so collations change nothing.
      return analyzeExpr(n.arg, env);
    case 'SQLValueFunction':
      return analyzeSqlValueFunction(n);
    case 'SubLink':
      return analyzeSubLink(n, env);
    case 'RowExpr':
      throw new PgError(SQLSTATE.feature_not_supported, 'row constructors are not supported', { position: (n.location ?? 0) + 1 });
    default:
      throw new PgError(SQLSTATE.feature_not_supported, `unsupported expression: ${kind}`, {
        ...(typeof n?.location === 'number' ? { position: n.location + 1 } : {}),
      });
  }
}

// ---- constants, columns, parameters -------------------------------------

const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;

function analyzeConst(n: AstNode): TypedExpr {
  const location = n.location ?? -1;
  if (n.isnull) return { kind: 'const', value: null, type: OID.unknown, typmod: -1, location };
  if (n.ival !== undefined) return { kind: 'const', value: n.ival.ival ?? 0, type: OID.int4, typmod: -1, location };
  if (n.fval !== undefined) {
    const text: string = n.fval.fval;
    // Integer literals too big for int4 are int8, then numeric; anything with . or e is numeric.
    if (/^[0-9]+$/.test(text) || /^-[0-9]+$/.test(text)) {
      const b = BigInt(text);
      if (b >= INT8_MIN && b <= INT8_MAX) return { kind: 'const', value: b, type: OID.int8, typmod: -1, location };
    }
    return { kind: 'const', value: parseNumeric(text), type: OID.numeric, typmod: -1, location };
  }
  if (n.sval !== undefined) return { kind: 'const', value: n.sval.sval ?? '', type: OID.unknown, typmod: -1, location };
  if (n.boolval !== undefined) return { kind: 'const', value: n.boolval.boolval === true, type: OID.bool, typmod: -1, location };
  if (n.bsval !== undefined) {
    throw new PgError(SQLSTATE.feature_not_supported, 'bit string literals are not supported', { position: location + 1 });
  }
  throw new PgError(SQLSTATE.internal_error, 'unrecognized constant');
}

function analyzeColumnRef(n: AstNode, env: ExprEnv): TypedExpr {
  const fields = nameList(n.fields);
  const location = n.location ?? -1;
  if (fields[fields.length - 1] === '*') {
    throw new PgError(SQLSTATE.syntax_error, 'row expansion via "*" is not supported here', { position: location + 1 });
  }
  const col = env.scope.resolveColumn(fields, location);
  if (col) return { kind: 'column', index: col.index, name: col.name, type: col.type, typmod: col.typmod, location };
  if (fields.length >= 2) {
    const star = env.scope.expandStar?.(fields[fields.length - 2], location);
    if (star === null || star === undefined) {
      throw new PgError(SQLSTATE.undefined_table, `missing FROM-clause entry for table "${fields[fields.length - 2]}"`, {
        position: location + 1,
      });
    }
    throw new PgError(SQLSTATE.undefined_column, `column ${fields.join('.')} does not exist`, { position: location + 1 });
  }
  throw new PgError(SQLSTATE.undefined_column, `column "${fields[0]}" does not exist`, { position: location + 1 });
}

function analyzeParamRef(n: AstNode, env: ExprEnv): TypedExpr {
  const number: number = n.number ?? 0;
  const location = n.location ?? -1;
  const types = env.params.types;
  if (number < 1 || number > types.length) {
    if (!env.params.allowNew || number < 1) {
      throw new PgError(SQLSTATE.undefined_parameter, `there is no parameter $${number}`, { position: location + 1 });
    }
    while (types.length < number) types.push(0);
  }
  const t = types[number - 1];
  return { kind: 'param', index: number - 1, type: t === 0 ? OID.unknown : t, typmod: -1, location };
}

// ---- boolean constructs ---------------------------------------------------

function analyzeBoolExpr(n: AstNode, env: ExprEnv): TypedExpr {
  const op = n.boolop === 'AND_EXPR' ? 'and' : n.boolop === 'OR_EXPR' ? 'or' : 'not';
  const what = op.toUpperCase();
  const args = (n.args as unknown[]).map((a) => coerceToBoolean(analyzeExpr(a, env), what, env));
  return { kind: 'bool', op, args, type: OID.bool, typmod: -1, location: n.location ?? -1 };
}

const BOOLTEST: Record<string, { test: 'true' | 'not_true' | 'false' | 'not_false' | 'unknown' | 'not_unknown'; label: string }> = {
  IS_TRUE: { test: 'true', label: 'IS TRUE' },
  IS_NOT_TRUE: { test: 'not_true', label: 'IS NOT TRUE' },
  IS_FALSE: { test: 'false', label: 'IS FALSE' },
  IS_NOT_FALSE: { test: 'not_false', label: 'IS NOT FALSE' },
  IS_UNKNOWN: { test: 'unknown', label: 'IS UNKNOWN' },
  IS_NOT_UNKNOWN: { test: 'not_unknown', label: 'IS NOT UNKNOWN' },
};

function analyzeBooleanTest(n: AstNode, env: ExprEnv): TypedExpr {
  const t = BOOLTEST[n.booltesttype as string];
  const arg = coerceToBoolean(analyzeExpr(n.arg, env), t.label, env);
  return { kind: 'booltest', arg, test: t.test, type: OID.bool, typmod: -1, location: n.location ?? -1 };
}

// ---- casts ------------------------------------------------------------------

function analyzeTypeCast(n: AstNode, env: ExprEnv): TypedExpr {
  const target = resolveTypeName(n.typeName);
  const location = typeof n.location === 'number' && n.location >= 0 ? n.location : (n.typeName.location ?? -1);
  const [argKind, argBody] = nodeKind(n.arg);
  let arg: TypedExpr;
  if (argKind === 'A_ArrayExpr' && elementOf(target.type) !== undefined) {
    // ARRAY[...]::t[] types the elements as t directly (so ARRAY[]::int[] works).
    arg = analyzeArray(argBody, env, target.type);
  } else {
    arg = analyzeExpr(n.arg, env);
  }
  const out = coerceOrCastError(arg, target.type, target.typmod, 'explicit', env, location, true);
  if (out.kind === 'const' && arg.kind === 'const') return { ...out, location: arg.location };
  return out;
}

// ---- CASE / COALESCE / GREATEST / NULLIF ------------------------------------

function analyzeCase(n: AstNode, env: ExprEnv): TypedExpr {
  const location = n.location ?? -1;
  const testArg = n.arg ? analyzeExpr(n.arg, env) : null;
  const whens: { cond: TypedExpr; result: TypedExpr }[] = [];
  for (const w of n.args as AstNode[]) {
    const cw = w.CaseWhen;
    let cond: TypedExpr;
    if (testArg) {
      cond = makeOperator('=', testArg, analyzeExpr(cw.expr, env), cw.location ?? location, env);
    } else {
      cond = analyzeExpr(cw.expr, env);
    }
    cond = coerceToBoolean(cond, 'CASE/WHEN', env);
    whens.push({ cond, result: analyzeExpr(cw.result, env) });
  }
  const elseResult: TypedExpr = n.defresult
    ? analyzeExpr(n.defresult, env)
    : { kind: 'const', value: null, type: OID.unknown, typmod: -1, location: -1 };
  // PostgreSQL considers the ELSE branch first when choosing the type.
  const results = [elseResult, ...whens.map((w) => w.result)];
  const type = selectCommonType(results, 'CASE');
  const coerced = coerceToCommonType(results, type, 'CASE', env);
  for (let i = 0; i < whens.length; i++) whens[i].result = coerced[i + 1];
  return { kind: 'case', whens, elseResult: coerced[0], type, typmod: commonTypmod(coerced), location };
}

/** The shared typmod of coerced branches, or -1 when they differ. */
function commonTypmod(exprs: TypedExpr[]): number {
  const t = exprs[0]?.typmod ?? -1;
  for (const e of exprs) if (e.typmod !== t) return -1;
  return t;
}

function analyzeCoalesce(n: AstNode, env: ExprEnv): TypedExpr {
  const args = (n.args as unknown[]).map((a) => analyzeExpr(a, env));
  const type = selectCommonType(args, 'COALESCE');
  const coerced = coerceToCommonType(args, type, 'COALESCE', env);
  return { kind: 'coalesce', args: coerced, type, typmod: commonTypmod(coerced), location: n.location ?? -1 };
}

function analyzeMinMax(n: AstNode, env: ExprEnv): TypedExpr {
  const greatest = n.op === 'IS_GREATEST';
  const label = greatest ? 'GREATEST' : 'LEAST';
  const args = (n.args as unknown[]).map((a) => analyzeExpr(a, env));
  const type = selectCommonType(args, label);
  const coerced = coerceToCommonType(args, type, label, env);
  const compare = requireCompareFn(type, n.location ?? -1);
  return { kind: 'minmax', greatest, args: coerced, compare, type, typmod: commonTypmod(coerced), location: n.location ?? -1 };
}

// ---- arrays -------------------------------------------------------------------

/** ARRAY[...]; `arrayType` is the target array type when known from a cast, else 0. */
export function analyzeArray(n: AstNode, env: ExprEnv, arrayType: number): TypedExpr {
  const location = n.location ?? -1;
  const elems = ((n.elements ?? []) as unknown[]).map((e) => analyzeExpr(e, env));
  let elemType: number;
  if (arrayType) {
    elemType = elementOf(arrayType)!;
  } else {
    if (elems.length === 0) {
      throw new PgError(SQLSTATE.indeterminate_datatype, 'cannot determine type of empty array', {
        position: location + 1,
        hint: 'Explicitly cast to the desired type, for example ARRAY[]::integer[].',
      });
    }
    elemType = selectCommonType(elems, 'ARRAY');
  }
  if (elementOf(elemType) !== undefined) {
    throw new PgError(SQLSTATE.feature_not_supported, 'multidimensional arrays are not supported', { position: location + 1 });
  }
  const type = typeByOid(elemType)?.array;
  if (type === undefined) {
    throw new PgError(SQLSTATE.undefined_object, `could not find array type for data type ${typeName(elemType)}`, {
      position: location + 1,
    });
  }
  const elements = arrayType
    ? elems.map((e) => coerceOrCastError(e, elemType, -1, 'explicit', env, e.location, true))
    : coerceToCommonType(elems, elemType, 'ARRAY', env);
  if (elements.every((e) => e.kind === 'const')) {
    return { kind: 'const', value: new PgArray(elemType, elements.map((e) => (e as { value: unknown }).value)), type, typmod: -1, location };
  }
  return { kind: 'array', elemType, elements, type, typmod: -1, location };
}

function analyzeIndirection(n: AstNode, env: ExprEnv): TypedExpr {
  let expr = analyzeExpr(n.arg, env);
  const subs = n.indirection as AstNode[];
  if (subs.length > 1) {
    throw new PgError(SQLSTATE.feature_not_supported, 'multidimensional array subscripts are not supported', {
      position: expr.location + 1,
    });
  }
  const ind = subs[0].A_Indices;
  if (!ind) {
    throw new PgError(SQLSTATE.feature_not_supported, 'field selection is not supported', { position: expr.location + 1 });
  }
  if (expr.type === OID.unknown) expr = resolveUnknownAsText(expr, env);
  if (elementOf(expr.type) === undefined) {
    throw new PgError(
      SQLSTATE.datatype_mismatch,
      `cannot subscript type ${typeName(expr.type)} because it is not an array`,
      { position: expr.location + 1 },
    );
  }
  const sub = (node: unknown): TypedExpr | null => {
    if (!node) return null;
    const e = analyzeExpr(node, env);
    const c = coerceTo(e, OID.int4, -1, 'assignment', env);
    if (!c) {
      throw new PgError(SQLSTATE.datatype_mismatch, 'array subscript must have type integer', { position: e.location + 1 });
    }
    return c;
  };
  const slice = ind.is_slice === true;
  const lower = slice ? sub(ind.lidx) : null;
  const upper = sub(ind.uidx);
  const type = slice ? expr.type : elementOf(expr.type)!;
  return { kind: 'subscript', arg: expr, slice, lower, upper, type, typmod: slice ? expr.typmod : -1, location: expr.location };
}

// ---- CURRENT_DATE and friends ---------------------------------------------------

function analyzeSqlValueFunction(n: AstNode): TypedExpr {
  const location = n.location ?? -1;
  const typmod: number = n.typmod ?? -1;
  const call = (name: string, type: number, impl: CallExpr['impl'], volatility: 'stable' = 'stable'): CallExpr => ({
    kind: 'call',
    name,
    isOperator: false,
    args: [],
    argTypes: [],
    strict: false,
    volatility,
    returnsSet: false,
    impl,
    type,
    typmod: -1,
    location,
  });
  const withPrecision = (type: number, v: number) => (typmod >= 0 ? applyTypmod(type, v, typmod, true) : v);
  switch (n.op as string) {
    case 'SVFOP_CURRENT_DATE':
      return call('current_date', OID.date, (_a, ctx) => Math.floor(utcToLocal(ctx.transactionTimestamp, ctx.io) / USECS_PER_DAY));
    case 'SVFOP_CURRENT_TIMESTAMP':
    case 'SVFOP_CURRENT_TIMESTAMP_N':
      return { ...call('current_timestamp', OID.timestamptz, (_a, ctx) => withPrecision(OID.timestamptz, ctx.transactionTimestamp)), typmod };
    case 'SVFOP_LOCALTIMESTAMP':
    case 'SVFOP_LOCALTIMESTAMP_N':
      return {
        ...call('localtimestamp', OID.timestamp, (_a, ctx) => withPrecision(OID.timestamp, utcToLocal(ctx.transactionTimestamp, ctx.io))),
        typmod,
      };
    case 'SVFOP_LOCALTIME':
    case 'SVFOP_LOCALTIME_N':
      return {
        ...call('localtime', OID.time, (_a, ctx) => {
          const local = utcToLocal(ctx.transactionTimestamp, ctx.io);
          return withPrecision(OID.time, ((local % USECS_PER_DAY) + USECS_PER_DAY) % USECS_PER_DAY);
        }),
        typmod,
      };
    case 'SVFOP_CURRENT_ROLE':
      return call('current_role', OID.name, (_a, ctx) => ctx.hooks.currentUser());
    case 'SVFOP_CURRENT_USER':
      return call('current_user', OID.name, (_a, ctx) => ctx.hooks.currentUser());
    case 'SVFOP_USER':
      return call('user', OID.name, (_a, ctx) => ctx.hooks.currentUser());
    case 'SVFOP_SESSION_USER':
      return call('session_user', OID.name, (_a, ctx) => ctx.hooks.sessionUser());
    case 'SVFOP_CURRENT_CATALOG':
      return call('current_catalog', OID.name, (_a, ctx) => ctx.hooks.currentDatabase());
    case 'SVFOP_CURRENT_SCHEMA':
      return call('current_schema', OID.name, (_a, ctx) => ctx.hooks.currentSchema());
    default:
      throw new PgError(SQLSTATE.feature_not_supported, `${String(n.op).replace('SVFOP_', '')} is not supported`, {
        position: location + 1,
      });
  }
}

// ---- sub-selects ------------------------------------------------------------------

function analyzeSubLink(n: AstNode, env: ExprEnv): TypedExpr {
  const location = n.location ?? -1;
  if (!env.planSubquery) {
    throw new PgError(SQLSTATE.feature_not_supported, 'subqueries are not supported here', { position: location + 1 });
  }
  const plan = env.planSubquery(n.subselect, env);
  const run = memoPerContext(plan.run);
  const kind = n.subLinkType as string;
  const base = { kind: 'subquery' as const, run, typmod: -1, location };
  switch (kind) {
    case 'EXISTS_SUBLINK':
      return { ...base, subKind: 'exists', type: OID.bool };
    case 'EXPR_SUBLINK':
    case 'ARRAY_SUBLINK': {
      if (plan.columns.length !== 1) {
        throw new PgError(SQLSTATE.syntax_error, plan.columns.length > 1 ? 'subquery must return only one column' : 'subquery must return a column', {
          position: location + 1,
        });
      }
      const colType = plan.columns[0].type;
      if (kind === 'EXPR_SUBLINK') return { ...base, subKind: 'expr', type: colType, typmod: plan.columns[0].typmod };
      const arrayType = typeByOid(colType)?.array;
      if (arrayType === undefined) {
        throw new PgError(SQLSTATE.undefined_object, `could not find array type for data type ${typeName(colType)}`, {
          position: location + 1,
        });
      }
      return { ...base, subKind: 'array', type: arrayType };
    }
    case 'ANY_SUBLINK':
    case 'ALL_SUBLINK': {
      if (plan.columns.length !== 1) {
        throw new PgError(SQLSTATE.syntax_error, 'subquery has too many columns', { position: location + 1 });
      }
      const opName = n.operName ? nameList(n.operName).pop()! : '=';
      const left = analyzeExpr(n.testexpr, env);
      // The sub-select's value is read from a one-column row of its own.
      const placeholder: TypedExpr = { kind: 'column', index: 0, name: '', type: plan.columns[0].type, typmod: -1, location };
      const op = makeOperator(opName, left, placeholder, location, env);
      if (op.type !== OID.bool) {
        throw new PgError(SQLSTATE.datatype_mismatch, `operator ${opName} must return type boolean, not type ${typeName(op.type)}`, {
          position: location + 1,
        });
      }
      const sub: SubqueryExpr = {
        ...base,
        subKind: kind === 'ANY_SUBLINK' ? 'any' : 'all',
        type: OID.bool,
        test: op.args[0],
        op: op.impl,
        opArgTypes: op.argTypes,
        right: op.args[1],
      };
      return sub;
    }
    default:
      throw new PgError(SQLSTATE.feature_not_supported, `${kind} is not supported`, { position: location + 1 });
  }
}

/**
 * An uncorrelated sub-select runs once per execution (per EvalContext). The
 * rows are held weakly by the context, so a cached plan (prepared statement)
 * does not keep the last execution's rows alive.
 */
function memoPerContext(run: (ctx: import('../functions/catalog.js').EvalContext) => unknown[][]) {
  const results = new WeakMap<object, unknown[][]>();
  return (ctx: import('../functions/catalog.js').EvalContext) => {
    let rows = results.get(ctx);
    if (rows === undefined) {
      rows = run(ctx);
      results.set(ctx, rows);
    }
    return rows;
  };
}

/** Resolves any parameter whose type was inferred after its node was built; 42P18 for the rest. */
export function finishParams(exprs: TypedExpr[], env: ExprEnv): void {
  const types = env.params.types;
  const visit = (e: TypedExpr): void => {
    if (e.kind === 'param' && e.type === OID.unknown) {
      const t = types[e.index];
      if (t && t !== OID.unknown) e.type = t;
    }
    forEachChild(e, visit);
  };
  for (const e of exprs) visit(e);
  for (let i = 0; i < types.length; i++) {
    if (types[i] === 0 || types[i] === OID.unknown) {
      throw new PgError(SQLSTATE.indeterminate_datatype, `could not determine data type of parameter $${i + 1}`);
    }
  }
}

function forEachChild(e: TypedExpr, f: (c: TypedExpr) => void): void {
  switch (e.kind) {
    case 'call':
    case 'bool':
    case 'coalesce':
    case 'minmax':
      e.args.forEach(f);
      break;
    case 'cast':
    case 'nulltest':
    case 'booltest':
      f(e.arg);
      break;
    case 'case':
      for (const w of e.whens) {
        f(w.cond);
        f(w.result);
      }
      f(e.elseResult);
      break;
    case 'nullif':
    case 'distinct':
    case 'scalararrayop':
      f(e.left);
      f(e.right);
      break;
    case 'array':
      e.elements.forEach(f);
      break;
    case 'subscript':
      f(e.arg);
      if (e.lower) f(e.lower);
      if (e.upper) f(e.upper);
      break;
    case 'subquery':
      if (e.test) f(e.test);
      break;
    default:
      break;
  }
}
