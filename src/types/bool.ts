// boolean text I/O as PostgreSQL reads it: t/true/y/yes/on/1 and f/false/n/no/off/0,
// case-insensitive, unique prefixes accepted, surrounding whitespace ignored.
import { PgError, SQLSTATE } from '../errors.js';

function isPrefixOf(s: string, word: string, minLen: number): boolean {
  return s.length >= minLen && s.length <= word.length && word.startsWith(s);
}

/** Returns null when the text is not a boolean. */
export function tryParseBool(input: string): boolean | null {
  const s = input.trim().toLowerCase();
  switch (s.charAt(0)) {
    case 't': return isPrefixOf(s, 'true', 1) ? true : null;
    case 'f': return isPrefixOf(s, 'false', 1) ? false : null;
    case 'y': return isPrefixOf(s, 'yes', 1) ? true : null;
    case 'n': return isPrefixOf(s, 'no', 1) ? false : null;
    case 'o':
      // "o" alone is ambiguous
      if (isPrefixOf(s, 'on', 2)) return true;
      if (isPrefixOf(s, 'off', 2)) return false;
      return null;
    case '1': return s.length === 1 ? true : null;
    case '0': return s.length === 1 ? false : null;
    default: return null;
  }
}

export function parseBool(input: string): boolean {
  const v = tryParseBool(input);
  if (v === null) {
    throw new PgError(SQLSTATE.invalid_text_representation, `invalid input syntax for type boolean: "${input}"`);
  }
  return v;
}

export function formatBool(v: boolean): string {
  return v ? 't' : 'f';
}
