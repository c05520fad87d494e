// POSIX regular expressions (PostgreSQL's ARE flavour) run on the JavaScript
// engine: patterns are translated once and cached, since a query applies the
// same pattern to every row.
import { PgError, SQLSTATE } from '../../errors.js';
import { OID } from '../../types/oids.js';
import { PgArray } from '../../types/values.js';
import { registerFunction } from './catalog.js';
import { fn } from './define.js';
import { RowMeter } from './row-meter.js';

const { text, _text } = OID;
const set = { returnsSet: true };

export interface CompiledRegex {
  re: RegExp;
  global: boolean;
}

const POSIX_CLASSES: Record<string, string> = {
  alpha: '\\p{L}',
  digit: '0-9',
  alnum: '\\p{L}\\p{Nd}',
  upper: '\\p{Lu}',
  lower: '\\p{Ll}',
  space: '\\s',
  blank: ' \\t',
  punct: '\\p{P}\\p{S}',
  xdigit: '0-9A-Fa-f',
  word: '\\w',
  cntrl: '\\p{Cc}',
  print: '\\P{C}',
  graph: '\\p{L}\\p{M}\\p{N}\\p{P}\\p{S}',
};

/** Characters that must stay escaped in a JavaScript /u pattern. */
const SYNTAX = new Set(['^', '$', '\\', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '/', '-']);

function invalid(msg: string): PgError {
  return new PgError(SQLSTATE.invalid_regular_expression, `invalid regular expression: ${msg}`);
}

/** Translates an ARE pattern into JavaScript syntax (with the `u` flag). */
function translatePattern(p: string, literal: boolean): string {
  if (literal) return p.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  let out = '';
  let depth = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      const n = p[++i];
      if (n === undefined) throw invalid('invalid escape \\ sequence');
      switch (n) {
        case 'm': out += '\\b(?=[\\p{L}\\p{N}_])'; break;
        case 'M': out += '\\b(?<=[\\p{L}\\p{N}_])'; break;
        case 'y': out += '\\b'; break;
        case 'Y': out += '\\B'; break;
        case 'A': out += '(?<![\\s\\S])'; break;
        case 'Z': out += '(?![\\s\\S])'; break;
        default:
          if (/[0-9dDsSwWntrfvx u]/.test(n)) out += '\\' + n;
          else if (SYNTAX.has(n)) out += '\\' + n;
          else if (/[A-Za-z]/.test(n)) throw invalid('invalid escape \\ sequence');
          else out += n;
      }
    } else if (c === '[') {
      i = translateBracket(p, i, (s) => (out += s));
    } else if (c === '(') {
      depth++;
      out += c;
    } else if (c === ')') {
      if (depth === 0) throw invalid('parentheses () not balanced');
      depth--;
      out += c;
    } else if (c === '{') {
      // a bound like {2} or {2,5} stays a quantifier; any other brace is literal
      const bound = /^\{\d+(,\d*)?\}/.exec(p.slice(i));
      if (bound) {
        out += bound[0];
        i += bound[0].length - 1;
      } else out += '\\{';
    } else if (c === '}' || c === ']' || c === '/') out += '\\' + c;
    else out += c;
  }
  if (depth !== 0) throw invalid('parentheses () not balanced');
  return out;
}

/** Copies a bracket expression starting at p[i] === '['; returns the index of its ']'. */
function translateBracket(p: string, i: number, emit: (s: string) => void): number {
  let out = '[';
  let j = i + 1;
  if (p[j] === '^') {
    out += '^';
    j++;
  }
  if (p[j] === ']') {
    out += '\\]';
    j++;
  }
  for (; j < p.length; j++) {
    const c = p[j]!;
    if (c === ']') {
      emit(out + ']');
      return j;
    }
    if (c === '[' && p[j + 1] === ':') {
      const end = p.indexOf(':]', j + 2);
      if (end < 0) throw invalid('brackets [] not balanced');
      const cls = POSIX_CLASSES[p.slice(j + 2, end)];
      if (cls === undefined) throw invalid('invalid character class');
      out += cls;
      j = end + 1;
    } else if (c === '\\') {
      const n = p[++j];
      if (n === undefined) throw invalid('brackets [] not balanced');
      out += /[dDsSwWntrfv\\\]\[^-]/.test(n) ? '\\' + n : n;
    } else if (c === '[' || c === '/' || c === '{' || c === '}' || c === '(' || c === ')' || c === '|') {
      out += '\\' + c;
    } else out += c;
  }
  throw invalid('brackets [] not balanced');
}

