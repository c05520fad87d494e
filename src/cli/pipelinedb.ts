#!/usr/bin/env node
// The foreground server, like `postgres -D DIR`: takes the data directory lock,
// runs the server until a shutdown signal, and exits when it has stopped.
//   SIGTERM: smart shutdown   SIGINT: fast   SIGQUIT: immediate   SIGHUP: reload
import fs from 'node:fs';
import path from 'node:path';
import { hideBin } from 'yargs/helpers';
import type { RunningServer, ShutdownMode } from '../server/server-api.js';
import { startServer } from '../server/server.js';
import { defaultSuperuser, initDataDirectory, isDataDirectory } from '../storage/init.js';
import { PRODUCT_NAME, PRODUCT_VERSION } from '../version.js';
import { logToStderr } from './log-line.js';
import { acquirePidFile, LockFileError, type PidFileLock } from './pid-file.js';
import { writePostmasterOpts } from './postmaster-opts.js';
import { SERVER_PROGRAM } from './program-names.js';
import { parseServerArgs } from './server-args.js';
import { escalateShutdown, SHUTDOWN_SIGNALS } from './shutdown-signals.js';
import { describeStartupFailure } from './startup-errors.js';

let lock: PidFileLock | null = null;

function logFailure(err: unknown): void {
  for (const entry of describeStartupFailure(err)) logToStderr(entry.severity, entry.message, entry.fields);
}

/** The first entry of listen_addresses, as line 6 of the lock file records it. */
function firstListenAddress(value: string | undefined): string {
  if (value === undefined) return '';
  const comma = value.indexOf(',');
  return (comma < 0 ? value : value.slice(0, comma)).trim();
}

function portSetting(value: string | undefined): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : null;
}

/** Makes sure `dataDir` holds a data directory; returns an exit code on failure. */
async function prepareDataDirectory(dataDir: string, initIfMissing: boolean): Promise<number | null> {
  if (isDataDirectory(dataDir)) return null;
  if (initIfMissing) {
    try {
      await initDataDirectory(dataDir, { superuser: defaultSuperuser() });
    } catch (err) {
      logFailure(err);
      return 1;
    }
    logToStderr('LOG', `initialized data directory "${dataDir}"`);
    return null;
  }
  if (!fs.existsSync(dataDir)) {
    process.stderr.write(
      `${SERVER_PROGRAM}: could not access directory "${dataDir}": No such file or directory\n` +
        `Run "pipeline-ctl init -D ${dataDir}" to initialize a data directory.\n`,
    );
    return 2;
  }
  logToStderr('FATAL', `"${dataDir}" is not a valid data directory`, {
    hint: `Run "pipeline-ctl init -D ${dataDir}" to initialize a data directory.`,
  });
  return 1;
}

async function main(): Promise<number> {
  const rawArgs = hideBin(process.argv);
  const parsed = await parseServerArgs(rawArgs, process.env);
  switch (parsed.kind) {
    case 'help':
      process.stdout.write(parsed.text + '\n');
      return 0;
    case 'version':
      process.stdout.write(`${SERVER_PROGRAM} (${PRODUCT_NAME}) ${PRODUCT_VERSION}\n`);
      return 0;
    case 'usage':
      process.stderr.write(parsed.lines.join('\n') + '\n');
      return parsed.exitCode;
    case 'fatal':
      logToStderr('FATAL', parsed.message);
      return parsed.exitCode;
    case 'run':
      break;
  }

  const dataDir = path.resolve(parsed.dataDir);
  const prepared = await prepareDataDirectory(dataDir, parsed.initIfMissing);
  if (prepared !== null) return prepared;

  try {
    lock = acquirePidFile(dataDir, {
      dataDir,
      startTime: Math.floor(Date.now() / 1000),
      port: portSetting(parsed.settings.port),
      socketDir: '',
      listenAddress: firstListenAddress(parsed.settings.listen_addresses),
      status: 'starting',
    });
  } catch (err) {
    if (!(err instanceof LockFileError)) throw err;
    logToStderr('FATAL', err.message, { hint: err.hint });
    return 1;
  }
  writePostmasterOpts(dataDir, path.resolve(process.argv[1] ?? SERVER_PROGRAM), rawArgs);

  // Signals are handled from here on, so a request arriving during startup is
  // remembered and carried out once the server is up. The server logs the requests.
  let server: RunningServer | null = null;
  let mode: ShutdownMode | null = null;
  const heldLock = lock;
  const requestShutdown = (requested: ShutdownMode): void => {
    const next = escalateShutdown(mode, requested);
    if (next === null) return;
    mode = next;
    heldLock.update({ status: 'stopping' });
    if (server !== null) server.shutdown(next).catch(fatalError);
  };
  for (const [signal, signalMode] of SHUTDOWN_SIGNALS) process.on(signal, () => requestShutdown(signalMode));
  process.on('SIGHUP', () => {
    if (server === null) return;
    try {
      server.reload();
    } catch (err) {
      logToStderr('LOG', `could not reload configuration: ${(err as Error).message}`);
    }
  });

  let running: RunningServer;
  try {
    running = await startServer({ dataDir, settings: parsed.settings });
  } catch (err) {
    logFailure(err);
    return 1;
  }
  server = running;
  if (mode !== null) {
    running.shutdown(mode).catch(fatalError);
  } else {
    heldLock.update({ port: running.port, status: 'ready' });
  }
  await running.closed;
  // PostgreSQL's postmaster exits 0 after every kind of requested shutdown, immediate included.
  return 0;
}

function fatalError(err: unknown): void {
  logFailure(err);
  process.exit(1);
}

// The lock must go whichever way the process ends (short of SIGKILL).
process.on('exit', () => lock?.release());
process.on('uncaughtException', fatalError);
process.on('unhandledRejection', fatalError);

main().then((code) => process.exit(code), fatalError);
