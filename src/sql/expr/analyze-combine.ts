// combine(col): PipelineDB's aggregate over a continuous view's aggregate
// column. It merges the stored aggregate states of the rows it sees and
// finalizes them once, so combine(avg) over two groups is the average of all
// their rows, not the average of two averages. The view relation supplies
// the states as a hidden column (see ColumnDesc.combine).
import { PgError, SQLSTATE } from '../../errors.js';
import { OID } from '../../types/oids.js';
import type { AstNode } from './ast.js';
import { analyzeExpr } from './analyze.js';
import { coerceToBoolean } from './coerce.js';
import type { ExprEnv } from './scope.js';
import type { TypedExpr } from './typed-expr.js';

const COLUMN_HINT = 'combine must be called with a single aggregate continuous view column reference.';
const RELATION_HINT = 'Only aggregate continuous view columns can be combined.';

// PipelineDB reports these without a cursor position.
function invalidReference(message: string, hint: string): PgError {
  return new PgError(SQLSTATE.invalid_column_reference, message, { hint });
}

/** Analyzes combine(...) where aggregates are allowed (the caller checked env.aggregates). */
export function analyzeCombine(fc: AstNode, env: ExprEnv): TypedExpr {
  const location: number = fc.location ?? -1;
  const args = (fc.args ?? []) as AstNode[];
  if (fc.agg_star || args.length !== 1) {
    throw invalidReference(`combine called with ${fc.agg_star ? 0 : args.length} arguments`, COLUMN_HINT);
  }
  if (fc.agg_distinct || fc.agg_order || fc.agg_within_group) {
    throw invalidReference('combine called with an invalid expression', COLUMN_HINT);
  }
  const inner: ExprEnv = { ...env, aggregates: null, srfs: null, clause: 'aggregate' };
  const ref = args[0].ColumnRef as AstNode | undefined;
  if (!ref) {
    // Analyzed first so that unknown columns inside the expression get their own error.
    analyzeExpr(args[0], inner);
    throw invalidReference('combine called with an invalid expression', COLUMN_HINT);
  }
  // The standard analysis reports unknown and ambiguous columns with PostgreSQL's errors.
  const column = analyzeExpr(args[0], inner);
  const fields = (ref.fields as AstNode[]).map((f) => (f.String ? String(f.String.sval) : '*'));
  const resolved = column.kind === 'column' ? env.scope.resolveColumn(fields, ref.location ?? location) : null;
  const origin = resolved?.origin;
  if (!origin) throw invalidReference('the FROM clause is not a continuous view', RELATION_HINT);
  if (!origin.continuousView) {
    if (origin.relname === null) throw invalidReference('the FROM clause is not a continuous view', RELATION_HINT);
    throw invalidReference(`"${origin.relname}" is not a continuous view`, RELATION_HINT);
  }
  if (!origin.combine) throw invalidReference('combine called with an invalid expression', COLUMN_HINT);
  const filter = fc.agg_filter ? coerceToBoolean(analyzeExpr(fc.agg_filter, inner), 'FILTER', inner) : null;
  const states: TypedExpr = { kind: 'column', index: origin.combine.stateIndex, name: '', type: OID.bytea, typmod: -1, location };
  const impl = origin.combine.create();
  const index = env.aggregates!.add({
    name: 'combine',
    args: [states],
    argTypes: [OID.bytea],
    star: false,
    distinct: false,
    order: [],
    filter,
    resultType: impl.resultType,
    location,
    impl,
    // Outer joins give NULL states for missing rows: they add nothing.
    strict: true,
  });
  return { kind: 'aggref', index, type: impl.resultType, typmod: -1, location };
}
