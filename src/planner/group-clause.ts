// GROUP BY items as PostgreSQL resolves them: an integer constant is a
// select-list position, a bare name that is not an input column names an
// output column, anything else is an expression over the input row.
// (The same rules as src/sql/select/plan-select.ts, which keeps its helpers private.)
import { PgError, SQLSTATE } from '../errors.js';
import { nodeKind, type AstNode } from '../sql/expr/ast.js';
import { analyzeExpr } from '../sql/expr/analyze.js';
import { resolveUnknownAsText } from '../sql/expr/coerce.js';
import type { ExprEnv } from '../sql/expr/scope.js';
import type { TypedExpr } from '../sql/expr/typed-expr.js';

export interface NamedTarget {
  name: string;
  expr: TypedExpr;
  /** The target as written is one aggregate call. */
  aggregateCall?: boolean;
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

/** The group expressions of a GROUP BY list; `env` must not allow aggregates. */
export function resolveGroupBy(items: AstNode[], targets: readonly NamedTarget[], env: ExprEnv): TypedExpr[] {
  const out: TypedExpr[] = [];
  for (const g of items) {
    const [kind] = nodeKind(g);
    if (kind === 'GroupingSet') {
      throw new PgError(SQLSTATE.feature_not_supported, 'continuous queries don\'t support grouping sets');
    }
    const pos = intConst(g);
    if (pos !== null) {
      if (pos < 1 || pos > targets.length) {
        throw new PgError(SQLSTATE.invalid_column_reference, `GROUP BY position ${pos} is not in select list`, {
          position: (g.A_Const.location ?? 0) + 1,
        });
      }
      out.push(targets[pos - 1].expr);
      continue;
    }
    const name = singleName(g);
    if (name !== null && !env.scope.resolveColumn([name], -1)) {
      const t = targets.find((x) => x.name === name);
      if (t) {
        out.push(t.expr);
        continue;
      }
    }
    out.push(resolveUnknownAsText(analyzeExpr(g, env), env));
  }
  return out;
}
