// to_timestamp(text, text) and to_date(text, text): reading date/time fields
// from text by a template, with PostgreSQL 11's lenient rules (blanks skipped,
// any one character of input taken for a template separator).
import { PgError, SQLSTATE } from '../../errors.js';
import { dateToDays, daysInMonth, TIMESTAMP_END, TIMESTAMP_MIN, timestampToTimestamptz } from '../../types/datetime.js';
import { OID } from '../../types/oids.js';
import { sessionZone } from '../../types/timezone.js';
import { USECS_PER_DAY } from '../../types/values.js';
import { registerFunction } from './catalog.js';
import { fn } from './define.js';

const { text, timestamptz, date } = OID;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

interface Parsed {
  year: number | null; // as written (AD/BC applied later)
  yearDigits: number;
  bc: boolean;
  month: number;
  day: number;
  doy: number | null;
  julian: number | null;
  hour: number;
  minute: number;
  second: number;
  micro: number;
  pm: boolean | null;
  hour12: boolean;
}

/** Numeric keywords with their nominal widths, longest spellings first. */
const NUMERIC_FIELDS: [string, number][] = [
  ['Y,YYY', 5], ['HH24', 2], ['HH12', 2], ['SSSS', 5], ['YYYY', 4], ['IYYY', 4], ['DDD', 3], ['YYY', 3], ['IYY', 3],
  ['HH', 2], ['MI', 2], ['SS', 2], ['MS', 3], ['US', 6], ['YY', 2], ['IY', 2], ['MM', 2], ['DD', 2], ['CC', 2], ['WW', 2],
  ['IW', 2], ['ID', 1], ['Y', 1], ['I', 1], ['D', 1], ['J', 7], ['Q', 1], ['W', 1],
];
const TEXT_FIELDS = ['A.M.', 'P.M.', 'B.C.', 'A.D.', 'MONTH', 'DAY', 'MON', 'DY', 'AM', 'PM', 'BC', 'AD', 'RM', 'TZ', 'OF', 'TZH', 'TZM'];

function invalidValue(value: string, field: string, detail: string): PgError {
  return new PgError(SQLSTATE.invalid_datetime_format, `invalid value "${value}" for "${field}"`, { detail });
}

