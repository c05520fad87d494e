// to_char(): date/time values and numbers formatted by PostgreSQL template
// patterns (YYYY, MM, HH24, Mon, Day, FM, TH ... and 9, 0, ., ,, S, MI, PR ...).
import { PgError, SQLSTATE } from '../../errors.js';
import { dateToDays, dayOfWeek, daysToJulian, isoWeek, timestampToFields, type DateFields } from '../../types/datetime.js';
import { formatOffset } from '../../types/datetime-format.js';
import { numericFromFloat8, numericFromInt } from '../../types/numeric.js';
import { OID } from '../../types/oids.js';
import { offsetAt, sessionZone, zoneAbbrevAt } from '../../types/timezone.js';
import { Dec, Interval, Numeric, USECS_PER_SEC } from '../../types/values.js';
import { registerFunction, type EvalContext } from './catalog.js';
import { fn } from './define.js';

const { text, timestamp, timestamptz, interval, numeric, int4, int8, float4, float8 } = OID;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];

/** What a date/time template can print. */
interface TimeParts extends DateFields {
  /** Zone abbreviation and UTC offset (seconds east), null for values without a zone. */
  tzAbbrev: string | null;
  tzOffset: number | null;
  isInterval: boolean;
}

// Template keywords, longest first where one is a prefix of another.
const DT_KEYWORDS = [
  'A.M.', 'a.m.', 'P.M.', 'p.m.', 'B.C.', 'b.c.', 'A.D.', 'a.d.', 'Y,YYY', 'y,yyy',
  'HH24', 'HH12', 'SSSS', 'IDDD', 'IYYY', 'YYYY', 'MONTH', 'Month', 'month',
  'IYY', 'YYY', 'MON', 'Mon', 'mon', 'DAY', 'Day', 'day', 'DDD', 'TZH', 'TZM',
  'HH', 'MI', 'SS', 'MS', 'US', 'AM', 'am', 'PM', 'pm', 'BC', 'bc', 'AD', 'ad', 'IY', 'YY', 'MM', 'DY', 'Dy', 'dy',
  'DD', 'ID', 'WW', 'IW', 'CC', 'RM', 'rm', 'TZ', 'tz', 'OF',
  'I', 'Y', 'D', 'J', 'Q', 'W',
];
/** Keywords whose output does not depend on how they are capitalized; these also match in any case. */
const CASE_FREE = new Set(DT_KEYWORDS.filter((k) => !/^(A\.M\.|a\.m\.|P\.M\.|p\.m\.|B\.C\.|b\.c\.|A\.D\.|a\.d\.|MONTH|Month|month|MON|Mon|mon|DAY|Day|day|DY|Dy|dy|AM|am|PM|pm|BC|bc|AD|ad|RM|rm|TZ|tz)$/.test(k)));

/** Matches a keyword at fmt[i], returning its canonical spelling. */
function matchDateKeyword(fmt: string, i: number): string | null {
  for (const kw of DT_KEYWORDS) if (fmt.startsWith(kw, i)) return kw;
  for (const kw of CASE_FREE) if (fmt.substr(i, kw.length).toUpperCase() === kw) return kw;
  return null;
}

function ordinal(n: number, upper: boolean): string {
  const m100 = Math.abs(n) % 100;
  const m10 = Math.abs(n) % 10;
  const s = m100 >= 11 && m100 <= 13 ? 'th' : m10 === 1 ? 'st' : m10 === 2 ? 'nd' : m10 === 3 ? 'rd' : 'th';
  return upper ? s.toUpperCase() : s;
}

function num(n: number, width: number, fm: boolean): string {
  const neg = n < 0;
  const s = String(Math.abs(n));
  return (neg ? '-' : '') + (fm ? s : s.padStart(width, '0'));
}

function cased(word: string, pattern: string): string {
  if (pattern === pattern.toUpperCase()) return word.toUpperCase();
  if (pattern === pattern.toLowerCase()) return word.toLowerCase();
  return word;
}

function padName(s: string, width: number, fm: boolean): string {
  return fm ? s : s.padEnd(width, ' ');
}

