// COPY ... TO STDOUT: the text and csv line formats, as PostgreSQL's
// CopyAttributeOutText / CopyAttributeOutCSV write them.
import { PgError, SQLSTATE } from '../errors.js';
import { getTextOutput } from '../types/type-io.js';
import type { TypeIoContext } from '../types/io-context.js';
import { optionBoolean, optionPosition, optionString, type DefElemNode } from './statements/option-values.js';
import type { ResultColumn } from './statement-plan.js';

export interface CopyFormat {
  csv: boolean;
  header: boolean;
  delimiter: string;
  null: string;
  quote: string;
  escape: string;
  /** Columns always quoted in csv (FORCE_QUOTE), or every column. */
  forceQuote: Set<string> | 'all';
}

/** FORCE_QUOTE's argument: * or a list of column names. */
function forceQuoteColumns(item: DefElemNode): Set<string> | 'all' {
  const arg = item.arg;
  if (arg?.A_Star) return 'all';
  if (arg?.List) return new Set((arg.List.items ?? []).map((x: any) => String(x.String?.sval ?? '')));
  throw new PgError(SQLSTATE.invalid_parameter_value, `argument to option "${item.defname}" must be a list of column names`, {
    position: optionPosition(item),
  });
}

/** COPY's WITH (...) options, with PostgreSQL's checks. */
export function readCopyOptions(options: any[] | undefined): CopyFormat {
  let csv = false;
  let header = false;
  let delimiter: string | undefined;
  let nullText: string | undefined;
  let quote: string | undefined;
  let escape: string | undefined;
  let forceQuote: Set<string> | 'all' | undefined;
  const seen = new Set<string>();
  for (const d of options ?? []) {
    const item: DefElemNode = d.DefElem;
    if (seen.has(item.defname)) {
      throw new PgError(SQLSTATE.syntax_error, 'conflicting or redundant options', { position: optionPosition(item) });
    }
    seen.add(item.defname);
    switch (item.defname) {
      case 'format': {
        const v = optionString(item);
        if (v === 'csv') csv = true;
        else if (v === 'text') csv = false;
        else if (v === 'binary') throw new PgError(SQLSTATE.feature_not_supported, 'COPY BINARY is not supported');
        else throw new PgError(SQLSTATE.invalid_parameter_value, `COPY format "${v}" not recognized`, { position: optionPosition(item) });
        break;
      }
      case 'header': header = optionBoolean(item); break;
      case 'delimiter': delimiter = optionString(item); break;
      case 'null': nullText = optionString(item); break;
      case 'quote': quote = optionString(item); break;
      case 'escape': escape = optionString(item); break;
      case 'force_quote': forceQuote = forceQuoteColumns(item); break;
      case 'encoding':
        if (!['utf8', 'utf-8', 'unicode'].includes(optionString(item).toLowerCase())) {
          throw new PgError(SQLSTATE.feature_not_supported, 'COPY supports only the UTF8 encoding');
        }
        break;
      case 'freeze':
        optionBoolean(item); // checked, and meaningless for COPY TO
        break;
      default:
        throw new PgError(SQLSTATE.syntax_error, `option "${item.defname}" not recognized`, { position: optionPosition(item) });
    }
  }
  delimiter ??= csv ? ',' : '\t';
  if (delimiter.length !== 1) throw new PgError(SQLSTATE.feature_not_supported, 'COPY delimiter must be a single one-byte character');
  if (header && !csv) throw new PgError(SQLSTATE.feature_not_supported, 'COPY HEADER available only in CSV mode');
  if (!csv && quote !== undefined) throw new PgError(SQLSTATE.feature_not_supported, 'COPY quote available only in CSV mode');
  if (!csv && escape !== undefined) throw new PgError(SQLSTATE.feature_not_supported, 'COPY escape available only in CSV mode');
  if (!csv && forceQuote !== undefined) throw new PgError(SQLSTATE.feature_not_supported, 'COPY force quote available only in CSV mode');
  quote ??= '"';
  return { csv, header, delimiter, null: nullText ?? (csv ? '' : '\\N'), quote, escape: escape ?? quote, forceQuote: forceQuote ?? new Set() };
}

/** Builds one COPY line (with its newline) per row. */
export class CopyLineEncoder {
  private readonly outputs: ((v: unknown, io: TypeIoContext) => string)[];
  private readonly forced: boolean[];
  /** PostgreSQL quotes a lone "\." in single-column csv, where it would read as end-of-data. */
  private readonly singleColumn: boolean;

  constructor(private readonly columns: ResultColumn[], private readonly format: CopyFormat, private readonly io: TypeIoContext) {
    this.outputs = columns.map((c) => getTextOutput(c.typeOid));
    const fq = format.forceQuote;
    this.forced = columns.map((c) => fq === 'all' || fq.has(c.name));
    this.singleColumn = columns.length === 1;
  }

  header(): string {
    return this.columns.map((c) => this.csvField(c.name, false)).join(this.format.delimiter) + '\n';
  }

  line(row: unknown[]): string {
    const f = this.format;
    let out = '';
    for (let i = 0; i < this.outputs.length; i++) {
      if (i > 0) out += f.delimiter;
      const v = row[i];
      if (v === null || v === undefined) {
        out += f.null;
        continue;
      }
      const text = this.outputs[i]!(v, this.io);
      out += f.csv ? this.csvField(text, this.forced[i]!) : escapeText(text, f.delimiter);
    }
    return out + '\n';
  }

  private csvField(s: string, force: boolean): string {
    const f = this.format;
    const needs =
      force || s === f.null || s.includes(f.delimiter) || s.includes(f.quote) || s.includes('\n') || s.includes('\r') ||
      (this.singleColumn && s === '\\.');
    if (!needs) return s;
    let out = f.quote;
    for (const c of s) {
      if (c === f.quote || c === f.escape) out += f.escape;
      out += c;
    }
    return out + f.quote;
  }
}

/** Text format: backslash escapes for backslash, control characters and the delimiter. */
function escapeText(s: string, delimiter: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | null = null;
    if (c < 0x20 || c === 0x5c || s[i] === delimiter) {
      switch (c) {
        case 0x08: rep = '\\b'; break;
        case 0x0c: rep = '\\f'; break;
        case 0x0a: rep = '\\n'; break;
        case 0x0d: rep = '\\r'; break;
        case 0x09: rep = '\\t'; break;
        case 0x0b: rep = '\\v'; break;
        case 0x5c: rep = '\\\\'; break;
        default: rep = s[i] === delimiter ? '\\' + s[i] : null;
      }
    }
    if (rep !== null) {
      out += s.slice(from, i) + rep;
      from = i + 1;
    }
  }
  return from === 0 ? s : out + s.slice(from);
}
