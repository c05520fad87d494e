// Date/time primitives: the proleptic Gregorian calendar on PostgreSQL's epoch
// (2000-01-01), splitting timestamps into fields, timestamp/interval
// arithmetic, date_trunc, date_part and age. Text parsing lives in
// datetime-parse.ts and printing in datetime-format.ts; both are re-exported here.
//
// Values (values.ts): date = days since 2000-01-01, time = microseconds since
// midnight, timestamp/timestamptz = microseconds since 2000-01-01 00:00 (UTC
// for timestamptz); infinite dates/timestamps are +/-Infinity.
import { PgError, SQLSTATE } from '../errors.js';
import { lookupDateUnit } from './datetime-units.js';
import { localToUtc, offsetAt, type TimeZone } from './timezone.js';
import { Interval, USECS_PER_DAY, USECS_PER_SEC } from './values.js';

export const USECS_PER_HOUR = 3_600_000_000;
export const USECS_PER_MINUTE = 60_000_000;
/** Julian day number of 2000-01-01. */
export const POSTGRES_EPOCH_JDATE = 2_451_545;
/** Days since 2000-01-01 of the first and one-past-last valid dates (4713-11-24 BC .. 5874898-01-01). */
export const DATE_MIN_DAYS = -POSTGRES_EPOCH_JDATE;
export const DATE_END_DAYS = 2_147_483_494 - POSTGRES_EPOCH_JDATE;
/** Valid timestamps: 4713-11-24 BC 00:00 up to (not including) 294277-01-01. */
export const TIMESTAMP_MIN = -211_813_488_000_000_000;
export const TIMESTAMP_END = 9_224_318_016_000_000_000;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isLeapYear(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : DAYS_IN_MONTH[m - 1]!;
}

/** Astronomical year numbering (0 = 1 BC), month 1-12, day 1-31 -> days since 2000-01-01. */
export function dateToDays(y: number, m: number, d: number): number {
  // Civil-from-days algorithm on 400-year eras (Howard Hinnant), shifted to 2000-01-01.
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = m > 2 ? m - 3 : m + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 730425; // 730425 = days from 0000-03-01 to 2000-01-01
}

/** Days since 2000-01-01 -> [year (astronomical), month, day]. */
export function daysToDate(days: number): [number, number, number] {
  const z = days + 730425;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return [y, m, d];
}

/** Julian day number of a date value. */
export function daysToJulian(days: number): number {
  return days + POSTGRES_EPOCH_JDATE;
}

/** Day of week, 0 = Sunday. */
export function dayOfWeek(days: number): number {
  const r = (days + 6) % 7; // 2000-01-01 was a Saturday
  return r < 0 ? r + 7 : r;
}

/** Broken-down time, as PostgreSQL's struct pg_tm (year astronomical: 0 = 1 BC). */
export interface DateFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** microseconds within the second */
  micro: number;
}

/** Splits local timestamp microseconds into fields. */
export function timestampToFields(ts: number): DateFields {
  let days = Math.floor(ts / USECS_PER_DAY);
  let time = ts - days * USECS_PER_DAY;
  if (time >= USECS_PER_DAY) {
    // float rounding on huge values
    days++;
    time -= USECS_PER_DAY;
  }
  const [year, month, day] = daysToDate(days);
  const hour = Math.floor(time / USECS_PER_HOUR);
  time -= hour * USECS_PER_HOUR;
  const minute = Math.floor(time / USECS_PER_MINUTE);
  time -= minute * USECS_PER_MINUTE;
  const second = Math.floor(time / USECS_PER_SEC);
  const micro = Math.round(time - second * USECS_PER_SEC);
  return { year, month, day, hour, minute, second, micro };
}

export function fieldsToTimestamp(f: DateFields): number {
  return dateToDays(f.year, f.month, f.day) * USECS_PER_DAY + timeToMicros(f.hour, f.minute, f.second, f.micro);
}

export function timeToMicros(h: number, m: number, s: number, us: number): number {
  return ((h * 60 + m) * 60 + s) * USECS_PER_SEC + us;
}

export function isValidTimestamp(ts: number): boolean {
  return ts >= TIMESTAMP_MIN && ts < TIMESTAMP_END;
}

