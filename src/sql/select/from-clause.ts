// FROM: set-returning functions, sub-selects and VALUES, named relations
// (through a RelationProvider) and joins. Items are combined left to right as
// nested loops; function items see the columns of the items before them
// (PostgreSQL treats functions in FROM as implicitly LATERAL). Items that do
// not use those columns are computed once per scan, as PostgreSQL does.
// Combined rows are reported to ctx.countRows and the loops check interrupts.
import { PgError, SQLSTATE } from '../../errors.js';
import { OID } from '../../types/oids.js';
import type { EvalContext } from '../functions/catalog.js';
import { nameList, nodeKind, type AstNode } from '../expr/ast.js';
import { analyzeExpr } from '../expr/analyze.js';
import { compile, compilePredicate } from '../expr/compile.js';
import { coerceToBoolean } from '../expr/coerce.js';
import { RelationScope, visibleColumns, type ColumnDesc, type ExprEnv, type ScopeRelation } from '../expr/scope.js';
import { childrenOf, type EvalFn, type TypedExpr } from '../expr/typed-expr.js';
import { INTERRUPT_MASK, RowMeter } from '../functions/row-meter.js';
import type { Relation, RelationProvider, SelectPlan } from './relation.js';

/** Produces the rows of one FROM item given the combined row of the items before it. */
type RowSource = (outer: unknown[], ctx: EvalContext) => unknown[][];

export interface PlannedFrom {
  scope: RelationScope;
  /** All combined input rows. */
  rows(ctx: EvalContext): unknown[][];
  /**
   * Declares which columns of the combined row the query reads (null: all,
   * the default); named relations then leave the other columns unfilled.
   */
  useColumns(used: ReadonlySet<number> | null): void;
  /** The relation when FROM is exactly one named relation (its columns are the whole row), else null. */
  relation: Relation | null;
  /**
   * When FROM is exactly one item that can give its rows one at a time (a
   * named relation, a function with that form, a sub-select whose plan has
   * rowsLazily): those rows, for a consumer that keeps few of them
   * (aggregation, a filter, a LIMIT), so a scan of any size holds no rows
   * in memory. Null otherwise.
   */
  stream(ctx: EvalContext): Iterable<unknown[]> | null;
}

export interface FromPlanner {
  env: ExprEnv;
  relations: RelationProvider | null;
  planSubselect(stmt: unknown): SelectPlan;
}

/** A named relation's place in the combined row and the columns the query reads of it. */
interface ColumnUse {
  offset: number;
  width: number;
  needed: boolean[] | undefined;
}

/** What FROM planning records for column pruning: each named relation, and columns FROM itself reads. */
interface ColumnUses {
  relations: ColumnUse[];
  /** Combined-row columns read by JOIN conditions and lateral functions. */
  pinned: Set<number>;
  /** false once FROM reads columns in a way that cannot be listed (sub-selects in ON). */
  prunable: boolean;
}

interface PlannedItem {
  relations: { alias: string | null; columns: ColumnDesc[]; relname?: string }[];
  width: number;
  source: RowSource;
  /** true when the rows depend on the columns of earlier FROM items. */
  lateral: boolean;
  /** The named relation this item reads, when it is one. */
  relation?: Relation;
  /** Its rows one at a time, when it can give them so (a named relation, a lazy function, a sub-select); null: not this time. */
  stream?: (ctx: EvalContext) => Iterable<unknown[]> | null;
}

const NO_ROW: unknown[] = [];

