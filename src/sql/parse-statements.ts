// Splits a query string into parsed statements with libpg-query (PostgreSQL's
// own grammar). Syntax errors become 42601 with the 1-based cursor position
// PostgreSQL reports.
import { PgError, SQLSTATE } from '../errors.js';
import { rewritePipelineSyntax } from './pipeline-ddl/rewrite.js';
import { restoreStatement } from './pipeline-ddl/restore-statement.js';

export interface ParsedStatement {
  /** The statement node, e.g. { SelectStmt: {...} }. */
  node: Record<string, any>;
  /** The statement's node type, e.g. "SelectStmt". */
  kind: string;
  /** The statement's own text (for logs, pg_prepared_statements). */
  text: string;
}

let loaded: Promise<void> | null = null;
let parseSync: ((sql: string) => any) | null = null;

/**
 * Must complete once before parseStatements is called (the parser is
 * WebAssembly). Imported only here, so worker and combiner threads, which
 * receive their views' queries already parsed, never load it (~12 MB each).
 */
export function loadParser(): Promise<void> {
  return (loaded ??= import('libpg-query').then(async (m) => {
    await m.loadModule();
    parseSync = m.parseSync;
  }));
}

export function parseStatements(sql: string): ParsedStatement[] {
  let result;
  // The WebAssembly wrapper rejects an empty string; PostgreSQL answers it with EmptyQueryResponse.
  if (sql.length === 0) return [];
  if (!parseSync) throw new Error('parseStatements called before loadParser()');
  // PipelineDB's own statement forms (CREATE STREAM ...) are rewritten first;
  // every position is mapped back to the user's text.
  const rewrite = rewritePipelineSyntax(sql);
  try {
    result = parseSync(rewrite ? rewrite.text : sql);
  } catch (e: any) {
    const details = e?.sqlDetails;
    const message: string = details?.message ?? e?.message ?? 'syntax error';
    const cursor: number | undefined = details?.cursorPosition;
    // Lexer and grammar errors are syntax errors; a few are limits (e.g. too-long input).
    const code = /^(syntax error|unterminated|invalid|zero-length|trailing junk)/.test(message)
      ? SQLSTATE.syntax_error
      : /out of range|too long/.test(message)
        ? SQLSTATE.program_limit_exceeded
        : SQLSTATE.syntax_error;
    // cursorPosition counts characters from 0; PostgreSQL's position counts from 1.
    const at = cursor === undefined ? undefined : rewrite ? rewrite.toOriginal(cursor) : cursor;
    throw new PgError(code, message, { position: at === undefined ? undefined : at + 1 });
  }
  const out: ParsedStatement[] = [];
  for (const raw of result.stmts ?? []) {
    const node = raw.stmt as Record<string, any> | undefined;
    if (!node) continue;
    const kind = Object.keys(node)[0]!;
    const start = raw.stmt_location ?? 0;
    const len = raw.stmt_len ?? 0;
    if (rewrite) {
      const r = restoreStatement(rewrite, out.length, node, kind, start, len > 0 ? start + len : rewrite.text.length);
      out.push({ node: r.node, kind: r.kind, text: sql.slice(r.start, r.end).trim() });
      continue;
    }
    const text = (len > 0 ? sql.slice(start, start + len) : sql.slice(start)).trim();
    out.push({ node, kind, text });
  }
  return out;
}
