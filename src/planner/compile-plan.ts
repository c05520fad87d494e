// Compiles a continuous view's SELECT into the per-thread plan: the query is
// parsed and analyzed with the ad-hoc SELECT machinery (same name
// resolution, types, aggregates and output names as a SELECT over the
// stream's rows), then split into the parts workers, combiners and reads run.
//
// The parser must be loaded first (`await loadParser()`, src/sql/parse-statements.ts)
// unless the definition comes already parsed.
import { PgError, SQLSTATE } from '../errors.js';
import { OID } from '../types/oids.js';
import type { TypeIoContext } from '../types/io-context.js';
import { parseStatements } from '../sql/parse-statements.js';
import { nameList, type AstNode } from '../sql/expr/ast.js';
import { analyzeExpr } from '../sql/expr/analyze.js';
import { coerceToBoolean, resolveUnknownAsText, typeName } from '../sql/expr/coerce.js';
import { figureColname } from '../sql/expr/colname.js';
import { newExprEnv, ParamTypes, RelationScope, type AggregateCall, type ExprEnv } from '../sql/expr/scope.js';
import { childrenOf, fingerprint, mapChildren, type TypedExpr } from '../sql/expr/typed-expr.js';
import { planDistinct } from './distinct-clause.js';
import '../sql/builtins.js';
import { isAggregateName } from '../sql/aggregates/aggregate.js';
import type { CompiledContinuousPlan, ContinuousViewDefinition, OutputColumn } from './continuous-plan.js';
import { checkQueryShape, selectBody } from './query-shape.js';
import { resolveGroupBy, type NamedTarget } from './group-clause.js';
import { keyCodecFor } from './key-codec.js';
import { stateCodecFor } from './state-codecs.js';
import { buildPlan, type ViewAnalysis } from './plan-runtime.js';
import { rewriteSketchAggregates } from './aggregate-rewrites.js';

export const ARRIVAL_TIMESTAMP = 'arrival_timestamp';

export function compileContinuousPlan(def: ContinuousViewDefinition, io: TypeIoContext): CompiledContinuousPlan {
  return buildPlan(analyzeContinuousQuery(def, io));
}

/** Parses and analyzes the view's query into the expressions the plan compiles. */
export function analyzeContinuousQuery(def: ContinuousViewDefinition, io: TypeIoContext): ViewAnalysis {
  if (def.parseError) throw new PgError(def.parseError.code, def.parseError.message);
  const body = selectBody(def.parsed ?? parseStatements(def.query));
  const alias = checkQueryShape(body, def);
  const scope = new RelationScope([
    {
      alias,
      columns: [
        ...def.stream.columns.map((c) => ({ name: c.name, type: c.typeOid, typmod: c.typmod })),
        { name: ARRIVAL_TIMESTAMP, type: OID.timestamptz, typmod: -1 },
      ],
      offset: 0,
    },
  ]);
  // Identical aggregate calls share one state, as in PostgreSQL.
  const aggs: AggregateCall[] = [];
  const aggIndex = new Map<string, number>();
  const addAggregate = (call: AggregateCall): number => {
    // Views keep the bounded-state variant of aggregates that have one.
    const c = call.streaming ? { ...call, impl: call.streaming() } : call;
    const fp = aggregateFingerprint(c);
    let i = aggIndex.get(fp);
    if (i === undefined) aggIndex.set(fp, (i = aggs.push(c) - 1));
    return i;
  };
  // Parameters are fixed (none): $n is 42P02 "there is no parameter $n".
  const base = newExprEnv(scope, new ParamTypes([], false), io);
  const env: ExprEnv = { ...base, aggregates: { add: addAggregate }, clause: 'select' };

  const targets: NamedTarget[] = [];
  for (const item of (body.targetList ?? []) as AstNode[]) {
    const rt = item.ResTarget;
    const cr = rt.val.ColumnRef;
    if (cr && cr.fields[cr.fields.length - 1].A_Star !== undefined) {
      throw new PgError(SQLSTATE.ambiguous_column, `can't select "${nameList(cr.fields).join('.')}" in continuous queries`, {
        hint: 'Explicitly state the columns you want to SELECT.',
        position: (cr.location ?? 0) + 1,
      });
    }
    const e = resolveUnknownAsText(analyzeExpr(rewriteSketchAggregates(rt.val), env), env);
    targets.push({ name: rt.name ?? figureColname(rt.val), expr: e, aggregateCall: isAggregateCall(rt.val) });
  }

  const whereEnv: ExprEnv = { ...env, aggregates: null, clause: 'where' };
  const where = body.whereClause ? coerceToBoolean(analyzeExpr(body.whereClause, whereEnv), 'WHERE', whereEnv) : null;
  if (where && callsFunction(where, 'clock_timestamp')) {
    throw new PgError(SQLSTATE.feature_not_supported, 'sliding-window continuous views (clock_timestamp() in WHERE) are not supported yet');
  }

  const groupEnv: ExprEnv = { ...env, aggregates: null, clause: 'group by' };
  let groupExprs: TypedExpr[];
  if (body.distinctClause) {
    if (aggs.length > 0 || (body.groupClause ?? []).length > 0) {
      throw new PgError(SQLSTATE.feature_not_supported, 'continuous queries don\'t support SELECT DISTINCT together with aggregates or GROUP BY');
    }
    groupExprs = planDistinct(body.distinctClause as AstNode[], targets, groupEnv, addAggregate);
  } else {
    groupExprs = resolveGroupBy((body.groupClause ?? []) as AstNode[], targets, groupEnv);
  }

  if (aggs.length === 0 && groupExprs.length === 0) {
    throw new PgError(SQLSTATE.feature_not_supported, 'continuous views without aggregates or GROUP BY are not supported yet');
  }
  for (const g of groupExprs) {
    if (!keyCodecFor(g.type, g.typmod)) {
      throw new PgError(SQLSTATE.feature_not_supported, `continuous views cannot group by type ${typeName(g.type)} yet`, {
        position: g.location + 1,
      });
    }
  }
  for (const a of aggs) checkAggregate(a);

  return {
    outputColumns: targets.map<OutputColumn>((t) => ({ name: t.name, typeOid: t.expr.type, typmod: t.expr.typmod })),
    where,
    groupExprs,
    aggs,
    outputExprs: targets.map((t) => regroup(t.expr, groupExprs, scope, alias)),
    aggregateColumns: targets.map((t) => t.aggregateCall === true),
  };
}

