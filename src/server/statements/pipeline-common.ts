// Shared pieces of the stream / continuous view statements: the catalog
// handle, schema rules for names, notices, and the command tags PipelineDB
// 0.9 sent for its own statement forms.
import { PgError, SQLSTATE } from '../../errors.js';
import { lexSql } from '../../sql/pipeline-ddl/lexer.js';
import type { StreamCatalogTransaction } from '../../storage/stream-catalog-transaction.js';
import type { Session } from '../session.js';

/** Streams and views live in the one user schema. */
export const PUBLIC_SCHEMA = 'public';
/** PipelineDB's own objects (pipelinedb.views ...). */
export const PIPELINEDB_SCHEMA = 'pipelinedb';

/** The stream / view catalog as the session's transaction sees it; DDL through it commits with the transaction. */
export function pipelineCatalog(session: Session): StreamCatalogTransaction {
  return session.streamCatalog;
}

/** 3F000 for a schema other than public (the only one user objects can live in). */
export function requirePublicSchema(schema: string | null | undefined, location?: number): void {
  if (schema === null || schema === undefined || schema === PUBLIC_SCHEMA) return;
  throw new PgError('3F000', `schema "${schema}" does not exist`, location !== undefined && location >= 0 ? { position: location + 1 } : {});
}

export function notice(session: Session, message: string, code: string = SQLSTATE.successful_completion, detail?: string): void {
  session.notice(new PgError(code, message, { severity: 'NOTICE', ...(detail ? { detail } : {}) }));
}

/** Leading words of PipelineDB 0.9 statements and the tags it answered them with. */
const LEGACY_TAGS: [string[], string][] = [
  [['create', 'stream'], 'CREATE STREAM'],
  [['alter', 'stream'], 'ALTER STREAM'],
  [['drop', 'stream'], 'DROP STREAM'],
  [['create', 'continuous', 'view'], 'CREATE CONTINUOUS VIEW'],
  [['create', 'continuous', 'transform'], 'CREATE CONTINUOUS TRANSFORM'],
  [['drop', 'continuous', 'view'], 'DROP CONTINUOUS VIEW'],
  [['drop', 'continuous', 'transform'], 'DROP CONTINUOUS TRANSFORM'],
];

/** The command tag: 0.9's own when the statement was written in 0.9 syntax, else PostgreSQL's. */
export function commandTag(statementText: string, postgresTag: string): string {
  const head = lexSql(statementText.slice(0, 64)).slice(0, 3);
  for (const [words, tag] of LEGACY_TAGS) {
    if (words.every((w, i) => head[i]?.kind === 'ident' && head[i].value === w)) return tag;
  }
  return postgresTag;
}

/** A DropStmt / qualified name list ([schema,] name) as strings. */
export function qualifiedName(list: any): { schema: string | null; name: string } {
  const items: any[] = list?.List?.items ?? list ?? [];
  const parts = items.map((i: any) => i.String?.sval as string);
  return { schema: parts.length > 1 ? parts[parts.length - 2] : null, name: parts[parts.length - 1] };
}
