// BEGIN / COMMIT / ROLLBACK / SAVEPOINT / RELEASE / ROLLBACK TO.
import { PgError, SQLSTATE } from '../../errors.js';
import type { Session } from '../session.js';
import type { StatementPlan } from '../statement-plan.js';
import { isTransactionExitKind } from '../transaction.js';
import { optionText } from './option-values.js';

function warn(session: Session, code: string, message: string): void {
  session.notice(new PgError(code, message, { severity: 'WARNING' }));
}

/** Transaction options on BEGIN / START TRANSACTION apply as SET LOCAL transaction_*. */
function applyOptions(session: Session, options: any[] | undefined): void {
  for (const d of options ?? []) {
    const item = d.DefElem;
    session.settings.set(String(item.defname), [{ kind: 'string', value: optionText(item) ?? '' }], true);
  }
}

export function planTransaction(node: any): StatementPlan {
  const kind: string = node.kind;
  const savepoint: string | undefined = node.savepoint_name;
  const allowedInFailedTransaction = isTransactionExitKind(kind);
  return {
    kind: 'TransactionStmt',
    paramTypes: [],
    columns: null,
    allowedInFailedTransaction,
    execute(session) {
      const tx = session.tx;
      switch (kind) {
        case 'TRANS_STMT_BEGIN':
        case 'TRANS_STMT_START': {
          const warning = tx.begin();
          if (warning) warn(session, SQLSTATE.active_sql_transaction, warning);
          applyOptions(session, node.options);
          return { tag: kind === 'TRANS_STMT_BEGIN' ? 'BEGIN' : 'START TRANSACTION' };
        }
        case 'TRANS_STMT_COMMIT': {
          if (node.chain) throw new PgError(SQLSTATE.feature_not_supported, 'COMMIT AND CHAIN is not supported');
          const { tag, warning } = tx.commit();
          if (warning) warn(session, SQLSTATE.no_active_sql_transaction, warning);
          return { tag };
        }
        case 'TRANS_STMT_ROLLBACK': {
          const { warning } = tx.rollback();
          if (warning) warn(session, SQLSTATE.no_active_sql_transaction, warning);
          return { tag: 'ROLLBACK' };
        }
        case 'TRANS_STMT_SAVEPOINT':
          tx.savepoint(savepoint!);
          return { tag: 'SAVEPOINT' };
        case 'TRANS_STMT_RELEASE':
          tx.release(savepoint!);
          return { tag: 'RELEASE' };
        case 'TRANS_STMT_ROLLBACK_TO':
          tx.rollbackTo(savepoint!);
          return { tag: 'ROLLBACK' };
        case 'TRANS_STMT_PREPARE': {
          // Like PostgreSQL with max_prepared_transactions = 0: the transaction ends either way.
          const failed = tx.isFailed;
          const { warning } = tx.rollback();
          if (warning) warn(session, SQLSTATE.no_active_sql_transaction, warning);
          if (failed || warning) return { tag: 'ROLLBACK' };
          throw new PgError(SQLSTATE.object_not_in_prerequisite_state, 'prepared transactions are disabled', {
            hint: 'Set max_prepared_transactions to a nonzero value.',
          });
        }
        default:
          // COMMIT PREPARED / ROLLBACK PREPARED: no transaction can have been prepared.
          throw new PgError(SQLSTATE.undefined_object, `prepared transaction with identifier "${node.gid}" does not exist`);
      }
    },
  };
}