/** Whether a target as written is one aggregate call (what combine() accepts), not an expression. */
function isAggregateCall(node: AstNode): boolean {
  const fc = node.FuncCall as AstNode | undefined;
  if (!fc || fc.over) return false;
  const names = nameList(fc.funcname);
  return isAggregateName(names[names.length - 1]);
}

/** PostgreSQL's OIDs of the ordered-set aggregates PipelineDB cannot combine, by argument types. */
const WITHOUT_COMBINE_RECORD: Record<string, (argTypes: number[]) => number> = {
  mode: () => 3984,
  percentile_disc: (t) => (t[0] === OID._float8 ? 3978 : 3972),
};

function checkAggregate(a: AggregateCall): void {
  const pos = { position: a.location + 1 };
  const shown = a.star ? `${a.name}(*)` : `${a.name}(${a.argTypes.map(typeName).join(', ')})`;
  if (a.distinct) {
    throw new PgError(SQLSTATE.feature_not_supported, `${a.name}(DISTINCT ...) is not supported in continuous views yet`, pos);
  }
  if (a.order.length > 0) {
    throw new PgError(SQLSTATE.feature_not_supported, `ordered aggregates (${a.name} with ORDER BY) are not supported in continuous views yet`, pos);
  }
  const internalOid = WITHOUT_COMBINE_RECORD[a.name]?.(a.argTypes);
  if (internalOid !== undefined) {
    // PipelineDB 1.0 refuses these ordered-set aggregates (their state is PostgreSQL's
    // `internal` and has no combine function) with this internal error, naming the OID.
    throw new PgError(SQLSTATE.internal_error, `aggregate ${internalOid} requires a pipeline_combine record but does not have one`);
  }
  if (!stateCodecFor(a)) {
    throw new PgError(SQLSTATE.feature_not_supported, `aggregate ${shown} is not supported in continuous views yet`, pos);
  }
}

/**
 * Rewrites an output expression to read the grouped row [group values...,
 * aggregate results...]: group expressions become columns, aggregate
 * references shift past the group values, other input columns are errors.
 */
function regroup(e: TypedExpr, groupExprs: TypedExpr[], scope: RelationScope, alias: string): TypedExpr {
  const index = new Map<string, number>();
  groupExprs.forEach((g, i) => {
    const fp = fingerprint(g);
    if (!index.has(fp)) index.set(fp, i);
  });
  const G = groupExprs.length;
  const walk = (x: TypedExpr): TypedExpr => {
    const gi = index.get(fingerprint(x));
    if (gi !== undefined) return { kind: 'column', index: gi, name: '', type: x.type, typmod: x.typmod, location: x.location };
    if (x.kind === 'aggref') return { kind: 'column', index: G + x.index, name: '', type: x.type, typmod: x.typmod, location: x.location };
    if (x.kind === 'column') {
      const col = scope.relations[0].columns[x.index]?.name ?? x.name;
      throw new PgError(
        SQLSTATE.grouping_error,
        `column "${alias}.${col}" must appear in the GROUP BY clause or be used in an aggregate function`,
        { position: x.location + 1 },
      );
    }
    return mapChildren(x, walk);
  };
  return walk(e);
}

function aggregateFingerprint(c: AggregateCall): string {
  const order = c.order.map((o) => `${fingerprint(o.expr)}:${o.desc}:${o.nullsFirst}`).join(',');
  const filter = c.filter ? fingerprint(c.filter) : '';
  const within = (c.withinGroup ?? []).map((o) => `${o.desc}:${o.nullsFirst}`).join(',');
  return `${c.name}|${c.star}|${c.distinct}|${c.args.map(fingerprint).join(',')}|${order}|${within}|${filter}`;
}

function callsFunction(e: TypedExpr, name: string): boolean {
  if (e.kind === 'call' && e.name === name) return true;
  for (const c of childrenOf(e)) if (callsFunction(c, name)) return true;
  return false;
}
