// date / time / timestamp / timestamptz text input, following PostgreSQL's
// field-based reading: the input is split into tokens (date, time, number,
// word, signed zone) and the tokens are interpreted in order, with DateStyle's
// field order deciding ambiguous numeric dates.
import { PgError, SQLSTATE } from '../errors.js';
import {
  DATE_END_DAYS, DATE_MIN_DAYS, POSTGRES_EPOCH_JDATE, dateToDays, daysInMonth, daysToDate, isValidTimestamp, timeToMicros,
} from './datetime.js';
import { localToUtc, lookupAbbreviation, offsetAt, resolveZoneName, type TimeZone } from './timezone.js';
import { PG_EPOCH_USECS, USECS_PER_DAY, USECS_PER_SEC } from './values.js';

export type DateOrder = 'MDY' | 'DMY' | 'YMD';

const enum TokType { Date, Time, Tz, Number, Word, Signed }

interface Token {
  type: TokType;
  text: string; // lower-cased
}

// Field bits for the mask of what has been seen.
const YEAR = 1, MONTH = 2, DAY = 4, HOUR = 8, MINUTE = 16, SECOND = 32, TZ = 64, DOY = 128, AMPM = 256, BCAD = 512, DOW = 1024, SPECIAL = 2048;
const DATE_M = YEAR | MONTH | DAY;
const TIME_M = HOUR | MINUTE | SECOND;

const enum Err { BadFormat, FieldOverflow, MdFieldOverflow, TzDispOverflow }

class DecodeError {
  constructor(readonly kind: Err) {}
}

type Keyword =
  | { k: 'month'; v: number }
  | { k: 'dow' }
  | { k: 'ampm'; pm: boolean }
  | { k: 'adbc'; bc: boolean }
  | { k: 'special'; v: Special }
  | { k: 'ignore' }
  | { k: 'julian' }
  | { k: 'isotime' };

export type Special = 'epoch' | 'infinity' | '-infinity' | 'now' | 'today' | 'tomorrow' | 'yesterday' | 'allballs';

