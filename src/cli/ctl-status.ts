// `pipeline-ctl status`: whether a server runs on the data directory, and with
// which command line. Exit codes follow pg_ctl (and LSB): 0 running, 3 not
// running, 4 not a usable data directory.
import { CtlExit, EXIT_NOT_RUNNING, getServerPid } from './ctl-common.js';
import { isProcessAlive } from './pid-file.js';
import { readPostmasterOptsText } from './postmaster-opts.js';
import { CTL_PROGRAM } from './program-names.js';

export function showServerStatus(dataDir: string): void {
  const pid = getServerPid(dataDir, true);
  if (pid !== 0 && isProcessAlive(pid)) {
    let text = `${CTL_PROGRAM}: server is running (PID: ${pid})\n`;
    const opts = readPostmasterOptsText(dataDir);
    if (opts !== null) text += opts.endsWith('\n') ? opts : opts + '\n';
    process.stdout.write(text);
    return;
  }
  process.stdout.write(`${CTL_PROGRAM}: no server running\n`);
  throw new CtlExit(EXIT_NOT_RUNNING, []);
}