function rangeError(input: string): PgError {
  return new PgError(SQLSTATE.datetime_field_overflow, `date/time field value out of range: "${input}"`);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function matchKeyword(fmt: string, i: number): { kw: string; width: number } | null {
  const up = fmt.slice(i, i + 5).toUpperCase();
  for (const kw of TEXT_FIELDS) if (up.startsWith(kw) && !(kw === 'DY' && up.startsWith('DYY'))) return { kw, width: 0 };
  for (const [kw, width] of NUMERIC_FIELDS) if (up.startsWith(kw)) return { kw, width };
  return null;
}

function adjustPartialYear(y: number): number {
  if (y < 70) return y + 2000;
  if (y < 100) return y + 1900;
  if (y < 520) return y + 2000;
  if (y < 1000) return y + 1000;
  return y;
}

function parseByTemplate(input: string, fmt: string): Parsed {
  const p: Parsed = {
    year: null, yearDigits: 0, bc: false, month: 1, day: 1, doy: null, julian: null,
    hour: 0, minute: 0, second: 0, micro: 0, pm: null, hour12: false,
  };
  let i = 0; // input position
  let f = 0; // template position
  const skipBlanks = () => {
    while (i < input.length && input[i] === ' ') i++;
  };
  while (f < fmt.length) {
    // FM / FX / TM prefixes change nothing here
    const pre = fmt.slice(f, f + 2).toUpperCase();
    if (pre === 'FM' || pre === 'FX' || pre === 'TM') {
      f += 2;
      continue;
    }
    if (fmt[f] === '"') {
      const end = fmt.indexOf('"', f + 1);
      const lit = fmt.slice(f + 1, end < 0 ? fmt.length : end);
      i += lit.length;
      f = end < 0 ? fmt.length : end + 1;
      continue;
    }
    const m = matchKeyword(fmt, f);
    if (!m) {
      // a separator in the template: blanks match any run of blanks, anything else one input character
      if (fmt[f] === ' ') skipBlanks();
      else if (i < input.length) i++;
      f++;
      continue;
    }
    f += m.kw.length;
    skipBlanks();
    if (m.width === 0) {
      i = readTextField(m.kw, input, i, p);
      continue;
    }
    // fixed width when another numeric field follows directly, else as many digits as there are
    const next = matchKeyword(fmt, f);
    const fixed = next !== null && next.width > 0;
    let j = i;
    if (input[j] === '-' || input[j] === '+') j++;
    const start = i;
    if (m.kw === 'Y,YYY') {
      while (j < input.length && (isDigit(input[j]) || input[j] === ',')) j++;
    } else {
      while (j < input.length && isDigit(input[j]) && (!fixed || j - start < m.width)) j++;
    }
    const raw = input.slice(start, j);
    const digits = raw.replace(/,/g, '');
    if (!/^[+-]?\d+$/.test(digits)) {
      const shown = input.slice(start, start + Math.max(m.width, 1));
      throw invalidValue(shown === '' ? input.slice(start) : shown, m.kw, 'Value must be an integer.');
    }
    i = j;
    setNumericField(m.kw, Number(digits), digits.replace(/^[+-]/, '').length, p);
  }
  return p;
}

function readTextField(kw: string, input: string, i: number, p: Parsed): number {
  const rest = input.slice(i).toLowerCase();
  const take = (word: string) => i + word.length;
  switch (kw) {
    case 'AM': case 'PM': case 'A.M.': case 'P.M.': {
      const dotted = kw.length === 4;
      const am = dotted ? 'a.m.' : 'am';
      const pm = dotted ? 'p.m.' : 'pm';
      if (rest.startsWith(am)) p.pm = false;
      else if (rest.startsWith(pm)) p.pm = true;
      else throw invalidValue(input.slice(i, i + kw.length), kw, `The given value did not match any of the allowed values for this field.`);
      return take(am);
    }
    case 'BC': case 'AD': case 'B.C.': case 'A.D.': {
      const dotted = kw.length === 4;
      if (rest.startsWith(dotted ? 'b.c.' : 'bc')) p.bc = true;
      else if (!rest.startsWith(dotted ? 'a.d.' : 'ad')) {
        throw invalidValue(input.slice(i, i + kw.length), kw, 'The given value did not match any of the allowed values for this field.');
      }
      return take(dotted ? 'b.c.' : 'bc');
    }
    case 'MONTH': case 'MON': {
      for (let m = 0; m < 12; m++) {
        const full = MONTHS[m]!;
        if (kw === 'MONTH' && rest.startsWith(full)) {
          p.month = m + 1;
          return take(full);
        }
        if (rest.startsWith(full.slice(0, 3))) {
          p.month = m + 1;
          return take(kw === 'MONTH' && rest.startsWith(full) ? full : full.slice(0, 3));
        }
      }
      throw invalidValue(input.slice(i, i + (kw === 'MON' ? 3 : 9)).trimEnd(), kw, 'The given value did not match any of the allowed values for this field.');
    }
    case 'DAY': case 'DY': {
      for (const d of DAYS) {
        if (kw === 'DAY' && rest.startsWith(d)) return take(d);
        if (rest.startsWith(d.slice(0, 3))) return take(d.slice(0, 3));
      }
      throw invalidValue(input.slice(i, i + 3), kw, 'The given value did not match any of the allowed values for this field.');
    }
    default:
      throw new PgError(SQLSTATE.feature_not_supported, `formatting field "${kw}" is only supported in to_char`);
  }
}

function setNumericField(kw: string, v: number, ndigits: number, p: Parsed): void {
  switch (kw) {
    case 'YYYY': case 'Y,YYY': case 'IYYY': p.year = v; p.yearDigits = 4; break;
    case 'YYY': case 'YY': case 'Y': case 'IYY': case 'IY': case 'I': p.year = adjustPartialYear(v); p.yearDigits = ndigits; break;
    case 'MM': p.month = v; break;
    case 'DD': p.day = v; break;
    case 'DDD': p.doy = v; break;
    case 'J': p.julian = v; break;
    case 'HH': case 'HH12': p.hour = v; p.hour12 = true; break;
    case 'HH24': p.hour = v; break;
    case 'MI': p.minute = v; break;
    case 'SS': p.second = v; break;
    case 'SSSS': p.hour = Math.floor(v / 3600); p.minute = Math.floor((v % 3600) / 60); p.second = v % 60; break;
    // fractions: "5" in MS is 500 ms, as digits after a decimal point
    case 'MS': p.micro = v * 10 ** (3 - ndigits) * 1000; break;
    case 'US': p.micro = v * 10 ** (6 - ndigits); break;
    default: break; // CC, WW, IW, ID, D, Q, W: accepted and ignored, as PostgreSQL does when a full date is given
  }
}

/** Local timestamp (microseconds since 2000-01-01) from the parsed fields. */
function toLocalTimestamp(p: Parsed, input: string): number {
  if (p.hour12) {
    if (p.hour < 1 || p.hour > 12) {
      throw new PgError(SQLSTATE.invalid_datetime_format, `hour "${p.hour}" is invalid for the 12-hour clock`, {
        hint: 'Use the 24-hour clock, or give an hour between 1 and 12.',
      });
    }
  }
  let hour = p.hour;
  if (p.pm !== null) {
    if (p.pm && hour < 12) hour += 12;
    else if (!p.pm && hour === 12) hour = 0;
  }
  let days: number;
  if (p.julian !== null) days = p.julian - 2_451_545;
  else {
    let year = p.year ?? 0;
    if (p.bc) year = 1 - year; // 1 BC is year 0
    if (p.doy !== null) {
      days = dateToDays(year, 1, 1) + p.doy - 1;
    } else {
      if (p.month < 1 || p.month > 12 || p.day < 1 || p.day > daysInMonth(year, p.month)) throw rangeError(input);
      days = dateToDays(year, p.month, p.day);
    }
  }
  if (hour > 24 || p.minute > 59 || p.second > 60) throw rangeError(input);
  const ts = days * USECS_PER_DAY + ((hour * 60 + p.minute) * 60 + p.second) * 1e6 + p.micro;
  if (!(ts >= TIMESTAMP_MIN && ts < TIMESTAMP_END)) throw new PgError(SQLSTATE.datetime_field_overflow, 'timestamp out of range');
  return ts;
}

export function toTimestampText(input: string, fmt: string, timeZone: string): number {
  return timestampToTimestamptz(toLocalTimestamp(parseByTemplate(input, fmt), input), sessionZone(timeZone));
}

export function toDateText(input: string, fmt: string): number {
  return Math.floor(toLocalTimestamp(parseByTemplate(input, fmt), input) / USECS_PER_DAY);
}

registerFunction(
  fn('to_timestamp', [text, text], timestamptz, (a: string[], ctx) => toTimestampText(a[0]!, a[1]!, ctx.io.timeZone), {
    volatility: 'stable',
  }),
  fn('to_date', [text, text], date, (a: string[]) => toDateText(a[0]!, a[1]!), { volatility: 'stable' }),
);