function timestampOutOfRange(): PgError {
  return new PgError(SQLSTATE.datetime_field_overflow, 'timestamp out of range');
}

function checkTimestamp(ts: number): number {
  if (!isValidTimestamp(ts)) throw timestampOutOfRange();
  return ts;
}

// ---- conversions between date/time types --------------------------------------

/** timestamptz -> local timestamp in `zone`. */
export function timestamptzToTimestamp(ts: number, zone: TimeZone): number {
  if (!Number.isFinite(ts)) return ts;
  return ts + offsetAt(zone, ts) * USECS_PER_SEC;
}

/** Local timestamp in `zone` -> timestamptz. */
export function timestampToTimestamptz(ts: number, zone: TimeZone): number {
  if (!Number.isFinite(ts)) return ts;
  return checkTimestamp(localToUtc(zone, ts));
}

export function dateToTimestamp(days: number): number {
  if (!Number.isFinite(days)) return days;
  return checkTimestamp(days * USECS_PER_DAY);
}

export function dateToTimestamptz(days: number, zone: TimeZone): number {
  if (!Number.isFinite(days)) return days;
  return checkTimestamp(localToUtc(zone, days * USECS_PER_DAY));
}

/** timestamp -> date (drops the time of day). */
export function timestampToDate(ts: number): number {
  if (!Number.isFinite(ts)) return ts;
  return Math.floor(ts / USECS_PER_DAY);
}

export function timestamptzToDate(ts: number, zone: TimeZone): number {
  return timestampToDate(timestamptzToTimestamp(ts, zone));
}

/** Time of day of a local timestamp. */
export function timestampToTime(ts: number): number {
  const days = Math.floor(ts / USECS_PER_DAY);
  return ts - days * USECS_PER_DAY;
}

// ---- interval arithmetic ----------------------------------------------------

/** Adds whole months to a local timestamp, clamping the day to the month's end (Jan 31 + 1 mon = Feb 28/29). */
function addMonthsLocal(local: number, months: number): number {
  const f = timestampToFields(local);
  let m0 = f.month - 1 + months;
  const y = f.year + Math.floor(m0 / 12);
  m0 -= Math.floor(m0 / 12) * 12;
  const day = Math.min(f.day, daysInMonth(y, m0 + 1));
  return dateToDays(y, m0 + 1, day) * USECS_PER_DAY + timeToMicros(f.hour, f.minute, f.second, f.micro);
}

/** timestamp + interval: months (clamped to month end), then days, then microseconds. */
export function timestampPlusInterval(ts: number, iv: Interval): number {
  if (!Number.isFinite(ts)) return ts;
  let r = ts;
  if (iv.months !== 0) r = checkTimestamp(addMonthsLocal(r, iv.months));
  if (iv.days !== 0) r = checkTimestamp(r + iv.days * USECS_PER_DAY);
  return checkTimestamp(r + iv.micros);
}

export function timestampMinusInterval(ts: number, iv: Interval): number {
  return timestampPlusInterval(ts, new Interval(-iv.months, -iv.days, -iv.micros));
}

/**
 * timestamptz + interval: month and day steps happen on the local calendar of
 * `zone` (so adding '1 day' across a DST change keeps the wall-clock time),
 * microseconds are added to the absolute instant.
 */
export function timestamptzPlusInterval(ts: number, iv: Interval, zone: TimeZone): number {
  if (!Number.isFinite(ts)) return ts;
  let r = ts;
  if (iv.months !== 0) {
    const local = addMonthsLocal(timestamptzToTimestamp(r, zone), iv.months);
    r = checkTimestamp(localToUtc(zone, checkTimestamp(local)));
  }
  if (iv.days !== 0) {
    const local = timestamptzToTimestamp(r, zone) + iv.days * USECS_PER_DAY;
    r = checkTimestamp(localToUtc(zone, checkTimestamp(local)));
  }
  return checkTimestamp(r + iv.micros);
}

export function timestamptzMinusInterval(ts: number, iv: Interval, zone: TimeZone): number {
  return timestamptzPlusInterval(ts, new Interval(-iv.months, -iv.days, -iv.micros), zone);
}

