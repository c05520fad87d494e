// The postmaster.pid lock in the data directory. It keeps two servers off one
// directory and tells pipeline-ctl which process to signal and whether startup
// has finished. Line layout follows PostgreSQL 11, so tools that read its lock
// file find the same fields on the same lines:
//   1 pid   2 data directory   3 start time (epoch seconds)   4 port
//   5 Unix-socket directory (empty: none)   6 first listen address
//   7 shared-memory key (empty: none)   8 status, padded to 8 characters
import fs from 'node:fs';
import path from 'node:path';

export const PID_FILE_NAME = 'postmaster.pid';

export type PidFileStatus = 'starting' | 'ready' | 'stopping';

export interface PidFileContents {
  pid: number;
  dataDir: string;
  /** Seconds since the epoch when the server started. */
  startTime: number;
  /** null until known. */
  port: number | null;
  socketDir: string;
  listenAddress: string;
  /** '' when the file has no status line yet. */
  status: PidFileStatus | '';
}

/** A lock-file failure, reported as FATAL with a HINT like the postmaster's. */
export class LockFileError extends Error {
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'LockFileError';
    this.hint = hint;
  }
}

export function pidFilePath(dataDir: string): string {
  return path.join(dataDir, PID_FILE_NAME);
}

export function formatPidFile(c: PidFileContents): string {
  return (
    [
      String(c.pid),
      c.dataDir,
      String(c.startTime),
      c.port === null ? '' : String(c.port),
      c.socketDir,
      c.listenAddress,
      '',
      c.status.padEnd(8, ' '),
    ].join('\n') + '\n'
  );
}

function parseStatus(line: string | undefined): PidFileStatus | '' {
  const s = line?.trimEnd() ?? '';
  return s === 'starting' || s === 'ready' || s === 'stopping' ? s : '';
}

function parseDigits(line: string | undefined): number | null {
  if (line === undefined) return null;
  const s = line.trim();
  if (s.length === 0) return null;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch < 48 || ch > 57) return null;
  }
  return Number(s);
}

/** Reads the fields of a lock file; null when line 1 is not a positive pid. */
export function parsePidFile(text: string): PidFileContents | null {
  const lines = text.split('\n');
  const pid = parseDigits(lines[0]);
  if (pid === null || pid <= 0) return null;
  return {
    pid,
    dataDir: lines[1] ?? '',
    startTime: parseDigits(lines[2]) ?? 0,
    port: parseDigits(lines[3]),
    socketDir: lines[4] ?? '',
    listenAddress: lines[5] ?? '',
    status: parseStatus(lines[7]),
  };
}

/** The raw text of the lock file, or null when there is none. */
export function readPidFileText(dataDir: string): string | null {
  try {
    return fs.readFileSync(pidFilePath(dataDir), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** The lock file's fields, or null when there is no (valid) lock file. */
export function readPidFile(dataDir: string): PidFileContents | null {
  const text = readPidFileText(dataDir);
  return text === null ? null : parsePidFile(text);
}

/** Whether a process with this pid exists (EPERM means it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock held by this process; see acquirePidFile. */
export class PidFileLock {
  private contents: PidFileContents;
  private released = false;
  readonly path: string;

  constructor(readonly dataDir: string, contents: PidFileContents) {
    this.contents = contents;
    this.path = pidFilePath(dataDir);
  }

  get current(): Readonly<PidFileContents> {
    return this.contents;
  }

  /**
   * Rewrites the file with changed fields. The new text goes to a temporary
   * file that is renamed over the lock, so readers never see a partial file.
   */
  update(changes: Partial<Omit<PidFileContents, 'pid' | 'dataDir' | 'startTime'>>): void {
    if (this.released) return;
    this.contents = { ...this.contents, ...changes };
    const tmp = `${this.path}.${this.contents.pid}.tmp`;
    fs.writeFileSync(tmp, formatPidFile(this.contents), { mode: 0o600 });
    fs.renameSync(tmp, this.path);
  }

  /** Removes the lock file if it is still ours. Synchronous so it can run in an 'exit' handler. */
  release(): void {
    if (this.released) return;
    this.released = true;
    try {
      const onDisk = readPidFile(this.dataDir);
      if (onDisk !== null && onDisk.pid !== this.contents.pid) return;
      fs.unlinkSync(this.path);
    } catch {
      // Already gone or unreadable: nothing more we can do at exit.
    }
  }
}

/** How many times to retry after removing a stale lock file, as another starter may race us. */
const MAX_LOCK_ATTEMPTS = 100;

/**
 * Creates postmaster.pid atomically (O_CREAT|O_EXCL). An existing file whose
 * process is alive makes this throw LockFileError; a stale one (dead process)
 * is removed and creation retried. The pid of this process and of its parent
 * count as stale, since after a reboot the old pid may have been reused by them.
 */
export function acquirePidFile(dataDir: string, initial: Omit<PidFileContents, 'pid'>): PidFileLock {
  const file = pidFilePath(dataDir);
  const contents: PidFileContents = { pid: process.pid, ...initial };
  const text = formatPidFile(contents);
  for (let attempt = 0; attempt < MAX_LOCK_ATTEMPTS; attempt++) {
    let fd: number;
    try {
      fd = fs.openSync(file, 'wx', 0o600);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code !== 'EEXIST') {
        throw new LockFileError(`could not create lock file "${PID_FILE_NAME}": ${err.message}`);
      }
      checkExistingLock(dataDir, file);
      continue;
    }
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } catch (e) {
      fs.closeSync(fd);
      fs.rmSync(file, { force: true });
      throw new LockFileError(`could not write lock file "${PID_FILE_NAME}": ${(e as Error).message}`);
    }
    fs.closeSync(fd);
    return new PidFileLock(dataDir, contents);
  }
  throw new LockFileError(`could not create lock file "${PID_FILE_NAME}": too many attempts`);
}

/** Throws if the existing lock belongs to a live server; removes it otherwise. */
function checkExistingLock(dataDir: string, file: string): void {
  let existing: string;
  try {
    existing = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // removed meanwhile: retry
    throw new LockFileError(`could not open lock file "${PID_FILE_NAME}": ${(e as Error).message}`);
  }
  if (existing.length === 0) {
    throw new LockFileError(
      `lock file "${PID_FILE_NAME}" is empty`,
      'Either another server is starting, or the lock file is the remnant of a previous server startup crash.',
    );
  }
  const parsed = parsePidFile(existing);
  if (parsed === null) {
    throw new LockFileError(`bogus data in lock file "${PID_FILE_NAME}": "${existing.split('\n')[0]}"`);
  }
  const otherPid = parsed.pid;
  if (otherPid !== process.pid && otherPid !== process.ppid && isProcessAlive(otherPid)) {
    throw new LockFileError(
      `lock file "${PID_FILE_NAME}" already exists`,
      `Is another postmaster (PID ${otherPid}) running in data directory "${dataDir}"?`,
    );
  }
  try {
    fs.unlinkSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new LockFileError(
        `could not remove old lock file "${PID_FILE_NAME}": ${(e as Error).message}`,
        'The file seems accidentally left over, but it could not be removed. Please remove the file by hand and try again.',
      );
    }
  }
}