const KEYWORDS = new Map<string, Keyword>();
const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_FULL = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
MONTH_NAMES.forEach((n, i) => KEYWORDS.set(n, { k: 'month', v: i + 1 }));
MONTH_FULL.forEach((n, i) => KEYWORDS.set(n, { k: 'month', v: i + 1 }));
KEYWORDS.set('sept', { k: 'month', v: 9 });
for (const d of 'sun sunday mon monday tue tues tuesday wed wednes wednesday thu thur thurs thursday fri friday sat saturday'.split(' ')) {
  KEYWORDS.set(d, { k: 'dow' });
}
KEYWORDS.set('am', { k: 'ampm', pm: false });
KEYWORDS.set('a.m.', { k: 'ampm', pm: false });
KEYWORDS.set('pm', { k: 'ampm', pm: true });
KEYWORDS.set('p.m.', { k: 'ampm', pm: true });
KEYWORDS.set('ad', { k: 'adbc', bc: false });
KEYWORDS.set('a.d.', { k: 'adbc', bc: false });
KEYWORDS.set('bc', { k: 'adbc', bc: true });
KEYWORDS.set('b.c.', { k: 'adbc', bc: true });
for (const s of ['epoch', 'infinity', '-infinity', 'now', 'today', 'tomorrow', 'yesterday', 'allballs'] as Special[]) {
  KEYWORDS.set(s, { k: 'special', v: s });
}
KEYWORDS.set('+infinity', { k: 'special', v: 'infinity' });
KEYWORDS.set('at', { k: 'ignore' });
KEYWORDS.set('on', { k: 'ignore' });
KEYWORDS.set('j', { k: 'julian' });
KEYWORDS.set('jd', { k: 'julian' });
KEYWORDS.set('julian', { k: 'julian' });
KEYWORDS.set('t', { k: 'isotime' });

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Splits the input into typed tokens (PostgreSQL's ParseDateTime). */
function tokenize(s: string): Token[] {
  const toks: Token[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    if (isDigit(c)) {
      while (i < n && isDigit(s.charCodeAt(i))) i++;
      const d = s.charCodeAt(i);
      if (d === 58 /* : */) {
        i++;
        while (i < n && (isDigit(s.charCodeAt(i)) || s.charCodeAt(i) === 58 || s.charCodeAt(i) === 46)) i++;
        toks.push({ type: TokType.Time, text: s.slice(start, i) });
      } else if (d === 45 || d === 47 || d === 46) {
        const delim = d;
        i++;
        if (isDigit(s.charCodeAt(i))) {
          let type = delim === 46 ? TokType.Number : TokType.Date;
          while (i < n && isDigit(s.charCodeAt(i))) i++;
          if (s.charCodeAt(i) === delim) {
            type = TokType.Date;
            i++;
            while (i < n && (isDigit(s.charCodeAt(i)) || s.charCodeAt(i) === delim)) i++;
          }
          toks.push({ type, text: s.slice(start, i) });
        } else {
          while (i < n && (isDigit(s.charCodeAt(i)) || isAlpha(s.charCodeAt(i)) || s.charCodeAt(i) === delim)) i++;
          toks.push({ type: TokType.Date, text: s.slice(start, i).toLowerCase() });
        }
      } else {
        toks.push({ type: TokType.Number, text: s.slice(start, i) });
      }
    } else if (c === 46 /* . */) {
      i++;
      while (i < n && isDigit(s.charCodeAt(i))) i++;
      toks.push({ type: TokType.Number, text: s.slice(start, i) });
    } else if (isAlpha(c)) {
      while (i < n && isAlpha(s.charCodeAt(i))) i++;
      const word = s.slice(start, i).toLowerCase();
      const d = s.charCodeAt(i);
      let isDate = false;
      if (d === 45 || d === 47 || d === 46) isDate = true;
      else if (d === 43 || isDigit(d)) isDate = !KEYWORDS.has(word);
      if (isDate) {
        i++;
        while (i < n) {
          const e = s.charCodeAt(i);
          if (e === 43 || e === 45 || e === 47 || e === 95 || e === 46 || e === 58 || isDigit(e) || isAlpha(e)) i++;
          else break;
        }
        // Keep the original case: zone names such as America/New_York are matched case-insensitively later.
        toks.push({ type: TokType.Date, text: s.slice(start, i) });
      } else {
        toks.push({ type: TokType.Word, text: word });
      }
    } else if (c === 43 || c === 45) {
      i++;
      while (i < n && isSpace(s.charCodeAt(i))) i++;
      if (isDigit(s.charCodeAt(i))) {
        let body = '';
        while (i < n) {
          const e = s.charCodeAt(i);
          if (isDigit(e) || e === 58 || e === 46 || e === 45) i++;
          else break;
        }
        body = s.slice(start, i).replace(/\s+/g, '');
        toks.push({ type: TokType.Tz, text: body });
      } else if (isAlpha(s.charCodeAt(i))) {
        const ws = i;
        while (i < n && isAlpha(s.charCodeAt(i))) i++;
        toks.push({ type: TokType.Signed, text: s[start] + s.slice(ws, i).toLowerCase() });
      } else {
        throw new DecodeError(Err.BadFormat);
      }
    } else if (c < 128 && isPunct(c)) {
      i++;
    } else {
      throw new DecodeError(Err.BadFormat);
    }
  }
  return toks;
}

function isPunct(c: number): boolean {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}

/** What the decoder found: broken-down fields plus flags. */
interface Decoded {
  fmask: number;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  micro: number;
  /** Explicit offset, seconds east of UTC. */
  tzOffset: number | null;
  /** A zone named in the input (America/New_York) — offset depends on the local time. */
  namedZone: TimeZone | null;
  special: Special | null;
  is2digits: boolean;
  julian: boolean;
  bc: boolean;
  pm: boolean | null;
  doy: number;
}

function newDecoded(): Decoded {
  return {
    fmask: 0, year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, micro: 0, tzOffset: null,
    namedZone: null, special: null, is2digits: false, julian: false, bc: false, pm: null, doy: 0,
  };
}

function parseIntStrict(s: string): number {
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) throw new DecodeError(Err.BadFormat);
    v = v * 10 + (c - 48);
  }
  if (s.length === 0) throw new DecodeError(Err.BadFormat);
  return v;
}

