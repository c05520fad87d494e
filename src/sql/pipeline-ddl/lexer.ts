// A small SQL tokenizer for recognizing PipelineDB's own statement forms
// (CREATE STREAM, CREATE CONTINUOUS VIEW, ACTIVATE ...) before libpg-query
// sees the text. It only needs token boundaries: it skips whitespace and
// comments (nested /* */ included) and keeps string constants, quoted
// identifiers and dollar-quoted bodies whole, so keywords inside them are
// never matched. Anything it does not understand becomes a one-character
// 'op' token; the real parser reports errors later.

export type TokenKind = 'ident' | 'qident' | 'string' | 'number' | 'param' | 'op' | '(' | ')' | ',' | '.' | ';';

export interface Token {
  kind: TokenKind;
  /** Offsets into the SQL text: [start, end). */
  start: number;
  end: number;
  /** ident: lower-cased name; qident: the unquoted name; otherwise ''. */
  value: string;
}

const PUNCTUATION: Record<number, TokenKind> = { 40: '(', 41: ')', 44: ',', 46: '.', 59: ';' };

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;
}

function isIdentChar(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

/** Tokenizes `sql`; unterminated quotes or comments run to the end of the text. */
export function lexSql(sql: string): Token[] {
  const out: Token[] = [];
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    // -- comment
    if (c === 45 && sql.charCodeAt(i + 1) === 45) {
      while (i < n && sql.charCodeAt(i) !== 10) i++;
      continue;
    }
    // /* comment */, nested as in PostgreSQL
    if (c === 47 && sql.charCodeAt(i + 1) === 42) {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql.charCodeAt(i) === 47 && sql.charCodeAt(i + 1) === 42) {
          depth++;
          i += 2;
        } else if (sql.charCodeAt(i) === 42 && sql.charCodeAt(i + 1) === 47) {
          depth--;
          i += 2;
        } else i++;
      }
      continue;
    }
    const start = i;
    // E'...', B'...', X'...', N'...' and U&'...' prefixes
    if ((c === 69 || c === 101) && sql.charCodeAt(i + 1) === 39) {
      i = skipQuoted(sql, i + 1, true);
      out.push({ kind: 'string', start, end: i, value: '' });
      continue;
    }
    if ((c === 66 || c === 98 || c === 88 || c === 120 || c === 78 || c === 110) && sql.charCodeAt(i + 1) === 39) {
      i = skipQuoted(sql, i + 1, false);
      out.push({ kind: 'string', start, end: i, value: '' });
      continue;
    }
    if ((c === 85 || c === 117) && sql.charCodeAt(i + 1) === 38 && (sql.charCodeAt(i + 2) === 39 || sql.charCodeAt(i + 2) === 34)) {
      const quote = sql.charCodeAt(i + 2);
      i = skipQuoted(sql, i + 2, false);
      out.push({ kind: quote === 39 ? 'string' : 'qident', start, end: i, value: '' });
      continue;
    }
    if (c === 39) {
      i = skipQuoted(sql, i, false);
      out.push({ kind: 'string', start, end: i, value: '' });
      continue;
    }
    if (c === 34) {
      i = skipQuoted(sql, i, false);
      out.push({ kind: 'qident', start, end: i, value: sql.slice(start + 1, i - 1).replaceAll('""', '"') });
      continue;
    }
    if (c === 36) {
      // $1 parameter or $tag$ ... $tag$ body
      if (isDigit(sql.charCodeAt(i + 1))) {
        i++;
        while (i < n && isDigit(sql.charCodeAt(i))) i++;
        out.push({ kind: 'param', start, end: i, value: '' });
        continue;
      }
      let j = i + 1;
      while (j < n && isIdentChar(sql.charCodeAt(j)) && sql.charCodeAt(j) !== 36) j++;
      if (sql.charCodeAt(j) === 36) {
        const tag = sql.slice(i, j + 1);
        const close = sql.indexOf(tag, j + 1);
        i = close < 0 ? n : close + tag.length;
        out.push({ kind: 'string', start, end: i, value: '' });
        continue;
      }
      i++;
      out.push({ kind: 'op', start, end: i, value: '' });
      continue;
    }
    if (isIdentStart(c)) {
      i++;
      while (i < n && isIdentChar(sql.charCodeAt(i))) i++;
      out.push({ kind: 'ident', start, end: i, value: sql.slice(start, i).toLowerCase() });
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(sql.charCodeAt(i + 1)))) {
      i++;
      while (i < n && (isIdentChar(sql.charCodeAt(i)) || sql.charCodeAt(i) === 46)) i++;
      out.push({ kind: 'number', start, end: i, value: '' });
      continue;
    }
    i++;
    out.push({ kind: PUNCTUATION[c] ?? 'op', start, end: i, value: '' });
  }
  return out;
}

/** Skips a '...' or "..." token starting at the quote at `i` (doubled quotes escape; E-strings also backslash). */
function skipQuoted(sql: string, i: number, backslash: boolean): number {
  const quote = sql.charCodeAt(i);
  const n = sql.length;
  i++;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (backslash && c === 92) {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (sql.charCodeAt(i + 1) === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return n;
}

/** Splits tokens into statements at top-level semicolons; empty statements are dropped (as the parser drops them). */
export function splitStatements(tokens: Token[]): Token[][] {
  const out: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === '(') depth++;
    else if (t.kind === ')') depth = Math.max(0, depth - 1);
    if (t.kind === ';' && depth === 0) {
      if (current.length > 0) out.push(current);
      current = [];
      continue;
    }
    current.push(t);
  }
  if (current.length > 0) out.push(current);
  return out;
}
