// INSERT INTO stream: from a parsed InsertStmt to the rows to ingest, planned
// once (Parse, or the first run of a simple query) and executed many times
// (Bind/Execute). Rows come out in the stream's column order, followed by
// arrival_timestamp (null: stamp on arrival), with values of the columns'
// types. As in PostgreSQL, VALUES expressions are coerced to their target
// columns at planning (unknown literals are read directly as the column
// type), INSERT ... SELECT results by assignment casts.
import { PgError, SQLSTATE } from '../errors.js';
import { OID } from '../types/oids.js';
import type { TypeIoContext } from '../types/io-context.js';
import type { EvalContext } from '../sql/functions/catalog.js';
import { leftmostLocation, locationOf, type AstNode } from '../sql/expr/ast.js';
import { analyzeExpr, finishParams } from '../sql/expr/analyze.js';
import { coerceTo } from '../sql/expr/coerce.js';
import { compile } from '../sql/expr/compile.js';
import { ParamTypes, type ExprEnv } from '../sql/expr/scope.js';
import type { EvalFn, TypedExpr } from '../sql/expr/typed-expr.js';
import { baseEnv, planQuery, unwrapSelect, type PlanContext } from '../sql/select/plan-select.js';
import { valuesListsLengthError } from '../sql/select/values.js';
import type { RelationProvider } from '../sql/select/relation.js';
import { assignmentMismatch, compileValueCoercion, type IngestColumn, type ValueCoercer } from './stream-coercion.js';

/** The implicit last column of every stream. */
export const ARRIVAL_TIMESTAMP = 'arrival_timestamp';

/** A stream as INSERT sees it: its declared columns (arrival_timestamp follows implicitly). */
export interface StreamTarget {
  name: string;
  columns: readonly IngestColumn[];
}

export interface StreamInsertPlan {
  /** Types of $1..$n, inferred where the client left them unspecified. */
  readonly paramTypes: number[];
  /** Values per produced row: the declared columns plus arrival_timestamp. */
  readonly width: number;
  /** The rows to ingest ('INSERT 0 n' reports their number). Fresh arrays on every call. */
  execute(params: unknown[], ctx: EvalContext): unknown[][];
  /**
   * The same rows one at a time, made as they are read, when the SELECT can
   * give them so (SelectPlan.rowsLazily); null (or absent) otherwise.
   */
  executeLazily?(params: unknown[], ctx: EvalContext): Iterable<unknown[]> | null;
}

/** A FROM clause can read these (INSERT ... SELECT ... FROM t). */
export interface InsertPlanOptions {
  relations?: RelationProvider | null;
}

function featureError(message: string, location?: number): PgError {
  return new PgError(SQLSTATE.feature_not_supported, message, location !== undefined && location >= 0 ? { position: location + 1 } : {});
}

/** The columns INSERT may name: the declared ones, then arrival_timestamp. */
export function insertableColumns(stream: StreamTarget): IngestColumn[] {
  return [...stream.columns, { name: ARRIVAL_TIMESTAMP, typeOid: OID.timestamptz, typmod: -1 }];
}

/** A column named in INSERT's column list, with its 0-based location in the query (-1: unknown). */
export interface NamedTarget {
  name: string;
  location: number;
}

/**
 * Target column positions (into the declared columns + arrival_timestamp) in
 * the order values are given: the named columns, or all of them.
 */
export function resolveTargetColumns(named: readonly NamedTarget[] | null, stream: StreamTarget): { targets: number[]; explicit: boolean; locations: number[] } {
  const all = insertableColumns(stream);
  if (!named || named.length === 0) return { targets: all.map((_, i) => i), explicit: false, locations: [] };
  const targets: number[] = [];
  const locations: number[] = [];
  for (const { name, location } of named) {
    const pos = location >= 0 ? { position: location + 1 } : {};
    const idx = all.findIndex((col) => col.name === name);
    if (idx < 0) {
      throw new PgError(SQLSTATE.undefined_column, `column "${name}" of relation "${stream.name}" does not exist`, pos);
    }
    if (targets.includes(idx)) throw new PgError(SQLSTATE.duplicate_column, `column "${name}" specified more than once`, pos);
    targets.push(idx);
    locations.push(location);
  }
  return { targets, explicit: true, locations };
}

function targetColumns(stmt: AstNode, stream: StreamTarget): { targets: number[]; explicit: boolean; locations: number[] } {
  const cols = (stmt.cols ?? []) as AstNode[];
  const named = cols.map((c) => {
    const rt = c.ResTarget ?? c;
    if (rt.indirection?.length) throw featureError('assigning to subfields or array elements of stream columns is not supported', rt.location);
    return { name: rt.name as string, location: (rt.location ?? -1) as number };
  });
  return resolveTargetColumns(named, stream);
}

