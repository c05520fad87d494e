// postmaster.opts: the server's command line, saved in the data directory at
// startup so `pipeline-ctl status` can show it and `pipeline-ctl restart` can
// reuse it. Written like PostgreSQL's: the program path, then each argument
// double-quoted:  /path/pipelinedb.js "-D" "/data" "-p" "5433"
import fs from 'node:fs';
import path from 'node:path';
import { normalizeValueOptions } from './argv-compat.js';
import { SERVER_VALUE_OPTIONS } from './server-args.js';
import { doubleQuote, splitShellWords } from './shell-words.js';

export const OPTS_FILE_NAME = 'postmaster.opts';

export function formatPostmasterOpts(program: string, args: readonly string[]): string {
  let line = program;
  for (const arg of args) line += ' ' + doubleQuote(arg);
  return line + '\n';
}

/** The arguments after the program path (the path ends where the first ` "` begins). */
export function parsePostmasterOpts(text: string): string[] {
  const line = text.split('\n')[0] ?? '';
  const start = line.indexOf(' "');
  return start < 0 ? [] : splitShellWords(line.slice(start + 1));
}

/**
 * The server arguments for a restart: the saved ones less -D, which
 * pipeline-ctl passes itself, so repeated restarts do not pile up copies.
 */
export function restartArgsFromOpts(text: string): string[] {
  return normalizeValueOptions(parsePostmasterOpts(text), SERVER_VALUE_OPTIONS).filter((arg) => !arg.startsWith('-D='));
}

export function writePostmasterOpts(dataDir: string, program: string, args: readonly string[]): void {
  fs.writeFileSync(path.join(dataDir, OPTS_FILE_NAME), formatPostmasterOpts(program, args), { mode: 0o600 });
}

/** The file's text, or null when there is none. */
export function readPostmasterOptsText(dataDir: string): string | null {
  try {
    return fs.readFileSync(path.join(dataDir, OPTS_FILE_NAME), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
