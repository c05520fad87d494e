// Time zones: the TimeZone setting, zone names and abbreviations in date/time
// literals, UTC offsets at an instant and local->UTC conversion.
//
// IANA zones come from temporal-polyfill (which reads the platform's tz data).
// Offsets are cached per zone in fixed spans of time holding the offset at the
// span start and the transitions inside it, so the common conversions do not
// create Temporal objects per call.
import { Temporal } from 'temporal-polyfill';
import { PG_EPOCH_USECS } from './values.js';

export interface TimeZone {
  /** The name as resolved (IANA id, or the spelling of a fixed offset). */
  readonly name: string;
  /** Seconds east of UTC for fixed-offset zones; null for IANA zones. */
  readonly fixedOffset: number | null;
  /** Abbreviation printed for fixed zones (PostgreSQL prints e.g. "+02" or "UTC"). */
  readonly fixedAbbrev: string;
  readonly ianaId: string | null;
}

/** One cached span: offsets[i] applies from trans[i - 1] (or the span start) to trans[i]. */
interface Span {
  trans: number[]; // PG-epoch microseconds (UTC) at which offsets[i + 1] starts
  offsets: number[]; // seconds east of UTC
  abbrevs: (string | null)[]; // computed lazily
  firstIsLmt: boolean;
}

interface IanaState {
  spans: Map<number, Span>;
  formatter: Intl.DateTimeFormat | null;
  modern: Map<number, string> | null;
}

const SPAN_USECS = 2 ** 35 * 1000; // about 397 days
const ianaState = new Map<string, IanaState>();

function fixedZone(name: string, offsetSec: number, abbrev: string): TimeZone {
  return { name, fixedOffset: offsetSec, fixedAbbrev: abbrev, ianaId: null };
}

export const UTC_ZONE: TimeZone = fixedZone('UTC', 0, 'UTC');

// ---- abbreviations (PostgreSQL's "Default" timezone_abbreviations set) ----

const ABBREV_DATA =
'acdt:37800d acsst:37800d acst:34200 act:-18000 acwst:31500 adt:-10800d aedt:39600d aesst:39600d ' +
  'aest:36000 aft:16200 akdt:-28800d akst:-32400 almst:25200d almt:21600 amst:14400 amt:-14400 ' +
  'anast:43200 anat:43200 arst:-10800 art:-10800 ast:-14400 awsst:32400d awst:28800 azost:0d azot:-3600 ' +
  'azst:14400 azt:14400 bdst:7200d bdt:21600 bnt:28800 bort:28800 bot:-14400 bra:-10800 brst:-7200d ' +
  'brt:-10800 bst:3600d btt:21600 cadt:37800d cast:34200 cct:28800 cdt:-18000d cest:7200d cet:3600 ' +
  'cetdst:7200d chadt:49500d chast:45900 chut:36000 ckt:-36000 clst:-10800d clt:-10800d cot:-18000 ' +
  'cst:-21600 cxt:25200 davt:25200 ddut:36000 easst:-18000d east:-18000d eat:10800 edt:-14400d ' +
  'eest:10800d eet:7200 eetdst:10800d egst:0d egt:-3600 est:-18000 fet:10800 fjst:46800d fjt:43200 ' +
  'fkst:-10800 fkt:-10800 fnst:-3600d fnt:-7200 galt:-21600 gamt:-32400 gest:14400 get:14400 gft:-10800 ' +
  'gilt:43200 gmt:0 gyt:-14400 hkt:28800 hst:-36000 ict:25200 idt:10800d iot:21600 irkst:28800 ' +
  'irkt:28800 irt:12600 ist:7200 jayt:32400 jst:32400 kdt:36000d kgst:21600d kgt:21600 kost:39600 ' +
  'krast:25200 krat:25200 kst:32400 lhdt:39600d lhst:37800 ligt:36000 lint:50400 lkt:19800 magst:39600 ' +
  'magt:39600 mart:-34200 mawt:18000 mdt:-21600d mest:7200d mesz:7200d met:3600 metdst:7200d mez:3600 ' +
  'mht:43200 mmt:23400 mpt:36000 msd:14400d msk:10800 mst:-25200 must:18000d mut:14400 mvt:18000 ' +
  'myt:28800 ndt:-9000d nft:-12600 novst:25200 novt:25200 npt:20700 nst:-12600 nut:-39600 nzdt:46800d ' +
  'nzst:43200 nzt:43200 omsst:21600 omst:21600 pdt:-25200d pet:-18000 petst:43200 pett:43200 pgt:36000 ' +
  'pht:28800 pkst:21600d pkt:18000 pmdt:-7200d pmst:-10800 pont:39600 pst:-28800 pwt:32400 pyst:-10800d ' +
  'pyt:-10800 ret:14400 sadt:37800d sast:7200 sct:14400 sgt:28800 taht:-36000 tft:18000 tjt:18000 ' +
  'tkt:46800 tmt:18000 tot:46800 trut:36000 tvt:43200 uct:0 ulast:32400d ulat:28800 ut:0 utc:0 ' +
  'uyst:-7200d uyt:-10800 uzst:21600d uzt:18000 vet:-14400 vlast:36000 vlat:36000 volt:10800 vut:39600 ' +
  'wadt:28800d wakt:43200 wast:25200 wat:3600 wdt:32400d wet:0 wetdst:3600d wft:43200 wgst:-7200d ' +
  'wgt:-10800 xjt:21600 yakst:32400 yakt:32400 yapt:36000 yekst:21600d yekt:18000 z:0 zulu:0';

