// The catalog of callable functions and operators. Function-library files
// register definitions here at import time; the expression analyzer resolves
// calls against it (by name, then by argument types with implicit casts) and
// compiles each call into a closure that calls `impl` directly.
import type { TypeIoContext } from '../../types/io-context.js';

export type Volatility = 'immutable' | 'stable' | 'volatile';

/** What a running expression can ask of its session. */
export interface SessionHooks {
  currentUser(): string;
  sessionUser(): string;
  currentDatabase(): string;
  currentSchema(): string;
  backendPid(): number;
  /** Value of a setting as SHOW prints it; throws 42704 for unknown names unless missingOk. */
  getSetting(name: string, missingOk: boolean): string | null;
  /** set_config(): applies a setting and returns its new value as SHOW prints it. */
  setSetting(name: string, value: string, isLocal: boolean): string;
  /** pg_notify(): queues a notification, sent when the transaction commits. */
  notify(channel: string, payload: string): void;
  /** pg_sleep(): the statement waits (cancellably) after the row is computed. */
  requestSleep(seconds: number): void;
  /** pg_cancel_backend(): true when a backend with that pid was signalled. */
  cancelBackend(pid: number): boolean;
  /** pg_terminate_backend() */
  terminateBackend(pid: number): boolean;
  serverVersion(): string;
}

export interface EvalContext {
  io: TypeIoContext;
  hooks: SessionHooks;
  /** now() / transaction_timestamp(): microseconds since 2000-01-01 UTC, fixed per transaction. */
  transactionTimestamp: number;
  /** statement_timestamp(), fixed per statement. */
  statementTimestamp: number;
  /** Bound parameter values ($1 is params[0]). */
  params: unknown[];
  /**
   * Long loops (set-returning functions, scans, sorts, aggregation) call this
   * every few thousand rows: it throws 57014 when the statement was cancelled
   * or ran past statement_timeout.
   */
  checkInterrupts(): void;
  /**
   * Called with the number of rows a statement is about to hold in memory
   * (materialized results, set-returning function output, sort buffers); throws
   * 53200 when the statement's total exceeds the server's limit, so one query
   * cannot exhaust the process's memory.
   */
  countRows(n: number): void;
}

/**
 * A function signature. Argument types are type OIDs; the pseudo-types
 * OID.any, OID.anyelement, OID.anyarray and OID.anynonarray are polymorphic as
 * in PostgreSQL (all `anyelement` arguments share one type, `anyarray` is its
 * array type).
 */
export interface FunctionDef {
  /** Lower-case SQL name, e.g. "lower", "date_trunc". */
  name: string;
  args: number[];
  /** When set, any number (>= 0) of further arguments of this type follow `args` (VARIADIC). */
  variadic?: number;
  /** Result type OID, or a function of the resolved argument types (for polymorphic results). */
  ret: number | ((argTypes: number[]) => number);
  /** true: any NULL argument yields NULL without calling impl. */
  strict: boolean;
  volatility: Volatility;
  /** Returns a set (e.g. generate_series); impl then returns an array of rows' values. */
  returnsSet?: boolean;
  impl: (args: unknown[], ctx: EvalContext, argTypes: number[]) => unknown;
  /**
   * For a set-returning function: the same values one at a time, for a FROM
   * item read by a consumer that keeps few of them (an aggregate, a LIMIT).
   * Its values are not counted (ctx.countRows); the consumer counts what it keeps.
   */
  lazy?: (args: unknown[], ctx: EvalContext) => Iterable<unknown>;
}

/** A binary (left !== null) or prefix (left === null) operator. */
export interface OperatorDef {
  name: string; // "+", "||", "->>", "~~" ...
  left: number | null;
  right: number;
  ret: number | ((argTypes: number[]) => number);
  strict: boolean;
  /** Default immutable: most operators are (timestamptz ones are stable). */
  volatility?: Volatility;
  impl: (args: unknown[], ctx: EvalContext, argTypes: number[]) => unknown;
}

const functions = new Map<string, FunctionDef[]>();
const operators = new Map<string, OperatorDef[]>();

export function registerFunction(...defs: FunctionDef[]): void {
  for (const d of defs) {
    let list = functions.get(d.name);
    if (!list) functions.set(d.name, (list = []));
    list.push(d);
  }
}

export function registerOperator(...defs: OperatorDef[]): void {
  for (const d of defs) {
    let list = operators.get(d.name);
    if (!list) operators.set(d.name, (list = []));
    list.push(d);
  }
}

export function functionCandidates(name: string): readonly FunctionDef[] {
  return functions.get(name) ?? [];
}

export function operatorCandidates(name: string): readonly OperatorDef[] {
  return operators.get(name) ?? [];
}
