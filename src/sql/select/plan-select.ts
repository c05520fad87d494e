// Plans and runs SELECT statements over rows that are computed, not stored:
// target lists, FROM of functions / VALUES / sub-selects (and relations from
// a RelationProvider), WHERE, GROUP BY / HAVING with aggregates, DISTINCT
// [ON], ORDER BY, LIMIT / OFFSET and UNION / INTERSECT / EXCEPT.
// Every row loop checks ctx.checkInterrupts every few thousand rows. Rows are
// reported to ctx.countRows where new ones are made (function values, FROM
// products and joins, relation scans, VALUES, groups, aggregate buffers), not
// again where existing rows are projected, filtered, sorted or passed up.
import { PgError, SQLSTATE } from '../../errors.js';
import { OID } from '../../types/oids.js';
import type { TypeIoContext } from '../../types/io-context.js';
import type { EvalContext } from '../functions/catalog.js';
import type { AggregateCall, ExprEnv, ParamTypes } from '../expr/scope.js';
import { EMPTY_SCOPE, newExprEnv } from '../expr/scope.js';
import { nameList, nodeKind, type AstNode } from '../expr/ast.js';
import { analyzeExpr } from '../expr/analyze.js';
import { coerceTo, coerceToBoolean, resolveUnknownAsText, typeName } from '../expr/coerce.js';
import { compile, compilePredicate } from '../expr/compile.js';
import { figureColname } from '../expr/colname.js';
import { fingerprint, mapChildren, type EvalFn, type TypedExpr } from '../expr/typed-expr.js';
import { collectColumns, lazyCall, planFrom } from './from-clause.js';
import type { OutputColumn, RelationProvider, SelectPlan } from './relation.js';
import { INTERRUPT_MASK, RowMeter } from '../functions/row-meter.js';
import { rowComparator, sortOptions, sortRows, type RowComparator, type SortKey } from './sort.js';
import { rowKeyFn } from './row-key.js';
import { planSetOperation } from './set-operation.js';
import { planValues } from './values.js';
import { runAggregation, type CompiledAggregate } from './aggregation.js';
import { planPointLookup } from './point-lookup.js';
import { TOP_N_MAX_BOUND, TopN } from './top-n.js';
import { planLateTopN } from './late-top-n.js';
import { planFilterFirst } from './filter-first.js';
import '../aggregates/index.js';
import '../expr/operators/index.js';

/** What planning needs from the session. */
export interface PlanContext {
  /** Parameter types; unspecified ones (0) are inferred and written back here. */
  params: ParamTypes;
  /** Session I/O settings, used to read literals while planning. */
  io: TypeIoContext;
  /** Resolves table/view/stream names in FROM; null or absent: every name is unknown. */
  relations?: RelationProvider | null;
}

/**
 * Plans a SelectStmt AST node ({SelectStmt: {...}} or its body). Column names
 * and types are known right away (RowDescription); run(ctx) computes the rows.
 * Throws 42P18 when a parameter's type could not be determined.
 */
export function planSelect(stmt: unknown, pctx: PlanContext): SelectPlan {
  const plan = planQuery(unwrapSelect(stmt), pctx, true);
  const types = pctx.params.types;
  for (let i = 0; i < types.length; i++) {
    if (types[i] === 0 || types[i] === OID.unknown) {
      throw new PgError(SQLSTATE.indeterminate_datatype, `could not determine data type of parameter $${i + 1}`);
    }
  }
  return plan;
}

export function unwrapSelect(stmt: unknown): AstNode {
  const s = stmt as AstNode;
  return s.SelectStmt ?? s;
}

/** Plans one query level; `resolveUnknowns` false keeps unknown-typed outputs for set-operation leaves. */
export function planQuery(body: AstNode, pctx: PlanContext, resolveUnknowns: boolean): SelectPlan {
  if (body.withClause) throw new PgError(SQLSTATE.feature_not_supported, 'WITH queries are not supported');
  if (body.intoClause) throw new PgError(SQLSTATE.feature_not_supported, 'SELECT INTO is not supported');
  if (body.lockingClause) throw new PgError(SQLSTATE.feature_not_supported, 'FOR UPDATE/SHARE is not supported');
  if (body.windowClause) throw new PgError(SQLSTATE.feature_not_supported, 'window functions are not supported');
  if (body.op && body.op !== 'SETOP_NONE') return planSetOperation(body, pctx, (b) => planQuery(b, pctx, false));
  if (body.valuesLists) return planValues(body, pctx, baseEnv(pctx), resolveUnknowns);
  return planSimple(body, pctx, resolveUnknowns);
}

