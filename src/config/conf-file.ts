// Reader for postgresql.conf-style files (pipelinedb.conf): one
// `name = value` or `name value` per line, `#` comments, single-quoted values
// with '' and backslash escapes, bare words and numbers with units, and the
// include, include_if_exists and include_dir directives (relative paths are
// resolved against the including file's directory). The reader only collects
// name/value pairs with their origin; the settings registry validates them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { SQLSTATE } from '../errors.js';

/** PostgreSQL's CONF_FILE_MAX_DEPTH. */
export const MAX_INCLUDE_DEPTH = 10;
/** Syntax errors reported per file before giving up on it. */
const MAX_SYNTAX_ERRORS = 100;
const UNDEFINED_FILE = '58P01';

export interface ConfItem {
  /** As written in the file. */
  name: string;
  /** With quotes removed and escapes processed. */
  value: string;
  file: string;
  line: number;
}

export interface ConfFileError {
  code: string;
  message: string;
  file: string;
  /** 0 when the error concerns the whole file (cannot open it...). */
  line: number;
}

export interface ConfFileResult {
  /** In file order, includes expanded in place; later items override earlier ones. */
  items: ConfItem[];
  errors: ConfFileError[];
  /** Informational messages (skipped missing include_if_exists files). */
  notices: string[];
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 0x80;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12;
}

/** Processes backslash escapes of a quoted value (PostgreSQL's GUC_scanstr); '' was already undoubled. */
function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch !== '\\' || i + 1 >= s.length) {
      out += ch;
      continue;
    }
    const next = s[++i]!;
    switch (next) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      default:
        if (next >= '0' && next <= '7') {
          let code = 0;
          let k = 0;
          while (k < 3 && i < s.length && s[i]! >= '0' && s[i]! <= '7') {
            code = code * 8 + (s.charCodeAt(i) - 48);
            i++;
            k++;
          }
          i--;
          out += String.fromCharCode(code & 0xff);
        } else {
          out += next;
        }
    }
  }
  return out;
}

type LineResult = { item: { name: string; value: string } } | { error: string } | null;

/** The token PostgreSQL's lexer would complain about: a word, or one character. */
function tokenAt(line: string, i: number): string {
  let j = i;
  while (j < line.length && !isSpace(line.charCodeAt(j)) && line[j] !== '#') j++;
  return j === i ? line[i]! : line.slice(i, j);
}

function scanName(line: string, i: number): number {
  if (i >= line.length || !isLetter(line.charCodeAt(i))) return i;
  let j = i + 1;
  const word = () => {
    while (j < line.length && (isLetter(line.charCodeAt(j)) || isDigit(line.charCodeAt(j)))) j++;
  };
  word();
  if (line[j] === '.' && j + 1 < line.length && isLetter(line.charCodeAt(j + 1))) {
    j += 2;
    word();
  }
  return j;
}

/** End of an unquoted value: a word of letters, digits and - . _ : /, or a number with optional unit letters. */
function scanBareValue(line: string, i: number): number {
  const c = line.charCodeAt(i);
  let j = i;
  if (isLetter(c)) {
    j++;
    while (j < line.length) {
      const d = line.charCodeAt(j);
      if (isLetter(d) || isDigit(d) || d === 45 || d === 46 || d === 58 || d === 47) j++;
      else break;
    }
    return j;
  }
  const m = /^[+-]?(0x[0-9a-fA-F]+|\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)[A-Za-z]*/.exec(line.slice(i));
  return m ? i + m[0].length : i;
}

function parseLine(line: string): LineResult {
  let i = 0;
  while (i < line.length && isSpace(line.charCodeAt(i))) i++;
  if (i >= line.length || line[i] === '#') return null;
  const nameEnd = scanName(line, i);
  if (nameEnd === i) return { error: `near token "${tokenAt(line, i)}"` };
  const name = line.slice(i, nameEnd);
  i = nameEnd;
  while (i < line.length && isSpace(line.charCodeAt(i))) i++;
  if (line[i] === '=') {
    i++;
    while (i < line.length && isSpace(line.charCodeAt(i))) i++;
  }
  if (i >= line.length || line[i] === '#') return { error: 'near end of line' };
  let value: string;
  if (line[i] === "'") {
    let raw = '';
    let j = i + 1;
    for (;;) {
      if (j >= line.length) return { error: `near token "${line.slice(i)}"` };
      const ch = line[j]!;
      if (ch === '\\' && j + 1 < line.length) {
        raw += ch + line[j + 1];
        j += 2;
      } else if (ch === "'") {
        if (line[j + 1] === "'") {
          raw += "'";
          j += 2;
        } else {
          j++;
          break;
        }
      } else {
        raw += ch;
        j++;
      }
    }
    value = unescape(raw);
    i = j;
  } else {
    const end = scanBareValue(line, i);
    if (end === i) return { error: `near token "${tokenAt(line, i)}"` };
    value = line.slice(i, end);
    i = end;
  }
  while (i < line.length && isSpace(line.charCodeAt(i))) i++;
  if (i < line.length && line[i] !== '#') return { error: `near token "${tokenAt(line, i)}"` };
  return { item: { name, value } };
}

