// What pipeline-ctl's commands share: how they report, how they end with an
// exit code, and how they find the server's pid (pg_ctl's get_pgpid).
import fs from 'node:fs';
import { isDataDirectory } from '../storage/init.js';
import { strerror } from './argv-compat.js';
import { PID_FILE_NAME, parsePidFile, readPidFileText } from './pid-file.js';
import { CTL_PROGRAM } from './program-names.js';

/** pg_ctl's exit code for status when no server runs (LSB "program is not running"). */
export const EXIT_NOT_RUNNING = 3;
/** pg_ctl's exit code for status when the data directory is unusable (LSB "status is unknown"). */
export const EXIT_STATUS_UNKNOWN = 4;

/** Ends a command: `lines` go to stderr and the process exits with `exitCode`. */
export class CtlExit extends Error {
  constructor(
    readonly exitCode: number,
    readonly lines: string[],
  ) {
    super(lines.join('\n'));
    this.name = 'CtlExit';
  }
}

/** Progress output (stdout), silenced by -s; errors bypass it and go to stderr. */
export class CtlOutput {
  constructor(private readonly silent: boolean) {}

  /** Writes `text` as is (no newline added), so dots can follow "waiting...". */
  progress(text: string): void {
    if (!this.silent) process.stdout.write(text);
  }

  warn(line: string): void {
    process.stderr.write(line + '\n');
  }
}

/** The lock file's path as messages show it: the -D argument as given, plus the file name. */
export function pidFileDisplayPath(dataDir: string): string {
  return `${dataDir}/${PID_FILE_NAME}`;
}

/**
 * The pid recorded in the data directory's lock file, or 0 when there is none.
 * Exits (code 4 for status, else 1) when the directory is missing or is not a
 * data directory, as pg_ctl does.
 */
export function getServerPid(dataDir: string, forStatus: boolean): number {
  const failCode = forStatus ? EXIT_STATUS_UNKNOWN : 1;
  try {
    fs.statSync(dataDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CtlExit(failCode, [`${CTL_PROGRAM}: directory "${dataDir}" does not exist`]);
    }
    throw new CtlExit(failCode, [`${CTL_PROGRAM}: could not access directory "${dataDir}": ${strerror(e)}`]);
  }
  if (!isDataDirectory(dataDir)) {
    throw new CtlExit(failCode, [`${CTL_PROGRAM}: directory "${dataDir}" is not a database cluster directory`]);
  }
  let text: string | null;
  try {
    text = readPidFileText(dataDir);
  } catch (e) {
    throw new CtlExit(1, [`${CTL_PROGRAM}: could not open PID file "${pidFileDisplayPath(dataDir)}": ${strerror(e)}`]);
  }
  if (text === null) return 0;
  // A lock file being written right now may still be empty.
  if (text.length === 0) return 0;
  const parsed = parsePidFile(text);
  if (parsed === null) throw new CtlExit(1, [`${CTL_PROGRAM}: invalid data in PID file "${pidFileDisplayPath(dataDir)}"`]);
  return parsed.pid;
}

/** The usual message pair when a command needs a running server and there is no lock file. */
export function noPidFileLines(dataDir: string): string[] {
  return [`${CTL_PROGRAM}: PID file "${pidFileDisplayPath(dataDir)}" does not exist`, 'Is server running?'];
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Sends `signal` to the server; on failure exits with pg_ctl's message for that kind of signal. */
export function signalServer(pid: number, signal: NodeJS.Signals, what: 'stop' | 'reload'): void {
  try {
    process.kill(pid, signal);
  } catch (e) {
    throw new CtlExit(1, [`${CTL_PROGRAM}: could not send ${what} signal (PID: ${pid}): ${strerror(e)}`]);
  }
}
