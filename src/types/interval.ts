// interval: text input (postgres, verbose, SQL standard and ISO 8601 forms),
// output in the four IntervalStyles, arithmetic, comparison, justify_* and
// typmod (fields and fractional-second precision).
import { PgError, SQLSTATE } from '../errors.js';
import { lookupDateUnit, type DateUnit } from './datetime-units.js';
import type { TypeIoContext } from './io-context.js';
import { Interval, USECS_PER_DAY, USECS_PER_SEC } from './values.js';

type IntervalStyle = TypeIoContext['intervalStyle'];

const USECS_PER_HOUR = 3_600_000_000;
const USECS_PER_MINUTE = 60_000_000;
const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

export const INTERVAL_ZERO = new Interval(0, 0, 0);

class BadInterval {
  constructor(readonly overflow: boolean) {}
}

/** Running totals while reading an interval (PostgreSQL's pg_tm + fsec). */
interface Acc {
  years: number;
  months: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
  micros: number;
}

function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Spreads a fractional count of `scale`-second units into seconds and microseconds. */
function fractSeconds(frac: number, acc: Acc, scale: number): void {
  if (frac === 0) return;
  frac *= scale;
  const sec = Math.trunc(frac);
  acc.seconds += sec;
  acc.micros += rint((frac - sec) * 1e6);
}

/** Spreads a fractional count of `scale`-day units into days, then seconds. */
function fractDays(frac: number, acc: Acc, scale: number): void {
  if (frac === 0) return;
  frac *= scale;
  const d = Math.trunc(frac);
  acc.days += d;
  fractSeconds(frac - d, acc, 86400);
}

function addUnit(acc: Acc, unit: DateUnit, val: number, frac: number): void {
  switch (unit) {
    case 'microseconds':
      acc.micros += rint(val + frac);
      break;
    case 'milliseconds':
      acc.micros += rint((val + frac) * 1000);
      break;
    case 'second':
      acc.seconds += val;
      acc.micros += rint(frac * 1e6);
      break;
    case 'minute':
      acc.minutes += val;
      fractSeconds(frac, acc, 60);
      break;
    case 'hour':
      acc.hours += val;
      fractSeconds(frac, acc, 3600);
      break;
    case 'day':
      acc.days += val;
      fractSeconds(frac, acc, 86400);
      break;
    case 'week':
      acc.days += val * 7;
      fractDays(frac, acc, 7);
      break;
    case 'month':
      acc.months += val;
      fractDays(frac, acc, 30);
      break;
    case 'year':
      acc.years += val;
      acc.months += Math.trunc(frac * 12);
      break;
    case 'decade':
      acc.years += val * 10;
      acc.months += Math.trunc(frac * 120);
      break;
    case 'century':
      acc.years += val * 100;
      acc.months += Math.trunc(frac * 1200);
      break;
    case 'millennium':
      acc.years += val * 1000;
      acc.months += Math.trunc(frac * 12000);
      break;
    default:
      throw new BadInterval(false);
  }
}

const UNIT_BIT = {
  microseconds: 1, milliseconds: 2, second: 4, minute: 8, hour: 16, day: 32, week: 64, month: 128, year: 256,
  decade: 512, century: 1024, millennium: 2048,
} as const;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Signed decimal "[+-]digits[.digits]" -> integer part and fraction (same sign); null if not numeric. */
function splitNumber(s: string): { val: number; frac: number } | null {
  let i = 0;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    i = 1;
  }
  const start = i;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  const intPart = s.slice(start, i);
  let frac = 0;
  if (i < s.length && s[i] === '.') {
    const fs = i + 1;
    i++;
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    if (i - fs > 0) frac = Number('0.' + s.slice(fs, i));
    else if (intPart.length === 0) return null;
  } else if (intPart.length === 0) return null;
  if (i !== s.length) return null;
  const val = intPart.length ? Number(intPart) : 0;
  if (val > INT32_MAX) throw new BadInterval(true);
  return { val: neg ? -val : val, frac: neg ? -frac : frac };
}