/** date + integer days. */
export function datePlusDays(days: number, n: number): number {
  if (!Number.isFinite(days)) return days;
  const r = days + n;
  if (r < DATE_MIN_DAYS || r >= DATE_END_DAYS) throw new PgError(SQLSTATE.datetime_field_overflow, 'date out of range');
  return r;
}

/** date - date = integer days. */
export function dateMinusDate(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    throw new PgError(SQLSTATE.datetime_field_overflow, 'cannot subtract infinite dates');
  }
  return a - b;
}

/** time + interval wraps around midnight (only the microseconds part counts). */
export function timePlusInterval(t: number, iv: Interval): number {
  let r = (t + iv.micros) % USECS_PER_DAY;
  if (r < 0) r += USECS_PER_DAY;
  return r;
}

/** timestamp - timestamp: microseconds, then whole days split off as justify_hours does. */
export function timestampDifference(a: number, b: number): Interval {
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    throw new PgError(SQLSTATE.datetime_field_overflow, 'cannot subtract infinite timestamps');
  }
  const diff = a - b;
  const days = Math.trunc(diff / USECS_PER_DAY);
  return new Interval(0, days, diff - days * USECS_PER_DAY);
}

/** age(a, b): field-wise difference with borrowing, as PostgreSQL computes it (local times). */
export function ageLocal(a: number, b: number): Interval {
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    throw new PgError(SQLSTATE.datetime_field_overflow, 'cannot subtract infinite timestamps');
  }
  const f1 = timestampToFields(a);
  const f2 = timestampToFields(b);
  let micro = f1.micro - f2.micro;
  let sec = f1.second - f2.second;
  let min = f1.minute - f2.minute;
  let hour = f1.hour - f2.hour;
  let day = f1.day - f2.day;
  let mon = f1.month - f2.month;
  let year = f1.year - f2.year;
  const flip = a < b;
  if (flip) {
    micro = -micro; sec = -sec; min = -min; hour = -hour; day = -day; mon = -mon; year = -year;
  }
  while (micro < 0) { micro += USECS_PER_SEC; sec--; }
  while (sec < 0) { sec += 60; min--; }
  while (min < 0) { min += 60; hour--; }
  while (hour < 0) { hour += 24; day--; }
  while (day < 0) {
    // borrow the length of the month the earlier timestamp falls in
    day += flip ? daysInMonth(f1.year, f1.month) : daysInMonth(f2.year, f2.month);
    mon--;
  }
  while (mon < 0) { mon += 12; year--; }
  if (flip) {
    micro = -micro; sec = -sec; min = -min; hour = -hour; day = -day; mon = -mon; year = -year;
  }
  return new Interval(year * 12 + mon, day, ((hour * 60 + min) * 60 + sec) * USECS_PER_SEC + micro);
}

/** age(timestamptz, timestamptz) in the session zone. */
export function ageTimestamptz(a: number, b: number, zone: TimeZone): Interval {
  return ageLocal(timestamptzToTimestamp(a, zone), timestamptzToTimestamp(b, zone));
}

// ---- date_trunc ----------------------------------------------------------------

/** C integer division (truncates toward zero), used where PostgreSQL's formulas rely on it. */
function cdiv(a: number, b: number): number {
  return Math.trunc(a / b);
}

function truncError(typeName: string, field: string, known: boolean): PgError {
  return known
    ? new PgError(SQLSTATE.feature_not_supported, `${typeName} units "${field}" not supported`)
    : new PgError(SQLSTATE.invalid_parameter_value, `${typeName} units "${field}" not recognized`);
}

