// `pipeline-ctl stop` and `restart`: signal the server with the shutdown mode's
// signal and wait for its lock file to go away.
import type { ShutdownMode } from '../server/server-api.js';
import { CtlExit, CtlOutput, getServerPid, noPidFileLines, signalServer, sleep } from './ctl-common.js';
import { startServerProcess, type StartOptions } from './ctl-start.js';
import { isProcessAlive } from './pid-file.js';
import { CTL_PROGRAM } from './program-names.js';
import { SHUTDOWN_SIGNALS } from './shutdown-signals.js';

const POLL_MS = 100;

export function signalForMode(mode: ShutdownMode): NodeJS.Signals {
  for (const [signal, m] of SHUTDOWN_SIGNALS) if (m === mode) return signal;
  throw new Error(`no signal for shutdown mode ${mode}`);
}

export interface StopOptions {
  dataDir: string;
  mode: ShutdownMode;
  wait: boolean;
  timeoutSeconds: number;
  out: CtlOutput;
}

export async function stopServer(opts: StopOptions): Promise<void> {
  const pid = getServerPid(opts.dataDir, false);
  if (pid === 0) throw new CtlExit(1, noPidFileLines(opts.dataDir));
  signalServer(pid, signalForMode(opts.mode), 'stop');
  if (!opts.wait) {
    opts.out.progress('server shutting down\n');
    return;
  }
  await waitForShutdown(opts, pid);
}

/**
 * `restart`: stops the server when one runs (always waiting), then starts a new
 * one. Without -o the new server gets the arguments saved in postmaster.opts;
 * the caller reads them before calling this, while the old server still runs.
 */
export async function restartServer(stop: StopOptions, start: StartOptions): Promise<void> {
  const { out } = stop;
  const pid = getServerPid(stop.dataDir, false);
  if (pid === 0) {
    for (const line of noPidFileLines(stop.dataDir)) out.warn(line);
    out.warn('trying to start server anyway');
  } else if (isProcessAlive(pid)) {
    signalServer(pid, signalForMode(stop.mode), 'stop');
    await waitForShutdown(stop, pid);
  } else {
    out.warn(`${CTL_PROGRAM}: old server process (PID: ${pid}) seems to be gone`);
    out.warn('starting server anyway');
  }
  await startServerProcess({ ...start, warnIfRunning: false });
}

/**
 * Waits until the lock file is gone (or its process has died without removing
 * it, which leaves nothing to wait for), printing a dot per second.
 */
async function waitForShutdown(opts: StopOptions, pid: number): Promise<void> {
  const { out } = opts;
  out.progress('waiting for server to shut down...');
  const deadline = Date.now() + opts.timeoutSeconds * 1000;
  let nextDot = Date.now();
  for (;;) {
    const current = getServerPid(opts.dataDir, false);
    if (current === 0 || (current === pid && !isProcessAlive(pid))) break;
    const now = Date.now();
    if (now >= deadline) {
      out.progress(' failed\n');
      const lines = [`${CTL_PROGRAM}: server does not shut down`];
      if (opts.mode === 'smart') {
        lines.push(
          'HINT: The "-m fast" option immediately disconnects sessions rather than',
          'waiting for session-initiated disconnection.',
        );
      }
      throw new CtlExit(1, lines);
    }
    if (now >= nextDot) {
      out.progress('.');
      nextDot += 1000;
    }
    await sleep(POLL_MS);
  }
  out.progress(' done\nserver stopped\n');
}
