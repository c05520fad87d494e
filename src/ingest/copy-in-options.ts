// COPY ... FROM STDIN's options, checked by the shared COPY option reader,
// turned into CopyInOptions for the row parser (FORCE_* names become
// per-column flags).
import { PgError, SQLSTATE } from '../errors.js';
import { readCopyOptions } from '../server/statements/copy-options.js';
import type { CopyInOptions } from './copy-in-parser.js';

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
  const o = readCopyOptions(options, 'from', relationName);
  return {
    csv: o.csv,
    delimiter: o.delimiter,
    null: o.null,
    quote: o.quote,
    escape: o.escape,
    header: o.header,
    forceNotNull: o.forceNotNull && columnFlags(o.forceNotNull, 'FORCE_NOT_NULL', relationName, columnNames, relationColumns),
    forceNull: o.forceNull && columnFlags(o.forceNull, 'FORCE_NULL', relationName, columnNames, relationColumns),
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
