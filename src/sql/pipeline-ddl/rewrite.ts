// PipelineDB's own statement syntax, rewritten into what PostgreSQL's grammar
// (libpg-query) accepts, the way PipelineDB 1.0 spells the same things:
//
//   CREATE STREAM s (...)                  -> CREATE FOREIGN TABLE s (...) SERVER pipelinedb
//   ALTER STREAM s ...                     -> ALTER FOREIGN TABLE s ...
//   DROP STREAM ...                        -> DROP FOREIGN TABLE ...
//   CREATE CONTINUOUS VIEW v [WITH (o)] AS -> CREATE VIEW v WITH (action=materialize[, o]) AS
//   CREATE CONTINUOUS TRANSFORM t [WITH (o)] AS SELECT ... THEN EXECUTE PROCEDURE f(args)
//                                          -> CREATE VIEW t WITH (action=transform, outputfunc=f(args)[, o]) AS SELECT ...
//   DROP CONTINUOUS VIEW|TRANSFORM ...     -> DROP VIEW ...
//
// Statements PostgreSQL has no spelling for (TRUNCATE CONTINUOUS VIEW, 0.9's
// ACTIVATE / DEACTIVATE) are parsed here into their own nodes; the text the
// parser sees holds a placeholder statement in their place, so statement
// boundaries stay as they were. Positions in the rewritten text map back to
// the user's text (PositionMap).
import { PgError, SQLSTATE } from '../../errors.js';
import { lexSql, splitStatements, type Token } from './lexer.js';
import { PositionMap, type TextEdit } from './position-map.js';

/** A name as written: optional schema, the relation name, and its 0-based location in the user's text. */
export interface RelationName {
  schemaname: string | null;
  relname: string;
  location: number;
}

/** TRUNCATE CONTINUOUS VIEW v [, ...] */
export interface PipelineTruncateNode {
  relations: RelationName[];
}

/** 0.9's ACTIVATE / DEACTIVATE [name, ...]; no names: every continuous query. */
export interface PipelineActivateNode {
  activate: boolean;
  names: RelationName[];
}

export type CustomStatement =
  | { kind: 'PipelineTruncateStmt'; node: { PipelineTruncateStmt: PipelineTruncateNode } }
  | { kind: 'PipelineActivateStmt'; node: { PipelineActivateStmt: PipelineActivateNode } };

export interface PipelineRewrite {
  /** The text to hand to the parser. */
  text: string;
  /** Maps a 0-based offset in `text` to the user's text. */
  toOriginal(pos: number): number;
  /** Statements parsed here, by ordinal among the non-empty statements; `text` holds PLACEHOLDER for them. */
  custom: Map<number, CustomStatement>;
}

/** What the parser sees in place of a custom statement. */
export const PLACEHOLDER = 'CHECKPOINT';
export const PLACEHOLDER_KIND = 'CheckPointStmt';

/**
 * Rewrites PipelineDB-only syntax; null when the text has none (the common
 * case, decided by a cheap scan before any tokenizing).
 */
export function rewritePipelineSyntax(sql: string): PipelineRewrite | null {
  if (!mayContainPipelineSyntax(sql)) return null;
  const statements = splitStatements(lexSql(sql));
  const edits: TextEdit[] = [];
  const custom = new Map<number, CustomStatement>();
  statements.forEach((tokens, ordinal) => {
    const c = rewriteStatement(sql, tokens, edits);
    if (c) {
      custom.set(ordinal, c);
      edits.push({ start: tokens[0].start, end: tokens[tokens.length - 1].end, text: PLACEHOLDER });
    }
  });
  if (edits.length === 0) return null;
  const map = PositionMap.apply(sql, edits);
  return { text: map.text, toOriginal: (p) => map.toOriginal(p), custom };
}

/** Every rewritten form contains one of these words (lower case). */
const TRIGGER_WORDS = ['stream', 'continuous', 'activate'];

/** Case-insensitive search for the trigger words, without allocating (runs on every query string). */
function mayContainPipelineSyntax(sql: string): boolean {
  const n = sql.length;
  for (let i = 0; i < n; i++) {
    const c = sql.charCodeAt(i) | 0x20;
    for (const w of TRIGGER_WORDS) {
      if (c !== w.charCodeAt(0) || i + w.length > n) continue;
      let k = 1;
      while (k < w.length && (sql.charCodeAt(i + k) | 0x20) === w.charCodeAt(k)) k++;
      if (k === w.length) return true;
    }
  }
  return false;
}

function isWord(t: Token | undefined, word: string): boolean {
  return t !== undefined && t.kind === 'ident' && t.value === word;
}

function syntaxErrorAt(sql: string, t: Token | undefined, statementEnd: number): PgError {
  if (!t) {
    // Past the last token: the parser would stop at the statement's semicolon, if there is one.
    let i = statementEnd;
    while (i < sql.length && (sql[i] === ' ' || sql[i] === '\t' || sql[i] === '\n' || sql[i] === '\r')) i++;
    if (sql[i] === ';') return new PgError(SQLSTATE.syntax_error, 'syntax error at or near ";"', { position: i + 1 });
    return new PgError(SQLSTATE.syntax_error, 'syntax error at end of input', { position: sql.length + 1 });
  }
  return new PgError(SQLSTATE.syntax_error, `syntax error at or near "${sql.slice(t.start, t.end)}"`, { position: t.start + 1 });
}

