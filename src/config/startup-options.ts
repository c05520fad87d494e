// The `options` parameter of a StartupMessage: command-line switches for the
// session, split as libpq/PostgreSQL do (whitespace separates words, a
// backslash makes the next character literal), of which `-c name=value`,
// `-cname=value` and `--name=value` set settings.
import { PgError, SQLSTATE } from '../errors.js';

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v';
}

/** Splits an options string into words: whitespace separates, backslash escapes the next character. */
export function splitStartupOptions(options: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < options.length) {
    while (i < options.length && isSpace(options[i]!)) i++;
    if (i >= options.length) break;
    let word = '';
    while (i < options.length && !isSpace(options[i]!)) {
      if (options[i] === '\\' && i + 1 < options.length) i++;
      word += options[i];
      i++;
    }
    words.push(word);
  }
  return words;
}

function badSwitch(word: string): PgError {
  return new PgError(SQLSTATE.syntax_error, `invalid command-line argument for server process: ${word}`, {
    severity: 'FATAL',
    hint: 'Try "pipelinedb --help" for more information.',
  });
}

/** "name=value" -> [name with '-' as '_', value]; `switchText` names the switch in the error. */
function parseLongOption(text: string, switchText: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq < 0) {
    throw new PgError(SQLSTATE.syntax_error, `${switchText}${text} requires a value`, { severity: 'FATAL' });
  }
  return [text.slice(0, eq).replaceAll('-', '_'), text.slice(eq + 1)];
}

/**
 * The settings an options string asks for, in order. Switches other than
 * -c and --name=value are refused (FATAL 42601), as are stray words.
 */
export function parseStartupOptions(options: string): Array<[string, string]> {
  const words = splitStartupOptions(options);
  const out: Array<[string, string]> = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.startsWith('--') && w.length > 2) {
      out.push(parseLongOption(w.slice(2), '--'));
    } else if (w === '-c') {
      const next = words[++i];
      if (next === undefined) throw badSwitch(w);
      out.push(parseLongOption(next, '-c '));
    } else if (w.startsWith('-c')) {
      out.push(parseLongOption(w.slice(2), '-c '));
    } else {
      throw badSwitch(w);
    }
  }
  return out;
}
