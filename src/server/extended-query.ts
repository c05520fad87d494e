// The extended query protocol: Parse / Bind / Describe / Execute / Close /
// Sync / Flush. After an error every message up to the next Sync is skipped,
// as PostgreSQL does; the implicit transaction spans the messages up to Sync.
import { PgError, SQLSTATE, toPgError } from '../errors.js';
import { parseStatements } from '../sql/parse-statements.js';
import { getBinaryInput, getTextInput } from '../types/type-io.js';
import { OID } from '../types/oids.js';
import { decodeClientText } from '../wire/client-text.js';
import type { Portal, PreparedStatement, Session } from './session.js';
import { allowedInFailedTransaction, planStatement } from './statements/plan-statement.js';
import { failedTransactionError } from './transaction.js';
import { completionTag, sendCursorRows, sendResult, sendRows, sendRowsAsRead } from './send-result.js';

export function handleParse(session: Session, name: string, sql: string, paramTypes: number[]): void {
  const statements = parseStatements(sql);
  if (statements.length > 1) {
    throw new PgError(SQLSTATE.syntax_error, 'cannot insert multiple commands into a prepared statement');
  }
  const stmt = statements[0];
  if (stmt && session.tx.isFailed && !allowedInFailedTransaction(stmt)) throw failedTransactionError();
  if (name !== '' && session.prepared.has(name)) {
    throw new PgError(SQLSTATE.duplicate_prepared_statement, `prepared statement "${name}" already exists`);
  }
  session.tx.ensureStarted();
  const plan = stmt ? planStatement(session, stmt, paramTypes) : null;
  session.prepared.set(name, { name, plan });
  session.out.parseComplete();
}

export function handleBind(
  session: Session,
  portalName: string,
  statementName: string,
  paramFormats: number[],
  values: (Buffer | null)[],
  resultFormats: number[],
): void {
  const statement = lookupStatement(session, statementName);
  const plan = statement.plan;
  if (session.tx.isFailed && !(plan?.allowedInFailedTransaction ?? false)) throw failedTransactionError();
  // The portal belongs to the (implicit) transaction, which Sync ends.
  session.tx.ensureStarted();
  const paramTypes = plan?.paramTypes ?? [];
  if (values.length !== paramTypes.length) {
    throw new PgError(
      SQLSTATE.protocol_violation,
      `bind message supplies ${values.length} parameters, but prepared statement "${statementName}" requires ${paramTypes.length}`,
    );
  }
  if (paramFormats.length > 1 && paramFormats.length !== values.length) {
    throw new PgError(SQLSTATE.protocol_violation, `bind message has ${paramFormats.length} parameter formats but ${values.length} parameters`);
  }
  const io = session.settings.ioContext();
  const params = values.map((buf, i) => {
    if (buf === null) return null;
    const format = paramFormats.length === 0 ? 0 : paramFormats.length === 1 ? paramFormats[0]! : paramFormats[i]!;
    const type = paramTypes[i]!;
    try {
      if (format === 1) return getBinaryInput(type)(buf, -1, io);
      if (format !== 0) throw new PgError(SQLSTATE.invalid_parameter_value, `unsupported format code: ${format}`);
      return getTextInput(type === OID.unknown ? OID.text : type)(decodeClientText(buf), -1, io);
    } catch (e) {
      // PostgreSQL names the parameter when its binary value has bytes left over.
      if (e instanceof PgError && format === 1 && e.code === SQLSTATE.invalid_binary_representation) {
        throw new PgError(e.code, `incorrect binary data format in bind parameter ${i + 1}`);
      }
      throw e;
    }
  });
  const columnCount = plan?.columns?.length ?? 0;
  if (resultFormats.length > 1 && resultFormats.length !== columnCount) {
    throw new PgError(SQLSTATE.protocol_violation, `bind message has ${resultFormats.length} result formats but query has ${columnCount} columns`);
  }
  for (const f of resultFormats) {
    if (f !== 0 && f !== 1) throw new PgError(SQLSTATE.invalid_parameter_value, `unsupported format code: ${f}`);
  }
  const formats = expandFormats(resultFormats, columnCount);
  if (portalName !== '' && session.portals.has(portalName)) {
    throw new PgError(SQLSTATE.duplicate_cursor, `cursor "${portalName}" already exists`);
  }
  const portal: Portal = { name: portalName, statement, params, resultFormats: formats, result: null, nextRow: 0, cursor: null };
  session.portals.set(portalName, portal);
  session.out.bindComplete();
}

