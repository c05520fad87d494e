// Shared pieces of the engine acceptance suites: a seeded random source, the
// independent computation of expected view contents (with PostgreSQL's exact
// numeric output for avg), text-only queries, and psql runs that must succeed.
import assert from 'node:assert/strict';
import type pg from 'pg';
import { TEST_TARGET } from '../harness/paths.js';
import { runPsql, type ClientRunOptions, type ClientRunResult } from '../harness/psql.js';
import type { TestServer } from '../harness/server.js';
import { mulberry32 } from '../../src/testing/prng.js';

/** Streams and continuous views exist only on our server, not on the PostgreSQL 15 oracle. */
export const engineSkip: string | false = TEST_TARGET === 'pg15' ? 'streams and continuous views need the PipelineDB server' : false;

/** Server settings that make a stream INSERT return only once its rows are committed to every view. */
export const SYNC_COMMIT: Readonly<Record<string, string>> = { 'pipelinedb.stream_insert_level': 'sync_commit' };

/** A seeded generator of integers in [lo, hi]. */
export function seededInts(seed: number): (lo: number, hi: number) => number {
  const next = mulberry32(seed);
  return (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
}

const NUMERIC_MIN_SIG_DIGITS = 16;
const DEC_DIGITS = 4;

/** Weight (in base-10000 digits) and leading base-10000 digit of |n|, as PostgreSQL's numeric stores it. */
function nbaseShape(n: bigint): { weight: number; first: number } {
  if (n === 0n) return { weight: 0, first: 0 };
  const s = (n < 0n ? -n : n).toString();
  const groups = Math.ceil(s.length / DEC_DIGITS);
  return { weight: groups - 1, first: Number(s.slice(0, s.length - DEC_DIGITS * (groups - 1))) };
}

/**
 * Text of the numeric quotient a / b of two integers exactly as PostgreSQL
 * prints it: the result scale of select_div_scale (at least 16 significant
 * digits) and rounding half away from zero. avg() over integer columns is
 * numeric sum / count, so this is what the view must show.
 */
export function numericDivText(a: bigint, b: bigint): string {
  if (b === 0n) throw new Error('division by zero');
  const x = nbaseShape(a);
  const y = nbaseShape(b);
  let qweight = x.weight - y.weight;
  if (x.first <= y.first) qweight--;
  const rscale = Math.min(Math.max(NUMERIC_MIN_SIG_DIGITS - qweight * DEC_DIGITS, 0), 1000);
  const negative = a < 0n !== b < 0n;
  const num = (a < 0n ? -a : a) * 10n ** BigInt(rscale);
  const den = b < 0n ? -b : b;
  let q = num / den;
  if ((num % den) * 2n >= den) q++;
  const digits = q.toString().padStart(rscale + 1, '0');
  const intPart = digits.slice(0, digits.length - rscale);
  const text = rscale > 0 ? `${intPart}.${digits.slice(digits.length - rscale)}` : intPart;
  return negative && q !== 0n ? `-${text}` : text;
}

/** Per-group count / sum / min / max of integer values: the reference for views shaped like cv1. */
export class GroupTotals {
  private readonly groups = new Map<string | number, { count: number; sum: bigint; min: number; max: number }>();

  add(key: string | number, val: number): void {
    const g = this.groups.get(key);
    if (g === undefined) this.groups.set(key, { count: 1, sum: BigInt(val), min: val, max: val });
    else {
      g.count++;
      g.sum += BigInt(val);
      if (val < g.min) g.min = val;
      if (val > g.max) g.max = val;
    }
  }

  get size(): number {
    return this.groups.size;
  }

  get(key: string | number) {
    return this.groups.get(key);
  }

  /** Rows [id, count, avg, min, max, sum] as PostgreSQL's text output, ordered by numeric key. */
  cv1Rows(): string[][] {
    return [...this.groups.entries()]
      .sort((p, q) => Number(p[0]) - Number(q[0]))
      .map(([key, g]) => [String(key), String(g.count), numericDivText(g.sum, BigInt(g.count)), String(g.min), String(g.max), String(g.sum)]);
  }

  /** sum(count), sum(sum), number of groups. */
  totals(): { rows: number; sum: bigint; groups: number } {
    let rows = 0;
    let sum = 0n;
    for (const g of this.groups.values()) {
      rows += g.count;
      sum += g.sum;
    }
    return { rows, sum, groups: this.groups.size };
  }
}

/** Every value as the server's text (no client-side parsing), NULL as null. */
const textTypes = { getTypeParser: () => (value: string) => value };

/** Runs `sql` and returns its rows as arrays of text values. */
export async function textRows(client: pg.Client, sql: string, params: unknown[] = []): Promise<(string | null)[][]> {
  const res = await client.query({ text: sql, values: params, rowMode: 'array', types: textTypes } as pg.QueryArrayConfig);
  return res.rows as (string | null)[][];
}

/** Column type OIDs of a query's result. */
export async function columnTypes(client: pg.Client, sql: string): Promise<number[]> {
  const res = await client.query({ text: sql, rowMode: 'array', types: textTypes } as pg.QueryArrayConfig);
  return res.fields.map((f) => f.dataTypeID);
}

/** A pg client that survives the server dying under it (errors reach the pending query, never the process). */
export function ignoreIdleErrors(client: pg.Client): pg.Client {
  client.on('error', () => {});
  return client;
}

/** Runs psql with ON_ERROR_STOP and asserts it succeeded; returns its output. */
export async function psqlOk(server: TestServer, args: string[], opts: ClientRunOptions = {}): Promise<ClientRunResult> {
  const r = await runPsql(server.port, ['-v', 'ON_ERROR_STOP=1', ...args], { timeoutMs: 300_000, ...opts });
  assert.equal(r.code, 0, `psql ${args.join(' ')} failed (exit ${r.code}${r.timedOut ? ', timed out' : ''}):\n${r.stderr}\n${r.stdout.slice(0, 2000)}\nserver log tail:\n${server.output().slice(-3000)}`);
  return r;
}

/** Multi-row INSERT statements of `perStatement` rows each, one per line. */
export function insertStatements(stream: string, columns: string, rows: readonly string[], perStatement: number): string {
  const out: string[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    out.push(`INSERT INTO ${stream} (${columns}) VALUES ${rows.slice(i, i + perStatement).join(',')};`);
  }
  return out.join('\n') + '\n';
}

/** Milliseconds since `start` with one decimal, for timing diagnostics. */
export function elapsedMs(start: bigint): string {
  return (Number(process.hrtime.bigint() - start) / 1e6).toFixed(1);
}
