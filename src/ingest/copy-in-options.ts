// COPY ... FROM STDIN's WITH (...) options (and the old-style ones the parser
// turns into the same DefElems), checked as PostgreSQL 11's ProcessCopyOptions
// checks them, turned into CopyInOptions for the row parser.
import { PgError, SQLSTATE } from '../errors.js';
import { optionBoolean, optionPosition, optionString, type DefElemNode } from '../server/statements/option-values.js';
import type { CopyInOptions } from './copy-in-parser.js';

/** FORCE_NOT_NULL / FORCE_NULL: a list of column names (or * for FORCE_QUOTE, refused here). */
function columnList(item: DefElemNode): string[] {
  const arg = item.arg;
  if (arg?.List) return (arg.List.items ?? []).map((x: any) => String(x.String?.sval ?? ''));
  throw new PgError(SQLSTATE.invalid_parameter_value, `argument to option "${item.defname}" must be a list of column names`, {
    position: optionPosition(item),
  });
}

/**
 * Reads the options of COPY rel [(columns)] FROM STDIN. `columnNames` are
 * the columns the data lines carry, in order (for FORCE_NOT_NULL/FORCE_NULL).
 */
export function readCopyInOptions(
  options: any[] | undefined,
  relationName: string,
  columnNames: readonly string[],
  relationColumns: readonly string[] = columnNames,
): CopyInOptions {
  let csv = false;
  let header = false;
  let delimiter: string | undefined;
  let nullText: string | undefined;
  let quote: string | undefined;
  let escape: string | undefined;
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
      case 'force_not_null': forceNotNull = columnList(item); break;
      case 'force_null': forceNull = columnList(item); break;
      case 'force_quote':
        throw new PgError(SQLSTATE.feature_not_supported, 'COPY force quote only available using COPY TO');
      case 'freeze': optionBoolean(item); break; // nothing to freeze in a stream
      case 'oids':
        if (optionBoolean(item)) throw new PgError(SQLSTATE.feature_not_supported, `table "${relationName}" does not have OIDs`);
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
  if (!csv && forceNotNull !== undefined) throw new PgError(SQLSTATE.feature_not_supported, 'COPY force not null available only in CSV mode');
  if (!csv && forceNull !== undefined) throw new PgError(SQLSTATE.feature_not_supported, 'COPY force null available only in CSV mode');
  if (nullText.includes(delimiter)) {
    throw new PgError(SQLSTATE.feature_not_supported, 'COPY delimiter must not appear in the NULL specification');
  }
  if (csv && nullText.includes(quote)) {
    throw new PgError(SQLSTATE.feature_not_supported, 'CSV quote character must not appear in the NULL specification');
  }
  return {
    csv,
    delimiter,
    null: nullText,
    quote,
    escape,
    header,
    forceNotNull: forceNotNull && columnFlags(forceNotNull, 'FORCE_NOT_NULL', relationName, columnNames, relationColumns),
    forceNull: forceNull && columnFlags(forceNull, 'FORCE_NULL', relationName, columnNames, relationColumns),
  };
}

/** Per data column: whether the option names it; names must be COPY columns. */
function columnFlags(
  names: string[],
  option: string,
  relationName: string,
  columnNames: readonly string[],
  relationColumns: readonly string[],
): boolean[] {
  const flags = columnNames.map(() => false);
  for (const n of names) {
    if (!relationColumns.includes(n)) {
      throw new PgError(SQLSTATE.undefined_column, `column "${n}" of relation "${relationName}" does not exist`);
    }
    const i = columnNames.indexOf(n);
    if (i < 0) {
      throw new PgError(SQLSTATE.invalid_column_reference, `${option} column "${n}" not referenced by COPY`);
    }
    flags[i] = true;
  }
  return flags;
}