/** Fractional seconds text ("123456789" after the point) -> microseconds, rounded half to even as rint(). */
function fractionToMicros(digits: string): number {
  if (digits.length === 0) return 0;
  for (let i = 0; i < digits.length; i++) if (!isDigit(digits.charCodeAt(i))) throw new DecodeError(Err.BadFormat);
  const x = Number('0.' + digits) * 1e6;
  let r = Math.round(x);
  if (r - x === 0.5 && r % 2 !== 0) r -= 1;
  return r;
}

/** hh:mm[:ss[.ffffff]] or mm:ss.fff */
function decodeTime(text: string, d: Decoded): number {
  const parts = text.split(':');
  if (parts.length > 3 || parts.some((p) => p.length === 0)) throw new DecodeError(Err.BadFormat);
  const h = parseIntStrict(parts[0]!);
  let m: number;
  let sec = 0;
  let micro = 0;
  let hour = h;
  const p1 = parts[1]!;
  if (parts.length === 2 && p1.indexOf('.') >= 0) {
    // mm:ss.fff
    const [ss, frac] = p1.split('.');
    hour = 0;
    m = h;
    sec = parseIntStrict(ss!);
    micro = fractionToMicros(frac ?? '');
  } else {
    if (p1.indexOf('.') >= 0) throw new DecodeError(Err.BadFormat);
    m = parseIntStrict(p1);
    if (parts.length === 3) {
      const p2 = parts[2]!;
      const dot = p2.indexOf('.');
      if (dot >= 0) {
        sec = parseIntStrict(p2.slice(0, dot));
        const frac = p2.slice(dot + 1);
        if (frac.indexOf('.') >= 0) throw new DecodeError(Err.BadFormat);
        micro = fractionToMicros(frac);
      } else sec = parseIntStrict(p2);
    }
  }
  if (hour < 0 || m < 0 || m > 59 || sec < 0 || sec > 60 || micro < 0 || micro > USECS_PER_SEC) {
    throw new DecodeError(Err.FieldOverflow);
  }
  d.hour = hour;
  d.minute = m;
  d.second = sec;
  d.micro = micro;
  return HOUR | MINUTE | SECOND;
}

/** +hh, +hh:mm, +hh:mm:ss, +hhmm, +hhmmss -> seconds east of UTC. */
function decodeTimezone(text: string): number {
  const sign = text.charCodeAt(0) === 45 ? -1 : 1;
  const body = text.slice(1);
  let h: number;
  let m = 0;
  let s = 0;
  const colon = body.indexOf(':');
  if (colon >= 0) {
    const parts = body.split(':');
    if (parts.length > 3) throw new DecodeError(Err.BadFormat);
    h = parseIntStrict(parts[0]!);
    m = parseIntStrict(parts[1]!);
    if (parts.length === 3) s = parseIntStrict(parts[2]!);
  } else {
    if (body.length === 0) throw new DecodeError(Err.BadFormat);
    const v = parseIntStrict(body);
    if (body.length > 4) {
      h = Math.floor(v / 10000);
      m = Math.floor(v / 100) % 100;
      s = v % 100;
    } else if (body.length > 2) {
      h = Math.floor(v / 100);
      m = v % 100;
    } else h = v;
  }
  if (h > 15 || m >= 60 || s >= 60) throw new DecodeError(Err.TzDispOverflow);
  return sign * (h * 3600 + m * 60 + s);
}