/** hh:mm[:ss[.f]] or mm:ss.f (hours may exceed 24); sign applies to all parts. */
function readTime(text: string, neg: boolean, acc: Acc): void {
  const parts = text.split(':');
  if (parts.length < 2 || parts.length > 3) throw new BadInterval(false);
  let h: number;
  let m: number;
  let s = 0;
  let us = 0;
  const intOf = (p: string): number => {
    if (p.length === 0) throw new BadInterval(false);
    for (let i = 0; i < p.length; i++) if (!isDigit(p.charCodeAt(i))) throw new BadInterval(false);
    return Number(p);
  };
  const secOf = (p: string): void => {
    const dot = p.indexOf('.');
    if (dot < 0) s = intOf(p);
    else {
      s = intOf(p.slice(0, dot));
      const f = p.slice(dot + 1);
      if (f.length) {
        intOf(f);
        us = rint(Number('0.' + f) * 1e6);
      }
    }
  };
  if (parts.length === 2 && parts[1]!.indexOf('.') >= 0) {
    h = 0;
    m = intOf(parts[0]!);
    secOf(parts[1]!);
  } else {
    h = intOf(parts[0]!);
    m = intOf(parts[1]!);
    if (parts.length === 3) secOf(parts[2]!);
  }
  if (m > 59 || s > 60 || us > USECS_PER_SEC) throw new BadInterval(true);
  const sign = neg ? -1 : 1;
  acc.hours += sign * h;
  acc.minutes += sign * m;
  acc.seconds += sign * s;
  acc.micros += sign * us;
}

interface Tok {
  kind: 'num' | 'time' | 'word';
  text: string;
}

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13) || c === 64 /* @ */ || c === 44) {
      i++;
      continue;
    }
    const start = i;
    if (isDigit(c) || c === 46 || c === 43 || c === 45) {
      if (c === 43 || c === 45) {
        i++;
        if (i < n && !isDigit(s.charCodeAt(i)) && s.charCodeAt(i) !== 46) throw new BadInterval(false);
      }
      let isTime = false;
      while (i < n) {
        const d = s.charCodeAt(i);
        if (isDigit(d) || d === 46) i++;
        else if (d === 58) {
          isTime = true;
          i++;
        } else if (d === 45 && !isTime) i++; // SQL year-month "1-2"
        else break;
      }
      out.push({ kind: isTime ? 'time' : 'num', text: s.slice(start, i) });
    } else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      while (i < n) {
        const d = s.charCodeAt(i);
        if ((d >= 65 && d <= 90) || (d >= 97 && d <= 122)) i++;
        else break;
      }
      out.push({ kind: 'word', text: s.slice(start, i).toLowerCase() });
    } else {
      throw new BadInterval(false);
    }
  }
  return out;
}

