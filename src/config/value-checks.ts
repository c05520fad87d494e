// Small validation hooks of individual settings (the bigger ones live in
// datestyle.ts, timezone.ts and encodings.ts). A string hook returns the value
// to store, a boolean hook only accepts or throws CheckFailure.
import { SQLSTATE } from '../errors.js';
import { CheckFailure } from './check-failure.js';
import { splitIdentifierList } from './identifiers.js';

/** application_name: bytes outside printable ASCII become '?', byte by byte (PostgreSQL 11). */
export function cleanAscii(value: string): string {
  let out = '';
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 32 && cp <= 126) out += ch;
    else out += '?'.repeat(cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);
  }
  return out;
}

/** Settings holding a list of names must at least have valid list syntax. */
export function checkIdentifierList(value: string): string {
  if (splitIdentifierList(value) === null) throw new CheckFailure({ detail: 'List syntax is invalid.' });
  return value;
}

// Only the C locale exists here: text sorts and formats bytewise.
const C_LOCALES = new Set(['', 'C', 'POSIX', 'C.UTF-8', 'C.utf8']);

export function checkLocale(value: string): string {
  if (!C_LOCALES.has(value)) throw new CheckFailure();
  return value;
}

export function checkTimezoneAbbreviations(value: string): string {
  if (value !== 'Default') throw new CheckFailure();
  return value;
}

export function checkDefaultTablespace(value: string): string {
  if (value !== '' && value !== 'pg_default') {
    throw new CheckFailure({ detail: `Tablespace "${value}" does not exist.` });
  }
  return value;
}

export function checkStandardConformingStrings(value: boolean): void {
  if (!value) {
    throw new CheckFailure({
      code: SQLSTATE.feature_not_supported,
      message: 'standard_conforming_strings = off is not supported',
    });
  }
}

export function checkDefaultWithOids(value: boolean): void {
  if (value) {
    throw new CheckFailure({ code: SQLSTATE.feature_not_supported, message: 'tables declared WITH OIDS are not supported' });
  }
}
