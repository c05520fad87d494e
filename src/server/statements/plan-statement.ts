// Routes a parsed statement to the planner for its kind.
import { PgError, SQLSTATE } from '../../errors.js';
import type { ParsedStatement } from '../../sql/parse-statements.js';
import type { Session } from '../session.js';
import type { StatementPlan } from '../statement-plan.js';
import { isTransactionExitKind } from '../transaction.js';
import { planVariableSet, planVariableShow } from './settings-statements.js';
import { planTransaction } from './transaction-statements.js';
import { planCreateDatabase, planDropDatabase } from './database-statements.js';
import { planAlterRole, planCreateRole, planDropRole, planRenameRole } from './role-statements.js';
import { planDiscard } from './discard-statement.js';
import { planListen, planNotify, planUnlisten } from './notify-statements.js';
import { planSelectStatement } from './select-statement.js';
import { planDeallocate, planExecute, planPrepare } from './prepare-statements.js';
import { planCopy } from './copy-statement.js';
import { LITERAL_INSERT, planInsert, planLiteralStreamInsert } from './insert-statement.js';
import { planAlterStream, planCreateStream } from './pipeline-stream-statements.js';
import { isPipelineDrop, planDropPipelineRelations } from './pipeline-drop-statements.js';
import { planActivate, planCreateView, planTruncateContinuousView } from './pipeline-view-statements.js';
import { planCreateExtension, planCreateServer } from './pipeline-extension-statements.js';

/** Statements PostgreSQL still runs in a failed transaction. */
export function allowedInFailedTransaction(stmt: ParsedStatement): boolean {
  return stmt.kind === 'TransactionStmt' && isTransactionExitKind(stmt.node.TransactionStmt.kind);
}

export function planStatement(session: Session, stmt: ParsedStatement, paramTypes: number[]): StatementPlan {
  const node = stmt.node[stmt.kind];
  switch (stmt.kind) {
    case 'InsertStmt':
      return planInsert(session, node, paramTypes);
    case LITERAL_INSERT:
      return planLiteralStreamInsert(node);
    case 'SelectStmt':
      return planSelectStatement(session, node, paramTypes);
    case 'VariableSetStmt':
      return planVariableSet(node);
    case 'VariableShowStmt':
      return planVariableShow(node, session);
    case 'TransactionStmt':
      return planTransaction(node);
    case 'PrepareStmt':
      return planPrepare(session, node, stmt.text);
    case 'ExecuteStmt':
      return planExecute(session, node);
    case 'DeallocateStmt':
      return planDeallocate(node);
    case 'DiscardStmt':
      return planDiscard(node);
    case 'CreatedbStmt':
      return planCreateDatabase(node);
    case 'DropdbStmt':
      return planDropDatabase(node);
    case 'CreateRoleStmt':
      return planCreateRole(node);
    case 'AlterRoleStmt':
      return planAlterRole(node);
    case 'DropRoleStmt':
      return planDropRole(node);
    case 'RenameStmt':
      if (node.renameType === 'OBJECT_ROLE') return planRenameRole(node);
      break;
    case 'ListenStmt':
      return planListen(node);
    case 'UnlistenStmt':
      return planUnlisten(node);
    case 'NotifyStmt':
      return planNotify(node);
    case 'CopyStmt':
      return planCopy(session, node);
    // Streams and continuous queries (PipelineDB 1.0 syntax; 0.9's is rewritten to it while parsing).
    case 'CreateForeignTableStmt':
      return planCreateStream(node, stmt.text);
    case 'AlterTableStmt':
      if (node.objtype === 'OBJECT_FOREIGN_TABLE') return planAlterStream(node, stmt.text);
      break;
    case 'DropStmt':
      if (isPipelineDrop(node)) return planDropPipelineRelations(node, stmt.text);
      break;
    case 'ViewStmt':
      return planCreateView(node, stmt.text);
    case 'PipelineTruncateStmt':
      return planTruncateContinuousView(node);
    case 'PipelineActivateStmt':
      return planActivate(node);
    case 'CreateExtensionStmt':
      return planCreateExtension(node);
    case 'CreateForeignServerStmt':
      return planCreateServer(node);
    case 'CheckPointStmt':
      return noop('CheckPointStmt', 'CHECKPOINT', (s) => {
        if (!s.freshRole()?.superuser) throw new PgError(SQLSTATE.insufficient_privilege, 'must be superuser to do CHECKPOINT');
      });
  }
  throw new PgError(SQLSTATE.feature_not_supported, `${describeStatement(stmt)} is not supported`);
}

function noop(kind: string, tag: string, check: (s: Session) => void): StatementPlan {
  return {
    kind,
    paramTypes: [],
    columns: null,
    execute(session) {
      check(session);
      return { tag };
    },
  };
}

/** The statement's leading keywords, as a user would name it ("CREATE TABLE"). */
function describeStatement(stmt: ParsedStatement): string {
  const words = stmt.text.replace(/\s+/g, ' ').trim().split(' ');
  const first = (words[0] ?? '').toUpperCase();
  const second = (words[1] ?? '').toUpperCase();
  const twoWord = ['CREATE', 'DROP', 'ALTER', 'GRANT', 'REVOKE', 'COMMENT', 'SECURITY', 'REFRESH', 'IMPORT', 'LOCK'];
  return twoWord.includes(first) && second ? `${first} ${second.replace(/[^A-Z_]/g, '')}` : first;
}
