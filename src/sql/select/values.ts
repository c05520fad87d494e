// VALUES lists: each column takes the common type of its entries; columns
// are named column1, column2, ...
import { PgError, SQLSTATE } from '../../errors.js';
import { OID } from '../../types/oids.js';
import type { EvalContext } from '../functions/catalog.js';
import { leftmostLocation, type AstNode } from '../expr/ast.js';
import { analyzeExpr } from '../expr/analyze.js';
import { coerceToCommonType, selectCommonType } from '../expr/coerce.js';
import { compile } from '../expr/compile.js';
import type { ExprEnv } from '../expr/scope.js';
import type { EvalFn, TypedExpr } from '../expr/typed-expr.js';
import type { OutputColumn, SelectPlan } from './relation.js';
import { planLimit, planOutputOrder, type PlanContext } from './plan-select.js';
import { sortRows } from './sort.js';
import { INTERRUPT_MASK } from '../functions/row-meter.js';

/**
 * A row of a multi-row VALUES (a query's, or an INSERT's) whose length
 * differs from the first row's; `location` is its first expression's
 * leftmost token, where PostgreSQL points.
 */
export function valuesListsLengthError(location: number): PgError {
  return new PgError(SQLSTATE.syntax_error, 'VALUES lists must all be the same length', location >= 0 ? { position: location + 1 } : {});
}

export function planValues(body: AstNode, pctx: PlanContext, base: ExprEnv, resolveUnknowns: boolean): SelectPlan {
  const env: ExprEnv = { ...base, aggregates: null, srfs: null, clause: 'values' };
  const lists = (body.valuesLists as AstNode[]).map((l) => (l.List?.items ?? []) as unknown[]);
  const width = lists[0].length;
  const rows: TypedExpr[][] = lists.map((items) => {
    if (items.length !== width) throw valuesListsLengthError(leftmostLocation(items[0]));
    return items.map((x) => analyzeExpr(x, env));
  });
  const columns: OutputColumn[] = [];
  for (let c = 0; c < width; c++) {
    const col = rows.map((r) => r[c]);
    const allUnknown = col.every((e) => e.type === OID.unknown);
    const type = allUnknown && !resolveUnknowns ? OID.unknown : selectCommonType(col, 'VALUES');
    const coerced = type === OID.unknown ? col : coerceToCommonType(col, type, 'VALUES', env);
    rows.forEach((r, i) => (r[c] = coerced[i]));
    const typmod = coerced.every((e) => e.typmod === coerced[0].typmod) ? coerced[0].typmod : -1;
    columns.push({ name: `column${c + 1}`, typeOid: type, typmod });
  }
  const fns: EvalFn[][] = rows.map((r) => r.map(compile));
  const order = planOutputOrder(body, columns, 'VALUES');
  const limit = planLimit(body, pctx, order);
  const noRow: unknown[] = [];
  return {
    columns,
    run(ctx: EvalContext) {
      // LIMIT / OFFSET are evaluated before any row is made, as PostgreSQL does.
      const { needed, cut } = limit(ctx);
      // Without ORDER BY only the rows LIMIT can return are computed.
      const n = !order && needed !== null ? Math.min(needed, fns.length) : fns.length;
      ctx.countRows(n);
      const out: unknown[][] = new Array(n);
      for (let i = 0; i < n; i++) {
        if ((i & INTERRUPT_MASK) === INTERRUPT_MASK) ctx.checkInterrupts();
        out[i] = fns[i].map((f) => f(noRow, ctx));
      }
      if (order) sortRows(out, order, ctx);
      return cut(out);
    },
  };
}