/** postgres / verbose / SQL-standard forms; read right to left so a number takes the unit after it. */
function decodeTraditional(input: string, style: IntervalStyle): Acc {
  const toks = tokenize(input);
  if (toks.length === 0) throw new BadInterval(false);
  const acc: Acc = { years: 0, months: 0, days: 0, hours: 0, minutes: 0, seconds: 0, micros: 0 };
  let ago = false;
  let unit: DateUnit | null = null;
  // after a time field, a bare number to its left means days ("1 02:03:04")
  let defaultUnit: DateUnit = 'second';
  // each unit may be given once ("1 day 1 day" is rejected, as in PostgreSQL)
  let seenMask = 0;
  const claim = (bits: number): void => {
    if (seenMask & bits) throw new BadInterval(false);
    seenMask |= bits;
  };
  let seen = 0;
  for (let t = toks.length - 1; t >= 0; t--) {
    const tok = toks[t]!;
    if (tok.kind === 'word') {
      if (tok.text === 'ago') {
        ago = true;
        continue;
      }
      const u = lookupDateUnit(tok.text);
      if (!u || u === 'dow' || u === 'doy' || u === 'isodow' || u === 'isoyear' || u === 'epoch' || u === 'julian' ||
        u === 'timezone' || u === 'timezone_hour' || u === 'timezone_minute' || u === 'quarter') {
        throw new BadInterval(false);
      }
      if (unit !== null) throw new BadInterval(false); // two units in a row
      unit = u;
      continue;
    }
    if (tok.kind === 'time') {
      if (unit !== null) throw new BadInterval(false);
      const neg = tok.text[0] === '-';
      claim(UNIT_BIT.hour | UNIT_BIT.minute | UNIT_BIT.second | UNIT_BIT.milliseconds | UNIT_BIT.microseconds);
      readTime(tok.text[0] === '-' || tok.text[0] === '+' ? tok.text.slice(1) : tok.text, neg, acc);
      defaultUnit = 'day';
      seen++;
      continue;
    }
    // number
    const dash = tok.text.indexOf('-', 1);
    if (dash > 0) {
      // SQL standard years-months
      if (unit !== null && unit !== 'day') throw new BadInterval(false);
      const y = splitNumber(tok.text.slice(0, dash));
      const m = splitNumber(tok.text.slice(dash + 1));
      if (!y || !m || y.frac !== 0 || m.frac !== 0 || tok.text[dash + 1] === '-' || tok.text[dash + 1] === '+') {
        throw new BadInterval(false);
      }
      claim(UNIT_BIT.year | UNIT_BIT.month);
      const mv = tok.text[0] === '-' ? -m.val : m.val;
      acc.months += y.val * 12 + mv;
      unit = null;
      seen++;
      continue;
    }
    const num = splitNumber(tok.text);
    if (!num) throw new BadInterval(false);
    const u = unit ?? defaultUnit;
    claim(u === 'second' && num.frac !== 0 ? UNIT_BIT.second | UNIT_BIT.milliseconds | UNIT_BIT.microseconds : (UNIT_BIT as Partial<Record<DateUnit, number>>)[u] ?? 0);
    addUnit(acc, u, num.val, num.frac);
    unit = null;
    seen++;
  }
  if (unit !== null || seen === 0) throw new BadInterval(false);
  if (style === 'sql_standard' && input.trimStart()[0] === '-') {
    // SQL standard: one leading minus applies to every field, unless other signs appear
    const rest = input.trimStart().slice(1);
    if (!/[+-]/.test(rest)) negateAcc(acc, true);
  }
  if (ago) negateAcc(acc, false);
  return acc;
}

function negateAcc(acc: Acc, keepFirst: boolean): void {
  if (keepFirst) {
    // the leading '-' already made the first field negative; make all fields negative
    acc.years = -Math.abs(acc.years);
    acc.months = -Math.abs(acc.months);
    acc.days = -Math.abs(acc.days);
    acc.hours = -Math.abs(acc.hours);
    acc.minutes = -Math.abs(acc.minutes);
    acc.seconds = -Math.abs(acc.seconds);
    acc.micros = -Math.abs(acc.micros);
    return;
  }
  acc.years = -acc.years;
  acc.months = -acc.months;
  acc.days = -acc.days;
  acc.hours = -acc.hours;
  acc.minutes = -acc.minutes;
  acc.seconds = -acc.seconds;
  acc.micros = -acc.micros;
}