interface AbbrevInfo {
  offset: number;
  isDst: boolean;
}
const abbrevTable = new Map<string, AbbrevInfo>();
for (const item of ABBREV_DATA.split(' ')) {
  const colon = item.indexOf(':');
  const isDst = item.endsWith('d');
  const offset = Number(item.slice(colon + 1, isDst ? -1 : undefined));
  abbrevTable.set(item.slice(0, colon), { offset, isDst });
}

/** A time zone abbreviation usable in literals ("EST", "cest", "z"): seconds east of UTC, or undefined. */
export function lookupAbbreviation(name: string): AbbrevInfo | undefined {
  return abbrevTable.get(name.toLowerCase());
}

// ---- resolving names ------------------------------------------------------

const zoneCache = new Map<string, TimeZone | null>();
const settingCache = new Map<string, TimeZone | null>();

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function resolveIana(name: string): TimeZone | null {
  if (name.length === 0 || !isAsciiLetter(name.charCodeAt(0))) return null;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!(isAsciiLetter(c) || (c >= 48 && c <= 57) || c === 47 || c === 95 || c === 45 || c === 43)) return null;
  }
  try {
    const zdt = Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(name);
    const id = zdt.timeZoneId;
    if (id === 'UTC' || id === 'Etc/UTC' || id === 'Etc/UCT' || id === 'UCT' || id === 'Etc/Universal' || id === 'Universal' || id === 'Etc/Zulu' || id === 'Zulu') {
      return fixedZone(id, 0, 'UTC');
    }
    if (id === 'GMT' || id === 'Etc/GMT' || id === 'Etc/Greenwich' || id === 'Greenwich' || id === 'GMT0' || id === 'Etc/GMT0') {
      return fixedZone(id, 0, 'GMT');
    }
    return { name: id, fixedOffset: null, fixedAbbrev: '', ianaId: id };
  } catch {
    return null;
  }
}

