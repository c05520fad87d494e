// End to end: pipeline-ctl init/start/status/reload/stop/restart against a real
// pipelinedb process in a temporary directory, checked with psql.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { findFreePort } from '../harness/server.js';
import { waitUntil } from '../harness/wait.js';

// This file runs from dist/test/cli/; the programs are in dist/src/cli/.
const CTL = fileURLToPath(new URL('../../src/cli/pipeline-ctl.js', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    // Without malloc settings of our own, so that the server's are pipeline-ctl's defaults.
    const { MALLOC_ARENA_MAX: _a, MALLOC_MMAP_THRESHOLD_: _m, ...env } = process.env;
    execFile(file, args, { encoding: 'utf8', env: { ...env, PGCONNECT_TIMEOUT: '10' } }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

function ctl(...args: string[]): Promise<Run> {
  return run(process.execPath, [CTL, ...args]);
}

function psqlSelect1(port: number): Promise<Run> {
  return run('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-Atc', 'select 1']);
}

/** Whether the process exists and is not a zombie (an exited child its new parent has yet to reap). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    // Without /proc (not Linux) kill() is all we have; with it, a missing entry means gone.
    return !fs.existsSync('/proc/self');
  }
}

/** Polls `condition` (every 100 ms, at most 30 s); whether it became true. */
function eventually(condition: () => boolean): Promise<boolean> {
  return waitUntil(condition, true, 30_000, 100);
}

/**
 * The server removes its pid file on its way out, so right after "server
 * stopped" the process may still be finishing its exit.
 */
function exited(pid: number): Promise<boolean> {
  return eventually(() => !isAlive(pid));
}

let root: string;
let dataDir: string;
let logFile: string;
let pidFile: string;
let port: number;

function serverPid(): number {
  return Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
}

async function startServer(): Promise<number> {
  const r = await ctl('start', '-D', dataDir, '-l', logFile, '-o', `-p ${port} -h 127.0.0.1`);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^waiting for server to start\.{3,} done\nserver started\n$/);
  return serverPid();
}

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-ctl-test-'));
  dataDir = path.join(root, 'data');
  logFile = path.join(root, 'server.log');
  pidFile = path.join(dataDir, 'postmaster.pid');
  port = await findFreePort();
});

after(() => {
  // Only ever the server this test started in its own directory.
  if (fs.existsSync(pidFile)) {
    const pid = serverPid();
    if (pid > 0 && isAlive(pid)) process.kill(pid, 'SIGQUIT');
  }
  fs.rmSync(root, { recursive: true, force: true });
});

test('init creates the data directory and says how to start it', async () => {
  const r = await ctl('init', '-D', dataDir, '-U', 'postgres');
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.endsWith(`Success. You can now start the database server using:\n\n    pipeline-ctl -D ${dataDir} -l logfile start\n\n`), r.stdout);
  assert.ok(fs.existsSync(path.join(dataDir, 'PG_VERSION')));

  const again = await ctl('initdb', '-D', dataDir);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /\npipeline-ctl: database system initialization failed\n$/);
});

test('status, stop and reload before any server runs', async () => {
  const status = await ctl('status', '-D', dataDir);
  assert.deepEqual(status, { code: 3, stdout: 'pipeline-ctl: no server running\n', stderr: '' });

  const notRunning = `pipeline-ctl: PID file "${pidFile}" does not exist\nIs server running?\n`;
  assert.deepEqual(await ctl('stop', '-D', dataDir), { code: 1, stdout: '', stderr: notRunning });
  assert.deepEqual(await ctl('reload', '-D', dataDir), { code: 1, stdout: '', stderr: notRunning });
});

test('status on something that is not a data directory exits 4', async () => {
  const missing = path.join(root, 'missing');
  assert.deepEqual(await ctl('status', '-D', missing), {
    code: 4,
    stdout: '',
    stderr: `pipeline-ctl: directory "${missing}" does not exist\n`,
  });
  assert.deepEqual(await ctl('status', '-D', root), {
    code: 4,
    stdout: '',
    stderr: `pipeline-ctl: directory "${root}" is not a database cluster directory\n`,
  });
  assert.equal((await ctl('stop', '-D', root)).code, 1);
});

