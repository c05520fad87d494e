// Command line of the foreground server, `pipelinedb -D DIR [-p PORT]
// [-h ADDRESSES] [-c name=value ...] [--name=value ...] [--init-if-missing]`,
// read the way PostgreSQL's postmaster reads its own.
import yargs from 'yargs';
import { allStrings, lastString, normalizeValueOptions } from './argv-compat.js';
import { SERVER_PROGRAM } from './program-names.js';


export type ServerArgsResult =
  | { kind: 'run'; dataDir: string; settings: Record<string, string>; initIfMissing: boolean }
  | { kind: 'help'; text: string }
  | { kind: 'version' }
  /** A mistake on the command line: print `lines` as they are and exit. */
  | { kind: 'usage'; lines: string[]; exitCode: number }
  /** A bad setting: reported as a FATAL log line, as the postmaster does. */
  | { kind: 'fatal'; message: string; exitCode: number };

/** `name=value` as given to `-c` or `--`; dashes in the name become underscores. */
export interface SettingAssignment {
  name: string;
  /** null when there was no `=`. */
  value: string | null;
}

export function parseSettingAssignment(text: string): SettingAssignment {
  const eq = text.indexOf('=');
  const rawName = eq < 0 ? text : text.slice(0, eq);
  return { name: rawName.replaceAll('-', '_'), value: eq < 0 ? null : text.slice(eq + 1) };
}

/** The server's short options that take a value. */
export const SERVER_VALUE_OPTIONS = 'Dphc';

/** Options yargs knows; any other long option is a setting. */
const KNOWN_KEYS = new Set(['_', '$0', 'D', 'p', 'h', 'c', 'init-if-missing', 'help', 'version']);

function tryHelp(): string {
  return `Try "${SERVER_PROGRAM} --help" for more information.`;
}

function buildParser(args: string[]) {
  return yargs(args)
    .scriptName(SERVER_PROGRAM)
    .usage(`${SERVER_PROGRAM} is the PipelineDB server.\n\nUsage:\n  ${SERVER_PROGRAM} [OPTION]...`)
    .help(false)
    .version(false)
    .parserConfiguration({
      // Setting names such as pipelinedb.num_workers or enable-seqscan must arrive untouched.
      'dot-notation': false,
      'camel-case-expansion': false,
      'parse-numbers': false,
      'parse-positional-numbers': false,
      'boolean-negation': false,
      'strip-aliased': true,
    })
    .option('D', { type: 'string', describe: 'data directory (default: $PIPELINEDB_DATA, then $PGDATA)' })
    .option('p', { type: 'string', describe: 'port number to listen on' })
    .option('h', { type: 'string', describe: 'host name or IP address(es) to listen on' })
    .option('c', { type: 'string', describe: 'set run-time parameter NAME=VALUE (repeatable)' })
    .option('init-if-missing', { type: 'boolean', describe: 'create the data directory first when it does not exist yet' })
    .option('help', { type: 'boolean', describe: 'show this help, then exit' })
    .option('version', { type: 'boolean', describe: 'output version information, then exit' })
    .epilog('Any run-time parameter can also be given as --NAME=VALUE.')
    .strict(false)
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new Error(message);
    });
}

/**
 * Parses the server's arguments (without node and script path). The data
 * directory falls back to PIPELINEDB_DATA, then PGDATA.
 */
export async function parseServerArgs(
  rawArgs: readonly string[],
  env: Record<string, string | undefined>,
): Promise<ServerArgsResult> {
  const parser = buildParser(normalizeValueOptions(rawArgs, SERVER_VALUE_OPTIONS));
  let argv: Record<string, unknown>;
  try {
    argv = parser.parseSync() as Record<string, unknown>;
  } catch (e) {
    return { kind: 'usage', lines: [`${SERVER_PROGRAM}: ${(e as Error).message}`, tryHelp()], exitCode: 1 };
  }
  if (argv.help === true) return { kind: 'help', text: await parser.getHelp() };
  if (argv.version === true) return { kind: 'version' };

  const positional = argv._ as unknown[];
  if (positional.length > 0) {
    return { kind: 'usage', lines: [`${SERVER_PROGRAM}: invalid argument: "${String(positional[0])}"`, tryHelp()], exitCode: 1 };
  }

  const settings: Record<string, string> = {};
  for (const text of allStrings(argv.c)) {
    const { name, value } = parseSettingAssignment(text);
    if (value === null) return { kind: 'fatal', message: `-c ${text} requires a value`, exitCode: 1 };
    settings[name] = value;
  }
  for (const key of Object.keys(argv)) {
    if (KNOWN_KEYS.has(key)) continue;
    if (key.length === 1) {
      return { kind: 'usage', lines: [`${SERVER_PROGRAM}: invalid option -- '${key}'`, tryHelp()], exitCode: 1 };
    }
    const value = argv[key];
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (typeof last !== 'string') return { kind: 'fatal', message: `--${key} requires a value`, exitCode: 1 };
    settings[key.replaceAll('-', '_')] = last;
  }
  const port = lastString(argv.p);
  if (port !== undefined) settings.port = port;
  const listen = lastString(argv.h);
  if (listen !== undefined) settings.listen_addresses = listen;

  const dataDir = lastString(argv.D) || env.PIPELINEDB_DATA || env.PGDATA;
  if (!dataDir) {
    return {
      kind: 'usage',
      lines: [
        `${SERVER_PROGRAM} does not know where to find the server configuration file.`,
        'You must specify the -D invocation option or set the PIPELINEDB_DATA or PGDATA environment variable.',
      ],
      exitCode: 2,
    };
  }
  return { kind: 'run', dataDir, settings, initIfMissing: argv['init-if-missing'] === true };
}
