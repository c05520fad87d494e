// Function calls: resolution against the function catalog (with variadic and
// polymorphic signatures), function-style casts (int4(x)), aggregates and
// set-returning functions.
import { PgError, SQLSTATE } from '../../errors.js';
import { OID, elementOf, typeByName, typeByOid } from '../../types/oids.js';
import { PgArray } from '../../types/values.js';
import { functionCandidates, type EvalContext, type FunctionDef } from '../functions/catalog.js';
import { compile } from './compile.js';
import { aggregateCandidates, isAggregateName, type AggregateDef } from '../aggregates/aggregate.js';
import { nameList, type AstNode } from './ast.js';
import { resolvePolymorphic } from './cast-rules.js';
import { coerceOrCastError, coerceToBoolean, coerceToCommonType, selectCommonType, typeName } from './coerce.js';
import { analyzeExpr } from './analyze.js';
import { coerceArg, resultType } from './analyze-operators.js';
import { selectCandidate, type Candidate } from './resolve.js';
import type { AggregateSink, ExprClause, ExprEnv } from './scope.js';
import { analyzeCombine } from './analyze-combine.js';
import type { CallExpr, TypedExpr } from './typed-expr.js';

/** Functions the PostgreSQL 18 grammar spells differently from PostgreSQL 11. */
const SQL_SYNTAX_RENAMES: Record<string, string> = { extract: 'date_part' };

/** The function name as PostgreSQL 11 would see it (also used for column naming). */
export function canonicalFunctionName(fc: AstNode): string {
  const names = nameList(fc.funcname);
  const name = names[names.length - 1];
  if (fc.funcformat === 'COERCE_SQL_SYNTAX' && SQL_SYNTAX_RENAMES[name]) return SQL_SYNTAX_RENAMES[name];
  return name;
}

const CLAUSE_LABEL: Record<ExprClause, string> = {
  aggregate: '',
  select: 'SELECT',
  where: 'WHERE',
  having: 'HAVING',
  'group by': 'GROUP BY',
  'order by': 'ORDER BY',
  values: 'VALUES',
  from: 'functions in FROM',
  limit: 'LIMIT',
  offset: 'OFFSET',
  other: 'this context',
};

function signature(name: string, types: number[]): string {
  return `${name}(${types.map(typeName).join(', ')})`;
}