/**
 * PostgreSQL's checks of a row's length against the target columns.
 * `exprLocation(k)` is the location of the k-th expression.
 */
export function checkArity(count: number, targets: number[], explicit: boolean, exprLocation: (k: number) => number, locations: number[]): void {
  if (count > targets.length) {
    const loc = exprLocation(targets.length);
    throw new PgError(SQLSTATE.syntax_error, 'INSERT has more expressions than target columns', loc >= 0 ? { position: loc + 1 } : {});
  }
  if (explicit && count < targets.length) {
    const loc = locations[count] ?? -1;
    throw new PgError(SQLSTATE.syntax_error, 'INSERT has more target columns than expressions', loc >= 0 ? { position: loc + 1 } : {});
  }
}

/** Throws 42P18 for parameters whose type nothing determined. */
function checkParamTypes(types: number[]): void {
  for (let i = 0; i < types.length; i++) {
    if (types[i] === 0 || types[i] === OID.unknown) {
      throw new PgError(SQLSTATE.indeterminate_datatype, `could not determine data type of parameter $${i + 1}`);
    }
  }
}

/** The context with `params` as the bound parameter values. */
function withParams(ctx: EvalContext, params: unknown[]): EvalContext {
  return ctx.params === params ? ctx : { ...ctx, params };
}

/** A SelectStmt that is a bare VALUES list (no ORDER BY / LIMIT / set operation). */
function bareValues(select: AstNode): boolean {
  return !!select.valuesLists && !select.sortClause && !select.limitCount && !select.limitOffset && !select.withClause && (!select.op || select.op === 'SETOP_NONE');
}

/**
 * Plans INSERT INTO stream. `stmt` is the InsertStmt node ({InsertStmt: ...}
 * or its body); `paramTypes` the types the client declared (0: infer).
 * Throws the PostgreSQL errors for bad column lists, arity and types.
 */
export function planStreamInsert(stmt: AstNode, stream: StreamTarget, paramTypes: readonly number[], io: TypeIoContext, options: InsertPlanOptions = {}): StreamInsertPlan {
  const ins: AstNode = stmt.InsertStmt ?? stmt;
  // libpg-query 17+ nests RETURNING in returningClause; older trees have returningList
  const returning = (ins.returningClause?.exprs ?? ins.returningList ?? []) as AstNode[];
  if (returning.length) throw featureError('RETURNING is not supported on streams', locationOf(returning[0]));
  if (ins.onConflictClause) throw featureError('ON CONFLICT is not supported on streams', ins.onConflictClause.location);
  if (ins.withClause) throw featureError('WITH is not supported in INSERT into a stream', ins.withClause.location);
  const all = insertableColumns(stream);
  const width = all.length;
  const { targets, explicit, locations } = targetColumns(ins, stream);
  const params = new ParamTypes(paramTypes.slice());
  const pctx: PlanContext = { params, io, relations: options.relations ?? null };

  if (!ins.selectStmt) {
    // INSERT INTO s DEFAULT VALUES: one row of NULLs (streams have no defaults)
    return { paramTypes: params.types, width, execute: () => [new Array(width).fill(null)] };
  }
  const select = unwrapSelect(ins.selectStmt);
  if (bareValues(select)) return planValuesInsert(select, all, targets, explicit, locations, pctx);
  return planSelectInsert(select, all, targets, explicit, locations, pctx);
}

