// SQL-level PREPARE / EXECUTE / DEALLOCATE. They share the session's
// prepared-statement namespace with protocol-level Parse, as in PostgreSQL.
import { PgError, SQLSTATE } from '../../errors.js';
import { analyzeExpr, finishParams } from '../../sql/expr/analyze.js';
import { compile } from '../../sql/expr/compile.js';
import { coerceOrCastError } from '../../sql/expr/coerce.js';
import { newExprEnv, ParamTypes } from '../../sql/expr/scope.js';
import { resolveTypeName } from '../../sql/expr/typename.js';
import { locationOf } from '../../sql/expr/ast.js';
import type { Session } from '../session.js';
import type { StatementPlan } from '../statement-plan.js';
import { planStatement } from './plan-statement.js';

export function planPrepare(session: Session, node: any, text: string): StatementPlan {
  const name: string = node.name;
  const query = node.query as Record<string, any>;
  const kind = Object.keys(query)[0]!;
  const paramTypes = (node.argtypes ?? []).map((t: any) => resolveTypeName(t.TypeName).type);
  // The statement text after AS, for pg_prepared_statements.
  const innerText = text.replace(/^[\s\S]*?\bAS\b\s*/i, '');
  return {
    kind: 'PrepareStmt',
    paramTypes: [],
    columns: null,
    execute(s) {
      if (s.prepared.has(name)) throw new PgError(SQLSTATE.duplicate_prepared_statement, `prepared statement "${name}" already exists`);
      const plan = planStatement(s, { node: query, kind, text: innerText }, paramTypes);
      s.prepared.set(name, { name, plan });
      return { tag: 'PREPARE' };
    },
  };
}

export function planExecute(session: Session, node: any): StatementPlan {
  const name: string = node.name;
  const statement = session.prepared.get(name);
  if (!statement) throw new PgError(SQLSTATE.invalid_sql_statement_name, `prepared statement "${name}" does not exist`);
  const inner = statement.plan;
  if (!inner) throw new PgError(SQLSTATE.invalid_sql_statement_name, `prepared statement "${name}" does not exist`);
  const args: any[] = node.params ?? [];
  const expected = inner.paramTypes;
  if (args.length !== expected.length) {
    throw new PgError(SQLSTATE.syntax_error, `wrong number of parameters for prepared statement "${name}"`, {
      detail: `Expected ${expected.length} parameters but got ${args.length}.`,
    });
  }
  const env = newExprEnv(undefined, new ParamTypes([], false), session.settings.ioContext());
  env.clause = 'other';
  const exprs = args.map((a, i) => {
    const e = analyzeExpr(a, env);
    return coerceOrCastError(e, expected[i]!, -1, 'assignment', env, locationOf(a));
  });
  finishParams(exprs, env);
  const evaluators = exprs.map(compile);
  /** The EXECUTE's arguments, evaluated for one run. */
  const argumentsFor = (s: Session, params: unknown[]): unknown[] => {
    const ctx = s.evalContext(params);
    return evaluators.map((f) => f([], ctx));
  };
  const rowsAsRead = inner.rowsAsRead?.bind(inner);
  return {
    kind: inner.kind,
    paramTypes: [],
    columns: inner.columns,
    allowedInFailedTransaction: inner.allowedInFailedTransaction,
    execute: (s, params) => inner.execute(s, argumentsFor(s, params)),
    ...(rowsAsRead ? { rowsAsRead: (s: Session, params: unknown[]) => rowsAsRead(s, argumentsFor(s, params)) } : {}),
  };
}

export function planDeallocate(node: any): StatementPlan {
  const name: string | undefined = node.name;
  return {
    kind: 'DeallocateStmt',
    paramTypes: [],
    columns: null,
    execute(s) {
      if (node.isall || name === undefined) {
        // The unnamed protocol-level statement lives apart from the named ones in PostgreSQL.
        for (const k of [...s.prepared.keys()]) if (k !== '') s.prepared.delete(k);
        return { tag: 'DEALLOCATE ALL' };
      }
      if (!s.prepared.delete(name)) throw new PgError(SQLSTATE.invalid_sql_statement_name, `prepared statement "${name}" does not exist`);
      return { tag: 'DEALLOCATE' };
    },
  };
}
