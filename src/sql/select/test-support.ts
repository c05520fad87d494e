// Test helpers: parse a SELECT, plan it and print its rows as PostgreSQL's
// text output, the way a client would see them.
import { loadModule, parseSync } from 'libpg-query';
import { defaultIoContext, type TypeIoContext } from '../../types/io-context.js';
import { textOut } from '../../types/type-io.js';
import type { EvalContext } from '../functions/catalog.js';
import { TestLimits, testHooks } from '../functions/test-support.js';
import '../functions/index.js';
import { ParamTypes } from '../expr/scope.js';
import { planSelect, type PlanContext } from './plan-select.js';
import type { RelationProvider, SelectPlan } from './relation.js';

await loadModule();

export interface QueryResult {
  /** Column names. */
  names: string[];
  /** Column type OIDs. */
  types: number[];
  /** Rows as text (null for NULL). */
  rows: (string | null)[][];
}

export interface RunOptions {
  params?: unknown[];
  paramTypes?: number[];
  io?: Partial<TypeIoContext>;
  relations?: RelationProvider;
  /** now(): PG-epoch microseconds. */
  now?: number;
  /** checkInterrupts / countRows of the statement (default: no cancel, the server's row limit). */
  limits?: Pick<EvalContext, 'checkInterrupts' | 'countRows'>;
}

export function plan(sql: string, opts: RunOptions = {}): { plan: SelectPlan; paramTypes: number[] } {
  const stmt = parseSync(sql).stmts![0]!.stmt;
  const params = new ParamTypes(opts.paramTypes ? opts.paramTypes.slice() : []);
  const pctx: PlanContext = { params, io: { ...defaultIoContext(), ...opts.io }, relations: opts.relations ?? null };
  return { plan: planSelect(stmt, pctx), paramTypes: params.types };
}

export function evalContext(opts: RunOptions = {}): EvalContext {
  const now = opts.now ?? 837_000_000_000_000; // 2026-07-09 12:00:00 UTC
  const limits = opts.limits ?? new TestLimits();
  return {
    io: { ...defaultIoContext(), ...opts.io },
    hooks: testHooks(),
    transactionTimestamp: now,
    statementTimestamp: now,
    params: opts.params ?? [],
    checkInterrupts: limits.checkInterrupts,
    countRows: limits.countRows,
  };
}

export function query(sql: string, opts: RunOptions = {}): QueryResult {
  const { plan: p } = plan(sql, opts);
  const ctx = evalContext(opts);
  const rows = p.run(ctx);
  return {
    names: p.columns.map((c) => c.name),
    types: p.columns.map((c) => c.typeOid),
    rows: rows.map((r) => r.map((v, i) => (v === null ? null : textOut(p.columns[i].typeOid, v, ctx.io)))),
  };
}

/** The single value of a one-row, one-column query, as text. */
export function scalar(sql: string, opts: RunOptions = {}): string | null {
  const r = query(sql, opts);
  return r.rows[0][0];
}