/** An expression environment without columns, with sub-selects enabled. */
export function baseEnv(pctx: PlanContext): ExprEnv {
  const env = newExprEnv(EMPTY_SCOPE, pctx.params, pctx.io);
  env.planSubquery = (stmt) => {
    const plan = planQuery(unwrapSelect(stmt), pctx, true);
    return { columns: plan.columns.map((c) => ({ name: c.name, type: c.typeOid, typmod: c.typmod })), run: plan.run };
  };
  return env;
}

interface Target {
  name: string;
  expr: TypedExpr;
}

function isStar(node: AstNode): string[] | null {
  const cr = node.ColumnRef;
  if (!cr) return null;
  const fields = cr.fields as AstNode[];
  return fields[fields.length - 1].A_Star !== undefined ? nameList(fields.slice(0, -1)) : null;
}

function intConst(node: AstNode): number | null {
  const c = node.A_Const;
  if (c && c.ival !== undefined) return c.ival.ival ?? 0;
  return null;
}

function singleName(node: AstNode): string | null {
  const cr = node.ColumnRef;
  if (!cr || cr.fields.length !== 1 || !cr.fields[0].String) return null;
  return cr.fields[0].String.sval;
}

function planSimple(body: AstNode, pctx: PlanContext, resolveUnknowns: boolean): SelectPlan {
  const base = baseEnv(pctx);
  const from = planFrom(body.fromClause ?? [], {
    env: base,
    relations: pctx.relations ?? null,
    planSubselect: (s) => planQuery(unwrapSelect(s), pctx, true),
  });
  const scope = from.scope;
  const inputWidth = scope.width;
  const aggCalls: AggregateCall[] = [];
  const srfCalls: TypedExpr[] = [];
  const aggSink = { add: (c: AggregateCall) => aggCalls.push(c) - 1 };
  const env: ExprEnv = {
    ...base,
    scope,
    aggregates: aggSink,
    srfs: { add: (c: TypedExpr) => inputWidth + srfCalls.push(c) - 1 },
    clause: 'select',
  };

  // Target list
  const targets: Target[] = [];
  for (const item of (body.targetList ?? []) as AstNode[]) {
    const rt = item.ResTarget;
    const star = isStar(rt.val);
    if (star) {
      const qualifier = star.length ? star[star.length - 1] : null;
      const loc = rt.val.ColumnRef.location ?? -1;
      if (qualifier === null && scope.relations.length === 0) {
        throw new PgError(SQLSTATE.syntax_error, 'SELECT * with no tables specified is not valid', { position: loc + 1 });
      }
      const cols = scope.expandStar(qualifier);
      if (cols === null) {
        throw new PgError(SQLSTATE.undefined_table, `missing FROM-clause entry for table "${qualifier}"`, { position: loc + 1 });
      }
      for (const c of cols) {
        targets.push({ name: c.name, expr: { kind: 'column', index: c.index, name: c.name, type: c.type, typmod: c.typmod, location: loc } });
      }
      continue;
    }
    let e = analyzeExpr(rt.val, env);
    if (resolveUnknowns) e = resolveUnknownAsText(e, env);
    targets.push({ name: rt.name ?? figureColname(rt.val), expr: e });
  }

  // WHERE
  const whereEnv: ExprEnv = { ...env, aggregates: null, srfs: null, clause: 'where' };
  const where = body.whereClause ? coerceToBoolean(analyzeExpr(body.whereClause, whereEnv), 'WHERE', whereEnv) : null;

  // GROUP BY: positions and output names are allowed; input columns win over output names.
  const groupEnv: ExprEnv = { ...env, aggregates: null, srfs: null, clause: 'group by' };
  const groupExprs: TypedExpr[] = [];
  for (const g of (body.groupClause ?? []) as AstNode[]) {
    const [gk] = nodeKind(g);
    if (gk === 'GroupingSet') throw new PgError(SQLSTATE.feature_not_supported, 'grouping sets are not supported');
    const pos = intConst(g);
    if (pos !== null) {
      if (pos < 1 || pos > targets.length) {
        throw new PgError(SQLSTATE.invalid_column_reference, `GROUP BY position ${pos} is not in select list`, {
          position: (g.A_Const.location ?? 0) + 1,
        });
      }
      groupExprs.push(targets[pos - 1].expr);
      continue;
    }
    const name = singleName(g);
    if (name !== null && !scope.resolveColumn([name], -1)) {
      const t = targets.find((x) => x.name === name);
      if (t) {
        groupExprs.push(t.expr);
        continue;
      }
    }
    groupExprs.push(resolveUnknownAsText(analyzeExpr(g, groupEnv), groupEnv));
  }

  // HAVING
  const havingEnv: ExprEnv = { ...env, srfs: null, clause: 'having' };
  let having = body.havingClause ? coerceToBoolean(analyzeExpr(body.havingClause, havingEnv), 'HAVING', havingEnv) : null;

  // ORDER BY and DISTINCT ON: output columns by position or name, else expressions (extra "junk" columns).
  const junk: TypedExpr[] = [];
  const isDistinct = Array.isArray(body.distinctClause);
  const distinctOn = isDistinct && body.distinctClause.length > 0 && Object.keys(body.distinctClause[0]).length > 0;
  const orderEnv: ExprEnv = { ...env, srfs: null, clause: 'order by' };
  const resolveSortTarget = (node: AstNode, what: string): number => {
    const pos = intConst(node);
    if (pos !== null) {
      if (pos < 1 || pos > targets.length) {
        throw new PgError(SQLSTATE.invalid_column_reference, `${what} position ${pos} is not in select list`, {
          position: (node.A_Const.location ?? 0) + 1,
        });
      }
      return pos - 1;
    }
    const name = singleName(node);
    if (name !== null) {
      const matches = targets.map((t, i) => (t.name === name ? i : -1)).filter((i) => i >= 0);
      if (matches.length > 0) {
        const fp = fingerprint(targets[matches[0]].expr);
        if (matches.some((i) => fingerprint(targets[i].expr) !== fp)) {
          throw new PgError(SQLSTATE.ambiguous_column, `${what} "${name}" is ambiguous`, { position: (node.ColumnRef.location ?? 0) + 1 });
        }
        return matches[0];
      }
    }
    const e = resolveUnknownAsText(analyzeExpr(node, orderEnv), orderEnv);
    const fp = fingerprint(e);
    const i = targets.findIndex((t) => fingerprint(t.expr) === fp);
    if (i >= 0) return i;
    const j = junk.findIndex((x) => fingerprint(x) === fp);
    if (j >= 0) return targets.length + j;
    if (isDistinct && !distinctOn) {
      throw new PgError(SQLSTATE.invalid_column_reference, 'for SELECT DISTINCT, ORDER BY expressions must appear in select list', {
        position: e.location + 1,
      });
    }
    junk.push(e);
    return targets.length + junk.length - 1;
  };
  const sortKeys: SortKey[] = [];
  for (const s of (body.sortClause ?? []) as AstNode[]) {
    const sb = s.SortBy;
    if (sb.useOp) throw new PgError(SQLSTATE.feature_not_supported, 'ORDER BY ... USING is not supported');
    const index = resolveSortTarget(sb.node, 'ORDER BY');
    const { desc, nullsFirst } = sortOptions(sb);
    sortKeys.push({ index, type: 0, desc, nullsFirst, location: -1 });
  }
  const distinctIndexes: number[] = distinctOn
    ? (body.distinctClause as AstNode[]).map((d) => resolveSortTarget(d, 'SELECT DISTINCT ON'))
    : [];

  // Aggregation: rewrite everything above the grouping step to read the grouped row.
  // Column pruning: named relations fill only the columns some clause reads
  // (a continuous view then finalizes only those aggregates).
  const usedColumns = usedInputColumns(targets.map((t) => t.expr), where, groupExprs, having, junk, aggCalls, srfCalls);
  from.useColumns(usedColumns);

  // Set-returning calls in the target list then run over the grouped rows, as
  // PostgreSQL's ProjectSet above Agg: their values follow the grouped row.
  const hasAgg = aggCalls.length > 0 || groupExprs.length > 0 || having !== null;
  let aggregation: CompiledAggregate | null = null;
  if (hasAgg) {
    const groupIndex = new Map<string, number>();
    groupExprs.forEach((g, i) => {
      const fp = fingerprint(g);
      if (!groupIndex.has(fp)) groupIndex.set(fp, i);
    });
    const G = groupExprs.length;
    const groupedWidth = G + aggCalls.length;
    const regroup = (e: TypedExpr): TypedExpr => {
      const gi = groupIndex.get(fingerprint(e));
      if (gi !== undefined) return { kind: 'column', index: gi, name: '', type: e.type, typmod: e.typmod, location: e.location };
      if (e.kind === 'aggref') return { kind: 'column', index: G + e.index, name: '', type: e.type, typmod: e.typmod, location: e.location };
      if (e.kind === 'column' && e.index >= inputWidth) return { ...e, index: groupedWidth + (e.index - inputWidth) };
      if (e.kind === 'column') {
        throw new PgError(
          SQLSTATE.grouping_error,
          `column "${qualifiedName(scope, e.index, e.name)}" must appear in the GROUP BY clause or be used in an aggregate function`,
          { position: e.location + 1 },
        );
      }
      return mapChildren(e, regroup);
    };
    for (const t of targets) t.expr = regroup(t.expr);
    for (let i = 0; i < junk.length; i++) junk[i] = regroup(junk[i]);
    for (let i = 0; i < srfCalls.length; i++) srfCalls[i] = regroup(srfCalls[i]);
    if (having) having = regroup(having);
    aggregation = {
      groupFns: groupExprs.map(compile),
      groupTypes: groupExprs.map((g) => g.type),
      aggs: aggCalls.map((a) => ({
        call: a,
        argFns: a.args.map(compile),
        filter: a.filter ? compilePredicate(a.filter) : null,
        orderFns: a.order.map((o) => compile(o.expr)),
      })),
    };
  }

  for (const k of sortKeys) k.type = k.index < targets.length ? targets[k.index].expr.type : junk[k.index - targets.length].type;
  const columns: OutputColumn[] = targets.map((t) => ({ name: t.name, typeOid: t.expr.type, typmod: t.expr.typmod }));
  const whereFn = where ? compilePredicate(where) : null;
  // WHERE fixing a keyed relation's whole key reads one row instead of scanning.
  // It finalizes only the columns the query reads, as the scan would (a view column that fails and is not read does not fail).
  const pointLookup = from.relation
    ? planPointLookup(where, from.relation, usedColumns ? from.relation.columns.map((_, c) => usedColumns.has(c)) : undefined)
    : null;
  const havingFn = having ? compilePredicate(having) : null;
  const projectFns: EvalFn[] = [...targets.map((t) => compile(t.expr)), ...junk.map(compile)];
  const srfFns = srfCalls.map(compile);
  const sorter = sortKeys.length ? rowComparator(sortKeys) : null;
  const outTypes = [...targets.map((t) => t.expr.type), ...junk.map((j) => j.type)];
  const distinctKey = isDistinct
    ? distinctOn
      ? rowKeyFn(distinctIndexes.map((i) => outTypes[i]), distinctIndexes)
      : rowKeyFn(targets.map((t) => t.expr.type))
    : null;
  const limitRange = planLimitRange(body, pctx);
  const nTargets = targets.length;
  const nProject = projectFns.length;
  // ORDER BY ... LIMIT over a continuous view: rows chosen by the sort keys' columns alone, the kept ones read whole.
  // WHERE over a view column that can fail (an expression over aggregates): filtered first, then read whole.
  const filterFirst = planFilterFirst(from.relation, where, usedColumns);
  const lateTopN =
    !filterFirst && !aggregation && srfCalls.length === 0 && !isDistinct && sorter
      ? planLateTopN(from.relation, [...targets.map((t) => t.expr), ...junk], projectFns, sortKeys.map((k) => k.index), sorter, where)
      : null;

  // Rows one at a time (SelectPlan.rowsLazily): no grouping, ordering or DISTINCT,
  // and either a FROM that streams without holding storage open (a stored
  // relation's scan would keep a snapshot while the consumer waits) or one
  // set-returning function in the target list that gives its values one at a time.
  const lazySrf = srfCalls.length === 1 ? lazyCall(srfCalls[0]) : null;
  const lazilyPossible = !aggregation && !sorter && !distinctKey && (srfFns.length === 0 || lazySrf !== null) && !pointLookup;
  const expandSrf = lazySrf ? lazySrfExpansion(lazySrf) : null;

  /**
   * rowsLazily() and rowsAsRead(); `stored`: FROM may be a stored
   * relation, whose scan holds its snapshot until the rows are all read.
   */
  function rowsOneByOne(ctx: EvalContext, stored: boolean): Iterable<unknown[]> | null {
    if (!lazilyPossible) return null;
    // WHERE over a view column that can fail filters first, as run() does.
    if (stored && filterFirst && whereFn) return null;
    if (stored && from.relation) return relationRowsAsRead(ctx);
    const range = limitRange ? limitRange(ctx) : null;
    if (range && range.count === 0) return [];
    const streamed = from.relation && !stored ? null : from.stream(ctx);
    if (!streamed && !expandSrf) return null;
    // Under a target-list function, FROM's rows (few, as a rule) are made first, as run() makes them.
    return projectedAsRead(streamed ?? from.rows(ctx), range, ctx);
  }

  return {
    columns,
    rowsLazily: (ctx) => rowsOneByOne(ctx, false),
    rowsAsRead: (ctx) => rowsOneByOne(ctx, true),
    run(ctx: EvalContext): unknown[][] {
      // LIMIT and OFFSET are evaluated before any row is read, and LIMIT 0 reads
      // none, as PostgreSQL's Limit node does.
      const range = limitRange ? limitRange(ctx) : null;
      if (range && range.count === 0) return [];
      const bound = range && range.count !== null ? range.offset + range.count : null;
      const plain = !distinctKey && srfFns.length === 0;
      // ORDER BY ... LIMIT: a bounded heap. LIMIT without ORDER BY: the first rows, then stop.
      const useTopN = plain && sorter !== null && bound !== null && bound <= TOP_N_MAX_BOUND && !range!.withTies;
      const firstRows = plain && sorter === null && bound !== null ? bound : null;
      let rows: unknown[][];
      if (aggregation) {
        // Aggregation keeps only its groups: it reads a scanned relation row by row.
        let input: Iterable<unknown[]>;
        const filtered = filterFirstRows(ctx);
        if (filtered) input = filtered;
        else {
          input = (pointLookup ? null : from.stream(ctx)) ?? (pointLookup ? pointLookup(ctx) : from.rows(ctx));
          if (whereFn) input = filterStream(input, whereFn, ctx);
        }
        rows = runAggregation(aggregation, input, ctx);
        if (havingFn) rows = filterRows(rows, havingFn, ctx);
      } else {
        if (useTopN && lateTopN && !pointLookup) return finish(lateTopN.run(ctx, bound!, whereFn), range);
        // A filtered scan keeps only the rows that pass; a top-N its best rows; a
        // LIMIT without ORDER BY stops reading once it has its rows.
        const filtered = filterFirstRows(ctx);
        const stream = !filtered && (whereFn || useTopN || firstRows !== null) && !pointLookup ? from.stream(ctx) : null;
        const passing = filtered ?? (stream && whereFn ? filterStream(stream, whereFn, ctx) : stream);
        if (passing && useTopN) return finish(projectTop(passing, bound!, ctx, true), range);
        if (passing && firstRows !== null) return finish(projectFirst(passing, firstRows, ctx, true), range);
        if (passing) rows = collectRows(passing, ctx);
        else {
          rows = pointLookup ? pointLookup(ctx) : from.rows(ctx);
          if (whereFn) {
            if (firstRows !== null) return finish(projectFirst(filterStream(rows, whereFn, ctx), firstRows, ctx, false), range);
            rows = filterRows(rows, whereFn, ctx);
          }
        }
      }
      // The projection is not counted: its rows stand for rows counted where they
      // were made (the FROM items, the groups, each set-returning call's values).
      if (useTopN) return finish(projectTop(rows, bound!, ctx, false), range);
      if (firstRows !== null) return finish(projectFirst(rows, firstRows, ctx, false), range);
      let out: unknown[][];
      if (srfFns.length) {
        out = [];
        let produced = 0;
        for (let k = 0; k < rows.length; k++) {
          if ((k & INTERRUPT_MASK) === INTERRUPT_MASK) ctx.checkInterrupts();
          const r = rows[k];
          const sets = srfFns.map((f) => (f(r, ctx) ?? []) as unknown[]);
          let n = 0;
          for (const s of sets) n = Math.max(n, s.length);
          for (let i = 0; i < n; i++) {
            if ((++produced & INTERRUPT_MASK) === 0) ctx.checkInterrupts();
            out.push(project(r.concat(sets.map((s) => (i < s.length ? s[i] : null))), ctx));
          }
        }
      } else {
        out = new Array(rows.length);
        for (let i = 0; i < rows.length; i++) {
          if ((i & INTERRUPT_MASK) === INTERRUPT_MASK) ctx.checkInterrupts();
          out[i] = project(rows[i], ctx);
        }
      }
      if (sorter) sortRows(out, sorter, ctx);
      if (distinctKey) out = dedupe(out, distinctKey, ctx);
      return finish(out, range);
    },
  };

  /** The rows that pass WHERE when it filters first, from the scan or from the point lookup's row; null when it does not. */
  function filterFirstRows(ctx: EvalContext): Iterable<unknown[]> | null {
    if (!filterFirst || !whereFn) return null;
    if (!pointLookup) return filterFirst.rows(ctx);
    const partial = pointLookup.partial;
    return partial ? filterFirst.rows(ctx, (needed) => partial(ctx, needed)) : null;
  }

  /**
   * rowsAsRead over a stored relation: LIMIT and OFFSET are evaluated at
   * the first read, as PostgreSQL's Limit node does on its first fetch (a
   * client then gets RowDescription before their error), and the scan
   * starts after them (LIMIT 0 reads nothing).
   */
  function* relationRowsAsRead(ctx: EvalContext): Iterable<unknown[]> {
    const range = limitRange ? limitRange(ctx) : null;
    if (range && range.count === 0) return;
    yield* projectedAsRead(from.stream(ctx) ?? from.rows(ctx), range, ctx);
  }

  /** FROM's rows filtered by WHERE, with any target-list function's values added, cut by OFFSET / LIMIT and projected as they are read. */
  function projectedAsRead(input: Iterable<unknown[]>, range: LimitRange | null, ctx: EvalContext): Iterable<unknown[]> {
    if (whereFn) input = filterStream(input, whereFn, ctx);
    if (expandSrf) input = expandSrf(input, ctx);
    return lazyRows(input, range, ctx);
  }

  /** Rows (filtered, with any set-returning function's values added) cut by OFFSET / LIMIT and projected as they are read. */
  function* lazyRows(input: Iterable<unknown[]>, range: LimitRange | null, ctx: EvalContext): Iterable<unknown[]> {
    let skip = range ? range.offset : 0;
    let left = range && range.count !== null ? range.count : Infinity;
    let read = 0;
    for (const r of input) {
      if ((++read & INTERRUPT_MASK) === 0) ctx.checkInterrupts();
      // OFFSET's rows are computed too, as PostgreSQL's Limit node pulls them
      // (an error or a volatile call in them shows).
      const out = project(r, ctx);
      if (skip > 0) {
        skip--;
        continue;
      }
      if (nProject > nTargets) out.length = nTargets;
      yield out;
      if (--left <= 0) return;
    }
  }

  function project(r: unknown[], ctx: EvalContext): unknown[] {
    const out = new Array(nProject);
    for (let i = 0; i < nProject; i++) out[i] = projectFns[i](r, ctx);
    return out;
  }

  /**
   * The best `n` rows in ORDER BY order, projected (ORDER BY ... LIMIT);
   * `countKept`: the rows are a relation's stream, not counted where made.
   */
  function projectTop(rows: Iterable<unknown[]>, n: number, ctx: EvalContext, countKept: boolean): unknown[][] {
    const topN = new TopN(sorter!, n, ctx, countKept);
    for (const r of rows) topN.offer(project(r, ctx));
    return topN.sorted();
  }

  /** The first `n` (> 0) rows projected, reading no further (a LIMIT without ORDER BY); `countKept` as for projectTop. */
  function projectFirst(rows: Iterable<unknown[]>, n: number, ctx: EvalContext, countKept: boolean): unknown[][] {
    const out: unknown[][] = [];
    const meter = countKept ? new RowMeter(ctx) : null;
    for (const r of rows) {
      if ((out.length & INTERRUPT_MASK) === INTERRUPT_MASK) ctx.checkInterrupts();
      meter?.add();
      out.push(project(r, ctx));
      if (out.length >= n) break;
    }
    meter?.flush();
    return out;
  }

  /** Applies OFFSET / LIMIT to the final rows and drops the sort-only columns. */
  function finish(out: unknown[][], range: LimitRange | null): unknown[][] {
    if (range) out = limitRows(out, range, sorter);
    if (nProject > nTargets) for (let i = 0; i < out.length; i++) out[i].length = nTargets;
    return out;
  }
}