/** One keyword's output; numeric ones return digits so a TH suffix can follow. */
function dateKeyword(kw: string, p: TimeParts, fm: boolean): { text: string; value?: number } {
  const days = p.isInterval ? 0 : dateToDays(p.year, p.month, p.day);
  const yearAd = p.year > 0 ? p.year : 1 - p.year; // year as printed, with BC separate
  const hour12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
  const pm = p.hour >= 12;
  const n = (v: number, w: number) => ({ text: num(v, w, fm), value: v });
  switch (kw) {
    case 'HH': case 'HH12': return n(hour12, 2);
    case 'HH24': return n(p.hour, 2);
    case 'MI': return n(p.minute, 2);
    case 'SS': return n(p.second, 2);
    case 'MS': return n(Math.floor(p.micro / 1000), 3);
    case 'US': return n(p.micro, 6);
    case 'SSSS': return n(p.hour * 3600 + p.minute * 60 + p.second, 0);
    case 'AM': case 'PM': return { text: pm ? 'PM' : 'AM' };
    case 'am': case 'pm': return { text: pm ? 'pm' : 'am' };
    case 'A.M.': case 'P.M.': return { text: pm ? 'P.M.' : 'A.M.' };
    case 'a.m.': case 'p.m.': return { text: pm ? 'p.m.' : 'a.m.' };
    case 'BC': case 'AD': return { text: p.year <= 0 ? 'BC' : 'AD' };
    case 'bc': case 'ad': return { text: p.year <= 0 ? 'bc' : 'ad' };
    case 'B.C.': case 'A.D.': return { text: p.year <= 0 ? 'B.C.' : 'A.D.' };
    case 'b.c.': case 'a.d.': return { text: p.year <= 0 ? 'b.c.' : 'a.d.' };
    case 'Y,YYY': case 'y,yyy': return { text: `${Math.floor(yearAd / 1000)},${String(yearAd % 1000).padStart(3, '0')}`, value: yearAd };
    case 'YYYY': return n(p.isInterval ? p.year : yearAd, 4);
    case 'YYY': return n(yearAd % 1000, 3);
    case 'YY': return n(yearAd % 100, 2);
    case 'Y': return n(yearAd % 10, 1);
    case 'IYYY': return n(isoWeek(days).year, 4);
    case 'IYY': return n(isoWeek(days).year % 1000, 3);
    case 'IY': return n(isoWeek(days).year % 100, 2);
    case 'I': return n(isoWeek(days).year % 10, 1);
    case 'MONTH': case 'Month': case 'month':
      return { text: padName(cased(MONTHS[p.month - 1] ?? '', kw), 9, fm) };
    case 'MON': case 'Mon': case 'mon': return { text: cased((MONTHS[p.month - 1] ?? '').slice(0, 3), kw) };
    case 'MM': return n(p.month, 2);
    case 'DAY': case 'Day': case 'day': return { text: padName(cased(DAYS[dayOfWeek(days)]!, kw), 9, fm) };
    case 'DY': case 'Dy': case 'dy': return { text: cased(DAYS[dayOfWeek(days)]!.slice(0, 3), kw) };
    case 'DDD': return n(days - dateToDays(p.year, 1, 1) + 1, 3);
    case 'IDDD': {
      const w = isoWeek(days);
      return n((w.week - 1) * 7 + ((dayOfWeek(days) + 6) % 7) + 1, 3);
    }
    case 'DD': return n(p.day, 2);
    case 'D': return n(dayOfWeek(days) + 1, 1);
    case 'ID': return n(((dayOfWeek(days) + 6) % 7) + 1, 1);
    case 'W': return n(Math.floor((p.day - 1) / 7) + 1, 1);
    case 'WW': return n(Math.floor((days - dateToDays(p.year, 1, 1)) / 7) + 1, 2);
    case 'IW': return n(isoWeek(days).week, 2);
    case 'CC': {
      const cc = p.year > 0 ? Math.floor((p.year + 99) / 100) : -Math.floor((99 - (p.year - 1)) / 100);
      return n(cc, 2);
    }
    case 'J': return n(daysToJulian(days), 0);
    case 'Q': return n(Math.floor((p.month - 1) / 3) + 1, 1);
    case 'RM': return { text: padName(ROMAN[p.month - 1] ?? '', 4, fm) };
    case 'rm': return { text: padName((ROMAN[p.month - 1] ?? '').toLowerCase(), 4, fm) };
    case 'TZ': return { text: p.tzAbbrev ?? '' };
    case 'tz': return { text: (p.tzAbbrev ?? '').toLowerCase() };
    case 'OF': return { text: p.tzOffset === null ? '' : formatOffset(p.tzOffset) };
    case 'TZH': {
      if (p.tzOffset === null) return { text: '' };
      const h = Math.trunc(Math.abs(p.tzOffset) / 3600);
      return { text: (p.tzOffset < 0 ? '-' : '+') + String(h).padStart(2, '0') };
    }
    case 'TZM': return { text: p.tzOffset === null ? '' : String(Math.trunc((Math.abs(p.tzOffset) % 3600) / 60)).padStart(2, '0') };
    default: return { text: kw };
  }
}