/** Parses [+-]hh[:mm[:ss]] or [+-]hhmm; returns seconds (sign as written) or null. */
function parseOffsetBody(s: string, i: number): { secs: number; end: number } | null {
  let sign = 1;
  const c = s.charCodeAt(i);
  if (c === 43) i++;
  else if (c === 45) {
    sign = -1;
    i++;
  }
  const parts: number[] = [];
  let cur = -1;
  let digitsInPart = 0;
  let compact = '';
  for (; i < s.length; i++) {
    const d = s.charCodeAt(i);
    if (d >= 48 && d <= 57) {
      cur = (cur < 0 ? 0 : cur) * 10 + (d - 48);
      digitsInPart++;
      compact += s[i];
    } else if (d === 58 && cur >= 0) {
      parts.push(cur);
      cur = -1;
      digitsInPart = 0;
    } else break;
  }
  if (cur < 0) return null;
  parts.push(cur);
  let h: number;
  let m = 0;
  let sec = 0;
  if (parts.length === 1 && digitsInPart > 2) {
    // hhmm or hhmmss
    if (compact.length === 4) {
      h = Number(compact.slice(0, 2));
      m = Number(compact.slice(2));
    } else if (compact.length === 6) {
      h = Number(compact.slice(0, 2));
      m = Number(compact.slice(2, 4));
      sec = Number(compact.slice(4));
    } else if (compact.length === 3) {
      h = Number(compact.slice(0, 1));
      m = Number(compact.slice(1));
    } else return null;
  } else {
    h = parts[0]!;
    m = parts[1] ?? 0;
    sec = parts[2] ?? 0;
  }
  if (m >= 60 || sec >= 60 || h > 167) return null;
  return { secs: sign * (h * 3600 + m * 60 + sec), end: i };
}

/** POSIX TZ spec without DST rules: [STD]offset where offset is hours WEST of UTC. */
function resolvePosix(name: string): TimeZone | null {
  let i = 0;
  let abbrev = '';
  if (name.charCodeAt(0) === 60 /* < */) {
    const close = name.indexOf('>');
    if (close < 0) return null;
    abbrev = name.slice(1, close);
    i = close + 1;
  } else {
    while (i < name.length && isAsciiLetter(name.charCodeAt(i))) i++;
    abbrev = name.slice(0, i);
    if (i > 0 && i < 3) return null;
  }
  if (i >= name.length) return null;
  const off = parseOffsetBody(name, i);
  if (!off || off.end !== name.length) return null;
  return fixedZone(name, -off.secs, abbrev);
}

function formatNumericAbbrev(offsetSec: number): string {
  const sign = offsetSec < 0 ? '-' : '+';
  let a = Math.abs(offsetSec);
  const h = Math.floor(a / 3600);
  a -= h * 3600;
  const m = Math.floor(a / 60);
  const s = a - m * 60;
  let out = sign + (h < 10 ? '0' : '') + h;
  if (m || s) out += (m < 10 ? '0' : '') + m;
  if (s) out += (s < 10 ? '0' : '') + s;
  return out;
}

/**
 * A zone named in AT TIME ZONE, timezone() or a literal: abbreviation, IANA
 * name, then POSIX spec ("UTC+3" is three hours WEST, as in PostgreSQL).
 * Returns null when the name is unknown.
 */
export function resolveZoneName(name: string): TimeZone | null {
  let z = zoneCache.get(name);
  if (z !== undefined) return z;
  const ab = abbrevTable.get(name.toLowerCase());
  if (ab) z = fixedZone(name.toUpperCase(), ab.offset, name.toUpperCase());
  else z = resolveIana(name) ?? resolvePosix(name);
  zoneCache.set(name, z);
  return z;
}

/**
 * The TimeZone setting: a plain number means hours EAST of UTC (SET TIME ZONE -7),
 * otherwise an IANA name or a POSIX spec. Abbreviations are not accepted here
 * (except those that are also zone names, like EST or UTC). Null when invalid.
 */
export function resolveTimeZoneSetting(name: string): TimeZone | null {
  let z = settingCache.get(name);
  if (z !== undefined) return z;
  z = null;
  const trimmed = name.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(trimmed)) {
    const hours = Number(trimmed);
    const secs = Math.round(hours * 3600);
    if (Math.abs(secs) <= 14 * 3600 + 59 * 60) z = fixedZone(name, secs, formatNumericAbbrev(secs));
  } else {
    z = resolveIana(trimmed) ?? resolvePosix(trimmed);
  }
  settingCache.set(name, z);
  return z;
}

export function isValidTimeZone(name: string): boolean {
  return resolveTimeZoneSetting(name) !== null;
}

