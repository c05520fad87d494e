// The checks PipelineDB 1.0 makes on a continuous query's SELECT before
// anything else (its analyzer's ValidateParsedContQuery), in the same order
// and with the same messages: target-list rules, no CTEs / HAVING / window
// functions / ORDER BY, exactly one stream in FROM, no `*`, DISTINCT only in
// count and array_agg, and the shape of a sliding-window predicate. A FROM
// that is a single sub-select is checked as a subquery and then validated in
// turn. Semantic analysis (columns, functions, types) follows separately.
import { PgError, SQLSTATE } from '../../errors.js';
import { isAggregateName } from '../../sql/aggregates/aggregate.js';
import type { PipelineRelation, StreamEntry } from '../../storage/stream-catalog.js';
import { ARRIVAL_TIMESTAMP } from '../../storage/stream-catalog.js';
import { hasClockTimestamp } from './pipeline-view-options.js';

type Node = Record<string, any>;

/** Resolves a RangeVar of the FROM clause (null: not a stream or view we know). */
export type RelationLookup = (rv: Node) => PipelineRelation | undefined;

export interface ValidatedQuery {
  stream: StreamEntry;
  /** The SELECT level that reads the stream (the innermost one when FROM is a sub-select). */
  select: Node;
  /** Whether the query has a sliding window predicate (clock_timestamp() in WHERE). */
  whereWindow: boolean;
}

function pos(location: number | undefined): { position?: number } {
  return location !== undefined && location >= 0 ? { position: location + 1 } : {};
}

function names(list: any[] | undefined): string[] {
  return (list ?? []).map((n: Node) => (n.String ? n.String.sval : n.A_Star ? '*' : ''));
}

/** Calls `fn` for every node of the raw tree (objects with a single node-type key and plain lists alike). */
function walk(node: unknown, fn: (kind: string, n: Node) => boolean | void): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) walk(item, fn);
    return;
  }
  const obj = node as Node;
  for (const key in obj) {
    const v = obj[key];
    if (v === null || typeof v !== 'object') continue;
    // A node is { Kind: {...} } with a capitalized kind; descend unless fn says stop.
    if (!Array.isArray(v) && key.charCodeAt(0) >= 65 && key.charCodeAt(0) <= 90) {
      if (fn(key, v) === false) continue;
    }
    walk(v, fn);
  }
}

function isAggregateCall(fc: Node): boolean {
  if (fc.agg_within_group) return true;
  const n = names(fc.funcname);
  const schema = n.length > 1 ? n[n.length - 2] : null;
  return (schema === null || schema === 'pg_catalog') && isAggregateName(n[n.length - 1]);
}

