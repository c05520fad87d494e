#!/usr/bin/env node
// pipeline-ctl: initialize, start, stop, restart, reload a PipelineDB server or
// ask for its status, with pg_ctl's options, messages and exit codes.
import { hideBin } from 'yargs/helpers';
import { PRODUCT_NAME, PRODUCT_VERSION } from '../version.js';
import { parseCtlArgs, type CtlRequest } from './ctl-args.js';
import { CtlExit, CtlOutput } from './ctl-common.js';
import { initDataDir } from './ctl-init.js';
import { reloadServer } from './ctl-reload.js';
import { startServerProcess } from './ctl-start.js';
import { showServerStatus } from './ctl-status.js';
import { restartServer, stopServer } from './ctl-stop.js';
import { readPostmasterOptsText, restartArgsFromOpts } from './postmaster-opts.js';
import { CTL_PROGRAM } from './program-names.js';

/** restart without -o reuses the arguments the running server was started with. */
function restartArgs(request: CtlRequest): string[] {
  if (request.serverArgs !== null) return request.serverArgs;
  const text = readPostmasterOptsText(request.dataDir);
  return text === null ? [] : restartArgsFromOpts(text);
}

async function run(request: CtlRequest): Promise<void> {
  const out = new CtlOutput(request.silent);
  const { dataDir } = request;
  const start = {
    dataDir,
    logFile: request.logFile,
    serverArgs: request.serverArgs ?? [],
    wait: request.wait,
    timeoutSeconds: request.timeoutSeconds,
    warnIfRunning: true,
    out,
  };
  const stop = { dataDir, mode: request.shutdownMode, wait: request.wait, timeoutSeconds: request.timeoutSeconds, out };
  switch (request.command) {
    case 'init':
      return initDataDir(dataDir, request.superuser, out);
    case 'start':
      return startServerProcess(start);
    case 'stop':
      return stopServer(stop);
    case 'restart':
      // Restart always waits for the old server to go, as pg_ctl does.
      return restartServer({ ...stop, wait: true }, { ...start, serverArgs: restartArgs(request) });
    case 'status':
      return showServerStatus(dataDir);
    case 'reload':
      return reloadServer(dataDir, out);
  }
}

async function main(): Promise<number> {
  const parsed = await parseCtlArgs(hideBin(process.argv), process.env);
  switch (parsed.kind) {
    case 'help':
      process.stdout.write(parsed.text + '\n');
      return 0;
    case 'version':
      process.stdout.write(`${CTL_PROGRAM} (${PRODUCT_NAME}) ${PRODUCT_VERSION}\n`);
      return 0;
    case 'usage':
      process.stderr.write(parsed.lines.join('\n') + '\n');
      return 1;
    case 'run':
      break;
  }
  try {
    await run(parsed.request);
    return 0;
  } catch (e) {
    if (!(e instanceof CtlExit)) throw e;
    if (e.lines.length > 0) process.stderr.write(e.lines.join('\n') + '\n');
    return e.exitCode;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${CTL_PROGRAM}: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