/** The session zone for a TimeZone setting string, falling back to UTC when invalid. */
export function sessionZone(setting: string): TimeZone {
  return resolveTimeZoneSetting(setting) ?? UTC_ZONE;
}

// ---- offsets ---------------------------------------------------------------

function stateOf(id: string): IanaState {
  let st = ianaState.get(id);
  if (!st) {
    st = { spans: new Map(), formatter: null, modern: null };
    ianaState.set(id, st);
  }
  return st;
}

function buildSpan(id: string, index: number): Span {
  const startUs = index * SPAN_USECS;
  const endUs = startUs + SPAN_USECS;
  const startMs = Math.floor((startUs + PG_EPOCH_USECS) / 1000);
  let zdt = Temporal.Instant.fromEpochMilliseconds(startMs).toZonedDateTimeISO(id);
  const span: Span = { trans: [], offsets: [zdt.offsetNanoseconds / 1e9], abbrevs: [null], firstIsLmt: false };
  // Before a zone's first transition its offset is local mean time ("LMT" in tz data).
  span.firstIsLmt = zdt.getTimeZoneTransition('previous') === null && zdt.getTimeZoneTransition('next') !== null;
  for (;;) {
    const next = zdt.getTimeZoneTransition('next');
    if (!next) break;
    const atUs = next.epochMilliseconds * 1000 - PG_EPOCH_USECS;
    if (atUs >= endUs) break;
    span.trans.push(atUs);
    span.offsets.push(next.offsetNanoseconds / 1e9);
    span.abbrevs.push(null);
    zdt = next;
  }
  return span;
}

function spanFor(id: string, utcMicros: number): Span {
  const st = stateOf(id);
  const index = Math.floor(utcMicros / SPAN_USECS);
  let span = st.spans.get(index);
  if (!span) {
    span = buildSpan(id, index);
    st.spans.set(index, span);
  }
  return span;
}

function segmentIndex(span: Span, utcMicros: number): number {
  const t = span.trans;
  let i = 0;
  while (i < t.length && utcMicros >= t[i]!) i++;
  return i;
}

/** Seconds east of UTC in `zone` at the UTC instant (PG-epoch microseconds). */
export function offsetAt(zone: TimeZone, utcMicros: number): number {
  if (zone.fixedOffset !== null) return zone.fixedOffset;
  if (!Number.isFinite(utcMicros)) return 0;
  const span = spanFor(zone.ianaId!, clampInstant(utcMicros));
  return span.offsets[segmentIndex(span, clampInstant(utcMicros))]!;
}

// Temporal's supported range is +-1e8 days from 1970; PostgreSQL timestamps reach further.
const MAX_INSTANT_US = 9.9e7 * 86_400_000_000 - PG_EPOCH_USECS;
function clampInstant(us: number): number {
  return us > MAX_INSTANT_US ? MAX_INSTANT_US : us < -MAX_INSTANT_US - 2 * PG_EPOCH_USECS ? -MAX_INSTANT_US - 2 * PG_EPOCH_USECS : us;
}

/**
 * Local wall-clock time (PG-epoch microseconds) -> UTC instant. In a repeated
 * hour (DST end) the later interpretation (standard time) is taken; a time in a
 * skipped hour is read with the offset in effect before the transition, as
 * PostgreSQL does.
 */
export function localToUtc(zone: TimeZone, localMicros: number): number {
  if (zone.fixedOffset !== null) return localMicros - zone.fixedOffset * 1e6;
  if (!Number.isFinite(localMicros)) return localMicros;
  const before = offsetAt(zone, localMicros - 86_400_000_000);
  const after = offsetAt(zone, localMicros + 86_400_000_000);
  if (before === after) {
    const utc = localMicros - before * 1e6;
    const o = offsetAt(zone, utc);
    if (o === before) return utc;
    return localMicros - o * 1e6; // two transitions within a day: rare, take the actual offset
  }
  const utcAfter = localMicros - after * 1e6;
  if (offsetAt(zone, utcAfter) === after) return utcAfter;
  const utcBefore = localMicros - before * 1e6;
  return utcBefore;
}

