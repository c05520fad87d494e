// Starts a throwaway server for end-to-end tests: our product (compiled
// dist/src/cli/pipelinedb.js) by default, or a real PostgreSQL 15 when
// TEST_TARGET=pg15, so every suite can be validated against the oracle.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, appendFileSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVER_ENTRY, CTL_ENTRY, PG15_BIN, TEST_TARGET, type TestTarget } from './paths.js';
import { sleep } from './wait.js';
import { readPidFile } from '../../src/cli/pid-file.js';

export interface StartOptions {
  /** Extra run-time settings, passed as `-c name=value` (PG15: appended to postgresql.conf). */
  settings?: Record<string, string>;
  /** Full replacement text for pg_hba.conf. */
  hba?: string;
  /** Extra environment for the server process. */
  env?: Record<string, string>;
  /** Reuse an existing data directory (e.g. after kill9) instead of a fresh one. */
  dataDir?: string;
}

export interface ConnectionConfig {
  host: string;
  port: number;
  user: string;
  database: string;
}

export interface TestServer {
  readonly target: TestTarget;
  readonly port: number;
  readonly dataDir: string;
  /** Process id of the server (PG15: the postmaster). */
  readonly pid: number;
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  readonly url: string;
  /** Ready to spread into `new pg.Client({...})`. */
  readonly connectionConfig: ConnectionConfig;
  /** Everything the server wrote so far (stdout+stderr, or the PG15 log file). */
  output(): string;
  /** SIGINT = fast shutdown (default), SIGTERM = smart. Removes the temp directory unless keepDataDir. */
  stop(signal?: 'SIGINT' | 'SIGTERM', opts?: { keepDataDir?: boolean }): Promise<void>;
  /** SIGKILL the server; the data directory is kept for a restart. Call cleanup() when done. */
  kill9(): Promise<void>;
  /** Removes the temp directory (after stop with keepDataDir or kill9). */
  cleanup(): void;
}

const SUPERUSER = 'postgres';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;
const OUTPUT_CAP = 1 << 20;

/** Starts the server selected by TEST_TARGET. */
export function startTestServer(opts: StartOptions = {}): Promise<TestServer> {
  return TEST_TARGET === 'pg15' ? startPostgres15(opts) : startPipelineDb(opts);
}

/** Asks the kernel for a free loopback port. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves true once a TCP connection to the port succeeds. */
function tryConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

/** Children still running when the test process exits are killed, never leaked. */
const liveChildren = new Set<ChildProcess>();
const livePostgres = new Set<string>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of liveChildren) child.kill('SIGKILL');
    for (const dataDir of livePostgres) pgCtl(['stop', '-D', dataDir, '-m', 'immediate', '-w']);
  });
}

class OutputBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  append(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > OUTPUT_CAP && this.chunks.length > 1) this.size -= this.chunks.shift()!.length;
  }
  toString(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Whether the data directory's lock file says the server `pid` listens on `port` and is ready. */
function ownServerReady(dataDir: string, pid: number, port: number): boolean {
  try {
    const lock = readPidFile(dataDir);
    return lock !== null && lock.pid === pid && lock.port === port && lock.status === 'ready';
  } catch {
    return false;
  }
}

/** Another process can take the free port between our probe and the server's bind. */
const isPortClash = (output: string) => /EADDRINUSE|address already in use/i.test(output);

async function startPipelineDb(opts: StartOptions): Promise<TestServer> {
  if (!existsSync(SERVER_ENTRY)) throw new Error(`server not built: ${SERVER_ENTRY} is missing (run npx tsc -p tsconfig.json)`);
  installExitHook();
  const ownsRoot = opts.dataDir === undefined;
  const root = ownsRoot ? mkdtempSync(join(tmpdir(), 'pipelinedb-test-')) : '';
  const dataDir = opts.dataDir ?? join(root, 'data');
  const env = { ...process.env, ...opts.env };
  try {
    if (opts.hba !== undefined) {
      if (!existsSync(join(dataDir, 'PG_VERSION')) && !existsSync(join(dataDir, 'pg_hba.conf'))) {
        const init = spawnSync(process.execPath, [CTL_ENTRY, 'init', '-D', dataDir], { env, encoding: 'utf8', timeout: START_TIMEOUT_MS });
        if (init.status !== 0) throw new Error(`pipeline-ctl init failed (${init.status}): ${init.stderr}${init.stdout}`);
      }
      writeFileSync(join(dataDir, 'pg_hba.conf'), opts.hba);
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await launchPipelineDb(opts, root, ownsRoot, dataDir, env);
      } catch (e) {
        if (attempt >= 3 || !isPortClash((e as Error).message)) throw e;
      }
    }
  } catch (e) {
    if (ownsRoot) rmSync(root, { recursive: true, force: true });
    throw e;
  }
}