export function formatDateTime(fmt: string, p: TimeParts): string {
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    let fm = false;
    // FM (fill mode), FX and TM prefixes
    for (;;) {
      const pre = fmt.substr(i, 2).toUpperCase();
      if (pre === 'FM') {
        fm = true;
        i += 2;
      } else if (pre === 'FX' || pre === 'TM') i += 2;
      else break;
    }
    const c = fmt[i];
    if (c === undefined) break;
    if (c === '"') {
      let j = i + 1;
      while (j < fmt.length && fmt[j] !== '"') {
        if (fmt[j] === '\\' && j + 1 < fmt.length) j++;
        out += fmt[j];
        j++;
      }
      i = j + 1;
      continue;
    }
    if (c === '\\' && fmt[i + 1] === '"') {
      out += '"';
      i += 2;
      continue;
    }
    const kw = matchDateKeyword(fmt, i);
    if (!kw) {
      out += c;
      i++;
      continue;
    }
    i += kw.length;
    const piece = dateKeyword(kw, p, fm);
    out += piece.text;
    const suffix = fmt.substr(i, 2);
    if (piece.value !== undefined && (suffix === 'TH' || suffix === 'th')) {
      out += ordinal(piece.value, suffix === 'TH');
      i += 2;
    }
  }
  return out;
}

function timestampParts(ts: number, tzAbbrev: string | null, tzOffset: number | null): TimeParts {
  return { ...timestampToFields(ts), tzAbbrev, tzOffset, isInterval: false };
}

function intervalParts(iv: Interval): TimeParts {
  let micros = iv.micros;
  const hour = Math.trunc(micros / 3_600_000_000);
  micros -= hour * 3_600_000_000;
  const minute = Math.trunc(micros / 60_000_000);
  micros -= minute * 60_000_000;
  const second = Math.trunc(micros / USECS_PER_SEC);
  return {
    year: Math.trunc(iv.months / 12),
    month: iv.months % 12,
    day: iv.days,
    hour,
    minute,
    second,
    micro: micros - second * USECS_PER_SEC,
    tzAbbrev: null,
    tzOffset: null,
    isInterval: true,
  };
}

function toCharTimestamptz(ts: number, fmt: string, ctx: EvalContext): string | null {
  if (!Number.isFinite(ts)) return null;
  const zone = sessionZone(ctx.io.timeZone);
  const offset = offsetAt(zone, ts);
  return formatDateTime(fmt, timestampParts(ts + offset * USECS_PER_SEC, zoneAbbrevAt(zone, ts), offset));
}

// ---- numbers ---------------------------------------------------------------------

interface NumFormat {
  intDigits: number;
  fracDigits: number;
  /** index (among integer digit positions) of the first '0': digits from there on are always printed */
  zeroStart: number;
  hasPoint: boolean;
  fm: boolean;
  tokens: string[];
}

function parseNumFormat(fmt: string): NumFormat {
  const f: NumFormat = { intDigits: 0, fracDigits: 0, zeroStart: Infinity, hasPoint: false, fm: false, tokens: [] };
  let i = 0;
  while (i < fmt.length) {
    const two = fmt.substr(i, 2).toUpperCase();
    if (two === 'FM') {
      f.fm = true;
      i += 2;
      continue;
    }
    if (two === 'MI' || two === 'PL' || two === 'SG' || two === 'PR') {
      f.tokens.push(two);
      i += 2;
      continue;
    }
    const c = fmt[i]!;
    const u = c.toUpperCase();
    if (c === '9' || c === '0') {
      if (f.hasPoint) f.fracDigits++;
      else {
        if (c === '0' && f.zeroStart === Infinity) f.zeroStart = f.intDigits;
        f.intDigits++;
      }
      f.tokens.push(c);
    } else if (c === '.' || u === 'D') {
      if (f.hasPoint) throw new PgError(SQLSTATE.syntax_error, 'multiple decimal points');
      f.hasPoint = true;
      f.tokens.push('.');
    } else if (c === ',' || u === 'G') f.tokens.push(',');
    else if (u === 'S') f.tokens.push('S');
    else f.tokens.push('lit:' + c);
    i++;
  }
  return f;
}

