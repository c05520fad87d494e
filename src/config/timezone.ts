// Validation and canonical spelling of the TimeZone setting, following
// PostgreSQL's check_timezone:
//  - a plain number is an hour offset east of UTC, shown POSIX-style
//    ("-5" -> "<-05>+05", "5.5" -> "<+05:30>-05:30");
//  - an IANA zone name (any letter case; shown with the database's spelling
//    when we can find it, else as typed);
//  - a POSIX TZ specification ("UTC+3", "EST5EDT", "<+03>-03", "-05:30"),
//    shown upper-cased.
import { readdirSync } from 'node:fs';
import { CheckFailure } from './check-failure.js';

const ZONEINFO_DIR = '/usr/share/zoneinfo';
/** PostgreSQL refuses offsets beyond one week. */
const MAX_OFFSET_SECONDS = 7 * 24 * 3600;

let canonicalIana: Map<string, string> | undefined;

function ianaByLowerName(): Map<string, string> {
  if (canonicalIana === undefined) {
    canonicalIana = new Map();
    for (const z of Intl.supportedValuesOf('timeZone')) canonicalIana.set(z.toLowerCase(), z);
    for (const z of ['UTC', 'GMT', 'Etc/UTC', 'Etc/GMT']) canonicalIana.set(z.toLowerCase(), z);
  }
  return canonicalIana;
}

function intlAccepts(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Finds the on-disk spelling of a zone name in the system tz database, one path component at a time. */
function zoneinfoSpelling(name: string): string | undefined {
  let dir = ZONEINFO_DIR;
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.' || part === '..') return undefined;
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return undefined;
    }
    const lower = part.toLowerCase();
    const hit = entries.find((e) => e.toLowerCase() === lower);
    if (hit === undefined) return undefined;
    parts.push(hit);
    dir = `${dir}/${hit}`;
  }
  return parts.join('/');
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** "<+05:30>-05:30" for 5.5 hours east of UTC, as pg_tzset_offset names it. */
export function posixNameForOffset(secondsEast: number): string {
  const abs = Math.abs(secondsEast);
  const h = Math.floor(abs / 3600);
  const m = Math.floor((abs % 3600) / 60);
  const s = abs % 60;
  let hhmm = two(h);
  if (m !== 0 || s !== 0) hhmm += `:${two(m)}`;
  if (s !== 0) hhmm += `:${two(s)}`;
  const east = secondsEast >= 0;
  return `<${east ? '+' : '-'}${hhmm}>${east ? '-' : '+'}${hhmm}`;
}

const NUMERIC_RE = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
// std name (letters, or <...>), offset, optionally a dst name with optional offset and rules.
const POSIX_OFFSET = '[+-]?\\d{1,3}(?::\\d{1,2}(?::\\d{1,2})?)?';
const POSIX_NAME = '(?:[A-Za-z]+|<[A-Za-z0-9+-]+>)';
const POSIX_TZ_RE = new RegExp(
  `^(?:${POSIX_NAME})?${POSIX_OFFSET}(?:${POSIX_NAME}(?:${POSIX_OFFSET})?(?:,[A-Za-z0-9.,/:+-]+)?)?$`,
);

/** Returns the spelling SHOW prints for a valid time zone, or throws CheckFailure. */
export function checkTimeZone(value: string): string {
  if (NUMERIC_RE.test(value)) {
    const hours = Number(value);
    const seconds = Math.round(hours * 3600);
    if (!Number.isFinite(hours) || Math.abs(seconds) >= MAX_OFFSET_SECONDS) {
      throw new CheckFailure({ detail: 'UTC timezone offset is out of range.' });
    }
    return posixNameForOffset(seconds);
  }
  if (value.length === 0) throw new CheckFailure();
  const lower = value.toLowerCase();
  if (lower === 'gmt' || lower === 'utc') return value.toUpperCase();
  if (value.includes('/') || /^[A-Za-z_]+$/.test(value)) {
    const known = ianaByLowerName().get(lower);
    if (known !== undefined) return known;
    if (intlAccepts(value)) return zoneinfoSpelling(value) ?? value;
  }
  if (POSIX_TZ_RE.test(value)) return value.toUpperCase();
  throw new CheckFailure();
}

/** The server's default zone: TZ from the environment when it names a zone we accept, else UTC. */
export function timeZoneFromEnvironment(env: Record<string, string | undefined>): string {
  let tz = env['TZ'];
  if (tz === undefined || tz === '') return 'UTC';
  if (tz.startsWith(':')) tz = tz.slice(1);
  if (tz.startsWith('/')) {
    const idx = tz.indexOf('/zoneinfo/');
    if (idx < 0) return 'UTC';
    tz = tz.slice(idx + '/zoneinfo/'.length);
  }
  try {
    return checkTimeZone(tz);
  } catch {
    return 'UTC';
  }
}