/** One numeric date/time field; where it goes depends on what was seen and DateStyle. */
function decodeNumber(text: string, haveTextMonth: boolean, fmask: number, d: Decoded, order: DateOrder): number {
  const dot = text.indexOf('.');
  if (dot >= 0) {
    // A fraction is only meaningful on a concatenated field (yymmdd.ffff or hhmmss.ffff).
    if (dot >= 6 || (fmask & DATE_M) === DATE_M) return decodeNumberField(text, fmask, d);
    throw new DecodeError(Err.BadFormat);
  }
  const flen = text.length;
  const val = parseIntStrict(text);
  if (flen === 3 && (fmask & DATE_M) === YEAR && val >= 1 && val <= 366) {
    d.doy = val;
    return DOY | MONTH | DAY;
  }
  let tmask: number;
  switch (fmask & DATE_M) {
    case 0:
      if (flen >= 3 || order === 'YMD') {
        tmask = YEAR;
        d.year = val;
      } else if (order === 'DMY') {
        tmask = DAY;
        d.day = val;
      } else {
        tmask = MONTH;
        d.month = val;
      }
      break;
    case YEAR:
      tmask = MONTH;
      d.month = val;
      break;
    case MONTH:
      if (haveTextMonth) {
        if (flen >= 3 || order === 'YMD') {
          tmask = YEAR;
          d.year = val;
        } else {
          tmask = DAY;
          d.day = val;
        }
      } else {
        tmask = DAY;
        d.day = val;
      }
      break;
    case YEAR | MONTH:
      if (haveTextMonth && flen >= 3 && d.is2digits) {
        // DD-MON-YYYY in YMD mode: the first number was the day after all
        tmask = DAY;
        d.day = d.year;
        d.year = val;
        d.is2digits = false;
        return tmask;
      }
      tmask = DAY;
      d.day = val;
      break;
    case DAY:
      tmask = MONTH;
      d.month = val;
      break;
    case MONTH | DAY:
      tmask = YEAR;
      d.year = val;
      break;
    case YEAR | MONTH | DAY:
      return decodeNumberField(text, fmask, d);
    default:
      throw new DecodeError(Err.BadFormat);
  }
  if (tmask === YEAR) d.is2digits = flen <= 2;
  return tmask;
}

/** Run-together digits: yyyymmdd / yymmdd, or hhmmss / hhmm, optionally with a fraction. */
function decodeNumberField(text: string, fmask: number, d: Decoded): number {
  let digits = text;
  const dot = text.indexOf('.');
  if (dot >= 0) {
    const frac = text.slice(dot + 1);
    d.micro = fractionToMicros(frac);
    digits = text.slice(0, dot);
  }
  const len = digits.length;
  if ((fmask & DATE_M) === 0 && dot < 0) {
    if (len >= 6) {
      d.day = parseIntStrict(digits.slice(len - 2));
      d.month = parseIntStrict(digits.slice(len - 4, len - 2));
      d.year = parseIntStrict(digits.slice(0, len - 4));
      if (len - 4 === 2) d.is2digits = true;
      return DATE_M;
    }
  }
  if ((fmask & TIME_M) !== TIME_M) {
    if (len === 6) {
      d.hour = parseIntStrict(digits.slice(0, 2));
      d.minute = parseIntStrict(digits.slice(2, 4));
      d.second = parseIntStrict(digits.slice(4));
      return TIME_M;
    }
    if (len === 4) {
      d.hour = parseIntStrict(digits.slice(0, 2));
      d.minute = parseIntStrict(digits.slice(2));
      d.second = 0;
      return TIME_M;
    }
  }
  throw new DecodeError(Err.BadFormat);
}

