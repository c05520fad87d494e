// COPY ... TO STDOUT: the text and csv line formats, as PostgreSQL's
// CopyAttributeOutText / CopyAttributeOutCSV write them.
import { getTextOutput } from '../types/type-io.js';
import type { TypeIoContext } from '../types/io-context.js';
import { readCopyOptions } from './statements/copy-options.js';
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

/** COPY ... TO STDOUT's options, with PostgreSQL's checks. */
export function readCopyOutFormat(options: any[] | undefined, relationName?: string): CopyFormat {
  const o = readCopyOptions(options, 'to', relationName);
  const forceQuote = o.forceQuote === 'all' ? 'all' : new Set(o.forceQuote ?? []);
  return { csv: o.csv, header: o.header, delimiter: o.delimiter, null: o.null, quote: o.quote, escape: o.escape, forceQuote };
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
