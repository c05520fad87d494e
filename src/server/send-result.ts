// Sends one executed statement's rows and completion to the client: the
// simple-query form (RowDescription + all rows + CommandComplete). The
// extended protocol sends portal rows itself (extended-query.ts).
import type { Session } from './session.js';
import type { ExecResult, StatementPlan } from './statement-plan.js';
import { RowEncoder } from './row-encoder.js';

export function sendResult(session: Session, plan: StatementPlan, result: ExecResult, formats: number[] | null): void {
  const { out } = session;
  if (result.copyOut) {
    out.copyOutResponse(0, new Array(result.copyOut.columnCount).fill(0));
    for (const line of result.copyOut.lines) out.copyDataText(line);
    out.copyDone();
    out.commandComplete(result.tag);
    return;
  }
  if (plan.columns) {
    const fmts = formats ?? new Array(plan.columns.length).fill(0);
    out.rowDescription(plan.columns, fmts);
    const rows = result.rows ?? [];
    const encoder = new RowEncoder(plan.columns, fmts, session.settings.ioContext());
    for (const row of rows) {
      out.dataRow(row, encoder);
    }
    out.commandComplete(completionTag(result.tag, rows.length));
    return;
  }
  out.commandComplete(result.tag);
}

/** SELECT (and FETCH/COPY-style) tags carry the row count. */
export function completionTag(tag: string, rowCount: number): string {
  return tag === 'SELECT' ? `SELECT ${rowCount}` : tag;
}