/** UTC instant -> local wall-clock microseconds in `zone`. */
export function utcToLocal(zone: TimeZone, utcMicros: number): number {
  if (!Number.isFinite(utcMicros)) return utcMicros;
  return utcMicros + offsetAt(zone, utcMicros) * 1e6;
}

// ---- abbreviations for output -------------------------------------------------

/** tz data abbreviations that ICU's English names do not give (ICU prints "GMT+1" for these). */
const ZONE_ABBREVS: Record<string, Record<number, string>> = {};
function defAbbrevs(zones: string, byOffset: Record<number, string>): void {
  for (const z of zones.split(' ')) ZONE_ABBREVS[z] = byOffset;
}
defAbbrevs(
  'Europe/Berlin Europe/Paris Europe/Madrid Europe/Rome Europe/Amsterdam Europe/Brussels Europe/Vienna ' +
    'Europe/Zurich Europe/Stockholm Europe/Oslo Europe/Copenhagen Europe/Warsaw Europe/Prague Europe/Budapest ' +
    'Europe/Belgrade Europe/Ljubljana Europe/Zagreb Europe/Bratislava Europe/Luxembourg Europe/Monaco ' +
    'Europe/Malta Europe/Andorra Europe/Tirane Europe/Sarajevo Europe/Skopje Europe/Podgorica Europe/Gibraltar ' +
    'Europe/Vaduz Europe/San_Marino Europe/Vatican Africa/Ceuta Arctic/Longyearbyen CET MET',
  { 3600: 'CET', 7200: 'CEST' },
);
defAbbrevs(
  'Europe/Helsinki Europe/Athens Europe/Kiev Europe/Kyiv Europe/Bucharest Europe/Sofia Europe/Riga ' +
    'Europe/Tallinn Europe/Vilnius Europe/Chisinau Asia/Nicosia Europe/Nicosia Asia/Beirut Africa/Cairo ' +
    'Europe/Mariehamn EET Africa/Tripoli Europe/Kaliningrad',
  { 7200: 'EET', 10800: 'EEST' },
);
defAbbrevs('Europe/Lisbon Atlantic/Canary Atlantic/Faroe Atlantic/Madeira WET', { 0: 'WET', 3600: 'WEST' });
defAbbrevs('Europe/London Europe/Jersey Europe/Guernsey Europe/Isle_of_Man GB', { 0: 'GMT', 3600: 'BST' });
defAbbrevs('Europe/Dublin Eire', { 0: 'GMT', 3600: 'IST' });
defAbbrevs('Europe/Moscow Europe/Simferopol W-SU', { 10800: 'MSK', 14400: 'MSD' });
defAbbrevs('Asia/Kolkata Asia/Calcutta', { 19800: 'IST', 23400: '+0630' });
defAbbrevs('Asia/Jerusalem Asia/Tel_Aviv Israel', { 7200: 'IST', 10800: 'IDT' });
defAbbrevs('Asia/Tokyo Japan', { 32400: 'JST', 36000: 'JDT' });
defAbbrevs('Asia/Seoul ROK', { 32400: 'KST', 36000: 'KDT' });
defAbbrevs('Asia/Shanghai Asia/Chongqing Asia/Harbin PRC Asia/Taipei ROC Asia/Macau', { 28800: 'CST', 32400: 'CDT' });
defAbbrevs('Asia/Hong_Kong Hongkong', { 28800: 'HKT', 32400: 'HKST' });
defAbbrevs('Asia/Karachi', { 18000: 'PKT', 21600: 'PKST' });
defAbbrevs('Asia/Manila', { 28800: 'PST', 32400: 'PDT' });
defAbbrevs('Asia/Jakarta Asia/Pontianak', { 25200: 'WIB' });
defAbbrevs('Australia/Sydney Australia/Melbourne Australia/Hobart Australia/Canberra Australia/ACT Australia/NSW Australia/Victoria Australia/Tasmania', { 36000: 'AEST', 39600: 'AEDT' });
defAbbrevs('Australia/Brisbane Australia/Lindeman Australia/Queensland', { 36000: 'AEST', 39600: 'AEDT' });
defAbbrevs('Australia/Adelaide Australia/Broken_Hill Australia/Darwin Australia/South Australia/North', { 34200: 'ACST', 37800: 'ACDT' });
defAbbrevs('Australia/Perth Australia/West', { 28800: 'AWST', 32400: 'AWDT' });
defAbbrevs('Pacific/Auckland NZ Antarctica/McMurdo', { 43200: 'NZST', 46800: 'NZDT' });
defAbbrevs('Africa/Johannesburg Africa/Maseru Africa/Mbabane', { 7200: 'SAST' });
defAbbrevs('Africa/Lagos Africa/Kinshasa Africa/Luanda Africa/Douala Africa/Libreville Africa/Malabo Africa/Niamey Africa/Porto-Novo Africa/Bangui Africa/Brazzaville', { 3600: 'WAT' });
defAbbrevs('Africa/Nairobi Africa/Addis_Ababa Africa/Dar_es_Salaam Africa/Kampala Africa/Mogadishu Africa/Djibouti Indian/Antananarivo', { 10800: 'EAT' });
defAbbrevs('Africa/Maputo Africa/Harare Africa/Lusaka Africa/Lubumbashi Africa/Blantyre Africa/Bujumbura Africa/Gaborone Africa/Kigali Africa/Khartoum Africa/Juba Africa/Windhoek', { 7200: 'CAT' });
defAbbrevs('Africa/Abidjan Africa/Accra Africa/Dakar Africa/Bamako Africa/Banjul Africa/Conakry Africa/Freetown Africa/Lome Africa/Monrovia Africa/Nouakchott Africa/Ouagadougou Atlantic/Reykjavik Iceland Africa/Bissau Africa/Sao_Tome', { 0: 'GMT' });