test('start, status, psql, refused second start, reload, fast stop', async () => {
  const pid = await startServer();
  const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  assert.equal(lines[2 - 1], dataDir);
  assert.equal(lines[4 - 1], String(port));
  assert.equal(lines[8 - 1], 'ready   ');

  const status = await ctl('status', '-D', dataDir);
  assert.equal(status.code, 0);
  const [first, cmdline] = status.stdout.split('\n');
  assert.equal(first, `pipeline-ctl: server is running (PID: ${pid})`);
  assert.match(cmdline!, /pipelinedb\.js "-D" ".*" "-p" "\d+" "-h" "127\.0\.0\.1"$/);
  assert.ok(cmdline!.includes(`"-p" "${port}"`));

  assert.deepEqual(await psqlSelect1(port), { code: 0, stdout: '1\n', stderr: '' });
  // glibc malloc settings that keep freed batch buffers from staying resident (src/cli/server-environment.ts).
  const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  assert.ok(environ.includes('MALLOC_ARENA_MAX=2'), 'MALLOC_ARENA_MAX');
  assert.ok(environ.includes('MALLOC_MMAP_THRESHOLD_=131072'), 'MALLOC_MMAP_THRESHOLD_');

  const second = await ctl('start', '-D', dataDir, '-l', logFile, '-o', `-p ${port} -h 127.0.0.1`);
  assert.equal(second.code, 1);
  assert.match(second.stdout, /^waiting for server to start\.{3,} stopped waiting\n$/);
  assert.ok(second.stderr.startsWith('pipeline-ctl: another server might be running; trying to start server anyway\n' +
    'pipeline-ctl: could not start server\nExamine the log output.\n'), second.stderr);
  assert.match(second.stderr, /FATAL: {2}lock file "postmaster\.pid" already exists\n.*HINT: {2}Is another postmaster \(PID (\d+)\) running in data directory ".*"\?/);
  assert.ok(second.stderr.includes(`(PID ${pid})`));
  assert.equal(serverPid(), pid, 'the first server keeps its lock');
  assert.ok(isAlive(pid));
  assert.deepEqual(await psqlSelect1(port), { code: 0, stdout: '1\n', stderr: '' });

  assert.deepEqual(await ctl('reload', '-D', dataDir), { code: 0, stdout: 'server signaled\n', stderr: '' });
  assert.deepEqual(await psqlSelect1(port), { code: 0, stdout: '1\n', stderr: '' });

  const stop = await ctl('stop', '-D', dataDir);
  assert.equal(stop.code, 0, stop.stderr);
  assert.match(stop.stdout, /^waiting for server to shut down\.{3,} done\nserver stopped\n$/);
  assert.equal(fs.existsSync(pidFile), false);
  assert.equal(await exited(pid), true);
  assert.equal((await ctl('status', '-D', dataDir)).code, 3);
});

for (const mode of ['smart', 'fast', 'immediate']) {
  test(`stop -m ${mode} stops the server and removes the pid file`, async () => {
    const pid = await startServer();
    assert.deepEqual(await psqlSelect1(port), { code: 0, stdout: '1\n', stderr: '' });
    const stop = await ctl('stop', '-D', dataDir, '-m', mode);
    assert.equal(stop.code, 0, stop.stderr);
    assert.match(stop.stdout, /^waiting for server to shut down\.{3,} done\nserver stopped\n$/);
    assert.equal(fs.existsSync(pidFile), false);
    assert.equal(await exited(pid), true);
  });
}

test('a smart shutdown waits for open sessions; a fast stop then ends it', async () => {
  const pid = await startServer();
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  client.on('error', () => {}); // the fast shutdown terminates this session
  await client.connect();
  try {
    assert.deepEqual((await client.query('select 1 as x')).rows, [{ x: 1 }]);
    const smart = await ctl('stop', '-D', dataDir, '-m', 'smart', '-W');
    assert.deepEqual(smart, { code: 0, stdout: 'server shutting down\n', stderr: '' });
    // The session is still open, so the server must still be there.
    assert.deepEqual((await client.query('select 2 as x')).rows, [{ x: 2 }]);
    assert.equal(serverPid(), pid);
    // The signal is handled asynchronously; the status line follows once it is.
    assert.equal(await eventually(() => fs.readFileSync(pidFile, 'utf8').split('\n')[7] === 'stopping'), true);

    const fast = await ctl('stop', '-D', dataDir, '-m', 'fast');
    assert.equal(fast.code, 0, fast.stderr);
    assert.match(fast.stdout, /^waiting for server to shut down\.{3,} done\nserver stopped\n$/);
    assert.equal(fs.existsSync(pidFile), false);
    assert.equal(await exited(pid), true);
  } finally {
    await client.end().catch(() => {});
  }
});

test('restart without -o reuses the saved options; restart with nothing running starts one', async () => {
  const oldPid = await startServer();
  const r = await ctl('restart', '-D', dataDir, '-l', logFile);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^waiting for server to shut down\.{3,} done\nserver stopped\nwaiting for server to start\.{3,} done\nserver started\n$/);
  const newPid = serverPid();
  assert.notEqual(newPid, oldPid);
  assert.equal(await exited(oldPid), true);
  assert.deepEqual(await psqlSelect1(port), { code: 0, stdout: '1\n', stderr: '' });

  assert.equal((await ctl('stop', '-D', dataDir, '-m', 'fast')).code, 0);
  const cold = await ctl('restart', '-D', dataDir, '-l', logFile, '-o', `-p ${port} -h 127.0.0.1`);
  assert.equal(cold.code, 0, cold.stderr);
  assert.equal(cold.stderr, `pipeline-ctl: PID file "${pidFile}" does not exist\nIs server running?\ntrying to start server anyway\n`);
  assert.deepEqual(await psqlSelect1(port), { code: 0, stdout: '1\n', stderr: '' });
  assert.equal((await ctl('stop', '-D', dataDir, '-m', 'immediate')).code, 0);
  assert.equal(fs.existsSync(pidFile), false);
});

test('a server that cannot listen fails to start and leaves no pid file', async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const busy = (blocker.address() as net.AddressInfo).port;
  try {
    const r = await ctl('start', '-D', dataDir, '-l', logFile, '-o', `-p ${busy} -h 127.0.0.1`);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /stopped waiting\n$/);
    assert.ok(r.stderr.startsWith('pipeline-ctl: could not start server\nExamine the log output.\n'), r.stderr);
    assert.match(r.stderr, /FATAL: {2}/);
    assert.equal(fs.existsSync(pidFile), false);
  } finally {
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  }
});