/**
 * A target-list set-returning call with a one-at-a-time form (lazyCall):
 * each input row followed by each of the call's values for it, as run() lays
 * rows out for projection (the value after the input row's columns).
 */
function lazySrfExpansion(values: (row: unknown[], ctx: EvalContext) => Iterable<unknown>): (rows: Iterable<unknown[]>, ctx: EvalContext) => Iterable<unknown[]> {
  return function* (rows, ctx) {
    let read = 0;
    for (const r of rows) {
      // Checked per input row: rows whose call gives no value reach no later check.
      if ((++read & INTERRUPT_MASK) === 0) ctx.checkInterrupts();
      for (const v of values(r, ctx)) yield [...r, v];
    }
  };
}

/** Every input column the query's expressions read, or null when that cannot be listed (sub-selects). */
function usedInputColumns(
  targets: readonly TypedExpr[],
  where: TypedExpr | null,
  groupExprs: readonly TypedExpr[],
  having: TypedExpr | null,
  junk: readonly TypedExpr[],
  aggCalls: readonly AggregateCall[],
  srfCalls: readonly TypedExpr[],
): Set<number> | null {
  const used = new Set<number>();
  const exprs: TypedExpr[] = [...targets, ...groupExprs, ...junk, ...srfCalls];
  if (where) exprs.push(where);
  if (having) exprs.push(having);
  for (const a of aggCalls) {
    exprs.push(...a.args, ...a.order.map((o) => o.expr));
    if (a.filter) exprs.push(a.filter);
  }
  for (const e of exprs) if (!collectColumns(e, used)) return null;
  return used;
}