/** Truncates local fields; returns whether the zone offset must be recomputed (day or coarser). */
function truncFields(f: DateFields, field: string, typeName: string): boolean {
  const unit = lookupDateUnit(field);
  switch (unit) {
    case 'week': {
      const days = dateToDays(f.year, f.month, f.day);
      const monday = days - ((dayOfWeek(days) + 6) % 7);
      [f.year, f.month, f.day] = daysToDate(monday);
      f.hour = f.minute = f.second = f.micro = 0;
      return true;
    }
    case 'millennium':
      f.year = f.year > 0 ? cdiv(f.year + 999, 1000) * 1000 - 999 : -cdiv(999 - (f.year - 1), 1000) * 1000 + 1;
      f.month = 1; f.day = 1; f.hour = f.minute = f.second = f.micro = 0;
      return true;
    case 'century':
      f.year = f.year > 0 ? cdiv(f.year + 99, 100) * 100 - 99 : -cdiv(99 - (f.year - 1), 100) * 100 + 1;
      f.month = 1; f.day = 1; f.hour = f.minute = f.second = f.micro = 0;
      return true;
    case 'decade':
      f.year = f.year > 0 ? cdiv(f.year, 10) * 10 : -cdiv(8 - (f.year - 1), 10) * 10;
      f.month = 1; f.day = 1; f.hour = f.minute = f.second = f.micro = 0;
      return true;
    case 'year':
      f.month = 1; f.day = 1; f.hour = f.minute = f.second = f.micro = 0;
      return true;
    case 'quarter':
      f.month = 3 * cdiv(f.month - 1, 3) + 1; f.day = 1; f.hour = f.minute = f.second = f.micro = 0;
      return true;
    case 'month':
      f.day = 1; f.hour = f.minute = f.second = f.micro = 0;
      return true;
    case 'day':
      f.hour = f.minute = f.second = f.micro = 0;
      return true;
    case 'hour':
      f.minute = f.second = f.micro = 0;
      return false;
    case 'minute':
      f.second = f.micro = 0;
      return false;
    case 'second':
      f.micro = 0;
      return false;
    case 'milliseconds':
      f.micro = cdiv(f.micro, 1000) * 1000;
      return false;
    case 'microseconds':
      return false;
    default:
      throw truncError(typeName, field, unit !== undefined);
  }
}

/** date_trunc(field, timestamp). */
export function dateTrunc(field: string, ts: number): number {
  if (!Number.isFinite(ts)) return ts;
  const f = timestampToFields(ts);
  truncFields(f, field, 'timestamp');
  return checkTimestamp(fieldsToTimestamp(f));
}

/** date_trunc(field, timestamptz) in `zone` (the session zone, or the 3-argument form's zone). */
export function dateTruncTz(field: string, ts: number, zone: TimeZone): number {
  if (!Number.isFinite(ts)) return ts;
  const offset = offsetAt(zone, ts);
  const f = timestampToFields(ts + offset * USECS_PER_SEC);
  const redoZone = truncFields(f, field, 'timestamp with time zone');
  const local = fieldsToTimestamp(f);
  return checkTimestamp(redoZone ? localToUtc(zone, local) : local - offset * USECS_PER_SEC);
}

/** date_trunc(field, interval). */
export function dateTruncInterval(field: string, iv: Interval): Interval {
  const unit = lookupDateUnit(field);
  let years = cdiv(iv.months, 12);
  let months = iv.months - years * 12;
  let days = iv.days;
  let micros = iv.micros;
  const hours = cdiv(micros, USECS_PER_HOUR);
  let rest = micros - hours * USECS_PER_HOUR;
  const minutes = cdiv(rest, USECS_PER_MINUTE);
  rest -= minutes * USECS_PER_MINUTE;
  const seconds = cdiv(rest, USECS_PER_SEC);
  const us = rest - seconds * USECS_PER_SEC;
  switch (unit) {
    case 'millennium': years = cdiv(years, 1000) * 1000; months = 0; days = 0; micros = 0; break;
    case 'century': years = cdiv(years, 100) * 100; months = 0; days = 0; micros = 0; break;
    case 'decade': years = cdiv(years, 10) * 10; months = 0; days = 0; micros = 0; break;
    case 'year': months = 0; days = 0; micros = 0; break;
    case 'quarter': months = 3 * cdiv(months, 3); days = 0; micros = 0; break;
    case 'month': days = 0; micros = 0; break;
    case 'day': micros = 0; break;
    case 'hour': micros = hours * USECS_PER_HOUR; break;
    case 'minute': micros = hours * USECS_PER_HOUR + minutes * USECS_PER_MINUTE; break;
    case 'second': micros = hours * USECS_PER_HOUR + minutes * USECS_PER_MINUTE + seconds * USECS_PER_SEC; break;
    case 'milliseconds':
      micros = hours * USECS_PER_HOUR + minutes * USECS_PER_MINUTE + seconds * USECS_PER_SEC + cdiv(us, 1000) * 1000;
      break;
    case 'microseconds': break;
    case 'week':
      throw new PgError(SQLSTATE.feature_not_supported, `interval units "${field}" not supported because months usually have fractional weeks`);
    default:
      throw truncError('interval', field, unit !== undefined);
  }
  return new Interval(years * 12 + months, days, micros);
}

