// Date/time functions (PostgreSQL 11 "Date/Time Functions and Operators") and
// PipelineDB's date_round() and year()/month()/.../second() helpers. The
// calendar arithmetic lives in src/types/datetime.ts; this file binds it to SQL
// signatures and the session time zone.
import { PgError, SQLSTATE } from '../../errors.js';
import {
  TIMESTAMP_END,
  TIMESTAMP_MIN,
  ageLocal,
  dateToDays,
  datePart,
  datePartDate,
  datePartInterval,
  datePartTime,
  datePartTz,
  dateTrunc,
  dateTruncInterval,
  dateTruncTz,
  daysInMonth,
  timestampPlusInterval,
  timestampToTimestamptz,
  timestamptzPlusInterval,
  timestamptzToTimestamp,
} from '../../types/datetime.js';
import { formatG } from '../../types/float-format.js';
import { justifyDays, justifyHours, justifyInterval } from '../../types/interval.js';
import { OID } from '../../types/oids.js';
import { resolveZoneName, sessionZone, type TimeZone } from '../../types/timezone.js';
import { Interval, PG_EPOCH_USECS, USECS_PER_DAY, USECS_PER_SEC } from '../../types/values.js';
import { registerFunction, type EvalContext } from './catalog.js';
import { fn } from './define.js';
import { INTERRUPT_MASK, RowMeter } from './row-meter.js';

const { text, date, time, timestamp, timestamptz, interval, float8, int4, bool } = OID;

/** The session's zone; resolving the setting string is cached by timezone.ts. */
function zoneOf(ctx: EvalContext): TimeZone {
  return sessionZone(ctx.io.timeZone);
}

function namedZone(name: string): TimeZone {
  const z = resolveZoneName(name);
  if (!z) throw new PgError(SQLSTATE.invalid_parameter_value, `time zone "${name}" not recognized`);
  return z;
}

/** Midnight of the current (transaction) date in the session zone, as a local timestamp. */
function todayLocal(ctx: EvalContext): number {
  const local = timestamptzToTimestamp(ctx.transactionTimestamp, zoneOf(ctx));
  return Math.floor(local / USECS_PER_DAY) * USECS_PER_DAY;
}

// ---- make_* -------------------------------------------------------------------

function fieldOverflow(msg: string): PgError {
  return new PgError(SQLSTATE.datetime_field_overflow, msg);
}

function pad2(n: number): string {
  return n < 10 && n >= 0 ? '0' + n : String(n);
}

/** C's %02g, used in PostgreSQL's messages about seconds. */
function secondsG(sec: number): string {
  const g = formatG(sec, 6);
  return g.length < 2 ? g.padStart(2, '0') : g;
}

/** Days since 2000-01-01 for make_date/make_timestamp; negative years are BC. */
function makeDays(year: number, month: number, day: number): number {
  const y = year < 0 ? year + 1 : year;
  if (year === 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(y, month)) {
    throw fieldOverflow(`date field value out of range: ${year}-${pad2(month)}-${pad2(day)}`);
  }
  return dateToDays(y, month, day);
}

function makeTimeMicros(hour: number, min: number, sec: number): number {
  const us = ((hour * 60 + min) * 60) * USECS_PER_SEC + Math.trunc(sec * USECS_PER_SEC);
  if (hour < 0 || min < 0 || min > 59 || !(sec >= 0) || sec > 60 || us > USECS_PER_DAY) {
    throw fieldOverflow(`time field value out of range: ${hour}:${pad2(min)}:${secondsG(sec)}`);
  }
  return us;
}

function makeTimestamp(a: number[]): number {
  const [y, mo, d, h, mi, s] = a as [number, number, number, number, number, number];
  const days = makeDays(y, mo, d);
  const ts = days * USECS_PER_DAY + makeTimeMicros(h, mi, s);
  if (!(ts >= TIMESTAMP_MIN && ts < TIMESTAMP_END)) {
    throw fieldOverflow(`timestamp out of range: ${y}-${pad2(mo)}-${pad2(d)} ${h}:${pad2(mi)}:${secondsG(s)}`);
  }
  return ts;
}

function makeInterval(a: number[]): Interval {
  const [years = 0, months = 0, weeks = 0, days = 0, hours = 0, mins = 0, secs = 0] = a;
  return new Interval(
    years * 12 + months,
    weeks * 7 + days,
    hours * 3_600_000_000 + mins * 60_000_000 + Math.trunc(secs * USECS_PER_SEC),
  );
}

// ---- to_timestamp(float8) -------------------------------------------------------

