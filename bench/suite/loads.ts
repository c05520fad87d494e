// The loads of the side-by-side benchmark. Each returns figures for our
// server and for PostgreSQL 15's equivalent; run.ts prints them. Rows sent
// to our server are counted so every load can wait until the view shows
// them all (end to end), and check that none was lost.
import pg from 'pg';
import type { TestServer } from '../../test/harness/server.js';
import { psqlOk } from '../../test/engine/engine-helpers.js';
import { pgbench, type PgbenchResult } from './pgbench.js';
import { waitForQuiet } from './quiet.js';
import { IDS, PG_ROLLUP_STAGING, SCRIPTS, copyText, rowSource } from './workload.js';

/** One line of the result table. */
export interface Figure {
  load: string;
  unit: string;
  ours: number;
  /** PostgreSQL 15's figure for the equivalent, with what it is. */
  postgres?: { label: string; value: number };
  /** A second PostgreSQL figure (the bare-INSERT / COPY-alone ceiling). */
  ceiling?: { label: string; value: number };
  note?: string;
  /** Percentage of the machine's CPU time stolen by the hypervisor while the load ran (see steal.ts). */
  steal?: number;
}

/** Our server's rows acknowledged so far: the view must eventually count exactly these. */
export class RowLedger {
  sent = 0;
}

export async function connect(server: TestServer): Promise<pg.Client> {
  const c = new pg.Client({ ...server.connectionConfig });
  // A dropped connection must fail the query it interrupts, not crash the run with an unhandled 'error'.
  c.on('error', () => {});
  await c.connect();
  return c;
}

/** The first column of the first row, as a number. */
export async function scalar(c: pg.Client, sql: string): Promise<number> {
  const r = await c.query({ text: sql, rowMode: 'array' });
  return Number(r.rows[0]?.[0] ?? 0);
}

/**
 * Waits until our cv1 counts every row sent. Returns the milliseconds from
 * the call until the poll that saw them all was sent: the server takes a
 * read's snapshot as the query arrives, so the rows were visible then (give
 * or take that trip), and the full-view scan that proved it (0.2-0.25 s at
 * a million groups) is read time, not ingest time.
 */
export async function waitVisible(ours: TestServer, ledger: RowLedger, timeoutMs = 600_000): Promise<number> {
  const c = await connect(ours);
  try {
    const t0 = performance.now();
    for (;;) {
      const poll = performance.now();
      const seen = await scalar(c, 'SELECT coalesce(sum(count), 0) FROM cv1');
      if (seen === ledger.sent) return poll - t0;
      if (seen > ledger.sent) throw new Error(`cv1 counts ${seen} rows but only ${ledger.sent} were sent`);
      if (performance.now() - t0 > timeoutMs) throw new Error(`cv1 shows ${seen} of ${ledger.sent} rows after ${timeoutMs} ms`);
      // A poll scans every group: wait as long as it took, so polling takes at most half a core from the load.
      await new Promise((r) => setTimeout(r, Math.max(20, performance.now() - poll)));
    }
  } finally {
    await c.end();
  }
}

function checkPgbench(what: string, r: PgbenchResult): void {
  if (r.failed > 0) throw new Error(`${what}: ${r.failed} failed transactions`);
}

/**
 * PostgreSQL runs with autovacuum off (servers.ts) and its tables are
 * vacuumed here, untimed, after each of its loads: as autovacuum would keep
 * them, but never in the middle of a later load of either server.
 */
async function vacuumPostgres(postgres: TestServer): Promise<void> {
  const c = await connect(postgres);
  try {
    await c.query('VACUUM ANALYZE cv1, cv1_raw, cv1_staging');
  } finally {
    await c.end();
  }
}

/** pgbench single-row INSERTs: ours into the stream, PostgreSQL's upsert roll-up and bare unlogged INSERT. */
export async function singleRowInsert(
  ours: TestServer,
  postgres: TestServer,
  ledger: RowLedger,
  opts: { mode: string; clients: number; seconds: number },
): Promise<Figure> {
  const r = await pgbench(ours.port, SCRIPTS.oursInsert, opts);
  checkPgbench('ours', r);
  ledger.sent += r.transactions;
  await waitVisible(ours, ledger);
  const upsert = await pgbench(postgres.port, SCRIPTS.pgUpsert, opts);
  await vacuumPostgres(postgres);
  const bare = await pgbench(postgres.port, SCRIPTS.pgBareInsert, opts);
  await vacuumPostgres(postgres);
  checkPgbench('postgres upsert', upsert);
  return {
    load: `single-row INSERT, -M ${opts.mode}, ${opts.clients} clients`,
    unit: 'tps',
    ours: r.tps,
    postgres: { label: 'upsert roll-up', value: upsert.tps },
    ceiling: { label: 'bare unlogged INSERT', value: bare.tps },
  };
}

