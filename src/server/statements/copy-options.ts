// COPY's WITH (...) options (and the old-style ones the parser turns into the
// same DefElems), checked as PostgreSQL 11's ProcessCopyOptions checks them,
// for both directions: COPY ... FROM STDIN and COPY ... TO STDOUT.
import { PgError, SQLSTATE } from '../../errors.js';
import { optionBoolean, optionPosition, optionString, type DefElemNode } from './option-values.js';

export type CopyDirection = 'from' | 'to';

export interface CopyOptions {
  csv: boolean;
  header: boolean;
  delimiter: string;
  null: string;
  quote: string;
  escape: string;
  /** COPY TO only: columns always quoted in csv, or every column (*). */
  forceQuote?: string[] | 'all';
  /** COPY FROM only: column names, checked against the columns by the caller. */
  forceNotNull?: string[];
  forceNull?: string[];
}

/** A FORCE_* option's argument: a list of column names, or * where allowed. */
function columnList(item: DefElemNode, starAllowed: boolean): string[] | 'all' {
  const arg = item.arg;
  if (starAllowed && arg?.A_Star) return 'all';
  if (arg?.List) return (arg.List.items ?? []).map((x: any) => String(x.String?.sval ?? ''));
  throw new PgError(SQLSTATE.invalid_parameter_value, `argument to option "${item.defname}" must be a list of column names`, {
    position: optionPosition(item),
  });
}

/** Reads and checks COPY's options; `relationName` is the table or stream (absent for COPY (query) TO). */
export function readCopyOptions(options: any[] | undefined, direction: CopyDirection, relationName?: string): CopyOptions {
  let csv = false;
  let header = false;
  let delimiter: string | undefined;
  let nullText: string | undefined;
  let quote: string | undefined;
  let escape: string | undefined;
  let forceQuote: string[] | 'all' | undefined;
  let forceNotNull: string[] | undefined;
  let forceNull: string[] | undefined;
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
      case 'force_quote': forceQuote = columnList(item, true); break;
      case 'force_not_null': forceNotNull = columnList(item, false) as string[]; break;
      case 'force_null': forceNull = columnList(item, false) as string[]; break;
      case 'freeze': optionBoolean(item); break; // nothing to freeze in a stream, meaningless for COPY TO
      case 'oids':
        if (optionBoolean(item)) {
          if (relationName === undefined) throw new PgError(SQLSTATE.feature_not_supported, 'COPY (query) WITH OIDS is not supported');
          throw new PgError(SQLSTATE.feature_not_supported, `table "${relationName}" does not have OIDs`);
        }
        break;
      case 'encoding':
        if (!['utf8', 'utf-8', 'unicode'].includes(optionString(item).toLowerCase())) {
          throw new PgError(SQLSTATE.feature_not_supported, 'COPY supports only the UTF8 encoding');
        }
        break;
      default:
        throw new PgError(SQLSTATE.syntax_error, `option "${item.defname}" not recognized`, { position: optionPosition(item) });
    }
  }
  delimiter ??= csv ? ',' : '\t';
  nullText ??= csv ? '' : '\\N';
  if (delimiter.length !== 1 || Buffer.byteLength(delimiter) !== 1) {
    throw new PgError(SQLSTATE.feature_not_supported, 'COPY delimiter must be a single one-byte character');
  }
  if (delimiter === '\n' || delimiter === '\r') {
    throw new PgError(SQLSTATE.invalid_parameter_value, 'COPY delimiter cannot be newline or carriage return');
  }
  if (nullText.includes('\n') || nullText.includes('\r')) {
    throw new PgError(SQLSTATE.invalid_parameter_value, 'COPY null representation cannot use newline or carriage return');
  }
  // Text mode: these would be read as parts of backslash escapes.
  if (!csv && '\\.abcdefghijklmnopqrstuvwxyz0123456789'.includes(delimiter)) {
    throw new PgError(SQLSTATE.invalid_parameter_value, `COPY delimiter cannot be "${delimiter}"`);
  }
  if (!csv && header) throw new PgError(SQLSTATE.feature_not_supported, 'COPY HEADER available only in CSV mode');
  if (!csv && quote !== undefined) throw new PgError(SQLSTATE.feature_not_supported, 'COPY quote available only in CSV mode');
  quote ??= '"';
  if (csv && (quote.length !== 1 || Buffer.byteLength(quote) !== 1)) {
    throw new PgError(SQLSTATE.feature_not_supported, 'COPY quote must be a single one-byte character');
  }
  if (csv && delimiter === quote) throw new PgError(SQLSTATE.invalid_parameter_value, 'COPY delimiter and quote must be different');
  if (!csv && escape !== undefined) throw new PgError(SQLSTATE.feature_not_supported, 'COPY escape available only in CSV mode');
  escape ??= quote;
  if (csv && (escape.length !== 1 || Buffer.byteLength(escape) !== 1)) {
    throw new PgError(SQLSTATE.feature_not_supported, 'COPY escape must be a single one-byte character');
  }
  if (!csv && forceQuote !== undefined) throw new PgError(SQLSTATE.feature_not_supported, 'COPY force quote available only in CSV mode');
  if (forceQuote !== undefined && direction === 'from') {
    throw new PgError(SQLSTATE.feature_not_supported, 'COPY force quote only available using COPY TO');
  }
  if (!csv && forceNotNull !== undefined) throw new PgError(SQLSTATE.feature_not_supported, 'COPY force not null available only in CSV mode');
  if (forceNotNull !== undefined && direction === 'to') {
    throw new PgError(SQLSTATE.feature_not_supported, 'COPY force not null only available using COPY FROM');
  }
  if (!csv && forceNull !== undefined) throw new PgError(SQLSTATE.feature_not_supported, 'COPY force null available only in CSV mode');
  if (forceNull !== undefined && direction === 'to') {
    throw new PgError(SQLSTATE.feature_not_supported, 'COPY force null only available using COPY FROM');
  }
  if (nullText.includes(delimiter)) {
    throw new PgError(SQLSTATE.feature_not_supported, 'COPY delimiter must not appear in the NULL specification');
  }
  if (csv && nullText.includes(quote)) {
    throw new PgError(SQLSTATE.feature_not_supported, 'CSV quote character must not appear in the NULL specification');
  }
  return { csv, header, delimiter, null: nullText, quote, escape, forceQuote, forceNotNull, forceNull };
}