const UNIX_TO_PG_SECS = PG_EPOCH_USECS / USECS_PER_SEC;

export function toTimestampFromEpoch(seconds: number): number {
  if (Number.isNaN(seconds)) throw fieldOverflow('timestamp cannot be NaN');
  if (!Number.isFinite(seconds)) return seconds;
  const us = Math.round((seconds - UNIX_TO_PG_SECS) * USECS_PER_SEC);
  if (!(us >= TIMESTAMP_MIN && us < TIMESTAMP_END)) throw fieldOverflow(`timestamp out of range: "${formatG(seconds, 6)}"`);
  return us;
}

// ---- PipelineDB ------------------------------------------------------------------

/**
 * date_round(ts, step): PipelineDB rounds down to a multiple of the step counted
 * from 2000-01-01, with C's truncating remainder; the step is the interval
 * measured from 2000-01-01 (so '1 month' is 31 days).
 */
export function dateRound(ts: number | null, step: Interval | null): number | null {
  if (ts === null) return null;
  if (!Number.isFinite(ts) || step === null) return ts;
  const stepUs = timestampPlusInterval(0, step);
  if (stepUs === 0) throw new PgError(SQLSTATE.division_by_zero, 'division by zero');
  return ts - (ts % stepUs);
}

// ---- generate_series over time ----------------------------------------------------

function zeroStep(): PgError {
  return new PgError(SQLSTATE.invalid_parameter_value, 'step size cannot equal zero');
}

/** The step's sign as PostgreSQL decides it: by comparing with a zero interval (30-day months). */
function intervalSign(iv: Interval): number {
  const span = iv.micros + (iv.days + iv.months * 30) * USECS_PER_DAY;
  return span > 0 ? 1 : span < 0 ? -1 : 0;
}

/**
 * generate_series over timestamps. `fixedMicros` is the step's length when it
 * does not depend on the calendar (then the count is known up front and
 * reported before allocating); otherwise rows are counted as they come.
 */
function timeSeries(
  ctx: EvalContext,
  start: number,
  stop: number,
  step: Interval,
  fixedMicros: number | null,
  add: (ts: number, iv: Interval) => number,
): number[] {
  const dir = intervalSign(step);
  if (dir === 0) throw zeroStep();
  const out: number[] = [];
  const span = fixedMicros === null ? NaN : (stop - start) / fixedMicros;
  if (!Number.isNaN(span)) {
    // An infinite bound gives an infinite count, which countRows rejects.
    ctx.countRows(span < 0 ? 0 : Math.floor(span) + 1);
    for (let v = start; dir > 0 ? v <= stop : v >= stop; v = add(v, step)) {
      if ((out.length & INTERRUPT_MASK) === INTERRUPT_MASK) ctx.checkInterrupts();
      out.push(v);
    }
    return out;
  }
  const meter = new RowMeter(ctx);
  for (let v = start; dir > 0 ? v <= stop : v >= stop; v = add(v, step)) {
    meter.add();
    out.push(v);
  }
  meter.flush();
  return out;
}

/** The length of a step that adds the same number of microseconds wherever it is applied. */
function fixedStepMicros(iv: Interval, daysAreFixed: boolean): number | null {
  if (iv.months !== 0 || (iv.days !== 0 && !daysAreFixed)) return null;
  return iv.micros + iv.days * USECS_PER_DAY;
}

// ---- registration ---------------------------------------------------------------------

const stable = { volatility: 'stable' as const };

registerFunction(
  fn('date_trunc', [text, timestamp], timestamp, (a: [string, number]) => dateTrunc(a[0], a[1])),
  fn('date_trunc', [text, timestamptz], timestamptz, (a: [string, number], ctx) => dateTruncTz(a[0], a[1], zoneOf(ctx)), stable),
  fn('date_trunc', [text, interval], interval, (a: [string, Interval]) => dateTruncInterval(a[0], a[1])),
);

// date_part and extract (the PostgreSQL 18 grammar emits extract(...) calls) return double precision, as in PostgreSQL 11.
for (const name of ['date_part', 'extract']) {
  registerFunction(
    fn(name, [text, timestamp], float8, (a: [string, number]) => datePart(a[0], a[1])),
    fn(name, [text, timestamptz], float8, (a: [string, number], ctx) => datePartTz(a[0], a[1], zoneOf(ctx)), stable),
    fn(name, [text, date], float8, (a: [string, number]) => datePartDate(a[0], a[1])),
    fn(name, [text, time], float8, (a: [string, number]) => datePartTime(a[0], a[1])),
    fn(name, [text, interval], float8, (a: [string, Interval]) => datePartInterval(a[0], a[1])),
  );
}