const cache = new Map<string, CompiledRegex>();
const CACHE_LIMIT = 64;

/**
 * Compiles pattern with PostgreSQL flag letters (g i c n p w s x q, and m as
 * n). `g` is reported separately because JavaScript's g flag carries state.
 */
export function compileRegex(pattern: string, flags = ''): CompiledRegex {
  const key = flags + '\u0000' + pattern;
  const hit = cache.get(key);
  if (hit) return hit;
  let icase = false;
  let newlineSensitive = false;
  let global = false;
  let literal = false;
  let expanded = false;
  let p = pattern;
  // ARE embedded options: (?flags) at the very start.
  const embedded = /^\(\?([a-z]+)\)/.exec(p);
  if (embedded) {
    flags = flags + embedded[1]!;
    p = p.slice(embedded[0].length);
  }
  for (const f of flags) {
    switch (f) {
      case 'g': global = true; break;
      case 'i': icase = true; break;
      case 'c': icase = false; break;
      case 'n': case 'm': case 'w': newlineSensitive = true; break;
      case 'p': newlineSensitive = true; break;
      case 's': newlineSensitive = false; break;
      case 'x': expanded = true; break;
      case 'q': literal = true; break;
      case 't': expanded = false; break;
      default:
        throw new PgError(SQLSTATE.invalid_parameter_value, `invalid regular expression option: "${f}"`);
    }
  }
  if (expanded) p = stripExpanded(p);
  let source = translatePattern(p, literal);
  let re: RegExp;
  try {
    re = new RegExp(source, (newlineSensitive ? 'm' : 's') + (icase ? 'i' : '') + 'ug');
  } catch (e) {
    throw invalid(jsRegexMessage((e as Error).message));
  }
  const compiled = { re, global };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, compiled);
  return compiled;
}

/** Expanded syntax: whitespace and #-comments outside brackets are ignored. */
function stripExpanded(p: string): string {
  let out = '';
  let inBracket = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      out += c + (p[++i] ?? '');
      continue;
    }
    if (inBracket) {
      if (c === ']') inBracket = false;
      out += c;
      continue;
    }
    if (c === '[') inBracket = true;
    if (c === ' ' || c === '\t' || c === '\n') continue;
    if (c === '#') {
      while (i < p.length && p[i] !== '\n') i++;
      continue;
    }
    out += c;
  }
  return out;
}

function jsRegexMessage(m: string): string {
  if (/Unterminated group|Unmatched '\)'/.test(m)) return 'parentheses () not balanced';
  if (/Unterminated character class/.test(m)) return 'brackets [] not balanced';
  if (/Nothing to repeat/.test(m)) return 'quantifier operand invalid';
  if (/numbers out of order/.test(m)) return 'invalid repetition count(s)';
  if (/Invalid escape|Invalid Unicode escape/.test(m)) return 'invalid escape \\ sequence';
  if (/Incomplete quantifier|Lone quantifier/.test(m)) return 'braces {} not balanced';
  return 'invalid regular expression';
}

/** Runs re from offset; JavaScript's sticky state lives in lastIndex. */
function execAt(re: RegExp, s: string, from: number): RegExpExecArray | null {
  re.lastIndex = from;
  return re.exec(s);
}

/** Position after a match, stepping over an empty match (by a whole code point). */
function nextStart(s: string, m: RegExpExecArray): number {
  const end = m.index + m[0].length;
  if (m[0].length > 0) return end;
  const c = s.charCodeAt(end);
  return end + (c >= 0xd800 && c <= 0xdbff ? 2 : 1);
}

/** Expands \1..\9, \& and \\ in a regexp_replace replacement string. */
function expandReplacement(repl: string, m: RegExpExecArray): string {
  if (repl.indexOf('\\') < 0) return repl;
  let out = '';
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i]!;
    if (c !== '\\' || i + 1 >= repl.length) {
      out += c;
      continue;
    }
    const n = repl[++i]!;
    if (n >= '1' && n <= '9') out += m[n.charCodeAt(0) - 48] ?? '';
    else if (n === '&') out += m[0];
    else if (n === '\\') out += '\\';
    else out += '\\' + n;
  }
  return out;
}

export function regexpReplace(s: string, pattern: string, repl: string, flags = ''): string {
  const { re, global } = compileRegex(pattern, flags);
  let out = '';
  let pos = 0;
  let from = 0;
  while (from <= s.length) {
    const m = execAt(re, s, from);
    if (!m) break;
    out += s.slice(pos, m.index) + expandReplacement(repl, m);
    pos = m.index + m[0].length;
    if (!global) break;
    from = nextStart(s, m);
  }
  return out + s.slice(pos);
}