/** A date field like 2003-01-02, 01/02/2003, 2003.01.02 or 02-jan-2003. */
function decodeDate(text: string, d: Decoded, order: DateOrder): number {
  const fields: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && !isDigit(text.charCodeAt(i)) && !isAlpha(text.charCodeAt(i))) i++;
    if (i >= text.length) throw new DecodeError(Err.BadFormat);
    const start = i;
    if (isDigit(text.charCodeAt(i))) while (i < text.length && isDigit(text.charCodeAt(i))) i++;
    else while (i < text.length && isAlpha(text.charCodeAt(i))) i++;
    fields.push(text.slice(start, i).toLowerCase());
    if (i < text.length) {
      const c = text.charCodeAt(i);
      if (isDigit(c) || isAlpha(c)) continue; // digit/letter boundary separates fields too
      i++;
    }
  }
  let fmask = 0;
  let haveTextMonth = false;
  const pending: string[] = [];
  for (const f of fields) {
    if (isAlpha(f.charCodeAt(0))) {
      const kw = KEYWORDS.get(f);
      if (!kw || kw.k !== 'month') {
        if (kw && kw.k === 'adbc') {
          d.bc = kw.bc;
          continue;
        }
        throw new DecodeError(Err.BadFormat);
      }
      if (fmask & MONTH) throw new DecodeError(Err.BadFormat);
      d.month = kw.v;
      haveTextMonth = true;
      fmask |= MONTH;
    } else pending.push(f);
  }
  for (const f of pending) {
    const m = decodeNumber(f, haveTextMonth, fmask, d, order);
    if (fmask & m) throw new DecodeError(Err.BadFormat);
    fmask |= m;
  }
  if ((fmask & ~(DOY | TZ)) !== DATE_M) throw new DecodeError(Err.BadFormat);
  return fmask;
}

/** Reads all tokens into `d`. `timeOnly` is the time type's reading (no date required). */
function decode(input: string, order: DateOrder, timeOnly: boolean): Decoded {
  const toks = tokenize(input);
  const d = newDecoded();
  let fmask = 0;
  let haveTextMonth = false;
  let ptype: 'julian' | 'isotime' | null = null;
  for (let t = 0; t < toks.length; t++) {
    const tok = toks[t]!;
    let tmask = 0;
    switch (tok.type) {
      case TokType.Date: {
        if (ptype === 'julian') {
          throw new DecodeError(Err.BadFormat);
        }
        if ((fmask & DATE_M) === DATE_M || ptype !== null || isAlpha(tok.text.charCodeAt(0)) && !looksLikeTextDate(tok.text)) {
          // Already have a date: a zone name with punctuation (America/New_York).
          if (isDigit(tok.text.charCodeAt(0))) throw new DecodeError(Err.BadFormat);
          const z = resolveZoneName(tok.text);
          if (!z) throw unknownZone(tok.text.toLowerCase());
          d.namedZone = z;
          tmask = TZ;
        } else {
          tmask = decodeDate(tok.text, d, order);
        }
        break;
      }
      case TokType.Time:
        tmask = decodeTime(tok.text, d);
        ptype = null;
        break;
      case TokType.Tz:
        if ((fmask & DATE_M) === 0 && !timeOnly && (fmask & TIME_M) === 0 && /^-\d+-\d+(-\d+)?$/.test(tok.text)) {
          // a negative year in yyyy-mm-dd form is not supported
          throw new DecodeError(Err.BadFormat);
        }
        d.tzOffset = decodeTimezone(tok.text);
        tmask = TZ;
        break;
      case TokType.Number: {
        if (ptype === 'julian') {
          const jd = parseIntStrict(tok.text);
          const days = jd - POSTGRES_EPOCH_JDATE;
          if (jd < 0 || days >= DATE_END_DAYS) throw new DecodeError(Err.FieldOverflow);
          const ymd = daysToDate(days);
          d.year = ymd[0];
          d.month = ymd[1];
          d.day = ymd[2];
          d.julian = true;
          tmask = DATE_M;
          ptype = null;
          break;
        }
        if (ptype === 'isotime') {
          // 'T' followed by run-together time: hhmmss[.ffff] or hhmm
          tmask = decodeNumberField(tok.text, fmask | DATE_M, d);
          ptype = null;
          break;
        }
        const flen = tok.text.length;
        const dot = tok.text.indexOf('.');
        if (dot >= 0 && (fmask & DATE_M) === 0 && !timeOnly) {
          tmask = decodeDate(tok.text, d, order);
        } else if (dot >= 0 && dot > 2) {
          tmask = decodeNumberField(tok.text, timeOnly ? fmask | DATE_M : fmask, d);
        } else if (timeOnly && flen >= 4 && dot < 0) {
          tmask = decodeNumberField(tok.text, fmask | DATE_M, d);
        } else if (!timeOnly && flen >= 6 && ((fmask & DATE_M) === 0 || (fmask & TIME_M) === 0)) {
          tmask = decodeNumberField(tok.text, fmask, d);
        } else {
          tmask = decodeNumber(tok.text, haveTextMonth, fmask, d, order);
        }
        break;
      }
      case TokType.Word:
      case TokType.Signed: {
        const kw = KEYWORDS.get(tok.text);
        if (kw) {
          switch (kw.k) {
            case 'month':
              if ((fmask & MONTH) && !haveTextMonth && !(fmask & DAY) && d.month >= 1 && d.month <= 31) {
                // "21 Nov": the number first read as a month was the day
                d.day = d.month;
                tmask = DAY;
              } else tmask = MONTH;
              d.month = kw.v;
              haveTextMonth = true;
              break;
            case 'dow':
              tmask = DOW;
              break;
            case 'ampm':
              d.pm = kw.pm;
              tmask = AMPM;
              break;
            case 'adbc':
              d.bc = kw.bc;
              tmask = BCAD;
              break;
            case 'special':
              d.special = kw.v;
              tmask = SPECIAL;
              if (toks.length !== 1 && kw.v !== 'allballs' && kw.v !== 'today' && kw.v !== 'tomorrow' && kw.v !== 'yesterday' && kw.v !== 'now') {
                throw new DecodeError(Err.BadFormat);
              }
              break;
            case 'ignore':
              tmask = 0;
              break;
            case 'julian':
              ptype = 'julian';
              tmask = 0;
              break;
            case 'isotime':
              // 'T' between date and time: the next field must be a time
              if ((fmask & DATE_M) !== DATE_M && !timeOnly) throw new DecodeError(Err.BadFormat);
              ptype = 'isotime';
              tmask = 0;
              break;
          }
          break;
        }
        const ab = lookupAbbreviation(tok.text);
        if (ab) {
          d.tzOffset = ab.offset;
          tmask = TZ;
          break;
        }
        const z = tok.type === TokType.Word ? resolveZoneName(tok.text) : null;
        if (z) {
          d.namedZone = z;
          tmask = TZ;
          break;
        }
        throw new DecodeError(Err.BadFormat);
      }
    }
    if (tmask & fmask) throw new DecodeError(Err.BadFormat);
    fmask |= tmask;
    if (tok.type === TokType.Word && (KEYWORDS.get(tok.text)?.k === 'month')) haveTextMonth = true;
  }
  if (ptype !== null) throw new DecodeError(Err.BadFormat);
  d.fmask = fmask;
  return d;
}

