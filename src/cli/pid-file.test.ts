import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  acquirePidFile,
  formatPidFile,
  isProcessAlive,
  LockFileError,
  parsePidFile,
  pidFilePath,
  readPidFile,
  type PidFileContents,
} from './pid-file.js';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'pidfile-test-'));
}

/** The pid of a process that has already exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  assert.ok(r.pid !== undefined && r.pid > 0);
  return r.pid;
}

const sample: PidFileContents = {
  pid: 4242,
  dataDir: '/var/lib/pdb',
  startTime: 1700000000,
  port: 5433,
  socketDir: '',
  listenAddress: '127.0.0.1',
  status: 'ready',
};

function initial(dataDir: string) {
  return { dataDir, startTime: 1700000000, port: null, socketDir: '', listenAddress: '*', status: 'starting' as const };
}

test('formatPidFile writes PostgreSQL\'s eight lines with a padded status', () => {
  assert.equal(formatPidFile(sample), '4242\n/var/lib/pdb\n1700000000\n5433\n\n127.0.0.1\n\nready   \n');
  assert.equal(formatPidFile({ ...sample, port: null, status: 'stopping' }).split('\n')[3], '');
  assert.deepEqual(parsePidFile(formatPidFile(sample)), sample);
});

test('parsePidFile accepts partial files and rejects a bad pid line', () => {
  assert.deepEqual(parsePidFile('77\n/d\n'), {
    pid: 77,
    dataDir: '/d',
    startTime: 0,
    port: null,
    socketDir: '',
    listenAddress: '',
    status: '',
  });
  assert.equal(parsePidFile(''), null);
  assert.equal(parsePidFile('abc\n'), null);
  assert.equal(parsePidFile('-5\n'), null);
  assert.equal(parsePidFile('0\n'), null);
});

test('isProcessAlive: this process is, an exited one is not', () => {
  assert.equal(isProcessAlive(process.pid), true);
  assert.equal(isProcessAlive(deadPid()), false);
});

test('acquire creates the file with our pid; update rewrites it; release removes it', () => {
  const dir = tempDir();
  try {
    const lock = acquirePidFile(dir, initial(dir));
    assert.equal(fs.readFileSync(pidFilePath(dir), 'utf8'), `${process.pid}\n${dir}\n1700000000\n\n\n*\n\nstarting\n`);
    lock.update({ port: 6543, status: 'ready' });
    assert.deepEqual(readPidFile(dir), { ...initial(dir), pid: process.pid, port: 6543, status: 'ready' });
    assert.deepEqual(fs.readdirSync(dir), ['postmaster.pid']);
    lock.release();
    assert.equal(fs.existsSync(pidFilePath(dir)), false);
    assert.equal(readPidFile(dir), null);
    lock.release(); // twice is harmless
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('acquire refuses while the recorded process is alive, naming it in the hint', () => {
  const dir = tempDir();
  try {
    // pid 1 always exists (for non-root it answers EPERM, which still means alive).
    fs.writeFileSync(pidFilePath(dir), formatPidFile({ ...sample, pid: 1, dataDir: dir }));
    assert.throws(
      () => acquirePidFile(dir, initial(dir)),
      (e: unknown) =>
        e instanceof LockFileError &&
        e.message === 'lock file "postmaster.pid" already exists' &&
        e.hint === `Is another postmaster (PID 1) running in data directory "${dir}"?`,
    );
    assert.equal(readPidFile(dir)?.pid, 1, 'the other lock is left alone');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('acquire replaces a stale lock whose process is gone', () => {
  const dir = tempDir();
  try {
    const dead = deadPid();
    fs.writeFileSync(pidFilePath(dir), formatPidFile({ ...sample, pid: dead, dataDir: dir }));
    const lock = acquirePidFile(dir, initial(dir));
    assert.equal(readPidFile(dir)?.pid, process.pid);
    lock.release();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('acquire refuses an empty or garbled lock file', () => {
  const dir = tempDir();
  try {
    fs.writeFileSync(pidFilePath(dir), '');
    assert.throws(() => acquirePidFile(dir, initial(dir)), {
      name: 'LockFileError',
      message: 'lock file "postmaster.pid" is empty',
    });
    fs.writeFileSync(pidFilePath(dir), 'garbage\n');
    assert.throws(() => acquirePidFile(dir, initial(dir)), {
      name: 'LockFileError',
      message: 'bogus data in lock file "postmaster.pid": "garbage"',
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('release leaves a lock file that now belongs to another process', () => {
  const dir = tempDir();
  try {
    const lock = acquirePidFile(dir, initial(dir));
    fs.writeFileSync(pidFilePath(dir), formatPidFile({ ...sample, pid: 1 }));
    lock.release();
    assert.equal(readPidFile(dir)?.pid, 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the lock is released when the holding process exits, even on an uncaught error', () => {
  const dir = tempDir();
  try {
    const moduleUrl = new URL('./pid-file.js', import.meta.url).href;
    const script = `
      import { acquirePidFile } from ${JSON.stringify(moduleUrl)};
      const lock = acquirePidFile(process.argv[1], { dataDir: process.argv[1], startTime: 0, port: null, socketDir: '', listenAddress: '', status: 'starting' });
      process.on('exit', () => lock.release());
      process.on('uncaughtException', () => process.exit(1));
      setTimeout(() => { throw new Error('boom'); }, 0);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, dir], { encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(fs.existsSync(pidFilePath(dir)), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