export function analyzeFuncCall(fc: AstNode, env: ExprEnv): TypedExpr {
  const location: number = fc.location ?? -1;
  const pos = { position: location + 1 };
  const names = nameList(fc.funcname);
  const name = canonicalFunctionName(fc);
  if (fc.over) throw new PgError(SQLSTATE.feature_not_supported, 'window functions are not supported', pos);
  const schema = names.length > 1 ? names[names.length - 2] : null;
  if (name === 'combine' && (schema === null || schema === 'pipelinedb')) {
    checkAggregateAllowed(env, pos);
    return analyzeCombine(fc, env);
  }
  if (schema === null || schema === 'pg_catalog') {
    if (isAggregateName(name)) return analyzeAggregate(fc, name, env);
  }
  if (fc.agg_star) {
    throw new PgError(SQLSTATE.wrong_object_type, `${name}(*) specified, but ${name} is not an aggregate function`, pos);
  }
  if (fc.agg_distinct) {
    throw new PgError(SQLSTATE.wrong_object_type, `DISTINCT specified, but ${name} is not an aggregate function`, pos);
  }
  if (fc.agg_within_group) {
    throw new PgError(SQLSTATE.wrong_object_type, `WITHIN GROUP specified, but ${name} is not an aggregate function`, pos);
  }
  if (fc.agg_order || fc.agg_filter) {
    throw new PgError(SQLSTATE.wrong_object_type, `ORDER BY specified, but ${name} is not an aggregate function`, pos);
  }
  for (const a of (fc.args ?? []) as AstNode[]) {
    if (a.NamedArgExpr) throw new PgError(SQLSTATE.feature_not_supported, 'named function arguments are not supported', pos);
  }
  const args = ((fc.args ?? []) as unknown[]).map((a) => analyzeExpr(a, env));
  const inputs = args.map((a) => a.type);
  const variadicCall = fc.func_variadic === true;

  const defs = schema === null || schema === 'pg_catalog' ? functionCandidates(name) : [];
  const cands: Candidate<FunctionDef>[] = [];
  for (const d of defs) {
    if (d.variadic === undefined) cands.push({ def: d, args: d.args });
    else if (variadicCall) {
      const arr = d.variadic === OID.any ? OID.any : typeByOid(d.variadic)?.array;
      if (arr !== undefined) cands.push({ def: d, args: [...d.args, arr] });
    } else if (inputs.length >= d.args.length) {
      const extra = new Array<number>(inputs.length - d.args.length).fill(d.variadic);
      cands.push({ def: d, args: [...d.args, ...extra] });
    }
  }
  const r = selectCandidate(cands, inputs);
  if (r.kind !== 'ok') {
    // A function named like a type with one argument is a cast: int4(x), text(x).
    const asType = args.length === 1 && (schema === null || schema === 'pg_catalog') ? typeByName(name) : undefined;
    if (asType && r.kind === 'none') {
      const out = coerceOrCastError(args[0], asType.oid, -1, 'explicit', env, location, true);
      return out;
    }
    if (r.kind === 'ambiguous') {
      throw new PgError(SQLSTATE.ambiguous_function, `function ${signature(names.join('.'), inputs)} is not unique`, {
        ...pos,
        hint: 'Could not choose a best candidate function. You might need to add explicit type casts.',
      });
    }
    throw new PgError(SQLSTATE.undefined_function, `function ${signature(names.join('.'), inputs)} does not exist`, {
      ...pos,
      hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
    });
  }
  const def = r.cand.def;
  const declared = resolvePolymorphic(inputs, r.cand.args);
  if (typeof declared === 'string') throw new PgError(SQLSTATE.datatype_mismatch, declared, pos);
  const coerced = args.map((a, i) => coerceArg(a, declared[i], env));
  const argTypes = coerced.map((a) => a.type);
  let impl = def.impl;
  let implArgTypes = argTypes;
  if (variadicCall && def.variadic !== undefined) {
    // VARIADIC array: hand the function its elements as separate arguments, as for an expanded call.
    const fixed = def.args.length;
    const elemType = elementOf(argTypes[fixed]) ?? OID.unknown;
    const inner = def.impl;
    impl = (vals, ctx) => {
      const arr = vals[fixed] as PgArray | null;
      const items = arr ? arr.items : [];
      const flat = vals.slice(0, fixed).concat(items);
      const types = argTypes.slice(0, fixed).concat(new Array<number>(items.length).fill(elemType));
      return inner(flat, ctx, types);
    };
    implArgTypes = argTypes;
  }
  const call: CallExpr = {
    kind: 'call',
    name,
    isOperator: false,
    args: coerced,
    argTypes: implArgTypes,
    strict: def.strict,
    volatility: def.volatility,
    returnsSet: def.returnsSet === true,
    impl,
    type: resultType(def.ret, r.cand.args, argTypes),
    typmod: -1,
    location,
  };
  // The one-at-a-time form serves only a direct call (a VARIADIC one rewrites its arguments).
  if (def.lazy && impl === def.impl) call.lazy = def.lazy;
  if (call.returnsSet) {
    if (!env.srfs) {
      const where = env.clause === 'aggregate' ? 'aggregate function calls' : CLAUSE_LABEL[env.clause];
      throw new PgError(
        SQLSTATE.feature_not_supported,
        env.clause === 'aggregate' ? `aggregate function calls cannot contain set-returning function calls` : `set-returning functions are not allowed in ${where}`,
        { ...pos, ...(env.clause === 'aggregate' ? { hint: 'You might be able to move the set-returning function into a LATERAL FROM item.' } : {}) },
      );
    }
    const index = env.srfs.add(call);
    return { kind: 'column', index, name, type: call.type, typmod: -1, location };
  }
  return call;
}

function checkAggregateAllowed(env: ExprEnv, pos: { position: number }): asserts env is ExprEnv & { aggregates: AggregateSink } {
  if (!env.aggregates) {
    if (env.clause === 'aggregate') throw new PgError(SQLSTATE.grouping_error, 'aggregate function calls cannot be nested', pos);
    throw new PgError(SQLSTATE.grouping_error, `aggregate functions are not allowed in ${CLAUSE_LABEL[env.clause]}`, pos);
  }
}

