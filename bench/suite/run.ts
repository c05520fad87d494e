// npm run bench: this server and a throwaway PostgreSQL 15 side by side, the
// same data into both, each load for a fixed time; one table of figures and
// ratios at the end (and in --out FILE as Markdown). Every timed load starts
// on a quiet machine (quiet.ts), PostgreSQL's tables freshly vacuumed.
//
//   node dist/bench/suite/run.js [--quick] [--out FILE]
//
// --quick is a smoke run (short loads, small COPY, fewer client counts).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { haveBinary } from '../../test/harness/psql.js';
import { psqlOk } from '../../test/engine/engine-helpers.js';
import { pg15Available, type TestServer } from '../../test/harness/server.js';
import { REPO_ROOT } from '../../test/harness/paths.js';
import { pgbench } from './pgbench.js';
import { figureTable } from './report.js';
import { directoryBytes, rssBytes, startOurs, startPostgres } from './servers.js';
import { stealMeter } from './steal.js';
import { waitForQuiet } from './quiet.js';
import { OURS_DDL, OURS_SKETCH_VIEW, PG_DDL, SCRIPTS, copyText } from './workload.js';
import {
  PSQL_TIMEOUT,
  RowLedger,
  connect,
  scalar,
  copyLoad,
  multiRowInsert,
  oursMultiRowInsert,
  readLoad,
  singleRowInsert,
  visibilityLatency,
  waitVisible,
  type Figure,
} from './loads.js';

const quick = process.argv.includes('--quick');
const outIndex = process.argv.indexOf('--out');
const outFile = outIndex > 0 ? process.argv[outIndex + 1] : undefined;

const CONFIG = quick
  ? { seconds: 3, clients: [8, 64], copyRows: 200_000, readSeconds: 3, latencySeconds: 4, scaling: [2, 4], scalingCopyRows: 100_000 }
  : { seconds: 10, clients: [8, 64, 256], copyRows: 5_000_000, readSeconds: 10, latencySeconds: 15, scaling: [2, 4], scalingCopyRows: 1_000_000 };
/**
 * Workers and combiners of the main run: the server's defaults
 * (pipelinedb.num_workers = num_combiners = 1), what a user gets out of the
 * box; the scaling runs add 2/2 and 4/4.
 */
const THREADS = 1;
const MAX_WAIT_MS = 50;
const COMMIT_INTERVAL_MS = 50;

function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

/** Runs one load and notes the CPU time stolen from the machine meanwhile. */
async function measured(load: () => Promise<Figure>): Promise<Figure> {
  const stolen = stealMeter();
  const figure = await load();
  return { ...figure, steal: stolen() };
}

async function exec(server: TestServer, statements: readonly string[]): Promise<void> {
  const c = await connect(server);
  try {
    for (const s of statements) await c.query(s);
  } finally {
    await c.end();
  }
}

