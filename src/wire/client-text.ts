// Text received from the client must be valid UTF-8 (client_encoding = server
// encoding = UTF8); PostgreSQL verifies it and rejects bad bytes with 22021.
// Node's decoder turns every invalid sequence into U+FFFD, so the strict scan
// runs only when the decoded text contains U+FFFD.

import { PgError, SQLSTATE } from '../errors.js';

/**
 * Decodes buf[start, end) as UTF-8, rejecting invalid sequences and NUL bytes
 * the way PostgreSQL does for text parameters ("invalid byte sequence for
 * encoding "UTF8": 0x..", SQLSTATE 22021).
 */
export function decodeClientText(buf: Buffer, start = 0, end = buf.length): string {
  const nul = buf.indexOf(0, start);
  if (nul !== -1 && nul < end) throw invalidByteSequence(buf, nul, end, 1);
  return decodeClientString(buf, start, end);
}

/** As decodeClientText, for ranges already known to hold no NUL (C strings). */
export function decodeClientString(buf: Buffer, start: number, end: number): string {
  if (start === end) return '';
  const s = buf.toString('utf8', start, end);
  if (s.indexOf('\uFFFD') !== -1) checkUtf8(buf, start, end);
  return s;
}

/** Throws for the first character PostgreSQL's verifier would reject. */
function checkUtf8(buf: Buffer, start: number, end: number): void {
  let i = start;
  while (i < end) {
    const c = buf[i]!;
    if (c < 0x80) {
      if (c === 0) throw invalidByteSequence(buf, i, end, 1);
      i++;
      continue;
    }
    const len = (c & 0xe0) === 0xc0 ? 2 : (c & 0xf0) === 0xe0 ? 3 : (c & 0xf8) === 0xf0 ? 4 : 1;
    if (end - i < len || !isLegalSequence(buf, i, len)) throw invalidByteSequence(buf, i, end, len);
    i += len;
  }
}

/** The well-formed UTF-8 table (no overlongs, surrogates or > U+10FFFF). */
function isLegalSequence(b: Buffer, i: number, len: number): boolean {
  for (let k = 2; k < len; k++) {
    const a = b[i + k]!;
    if (a < 0x80 || a > 0xbf) return false;
  }
  const lead = b[i]!;
  if (len >= 2) {
    const a = b[i + 1]!;
    switch (lead) {
      case 0xe0:
        if (a < 0xa0 || a > 0xbf) return false;
        break;
      case 0xed:
        if (a < 0x80 || a > 0x9f) return false;
        break;
      case 0xf0:
        if (a < 0x90 || a > 0xbf) return false;
        break;
      case 0xf4:
        if (a < 0x80 || a > 0x8f) return false;
        break;
      default:
        if (a < 0x80 || a > 0xbf) return false;
    }
  }
  return !(lead >= 0x80 && lead < 0xc2) && lead <= 0xf4;
}

function invalidByteSequence(buf: Buffer, at: number, end: number, charLen: number): PgError {
  const n = Math.min(charLen, end - at, 8);
  const parts: string[] = [];
  for (let k = 0; k < n; k++) parts.push('0x' + buf[at + k]!.toString(16).padStart(2, '0'));
  return new PgError(
    SQLSTATE.character_not_in_repertoire,
    `invalid byte sequence for encoding "UTF8": ${parts.join(' ')}`,
  );
}