function qualifiedName(scope: import('../expr/scope.js').RelationScope, index: number, name: string): string {
  for (const r of scope.relations) {
    if (index >= r.offset && index < r.offset + r.columns.length) {
      const col = r.columns[index - r.offset].name;
      return r.alias ? `${r.alias}.${col}` : col;
    }
  }
  return name;
}

/** The rows of a stream that satisfy `pred` (WHERE over a scan), one at a time. */
function* filterStream(rows: Iterable<unknown[]>, pred: (r: unknown[], ctx: EvalContext) => boolean, ctx: EvalContext): Iterable<unknown[]> {
  let i = 0;
  for (const r of rows) {
    if ((++i & INTERRUPT_MASK) === 0) ctx.checkInterrupts();
    if (pred(r, ctx)) yield r;
  }
}

/** The rows of a stream, counted against the statement's rows as they are kept. */
function collectRows(rows: Iterable<unknown[]>, ctx: EvalContext): unknown[][] {
  const out: unknown[][] = [];
  const meter = new RowMeter(ctx);
  for (const r of rows) {
    meter.add();
    out.push(r);
  }
  meter.flush();
  return out;
}

/** The rows that satisfy `pred` (WHERE, HAVING). */
function filterRows(rows: unknown[][], pred: (r: unknown[], ctx: EvalContext) => boolean, ctx: EvalContext): unknown[][] {
  const out: unknown[][] = [];
  for (let i = 0; i < rows.length; i++) {
    if ((i & INTERRUPT_MASK) === INTERRUPT_MASK) ctx.checkInterrupts();
    if (pred(rows[i], ctx)) out.push(rows[i]);
  }
  return out;
}