function looksLikeTextDate(text: string): boolean {
  // "jan-02-2003" style: a month name followed by a date delimiter
  let i = 0;
  while (i < text.length && isAlpha(text.charCodeAt(i))) i++;
  const kw = KEYWORDS.get(text.slice(0, i).toLowerCase());
  return kw !== undefined && kw.k === 'month' && i < text.length && (text[i] === '-' || text[i] === '/' || text[i] === '.');
}

function unknownZone(name: string): PgError {
  return new PgError(SQLSTATE.invalid_parameter_value, `time zone "${name}" not recognized`);
}

/** AM/PM, BC, two-digit years, day-of-year and range checks (PostgreSQL's ValidateDate and friends). */
function validate(d: Decoded, requireDate: boolean): void {
  const fmask = d.fmask;
  if (d.pm !== null) {
    if (d.hour > 12) throw new DecodeError(Err.FieldOverflow);
    if (d.pm && d.hour < 12) d.hour += 12;
    else if (!d.pm && d.hour === 12) d.hour = 0;
  }
  if (fmask & YEAR) {
    if (d.julian) {
      // already astronomical
    } else if (d.bc) {
      if (d.year <= 0) throw new DecodeError(Err.FieldOverflow);
      d.year = -(d.year - 1);
    } else if (d.is2digits) {
      if (d.year < 70) d.year += 2000;
      else if (d.year < 100) d.year += 1900;
    } else if (d.year <= 0) throw new DecodeError(Err.FieldOverflow);
  }
  if (fmask & DOY) {
    const days = dateToDays(d.year, 1, 1) + d.doy - 1;
    const ymd = daysToDate(days);
    d.year = ymd[0];
    d.month = ymd[1];
    d.day = ymd[2];
    d.fmask |= MONTH | DAY;
  }
  if (fmask & MONTH && (d.month < 1 || d.month > 12)) throw new DecodeError(Err.MdFieldOverflow);
  if (fmask & DAY && (d.day < 1 || d.day > 31)) throw new DecodeError(Err.MdFieldOverflow);
  if ((d.fmask & DATE_M) === DATE_M && d.day > daysInMonth(d.year, d.month)) throw new DecodeError(Err.FieldOverflow);
  if (requireDate && (d.fmask & DATE_M) !== DATE_M && d.special === null) throw new DecodeError(Err.BadFormat);
  if (d.hour > 24 || (d.hour === 24 && (d.minute > 0 || d.second > 0 || d.micro > 0))) {
    throw new DecodeError(Err.FieldOverflow);
  }
}

