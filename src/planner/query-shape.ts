// Checks that a continuous view's parsed SELECT has the shape this planner
// compiles: `SELECT ... FROM <stream> [alias] [WHERE ...] [GROUP BY ...]`.
// Full validation (with PipelineDB's messages for every case) belongs to the
// DDL layer; here anything else is refused with 0A000 instead of being
// planned wrongly.
import { PgError, SQLSTATE } from '../errors.js';
import { locationOf, type AstNode } from '../sql/expr/ast.js';
import type { ContinuousViewDefinition } from './continuous-plan.js';

function unsupported(message: string, location?: number, hint?: string): PgError {
  return new PgError(SQLSTATE.feature_not_supported, message, {
    ...(location !== undefined && location >= 0 ? { position: location + 1 } : {}),
    ...(hint ? { hint } : {}),
  });
}

/** The SelectStmt body of the single statement, or an error. */
export function selectBody(stmts: { node: Record<string, any>; kind: string }[]): AstNode {
  if (stmts.length !== 1 || stmts[0].kind !== 'SelectStmt') {
    // 42P17: invalid_object_definition
    throw new PgError('42P17', 'continuous views can only be defined using SELECT queries');
  }
  return stmts[0].node.SelectStmt as AstNode;
}

/**
 * Validates the clauses around the target list and returns the name the
 * stream's columns are qualified by (its alias, else its name).
 */
export function checkQueryShape(body: AstNode, def: ContinuousViewDefinition): string {
  if (body.op && body.op !== 'SETOP_NONE') throw unsupported('continuous queries don\'t support set operations');
  if (body.valuesLists) throw unsupported('continuous queries must include a stream in the FROM clause');
  if (body.withClause) throw unsupported('continuous queries don\'t support CTEs', body.withClause.location);
  if (body.havingClause) {
    throw unsupported('continuous queries don\'t support HAVING clauses', undefined, 'Try using a WHERE clause on the continuous view instead.');
  }
  if (body.windowClause) throw unsupported('continuous queries don\'t support WINDOW functions');
  if (body.sortClause) throw unsupported('continuous queries don\'t support ORDER BY', body.sortClause[0]?.SortBy?.location);
  if (body.limitCount || body.limitOffset) throw unsupported('continuous queries don\'t support LIMIT or OFFSET');
  if (body.lockingClause) throw unsupported('continuous queries don\'t support FOR UPDATE/SHARE');
  if (body.intoClause) throw unsupported('continuous queries don\'t support SELECT INTO');

  const from = (body.fromClause ?? []) as AstNode[];
  if (from.length === 0) throw unsupported('continuous queries must include a stream in the FROM clause');
  if (from.length > 1 || !from[0].RangeVar) {
    const loc = locationOf(from[from.length > 1 ? 1 : 0]);
    throw unsupported('continuous queries over more than one relation (joins, sub-selects, functions) are not supported', loc);
  }
  const rv = from[0].RangeVar as AstNode;
  if (rv.relname !== def.stream.name) {
    throw unsupported(`continuous view "${def.name}" must read stream "${def.stream.name}", not "${rv.relname}"`, rv.location);
  }
  return (rv.alias?.aliasname as string | undefined) ?? rv.relname;
}