export function planFrom(items: unknown[], planner: FromPlanner): PlannedFrom {
  const relations: ScopeRelation[] = [];
  const sources: PlannedItem[] = [];
  const uses: ColumnUses = { relations: [], pinned: new Set(), prunable: true };
  let width = 0;
  for (const item of items) {
    const scope = new RelationScope(relations.slice());
    const planned = planItem(item, planner, scope, width, uses);
    for (const r of planned.relations) {
      relations.push({ alias: r.alias, columns: r.columns, offset: width, relname: r.relname });
      width += r.columns.length;
    }
    sources.push(planned);
  }
  const scope = new RelationScope(relations);
  return {
    scope,
    relation: sources.length === 1 ? (sources[0].relation ?? null) : null,
    stream: (ctx) => (sources.length === 1 && sources[0].stream ? sources[0].stream(ctx) : null),
    useColumns(used) {
      const all = used === null || !uses.prunable;
      for (const u of uses.relations) {
        u.needed = all ? undefined : Array.from({ length: u.width }, (_, i) => used.has(u.offset + i) || uses.pinned.has(u.offset + i));
      }
    },
    rows(ctx) {
      if (sources.length === 0) return [NO_ROW];
      let rows = sources[0].source(NO_ROW, ctx);
      for (let s = 1; s < sources.length; s++) {
        const { source, lateral } = sources[s];
        const shared = lateral ? null : source(NO_ROW, ctx);
        const next: unknown[][] = [];
        const meter = new RowMeter(ctx);
        for (let o = 0; o < rows.length; o++) {
          if ((o & INTERRUPT_MASK) === INTERRUPT_MASK) ctx.checkInterrupts();
          const outer = rows[o];
          const inner = shared ?? source(outer, ctx);
          meter.addMany(inner.length);
          for (let i = 0; i < inner.length; i++) next.push(outer.concat(inner[i]));
        }
        meter.flush();
        rows = next;
      }
      return rows;
    },
  };
}

function aliasOf(n: AstNode): { name: string | null; colnames: string[] } {
  const a = n.alias;
  return { name: a?.aliasname ?? null, colnames: nameList(a?.colnames) };
}

/** Applies column aliases to the visible columns (hidden ones come last and keep their names). */
function renameColumns(cols: ColumnDesc[], colnames: string[], alias: string, location: number): ColumnDesc[] {
  const visible = visibleColumns(cols).length;
  if (colnames.length > visible) {
    throw new PgError(SQLSTATE.invalid_column_reference, `table "${alias}" has ${visible} columns available but ${colnames.length} columns specified`, {
      ...(location >= 0 ? { position: location + 1 } : {}),
    });
  }
  return cols.map((c, i) => (i < colnames.length ? { ...c, name: colnames[i] } : c));
}

function planItem(item: unknown, planner: FromPlanner, lateralScope: RelationScope, offset: number, uses: ColumnUses): PlannedItem {
  const [kind, n] = nodeKind(item) as [string, AstNode];
  switch (kind) {
    case 'RangeFunction':
      return planFunction(n, planner, lateralScope, uses);
    case 'RangeSubselect': {
      const { name, colnames } = aliasOf(n);
      if (n.lateral) throw new PgError(SQLSTATE.feature_not_supported, 'LATERAL sub-selects are not supported');
      if (!name) {
        throw new PgError(SQLSTATE.syntax_error, 'subquery in FROM must have an alias', {
          hint: 'For example, FROM (SELECT ...) [AS] foo.',
        });
      }
      const plan = planner.planSubselect(n.subquery);
      const cols = renameColumns(
        plan.columns.map((c) => ({ name: c.name, type: c.typeOid, typmod: c.typmod })),
        colnames,
        name,
        -1,
      );
      return {
        relations: [{ alias: name, columns: cols }],
        width: cols.length,
        source: (_o, ctx) => plan.run(ctx),
        // A sub-select that can give its rows one at a time streams into an outer
        // aggregate, filter or LIMIT, which then makes only the rows it reads.
        stream: (ctx) => plan.rowsLazily?.(ctx) ?? null,
        lateral: false,
      };
    }
    case 'RangeVar': {
      const schema: string | null = n.schemaname ?? null;
      const rel = planner.relations?.lookup(schema, n.relname) ?? null;
      if (!rel) {
        throw new PgError(SQLSTATE.undefined_table, `relation "${schema ? schema + '.' : ''}${n.relname}" does not exist`, {
          position: (n.location ?? 0) + 1,
        });
      }
      const { name, colnames } = aliasOf(n);
      const alias = name ?? n.relname;
      const cols = renameColumns(rel.columns, colnames, alias, n.location ?? -1);
      const use: ColumnUse = { offset, width: cols.length, needed: undefined };
      uses.relations.push(use);
      return {
        relations: [{ alias, columns: cols, relname: n.relname as string }],
        width: cols.length,
        source: (_o, ctx) => scanRelation(rel, ctx, use.needed),
        lateral: false,
        relation: rel,
        // The consumer checks interrupts per row it reads.
        stream: (ctx) => rel.scan(ctx, use.needed),
      };
    }
    case 'JoinExpr':
      return planJoin(n, planner, lateralScope, offset, uses);
    default:
      throw new PgError(SQLSTATE.feature_not_supported, `unsupported FROM item ${kind}`);
  }
}