function analyzeAggregate(fc: AstNode, name: string, env: ExprEnv): TypedExpr {
  const location: number = fc.location ?? -1;
  const pos = { position: location + 1 };
  checkAggregateAllowed(env, pos);
  const inner: ExprEnv = { ...env, aggregates: null, srfs: null, clause: 'aggregate' };
  const withinGroup = fc.agg_within_group === true;
  if (withinGroup) return analyzeWithinGroupAggregate(fc, name, env, inner);
  const args = fc.agg_star ? [] : ((fc.args ?? []) as unknown[]).map((a) => analyzeExpr(a, inner));
  const inputs = args.map((a) => a.type);
  const all = aggregateCandidates(name);
  const cands: Candidate<AggregateDef>[] = all.filter((d) => !d.withinGroup).map((d) => ({ def: d, args: d.args }));
  const r = selectCandidate(cands, inputs);
  const shown = fc.agg_star ? `${name}(*)` : signature(name, inputs);
  if (r.kind === 'none') {
    // An ordered-set aggregate called without WITHIN GROUP (hypothetical-set ones take any arguments).
    const osa = all.filter((d) => d.withinGroup);
    if (osa.some((d) => d.withinGroup === 'hypothetical') && inputs.length === 0 && !fc.agg_star) {
      throw new PgError(SQLSTATE.wrong_object_type, `window function ${name} requires an OVER clause`, pos);
    }
    const osaMatch = selectCandidate(osa.filter((d) => d.withinGroup === 'ordered').map((d) => ({ def: d, args: d.args })), inputs);
    if ((osa.some((d) => d.withinGroup === 'hypothetical') && !fc.agg_star) || osaMatch.kind !== 'none') {
      throw new PgError(SQLSTATE.wrong_object_type, `WITHIN GROUP is required for ordered-set aggregate ${name}`, pos);
    }
    throw new PgError(SQLSTATE.undefined_function, `function ${shown} does not exist`, {
      ...pos,
      hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
    });
  }
  if (r.kind === 'ambiguous') {
    throw new PgError(SQLSTATE.ambiguous_function, `function ${shown} is not unique`, {
      ...pos,
      hint: 'Could not choose a best candidate function. You might need to add explicit type casts.',
    });
  }
  const def = r.cand.def;
  const declared = resolvePolymorphic(inputs, r.cand.args);
  if (typeof declared === 'string') throw new PgError(SQLSTATE.datatype_mismatch, declared, pos);
  const coerced = args.map((a, i) => coerceArg(a, declared[i], inner));
  const argTypes = coerced.map((a) => a.type);
  const order = ((fc.agg_order ?? []) as AstNode[]).map((s) => {
    const sb = s.SortBy;
    return {
      expr: analyzeExpr(sb.node, inner),
      desc: sb.sortby_dir === 'SORTBY_DESC',
      nullsFirst: sb.sortby_nulls === 'SORTBY_NULLS_FIRST' || (sb.sortby_nulls !== 'SORTBY_NULLS_LAST' && sb.sortby_dir === 'SORTBY_DESC'),
    };
  });
  const filter = fc.agg_filter ? coerceToBoolean(analyzeExpr(fc.agg_filter, inner), 'FILTER', inner) : null;
  const type = resultType(def.ret, r.cand.args, argTypes);
  const index = env.aggregates.add({
    name,
    args: coerced,
    argTypes,
    star: fc.agg_star === true,
    distinct: fc.agg_distinct === true,
    order,
    filter,
    resultType: type,
    location,
    impl: def.create(argTypes),
    strict: def.strict,
  });
  return { kind: 'aggref', index, type, typmod: -1, location };
}

/** Sort options of a SortBy node: ASC/DESC and NULLS FIRST/LAST (the default follows the direction). */
function sortByOptions(sb: AstNode): { desc: boolean; nullsFirst: boolean } {
  const desc = sb.sortby_dir === 'SORTBY_DESC';
  return { desc, nullsFirst: sb.sortby_nulls === 'SORTBY_NULLS_FIRST' || (sb.sortby_nulls !== 'SORTBY_NULLS_LAST' && desc) };
}

/**
 * name(direct args) WITHIN GROUP (ORDER BY aggregated args): the call's
 * arguments are the direct ones followed by the ORDER BY values. For
 * hypothetical-set aggregates each direct argument and its ORDER BY column are
 * unified to one type, as PostgreSQL's unify_hypothetical_args does.
 */