registerFunction(
  fn('age', [timestamp, timestamp], interval, (a: number[]) => ageLocal(a[0]!, a[1]!)),
  fn('age', [timestamptz, timestamptz], interval, (a: number[], ctx) => {
    const z = zoneOf(ctx);
    return ageLocal(timestamptzToTimestamp(a[0]!, z), timestamptzToTimestamp(a[1]!, z));
  }, stable),
  fn('age', [timestamp], interval, (a: number[], ctx) => ageLocal(todayLocal(ctx), a[0]!), stable),
  fn('age', [timestamptz], interval, (a: number[], ctx) =>
    ageLocal(todayLocal(ctx), timestamptzToTimestamp(a[0]!, zoneOf(ctx))), stable),
  fn('make_date', [int4, int4, int4], date, (a: number[]) => makeDays(a[0]!, a[1]!, a[2]!)),
  fn('make_time', [int4, int4, float8], time, (a: number[]) => makeTimeMicros(a[0]!, a[1]!, a[2]!)),
  fn('make_timestamp', [int4, int4, int4, int4, int4, float8], timestamp, (a: number[]) => makeTimestamp(a)),
  fn('make_timestamptz', [int4, int4, int4, int4, int4, float8], timestamptz, (a: number[], ctx) =>
    timestampToTimestamptz(makeTimestamp(a), zoneOf(ctx)), stable),
  fn('make_timestamptz', [int4, int4, int4, int4, int4, float8, text], timestamptz, (a: [...number[], string]) =>
    timestampToTimestamptz(makeTimestamp(a.slice(0, 6) as number[]), namedZone(a[6] as string)), stable),
  fn('to_timestamp', [float8], timestamptz, (a: number[]) => toTimestampFromEpoch(a[0]!)),
  fn('justify_days', [interval], interval, (a: Interval[]) => justifyDays(a[0]!)),
  fn('justify_hours', [interval], interval, (a: Interval[]) => justifyHours(a[0]!)),
  fn('justify_interval', [interval], interval, (a: Interval[]) => justifyInterval(a[0]!)),
  fn('isfinite', [date], bool, (a: number[]) => Number.isFinite(a[0]!)),
  fn('isfinite', [timestamp], bool, (a: number[]) => Number.isFinite(a[0]!)),
  fn('isfinite', [timestamptz], bool, (a: number[]) => Number.isFinite(a[0]!)),
  fn('isfinite', [interval], bool, () => true),
  // AT TIME ZONE
  fn('timezone', [text, timestamptz], timestamp, (a: [string, number]) => timestamptzToTimestamp(a[1], namedZone(a[0]))),
  fn('timezone', [text, timestamp], timestamptz, (a: [string, number]) => timestampToTimestamptz(a[1], namedZone(a[0]))),
  fn('date_round', [timestamptz, interval], timestamptz, (a: [number | null, Interval | null]) => dateRound(a[0], a[1]), {
    strict: false,
  }),
  fn('generate_series', [timestamp, timestamp, interval], timestamp, (a: [number, number, Interval], ctx) =>
    timeSeries(ctx, a[0], a[1], a[2], fixedStepMicros(a[2], true), timestampPlusInterval), { returnsSet: true }),
  fn('generate_series', [timestamptz, timestamptz, interval], timestamptz, (a: [number, number, Interval], ctx) => {
    const z = zoneOf(ctx);
    // Days follow the session zone's daylight-saving shifts, so only sub-day steps have a fixed length.
    return timeSeries(ctx, a[0], a[1], a[2], fixedStepMicros(a[2], false), (ts, iv) => timestamptzPlusInterval(ts, iv, z));
  }, { returnsSet: true, volatility: 'stable' }),
);

// make_interval(years, months, weeks, days, hours, mins, secs): every argument defaults to 0.
const MAKE_INTERVAL_ARGS = [int4, int4, int4, int4, int4, int4, float8];
for (let n = 0; n <= MAKE_INTERVAL_ARGS.length; n++) {
  registerFunction(fn('make_interval', MAKE_INTERVAL_ARGS.slice(0, n), interval, (a: number[]) => makeInterval(a)));
}

// PipelineDB's truncation helpers: year(ts) = date_trunc('year', ts) in the session zone, and so on.
for (const unit of ['year', 'month', 'day', 'hour', 'minute', 'second']) {
  registerFunction(fn(unit, [timestamptz], timestamptz, (a: number[], ctx) => dateTruncTz(unit, a[0]!, zoneOf(ctx))));
}
