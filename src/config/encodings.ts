// client_encoding: which names PostgreSQL recognises, and which of them this
// server can serve. The server encoding is UTF8; a client may use UTF8 or
// SQL_ASCII (PostgreSQL converts nothing for SQL_ASCII clients, so bytes pass
// through as UTF-8, which is also what psql sends under the C locale). Every
// other encoding would need transcoding on the wire, which we do not do: it is
// refused with 0A000, the error PostgreSQL gives for a missing conversion.
import { SQLSTATE } from '../errors.js';
import { CheckFailure } from './check-failure.js';

export const SERVER_ENCODING = 'UTF8';

const ENCODING_NAMES = [
  'SQL_ASCII', 'EUC_JP', 'EUC_CN', 'EUC_KR', 'EUC_TW', 'EUC_JIS_2004', 'UTF8', 'MULE_INTERNAL',
  'LATIN1', 'LATIN2', 'LATIN3', 'LATIN4', 'LATIN5', 'LATIN6', 'LATIN7', 'LATIN8', 'LATIN9', 'LATIN10',
  'WIN1256', 'WIN1258', 'WIN866', 'WIN874', 'KOI8R', 'WIN1251', 'WIN1252', 'ISO_8859_5', 'ISO_8859_6',
  'ISO_8859_7', 'ISO_8859_8', 'WIN1250', 'WIN1253', 'WIN1254', 'WIN1255', 'WIN1257', 'KOI8U', 'SJIS',
  'BIG5', 'GBK', 'UHC', 'GB18030', 'JOHAB', 'SHIFT_JIS_2004',
];

// PostgreSQL compares encoding names after lower-casing and dropping
// everything but letters and digits ("utf-8", "Utf_8" and "UTF8" all match).
function cleanName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

const BY_CLEAN_NAME = new Map<string, string>();
for (const n of ENCODING_NAMES) BY_CLEAN_NAME.set(cleanName(n), n);
for (const [alias, n] of [
  ['unicode', 'UTF8'], ['iso88591', 'LATIN1'], ['iso88592', 'LATIN2'], ['iso88593', 'LATIN3'],
  ['iso88594', 'LATIN4'], ['iso88599', 'LATIN5'], ['iso885910', 'LATIN6'], ['iso885913', 'LATIN7'],
  ['iso885914', 'LATIN8'], ['iso885915', 'LATIN9'], ['iso885916', 'LATIN10'], ['shiftjis', 'SJIS'],
  ['mskanji', 'SJIS'], ['win', 'WIN1251'], ['alt', 'WIN866'], ['koi8', 'KOI8R'], ['tcvn', 'WIN1258'],
  ['abc', 'WIN1258'], ['vscii', 'WIN1258'], ['mule_internal', 'MULE_INTERNAL'],
] as const) {
  BY_CLEAN_NAME.set(cleanName(alias), n);
}

/** The canonical PostgreSQL name of an encoding, or undefined when unknown. */
export function canonicalEncodingName(name: string): string | undefined {
  return BY_CLEAN_NAME.get(cleanName(name));
}

/** Validates a client_encoding value; returns what SHOW prints. */
export function checkClientEncoding(value: string): string {
  const canonical = canonicalEncodingName(value);
  if (canonical === undefined) throw new CheckFailure();
  if (canonical !== 'UTF8' && canonical !== 'SQL_ASCII') {
    throw new CheckFailure({
      code: SQLSTATE.feature_not_supported,
      message: `conversion between ${canonical} and ${SERVER_ENCODING} is not supported`,
    });
  }
  // PostgreSQL keeps the spelling "UNICODE" for the sake of old JDBC drivers.
  return value === 'UNICODE' ? value : canonical;
}
