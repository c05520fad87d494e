// date / time / timestamp / timestamptz output in the four DateStyles.
import type { DateStyle } from './io-context.js';
import { dateToDays, dayOfWeek, daysToDate, timestampToFields, type DateFields } from './datetime.js';
import { offsetAt, zoneAbbrevAt, type TimeZone } from './timezone.js';
import { USECS_PER_SEC } from './values.js';

export const MONTH_ABBREVS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const DAY_ABBREVS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** Year as printed: at least 4 digits, BC years shown positive (the caller appends " BC"). */
function yearText(y: number): string {
  const shown = y > 0 ? y : -(y - 1);
  return shown < 1000 ? String(shown).padStart(4, '0') : String(shown);
}

/** "SS" or "SS.ffffff" with trailing zeros of the fraction removed. */
export function secondsText(sec: number, micro: number): string {
  let s = pad2(sec);
  if (micro !== 0) {
    let frac = String(micro).padStart(6, '0');
    let end = 6;
    while (frac.charCodeAt(end - 1) === 48) end--;
    frac = frac.slice(0, end);
    s += '.' + frac;
  }
  return s;
}

function timeText(f: DateFields): string {
  return pad2(f.hour) + ':' + pad2(f.minute) + ':' + secondsText(f.second, f.micro);
}

/** ISO-style offset: +05, -03:30, +00:53:28 (seconds east of UTC). */
export function formatOffset(offsetSec: number): string {
  const sign = offsetSec < 0 ? '-' : '+';
  let a = Math.abs(offsetSec);
  const h = Math.floor(a / 3600);
  a -= h * 3600;
  const m = Math.floor(a / 60);
  const s = a - m * 60;
  let out = sign + pad2(h);
  if (m || s) out += ':' + pad2(m);
  if (s) out += ':' + pad2(s);
  return out;
}

function dateText(y: number, m: number, d: number, style: DateStyle): string {
  const yt = yearText(y);
  let out: string;
  switch (style.style) {
    case 'ISO':
      out = yt + '-' + pad2(m) + '-' + pad2(d);
      break;
    case 'SQL':
      out = style.order === 'DMY' ? pad2(d) + '/' + pad2(m) + '/' + yt : pad2(m) + '/' + pad2(d) + '/' + yt;
      break;
    case 'German':
      out = pad2(d) + '.' + pad2(m) + '.' + yt;
      break;
    default:
      out = style.order === 'DMY' ? pad2(d) + '-' + pad2(m) + '-' + yt : pad2(m) + '-' + pad2(d) + '-' + yt;
  }
  return y <= 0 ? out + ' BC' : out;
}

export function formatDate(days: number, style: DateStyle): string {
  if (days === Infinity) return 'infinity';
  if (days === -Infinity) return '-infinity';
  const [y, m, d] = daysToDate(days);
  return dateText(y, m, d, style);
}

export function formatTime(us: number): string {
  const hour = Math.floor(us / 3_600_000_000);
  let rest = us - hour * 3_600_000_000;
  const minute = Math.floor(rest / 60_000_000);
  rest -= minute * 60_000_000;
  const sec = Math.floor(rest / USECS_PER_SEC);
  return pad2(hour) + ':' + pad2(minute) + ':' + secondsText(sec, rest - sec * USECS_PER_SEC);
}

/** Date and time in `style`; the zone (ISO offset or abbreviation) goes before any " BC". */
function dateTimeText(f: DateFields, style: DateStyle, zoneIso: string | null, zoneName: string | null): string {
  const bc = f.year <= 0 ? ' BC' : '';
  const yt = yearText(f.year);
  const tz = zoneName === null ? '' : ' ' + zoneName;
  switch (style.style) {
    case 'ISO':
      return yt + '-' + pad2(f.month) + '-' + pad2(f.day) + ' ' + timeText(f) + (zoneIso ?? '') + bc;
    case 'SQL': {
      const d = style.order === 'DMY' ? pad2(f.day) + '/' + pad2(f.month) : pad2(f.month) + '/' + pad2(f.day);
      return d + '/' + yt + ' ' + timeText(f) + tz + bc;
    }
    case 'German':
      return pad2(f.day) + '.' + pad2(f.month) + '.' + yt + ' ' + timeText(f) + tz + bc;
    default: {
      const dow = DAY_ABBREVS[dayOfWeek(dateToDays(f.year, f.month, f.day))]!;
      const mon = MONTH_ABBREVS[f.month - 1]!;
      const md = style.order === 'DMY' ? pad2(f.day) + ' ' + mon : mon + ' ' + pad2(f.day);
      return dow + ' ' + md + ' ' + timeText(f) + ' ' + yt + tz + bc;
    }
  }
}

export function formatTimestamp(ts: number, style: DateStyle): string {
  if (ts === Infinity) return 'infinity';
  if (ts === -Infinity) return '-infinity';
  return dateTimeText(timestampToFields(ts), style, null, null);
}

/** timestamptz in `zone`: ISO prints the numeric offset, the other styles the zone abbreviation. */
export function formatTimestamptz(ts: number, style: DateStyle, zone: TimeZone): string {
  if (ts === Infinity) return 'infinity';
  if (ts === -Infinity) return '-infinity';
  const offset = offsetAt(zone, ts);
  const f = timestampToFields(ts + offset * USECS_PER_SEC);
  if (style.style === 'ISO') return dateTimeText(f, style, formatOffset(offset), null);
  return dateTimeText(f, style, null, zoneAbbrevAt(zone, ts));
}