// ---- date_part / extract (double precision in PostgreSQL 11) ----------------------

/** ISO 8601 week number and ISO year of a date. */
export function isoWeek(days: number): { week: number; year: number } {
  const dowMon0 = (dayOfWeek(days) + 6) % 7; // Monday = 0
  const thursday = days - dowMon0 + 3;
  const [y] = daysToDate(thursday);
  const jan1 = dateToDays(y, 1, 1);
  return { week: Math.floor((thursday - jan1) / 7) + 1, year: y };
}

function partOfFields(
  unit: string,
  f: DateFields,
  typeName: string,
  field: string,
): number {
  const days = dateToDays(f.year, f.month, f.day);
  switch (unit) {
    case 'microseconds': return f.second * 1e6 + f.micro;
    case 'milliseconds': return f.second * 1000 + f.micro / 1000;
    case 'second': return f.second + f.micro / 1e6;
    case 'minute': return f.minute;
    case 'hour': return f.hour;
    case 'day': return f.day;
    case 'month': return f.month;
    case 'quarter': return cdiv(f.month - 1, 3) + 1;
    case 'week': return isoWeek(days).week;
    case 'year': return f.year > 0 ? f.year : -(f.year - 1);
    case 'decade': return f.year >= 0 ? cdiv(f.year, 10) : -cdiv(8 - (f.year - 1), 10);
    case 'century': return f.year > 0 ? cdiv(f.year + 99, 100) : -cdiv(99 - (f.year - 1), 100);
    case 'millennium': return f.year > 0 ? cdiv(f.year + 999, 1000) : -cdiv(999 - (f.year - 1), 1000);
    case 'julian':
      return daysToJulian(days) + ((f.hour * 60 + f.minute) * 60 + f.second + f.micro / 1e6) / 86400;
    case 'isoyear': return isoWeek(days).year;
    case 'dow': return dayOfWeek(days);
    case 'isodow': { const d = dayOfWeek(days); return d === 0 ? 7 : d; }
    case 'doy': return days - dateToDays(f.year, 1, 1) + 1;
    default:
      throw new PgError(SQLSTATE.feature_not_supported, `${typeName} units "${field}" not supported`);
  }
}

/** Fields that grow monotonically: for infinite inputs PostgreSQL 11 returns +/-Infinity, else NULL. */
const MONOTONIC = new Set(['year', 'decade', 'century', 'millennium', 'julian', 'isoyear', 'epoch']);

function resolvePartUnit(field: string, typeName: string): string {
  const unit = lookupDateUnit(field);
  if (unit === undefined) {
    throw new PgError(SQLSTATE.invalid_parameter_value, `${typeName} units "${field}" not recognized`);
  }
  return unit;
}

/** date_part(field, timestamp). Returns null where PostgreSQL returns NULL (infinite input). */
export function datePart(field: string, ts: number): number | null {
  const unit = resolvePartUnit(field, 'timestamp');
  if (unit === 'timezone' || unit === 'timezone_hour' || unit === 'timezone_minute') {
    throw new PgError(SQLSTATE.feature_not_supported, `timestamp units "${field}" not supported`);
  }
  if (!Number.isFinite(ts)) return infinitePart(unit, ts, 'timestamp', field);
  if (unit === 'epoch') return ts / 1e6 + 946_684_800;
  return partOfFields(unit, timestampToFields(ts), 'timestamp', field);
}

function infinitePart(unit: string, ts: number, typeName: string, field: string): number | null {
  if (MONOTONIC.has(unit)) return ts;
  if (unit === 'week' || unit === 'dow' || unit === 'isodow' || unit === 'doy' || unit === 'microseconds' ||
    unit === 'milliseconds' || unit === 'second' || unit === 'minute' || unit === 'hour' || unit === 'day' ||
    unit === 'month' || unit === 'quarter' || unit === 'timezone' || unit === 'timezone_hour' || unit === 'timezone_minute') {
    return null;
  }
  throw new PgError(SQLSTATE.feature_not_supported, `${typeName} units "${field}" not supported`);
}

