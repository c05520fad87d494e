// Command line of pipeline-ctl (modelled on pg_ctl):
//   pipeline-ctl init[db] -D DIR [-U SUPERUSER]
//   pipeline-ctl start    -D DIR [-l LOGFILE] [-o OPTIONS] [-w|-W] [-t SECS] [-s]
//   pipeline-ctl stop     -D DIR [-m smart|fast|immediate] [-w|-W] [-t SECS] [-s]
//   pipeline-ctl restart  -D DIR [-m MODE] [-l LOGFILE] [-o OPTIONS] [-w|-W] [-t SECS] [-s]
//   pipeline-ctl reload   -D DIR [-s]
//   pipeline-ctl status   -D DIR
import yargs from 'yargs';
import type { ShutdownMode } from '../server/server-api.js';
import { allStrings, lastString, normalizeValueOptions } from './argv-compat.js';
import { CTL_PROGRAM } from './program-names.js';
import { splitShellWords } from './shell-words.js';

export type CtlCommand = 'init' | 'start' | 'stop' | 'restart' | 'status' | 'reload';

export interface CtlRequest {
  command: CtlCommand;
  dataDir: string;
  logFile: string | null;
  /** The words of all -o options, or null when none was given (restart then reuses postmaster.opts). */
  serverArgs: string[] | null;
  wait: boolean;
  timeoutSeconds: number;
  shutdownMode: ShutdownMode;
  /** -U for init; null means the default superuser. */
  superuser: string | null;
  silent: boolean;
}

export type CtlArgsResult =
  | { kind: 'run'; request: CtlRequest }
  | { kind: 'help'; text: string }
  | { kind: 'version' }
  | { kind: 'usage'; lines: string[] };

/** pg_ctl's default wait, in seconds. */
export const DEFAULT_WAIT_SECONDS = 60;

const COMMANDS: Record<string, CtlCommand> = {
  init: 'init',
  initdb: 'init',
  start: 'start',
  stop: 'stop',
  restart: 'restart',
  status: 'status',
  reload: 'reload',
};

/** -m accepts the mode names and their first letters. */
export function parseShutdownMode(text: string): ShutdownMode | null {
  switch (text) {
    case 's':
    case 'smart':
      return 'smart';
    case 'f':
    case 'fast':
      return 'fast';
    case 'i':
    case 'immediate':
      return 'immediate';
    default:
      return null;
  }
}

const KNOWN_KEYS = new Set(['_', '$0', 'D', 'l', 'o', 'w', 'W', 't', 'm', 'U', 's', 'help', 'version']);

function usage(message: string): CtlArgsResult {
  return { kind: 'usage', lines: [`${CTL_PROGRAM}: ${message}`, `Try "${CTL_PROGRAM} --help" for more information.`] };
}

function buildParser(args: string[]) {
  return yargs(args)
    .scriptName(CTL_PROGRAM)
    .usage(`${CTL_PROGRAM} initializes, starts, stops, or controls a PipelineDB server.\n\nUsage:\n  ${CTL_PROGRAM} <command> [OPTION]...`)
    .command(['init', 'initdb'], 'initialize a data directory')
    .command('start', 'start the server in the background')
    .command('stop', 'stop the server')
    .command('restart', 'stop the server if it runs, then start it')
    .command('reload', 'make the server re-read its configuration files')
    .command('status', 'tell whether a server runs on the data directory')
    .help(false)
    .version(false)
    .parserConfiguration({
      'dot-notation': false,
      'camel-case-expansion': false,
      'parse-numbers': false,
      'parse-positional-numbers': false,
      'boolean-negation': false,
      'strip-aliased': true,
    })
    .option('D', { alias: 'pgdata', type: 'string', describe: 'data directory (default: $PIPELINEDB_DATA, then $PGDATA)' })
    .option('l', { alias: 'log', type: 'string', describe: 'append the server output to this file' })
    .option('o', { alias: 'options', type: 'string', describe: 'command-line options for pipelinedb (repeatable)' })
    .option('w', { alias: 'wait', type: 'boolean', describe: 'wait until the operation completes (default)' })
    .option('W', { alias: 'no-wait', type: 'boolean', describe: 'do not wait for the operation to complete' })
    .option('t', { alias: 'timeout', type: 'string', describe: `seconds to wait with -w (default: $PGCTLTIMEOUT, then ${DEFAULT_WAIT_SECONDS})` })
    .option('m', { alias: 'mode', type: 'string', describe: 'shutdown mode: smart, fast (default) or immediate' })
    .option('U', { alias: 'username', type: 'string', describe: 'superuser name for init (default: the OS user; postgres for root)' })
    .option('s', { alias: 'silent', type: 'boolean', describe: 'only print errors' })
    .option('help', { type: 'boolean', describe: 'show this help, then exit' })
    .option('version', { type: 'boolean', describe: 'output version information, then exit' })
    .strict(false)
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new Error(message);
    });
}

