// Pattern rewriting for LIKE ... ESCAPE and SIMILAR TO: both are turned into
// the forms the matching operators understand (backslash-escaped LIKE
// patterns, anchored regular expressions).
import { PgError, SQLSTATE } from '../../../errors.js';

function invalidEscape(): PgError {
  return new PgError(SQLSTATE.invalid_escape_sequence, 'invalid escape string', {
    hint: 'Escape string must be empty or one character.',
  });
}

/** like_escape(pattern, escape): rewrites `pattern` to use backslash as its escape character. */
export function likeEscape(pattern: string, escape: string): string {
  if (escape.length > 1) throw invalidEscape();
  if (escape === '\\') return pattern;
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (escape !== '' && c === escape) {
      out += '\\';
      if (i + 1 < pattern.length) out += pattern[++i];
    } else if (c === '\\') {
      out += '\\\\';
    } else out += c;
  }
  return out;
}

/** similar_to_escape(pattern, escape): the SQL regular expression as an anchored POSIX one. */
export function similarToRegex(pattern: string, escape: string | null): string {
  if (escape !== null && escape.length > 1) throw invalidEscape();
  const esc = escape === null || escape === '' ? null : escape;
  let out = '^(?:';
  let inBracket = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (esc !== null && c === esc) {
      if (i + 1 < pattern.length) {
        out += '\\' + pattern[++i];
      } else {
        throw new PgError(SQLSTATE.invalid_escape_sequence, 'invalid escape string', {
          hint: 'Escape string must be empty or one character.',
        });
      }
    } else if (inBracket) {
      if (c === ']') inBracket = false;
      out += c;
    } else if (c === '[') {
      inBracket = true;
      out += c;
    } else if (c === '%') out += '.*';
    else if (c === '_') out += '.';
    else if (c === '(') out += '(?:';
    else if (c === '\\' || c === '.' || c === '^' || c === '$') out += '\\' + c;
    else out += c;
  }
  return out + ')$';
}
