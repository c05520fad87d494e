// `pipeline-ctl init` (alias initdb): creates a data directory, then prints how
// to start a server on it, as initdb does.
import { defaultSuperuser, initDataDirectory } from '../storage/init.js';
import { CtlExit, CtlOutput } from './ctl-common.js';
import { CTL_PROGRAM } from './program-names.js';
import { shellQuote } from './shell-words.js';

export async function initDataDir(dataDir: string, superuser: string | null, out: CtlOutput): Promise<void> {
  const user = superuser ?? defaultSuperuser();
  out.progress(`The database superuser will be named "${user}".\n\ncreating directory ${dataDir} ... `);
  try {
    await initDataDirectory(dataDir, { superuser: user });
  } catch (e) {
    out.progress('failed\n');
    throw new CtlExit(1, [
      `${CTL_PROGRAM}: ${(e as Error).message}`,
      `${CTL_PROGRAM}: database system initialization failed`,
    ]);
  }
  out.progress(
    'ok\n\n' +
      'Success. You can now start the database server using:\n\n' +
      `    ${CTL_PROGRAM} -D ${shellQuote(dataDir)} -l logfile start\n\n`,
  );
}
