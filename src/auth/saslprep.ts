// SASLprep (RFC 4013) of passwords, as PostgreSQL applies it before SCRAM
// key derivation: pure ASCII passes unchanged; otherwise map, NFKC-normalize,
// then check prohibited/unassigned code points and the bidi rule. When the
// input is not valid UTF-8 or the check fails, PostgreSQL uses the raw bytes,
// so this returns them unchanged too.
// Approximation: NFKC uses the Unicode version of Node's ICU, not the
// version PostgreSQL's tables were built from (differs only for code points
// assigned in recent Unicode versions, which A.1 treats as unassigned anyway).

import { PgError, SQLSTATE } from '../errors.js';
import { L_CAT, MAPPED_TO_NOTHING, NON_ASCII_SPACE, PROHIBITED_OUTPUT, RAND_AL_CAT, UNASSIGNED } from './saslprep-tables.js';

/** PostgreSQL refuses to SASLprep passwords longer than this many bytes. */
const MAX_PASSWORD_LENGTH = 1024;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function inTable(table: readonly number[], codePoint: number): boolean {
  let low = 0;
  let high = table.length / 2 - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (codePoint < table[mid * 2]) high = mid - 1;
    else if (codePoint > table[mid * 2 + 1]) low = mid + 1;
    else return true;
  }
  return false;
}

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) return false;
  return true;
}

/** Returns the prepared code points, or null when SASLprep fails (prohibited output, bidi violation, empty). */
function prepareCodePoints(text: string): number[] | null {
  let mapped = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (inTable(NON_ASCII_SPACE, cp)) mapped += ' ';
    else if (!inTable(MAPPED_TO_NOTHING, cp)) mapped += ch;
  }
  if (mapped === '') return null;

  const output: number[] = [];
  for (const ch of mapped.normalize('NFKC')) output.push(ch.codePointAt(0)!);
  let hasRandAL = false;
  for (const cp of output) {
    if (inTable(PROHIBITED_OUTPUT, cp) || inTable(UNASSIGNED, cp)) return null;
    if (inTable(RAND_AL_CAT, cp)) hasRandAL = true;
  }
  if (hasRandAL) {
    for (const cp of output) if (inTable(L_CAT, cp)) return null;
    if (!inTable(RAND_AL_CAT, output[0]) || !inTable(RAND_AL_CAT, output[output.length - 1])) return null;
  }
  return output;
}

/**
 * The bytes PostgreSQL feeds to PBKDF2 for `password`.
 * Throws 54000 "password too long" beyond 1024 bytes, as PostgreSQL does.
 */
export function saslprepPassword(password: Buffer | string): Buffer {
  const bytes = typeof password === 'string' ? Buffer.from(password, 'utf8') : password;
  if (bytes.length > MAX_PASSWORD_LENGTH) throw new PgError(SQLSTATE.program_limit_exceeded, 'password too long');
  if (isAscii(bytes)) return bytes;
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return bytes;
  }
  const prepared = prepareCodePoints(text);
  return prepared === null ? bytes : Buffer.from(String.fromCodePoint(...prepared), 'utf8');
}