/** date_part(field, timestamptz): fields of the local time in `zone`. */
export function datePartTz(field: string, ts: number, zone: TimeZone): number | null {
  const typeName = 'timestamp with time zone';
  const unit = resolvePartUnit(field, typeName);
  if (!Number.isFinite(ts)) return infinitePart(unit, ts, typeName, field);
  if (unit === 'epoch') return ts / 1e6 + 946_684_800;
  const offset = offsetAt(zone, ts);
  if (unit === 'timezone') return offset;
  if (unit === 'timezone_hour') return cdiv(offset, 3600);
  if (unit === 'timezone_minute') return cdiv(offset - cdiv(offset, 3600) * 3600, 60);
  return partOfFields(unit, timestampToFields(ts + offset * USECS_PER_SEC), typeName, field);
}

/** date_part(field, date): PostgreSQL 11 evaluates it on the date cast to timestamp. */
export function datePartDate(field: string, days: number): number | null {
  return datePart(field, Number.isFinite(days) ? days * USECS_PER_DAY : days);
}

/** date_part(field, time). */
export function datePartTime(field: string, t: number): number {
  const unit = lookupDateUnit(field);
  const hour = Math.floor(t / USECS_PER_HOUR);
  const minute = Math.floor((t - hour * USECS_PER_HOUR) / USECS_PER_MINUTE);
  const secMicros = t - hour * USECS_PER_HOUR - minute * USECS_PER_MINUTE;
  switch (unit) {
    case 'microseconds': return secMicros;
    case 'milliseconds': return secMicros / 1000;
    case 'second': return secMicros / 1e6;
    case 'minute': return minute;
    case 'hour': return hour;
    case 'epoch': return t / 1e6;
    case undefined:
      throw new PgError(SQLSTATE.invalid_parameter_value, `"time" units "${field}" not recognized`);
    default:
      throw new PgError(SQLSTATE.feature_not_supported, `"time" units "${field}" not recognized`);
  }
}

/** date_part(field, interval). */
export function datePartInterval(field: string, iv: Interval): number {
  const unit = lookupDateUnit(field);
  const secMicros = iv.micros - cdiv(iv.micros, USECS_PER_MINUTE) * USECS_PER_MINUTE;
  switch (unit) {
    case 'microseconds': return secMicros;
    case 'milliseconds': return secMicros / 1000;
    case 'second': return secMicros / 1e6;
    case 'minute': return cdiv(iv.micros - cdiv(iv.micros, USECS_PER_HOUR) * USECS_PER_HOUR, USECS_PER_MINUTE);
    case 'hour': return cdiv(iv.micros, USECS_PER_HOUR);
    case 'day': return iv.days;
    case 'month': return iv.months % 12;
    case 'quarter': return cdiv(iv.months % 12, 3) + 1;
    case 'year': return cdiv(iv.months, 12);
    case 'decade': return cdiv(iv.months, 120);
    case 'century': return cdiv(iv.months, 1200);
    case 'millennium': return cdiv(iv.months, 12000);
    case 'epoch':
      return iv.micros / 1e6 + 365.25 * 86400 * cdiv(iv.months, 12) + 30 * 86400 * (iv.months % 12) + 86400 * iv.days;
    case undefined:
      throw new PgError(SQLSTATE.invalid_parameter_value, `interval units "${field}" not recognized`);
    default:
      throw new PgError(SQLSTATE.feature_not_supported, `interval units "${field}" not supported`);
  }
}

// ---- typmod (fractional second precision) ------------------------------------

/** Rounds microseconds to `precision` fractional digits (half away from zero), as timestamp(p)/time(p) do. */
export function roundToPrecision(us: number, precision: number): number {
  if (precision < 0 || precision >= 6 || !Number.isFinite(us)) return us;
  const scale = 10 ** (6 - precision);
  return us >= 0 ? Math.floor((us + scale / 2) / scale) * scale : -Math.floor((-us + scale / 2) / scale) * scale;
}

export { parseDate, parseTime, parseTimestamp, parseTimestamptz } from './datetime-parse.js';
export { formatDate, formatTime, formatTimestamp, formatTimestamptz } from './datetime-format.js';