/** Adds the edits for one statement; returns a custom statement to substitute, if any. */
function rewriteStatement(sql: string, t: Token[], edits: TextEdit[]): CustomStatement | null {
  const first = t[0];
  if (first.kind !== 'ident') return null;
  switch (first.value) {
    case 'create':
      if (isWord(t[1], 'stream')) {
        edits.push({ start: t[1].start, end: t[1].end, text: 'FOREIGN TABLE' });
        edits.push({ start: t[t.length - 1].end, end: t[t.length - 1].end, text: ' SERVER pipelinedb' });
      } else if (isWord(t[1], 'continuous') && (isWord(t[2], 'view') || isWord(t[2], 'transform'))) {
        rewriteCreateContinuous(sql, t, edits, t[2].value === 'transform');
      }
      return null;
    case 'alter':
    case 'drop':
      if (isWord(t[1], 'stream')) edits.push({ start: t[1].start, end: t[1].end, text: 'FOREIGN TABLE' });
      else if (first.value === 'drop' && isWord(t[1], 'continuous') && (isWord(t[2], 'view') || isWord(t[2], 'transform'))) {
        edits.push({ start: t[1].start, end: t[2].end, text: 'VIEW' });
      }
      return null;
    case 'truncate':
      if (isWord(t[1], 'continuous') && isWord(t[2], 'view')) {
        const statementEnd = t[t.length - 1].end;
        const names = readNameList(sql, t, 3, statementEnd, false);
        return { kind: 'PipelineTruncateStmt', node: { PipelineTruncateStmt: { relations: names } } };
      }
      return null;
    case 'activate':
    case 'deactivate': {
      const names = readNameList(sql, t, 1, t[t.length - 1].end, true);
      return { kind: 'PipelineActivateStmt', node: { PipelineActivateStmt: { activate: first.value === 'activate', names } } };
    }
    default:
      return null;
  }
}

/** Reads `name [, name ...]` from t[i] to the end of the statement. */
function readNameList(sql: string, t: Token[], i: number, statementEnd: number, allowEmpty: boolean): RelationName[] {
  const names: RelationName[] = [];
  if (i >= t.length && allowEmpty) return names;
  for (;;) {
    const read = readQualifiedName(t, i);
    if (!read) throw syntaxErrorAt(sql, t[i], statementEnd);
    names.push(read.name);
    i = read.next;
    if (i >= t.length) return names;
    if (t[i].kind !== ',') throw syntaxErrorAt(sql, t[i], statementEnd);
    i++;
  }
}

/** A possibly schema-qualified name at t[i]. */
function readQualifiedName(t: Token[], i: number): { name: RelationName; next: number } | null {
  const parts: string[] = [];
  const location = t[i]?.start ?? 0;
  for (;;) {
    const tok = t[i];
    if (!tok || (tok.kind !== 'ident' && tok.kind !== 'qident')) return null;
    parts.push(tok.value);
    i++;
    if (t[i]?.kind !== '.') break;
    i++;
  }
  if (parts.length > 2) return null;
  const relname = parts[parts.length - 1];
  return { name: { schemaname: parts.length === 2 ? parts[0] : null, relname, location }, next: i };
}

/** Index of the token closing the parenthesis opened at t[open]. */
function closingParen(t: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < t.length; i++) {
    if (t[i].kind === '(') depth++;
    else if (t[i].kind === ')' && --depth === 0) return i;
  }
  return -1;
}

/**
 * CREATE CONTINUOUS VIEW|TRANSFORM name [WITH (...)] AS query [THEN EXECUTE PROCEDURE f(args)]:
 * becomes CREATE VIEW with the action (and the transform's output function) as options.
 */
function rewriteCreateContinuous(sql: string, t: Token[], edits: TextEdit[], transform: boolean): void {
  edits.push({ start: t[1].start, end: t[2].end, text: 'VIEW' });
  const name = readQualifiedName(t, 3);
  if (!name) return; // the parser reports the error
  let options = transform ? 'action=transform' : 'action=materialize';
  if (transform) {
    const then = findThenExecute(t, name.next);
    // A clause that is not a plain function call stays, for the parser to reject.
    const fn = then >= 0 ? outputFunction(sql, t, then + 3) : null;
    if (fn !== null) {
      options += `, outputfunc=${fn}`;
      edits.push({ start: t[then - 1].end, end: t[t.length - 1].end, text: '' });
    }
  }
  const withTok = t[name.next];
  if (isWord(withTok, 'with') && t[name.next + 1]?.kind === '(') {
    const open = t[name.next + 1];
    const empty = t[name.next + 2]?.kind === ')';
    edits.push({ start: open.end, end: open.end, text: empty ? options : `${options}, ` });
  } else {
    edits.push({ start: t[name.next - 1].end, end: t[name.next - 1].end, text: ` WITH (${options})` });
  }
}

/** Position of a top-level THEN EXECUTE PROCEDURE|FUNCTION after the view name, or -1. */
function findThenExecute(t: Token[], from: number): number {
  let depth = 0;
  for (let i = from; i < t.length; i++) {
    if (t[i].kind === '(') depth++;
    else if (t[i].kind === ')') depth--;
    else if (
      depth === 0 &&
      isWord(t[i], 'then') &&
      isWord(t[i + 1], 'execute') &&
      (isWord(t[i + 2], 'procedure') || isWord(t[i + 2], 'function'))
    ) {
      return i;
    }
  }
  return -1;
}

/**
 * The output function as the option value: `name(args)`, or `name` without
 * arguments (a reloption value cannot have empty parentheses). Null when the
 * text after EXECUTE PROCEDURE is not a function call.
 */
function outputFunction(sql: string, t: Token[], i: number): string | null {
  const name = readQualifiedName(t, i);
  if (!name || t[name.next]?.kind !== '(') return null;
  const open = name.next;
  const close = closingParen(t, open);
  if (close < 0 || close !== t.length - 1) return null;
  const nameText = sql.slice(t[i].start, t[open - 1].end);
  if (close === open + 1) return nameText;
  return `${nameText}(${sql.slice(t[open + 1].start, t[close - 1].end)})`;
}