function planFunction(n: AstNode, planner: FromPlanner, lateralScope: RelationScope, uses: ColumnUses): PlannedItem {
  if (n.lateral === undefined && (n.functions as unknown[]).length !== 1) {
    throw new PgError(SQLSTATE.feature_not_supported, 'ROWS FROM with several functions is not supported');
  }
  const fnNode = (n.functions[0] as AstNode).List.items[0] as AstNode;
  let srf: TypedExpr | null = null;
  const env: ExprEnv = {
    ...planner.env,
    scope: lateralScope,
    aggregates: null,
    clause: 'from',
    srfs: {
      add(call) {
        srf = call;
        return 0;
      },
    },
  };
  const expr = analyzeExpr(fnNode, env);
  const call: TypedExpr = srf ?? expr;
  const fc = fnNode.FuncCall as AstNode | undefined;
  const fname = fc ? (nameList(fc.funcname).pop() as string) : 'function';
  const { name, colnames } = aliasOf(n);
  const alias = name ?? fname;
  const cols: ColumnDesc[] = [{ name: colnames[0] ?? name ?? fname, type: call.type, typmod: call.typmod }];
  if (colnames.length > 1 + (n.ordinality ? 1 : 0)) {
    throw new PgError(SQLSTATE.syntax_error, `too many column aliases specified for function ${fname}`);
  }
  if (n.ordinality) cols.push({ name: colnames[1] ?? 'ordinality', type: OID.int8, typmod: -1 });
  const f: EvalFn = compile(call);
  // Lateral references are to the combined row: those columns must be filled.
  if (!collectColumns(call, uses.pinned)) uses.prunable = false;
  const isSet = srf !== null;
  const ordinality = n.ordinality === true;
  const lateral = usesColumns(call);
  return {
    relations: [{ alias, columns: cols }],
    width: cols.length,
    ...(isSet && !ordinality && !lateral ? lazyStream(call) : {}),
    // The function counted its values; wrapping each in a row is not counted again.
    source: (outer, ctx) => {
      const v = f(outer, ctx);
      const values = isSet ? ((v ?? []) as unknown[]) : [v];
      const out: unknown[][] = new Array(values.length);
      for (let i = 0; i < values.length; i++) {
        if ((i & INTERRUPT_MASK) === INTERRUPT_MASK) ctx.checkInterrupts();
        out[i] = ordinality ? [values[i], BigInt(i + 1)] : [values[i]];
      }
      return out;
    },
    lateral,
  };
}

/**
 * A set-returning call's rows one at a time, when the function has that form
 * (FunctionDef.lazy): an aggregate or a LIMIT over `FROM generate_series(...)`
 * then holds none of the values it does not keep.
 */
function lazyStream(call: TypedExpr): Pick<PlannedItem, 'stream'> {
  const values = lazyCall(call);
  return values ? { stream: (ctx) => rowsOf(values(NO_ROW, ctx)) } : {};
}

/**
 * A set-returning call's values one at a time for a row (FunctionDef.lazy),
 * none when a strict call gets a NULL argument; null when the call has no
 * such form. Used in FROM and, for one call, in a target list.
 */
export function lazyCall(call: TypedExpr): ((row: unknown[], ctx: EvalContext) => Iterable<unknown>) | null {
  if (call.kind !== 'call' || !call.lazy) return null;
  const lazy = call.lazy;
  const argFns = call.args.map(compile);
  const strict = call.strict;
  return (row, ctx) => {
    const args = argFns.map((f) => f(row, ctx));
    return strict && args.some((v) => v === null) ? [] : lazy(args, ctx);
  };
}

