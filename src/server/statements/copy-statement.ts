// COPY (query) TO STDOUT in text or csv format; COPY stream FROM STDIN is
// copy-from-statement.ts. Copying a relation out is "relation does not exist":
// streams cannot be read and views are read through a query.
import { PgError, SQLSTATE } from '../../errors.js';
import { readCopyOutFormat } from '../copy-out-format.js';
import type { Session } from '../session.js';
import type { StatementPlan } from '../statement-plan.js';
import { planSelectStatement } from './select-statement.js';
import { planCopyFrom } from './copy-from-statement.js';

export function planCopy(session: Session, node: any): StatementPlan {
  if (node.is_from && node.filename === undefined && !node.is_program) return planCopyFrom(session, node);
  if (!node.query) {
    throw new PgError(SQLSTATE.undefined_table, `relation "${node.relation?.relname}" does not exist`);
  }
  if (node.filename !== undefined || node.is_program) {
    throw new PgError(SQLSTATE.insufficient_privilege, 'COPY to or from a file is not supported; use COPY ... TO STDOUT / FROM STDIN', {
      hint: "Anyone can COPY to stdout or from stdin. psql's \\copy command also works for anyone.",
    });
  }
  const format = readCopyOutFormat(node.options);
  const query = node.query as Record<string, any>;
  if (!query.SelectStmt) throw new PgError(SQLSTATE.feature_not_supported, 'COPY query must be a SELECT');
  const select = planSelectStatement(session, query.SelectStmt, []);
  const columns = select.columns!;
  const rowsAsRead = select.rowsAsRead?.bind(select);
  return {
    kind: 'CopyStmt',
    paramTypes: [],
    columns: null,
    async execute(s, params) {
      const result = await select.execute(s, params);
      const rows = result.rows ?? [];
      return { tag: `COPY ${rows.length}`, rows, copyOut: { columns, format } };
    },
    // A simple query sends the rows of a query that gives them one at a time as they are made.
    ...(rowsAsRead ? { rowsAsRead, copyOutAsRead: { columns, format } } : {}),
  };
}
