// What planning a statement produces: the parameter types and result columns a
// client can Describe, and the code that executes it. Simple Query, Parse/Bind/
// Execute and SQL PREPARE/EXECUTE all go through these plans.
import type { Session } from './session.js';
import type { CopyFormat } from './copy-out-format.js';

export interface ResultColumn {
  name: string;
  typeOid: number;
  typmod: number;
  /** Source table OID and column number, 0 when the column is computed. */
  tableOid: number;
  columnAttr: number;
}

export interface ExecResult {
  /** Rows, for statements that return them (plan.columns !== null). */
  rows?: unknown[][];
  /** CommandComplete tag; for row-returning statements the row count is appended by the caller when tag is 'SELECT'. */
  tag: string;
  /** COPY ... TO STDOUT: `rows` are sent as CopyData lines of this format. */
  copyOut?: { columns: ResultColumn[]; format: CopyFormat };
  /** The rows went to the client as they were made (StatementPlan.rowsAsRead): how many (no `rows` then). */
  sentRows?: number;
}

/** Sends a statement's rows to the client as they are read (RowDescription first where the protocol has it); answers how many. */
export type RowSink = (rows: Iterable<unknown[]>) => Promise<number>;

export interface StatementPlan {
  /** The parse-tree node type, e.g. "SelectStmt", "VariableSetStmt". */
  readonly kind: string;
  readonly paramTypes: number[];
  /** null: the statement returns no rows (Describe answers NoData). */
  readonly columns: ResultColumn[] | null;
  /** Allowed while the transaction is failed (ROLLBACK, COMMIT, ROLLBACK TO). */
  readonly allowedInFailedTransaction?: boolean;
  execute(session: Session, params: unknown[]): ExecResult | Promise<ExecResult>;
  /**
   * The rows one at a time, made as the caller reads them
   * (SelectPlan.rowsAsRead), instead of execute(); null when the statement
   * cannot give them so.
   */
  rowsAsRead?(session: Session, params: unknown[]): Iterable<unknown[]> | null;
  /** COPY (query) TO STDOUT: its rowsAsRead go out as CopyData lines of this format (tag COPY). */
  readonly copyOutAsRead?: { columns: ResultColumn[]; format: CopyFormat };
}

export function computedColumn(name: string, typeOid: number, typmod = -1): ResultColumn {
  return { name, typeOid, typmod, tableOid: 0, columnAttr: 0 };
}