function parseError(e: unknown, typeName: string, input: string): unknown {
  if (!(e instanceof DecodeError)) return e;
  switch (e.kind) {
    case Err.FieldOverflow:
      return new PgError(SQLSTATE.datetime_field_overflow, `date/time field value out of range: "${input}"`);
    case Err.MdFieldOverflow:
      return new PgError(SQLSTATE.datetime_field_overflow, `date/time field value out of range: "${input}"`, {
        hint: 'Perhaps you need a different "datestyle" setting.',
      });
    case Err.TzDispOverflow:
      return new PgError(SQLSTATE.invalid_time_zone_displacement_value, `time zone displacement out of range: "${input}"`);
    default:
      return new PgError(SQLSTATE.invalid_datetime_format, `invalid input syntax for type ${typeName}: "${input}"`);
  }
}

/** Current time in PG-epoch microseconds (UTC) for 'now' etc. when the caller gives none. */
function wallClockNow(): number {
  return Date.now() * 1000 - PG_EPOCH_USECS;
}

/** Options for reading date/time text. */
export interface DateTimeInput {
  order: DateOrder;
  /** Session zone: for timestamptz without an explicit zone, and for now/today. */
  zone: TimeZone;
  /** The transaction timestamp (PG-epoch microseconds, UTC) used for 'now', 'today' ... */
  now?: number;
}

function localNowDays(opts: DateTimeInput): number {
  const now = opts.now ?? wallClockNow();
  return Math.floor((now + offsetAt(opts.zone, now) * USECS_PER_SEC) / USECS_PER_DAY);
}

/** Days of 294277-01-01, the first date beyond the timestamp range. */
const TIMESTAMP_END_DAYS = 106_751_983;

/** NaN when the date lies outside the timestamp range (checked on days: the microsecond sum is inexact there). */
function localTimestampOf(d: Decoded): number {
  const days = dateToDays(d.year, d.month, d.day);
  if (days >= TIMESTAMP_END_DAYS || days < DATE_MIN_DAYS) return NaN;
  return days * USECS_PER_DAY + timeToMicros(d.hour, d.minute, d.second, d.micro);
}

/** Local timestamp microseconds of the decoded value, or a special value. */
function toLocalTimestamp(d: Decoded, opts: DateTimeInput): number | 'now' {
  switch (d.special) {
    case 'epoch':
      return -PG_EPOCH_USECS; // 1970-01-01 00:00 (local for timestamp, UTC for timestamptz: caller decides)
    case 'infinity':
      return Infinity;
    case '-infinity':
      return -Infinity;
    case 'now':
      return 'now';
    case 'today':
    case 'tomorrow':
    case 'yesterday': {
      const days = localNowDays(opts) + (d.special === 'tomorrow' ? 1 : d.special === 'yesterday' ? -1 : 0);
      return days * USECS_PER_DAY + ((d.fmask & TIME_M) ? timeToMicros(d.hour, d.minute, d.second, d.micro) : 0);
    }
    case 'allballs':
      throw new DecodeError(Err.BadFormat);
  }
  if ((d.fmask & DATE_M) !== DATE_M) throw new DecodeError(Err.BadFormat);
  return localTimestampOf(d);
}