/** Keeps the first row of each key. */
export function dedupe(rows: unknown[][], key: (r: unknown[]) => string, ctx: EvalContext): unknown[][] {
  const seen = new Set<string>();
  const out: unknown[][] = [];
  for (let i = 0; i < rows.length; i++) {
    if ((i & INTERRUPT_MASK) === INTERRUPT_MASK) ctx.checkInterrupts();
    const r = rows[i];
    const k = key(r);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(r);
  }
  return out;
}

/**
 * LIMIT / OFFSET / FETCH FIRST (constants or parameters, as bigint; NULL
 * means none) of VALUES and set operations: evaluated when the run starts,
 * before any row is made (as PostgreSQL's Limit node does). `needed`: how
 * many rows of an unordered input the result can use (null: all). `cut`
 * takes the ordered rows; `order` breaks WITH TIES.
 */
export function planLimit(
  body: AstNode,
  pctx: PlanContext,
  order: RowComparator | null,
): (ctx: EvalContext) => { needed: number | null; cut: (rows: unknown[][]) => unknown[][] } {
  const range = planLimitRange(body, pctx);
  if (!range) return () => ({ needed: null, cut: (rows) => rows });
  return (ctx) => {
    const r = range(ctx);
    return { needed: r.count === null ? null : r.count === 0 ? 0 : r.offset + r.count, cut: (rows) => limitRows(rows, r, order) };
  };
}

