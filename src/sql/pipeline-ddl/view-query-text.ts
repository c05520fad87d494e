// The defining query of a CREATE [CONTINUOUS] VIEW / TRANSFORM statement as
// the user wrote it: the text after AS, without 0.9's trailing
// THEN EXECUTE PROCEDURE clause. Stored in the catalog and shown by
// pipelinedb.views.
import { lexSql, type Token } from './lexer.js';

function isWord(t: Token | undefined, word: string): boolean {
  return t !== undefined && t.kind === 'ident' && t.value === word;
}

/** The query text, or null when the statement has no top-level AS. */
export function viewQueryText(statement: string): string | null {
  const t = lexSql(statement);
  let depth = 0;
  let asIndex = -1;
  for (let i = 0; i < t.length; i++) {
    if (t[i].kind === '(') depth++;
    else if (t[i].kind === ')') depth--;
    else if (depth === 0 && isWord(t[i], 'as')) {
      asIndex = i;
      break;
    }
  }
  if (asIndex < 0 || asIndex + 1 >= t.length) return null;
  let last = t.length - 1;
  while (last > asIndex && t[last].kind === ';') last--;
  depth = 0;
  for (let i = asIndex + 1; i <= last; i++) {
    if (t[i].kind === '(') depth++;
    else if (t[i].kind === ')') depth--;
    else if (depth === 0 && isWord(t[i], 'then') && isWord(t[i + 1], 'execute')) {
      last = i - 1;
      break;
    }
  }
  if (last <= asIndex) return null;
  return statement.slice(t[asIndex + 1].start, t[last].end);
}
