// Identifier lists inside setting values (search_path, DateStyle,
// pipelinedb.stream_targets) and identifier quoting for list settings whose
// elements are names: the rules of PostgreSQL's SplitIdentifierString and
// quote_identifier.

// Keywords that cannot be used as bare identifiers everywhere (PostgreSQL 11's
// reserved, column-name and type/function-name keywords); quote_identifier
// quotes them. Unreserved keywords need no quotes.
const NON_UNRESERVED_KEYWORDS = new Set([
  // reserved
  'all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'asymmetric', 'both', 'case', 'cast',
  'check', 'collate', 'column', 'constraint', 'create', 'current_catalog', 'current_date', 'current_role',
  'current_time', 'current_timestamp', 'current_user', 'default', 'deferrable', 'desc', 'distinct', 'do',
  'else', 'end', 'except', 'false', 'fetch', 'for', 'foreign', 'from', 'grant', 'group', 'having', 'in',
  'initially', 'intersect', 'into', 'lateral', 'leading', 'limit', 'localtime', 'localtimestamp', 'not',
  'null', 'offset', 'on', 'only', 'or', 'order', 'placing', 'primary', 'references', 'returning', 'select',
  'session_user', 'some', 'symmetric', 'table', 'then', 'to', 'trailing', 'true', 'union', 'unique', 'user',
  'using', 'variadic', 'when', 'where', 'window', 'with',
  // column-name keywords
  'between', 'bigint', 'bit', 'boolean', 'char', 'character', 'coalesce', 'dec', 'decimal', 'exists',
  'extract', 'float', 'greatest', 'grouping', 'inout', 'int', 'integer', 'interval', 'least', 'national',
  'nchar', 'none', 'numeric', 'out', 'overlay', 'position', 'precision', 'real', 'row', 'setof', 'smallint',
  'substring', 'time', 'timestamp', 'treat', 'trim', 'values', 'varchar', 'xmlattributes', 'xmlconcat',
  'xmlelement', 'xmlexists', 'xmlforest', 'xmlnamespaces', 'xmlparse', 'xmlpi', 'xmlroot', 'xmlserialize',
  'xmltable',
  // type/function-name keywords
  'authorization', 'binary', 'collation', 'concurrently', 'cross', 'current_schema', 'freeze', 'full',
  'ilike', 'inner', 'is', 'isnull', 'join', 'left', 'like', 'natural', 'notnull', 'outer', 'overlaps',
  'right', 'similar', 'tablesample', 'verbose',
]);

/** Lower-cases ASCII letters only, as PostgreSQL does for identifiers in a UTF8 database. */
export function downcaseIdentifier(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : s[i];
  }
  return out;
}

/** Double-quotes a name unless it is a plain lower-case identifier that is not a keyword. */
export function quoteIdentifier(name: string): string {
  let safe = name.length > 0;
  for (let i = 0; i < name.length && safe; i++) {
    const c = name.charCodeAt(i);
    const lowerOrUnderscore = (c >= 97 && c <= 122) || c === 95;
    const digit = c >= 48 && c <= 57;
    safe = i === 0 ? lowerOrUnderscore : lowerOrUnderscore || digit;
  }
  if (safe && !NON_UNRESERVED_KEYWORDS.has(name)) return name;
  return `"${name.replaceAll('"', '""')}"`;
}

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v';
}

/**
 * Splits "a, \"B c\", d" into names: unquoted names are lower-cased, quoted
 * ones kept ("" inside quotes is one quote). Returns null when the list syntax
 * is invalid (an empty element, an unterminated quote, junk after a name).
 * An empty or all-blank string is an empty list.
 */
export function splitIdentifierList(raw: string, separator = ','): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (isSpace(raw[i])) i++;
  if (i === raw.length) return out;
  for (;;) {
    let name: string;
    if (raw[i] === '"') {
      name = '';
      i++;
      for (;;) {
        const q = raw.indexOf('"', i);
        if (q < 0) return null;
        name += raw.slice(i, q);
        if (raw[q + 1] === '"') {
          name += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    } else {
      const start = i;
      while (i < raw.length && raw[i] !== separator && !isSpace(raw[i])) i++;
      if (i === start) return null;
      name = downcaseIdentifier(raw.slice(start, i));
    }
    out.push(name);
    while (isSpace(raw[i])) i++;
    if (i === raw.length) return out;
    if (raw[i] !== separator) return null;
    i++;
    while (isSpace(raw[i])) i++;
  }
}
