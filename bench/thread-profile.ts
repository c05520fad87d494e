// One pgbench load against this server alone, with per-thread CPU: what
// RESULTS.md's standalone figures ("what the commit writer costs", "what a
// single-row INSERT load waits on") come from. cv1 is preloaded by COPY, then
// pgbench runs the suite's single-row INSERT (or point-read) script; each
// variant starts a fresh server with its own settings, and the variants
// alternate round by round, as the machine's speed drifts over minutes.
//
//   node dist/bench/thread-profile.js [--load insert|point] [--clients 64]
//     [--seconds 10] [--preload 200000] [--mode prepared] [--rounds 2]
//     [--variant 'label:name=value,name=value' ...]
//
// e.g. the commit-interval experiment:
//   node dist/bench/thread-profile.js --variant default: \
//     --variant 'slow commits:pipelinedb.commit_interval=5000'
//
// Per thread (Linux only: /proc/<pid>/task/<tid>/schedstat): seconds on a
// core ("run") and seconds runnable but waiting for one ("wait") during the
// pgbench run. The main thread is the server's pid; worker, combiner and
// commit-writer threads run at nice 3 (src/engine/thread-priority.ts).
import { readFileSync, readdirSync } from 'node:fs';
import { psqlOk } from '../test/engine/engine-helpers.js';
import { haveBinary } from '../test/harness/psql.js';
import type { TestServer } from '../test/harness/server.js';
import { PSQL_TIMEOUT, RowLedger, connect, waitVisible } from './suite/loads.js';
import { pgbench } from './suite/pgbench.js';
import { startOurs } from './suite/servers.js';
import { OURS_DDL, SCRIPTS, copyText } from './suite/workload.js';

interface Variant {
  label: string;
  settings: Record<string, string>;
}

interface ThreadTimes {
  nice: number;
  run: number;
  wait: number;
}

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
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
    } catch {
      // The thread ended meanwhile.
    }
  }
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
    const before = threadTimes(ours.pid);
    const r = await pgbench(ours.port, script, { mode: opts.mode, clients: opts.clients, seconds: opts.seconds });
    const after = threadTimes(ours.pid);
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

const USAGE = `node dist/bench/thread-profile.js [--load insert|point] [--clients N] [--seconds N]
  [--preload ROWS] [--mode prepared|simple|extended] [--rounds N] [--variant 'label:name=value,...' ...]
`;

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    process.stdout.write(USAGE);
    return;
  }
  if (process.platform !== 'linux') throw new Error('per-thread times need Linux (/proc/<pid>/task)');
  if (!haveBinary('pgbench') || !haveBinary('psql')) throw new Error('psql and pgbench are needed');
  const load = option('load', 'insert');
  if (load !== 'insert' && load !== 'point') throw new Error('--load is insert or point');
  const opts = {
    load,
    clients: Number(option('clients', load === 'point' ? '8' : '64')),
    seconds: Number(option('seconds', '10')),
    preload: Number(option('preload', load === 'point' ? '1000000' : '200000')),
    mode: option('mode', 'prepared'),
  };
  const rounds = Number(option('rounds', '2'));
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