/** ISO 8601 "P1Y2M3DT4H5M6S" (fractions allowed) or alternative "P0001-02-03T04:05:06". */
function decodeIso(s: string): Acc {
  const acc: Acc = { years: 0, months: 0, days: 0, hours: 0, minutes: 0, seconds: 0, micros: 0 };
  let i = 1;
  let timePart = false;
  let any = false;
  const n = s.length;
  while (i < n) {
    if (s[i] === 'T' || s[i] === 't') {
      if (timePart) throw new BadInterval(false);
      timePart = true;
      i++;
      continue;
    }
    const start = i;
    if (s[i] === '-' || s[i] === '+') i++;
    while (i < n && (isDigit(s.charCodeAt(i)) || s[i] === '.')) i++;
    const numText = s.slice(start, i);
    if (numText.length === 0) throw new BadInterval(false);
    const des = i < n ? s[i]!.toUpperCase() : '';
    if (des === '-' || des === ':' || des === '') {
      // alternative format: remaining text is a date and/or time with separators
      const rest = s.slice(start);
      decodeIsoAlternative(rest, timePart, acc);
      return acc;
    }
    const num = splitNumber(numText);
    if (!num) throw new BadInterval(false);
    i++;
    any = true;
    if (!timePart) {
      switch (des) {
        case 'Y': addUnit(acc, 'year', num.val, num.frac); break;
        case 'M': addUnit(acc, 'month', num.val, num.frac); break;
        case 'W': addUnit(acc, 'week', num.val, num.frac); break;
        case 'D': addUnit(acc, 'day', num.val, num.frac); break;
        default: throw new BadInterval(false);
      }
    } else {
      switch (des) {
        case 'H': addUnit(acc, 'hour', num.val, num.frac); break;
        case 'M': addUnit(acc, 'minute', num.val, num.frac); break;
        case 'S': addUnit(acc, 'second', num.val, num.frac); break;
        default: throw new BadInterval(false);
      }
    }
  }
  if (!any) throw new BadInterval(false);
  return acc;
}

function decodeIsoAlternative(rest: string, inTime: boolean, acc: Acc): void {
  let datePart = inTime ? '' : rest;
  let timePart = inTime ? rest : '';
  if (!inTime) {
    const t = rest.search(/[Tt]/);
    if (t >= 0) {
      datePart = rest.slice(0, t);
      timePart = rest.slice(t + 1);
    }
  }
  if (datePart) {
    const m = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?)?$/.exec(datePart);
    if (!m) throw new BadInterval(false);
    const y = splitNumber(m[1]!)!;
    addUnit(acc, 'year', y.val, y.frac);
    if (m[2]) {
      const mo = splitNumber(m[2])!;
      addUnit(acc, 'month', mo.val, mo.frac);
    }
    if (m[3]) {
      const d = splitNumber(m[3])!;
      addUnit(acc, 'day', d.val, d.frac);
    }
  }
  if (timePart) {
    const m = /^(\d+(?:\.\d+)?)(?::(\d+(?:\.\d+)?)(?::(\d+(?:\.\d+)?))?)?$/.exec(timePart);
    if (!m) throw new BadInterval(false);
    const h = splitNumber(m[1]!)!;
    addUnit(acc, 'hour', h.val, h.frac);
    if (m[2]) {
      const mi = splitNumber(m[2])!;
      addUnit(acc, 'minute', mi.val, mi.frac);
    }
    if (m[3]) {
      const se = splitNumber(m[3])!;
      addUnit(acc, 'second', se.val, se.frac);
    }
  }
}

function accToInterval(acc: Acc): Interval {
  const months = acc.years * 12 + acc.months;
  const micros = ((acc.hours * 60 + acc.minutes) * 60 + acc.seconds) * USECS_PER_SEC + acc.micros;
  if (months > INT32_MAX || months < INT32_MIN || acc.days > INT32_MAX || acc.days < INT32_MIN || !Number.isSafeInteger(micros)) {
    throw new BadInterval(true);
  }
  return new Interval(months, acc.days, micros);
}

/** interval_in. IntervalStyle matters only for SQL-standard negative values. */
export function parseInterval(input: string, style: IntervalStyle = 'postgres'): Interval {
  try {
    const s = input.trim();
    if (s.length > 1 && (s[0] === 'P' || s[0] === 'p') && s.indexOf(' ') < 0) return accToInterval(decodeIso(s));
    return accToInterval(decodeTraditional(s, style));
  } catch (e) {
    if (!(e instanceof BadInterval)) throw e;
    if (e.overflow) {
      throw new PgError('22015', `interval field value out of range: "${input}"`);
    }
    throw new PgError(SQLSTATE.invalid_datetime_format, `invalid input syntax for type interval: "${input}"`);
  }
}

