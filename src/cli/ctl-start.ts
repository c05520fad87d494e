// `pipeline-ctl start`: launches pipelinedb in the background (in its own
// session, stdin from /dev/null, output appended to -l LOGFILE or left on our
// own stdout/stderr as pg_ctl does) and, with -w, waits until its lock file
// says "ready" and its port accepts connections.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { renderLogLine } from '../server/log.js';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { strerror } from './argv-compat.js';
import { CtlExit, CtlOutput, getServerPid, sleep } from './ctl-common.js';
import { readPidFile } from './pid-file.js';
import { serverEnvironment } from './server-environment.js';
import { CTL_PROGRAM } from './program-names.js';

export interface StartOptions {
  dataDir: string;
  logFile: string | null;
  /** Extra pipelinedb arguments (from -o, or postmaster.opts on restart). */
  serverArgs: readonly string[];
  wait: boolean;
  timeoutSeconds: number;
  /** False on restart, which has already dealt with the old server. */
  warnIfRunning: boolean;
  out: CtlOutput;
}

/** How many lines of the log to show when the server failed to start. */
const LOG_TAIL_LINES = 20;
const POLL_MS = 100;
const CONNECT_TIMEOUT_MS = 1000;

export function serverScriptPath(): string {
  return fileURLToPath(new URL('./pipelinedb.js', import.meta.url));
}

type WaitResult = 'ready' | 'failed' | 'timeout';

export async function startServerProcess(opts: StartOptions): Promise<void> {
  const { dataDir, logFile, out } = opts;
  if (opts.warnIfRunning && getServerPid(dataDir, false) !== 0) {
    out.warn(`${CTL_PROGRAM}: another server might be running; trying to start server anyway`);
  }

  // The lock file of our child must not be older than this (with slack for clock steps).
  const startedAt = Math.floor(Date.now() / 1000);
  let logFd: number | null = null;
  let logOffset = 0;
  if (logFile !== null) {
    try {
      logFd = fs.openSync(logFile, 'a', 0o600);
      logOffset = fs.fstatSync(logFd).size;
    } catch (e) {
      throw new CtlExit(1, [`${CTL_PROGRAM}: could not open log file "${logFile}": ${strerror(e)}`]);
    }
  }

  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [serverScriptPath(), '-D', dataDir, ...opts.serverArgs], {
      detached: true,
      env: serverEnvironment(process.env),
      stdio: ['ignore', logFd ?? 'inherit', logFd ?? 'inherit'],
    });
  } finally {
    if (logFd !== null) fs.closeSync(logFd);
  }
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  child.on('error', () => {
    exited = true;
  });

  if (!opts.wait) {
    child.unref();
    out.progress('server starting\n');
    return;
  }

  out.progress('waiting for server to start...');
  const result = await waitForReady(child, () => exited, dataDir, startedAt, opts.timeoutSeconds, out);
  child.unref();
  switch (result) {
    case 'ready':
      out.progress(' done\nserver started\n');
      return;
    case 'timeout':
      out.progress(' stopped waiting\n');
      throw new CtlExit(1, [`${CTL_PROGRAM}: server did not start in time`]);
    case 'failed':
      out.progress(' stopped waiting\n');
      throw new CtlExit(1, [
        `${CTL_PROGRAM}: could not start server`,
        'Examine the log output.',
        ...(logFile !== null ? readLogTail(logFile, logOffset) : []),
      ]);
  }
}

async function waitForReady(
  child: ChildProcess,
  hasExited: () => boolean,
  dataDir: string,
  startedAt: number,
  timeoutSeconds: number,
  out: CtlOutput,
): Promise<WaitResult> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let nextDot = Date.now();
  for (;;) {
    const lock = safeReadPidFile(dataDir);
    if (lock !== null && lock.pid === child.pid && lock.startTime >= startedAt - 2 && lock.status === 'ready') {
      const host = connectHost(lock.listenAddress);
      if (lock.port === null || host === null || (await acceptsConnections(host, lock.port))) return 'ready';
    }
    if (hasExited()) return 'failed';
    const now = Date.now();
    if (now >= deadline) return 'timeout';
    if (now >= nextDot) {
      out.progress('.');
      nextDot += 1000;
    }
    await sleep(POLL_MS);
  }
}

function safeReadPidFile(dataDir: string): ReturnType<typeof readPidFile> {
  try {
    return readPidFile(dataDir);
  } catch {
    return null;
  }
}

/**
 * Where to try connecting to confirm the port is open: wildcard addresses are
 * reached through loopback. null when the lock file does not say (the address
 * came from the configuration file), and then "ready" alone is trusted, since
 * the server writes it only once it listens.
 */
export function connectHost(listenAddress: string): string | null {
  if (listenAddress === '') return null;
  if (listenAddress === '*' || listenAddress === '0.0.0.0') return '127.0.0.1';
  if (listenAddress === '::') return '::1';
  if (listenAddress === 'localhost') return '127.0.0.1';
  return listenAddress;
}

function acceptsConnections(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** The last lines the server wrote to the log during this start attempt. */
function readLogTail(logFile: string, fromOffset: number): string[] {
  let text: string;
  try {
    const fd = fs.openSync(logFile, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const length = Math.max(0, size - fromOffset);
      const buf = Buffer.alloc(length);
      fs.readSync(fd, buf, 0, length, fromOffset);
      text = buf.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return [];
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  // The log holds JSON records when it is a file; show them as PostgreSQL-style text.
  return lines.slice(-LOG_TAIL_LINES).flatMap((line) => renderLogLine(line).split('\n'));
}