/** A match as PostgreSQL reports it: the capture groups, or the whole match when there are none. */
function matchArray(m: RegExpExecArray): PgArray {
  const items = m.length > 1 ? m.slice(1).map((g) => g ?? null) : [m[0]];
  return new PgArray(text, items);
}

export function regexpMatch(s: string, pattern: string, flags = ''): PgArray | null {
  const { re, global } = compileRegex(pattern, flags);
  if (global) {
    throw new PgError(SQLSTATE.invalid_parameter_value, 'regexp_match() does not support the "global" option', {
      hint: 'Use the regexp_matches function instead.',
    });
  }
  const m = execAt(re, s, 0);
  return m ? matchArray(m) : null;
}

/** regexp_matches(): one row per match; `meter` counts the rows as they are found. */
export function regexpMatches(meter: RowMeter, s: string, pattern: string, flags = ''): PgArray[] {
  const { re, global } = compileRegex(pattern, flags);
  const rows: PgArray[] = [];
  let from = 0;
  while (from <= s.length) {
    const m = execAt(re, s, from);
    if (!m) break;
    meter.add();
    rows.push(matchArray(m));
    if (!global) break;
    from = nextStart(s, m);
  }
  meter.flush();
  return rows;
}

/**
 * Splits on matches. A match only counts when it starts before the end of the
 * string and ends after the previous match, so empty matches at the ends or
 * right after another match split nothing.
 */
export function regexpSplit(meter: RowMeter, s: string, pattern: string, flags = ''): string[] {
  const { re, global } = compileRegex(pattern, flags);
  if (global) {
    throw new PgError(SQLSTATE.invalid_parameter_value, 'regexp_split_to_array() does not support the "global" option');
  }
  const parts: string[] = [];
  let pieceStart = 0;
  let prevEnd = 0;
  let from = 0;
  while (from <= s.length) {
    const m = execAt(re, s, from);
    if (!m) break;
    const end = m.index + m[0].length;
    if (m.index < s.length && end > prevEnd) {
      meter.add();
      parts.push(s.slice(pieceStart, m.index));
      pieceStart = end;
    }
    prevEnd = end;
    from = nextStart(s, m);
  }
  meter.add();
  parts.push(s.slice(pieceStart));
  meter.flush();
  return parts;
}

/** substring(text FROM pattern): the first capture group when there is one, else the match. */
export function regexSubstring(s: string, pattern: string): string | null {
  const { re } = compileRegex(pattern);
  const m = execAt(re, s, 0);
  if (!m) return null;
  if (m.length > 1) return m[1] ?? null;
  return m[0];
}

registerFunction(
  fn('regexp_replace', [text, text, text], text, (a: string[]) => regexpReplace(a[0]!, a[1]!, a[2]!)),
  fn('regexp_replace', [text, text, text, text], text, (a: string[]) => regexpReplace(a[0]!, a[1]!, a[2]!, a[3]!)),
  fn('regexp_match', [text, text], _text, (a: string[]) => regexpMatch(a[0]!, a[1]!)),
  fn('regexp_match', [text, text, text], _text, (a: string[]) => regexpMatch(a[0]!, a[1]!, a[2]!)),
  fn('regexp_matches', [text, text], _text, (a: string[], ctx) => regexpMatches(new RowMeter(ctx), a[0]!, a[1]!), set),
  fn('regexp_matches', [text, text, text], _text, (a: string[], ctx) => regexpMatches(new RowMeter(ctx), a[0]!, a[1]!, a[2]!), set),
  fn('regexp_split_to_array', [text, text], _text, (a: string[], ctx) => new PgArray(text, regexpSplit(new RowMeter(ctx), a[0]!, a[1]!))),
  fn('regexp_split_to_array', [text, text, text], _text, (a: string[], ctx) =>
    new PgArray(text, regexpSplit(new RowMeter(ctx), a[0]!, a[1]!, a[2]!))),
  fn('regexp_split_to_table', [text, text], text, (a: string[], ctx) => regexpSplit(new RowMeter(ctx), a[0]!, a[1]!), set),
  fn('regexp_split_to_table', [text, text, text], text, (a: string[], ctx) => regexpSplit(new RowMeter(ctx), a[0]!, a[1]!, a[2]!), set),
  fn('substring', [text, text], text, (a: string[]) => regexSubstring(a[0]!, a[1]!)),
);