/** ICU's short name at an instant if it is a real abbreviation (ICU falls back to "GMT-5"). */
function icuAbbrev(st: IanaState, id: string, ms: number): string | null {
  if (!st.formatter) st.formatter = new Intl.DateTimeFormat('en-US', { timeZone: id, timeZoneName: 'short' });
  const part = st.formatter.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value;
  return part && /^[A-Z]{3,5}$/.test(part) ? part : null;
}

/** Abbreviations of the zone's current standard and daylight offsets, by offset. */
function modernAbbrevs(st: IanaState, id: string): Map<number, string> {
  if (!st.modern) {
    st.modern = new Map();
    for (const ms of [Date.UTC(2020, 0, 15), Date.UTC(2020, 6, 15)]) {
      const off = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(id).offsetNanoseconds / 1e9;
      const name = icuAbbrev(st, id, ms);
      if (name) st.modern.set(off, name);
    }
  }
  return st.modern;
}

function ianaAbbrev(id: string, offset: number, utcMicros: number): string {
  const table = ZONE_ABBREVS[id];
  const fromTable = table?.[offset];
  if (fromTable) return fromTable;
  const st = stateOf(id);
  if (!table) {
    const modern = modernAbbrevs(st, id).get(offset);
    if (modern) return modern;
  }
  const ms = (utcMicros + PG_EPOCH_USECS) / 1000;
  if (!table && Math.abs(ms) <= 8.64e15) {
    const part = icuAbbrev(st, id, ms);
    if (part) return part;
  }
  return formatNumericAbbrev(offset);
}

/** The abbreviation PostgreSQL prints for `zone` at the instant ("EST", "CEST", "+05", "LMT"). */
export function zoneAbbrevAt(zone: TimeZone, utcMicros: number): string {
  if (zone.fixedOffset !== null) return zone.fixedAbbrev;
  const us = clampInstant(utcMicros);
  const span = spanFor(zone.ianaId!, us);
  const i = segmentIndex(span, us);
  let a = span.abbrevs[i];
  if (a == null) {
    if (i === 0 && span.firstIsLmt) a = 'LMT';
    else a = ianaAbbrev(zone.ianaId!, span.offsets[i]!, i === 0 ? us : span.trans[i - 1]!);
    span.abbrevs[i] = a;
  }
  return a;
}
