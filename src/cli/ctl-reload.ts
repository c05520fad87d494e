// `pipeline-ctl reload`: SIGHUP makes the server re-read pipelinedb.conf and pg_hba.conf.
import { CtlExit, CtlOutput, getServerPid, noPidFileLines, signalServer } from './ctl-common.js';

export function reloadServer(dataDir: string, out: CtlOutput): void {
  const pid = getServerPid(dataDir, false);
  if (pid === 0) throw new CtlExit(1, noPidFileLines(dataDir));
  signalServer(pid, 'SIGHUP', 'reload');
  out.progress('server signaled\n');
}