function timestampOutOfRange(input: string): PgError {
  return new PgError(SQLSTATE.datetime_field_overflow, `timestamp out of range: "${input}"`);
}

/** timestamp without time zone input; any zone in the text is ignored, as PostgreSQL does. */
export function parseTimestamp(input: string, opts: DateTimeInput): number {
  let local: number | 'now';
  try {
    const d = decode(input, opts.order, false);
    validate(d, true);
    local = toLocalTimestamp(d, opts);
  } catch (e) {
    throw parseError(e, 'timestamp', input);
  }
  if (local === 'now') {
    const now = opts.now ?? wallClockNow();
    return now + offsetAt(opts.zone, now) * USECS_PER_SEC;
  }
  if (Number.isNaN(local) || (Number.isFinite(local) && !isValidTimestamp(local))) throw timestampOutOfRange(input);
  return local;
}

/** timestamp with time zone input: explicit offset, named zone, or the session zone. */
export function parseTimestamptz(input: string, opts: DateTimeInput): number {
  let d: Decoded;
  let local: number | 'now';
  try {
    d = decode(input, opts.order, false);
    validate(d, true);
    local = toLocalTimestamp(d, opts);
  } catch (e) {
    throw parseError(e, 'timestamp with time zone', input);
  }
  if (local === 'now') return opts.now ?? wallClockNow();
  if (Number.isNaN(local)) throw timestampOutOfRange(input);
  if (!Number.isFinite(local)) return local;
  if (d.special === 'epoch') return -PG_EPOCH_USECS;
  let utc: number;
  if (d.tzOffset !== null) utc = local - d.tzOffset * USECS_PER_SEC;
  else utc = localToUtc(d.namedZone ?? opts.zone, local);
  if (!isValidTimestamp(utc) || !isValidTimestamp(local)) throw timestampOutOfRange(input);
  return utc;
}

/** date input: the time part, if any, is ignored. */
export function parseDate(input: string, opts: DateTimeInput): number {
  let days: number;
  try {
    const d = decode(input, opts.order, false);
    validate(d, true);
    switch (d.special) {
      case 'epoch':
        return -10_957;
      case 'infinity':
        return Infinity;
      case '-infinity':
        return -Infinity;
      case 'now':
      case 'today':
        return localNowDays(opts);
      case 'tomorrow':
        return localNowDays(opts) + 1;
      case 'yesterday':
        return localNowDays(opts) - 1;
      case 'allballs':
        throw new DecodeError(Err.BadFormat);
    }
    if ((d.fmask & DATE_M) !== DATE_M) throw new DecodeError(Err.BadFormat);
    days = dateToDays(d.year, d.month, d.day);
  } catch (e) {
    throw parseError(e, 'date', input);
  }
  if (days < DATE_MIN_DAYS || days >= DATE_END_DAYS) {
    throw new PgError(SQLSTATE.datetime_field_overflow, `date out of range: "${input}"`);
  }
  return days;
}

/** time input: microseconds since midnight; a date or zone in the text is accepted and ignored. */
export function parseTime(input: string, opts: DateTimeInput): number {
  try {
    const d = decode(input, opts.order, true);
    validate(d, false);
    switch (d.special) {
      case 'allballs':
        return 0;
      case 'now': {
        const now = opts.now ?? wallClockNow();
        const local = now + offsetAt(opts.zone, now) * USECS_PER_SEC;
        return local - Math.floor(local / USECS_PER_DAY) * USECS_PER_DAY;
      }
      case null:
        break;
      default:
        throw new DecodeError(Err.BadFormat);
    }
    if ((d.fmask & TIME_M) === 0) throw new DecodeError(Err.BadFormat);
    const us = timeToMicros(d.hour, d.minute, d.second, d.micro);
    if (us > USECS_PER_DAY) throw new DecodeError(Err.FieldOverflow);
    return us;
  } catch (e) {
    throw parseError(e, 'time', input);
  }
}
