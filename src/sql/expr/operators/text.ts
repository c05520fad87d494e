// String operators: || (text, text with any non-array value, bytea), LIKE
// and ILIKE (~~ !~~ ~~* !~~*), POSIX regular expressions (~ ~* !~ !~*) and
// ^@ (starts with).
import { PgError, SQLSTATE } from '../../../errors.js';
import { OID } from '../../../types/oids.js';
import { compileRegex } from '../../functions/regex.js';
import { textOut } from '../type-bridge.js';
import { op, register } from './define.js';

const { text, bool, anynonarray, bytea } = OID;

/** LIKE matching with % and _ and backslash escapes (PostgreSQL's MatchText). */
export function likeMatch(s: string, p: string): boolean {
  let si = 0;
  let pi = 0;
  let starP = -1;
  let starS = 0;
  while (si < s.length) {
    if (pi < p.length) {
      const c = p.charCodeAt(pi);
      if (c === 37 /* % */) {
        while (pi < p.length && p.charCodeAt(pi) === 37) pi++;
        if (pi === p.length) return true;
        starP = pi;
        starS = si;
        continue;
      }
      if (c === 92 /* \ */) {
        if (pi + 1 >= p.length) {
          throw new PgError(SQLSTATE.invalid_escape_sequence, 'LIKE pattern must not end with escape character');
        }
        if (s.charCodeAt(si) === p.charCodeAt(pi + 1)) {
          si++;
          pi += 2;
          continue;
        }
      } else if (c === 95 /* _ */ || c === s.charCodeAt(si)) {
        si++;
        pi++;
        continue;
      }
    }
    if (starP < 0) return false;
    pi = starP;
    si = ++starS;
  }
  while (pi < p.length && p.charCodeAt(pi) === 37) pi++;
  if (pi < p.length && p.charCodeAt(pi) === 92 && pi + 1 >= p.length) {
    throw new PgError(SQLSTATE.invalid_escape_sequence, 'LIKE pattern must not end with escape character');
  }
  return pi === p.length;
}

const ilike = (s: string, p: string) => likeMatch(s.toLowerCase(), p.toLowerCase());

function regexTest(s: string, pattern: string, flags: string): boolean {
  const re = compileRegex(pattern, flags).re;
  re.lastIndex = 0;
  return re.test(s);
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

register(
  op('||', text, text, text, ([a, b]) => a + b),
  op('||', text, anynonarray, text, ([a, b], ctx, t) => a + (typeof b === 'string' ? b : textOut(t[1], b, ctx.io)), { volatility: 'stable' }),
  op('||', anynonarray, text, text, ([a, b], ctx, t) => (typeof a === 'string' ? a : textOut(t[0], a, ctx.io)) + b, { volatility: 'stable' }),
  op('||', bytea, bytea, bytea, ([a, b]) => concatBytes(a, b)),
  op('~~', text, text, bool, ([s, p]) => likeMatch(s, p)),
  op('!~~', text, text, bool, ([s, p]) => !likeMatch(s, p)),
  op('~~*', text, text, bool, ([s, p]) => ilike(s, p)),
  op('!~~*', text, text, bool, ([s, p]) => !ilike(s, p)),
  op('~', text, text, bool, ([s, p]) => regexTest(s, p, '')),
  op('!~', text, text, bool, ([s, p]) => !regexTest(s, p, '')),
  op('~*', text, text, bool, ([s, p]) => regexTest(s, p, 'i')),
  op('!~*', text, text, bool, ([s, p]) => !regexTest(s, p, 'i')),
  op('^@', text, text, bool, ([s, p]) => (s as string).startsWith(p)),
);