/** Checks a continuous query's SELECT; returns the stream it reads. */
export function validateContinuousQuery(node: Node, lookup: RelationLookup): ValidatedQuery {
  const select: Node = node.SelectStmt ?? node;
  if (select.op && select.op !== 'SETOP_NONE') {
    throw new PgError(SQLSTATE.internal_error, 'set operations within continuous views are currently not supported');
  }
  validateTargetList(select);
  if (select.withClause) {
    throw new PgError(SQLSTATE.feature_not_supported, "continuous queries don't support CTEs", {
      hint: 'Try using sub-SELECTs instead.',
      ...pos(select.withClause.location),
    });
  }
  if (select.havingClause) {
    throw new PgError(SQLSTATE.feature_not_supported, "continuous queries don't support HAVING clauses", {
      hint: 'Try using a WHERE clause on the continuous view instead.',
    });
  }
  if (hasWindows(select)) throw new PgError(SQLSTATE.feature_not_supported, "continuous queries don't support WINDOW functions");

  const from: Node[] = select.fromClause ?? [];
  const sort: Node[] = select.sortClause ?? [];
  if (from.length === 1 && from[0].RangeSubselect) {
    // PipelineDB checks only the sub-select here; an ORDER BY outside it would be silently lost, so it is refused too.
    if (sort.length > 0) {
      throw new PgError(SQLSTATE.feature_not_supported, "continuous queries don't support ORDER BY", pos(sort[0].SortBy?.location));
    }
    const sub = from[0].RangeSubselect.subquery;
    validateSubselect(sub, 'subqueries in continuous views');
    return validateContinuousQuery(sub, lookup);
  }

  const streams: { rv: Node; stream: StreamEntry }[] = [];
  const rels: Node[] = [];
  walk(from, (kind, n) => {
    if (kind !== 'RangeVar') return;
    const rel = lookup(n);
    if (rel?.kind === 'stream') streams.push({ rv: n, stream: rel });
    else rels.push(n);
    return false;
  });

  if (sort.length > 0) {
    throw new PgError(SQLSTATE.feature_not_supported, "continuous queries don't support ORDER BY", pos(sort[0].SortBy?.location));
  }
  if (streams.length === 0) {
    if (rels.length > 0) {
      throw new PgError(SQLSTATE.feature_not_supported, 'continuous queries must include a stream in the FROM clause', {
        hint: 'To include a relation in a continuous query, JOIN it with a stream.',
        ...pos(rels[0].location),
      });
    }
    throw new PgError(SQLSTATE.feature_not_supported, 'continuous queries must include a stream in the FROM clause');
  }
  if (streams.length > 1) {
    const rv = streams[1].rv;
    throw new PgError(SQLSTATE.feature_not_supported, "continuous queries don't support stream-stream JOINs", {
      hint: `If ${rv.alias?.aliasname ?? rv.relname} is supposed to be a relation, create it first with CREATE TABLE.`,
      ...pos(rv.location),
    });
  }
  walk(select, (kind, n) => {
    if (kind !== 'ColumnRef') return;
    const fields: Node[] = n.fields ?? [];
    if (fields.length > 0 && fields[fields.length - 1].A_Star) {
      throw new PgError(SQLSTATE.ambiguous_column, `can't select "${names(fields).join('.')}" in continuous queries`, {
        hint: 'Explicitly state the columns you want to SELECT.',
        ...pos(n.location),
      });
    }
  });
  // Relations other than the stream: unknown ones fail as PostgreSQL's analysis would; known ones are views.
  for (const rv of rels) {
    if (!lookup(rv)) {
      const qualified = rv.schemaname ? `${rv.schemaname}.${rv.relname}` : rv.relname;
      throw new PgError(SQLSTATE.undefined_table, `relation "${qualified}" does not exist`, pos(rv.location));
    }
    throw new PgError(SQLSTATE.feature_not_supported, 'stream-table joins are not supported yet', pos(rv.location));
  }
  walk(select, (kind, n) => {
    if (kind !== 'FuncCall' || !n.agg_distinct || !isAggregateCall(n)) return;
    const name = names(n.funcname).join('.');
    if (name !== 'count' && name !== 'array_agg') {
      throw new PgError(SQLSTATE.feature_not_supported, `continuous queries don't support DISTINCT expressions for "${name}" aggregate`, pos(n.location));
    }
  });
  const whereWindow = validateSlidingWindow(select.whereClause);
  if (whereWindow && select.distinctClause) {
    throw new PgError(SQLSTATE.feature_not_supported, "sliding window continuous queries don't allow a DISTINCT clause");
  }
  return { stream: streams[0].stream, select, whereWindow };
}

function validateTargetList(select: Node): void {
  for (const t of select.targetList ?? []) {
    const res = t.ResTarget;
    if (!res) continue;
    if (res.val?.SubLink) {
      throw new PgError(SQLSTATE.feature_not_supported, "subqueries are not allowed in a continuous view's target list", {
        hint: 'Stream-table joins are the preferred method for combining other relations with continuous views.',
      });
    }
    if (res.name && res.name.toLowerCase() === ARRIVAL_TIMESTAMP) {
      const col = res.val?.ColumnRef;
      const fields = names(col?.fields);
      if (!col || fields[fields.length - 1] !== ARRIVAL_TIMESTAMP) {
        throw new PgError(SQLSTATE.internal_error, 'arrival_timestamp is a reserved column name');
      }
    }
  }
}

/** A WINDOW clause or an OVER on any call of the target list. */
function hasWindows(select: Node): boolean {
  if ((select.windowClause ?? []).length > 0) return true;
  let found = false;
  walk(select.targetList, (kind, n) => {
    if (kind === 'FuncCall' && n.over) found = true;
  });
  return found;
}