function analyzeWithinGroupAggregate(fc: AstNode, name: string, env: ExprEnv, inner: ExprEnv): TypedExpr {
  const location: number = fc.location ?? -1;
  const pos = { position: location + 1 };
  const all = aggregateCandidates(name);
  if (!all.some((d) => d.withinGroup)) {
    throw new PgError(SQLSTATE.wrong_object_type, `${name} is not an ordered-set aggregate, so it cannot have WITHIN GROUP`, pos);
  }
  const direct = ((fc.args ?? []) as unknown[]).map((a) => analyzeExpr(a, inner));
  const sorts = ((fc.agg_order ?? []) as AstNode[]).map((s) => s.SortBy as AstNode);
  const ordered = sorts.map((sb) => analyzeExpr(sb.node, inner));
  const order = sorts.map((sb, i) => ({ ...sortByOptions(sb), location: ordered[i].location }));
  const inputs = [...direct, ...ordered].map((a) => a.type);
  const hypo = all.find((d) => d.withinGroup === 'hypothetical');
  let def: AggregateDef;
  let coerced: TypedExpr[];
  let type: number;
  if (hypo) {
    if (direct.length !== ordered.length) {
      throw new PgError(SQLSTATE.undefined_function, `function ${signature(name, inputs)} does not exist`, {
        ...pos,
        hint: `To use the hypothetical-set aggregate ${name}, the number of hypothetical direct arguments (here ${direct.length}) must match the number of ordering columns (here ${ordered.length}).`,
      });
    }
    const pairs = direct.map((d, i) => {
      const t = selectCommonType([d, ordered[i]], 'WITHIN GROUP');
      return coerceToCommonType([d, ordered[i]], t, 'WITHIN GROUP', inner);
    });
    coerced = [...pairs.map((p) => p[0]), ...pairs.map((p) => p[1])];
    def = hypo;
    type = resultType(hypo.ret, [], []);
  } else {
    const cands: Candidate<AggregateDef>[] = all.filter((d) => d.withinGroup === 'ordered').map((d) => ({ def: d, args: d.args }));
    const r = selectCandidate(cands, inputs);
    if (r.kind !== 'ok') {
      throw new PgError(
        r.kind === 'ambiguous' ? SQLSTATE.ambiguous_function : SQLSTATE.undefined_function,
        `function ${signature(name, inputs)} ${r.kind === 'ambiguous' ? 'is not unique' : 'does not exist'}`,
        {
          ...pos,
          hint: r.kind === 'ambiguous'
            ? 'Could not choose a best candidate function. You might need to add explicit type casts.'
            : 'No function matches the given name and argument types. You might need to add explicit type casts.',
        },
      );
    }
    def = r.cand.def;
    const declared = resolvePolymorphic(inputs, r.cand.args);
    if (typeof declared === 'string') throw new PgError(SQLSTATE.datatype_mismatch, declared, pos);
    coerced = [...direct, ...ordered].map((a, i) => coerceArg(a, declared[i], inner));
    type = resultType(def.ret, r.cand.args, coerced.map((a) => a.type));
  }
  const argTypes = coerced.map((a) => a.type);
  const filter = fc.agg_filter ? coerceToBoolean(analyzeExpr(fc.agg_filter, inner), 'FILTER', inner) : null;
  const directArgs = coerced.slice(0, direct.length);
  const constDirect = constantValues(directArgs);
  const impl = def.create(argTypes, order, constDirect);
  const createStreaming = def.createStreaming;
  const index = env.aggregates!.add({
    name,
    args: coerced,
    argTypes,
    star: false,
    distinct: false,
    order: [],
    filter,
    resultType: type,
    location,
    impl,
    ...(createStreaming ? { streaming: () => createStreaming(argTypes, order, constDirect) } : {}),
    withinGroup: order,
    strict: false,
  });
  return { kind: 'aggref', index, type, typmod: -1, location };
}

/** Whether an expression is built only from constants, immutable casts and ARRAY[...] of them. */
function isFoldable(e: TypedExpr): boolean {
  if (e.kind === 'const') return true;
  if (e.kind === 'cast') return e.volatility === 'immutable' && isFoldable(e.arg);
  if (e.kind === 'array') return e.elements.every(isFoldable);
  return false;
}

/**
 * The values of constant direct arguments (undefined when any is not constant
 * or fails to evaluate: it is then evaluated per row and any error raised there).
 */
function constantValues(exprs: TypedExpr[]): unknown[] | undefined {
  if (!exprs.every(isFoldable)) return undefined;
  try {
    // Constants and immutable casts of them read neither the row nor the session.
    return exprs.map((e) => compile(e)([], undefined as unknown as EvalContext));
  } catch {
    return undefined;
  }
}