/**
 * The rows OFFSET / LIMIT keep of `rows` (sorted by `order` when given).
 * WITH TIES also keeps the rows after the last one that `order` ranks equal to it.
 */
function limitRows(rows: unknown[][], { offset, count, withTies }: LimitRange, order: RowComparator | null): unknown[][] {
  const start = Math.min(offset, rows.length);
  let end = count === null ? rows.length : Math.min(rows.length, start + count);
  if (withTies && order && end > start) {
    while (end < rows.length && order(rows[end - 1], rows[end]) === 0) end++;
  }
  return start === 0 && end === rows.length ? rows : rows.slice(start, end);
}

/** The rows LIMIT / OFFSET keep. Counts beyond 2^53 are capped there: no result is that long. */
export interface LimitRange {
  offset: number;
  /** null: no LIMIT (or LIMIT NULL / ALL). */
  count: number | null;
  /** FETCH FIRST ... WITH TIES. */
  withTies: boolean;
}

/** Evaluates LIMIT / OFFSET for one run (checking their signs), or null when the query has neither. */
export function planLimitRange(body: AstNode, pctx: PlanContext): ((ctx: EvalContext) => LimitRange) | null {
  const one = (node: unknown, clause: 'limit' | 'offset'): EvalFn | null => {
    if (!node) return null;
    const env: ExprEnv = { ...baseEnv(pctx), clause };
    const e = analyzeExpr(node, env);
    const c = coerceTo(e, OID.int8, -1, 'assignment', env);
    if (!c) {
      throw new PgError(SQLSTATE.datatype_mismatch, `argument of ${clause.toUpperCase()} must be type bigint, not type ${typeName(e.type)}`, {
        position: e.location + 1,
      });
    }
    return compile(c);
  };
  const withTies = body.limitOption === 'LIMIT_OPTION_WITH_TIES';
  // A literal NULL count is refused while planning, as PostgreSQL's parse analysis
  // does; one that evaluates to NULL (a parameter, a cast) means no limit.
  const literal = (body.limitCount as AstNode | undefined)?.A_Const;
  if (withTies && literal?.isnull) {
    throw new PgError('2201W', 'row count cannot be null in FETCH FIRST ... WITH TIES clause');
  }
  const limitFn = one(body.limitCount, 'limit');
  const offsetFn = one(body.limitOffset, 'offset');
  if (!limitFn && !offsetFn) return null;
  const noRow: unknown[] = [];
  const capped = (v: bigint): number => (v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v));
  return (ctx) => {
    let offset = 0;
    let count: number | null = null;
    if (offsetFn) {
      const v = offsetFn(noRow, ctx) as bigint | null;
      if (v !== null) {
        if (v < 0n) throw new PgError('2201X', 'OFFSET must not be negative');
        offset = capped(v);
      }
    }
    if (limitFn) {
      const v = limitFn(noRow, ctx) as bigint | null;
      if (v !== null) {
        if (v < 0n) throw new PgError('2201W', 'LIMIT must not be negative');
        count = capped(v);
      }
    }
    return { offset, count, withTies };
  };
}