// ---- output ---------------------------------------------------------------------

interface Parts {
  year: number;
  mon: number;
  day: number;
  hour: number;
  min: number;
  sec: number;
  fsec: number;
}

function toParts(iv: Interval): Parts {
  const year = Math.trunc(iv.months / 12);
  const mon = iv.months - year * 12;
  let t = iv.micros;
  const hour = Math.trunc(t / USECS_PER_HOUR);
  t -= hour * USECS_PER_HOUR;
  const min = Math.trunc(t / USECS_PER_MINUTE);
  t -= min * USECS_PER_MINUTE;
  const sec = Math.trunc(t / USECS_PER_SEC);
  const fsec = t - sec * USECS_PER_SEC;
  return { year: year || 0, mon: mon || 0, day: iv.days, hour: hour || 0, min: min || 0, sec: sec || 0, fsec: fsec || 0 };
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** Absolute seconds with trimmed fraction; zero-padded to two digits when `fill`. */
function secondsText(sec: number, fsec: number, fill: boolean): string {
  const s = Math.abs(sec);
  let out = fill ? pad2(s) : String(s);
  if (fsec !== 0) {
    let frac = String(Math.abs(fsec)).padStart(6, '0');
    let end = 6;
    while (frac.charCodeAt(end - 1) === 48) end--;
    frac = frac.slice(0, end);
    out += '.' + frac;
  }
  return out;
}

function formatPostgres(p: Parts): string {
  let out = '';
  let isZero = true;
  let isBefore = false;
  const part = (value: number, unit: string): void => {
    if (value === 0) return;
    out += (isZero ? '' : ' ') + (isBefore && value > 0 ? '+' : '') + value + ' ' + unit + (value !== 1 ? 's' : '');
    isBefore = value < 0;
    isZero = false;
  };
  part(p.year, 'year');
  part(p.mon, 'mon');
  part(p.day, 'day');
  if (isZero || p.hour !== 0 || p.min !== 0 || p.sec !== 0 || p.fsec !== 0) {
    const minus = p.hour < 0 || p.min < 0 || p.sec < 0 || p.fsec < 0;
    out += (isZero ? '' : ' ') + (minus ? '-' : isBefore ? '+' : '') + pad2(Math.abs(p.hour)) + ':' + pad2(Math.abs(p.min)) + ':' +
      secondsText(p.sec, p.fsec, true);
  }
  return out;
}

function formatVerbose(p: Parts): string {
  let out = '@';
  let isZero = true;
  let isBefore = false;
  const part = (value: number, unit: string): void => {
    if (value === 0) return;
    if (isZero) {
      isBefore = value < 0;
      value = Math.abs(value);
    } else if (isBefore) value = -value;
    out += ' ' + value + ' ' + unit + (value === 1 ? '' : 's');
    isZero = false;
  };
  part(p.year, 'year');
  part(p.mon, 'mon');
  part(p.day, 'day');
  part(p.hour, 'hour');
  part(p.min, 'min');
  if (p.sec !== 0 || p.fsec !== 0) {
    out += ' ';
    if (p.sec < 0 || (p.sec === 0 && p.fsec < 0)) {
      if (isZero) isBefore = true;
      else if (!isBefore) out += '-';
    } else if (isBefore) out += '-';
    out += secondsText(p.sec, p.fsec, false) + ' sec' + (Math.abs(p.sec) !== 1 || p.fsec !== 0 ? 's' : '');
    isZero = false;
  }
  if (isZero) out += ' 0';
  if (isBefore) out += ' ago';
  return out;
}

function formatSqlStandard(p: Parts): string {
  let { year, mon, day, hour, min, sec, fsec } = p;
  const hasNeg = year < 0 || mon < 0 || day < 0 || hour < 0 || min < 0 || sec < 0 || fsec < 0;
  const hasPos = year > 0 || mon > 0 || day > 0 || hour > 0 || min > 0 || sec > 0 || fsec > 0;
  if (!hasNeg && !hasPos) return '0';
  const hasYearMonth = year !== 0 || mon !== 0;
  const hasDayTime = day !== 0 || hour !== 0 || min !== 0 || sec !== 0 || fsec !== 0;
  const standard = !(hasNeg && hasPos) && !(hasYearMonth && hasDayTime);
  let out = '';
  if (hasNeg && standard) {
    out = '-';
    year = -year; mon = -mon; day = -day; hour = -hour; min = -min; sec = -sec; fsec = -fsec;
  }
  if (!standard) {
    const ys = year < 0 || mon < 0 ? '-' : '+';
    const ds = day < 0 ? '-' : '+';
    const ss = hour < 0 || min < 0 || sec < 0 || fsec < 0 ? '-' : '+';
    return out + ys + Math.abs(year) + '-' + Math.abs(mon) + ' ' + ds + Math.abs(day) + ' ' + ss + Math.abs(hour) + ':' +
      pad2(Math.abs(min)) + ':' + secondsText(sec, fsec, true);
  }
  if (hasYearMonth) return out + year + '-' + mon;
  if (day !== 0) return out + day + ' ' + hour + ':' + pad2(min) + ':' + secondsText(sec, fsec, true);
  return out + hour + ':' + pad2(min) + ':' + secondsText(sec, fsec, true);
}

function formatIso(p: Parts): string {
  const { year, mon, day, hour, min, sec, fsec } = p;
  if (year === 0 && mon === 0 && day === 0 && hour === 0 && min === 0 && sec === 0 && fsec === 0) return 'PT0S';
  let out = 'P';
  if (year) out += year + 'Y';
  if (mon) out += mon + 'M';
  if (day) out += day + 'D';
  if (hour || min || sec || fsec) out += 'T';
  if (hour) out += hour + 'H';
  if (min) out += min + 'M';
  if (sec || fsec) {
    if (sec < 0 || fsec < 0) out += '-';
    out += secondsText(sec, fsec, false) + 'S';
  }
  return out;
}

/** interval_out in the given IntervalStyle. */
export function formatInterval(iv: Interval, style: IntervalStyle = 'postgres'): string {
  const p = toParts(iv);
  switch (style) {
    case 'postgres_verbose': return formatVerbose(p);
    case 'sql_standard': return formatSqlStandard(p);
    case 'iso_8601': return formatIso(p);
    default: return formatPostgres(p);
  }
}

// ---- arithmetic -------------------------------------------------------------------

function intervalOutOfRange(): PgError {
  return new PgError(SQLSTATE.datetime_field_overflow, 'interval out of range');
}

function checked(months: number, days: number, micros: number): Interval {
  if (months > INT32_MAX || months < INT32_MIN || days > INT32_MAX || days < INT32_MIN || !Number.isSafeInteger(micros)) {
    throw intervalOutOfRange();
  }
  return new Interval(months || 0, days || 0, micros || 0);
}

export function intervalAdd(a: Interval, b: Interval): Interval {
  return checked(a.months + b.months, a.days + b.days, a.micros + b.micros);
}

export function intervalSub(a: Interval, b: Interval): Interval {
  return checked(a.months - b.months, a.days - b.days, a.micros - b.micros);
}

export function intervalNegate(a: Interval): Interval {
  return checked(-a.months, -a.days, -a.micros);
}

/** Rounds to microsecond precision the way PostgreSQL's TSROUND does for spill-down remainders. */
function tsRound(x: number): number {
  return rint(x * 1e6) / 1e6;
}

/** Shared by * and /: months and days keep their integer parts, fractions spill down (30-day months). */
function scaleInterval(monthsF: number, daysF: number, micros: number): Interval {
  if (!Number.isFinite(monthsF) || !Number.isFinite(daysF) || Math.abs(monthsF) > INT32_MAX || Math.abs(daysF) > INT32_MAX) {
    throw intervalOutOfRange();
  }
  const months = Math.trunc(monthsF);
  let days = Math.trunc(daysF);
  const monthRemainderDays = tsRound((monthsF - months) * 30);
  let secRemainder = tsRound((daysF - days + monthRemainderDays - Math.trunc(monthRemainderDays)) * 86400);
  if (Math.abs(secRemainder) >= 86400) {
    const extra = Math.trunc(secRemainder / 86400);
    days += extra;
    secRemainder -= extra * 86400;
  }
  days += Math.trunc(monthRemainderDays);
  const time = rint(micros + secRemainder * 1e6);
  if (!Number.isFinite(time) || Math.abs(time) > 9.223372036854776e18) throw intervalOutOfRange();
  return checked(months, days, time);
}

/** interval * float8 */
export function intervalMul(a: Interval, factor: number): Interval {
  if (Number.isNaN(factor)) throw intervalOutOfRange();
  return scaleInterval(a.months * factor, a.days * factor, a.micros * factor);
}

/** interval / float8 */
export function intervalDiv(a: Interval, divisor: number): Interval {
  if (divisor === 0) throw new PgError(SQLSTATE.division_by_zero, 'division by zero');
  if (Number.isNaN(divisor)) throw intervalOutOfRange();
  return scaleInterval(a.months / divisor, a.days / divisor, a.micros / divisor);
}

/** Compares by total length with 30-day months and 24-hour days (exactly, without overflow). */
export function intervalCompare(a: Interval, b: Interval): number {
  const da = a.months * 30 + a.days + Math.floor(a.micros / USECS_PER_DAY);
  const db = b.months * 30 + b.days + Math.floor(b.micros / USECS_PER_DAY);
  if (da !== db) return da < db ? -1 : 1;
  const ra = a.micros - Math.floor(a.micros / USECS_PER_DAY) * USECS_PER_DAY;
  const rb = b.micros - Math.floor(b.micros / USECS_PER_DAY) * USECS_PER_DAY;
  return ra < rb ? -1 : ra > rb ? 1 : 0;
}

export function intervalEquals(a: Interval, b: Interval): boolean {
  return intervalCompare(a, b) === 0;
}

/** justify_hours: whole 24-hour periods become days; days and time get the same sign. */
export function justifyHours(a: Interval): Interval {
  let days = a.days + Math.trunc(a.micros / USECS_PER_DAY);
  let time = a.micros - Math.trunc(a.micros / USECS_PER_DAY) * USECS_PER_DAY;
  if (days > 0 && time < 0) {
    time += USECS_PER_DAY;
    days--;
  } else if (days < 0 && time > 0) {
    time -= USECS_PER_DAY;
    days++;
  }
  return checked(a.months, days, time);
}

/** justify_days: whole 30-day periods become months. */
export function justifyDays(a: Interval): Interval {
  let months = a.months + Math.trunc(a.days / 30);
  let days = a.days - Math.trunc(a.days / 30) * 30;
  if (months > 0 && days < 0) {
    days += 30;
    months--;
  } else if (months < 0 && days > 0) {
    days -= 30;
    months++;
  }
  return checked(months, days, a.micros);
}

export function justifyInterval(a: Interval): Interval {
  let time = a.micros;
  let days = a.days + Math.trunc(time / USECS_PER_DAY);
  time -= Math.trunc(time / USECS_PER_DAY) * USECS_PER_DAY;
  let months = a.months + Math.trunc(days / 30);
  days -= Math.trunc(days / 30) * 30;
  if (months > 0 && (days < 0 || (days === 0 && time < 0))) {
    days += 30;
    months--;
  } else if (months < 0 && (days > 0 || (days === 0 && time > 0))) {
    days -= 30;
    months++;
  }
  if (days > 0 && time < 0) {
    time += USECS_PER_DAY;
    days--;
  } else if (days < 0 && time > 0) {
    time -= USECS_PER_DAY;
    days++;
  }
  return checked(months, days, time);
}

// ---- typmod: interval [fields] [(precision)] --------------------------------------------

/** Field bits as PostgreSQL numbers them (INTERVAL_MASK). */
export const INTERVAL_FIELD = {
  MONTH: 1 << 1, YEAR: 1 << 2, DAY: 1 << 3, HOUR: 1 << 10, MINUTE: 1 << 11, SECOND: 1 << 12,
} as const;
export const INTERVAL_FULL_RANGE = 0x7fff;
export const INTERVAL_FULL_PRECISION = 0xffff;

export function intervalTypmod(range: number, precision: number = INTERVAL_FULL_PRECISION): number {
  if (precision !== INTERVAL_FULL_PRECISION && (precision < 0 || precision > 6)) {
    throw new PgError(SQLSTATE.invalid_parameter_value, `INTERVAL(${precision}) precision must be between 0 and 6`);
  }
  return ((range & 0x7fff) << 16) | (precision & 0xffff);
}

export function intervalTypmodRange(typmod: number): number {
  return typmod < 0 ? INTERVAL_FULL_RANGE : (typmod >> 16) & 0x7fff;
}

export function intervalTypmodPrecision(typmod: number): number {
  return typmod < 0 ? INTERVAL_FULL_PRECISION : typmod & 0xffff;
}

const { MONTH, YEAR, DAY, HOUR, MINUTE, SECOND } = INTERVAL_FIELD;

/** Truncates to the declared fields and rounds the seconds to the declared precision. */
export function intervalApplyTypmod(a: Interval, typmod: number): Interval {
  if (typmod < 0) return a;
  const range = intervalTypmodRange(typmod);
  const precision = intervalTypmodPrecision(typmod);
  let { months, days, micros } = a;
  if (range !== INTERVAL_FULL_RANGE) {
    if (range === YEAR) {
      months = Math.trunc(months / 12) * 12;
      days = 0;
      micros = 0;
    } else if (range === MONTH || range === (YEAR | MONTH)) {
      days = 0;
      micros = 0;
    } else if (range === DAY) {
      micros = 0;
    } else if (range === HOUR || range === (DAY | HOUR)) {
      micros = Math.trunc(micros / USECS_PER_HOUR) * USECS_PER_HOUR;
    } else if (range === MINUTE || range === (DAY | HOUR | MINUTE) || range === (HOUR | MINUTE)) {
      micros = Math.trunc(micros / USECS_PER_MINUTE) * USECS_PER_MINUTE;
    }
    // SECOND ranges keep everything (precision applies below)
  }
  if (precision !== INTERVAL_FULL_PRECISION && precision < 6) {
    const scale = 10 ** (6 - precision);
    micros = micros >= 0 ? Math.floor((micros + scale / 2) / scale) * scale : -Math.floor((-micros + scale / 2) / scale) * scale;
  }
  if (months === a.months && days === a.days && micros === a.micros) return a;
  return new Interval(months, days, micros);
}

/** "interval", "interval(3)", "interval year to month", "interval second(2)" */
export function formatIntervalTypmod(typmod: number): string {
  if (typmod < 0) return '';
  const range = intervalTypmodRange(typmod);
  const precision = intervalTypmodPrecision(typmod);
  const names: Record<number, string> = {
    [YEAR]: ' year', [MONTH]: ' month', [DAY]: ' day', [HOUR]: ' hour', [MINUTE]: ' minute', [SECOND]: ' second',
    [YEAR | MONTH]: ' year to month', [DAY | HOUR]: ' day to hour', [DAY | HOUR | MINUTE]: ' day to minute',
    [DAY | HOUR | MINUTE | SECOND]: ' day to second', [HOUR | MINUTE]: ' hour to minute',
    [HOUR | MINUTE | SECOND]: ' hour to second', [MINUTE | SECOND]: ' minute to second',
  };
  const fields = range === INTERVAL_FULL_RANGE ? '' : names[range] ?? '';
  return fields + (precision !== INTERVAL_FULL_PRECISION ? `(${precision})` : '');
}
