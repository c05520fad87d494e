// COPY (query) TO STDOUT in text or csv format. COPY FROM STDIN arrives with
// streams (the only relations that accept rows), so naming a relation here is
// "relation does not exist" until then.
import { PgError, SQLSTATE } from '../../errors.js';
import { getTextOutput } from '../../types/type-io.js';
import type { Session } from '../session.js';
import type { StatementPlan } from '../statement-plan.js';
import { planSelectStatement } from './select-statement.js';

interface CopyFormat {
  csv: boolean;
  header: boolean;
  delimiter: string;
  null: string;
  quote: string;
  escape: string;
  forceQuote: Set<string> | 'all';
}

function optionString(item: any): string | null {
  const a = item.arg;
  if (a === undefined) return null;
  if (a.String) return String(a.String.sval);
  if (a.Integer) return String(a.Integer.ival ?? 0);
  if (a.Boolean) return a.Boolean.boolval ? 'true' : 'false';
  if (a.A_Star) return '*';
  if (a.List) return (a.List.items ?? []).map((x: any) => x.String?.sval).join(',');
  return null;
}

function isTrue(v: string | null): boolean {
  return v === null || ['true', 'on', '1', 'yes'].includes(v.toLowerCase());
}

function readOptions(options: any[] | undefined): CopyFormat {
  const f: Partial<CopyFormat> & { csv: boolean } = { csv: false, header: false };
  let forceQuote: Set<string> | 'all' = new Set();
  for (const d of options ?? []) {
    const item = d.DefElem;
    const v = optionString(item);
    switch (item.defname) {
      case 'format':
        if (v === 'csv') f.csv = true;
        else if (v === 'text') f.csv = false;
        else if (v === 'binary') throw new PgError(SQLSTATE.feature_not_supported, 'COPY BINARY TO STDOUT is not supported');
        else throw new PgError(SQLSTATE.invalid_parameter_value, `COPY format "${v}" not recognized`);
        break;
      case 'header': f.header = isTrue(v); break;
      case 'delimiter': f.delimiter = v ?? ''; break;
      case 'null': f.null = v ?? ''; break;
      case 'quote': f.quote = v ?? ''; break;
      case 'escape': f.escape = v ?? ''; break;
      case 'force_quote': forceQuote = v === '*' ? 'all' : new Set((v ?? '').split(',')); break;
      case 'encoding':
        if (!['utf8', 'utf-8', 'unicode'].includes(String(v).toLowerCase())) throw new PgError(SQLSTATE.feature_not_supported, 'COPY supports only UTF8 encoding');
        break;
      case 'freeze':
      case 'oids':
        break;
      default:
        throw new PgError(SQLSTATE.syntax_error, `option "${item.defname}" not recognized`);
    }
  }
  const delimiter = f.delimiter ?? (f.csv ? ',' : '\t');
  if (delimiter.length !== 1) throw new PgError(SQLSTATE.feature_not_supported, 'COPY delimiter must be a single one-byte character');
  if (f.header && !f.csv) throw new PgError(SQLSTATE.feature_not_supported, 'COPY HEADER available only in CSV mode');
  const quote = f.quote ?? '"';
  return {
    csv: f.csv,
    header: f.header ?? false,
    delimiter,
    null: f.null ?? (f.csv ? '' : '\\N'),
    quote,
    escape: f.escape ?? quote,
    forceQuote,
  };
}

export function planCopy(session: Session, node: any): StatementPlan {
  if (node.is_from || !node.query) {
    const rel = node.relation;
    if (rel && !node.query) {
      throw new PgError(SQLSTATE.undefined_table, `relation "${rel.relname}" does not exist`);
    }
  }
  if (node.filename !== undefined || node.is_program) {
    throw new PgError(SQLSTATE.insufficient_privilege, 'COPY to or from a file is not supported; use COPY ... TO STDOUT / FROM STDIN', {
      hint: "Anyone can COPY to stdout or from stdin. psql's \\copy command also works for anyone.",
    });
  }
  const format = readOptions(node.options);
  const query = node.query as Record<string, any>;
  if (!query.SelectStmt) throw new PgError(SQLSTATE.feature_not_supported, 'COPY query must be a SELECT');
  const select = planSelectStatement(session, query.SelectStmt, []);
  const columns = select.columns!;
  return {
    kind: 'CopyStmt',
    paramTypes: [],
    columns: null,
    async execute(s, params) {
      const result = await select.execute(s, params);
      const io = s.settings.ioContext();
      const outputs = columns.map((c) => getTextOutput(c.typeOid));
      const lines: string[] = [];
      const quoteAll = format.forceQuote === 'all';
      const forced = columns.map((c) => quoteAll || (format.forceQuote as Set<string>).has?.(c.name));
      if (format.header) lines.push(columns.map((c) => csvField(c.name, format, false)).join(format.delimiter) + '\n');
      for (const row of result.rows ?? []) {
        const fields = row.map((v, i) => {
          if (v === null || v === undefined) return format.null;
          const text = outputs[i]!(v, io);
          return format.csv ? csvField(text, format, forced[i]!) : escapeText(text, format.delimiter);
        });
        lines.push(fields.join(format.delimiter) + '\n');
      }
      return { tag: `COPY ${(result.rows ?? []).length}`, copyOut: { lines, columnCount: columns.length } };
    },
  };
}

/** Text format: backslash escapes for the delimiter, backslash and control characters. */
function escapeText(s: string, delimiter: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    let rep: string | null = null;
    if (c === '\\') rep = '\\\\';
    else if (c === '\n') rep = '\\n';
    else if (c === '\r') rep = '\\r';
    else if (c === '\t') rep = delimiter === '\t' ? '\\t' : '\t';
    else if (c === '\b') rep = '\\b';
    else if (c === '\f') rep = '\\f';
    else if (c === '\v') rep = '\\v';
    else if (c === delimiter) rep = '\\' + c;
    if (rep !== null) {
      out += s.slice(from, i) + rep;
      from = i + 1;
    }
  }
  return from === 0 ? s : out + s.slice(from);
}

/** CSV: quote when the value contains the delimiter, quote, CR/LF, equals the NULL string, or is forced. */
function csvField(s: string, f: CopyFormat, force: boolean): string {
  const needs =
    force || s === f.null || s.includes(f.delimiter) || s.includes(f.quote) || s.includes('\n') || s.includes('\r') || (s.length > 0 && s === '\\.');
  if (!needs) return s;
  let out = f.quote;
  for (const c of s) {
    if (c === f.quote || c === f.escape) out += f.escape;
    out += c;
  }
  return out + f.quote;
}