function resolveFrom(includingFile: string, path: string): string {
  return isAbsolute(path) ? path : resolve(dirname(includingFile), path);
}

function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'No such file or directory';
  if (code === 'EACCES') return 'Permission denied';
  if (code === 'EISDIR') return 'Is a directory';
  if (code === 'ENOTDIR') return 'Not a directory';
  return (e as Error).message;
}

class ConfReader {
  readonly result: ConfFileResult = { items: [], errors: [], notices: [] };

  readFile(path: string, depth: number, missingOk: boolean, from?: { file: string; line: number }): void {
    const at = from ?? { file: path, line: 0 };
    if (depth > MAX_INCLUDE_DEPTH) {
      this.result.errors.push({
        code: SQLSTATE.program_limit_exceeded,
        message: `could not open configuration file "${path}": maximum nesting depth exceeded`,
        ...at,
      });
      return;
    }
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      if (missingOk && (e as NodeJS.ErrnoException).code === 'ENOENT') {
        this.result.notices.push(`skipping missing configuration file "${path}"`);
        return;
      }
      this.result.errors.push({
        code: UNDEFINED_FILE,
        message: `could not open configuration file "${path}": ${errnoText(e)}`,
        ...at,
      });
      return;
    }
    this.readText(text, path, depth);
  }

  readText(text: string, path: string, depth: number): void {
    const lines = text.split('\n');
    let syntaxErrors = 0;
    for (let n = 0; n < lines.length; n++) {
      const parsed = parseLine(lines[n]!);
      if (parsed === null) continue;
      if ('error' in parsed) {
        this.result.errors.push({
          code: SQLSTATE.syntax_error,
          message: `syntax error in file "${path}" line ${n + 1}, ${parsed.error}`,
          file: path,
          line: n + 1,
        });
        if (++syntaxErrors >= MAX_SYNTAX_ERRORS) {
          this.result.errors.push({
            code: SQLSTATE.syntax_error,
            message: `too many syntax errors found, abandoning file "${path}"`,
            file: path,
            line: n + 1,
          });
          return;
        }
        continue;
      }
      const { name, value } = parsed.item;
      const directive = name.toLowerCase();
      const here = { file: path, line: n + 1 };
      if (directive === 'include' || directive === 'include_if_exists') {
        this.readFile(resolveFrom(path, value), depth + 1, directive === 'include_if_exists', here);
      } else if (directive === 'include_dir') {
        this.readDir(resolveFrom(path, value), depth + 1, here);
      } else {
        this.result.items.push({ name, value, ...here });
      }
    }
  }

  readDir(dir: string, depth: number, from: { file: string; line: number }): void {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (e) {
      this.result.errors.push({
        code: UNDEFINED_FILE,
        message: `could not open configuration directory "${dir}": ${errnoText(e)}`,
        ...from,
      });
      return;
    }
    const files = names
      .filter((f) => !f.startsWith('.') && f.endsWith('.conf'))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const f of files) {
      const full = join(dir, f);
      let isFile = false;
      try {
        isFile = statSync(full).isFile();
      } catch {
        isFile = false;
      }
      if (isFile) this.readFile(full, depth, false, from);
    }
  }
}

/**
 * Reads a configuration file and everything it includes. Errors do not
 * throw: they are collected with file and line so that the caller can make
 * them fatal (server start) or ignore the file (reload).
 */
export function readConfFile(path: string): ConfFileResult {
  const reader = new ConfReader();
  reader.readFile(resolve(path), 1, false);
  return reader.result;
}

/** Reads configuration text that is not on disk (includes resolve against `virtualPath`'s directory). */
export function parseConfText(text: string, virtualPath = 'pipelinedb.conf'): ConfFileResult {
  const reader = new ConfReader();
  reader.readText(text, resolve(virtualPath), 1);
  return reader.result;
}
