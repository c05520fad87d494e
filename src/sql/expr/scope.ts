// What the expression analyzer needs from its surroundings: how column names
// resolve (Scope), what the parameters' types are (ParamTypes), where
// aggregate calls go (AggregateSink) and how sub-selects are planned.
import { PgError, SQLSTATE } from '../../errors.js';
import type { TypedExpr } from './typed-expr.js';
import type { AggregateImpl } from '../aggregates/aggregate.js';
import { defaultIoContext, type TypeIoContext } from '../../types/io-context.js';

/** A column a Scope resolved: its position in the row the expression will be evaluated on. */
export interface ResolvedColumn {
  index: number;
  type: number;
  typmod: number;
  name: string;
  /** For combine(): the column's FROM item, and how to combine it when it is a continuous view's aggregate column. */
  origin?: ColumnOrigin;
}

/** Where a resolved column comes from, as combine() needs it. */
export interface ColumnOrigin {
  /** The relation's name when the FROM item is a named relation, else null (sub-select, function, join alias). */
  relname: string | null;
  /** Whether the FROM item is a continuous view (it has a hidden states column). */
  continuousView: boolean;
  /** Set for a continuous view's aggregate column: the row index of its states and the combining aggregate. */
  combine: { stateIndex: number; create(): AggregateImpl } | null;
}

/**
 * What combine(col) needs of a continuous view's aggregate column: the
 * hidden column holding each row's stored aggregate states, and an
 * aggregate that steps over those values and finalizes to the column's value.
 */
export interface CombineSource {
  states: ColumnDesc;
  create(): AggregateImpl;
}

/** A named, typed column of a row. */
export interface ColumnDesc {
  name: string;
  type: number;
  typmod: number;
  /** Not visible to name lookup or `*` (a continuous view's stored states). */
  hidden?: boolean;
  /** For a continuous view's aggregate columns: how combine() merges them. */
  combine?: CombineSource;
}

/**
 * Resolves column references. `fields` are the dotted name parts as written,
 * lower-cased/unquoted by the parser (["x"], ["t", "x"], ["s", "t", "x"]).
 * Return null when the name is unknown (the analyzer raises 42703); throw
 * 42702 yourself for ambiguity.
 */
export interface Scope {
  resolveColumn(fields: readonly string[], location: number): ResolvedColumn | null;
  /**
   * Columns for `*` (qualifier null) or `t.*` (qualifier "t"), or null when the
   * qualifier names nothing. Optional: scopes without rows return [].
   */
  expandStar?(qualifier: string | null, location: number): ResolvedColumn[] | null;
}

/** A scope with no columns (SELECT without FROM). */
export const EMPTY_SCOPE: Scope = {
  resolveColumn: () => null,
  expandStar: () => [],
};

/** A named group of columns (a FROM item); `alias` qualifies its column names. */
export interface ScopeRelation {
  alias: string | null;
  columns: ColumnDesc[];
  /** The relation's name when the FROM item is a named relation. */
  relname?: string;
  /** Index of this relation's first column in the combined row. */
  offset: number;
}

/** The scope of the FROM clause: relations laid out side by side in one row. */
export class RelationScope implements Scope {
  constructor(readonly relations: ScopeRelation[], readonly parent: Scope | null = null) {}

  resolveColumn(fields: readonly string[], location: number): ResolvedColumn | null {
    const name = fields[fields.length - 1];
    const qualifier = fields.length >= 2 ? fields[fields.length - 2] : null;
    let found: ResolvedColumn | null = null;
    for (const rel of this.relations) {
      if (qualifier !== null && rel.alias !== qualifier) continue;
      for (let i = 0; i < rel.columns.length; i++) {
        const c = rel.columns[i];
        if (c.name !== name || c.hidden) continue;
        if (found) {
          throw new PgError(SQLSTATE.ambiguous_column, `column reference "${name}" is ambiguous`, { position: location + 1 });
        }
        found = { index: rel.offset + i, type: c.type, typmod: c.typmod, name: c.name, origin: originOf(rel, c) };
      }
    }
    if (found) return found;
    return null;
  }