export function handleDescribe(session: Session, kind: 'S' | 'P', name: string): void {
  const { out } = session;
  if (kind === 'S') {
    const statement = lookupStatement(session, name);
    out.parameterDescription(statement.plan?.paramTypes ?? []);
    const columns = statement.plan?.columns;
    if (columns) out.rowDescription(columns, new Array(columns.length).fill(0));
    else out.noData();
    return;
  }
  const portal = lookupPortal(session, name);
  const columns = portal.statement.plan?.columns;
  if (columns) out.rowDescription(columns, portal.resultFormats);
  else out.noData();
}

export async function handleExecute(session: Session, portalName: string, maxRows: number): Promise<void> {
  const portal = lookupPortal(session, portalName);
  const plan = portal.statement.plan;
  const { out, tx } = session;
  if (!plan) {
    out.emptyQueryResponse();
    return;
  }
  if (tx.isFailed && !plan.allowedInFailedTransaction) throw failedTransactionError();
  if (portal.cursor) {
    // A later Execute of a row-limited portal: its next rows, made now.
    const columns = plan.columns!;
    const sent = await session.runStatement(() => sendCursorRows(session, columns, portal, maxRows));
    if (portal.cursor) out.portalSuspended();
    else out.commandComplete(completionTag(portal.result!.tag, sent));
    return;
  }
  if (portal.result === null) {
    tx.ensureStarted();
    // Rows a plan gives one at a time go out as they are made: every row at
    // once, or, for a row limit, up to it, the rest left in the portal's
    // cursor for the next Execute.
    const columns = plan.columns;
    const sink = !columns
      ? undefined
      : maxRows <= 0
        ? (rows: Iterable<unknown[]>) => sendRowsAsRead(session, columns, portal.resultFormats, rows)
        : (rows: Iterable<unknown[]>) => {
            portal.cursor = rows[Symbol.iterator]();
            return sendCursorRows(session, columns, portal, maxRows);
          };
    portal.result = await session.executePlan(plan, portal.params, sink);
    // Like PostgreSQL's executor, a portal that delivered exactly maxRows does not
    // yet know it is exhausted: it suspends, and the next Execute completes it.
    if (portal.cursor) {
      out.portalSuspended();
      return;
    }
    // Sent already (but CommandComplete), or a statement that returns no rows.
    if (portal.result.sentRows !== undefined || !plan.columns) {
      sendResult(session, plan, portal.result, portal.resultFormats);
      return;
    }
  } else if (!plan.columns) {
    // A utility statement runs once per portal.
    throw new PgError(SQLSTATE.object_not_in_prerequisite_state, `portal "${portal.name}" cannot be run`);
  }
  const rows = portal.result.rows ?? [];
  const start = portal.nextRow;
  const end = maxRows > 0 ? Math.min(rows.length, start + maxRows) : rows.length;
  sendRows(session, plan.columns!, portal.resultFormats, rows, start, end);
  portal.nextRow = end;
  // Like PostgreSQL's executor, a portal that delivered exactly maxRows does not
  // yet know it is exhausted: it suspends, and the next Execute completes it.
  if (maxRows > 0 && end - start === maxRows) out.portalSuspended();
  else out.commandComplete(completionTag(portal.result.tag, end - start));
}

export function handleClose(session: Session, kind: 'S' | 'P', name: string): void {
  if (kind === 'S') session.prepared.delete(name);
  else session.portals.delete(name);
  session.out.closeComplete();
}

/** Sync: ends the implicit transaction and reports readiness. */
export function handleSync(session: Session): void {
  try {
    session.tx.finishImplicit();
  } catch (e) {
    // The implicit transaction's commit failed (and was rolled back).
    session.out.error(toPgError(e));
  }
  session.readyForQuery();
}

function lookupStatement(session: Session, name: string): PreparedStatement {
  const s = session.prepared.get(name);
  if (!s) {
    throw new PgError(
      SQLSTATE.invalid_sql_statement_name,
      name === '' ? 'unnamed prepared statement does not exist' : `prepared statement "${name}" does not exist`,
    );
  }
  return s;
}

function lookupPortal(session: Session, name: string): Portal {
  const p = session.portals.get(name);
  if (!p) throw new PgError(SQLSTATE.invalid_cursor_name, name === '' ? 'portal "" does not exist' : `portal "${name}" does not exist`);
  return p;
}

function expandFormats(formats: number[], count: number): number[] {
  if (formats.length === 0) return new Array(count).fill(0);
  if (formats.length === 1) return new Array(count).fill(formats[0]);
  return formats;
}
