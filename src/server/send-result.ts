// Sends one executed statement's rows and completion to the client: the
// simple-query form (RowDescription + all rows + CommandComplete). The
// extended protocol sends portal rows itself (extended-query.ts).
import type { Session } from './session.js';
import type { ExecResult, ResultColumn, StatementPlan } from './statement-plan.js';
import { RowEncoder } from './row-encoder.js';
import { CopyLineEncoder } from './copy-out-format.js';

export function sendResult(session: Session, plan: StatementPlan, result: ExecResult, formats: number[] | null): void {
  const { out } = session;
  if (result.copyOut) {
    const { columns, format } = result.copyOut;
    const encoder = new CopyLineEncoder(columns, format, session.settings.ioContext());
    out.copyOutResponse(0, new Array(columns.length).fill(0));
    if (format.header) out.copyDataText(encoder.header());
    for (const row of result.rows ?? []) out.copyDataText(encoder.line(row));
    out.copyDone();
    out.commandComplete(result.tag);
    return;
  }
  if (plan.columns) {
    const fmts = formats ?? new Array(plan.columns.length).fill(0);
    out.rowDescription(plan.columns, fmts);
    const rows = result.rows ?? [];
    sendRows(session, plan.columns, fmts, rows, 0, rows.length);
    out.commandComplete(completionTag(result.tag, rows.length));
    return;
  }
  out.commandComplete(result.tag);
}

/** DataRow messages for rows[start..end), encoded per column in the given formats. */
export function sendRows(session: Session, columns: ResultColumn[], formats: number[], rows: unknown[][], start: number, end: number): void {
  const encoder = new RowEncoder(columns, formats, session.settings.ioContext());
  const { out } = session;
  for (let i = start; i < end; i++) out.dataRow(rows[i]!, encoder);
}

/** SELECT (and FETCH/COPY-style) tags carry the row count. */
export function completionTag(tag: string, rowCount: number): string {
  return tag === 'SELECT' ? `SELECT ${rowCount}` : tag;
}