  expandStar(qualifier: string | null): ResolvedColumn[] | null {
    const out: ResolvedColumn[] = [];
    let matched = false;
    for (const rel of this.relations) {
      if (qualifier !== null && rel.alias !== qualifier) continue;
      matched = true;
      rel.columns.forEach((c, i) => {
        if (!c.hidden) out.push({ index: rel.offset + i, type: c.type, typmod: c.typmod, name: c.name });
      });
    }
    return qualifier !== null && !matched ? null : out;
  }

  /** Total width of the combined row. */
  get width(): number {
    let w = 0;
    for (const r of this.relations) w = Math.max(w, r.offset + r.columns.length);
    return w;
  }
}

function originOf(rel: ScopeRelation, c: ColumnDesc): ColumnOrigin {
  const statesAt = c.combine ? rel.columns.indexOf(c.combine.states) : -1;
  return {
    relname: rel.relname ?? null,
    continuousView: rel.columns.some((x) => x.hidden === true),
    combine: c.combine && statesAt >= 0 ? { stateIndex: rel.offset + statesAt, create: c.combine.create } : null,
  };
}

/** Visible columns of a relation (what `*` and column aliases see). */
export function visibleColumns(cols: readonly ColumnDesc[]): ColumnDesc[] {
  return cols.filter((c) => !c.hidden);
}

/**
 * Parameter types for a statement. `types[i]` is the OID of $i+1, 0 while
 * still undetermined. With `allowNew` (Parse of a statement), references to
 * parameters beyond the array extend it and unknown types are inferred from
 * context; without it (types already fixed) $n beyond the array is 42P02.
 */
export class ParamTypes {
  constructor(public types: number[] = [], readonly allowNew = true) {}
}

/** One aggregate call found while analyzing a target list or HAVING. */
export interface AggregateCall {
  name: string;
  args: TypedExpr[];
  argTypes: number[];
  star: boolean;
  distinct: boolean;
  /** WITHIN GROUP (ORDER BY ...) directions, for ordered-set and hypothetical-set calls (their sort values are the last args). */
  withinGroup?: readonly { desc: boolean; nullsFirst: boolean }[];
  /** ORDER BY inside the call (array_agg(x ORDER BY y)). */
  order: { expr: TypedExpr; desc: boolean; nullsFirst: boolean }[];
  filter: TypedExpr | null;
  resultType: number;
  location: number;
  /** The aggregate's implementation, created for the resolved argument types. */
  impl: AggregateImpl;
  /** For continuous views: an implementation with a bounded state, when impl keeps every input. */
  streaming?: () => AggregateImpl;
  /** Skip rows where an argument is NULL. */
  strict: boolean;
}

/** Set-returning function calls in a target list; each becomes a column of the expanded row. */
export interface SrfSink {
  /** Returns the row index the call's current value will be found at. */
  add(call: TypedExpr): number;
}

/** Collects aggregate calls; the analyzer replaces each by an aggref to its index. */
export interface AggregateSink {
  add(call: AggregateCall): number;
}

/** Where aggregates are (not) allowed, for the PostgreSQL error texts. */
export type ExprClause = 'aggregate' | 'select' | 'where' | 'having' | 'group by' | 'order by' | 'values' | 'from' | 'limit' | 'offset' | 'other';

/** Plans a sub-select for SubLinks; returns column types and a runner. */
export type SubqueryPlanner = (
  stmt: unknown,
  env: ExprEnv,
) => { columns: ColumnDesc[]; run: (ctx: import('../functions/catalog.js').EvalContext) => unknown[][] };

/** Everything the analyzer needs besides the AST node. */
export interface ExprEnv {
  scope: Scope;
  params: ParamTypes;
  /** Aggregate calls are collected here; null means aggregates are not allowed in this clause. */
  aggregates: AggregateSink | null;
  /** Set-returning calls are collected here; null means they are not allowed in this clause. */
  srfs: SrfSink | null;
  clause: ExprClause;
  /** Plans sub-selects (scalar subquery, EXISTS, IN (SELECT ...)); null: not supported here. */
  planSubquery: SubqueryPlanner | null;
  /** Session I/O settings for reading literals at analysis time ('2020-01-01'::date). */
  io: TypeIoContext;
}

export function newExprEnv(
  scope: Scope = EMPTY_SCOPE,
  params: ParamTypes = new ParamTypes(),
  io: TypeIoContext = defaultIoContext(),
): ExprEnv {
  return { scope, params, aggregates: null, srfs: null, clause: 'select', planSubquery: null, io };
}