/** Parses pipeline-ctl's arguments (without node and script path). */
export async function parseCtlArgs(
  rawArgs: readonly string[],
  env: Record<string, string | undefined>,
): Promise<CtlArgsResult> {
  const parser = buildParser(normalizeValueOptions(rawArgs, 'DlotmU', ['pgdata', 'log', 'options', 'timeout', 'mode', 'username']));
  let argv: Record<string, unknown>;
  try {
    argv = parser.parseSync() as Record<string, unknown>;
  } catch (e) {
    return usage((e as Error).message);
  }
  if (argv.help === true) return { kind: 'help', text: await parser.getHelp() };
  if (argv.version === true) return { kind: 'version' };

  for (const key of Object.keys(argv)) {
    if (KNOWN_KEYS.has(key)) continue;
    return usage(key.length === 1 ? `invalid option -- '${key}'` : `unrecognized option '--${key}'`);
  }

  const positional = (argv._ as unknown[]).map(String);
  if (positional.length === 0) return usage('no operation specified');
  const command = COMMANDS[positional[0]!];
  if (command === undefined) return usage(`unrecognized operation mode "${positional[0]}"`);
  if (positional.length > 1) return usage(`too many command-line arguments (first is "${positional[1]}")`);

  const modeText = lastString(argv.m);
  let shutdownMode: ShutdownMode = 'fast';
  if (modeText !== undefined) {
    const mode = parseShutdownMode(modeText);
    if (mode === null) return usage(`unrecognized shutdown mode "${modeText}"`);
    shutdownMode = mode;
  }

  const timeoutText = lastString(argv.t) ?? env.PGCTLTIMEOUT;
  let timeoutSeconds = DEFAULT_WAIT_SECONDS;
  if (timeoutText !== undefined && timeoutText !== '') {
    const n = Number(timeoutText);
    if (!Number.isInteger(n) || n < 0) return usage(`invalid timeout "${timeoutText}"`);
    timeoutSeconds = n;
  }

  const optionTexts = allStrings(argv.o);
  let serverArgs: string[] | null = null;
  if (optionTexts.length > 0) {
    try {
      serverArgs = splitShellWords(optionTexts.join(' '));
    } catch (e) {
      return usage((e as Error).message);
    }
  }

  const dataDir = lastString(argv.D) || env.PIPELINEDB_DATA || env.PGDATA;
  if (!dataDir) {
    return usage('no database directory specified and environment variables PIPELINEDB_DATA and PGDATA unset');
  }

  return {
    kind: 'run',
    request: {
      command,
      dataDir: stripTrailingSlashes(dataDir),
      logFile: lastString(argv.l) ?? null,
      serverArgs,
      wait: argv.W !== true || argv.w === true,
      timeoutSeconds,
      shutdownMode,
      superuser: lastString(argv.U) ?? null,
      silent: argv.s === true,
    },
  };
}

/** As pg_ctl canonicalizes -D, so "DIR/" prints as "DIR" in messages. */
function stripTrailingSlashes(dir: string): string {
  let end = dir.length;
  while (end > 1 && dir[end - 1] === '/') end--;
  return dir.slice(0, end);
}