async function scalarOf(server: TestServer, sql: string): Promise<number> {
  const c = await connect(server);
  try {
    return await scalar(c, sql);
  } finally {
    await c.end();
  }
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

function machine(): string {
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  const cpu = cpus();
  return `commit ${commit}; ${cpu.length} x ${cpu[0]?.model ?? 'cpu'}; ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}; ${new Date().toISOString()}`;
}

async function mainRun(figures: Figure[]): Promise<void> {
  log(`starting our server (${THREADS} workers / ${THREADS} combiners) and PostgreSQL 15`);
  const [ours, postgres] = await Promise.all([startOurs(THREADS), startPostgres()]);
  const ledger = new RowLedger();
  try {
    await exec(ours, OURS_DDL);
    await exec(postgres, PG_DDL);
    // Each server's memory before any row. Our growth is the cost of the groups the loads made;
    // PostgreSQL's also counts the shared buffers its staging and bare-INSERT tables took.
    const startRss = { ours: rssBytes(ours.pid), postgres: rssBytes(postgres.pid) };
    for (const mode of ['prepared', 'simple']) {
      for (const clients of CONFIG.clients) {
        log(`single-row INSERT -M ${mode}, ${clients} clients`);
        figures.push(await measured(() => singleRowInsert(ours, postgres, ledger, { mode, clients, seconds: CONFIG.seconds })));
      }
    }
    log('1,000-row INSERT statements');
    figures.push(await measured(() => multiRowInsert(ours, postgres, ledger, { clients: 8, seconds: CONFIG.seconds })));
    log(`COPY ${CONFIG.copyRows} rows`);
    figures.push(await measured(() => copyLoad(ours, postgres, ledger, CONFIG.copyRows)));

    log('memory and disk per group');
    const groups = await scalarOf(ours, 'SELECT count(*) FROM cv1');
    const pgRows = await scalarOf(postgres, 'SELECT count(*) FROM cv1');
    const pgBytes = await scalarOf(postgres, "SELECT pg_total_relation_size('cv1')");
    figures.push({
      load: `data size per group (${groups.toLocaleString('en-US')} groups)`,
      unit: 'bytes',
      ours: directoryBytes(ours.dataDir) / groups,
      postgres: { label: 'roll-up table + primary key', value: pgBytes / pgRows },
      note: 'ours: the whole data directory',
    });
    const rss = { ours: rssBytes(ours.pid), postgres: rssBytes(postgres.pid) };
    figures.push({
      load: 'server memory (RSS) per group',
      unit: 'bytes',
      ours: rss.ours / groups,
      postgres: { label: 'postmaster + backends', value: rss.postgres / pgRows },
    });
    figures.push({
      load: 'server memory (RSS) growth per group, since before the first row',
      unit: 'bytes',
      ours: (rss.ours - startRss.ours) / groups,
      postgres: { label: 'postmaster + backends', value: (rss.postgres - startRss.postgres) / pgRows },
      note: `at start: ours ${mib(startRss.ours)}, PostgreSQL ${mib(startRss.postgres)}`,
    });

    log('point reads, the full-view aggregate, the top 10 groups and every group');
    figures.push(await measured(() => readLoad(ours, postgres, 'point', { clients: 8, seconds: CONFIG.readSeconds })));
    figures.push(await measured(() => readLoad(ours, postgres, 'full', { clients: 2, seconds: CONFIG.readSeconds })));
    figures.push(await measured(() => readLoad(ours, postgres, 'top', { clients: 2, seconds: CONFIG.readSeconds })));
    figures.push(await measured(() => readLoad(ours, postgres, 'whole', { clients: 1, seconds: CONFIG.readSeconds })));

    const maxRate = figures.find((f) => f.load.startsWith('single-row INSERT, -M prepared, 8 clients'))!.ours;
    log(`insert-to-visible latency at ${Math.round(maxRate / 2)} tps`);
    const latencyStolen = stealMeter();
    const lat = await visibilityLatency(ours, ledger, { rate: maxRate / 2, seconds: CONFIG.latencySeconds, clients: 8 });
    const latencySteal = latencyStolen();
    const bound = MAX_WAIT_MS + COMMIT_INTERVAL_MS + 20;
    figures.push({ load: `insert-to-visible p50 at half load (${Math.round(lat.background.tps)} tps)`, unit: 'ms', ours: lat.p50, note: `${lat.samples} probes`, steal: latencySteal });
    figures.push({ load: `insert-to-visible p99 at half load (target < ${bound} ms)`, unit: 'ms', ours: lat.p99, steal: latencySteal });

    log('sketch view cost');
    const without = figures.find((f) => f.load.startsWith('single-row INSERT, -M prepared, 64 clients'))!;
    await exec(ours, [OURS_SKETCH_VIEW]);
    const withSketch = await measured(() => singleRowInsert(ours, postgres, ledger, { mode: 'prepared', clients: 64, seconds: CONFIG.seconds }));
    figures.push({
      ...withSketch,
      load: 'single-row INSERT, -M prepared, 64 clients, plus a count(DISTINCT) + percentile_cont view',
      note: `${(withSketch.ours / without.ours).toFixed(2)}x of the same load without it`,
    });
    await waitVisible(ours, ledger);
  } catch (e) {
    log(`failed; our server's last output:\n${ours.output().slice(-4000)}\nPostgreSQL's last output:\n${postgres.output().slice(-2000)}`);
    throw e;
  } finally {
    await Promise.all([ours.stop(), postgres.stop()]);
  }
}

/**
 * The ingest loads again at other worker/combiner counts (ours only; the
 * read loads do not involve workers or combiners): single-row INSERTs at 64
 * clients, 1,000-row INSERT statements and a COPY.
 */
async function scalingRun(figures: Figure[], threads: number): Promise<void> {
  log(`scaling: ${threads} workers / ${threads} combiners`);
  const ours = await startOurs(threads);
  const ledger = new RowLedger();
  try {
    await exec(ours, OURS_DDL);
    const insertStolen = stealMeter();
    const r = await pgbench(ours.port, SCRIPTS.oursInsert, { mode: 'prepared', clients: 64, seconds: CONFIG.seconds });
    ledger.sent += r.transactions;
    await waitVisible(ours, ledger);
    figures.push({ load: `single-row INSERT, -M prepared, 64 clients, ${threads}/${threads} threads`, unit: 'tps', ours: r.tps, steal: insertStolen() });
    const multiStolen = stealMeter();
    const multi = await oursMultiRowInsert(ours, ledger, { clients: 8, seconds: CONFIG.seconds });
    figures.push({
      load: `1,000-row INSERT statements, 8 clients, end to end, ${threads}/${threads} threads`,
      unit: 'rows/s',
      ours: multi.rowsPerSecond,
      note: `accepted ${Math.round(multi.acceptedPerSecond).toLocaleString('en-US')} rows/s, then ${Math.round(multi.catchUpMs)} ms until visible`,
      steal: multiStolen(),
    });
    const text = copyText(CONFIG.scalingCopyRows, 13);
    await waitForQuiet();
    const copyStolen = stealMeter();
    const t0 = performance.now();
    await psqlOk(ours, ['-q', '-c', 'COPY cv1_stream (id, val) FROM STDIN'], { stdin: text, ...PSQL_TIMEOUT });
    ledger.sent += CONFIG.scalingCopyRows;
    const copyMs = performance.now() - t0 + (await waitVisible(ours, ledger));
    figures.push({
      load: `COPY ${CONFIG.scalingCopyRows.toLocaleString('en-US')} rows until visible, ${threads}/${threads} threads`,
      unit: 'rows/s',
      ours: CONFIG.scalingCopyRows / (copyMs / 1000),
      steal: copyStolen(),
    });
  } finally {
    await ours.stop();
  }
}

async function main(): Promise<void> {
  if (!pg15Available()) throw new Error('PostgreSQL 15 server binaries are needed (set PG15_BIN)');
  if (!haveBinary('pgbench') || !haveBinary('psql')) throw new Error('psql and pgbench are needed');
  const header = machine();
  log(header);
  const figures: Figure[] = [];
  const t0 = performance.now();
  await mainRun(figures);
  for (const t of CONFIG.scaling) await scalingRun(figures, t);
  const table = `${quick ? 'Quick run' : 'Run'}: ${header}; main run with ${THREADS}/${THREADS} workers/combiners, ${Math.round((performance.now() - t0) / 1000)} s in all.\n\n${figureTable(figures)}\n`;
  process.stdout.write(`${table}\n`);
  if (outFile) writeFileSync(outFile, table);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
