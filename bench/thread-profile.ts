// One pgbench load against this server alone, with per-thread CPU: what
// RESULTS.md's standalone figures ("what the commit writer costs", "what a
// single-row INSERT load waits on") come from. Each variant starts a fresh
// server (1 worker, 1 combiner) with its own settings, preloads cv1 by COPY,
// waits for a quiet machine and runs pgbench with the suite's single-row
// INSERT (or point-read) script; the variants alternate round by round, as
// the machine's speed drifts over minutes.
//
//   node dist/bench/thread-profile.js [--load insert|point] [--clients N]
//     [--seconds 10] [--preload ROWS] [--mode prepared|simple|extended]
//     [--rounds 2] [--variant 'label:name=value,name=value' ...]
//
// Defaults: insert at 64 clients over 200,000 preloaded rows; point reads
// at 8 clients over 1,000,000. E.g. the commit-interval experiment:
//   node dist/bench/thread-profile.js --variant default: \
//     --variant 'slow commits:pipelinedb.commit_interval=5000'
//
// Per thread that ran at least 0.1 s (Linux only:
// /proc/<pid>/task/<tid>/schedstat), over the pgbench run: seconds on a
// core ("run") and seconds runnable but waiting for one ("wait"). The main
// thread is the server's pid; worker, combiner and commit-writer threads run
// at nice 3 (src/engine/thread-priority.ts); the other threads (all named
// "node") are Node's and V8's helpers, mostly the garbage collector's.
import { readFileSync, readdirSync } from 'node:fs';
import { psqlOk } from '../test/engine/engine-helpers.js';
import { haveBinary } from '../test/harness/psql.js';
import type { TestServer } from '../test/harness/server.js';
import { PSQL_TIMEOUT, RowLedger, connect, waitVisible } from './suite/loads.js';
import { pgbench } from './suite/pgbench.js';
import { waitForQuiet } from './suite/quiet.js';
import { startOurs } from './suite/servers.js';
import { OURS_DDL, SCRIPTS, copyText } from './suite/workload.js';

const USAGE = `node dist/bench/thread-profile.js [--load insert|point] [--clients N] [--seconds N]
  [--preload ROWS] [--mode prepared|simple|extended] [--rounds N] [--variant 'label:name=value,...' ...]
  (insert: 64 clients, 200,000 rows preloaded; point: 8 clients, 1,000,000 rows)
`;

interface Variant {
  label: string;
  settings: Record<string, string>;
}

interface ThreadTimes {
  nice: number;
  run: number;
  wait: number;
}

const OPTIONS = new Set(['--load', '--clients', '--seconds', '--preload', '--mode', '--rounds', '--variant']);

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}

/** A whole number option of at least `min`. */
function count(name: string, fallback: string, min: number): number {
  const n = Number(option(name, fallback));
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number of at least ${min}`);
  return n;
}

/** Every argument is a known option followed by its value. */
function checkArguments(): void {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i += 2) {
    if (!OPTIONS.has(args[i]!) || i + 1 >= args.length) throw new Error(`unexpected argument ${args[i]}\n${USAGE}`);
  }
}

/** `label:name=value,name=value` (settings may be empty: `default:`). */
function parseVariant(text: string): Variant {
  const colon = text.indexOf(':');
  if (colon < 0) throw new Error(`a variant is label:name=value,... (got "${text}")`);
  const settings: Record<string, string> = {};
  for (const pair of text.slice(colon + 1).split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`a setting is name=value (got "${pair}")`);
    settings[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return { label: text.slice(0, colon), settings };
}

function variants(): Variant[] {
  const list: Variant[] = [];
  for (let i = 0; i < process.argv.length; i++) if (process.argv[i] === '--variant') list.push(parseVariant(process.argv[i + 1] ?? ''));
  return list.length > 0 ? list : [{ label: 'default', settings: {} }];
}

/** Each thread's nice value and its run and wait time so far, in seconds. */
function threadTimes(pid: number): Map<number, ThreadTimes> {
  const times = new Map<number, ThreadTimes>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').trim().split(' ').map(Number);
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // Fields after the command name's closing parenthesis; nice is the 19th field of the line.
      const nice = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      times.set(Number(tid), { nice, run: run! / 1e9, wait: wait! / 1e9 });
    } catch (e) {
      // A thread that ended meanwhile is left out.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
  }
  if (!(times.get(pid)?.run ?? 0)) throw new Error(`no run time for the server's main thread in /proc/${pid}/task (a kernel without schedstat?)`);
  return times;
}

async function oneRun(variant: Variant, opts: { load: string; clients: number; seconds: number; preload: number; mode: string }): Promise<string> {
  const ours: TestServer = await startOurs(1, variant.settings);
  try {
    const c = await connect(ours);
    for (const s of OURS_DDL) await c.query(s);
    await c.end();
    const ledger = new RowLedger();
    if (opts.preload > 0) {
      await psqlOk(ours, ['-q', '-c', 'COPY cv1_stream (id, val) FROM STDIN'], { stdin: copyText(opts.preload, 3), ...PSQL_TIMEOUT });
      ledger.sent = opts.preload;
      await waitVisible(ours, ledger);
    }
    const script = opts.load === 'point' ? SCRIPTS.pointRead : SCRIPTS.oursInsert;
    await waitForQuiet();
    const before = threadTimes(ours.pid);
    const r = await pgbench(ours.port, script, { mode: opts.mode, clients: opts.clients, seconds: opts.seconds, waitForQuiet: false });
    const after = threadTimes(ours.pid);
    if (r.failed > 0) throw new Error(`${variant.label}: ${r.failed} pgbench transactions failed`);
    const threads: string[] = [];
    for (const [tid, t] of after) {
      const b = before.get(tid) ?? { nice: t.nice, run: 0, wait: 0 };
      const run = t.run - b.run;
      if (run < 0.1) continue;
      const name = tid === ours.pid ? 'main' : `${tid}${t.nice !== 0 ? ` (nice ${t.nice})` : ''}`;
      threads.push(`${name} ${run.toFixed(2)}/${(t.wait - b.wait).toFixed(2)}`);
    }
    return `${variant.label}: ${Math.round(r.tps)} tps; run/wait s: ${threads.join(', ')}`;
  } finally {
    await ours.stop();
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    process.stdout.write(USAGE);
    return;
  }
  if (process.platform !== 'linux') throw new Error('per-thread times need Linux (/proc/<pid>/task)');
  if (!haveBinary('pgbench') || !haveBinary('psql')) throw new Error('psql and pgbench are needed');
  checkArguments();
  const load = option('load', 'insert');
  if (load !== 'insert' && load !== 'point') throw new Error('--load is insert or point');
  const opts = {
    load,
    clients: count('clients', load === 'point' ? '8' : '64', 1),
    seconds: count('seconds', '10', 1),
    preload: count('preload', load === 'point' ? '1000000' : '200000', 0),
    mode: option('mode', 'prepared'),
  };
  if (!['prepared', 'simple', 'extended'].includes(opts.mode)) throw new Error('--mode is prepared, simple or extended');
  const rounds = count('rounds', '2', 1);
  const list = variants();
  process.stdout.write(`${load}, ${opts.clients} clients, -M ${opts.mode}, ${opts.seconds} s, cv1 preloaded with ${opts.preload} rows\n`);
  for (let round = 1; round <= rounds; round++) {
    for (const v of list) process.stdout.write(`round ${round} ${await oneRun(v, opts)}\n`);
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