/** Rows in each statement of the multi-row load. */
const ROWS_PER_STATEMENT = 1000;

/** The 1,000-row statements of the multi-row load: 64 batches of rows, as VALUES lists. */
function multiRowValues(): string[] {
  const row = rowSource(7);
  const batches: [number, number][][] = Array.from({ length: 64 }, () => Array.from({ length: ROWS_PER_STATEMENT }, row));
  return batches.map((b) => b.map(([id, val]) => `(${id},${val})`).join(','));
}

/** Runs the 1,000-row statements from `clients` connections (round robin) for a fixed time; the rows sent and the ms it took. */
async function driveStatements(server: TestServer, sqls: string[], opts: { clients: number; seconds: number }): Promise<{ rows: number; ms: number }> {
  const clients = await Promise.all(Array.from({ length: opts.clients }, () => connect(server)));
  try {
    await waitForQuiet();
    let rows = 0;
    const t0 = performance.now();
    const end = t0 + opts.seconds * 1000;
    await Promise.all(
      clients.map(async (c, k) => {
        for (let i = k; performance.now() < end; i += opts.clients) {
          await c.query(sqls[i % sqls.length]!);
          rows += ROWS_PER_STATEMENT;
        }
      }),
    );
    return { rows, ms: performance.now() - t0 };
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

/** Our side of the multi-row load, end to end: rows/s until visible, and the rate the statements were accepted at. */
export async function oursMultiRowInsert(
  ours: TestServer,
  ledger: RowLedger,
  opts: { clients: number; seconds: number },
): Promise<{ rowsPerSecond: number; acceptedPerSecond: number; catchUpMs: number }> {
  const o = await driveStatements(ours, multiRowValues().map((v) => `INSERT INTO cv1_stream (id, val) VALUES ${v}`), opts);
  ledger.sent += o.rows;
  const catchUpMs = await waitVisible(ours, ledger);
  return { rowsPerSecond: o.rows / ((o.ms + catchUpMs) / 1000), acceptedPerSecond: o.rows / (o.ms / 1000), catchUpMs };
}

/** 1,000-row literal INSERT statements from `clients` connections for a fixed time, end to end. */
export async function multiRowInsert(
  ours: TestServer,
  postgres: TestServer,
  ledger: RowLedger,
  opts: { clients: number; seconds: number },
): Promise<Figure> {
  const values = multiRowValues();
  // Ids repeat inside a batch; ON CONFLICT may touch a row once per statement, so PostgreSQL pre-aggregates,
  // and it upserts in id order so that concurrent statements lock rows in one order (no deadlocks).
  const pgSql = values.map(
    (v) =>
      `INSERT INTO cv1 (id, count, sum, min, max) SELECT id, count(*), sum(val), min(val), max(val) FROM (VALUES ${v}) AS b(id, val) GROUP BY id ORDER BY id ` +
      'ON CONFLICT (id) DO UPDATE SET count = cv1.count + excluded.count, sum = cv1.sum + excluded.sum, min = least(cv1.min, excluded.min), max = greatest(cv1.max, excluded.max)',
  );
  const bareSql = values.map((v) => `INSERT INTO cv1_raw (id, val) VALUES ${v}`);

  const o = await oursMultiRowInsert(ours, ledger, opts);
  const p = await driveStatements(postgres, pgSql, opts);
  await vacuumPostgres(postgres);
  const b = await driveStatements(postgres, bareSql, opts);
  await vacuumPostgres(postgres);
  return {
    load: `1,000-row INSERT statements, ${opts.clients} clients, end to end`,
    unit: 'rows/s',
    ours: o.rowsPerSecond,
    postgres: { label: 'pre-aggregated upsert', value: p.rows / (p.ms / 1000) },
    ceiling: { label: 'bare unlogged INSERT', value: b.rows / (b.ms / 1000) },
    note: `ours accepted ${Math.round(o.acceptedPerSecond).toLocaleString('en-US')} rows/s, then ${Math.round(o.catchUpMs)} ms until visible`,
  };
}

/** COPY and other long psql runs may take minutes. */
export const PSQL_TIMEOUT = { timeoutMs: 1_800_000 };

/** COPY of `rows` rows until the view shows them all; PostgreSQL: COPY into staging + one roll-up. */
export async function copyLoad(ours: TestServer, postgres: TestServer, ledger: RowLedger, rows: number): Promise<Figure> {
  const text = copyText(rows, 11);
  await waitForQuiet();
  let t0 = performance.now();
  await psqlOk(ours, ['-q', '-c', 'COPY cv1_stream (id, val) FROM STDIN'], { stdin: text, ...PSQL_TIMEOUT });
  const accepted = performance.now() - t0;
  ledger.sent += rows;
  const oursMs = accepted + (await waitVisible(ours, ledger));

  await waitForQuiet();
  t0 = performance.now();
  await psqlOk(postgres, ['-q', '-c', 'COPY cv1_staging (id, val) FROM STDIN'], { stdin: text, ...PSQL_TIMEOUT });
  await psqlOk(postgres, ['-q', '-c', `BEGIN; ${PG_ROLLUP_STAGING}; TRUNCATE cv1_staging; COMMIT;`], PSQL_TIMEOUT);
  const pgMs = performance.now() - t0;

  await vacuumPostgres(postgres);
  await waitForQuiet();
  t0 = performance.now();
  await psqlOk(postgres, ['-q', '-c', 'COPY cv1_raw (id, val) FROM STDIN'], { stdin: text, ...PSQL_TIMEOUT });
  const rawMs = performance.now() - t0;
  await vacuumPostgres(postgres);
  return {
    load: `COPY ${rows.toLocaleString('en-US')} rows, until visible`,
    unit: 'rows/s',
    ours: rows / (oursMs / 1000),
    postgres: { label: 'COPY + INSERT ... SELECT ... ON CONFLICT', value: rows / (pgMs / 1000) },
    ceiling: { label: 'COPY alone (unlogged)', value: rows / (rawMs / 1000) },
    note: `ours accepted the COPY at ${Math.round(rows / (accepted / 1000)).toLocaleString('en-US')} rows/s`,
  };
}

/** The read loads: our script, PostgreSQL's over the roll-up table, and how the figure is labelled. */
const READS = {
  point: { ours: SCRIPTS.pointRead, postgres: SCRIPTS.pgPointRead, load: 'point read by group key', pgLabel: 'primary-key read' },
  full: { ours: SCRIPTS.fullAggregate, postgres: SCRIPTS.fullAggregate, load: 'SELECT sum(count) FROM cv1', pgLabel: 'same over the roll-up table' },
  top: {
    ours: SCRIPTS.topGroups,
    postgres: SCRIPTS.pgTopGroups,
    load: 'top 10 groups (ORDER BY count DESC, id LIMIT 10)',
    pgLabel: 'same over the roll-up table',
  },
  whole: { ours: SCRIPTS.wholeView, postgres: SCRIPTS.pgWholeView, load: 'every group to the client (SELECT * FROM cv1)', pgLabel: 'same over the roll-up table' },
} as const;

/** pgbench reads against both (point reads by key, the full-view aggregate, the top 10 groups or every group). */
export async function readLoad(
  ours: TestServer,
  postgres: TestServer,
  what: keyof typeof READS,
  opts: { clients: number; seconds: number },
): Promise<Figure> {
  const run = { mode: 'prepared', ...opts };
  const read = READS[what];
  const o = await pgbench(ours.port, read.ours, run);
  const p = await pgbench(postgres.port, read.postgres, run);
  return {
    load: `${read.load}, ${opts.clients} clients`,
    unit: 'tps',
    ours: o.tps,
    postgres: { label: read.pgLabel, value: p.tps },
  };
}

/**
 * Insert-to-visible latency while pgbench inserts at `rate` tps: a probe
 * inserts a row with an id outside the load's range and polls the view
 * until that group appears.
 */
export async function visibilityLatency(
  ours: TestServer,
  ledger: RowLedger,
  opts: { rate: number; seconds: number; clients: number },
): Promise<{ p50: number; p99: number; samples: number; background: PgbenchResult }> {
  await waitForQuiet();
  const background = pgbench(ours.port, SCRIPTS.oursInsert, { mode: 'prepared', clients: opts.clients, seconds: opts.seconds, rate: opts.rate, waitForQuiet: false });
  const writer = await connect(ours);
  const reader = await connect(ours);
  const latencies: number[] = [];
  const end = performance.now() + (opts.seconds - 1) * 1000;
  await new Promise((r) => setTimeout(r, 500));
  try {
    for (let k = 1; performance.now() < end; k++) {
      // Outside the load's id range, so the group first appears when this row is visible.
      const id = IDS + k;
      const t0 = performance.now();
      await writer.query('INSERT INTO cv1_stream (id, val) VALUES ($1, 1)', [id]);
      ledger.sent += 1;
      while ((await reader.query('SELECT 1 FROM cv1 WHERE id = $1', [id])).rowCount === 0) {
        if (performance.now() - t0 > 10_000) throw new Error(`probe row ${id} not visible after 10 s`);
      }
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await writer.end();
    await reader.end();
  }
  const bg = await background;
  ledger.sent += bg.transactions;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { p50: at(0.5), p99: at(0.99), samples: latencies.length, background: bg };
}
