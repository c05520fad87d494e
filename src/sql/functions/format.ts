// Functions that print SQL values into text: concat, concat_ws, format and the
// quote_* family.
import { PgError, SQLSTATE } from '../../errors.js';
import { OID } from '../../types/oids.js';
import { registerFunction, type EvalContext } from './catalog.js';
import { fn } from './define.js';
import { valueToText } from './value-text.js';

const { text, anyelement } = OID;

/** Keywords quote_ident must quote: every category except unreserved (PostgreSQL 11's list). */
const QUOTED_KEYWORDS = new Set(
  ('all analyse analyze and any array as asc asymmetric authorization between bigint binary bit boolean both case ' +
    'cast char character check coalesce collate collation column concurrently constraint create cross ' +
    'current_catalog current_date current_role current_schema current_time current_timestamp current_user dec ' +
    'decimal default deferrable desc distinct do else end except exists extract false fetch float for foreign ' +
    'freeze from full grant greatest group grouping having ilike in initially inner inout int integer intersect ' +
    'interval into is isnull join lateral leading least left like limit localtime localtimestamp national natural ' +
    'nchar none not notnull null nullif numeric offset on only or order out outer overlaps overlay placing ' +
    'position precision primary real references returning right row select session_user setof similar smallint ' +
    'some substring symmetric table tablesample then time timestamp to trailing treat trim true union unique user ' +
    'using values varchar variadic verbose when where window with xmlattributes xmlconcat xmlelement xmlexists ' +
    'xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable').split(' '),
);

