// Sends one executed statement's rows and completion to the client: the
// simple-query form (RowDescription + all rows + CommandComplete). The
// extended protocol sends portal rows itself (extended-query.ts). Both send
// the rows of a plan that gives them one at a time as they are made
// (sendRowsAsRead; a row-limited Execute up to its limit, sendCursorRows,
// the rest made by later Executes): a view's scan then holds none of them,
// a slow client holds the scan rather than a queue of its rows, and an
// error midway follows the rows before it, as in PostgreSQL.
import type { Portal, Session } from './session.js';
import { closeCursor } from './portal-map.js';
import type { ExecResult, ResultColumn, RowSink, StatementPlan } from './statement-plan.js';
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
  if (result.sentRows !== undefined) {
    out.commandComplete(completionTag(result.tag, result.sentRows));
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

/**
 * The simple-query form's sink for a plan's rows sent as they are made:
 * RowDescription then DataRows, or for COPY ... TO STDOUT, CopyOutResponse
 * then CopyData lines and CopyDone (sendResult sends CommandComplete).
 * Undefined for a plan that returns no rows.
 */
export function simpleQueryRowSink(session: Session, plan: StatementPlan): RowSink | undefined {
  const { out } = session;
  const columns = plan.columns;
  if (columns) {
    return (rows) => {
      const formats = new Array<number>(columns.length).fill(0);
      out.rowDescription(columns, formats);
      return sendRowsAsRead(session, columns, formats, rows);
    };
  }
  const copy = plan.copyOutAsRead;
  if (!copy) return undefined;
  return async (rows) => {
    const encoder = new CopyLineEncoder(copy.columns, copy.format, session.settings.ioContext());
    out.copyOutResponse(0, new Array(copy.columns.length).fill(0));
    if (copy.format.header) out.copyDataText(encoder.header());
    const n = await sendAsRead(session, rows, (row) => out.copyDataText(encoder.line(row)));
    out.copyDone();
    return n;
  };
}

/** DataRow messages for rows as they are read (see sendAsRead); answers how many. */
export function sendRowsAsRead(
  session: Pick<Session, 'out' | 'settings' | 'checkInterrupts'>,
  columns: ResultColumn[],
  formats: number[],
  rows: Iterable<unknown[]>,
): Promise<number> {
  const encoder = new RowEncoder(columns, formats, session.settings.ioContext());
  const { out } = session;
  return sendAsRead(session, rows, (row) => out.dataRow(row, encoder));
}

/**
 * Sends each row as it is read (`send`), none kept; answers how many.
 * When the client reads slower than the rows are made, the next row waits
 * until its socket drains (the rows' source, a view's scan, holds its
 * snapshot meanwhile, as a PostgreSQL portal does), and the event loop
 * serves other sessions; a cancel or timeout that came meanwhile ends the
 * statement there.
 */
async function sendAsRead(session: Pick<Session, 'out' | 'checkInterrupts'>, rows: Iterable<unknown[]>, send: (row: unknown[]) => void): Promise<number> {
  const { out } = session;
  let n = 0;
  for (const row of rows) {
    send(row);
    n++;
    if (out.mustWait) {
      await out.waitForDrain();
      session.checkInterrupts();
    }
  }
  return n;
}

/**
 * DataRows for the next rows of a portal's cursor, up to `limit` (0: every
 * one left), made and sent as sendAsRead does; answers how many. The cursor
 * is dropped (portal.cursor null) once it has no row left, and closed if it
 * fails; else it stays open for the next Execute.
 */
export async function sendCursorRows(
  session: Pick<Session, 'out' | 'settings' | 'checkInterrupts'>,
  columns: ResultColumn[],
  portal: Portal,
  limit: number,
): Promise<number> {
  const cursor = portal.cursor!;
  const encoder = new RowEncoder(columns, portal.resultFormats, session.settings.ioContext());
  const { out } = session;
  let n = 0;
  try {
    while (limit <= 0 || n < limit) {
      const step = cursor.next();
      if (step.done) {
        portal.cursor = null;
        break;
      }
      out.dataRow(step.value, encoder);
      n++;
      if (out.mustWait) {
        await out.waitForDrain();
        session.checkInterrupts();
      }
    }
  } catch (e) {
    closeCursor(portal);
    throw e;
  }
  return n;
}

/** SELECT and COPY tags carry the row count. */
export function completionTag(tag: string, rowCount: number): string {
  return tag === 'SELECT' || tag === 'COPY' ? `${tag} ${rowCount}` : tag;
}