/** INSERT ... VALUES (...), (...): each expression coerced to its column. */
function planValuesInsert(select: AstNode, all: IngestColumn[], targets: number[], explicit: boolean, locations: number[], pctx: PlanContext): StreamInsertPlan {
  const env: ExprEnv = { ...baseEnv(pctx), clause: 'values' };
  const width = all.length;
  const lists = (select.valuesLists as AstNode[]).map((l) => (l.List?.items ?? []) as AstNode[]);
  const typed: TypedExpr[][] = [];
  // Row by row as PostgreSQL's transformInsertStmt: the expressions, then
  // the row's length against the first row's, then against the targets,
  // then each value's coercion.
  for (const items of lists) {
    const analyzed = items.map((node) => (node.SetToDefault ? null : analyzeExpr(node, env)));
    if (typed.length > 0 && items.length !== lists[0]!.length) throw valuesListsLengthError(leftmostLocation(items[0]));
    checkArity(items.length, targets, explicit, (k) => leftmostLocation(items[k]), locations);
    const row: TypedExpr[] = [];
    for (let k = 0; k < items.length; k++) {
      const node = items[k]!;
      const col = all[targets[k]!]!;
      const e = analyzed[k];
      if (!e) {
        row.push({ kind: 'const', value: null, type: col.typeOid, typmod: col.typmod, location: node.SetToDefault.location ?? -1 });
        continue;
      }
      const out = coerceTo(e, col.typeOid, col.typmod, 'assignment', env);
      if (!out) throw assignmentMismatch(col, e.type, e.location);
      row.push(out);
    }
    typed.push(row);
  }
  finishParams(typed.flat(), env);
  // Rows of constants are computed once; others keep compiled expressions.
  const constRows: (unknown[] | null)[] = [];
  const fnRows: (EvalFn[] | null)[] = [];
  for (const row of typed) {
    if (row.every((e) => e.kind === 'const')) {
      const values = new Array(width).fill(null);
      row.forEach((e, k) => (values[targets[k]!] = (e as { value: unknown }).value));
      constRows.push(values);
      fnRows.push(null);
    } else {
      constRows.push(null);
      fnRows.push(row.map(compile));
    }
  }
  const noRow: unknown[] = [];
  return {
    paramTypes: pctx.params.types,
    width,
    execute(params, outer) {
      const ctx = withParams(outer, params);
      ctx.countRows(constRows.length);
      const out: unknown[][] = new Array(constRows.length);
      for (let r = 0; r < constRows.length; r++) {
        const c = constRows[r];
        if (c) {
          out[r] = c.slice();
          continue;
        }
        const fns = fnRows[r]!;
        const values = new Array(width).fill(null);
        for (let k = 0; k < fns.length; k++) values[targets[k]!] = fns[k]!(noRow, ctx);
        out[r] = values;
      }
      return out;
    },
  };
}

/** INSERT ... SELECT (or VALUES with ORDER BY / LIMIT): the query's rows, assignment-cast to the targets. */
function planSelectInsert(select: AstNode, all: IngestColumn[], targets: number[], explicit: boolean, locations: number[], pctx: PlanContext): StreamInsertPlan {
  // Unknown-typed outputs ('1' in SELECT '1') stay unknown and are read as the column type, as PostgreSQL does.
  const plan = planQuery(select, pctx, false);
  checkParamTypes(pctx.params.types);
  const count = plan.columns.length;
  const targetList = (select.targetList ?? []) as AstNode[];
  checkArity(count, targets, explicit, (k) => locationOf(targetList[k]), locations);
  const width = all.length;
  const coercers: (ValueCoercer | null)[] = plan.columns.map((c, k) => {
    const col = all[targets[k]!]!;
    if (c.typeOid === col.typeOid && col.typmod < 0) return null;
    return compileValueCoercion(col, c.typeOid, locationOf(targetList[k]));
  });
  // A sub-select in an expression is computed when first read, which for rows made
  // one at a time could be after earlier batches reached the views it reads: such
  // an INSERT makes its rows first, so that they all see the views as they were.
  const readsSubqueries = containsSubLink(select);
  /** One row of the query as a row of the stream: each value cast to its target column. */
  const toStreamRow = (src: unknown[], ctx: EvalContext): unknown[] => {
    const values = new Array(width).fill(null);
    for (let k = 0; k < count; k++) {
      const v = src[k];
      const f = coercers[k];
      values[targets[k]!] = v === null || v === undefined ? null : f === null ? v : f(v, ctx);
    }
    return values;
  };
  return {
    paramTypes: pctx.params.types,
    width,
    execute(params, outer) {
      const ctx = withParams(outer, params);
      const rows = plan.run(ctx);
      const out: unknown[][] = new Array(rows.length);
      for (let r = 0; r < rows.length; r++) out[r] = toStreamRow(rows[r]!, ctx);
      return out;
    },
    executeLazily(params, outer) {
      if (!plan.rowsLazily || readsSubqueries) return null;
      const ctx = withParams(outer, params);
      const rows = plan.rowsLazily(ctx);
      return rows && mapRows(rows, (r) => toStreamRow(r, ctx));
    },
  };
}

/** Whether a parse tree holds a sub-select used as an expression (SubLink) anywhere. */
function containsSubLink(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(containsSubLink);
  if (node === null || typeof node !== 'object') return false;
  for (const [k, v] of Object.entries(node)) if (k === 'SubLink' || containsSubLink(v)) return true;
  return false;
}

function* mapRows(rows: Iterable<unknown[]>, fn: (row: unknown[]) => unknown[]): Iterable<unknown[]> {
  for (const r of rows) yield fn(r);
}