export function quoteIdent(s: string): string {
  let safe = s.length > 0;
  for (let i = 0; i < s.length && safe; i++) {
    const c = s.charCodeAt(i);
    const lower = c >= 97 && c <= 122;
    const ok = i === 0 ? lower || c === 95 : lower || c === 95 || (c >= 48 && c <= 57) || c === 36;
    if (!ok) safe = false;
  }
  if (safe && !QUOTED_KEYWORDS.has(s)) return s;
  return '"' + s.replace(/"/g, '""') + '"';
}

/** quote_literal: doubled quotes, and E'' with doubled backslashes when there are backslashes. */
export function quoteLiteral(s: string): string {
  const body = s.replace(/'/g, "''");
  if (s.indexOf('\\') < 0) return "'" + body + "'";
  return "E'" + body.replace(/\\/g, '\\\\') + "'";
}

function concat(args: unknown[], types: number[], from: number, sep: string, ctx: EvalContext): string {
  let out = '';
  let first = true;
  for (let i = from; i < args.length; i++) {
    const v = args[i];
    if (v === null || v === undefined) continue;
    if (!first) out += sep;
    out += valueToText(v, types[i]!, ctx.io);
    first = false;
  }
  return out;
}

function formatError(message: string, hint?: string): PgError {
  return new PgError(SQLSTATE.invalid_parameter_value, message, hint ? { hint } : {});
}

const SINGLE_PERCENT_HINT = 'For a single "%" use "%%".';

/**
 * format(fmt, args...): %[n$][-][width|*|*n$](s|I|L) and %%. Arguments
 * numbered explicitly move the position, later plain specifiers continue after it.
 */
export function formatText(fmt: string, args: unknown[], types: number[], ctx: EvalContext): string {
  let out = '';
  let next = 0; // index into args of the next implicit argument
  const n = fmt.length;
  const readNumber = (i: number): [number, number] | null => {
    let j = i;
    let v = 0;
    while (j < n && fmt.charCodeAt(j) >= 48 && fmt.charCodeAt(j) <= 57) {
      v = v * 10 + (fmt.charCodeAt(j) - 48);
      if (v > 2147483647) throw formatError('number is out of range');
      j++;
    }
    return j === i ? null : [v, j];
  };
  const takeArg = (pos: number | null): number => {
    const idx = pos === null ? next : pos - 1;
    if (pos !== null && pos === 0) throw formatError('format specifies argument 0, but arguments are numbered from 1');
    if (idx >= args.length) throw formatError('too few arguments for format()');
    next = idx + 1;
    return idx;
  };
  for (let i = 0; i < n; i++) {
    const c = fmt[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    i++;
    if (i >= n) throw formatError('unterminated format() type specifier', SINGLE_PERCENT_HINT);
    if (fmt[i] === '%') {
      out += '%';
      continue;
    }
    // optional argument position n$
    let argPos: number | null = null;
    const num = readNumber(i);
    if (num && fmt[num[1]] === '$') {
      argPos = num[0];
      i = num[1] + 1;
    }
    let leftAlign = false;
    while (fmt[i] === '-') {
      leftAlign = true;
      i++;
    }
    let width = 0;
    if (fmt[i] === '*') {
      i++;
      let widthPos: number | null = null;
      const wn = readNumber(i);
      if (wn) {
        if (fmt[wn[1]] !== '$') throw formatError('unterminated format() type specifier', SINGLE_PERCENT_HINT);
        widthPos = wn[0];
        i = wn[1] + 1;
      }
      const wIdx = takeArg(widthPos);
      const wv = args[wIdx];
      width = wv === null || wv === undefined ? 0 : Number(wv);
      if (width < 0) {
        leftAlign = true;
        width = -width;
      }
    } else {
      const wn = num && argPos === null ? num : readNumber(i);
      if (wn) {
        width = wn[0];
        i = wn[1];
      }
    }
    if (i >= n) throw formatError('unterminated format() type specifier', SINGLE_PERCENT_HINT);
    const type = fmt[i]!;
    if (type !== 's' && type !== 'I' && type !== 'L') {
      throw formatError(`unrecognized format() type specifier "${type}"`, SINGLE_PERCENT_HINT);
    }
    const idx = takeArg(argPos);
    const v = args[idx];
    let piece: string;
    if (v === null || v === undefined) {
      if (type === 'I') throw new PgError(SQLSTATE.null_value_not_allowed, 'null values cannot be formatted as an SQL identifier');
      piece = type === 'L' ? 'NULL' : '';
    } else {
      const s = valueToText(v, types[idx]!, ctx.io);
      piece = type === 's' ? s : type === 'I' ? quoteIdent(s) : quoteLiteral(s);
    }
    if (width > 0) {
      const len = Array.from(piece).length;
      if (len < width) piece = leftAlign ? piece + ' '.repeat(width - len) : ' '.repeat(width - len) + piece;
    }
    out += piece;
  }
  return out;
}

registerFunction(
  fn('concat', [], text, (a: unknown[], ctx, t) => concat(a, t, 0, '', ctx), {
    strict: false,
    volatility: 'stable',
    variadic: OID.any,
  }),
  fn('concat_ws', [text], text, (a: unknown[], ctx, t) => (a[0] === null ? null : concat(a, t, 1, a[0] as string, ctx)), {
    strict: false,
    volatility: 'stable',
    variadic: OID.any,
  }),
  // format(text) and format(text, VARIADIC "any") in one definition: the variadic part may be empty.
  fn('format', [text], text, (a: unknown[], ctx, t) => (a[0] === null ? null : formatText(a[0] as string, a.slice(1), t.slice(1), ctx)), {
    strict: false,
    volatility: 'stable',
    variadic: OID.any,
  }),
  fn('quote_ident', [text], text, (a: string[]) => quoteIdent(a[0]!)),
  fn('quote_literal', [text], text, (a: string[]) => quoteLiteral(a[0]!)),
  fn('quote_literal', [anyelement], text, (a: unknown[], ctx, t) => quoteLiteral(valueToText(a[0], t[0]!, ctx.io)), {
    volatility: 'stable',
  }),
  fn('quote_nullable', [text], text, (a: (string | null)[]) => (a[0] === null ? 'NULL' : quoteLiteral(a[0]!)), { strict: false }),
  fn('quote_nullable', [anyelement], text, (a: unknown[], ctx, t) =>
    a[0] === null ? 'NULL' : quoteLiteral(valueToText(a[0], t[0]!, ctx.io)), { strict: false, volatility: 'stable' }),
);
