// The simple Query message: one string, possibly several statements, each
// planned right before it runs (so a SET affects the statements after it),
// all inside one implicit transaction unless the string controls transactions.
import { toPgError } from '../errors.js';
import { failedTransactionError } from './transaction.js';
import { parseStatements } from '../sql/parse-statements.js';
import { literalStreamInsert } from './statements/insert-statement.js';
import type { Session } from './session.js';
import { allowedInFailedTransaction, planStatement } from './statements/plan-statement.js';
import { sendResult, simpleQueryRowSink } from './send-result.js';

export async function runSimpleQuery(session: Session, sql: string): Promise<void> {
  const { out, tx } = session;
  try {
    // INSERT ... VALUES of literals into a stream skips the full parser.
    const statements = literalStreamInsert(session, sql) ?? parseStatements(sql);
    if (statements.length === 0) {
      out.emptyQueryResponse();
    }
    tx.setMultiStatement(statements.length > 1);
    for (const stmt of statements) {
      // In a failed transaction only ROLLBACK and friends are even analyzed.
      if (tx.isFailed && !allowedInFailedTransaction(stmt)) throw failedTransactionError();
      tx.ensureStarted();
      const plan = planStatement(session, stmt, []);
      const result = await session.executePlan(plan, [], simpleQueryRowSink(session, plan));
      sendResult(session, plan, result, null);
    }
    tx.finishImplicit();
  } catch (e) {
    out.error(toPgError(e));
    tx.markFailed();
  } finally {
    tx.setMultiStatement(false);
  }
  session.readyForQuery();
}