function* rowsOf(values: Iterable<unknown>): Iterable<unknown[]> {
  for (const v of values) yield [v];
}

function planJoin(n: AstNode, planner: FromPlanner, lateralScope: RelationScope, offset: number, uses: ColumnUses): PlannedItem {
  if (n.usingClause || n.isNatural) throw new PgError(SQLSTATE.feature_not_supported, 'JOIN ... USING and NATURAL JOIN are not supported');
  const left = planItem(n.larg, planner, lateralScope, offset, uses);
  const right = planItem(n.rarg, planner, lateralScope, offset + left.width, uses);
  const rels: ScopeRelation[] = [];
  let w = 0;
  for (const r of [...left.relations, ...right.relations]) {
    rels.push({ alias: r.alias, columns: r.columns, offset: w, relname: r.relname });
    w += r.columns.length;
  }
  let cond: ((row: unknown[], ctx: EvalContext) => boolean) | null = null;
  if (n.quals) {
    const env: ExprEnv = { ...planner.env, scope: new RelationScope(rels), aggregates: null, srfs: null, clause: 'other' };
    const q = coerceToBoolean(analyzeExpr(n.quals, env), 'JOIN/ON', env);
    // The condition reads the join's own row, which starts at `offset` of the combined row.
    if (!collectColumns(q, uses.pinned, offset)) uses.prunable = false;
    cond = compilePredicate(q);
  }
  const type: string = n.jointype;
  const nullsLeft = new Array(left.width).fill(null);
  const nullsRight = new Array(right.width).fill(null);
  const alias = n.alias?.aliasname ?? null;
  const relations = alias
    ? [{ alias, columns: rels.flatMap((r) => r.columns) }]
    : [...left.relations, ...right.relations];
  return {
    relations,
    width: left.width + right.width,
    // A nested loop: every pair is tested, so the interrupt check counts pairs, not output rows.
    source: (outer, ctx) => {
      const ls = left.source(outer, ctx);
      const rs = right.source(outer, ctx);
      const out: unknown[][] = [];
      const meter = new RowMeter(ctx);
      const rightMatched = new Array<boolean>(rs.length).fill(false);
      let pairs = 0;
      for (const l of ls) {
        let matched = false;
        for (let i = 0; i < rs.length; i++) {
          if ((++pairs & INTERRUPT_MASK) === 0) ctx.checkInterrupts();
          const row = l.concat(rs[i]);
          if (cond && !cond(row, ctx)) continue;
          matched = true;
          rightMatched[i] = true;
          meter.add();
          out.push(row);
        }
        if (!matched && (type === 'JOIN_LEFT' || type === 'JOIN_FULL')) {
          meter.add();
          out.push(l.concat(nullsRight));
        }
      }
      if (type === 'JOIN_RIGHT' || type === 'JOIN_FULL') {
        for (let i = 0; i < rs.length; i++) {
          if (rightMatched[i]) continue;
          meter.add();
          out.push(nullsLeft.concat(rs[i]));
        }
      }
      meter.flush();
      return out;
    },
    lateral: left.lateral || right.lateral,
  };
}

/** Reads a relation's rows into memory, counting them as they come. */
function scanRelation(rel: Relation, ctx: EvalContext, needed: readonly boolean[] | undefined): unknown[][] {
  const out: unknown[][] = [];
  const meter = new RowMeter(ctx);
  for (const row of rel.scan(ctx, needed)) {
    meter.add();
    out.push(row);
  }
  meter.flush();
  return out;
}

/**
 * Adds the row columns an expression reads (shifted by `shift`) to `into`;
 * false when it holds a sub-select, whose reads of outer columns are not
 * listed here.
 */
export function collectColumns(e: TypedExpr, into: Set<number>, shift = 0): boolean {
  if (e.kind === 'subquery') return false;
  if (e.kind === 'column') into.add(e.index + shift);
  for (const c of childrenOf(e)) if (!collectColumns(c, into, shift)) return false;
  return true;
}

/** Whether an expression reads columns of the current row (for a FROM function: of earlier FROM items). */
function usesColumns(e: TypedExpr): boolean {
  return e.kind === 'column' || childrenOf(e).some(usesColumns);
}