/** What a sub-select in FROM of a continuous query may not contain. */
function validateSubselect(node: Node, what: string): void {
  const s: Node | undefined = node.SelectStmt;
  if (!s) throw new PgError(SQLSTATE.syntax_error, `${what} must be SELECT statements`);
  const fail = (clause: string) => new PgError(SQLSTATE.syntax_error, `${what} cannot contain ${clause}`);
  let aggs = false;
  let windows = false;
  walk([s.targetList, s.havingClause], (kind, n) => {
    if (kind === 'FuncCall') {
      if (n.over) windows = true;
      else if (isAggregateCall(n)) aggs = true;
    }
    if (kind === 'SelectStmt') return false;
  });
  if (aggs) throw fail('aggregates');
  if (windows || (s.windowClause ?? []).length > 0) throw fail('window functions');
  if ((s.groupClause ?? []).length > 0) throw fail('GROUP BY clauses');
  if (s.havingClause) throw fail('HAVING clauses');
  if ((s.sortClause ?? []).length > 0) throw fail('ORDER BY clauses');
  if (s.distinctClause) throw fail('DISTINCT clauses');
  if (s.limitCount || s.limitOffset) throw fail('LIMIT clauses');
  if (s.lockingClause) throw fail('FOR UPDATE clauses');
  if (s.withClause) throw fail('CTEs');
}

// --- sliding windows ----------------------------------------------------------------

const SW_SHAPE = 'sliding window expressions must look like <timestamp column> > clock_timestamp() - <interval>';

function isClockTimestampCall(n: Node | undefined): boolean {
  const fc = n?.FuncCall;
  return Boolean(fc) && names(fc.funcname).join('.') === 'clock_timestamp';
}

function opName(aexpr: Node): string {
  return names(aexpr.name).join('.');
}

/**
 * Finds the predicate holding clock_timestamp() in WHERE: it may appear once,
 * as a top-level conjunct. Returns the comparison (or null) after checking
 * its shape: `<time> > clock_timestamp() - <interval>` or the mirror with <.
 */
function validateSlidingWindow(where: Node | undefined): boolean {
  if (!where || !hasClockTimestamp(where)) return false;
  const found = findWindowPredicate(where);
  if (found) validateWindowPredicate(found);
  return true;
}

function clockLocation(n: unknown): number {
  let loc = -1;
  walk(n, (kind, x) => {
    if (loc < 0 && kind === 'FuncCall' && isClockTimestampCall({ FuncCall: x })) loc = x.location ?? -1;
  });
  return loc;
}

function findWindowPredicate(where: Node): Node | null {
  const be = where.BoolExpr;
  if (be) {
    const holding = (be.args ?? []).filter((a: Node) => hasClockTimestamp(a));
    if (holding.length === 0) return null;
    if (be.boolop !== 'AND_EXPR') {
      throw new PgError(SQLSTATE.syntax_error, 'clock_timestamp() may only appear as a top-level conjunction predicate', pos(clockLocation(holding[0])));
    }
    if (holding.length > 1) {
      throw new PgError(SQLSTATE.syntax_error, 'clock_timestamp() may only appear once in a WHERE clause', pos(clockLocation(holding[1])));
    }
    return findWindowPredicate(holding[0]);
  }
  const ax = where.A_Expr;
  if (ax) {
    const left = hasClockTimestamp(ax.lexpr);
    const right = hasClockTimestamp(ax.rexpr);
    if (left && right) throw new PgError(SQLSTATE.syntax_error, 'clock_timestamp() may only appear once in a WHERE clause', pos(clockLocation(ax.rexpr)));
    if (ax.kind !== 'AEXPR_OP') {
      throw new PgError(SQLSTATE.syntax_error, 'clock_timestamp() may only appear as a top-level conjunction predicate', pos(clockLocation(where)));
    }
    return where;
  }
  return where;
}

function validateWindowPredicate(pred: Node): void {
  const ax = pred.A_Expr;
  const fail = (hint?: string, location?: number) =>
    new PgError(SQLSTATE.syntax_error, SW_SHAPE, { ...(hint ? { hint } : {}), ...pos(location) });
  if (!ax || ax.kind !== 'AEXPR_OP') throw fail();
  const op = opName(ax);
  let clockSide: Node;
  if (hasClockTimestamp(ax.rexpr)) {
    if (op !== '>' && op !== '>=') throw fail('Try switching the comparison operator to "<".', ax.location);
    clockSide = ax.rexpr;
  } else {
    if (op !== '<' && op !== '<=') throw fail('Try switching the comparison operator to ">".', ax.location);
    clockSide = ax.lexpr;
  }
  const minus = clockSide?.A_Expr;
  if (!minus || minus.kind !== 'AEXPR_OP' || opName(minus) !== '-' || !isClockTimestampCall(minus.lexpr)) {
    throw fail(undefined, minus?.location ?? ax.location);
  }
}
