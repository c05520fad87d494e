// Splits pg_hba.conf text into lines of fields, each field a comma list of
// tokens, following PostgreSQL's rules: blanks separate fields, commas
// separate list items, '#' starts a comment outside quotes, double quotes
// protect blanks/commas/'#' and a doubled quote inside quotes is a literal '"'.

export interface HbaToken {
  text: string;
  /** True when the token began with a double quote: then it is never a keyword ("all", "+role" ...). */
  quoted: boolean;
}

export interface TokenizedLine {
  lineNumber: number;
  rawLine: string;
  fields: HbaToken[][];
}

const MAX_TOKEN_LENGTH = 255;

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d;
}

export class HbaTokenError extends Error {}

interface TokenScan {
  token: HbaToken | null;
  trailingComma: boolean;
  next: number;
}

/** Reads one token starting at `pos`, skipping leading blanks and commas. */
function scanToken(line: string, pos: number): TokenScan {
  let i = pos;
  while (i < line.length && (isBlank(line.charCodeAt(i)) || line.charCodeAt(i) === 0x2c)) i++;

  let text = '';
  let inQuote = false;
  let sawQuote = false;
  let wasQuote = false;
  let initialQuote = false;
  let trailingComma = false;
  for (; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (!inQuote && isBlank(c)) break;
    if (c === 0x23 /* # */ && !inQuote) {
      i = line.length; // comment: discard the rest of the line
      break;
    }
    if (c === 0x2c /* , */ && !inQuote) {
      trailingComma = true;
      i++;
      break;
    }
    if (c !== 0x22 || wasQuote) text += line[i];
    wasQuote = inQuote && c === 0x22 ? !wasQuote : false;
    if (c === 0x22) {
      if (text === '') initialQuote = true;
      inQuote = !inQuote;
      sawQuote = true;
    }
  }
  if (text.length > MAX_TOKEN_LENGTH) {
    throw new HbaTokenError(`authentication file token too long, skipping: "${text}"`);
  }
  const token = sawQuote || text !== '' ? { text, quoted: initialQuote } : null;
  return { token, trailingComma, next: i };
}

/** Tokenizes one line; returns null for blank and comment-only lines. */
export function tokenizeHbaLine(line: string, lineNumber: number): TokenizedLine | null {
  const fields: HbaToken[][] = [];
  let pos = 0;
  while (pos < line.length) {
    const field: HbaToken[] = [];
    let scan: TokenScan;
    do {
      scan = scanToken(line, pos);
      pos = scan.next;
      if (scan.token === null) break;
      field.push(scan.token);
    } while (scan.trailingComma);
    if (field.length === 0) break;
    fields.push(field);
  }
  return fields.length === 0 ? null : { lineNumber, rawLine: line, fields };
}