/** to_char(number, format). `value` is exact; it is rounded half away from zero to the format's fraction digits. */
export function formatNumber(value: Numeric, fmt: string): string {
  const f = parseNumFormat(fmt);
  const neg = value.value.isNeg() && !value.value.isZero();
  let intStr = '';
  let fracStr = '';
  let overflow = value.isNaN();
  if (!overflow) {
    const rounded = value.value.abs().toDecimalPlaces(f.fracDigits, Dec.ROUND_HALF_UP);
    const fixed = rounded.toFixed(f.fracDigits);
    const dot = fixed.indexOf('.');
    intStr = dot < 0 ? fixed : fixed.slice(0, dot);
    fracStr = dot < 0 ? '' : fixed.slice(dot + 1);
    if (intStr === '0') intStr = f.hasPoint ? '' : '0';
    if (intStr.length > f.intDigits) overflow = true;
  }
  const signMode = f.tokens.find((t) => t === 'S' || t === 'MI' || t === 'PL' || t === 'SG' || t === 'PR') ?? null;
  const signAtStart = signMode !== null && f.tokens.indexOf(signMode) === 0;
  // the number part, with blanks where digits have not started
  let body = '';
  let intPos = 0;
  let fracPos = 0;
  let started = false;
  let seenPoint = false;
  let trailingNines = 0; // FM drops trailing zeros printed by fractional 9s
  const firstDigitAt = f.intDigits - intStr.length;
  let tail = '';
  let head = '';
  for (const t of f.tokens) {
    if (t === '9' || t === '0') {
      if (!seenPoint) {
        const i = intPos++;
        if (overflow) body += '#';
        else if (i >= firstDigitAt) {
          body += intStr[i - firstDigitAt];
          started = true;
        } else if (i >= f.zeroStart) {
          body += '0';
          started = true;
        } else body += ' ';
      } else {
        const d = overflow ? '#' : fracStr[fracPos]!;
        fracPos++;
        body += d;
        trailingNines = t === '9' && d === '0' ? trailingNines + 1 : 0;
      }
    } else if (t === '.') {
      body += '.';
      seenPoint = true;
      started = true;
    } else if (t === ',') body += started ? ',' : ' ';
    else if (t.startsWith('lit:')) body += t.slice(4);
    else if (t === signMode) {
      if (signAtStart && (t === 'PL' || t === 'SG' || t === 'MI')) {
        head = t === 'PL' ? (neg ? ' ' : '+') : t === 'SG' ? (neg ? '-' : '+') : neg ? '-' : ' ';
      } else if (!signAtStart) {
        tail = t === 'S' ? (neg ? '-' : '+') : t === 'MI' ? (neg ? '-' : ' ') : t === 'PR' ? (neg ? '>' : ' ') : t === 'PL' ? (neg ? '' : '+') : neg ? '-' : '+';
      }
    }
  }
  // the sign placed right before the first printed character of the number
  let anchored: string;
  if (signMode === null || signMode === 'PL' && signAtStart) anchored = neg ? '-' : ' ';
  else if (signMode === 'S' && signAtStart) anchored = neg ? '-' : '+';
  else if (signMode === 'PR') anchored = neg ? '<' : ' ';
  else anchored = '';
  if (overflow) anchored = anchored === '' ? '' : ' ';
  let lead = 0;
  while (lead < body.length && body[lead] === ' ') lead++;
  let out = body.slice(0, lead) + anchored + body.slice(lead);
  if (f.fm) {
    out = out.replace(/^ +/, '');
    if (trailingNines > 0) out = out.slice(0, out.length - trailingNines);
    if (anchored === ' ') out = out.replace(/^ /, '');
  }
  return head + out + tail;
}

registerFunction(
  fn('to_char', [timestamp, text], text, (a: [number, string]) =>
    Number.isFinite(a[0]) ? formatDateTime(a[1], timestampParts(a[0], null, null)) : null, { volatility: 'stable' }),
  fn('to_char', [timestamptz, text], text, (a: [number, string], ctx) => toCharTimestamptz(a[0], a[1], ctx), { volatility: 'stable' }),
  fn('to_char', [interval, text], text, (a: [Interval, string]) => formatDateTime(a[1], intervalParts(a[0])), { volatility: 'stable' }),
  fn('to_char', [numeric, text], text, (a: [Numeric, string]) => formatNumber(a[0], a[1]), { volatility: 'stable' }),
  fn('to_char', [int4, text], text, (a: [number, string]) => formatNumber(numericFromInt(a[0]), a[1]), { volatility: 'stable' }),
  fn('to_char', [int8, text], text, (a: [bigint, string]) => formatNumber(numericFromInt(a[0]), a[1]), { volatility: 'stable' }),
  fn('to_char', [float4, text], text, (a: [number, string]) => formatNumber(floatNumeric(a[0]), a[1]), { volatility: 'stable' }),
  fn('to_char', [float8, text], text, (a: [number, string]) => formatNumber(floatNumeric(a[0]), a[1]), { volatility: 'stable' }),
);

function floatNumeric(x: number): Numeric {
  if (!Number.isFinite(x)) return new Numeric(new Dec(NaN), 0);
  return numericFromFloat8(x);
}
