// Runs pgbench with a custom script against one server for a fixed time and
// reads its throughput. Every run uses -n (no vacuum), 2 threads and the
// given protocol (-M simple | extended | prepared), once the machine is quiet.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runClient } from '../../test/harness/psql.js';
import { waitForQuiet } from './quiet.js';

export interface PgbenchResult {
  tps: number;
  transactions: number;
  failed: number;
  /** pgbench's average latency in ms. */
  latencyMs: number;
}

export interface PgbenchOptions {
  mode: string;
  clients: number;
  seconds: number;
  /** Target transactions per second (-R); unset: as fast as possible. */
  rate?: number;
  /** Wait for a quiet machine first (quiet.ts); false: start at once. */
  waitForQuiet?: boolean;
}

export async function pgbench(port: number, script: string, opts: PgbenchOptions): Promise<PgbenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-pgbench-'));
  const file = join(dir, 'script.sql');
  writeFileSync(file, script);
  try {
    if (opts.waitForQuiet !== false) await waitForQuiet();
    const threads = Math.min(2, opts.clients);
    const args = ['-n', '-M', opts.mode, '-c', String(opts.clients), '-j', String(threads), '-T', String(opts.seconds), '-f', file];
    if (opts.rate !== undefined) args.push('-R', String(Math.max(1, Math.round(opts.rate))));
    args.push('postgres');
    const r = await runClient('pgbench', port, args, { timeoutMs: (opts.seconds + 120) * 1000 });
    const out = r.stdout + r.stderr;
    const tps = /tps = ([0-9.]+) \(without initial connection time\)/.exec(out) ?? /tps = ([0-9.]+)/.exec(out);
    if (r.code !== 0 || !tps) throw new Error(`pgbench failed (code ${r.code}):\n${out}`);
    const processed = /number of transactions actually processed: (\d+)/.exec(out);
    const failed = /number of failed transactions: (\d+)/.exec(out);
    const latency = /latency average = ([0-9.]+) ms/.exec(out);
    return {
      tps: Number(tps[1]),
      transactions: processed ? Number(processed[1]) : 0,
      failed: failed ? Number(failed[1]) : 0,
      latencyMs: latency ? Number(latency[1]) : NaN,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