/**
 * ORDER BY over output columns only (positions or names), for VALUES and set
 * operations, where PostgreSQL allows nothing else.
 */
export function planOutputOrder(
  body: AstNode,
  columns: OutputColumn[],
  what: 'VALUES' | 'SETOP',
): RowComparator | null {
  const keys: SortKey[] = [];
  for (const s of (body.sortClause ?? []) as AstNode[]) {
    const sb = s.SortBy;
    const pos = intConst(sb.node);
    const name = singleName(sb.node);
    let index = -1;
    if (pos !== null) {
      if (pos < 1 || pos > columns.length) {
        throw new PgError(SQLSTATE.invalid_column_reference, `ORDER BY position ${pos} is not in select list`, {
          position: (sb.node.A_Const.location ?? 0) + 1,
        });
      }
      index = pos - 1;
    } else if (name !== null) {
      index = columns.findIndex((c) => c.name === name);
      if (index < 0) {
        throw new PgError(SQLSTATE.undefined_column, `column "${name}" does not exist`, { position: (sb.node.ColumnRef.location ?? 0) + 1 });
      }
    } else if (what === 'SETOP') {
      throw new PgError(SQLSTATE.feature_not_supported, 'invalid UNION/INTERSECT/EXCEPT ORDER BY clause', {
        detail: 'Only result column names can be used, not expressions or functions.',
        hint: 'Add the expression/function to every SELECT, or move the UNION into a FROM clause.',
      });
    } else {
      throw new PgError(SQLSTATE.feature_not_supported, 'ORDER BY expressions on VALUES are not supported');
    }
    const { desc, nullsFirst } = sortOptions(sb);
    keys.push({ index, type: columns[index].typeOid, desc, nullsFirst, location: -1 });
  }
  return keys.length ? rowComparator(keys) : null;
}