async function launchPipelineDb(opts: StartOptions, root: string, ownsRoot: boolean, dataDir: string, env: NodeJS.ProcessEnv): Promise<TestServer> {
  const port = await findFreePort();
  const args = [SERVER_ENTRY, '-D', dataDir, '-p', String(port), '--init-if-missing'];
  for (const [name, value] of Object.entries(opts.settings ?? {})) args.push('-c', `${name}=${value}`);
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  liveChildren.add(child);
  const out = new OutputBuffer();
  child.stdout!.on('data', (c: Buffer) => out.append(c));
  child.stderr!.on('data', (c: Buffer) => out.append(c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => {
    liveChildren.delete(child);
    resolve();
  }));

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited during startup (code ${child.exitCode}, signal ${child.signalCode}):\n${out}`);
    }
    // Ready means our own child says so: a bare connect could reach another test's
    // server that won a race for the same free port (ours then fails to bind).
    if (ownServerReady(dataDir, child.pid!, port) && (await tryConnect(port))) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`server did not accept connections within ${START_TIMEOUT_MS} ms:\n${out}`);
    }
    await sleep(50);
  }

  let removed = false;
  const cleanup = () => {
    if (removed || !ownsRoot) return;
    removed = true;
    rmSync(root, { recursive: true, force: true });
  };
  return {
    target: 'pipelinedb',
    port,
    dataDir,
    pid: child.pid!,
    url: `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`,
    connectionConfig: { host: '127.0.0.1', port, user: SUPERUSER, database: 'postgres' },
    output: () => out.toString(),
    async stop(signal = 'SIGINT', stopOpts = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
          child.kill('SIGKILL');
          await exited;
          throw new Error(`server ignored ${signal} for ${STOP_TIMEOUT_MS} ms:\n${out}`);
        }
      }
      await exited;
      if (!stopOpts.keepDataDir) cleanup();
    },
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    cleanup,
  };
}

// ---------------------------------------------------------------------------
// PostgreSQL 15 oracle

/** True when the PostgreSQL 15 server binaries are installed. */
export function pg15Available(): boolean {
  return existsSync(join(PG15_BIN, 'postgres')) && existsSync(join(PG15_BIN, 'initdb')) && existsSync(join(PG15_BIN, 'pg_ctl'));
}

const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PG15 tool; as root it goes through runuser, since initdb/postgres refuse root. */
function pgTool(tool: string, args: string[]) {
  const bin = join(PG15_BIN, tool);
  const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };
  return runningAsRoot
    ? spawnSync('runuser', ['-u', 'postgres', '--', bin, ...args], { env, encoding: 'utf8', timeout: START_TIMEOUT_MS })
    : spawnSync(bin, args, { env, encoding: 'utf8', timeout: START_TIMEOUT_MS });
}
function pgCtl(args: string[]) {
  return pgTool('pg_ctl', args);
}

function chownToPostgres(path: string): void {
  if (!runningAsRoot) return;
  const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (id.status !== 0) throw new Error('running as root but there is no "postgres" OS user for initdb');
  chownSync(path, Number(id.stdout.trim()), Number(gid.stdout.trim()));
}

/** Quotes a value for postgresql.conf. */
function confValue(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * Starts a private PostgreSQL 15 (initdb as the postgres OS user, listening
 * on 127.0.0.1 only, unix socket in the temp dir). Callers should skip when
 * pg15Available() is false.
 */
export async function startPostgres15(opts: StartOptions = {}): Promise<TestServer> {
  if (!pg15Available()) throw new Error(`PostgreSQL 15 binaries not found in ${PG15_BIN}`);
  installExitHook();
  const ownsRoot = opts.dataDir === undefined;
  const root = ownsRoot ? mkdtempSync(join(tmpdir(), 'pg15-test-')) : '';
  const dataDir = opts.dataDir ?? join(root, 'data');
  const sockDir = ownsRoot ? root : dataDir;
  const logFile = join(ownsRoot ? root : dataDir, 'server.log');

  if (ownsRoot) {
    chownToPostgres(root);
    const init = pgTool('initdb', ['-D', dataDir, '-U', SUPERUSER, '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']);
    if (init.status !== 0) throw new Error(`initdb failed (${init.status}): ${init.stderr}${init.stdout}`);
  }
  const port = await findFreePort();
  const conf = [
    '',
    '# written by test/harness/server.ts',
    `port = ${port}`,
    `listen_addresses = '127.0.0.1'`,
    `unix_socket_directories = ${confValue(sockDir)}`,
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    ...Object.entries(opts.settings ?? {}).map(([k, v]) => `${k} = ${confValue(v)}`),
    '',
  ];
  appendFileSync(join(dataDir, 'postgresql.conf'), conf.join('\n'));
  if (opts.hba !== undefined) writeFileSync(join(dataDir, 'pg_hba.conf'), opts.hba);

  const start = pgCtl(['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60']);
  const readLog = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  if (start.status !== 0) throw new Error(`pg_ctl start failed (${start.status}): ${start.stderr}${start.stdout}\n${readLog()}`);
  livePostgres.add(dataDir);
  const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

  let removed = false;
  const cleanup = () => {
    if (removed || !ownsRoot) return;
    removed = true;
    rmSync(root, { recursive: true, force: true });
  };
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  return {
    target: 'pg15',
    port,
    dataDir,
    pid,
    url: `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`,
    connectionConfig: { host: '127.0.0.1', port, user: SUPERUSER, database: 'postgres' },
    output: readLog,
    async stop(signal = 'SIGINT', stopOpts = {}) {
      if (livePostgres.has(dataDir)) {
        const mode = signal === 'SIGTERM' ? 'smart' : 'fast';
        const res = pgCtl(['stop', '-D', dataDir, '-m', mode, '-w', '-t', '60']);
        livePostgres.delete(dataDir);
        if (res.status !== 0 && alive()) throw new Error(`pg_ctl stop failed: ${res.stderr}${res.stdout}`);
      }
      if (!stopOpts.keepDataDir) cleanup();
    },
    async kill9() {
      process.kill(pid, 'SIGKILL');
      livePostgres.delete(dataDir);
      while (alive()) await sleep(20);
    },
    cleanup,
  };
}
