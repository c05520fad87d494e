// Runs the real psql / pgbench client binaries against a test server with a
// clean, deterministic environment (no inherited PG* variables, C locale).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

export interface ClientRunResult {
  stdout: string;
  stderr: string;
  /** Exit code; null when killed by the timeout or a signal. */
  code: number | null;
  timedOut: boolean;
}

export interface ClientRunOptions {
  /** Text fed to the client's stdin (stdin is closed either way). */
  stdin?: string;
  /** Overrides on top of the clean environment (undefined removes a variable). */
  env?: Record<string, string | undefined>;
  /** Kill the client after this long (default 60 s). */
  timeoutMs?: number;
  cwd?: string;
}

/** The environment libpq clients get: host/port/user/database of the test server, nothing inherited. */
export function clientEnv(port: number, overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('PG') || k.startsWith('PSQL') || k === 'PAGER' || k.startsWith('LC_') || k === 'LANG' || k === 'LANGUAGE') continue;
    env[k] = v;
  }
  env.LC_ALL = 'C';
  env.LANG = 'C';
  env.PGHOST = '127.0.0.1';
  env.PGPORT = String(port);
  env.PGUSER = 'postgres';
  env.PGDATABASE = 'postgres';
  env.PGCONNECT_TIMEOUT = '10';
  // A password file left in $HOME must never change what a test sees.
  env.PGPASSFILE = '/nonexistent/pgpass';
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** True when the named client binary (psql, pgbench) is on PATH. */
export function haveBinary(name: string): boolean {
  return spawnSync(name, ['--version'], { encoding: 'utf8' }).status === 0;
}

/** Runs a libpq client program (psql, pgbench) and captures its output. */
export function runClient(program: string, port: number, args: string[], opts: ClientRunOptions = {}): Promise<ClientRunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env: clientEnv(port, opts.env), cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 60_000);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.stdin.on('error', () => {}); // the client may exit before reading stdin
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code, timedOut });
    });
    child.stdin.end(opts.stdin ?? '');
  });
}

/** psql with the given arguments (always -X: no ~/.psqlrc). */
export function runPsql(port: number, args: string[], opts: ClientRunOptions = {}): Promise<ClientRunResult> {
  return runClient('psql', port, ['-X', ...args], opts);
}

/**
 * Runs one .sql script the pg_regress way (`psql -X -a -q`, ON_ERROR_STOP off,
 * stdout and stderr merged into `outFile`); resolves with psql's exit code.
 * A script still running after `timeoutMs` is killed.
 */
export function runRegressScript(port: number, sqlFile: string, outFile: string, timeoutMs = 120_000): Promise<number | null> {
  const input = openSync(sqlFile, 'r');
  const output = openSync(outFile, 'w');
  return new Promise((resolve, reject) => {
    const child = spawn('psql', ['-X', '-a', '-q', '-v', 'ON_ERROR_STOP=0', '-d', 'postgres'], {
      env: clientEnv(port),
      stdio: [input, output, output],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const done = () => {
      clearTimeout(timer);
      closeSync(input);
      closeSync(output);
    };
    child.once('error', (e) => {
      done();
      reject(e);
    });
    child.once('close', (code) => {
      done();
      resolve(code);
    });
  });
}
