// Session and system information functions, configuration access, sleeping
// and signalling backends, and the current-time functions.
import { PgError, SQLSTATE } from '../../errors.js';
import { OID, typeByOid } from '../../types/oids.js';
import { sessionZone, utcToLocal, zoneAbbrevAt } from '../../types/timezone.js';
import { PG_EPOCH_USECS, USECS_PER_SEC } from '../../types/values.js';
import { registerFunction, type SessionHooks } from './catalog.js';
import { PRODUCT_NAME, PRODUCT_VERSION } from '../../version.js';
import { fn } from './define.js';

const { text, bool, int4, name, float8, timestamptz, oid, regtype, void: voidType } = OID;

/** This implementation's release, shown inside version(). */

/** The version() string: PostgreSQL's layout with this product named where PostgreSQL names its build. */
export function versionString(serverVersion: string): string {
  const arch = process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? 'aarch64' : process.arch;
  const platform = process.platform === 'linux' ? 'pc-linux-gnu' : process.platform;
  const bits = process.arch.endsWith('64') ? '64-bit' : '32-bit';
  return `PostgreSQL ${serverVersion} (${PRODUCT_NAME} ${PRODUCT_VERSION}) on ${arch}-${platform}, compiled by TypeScript, ${bits}`;
}

/** Current time as PostgreSQL timestamptz (microseconds since 2000-01-01 UTC). */
export function clockTimestamp(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000) - PG_EPOCH_USECS;
}

/** pg_notify(): NOTIFY with the channel and payload as values (the session checks their limits). */
function pgNotify(channel: string | null, payload: string | null, hooks: SessionHooks): string {
  hooks.notify(channel ?? '', payload ?? '');
  return '';
}

/** The process start, which is when this server (its "postmaster") started. */
const START_TIME = Math.round(performance.timeOrigin * 1000) - PG_EPOCH_USECS;

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** timeofday(): the C-library style "Sat Nov 21 13:19:47.998692 2026 UTC" in the session zone. */
export function timeOfDay(nowUtc: number, timeZone: string): string {
  const zone = sessionZone(timeZone);
  const local = utcToLocal(zone, nowUtc);
  const usecs = ((local % USECS_PER_SEC) + USECS_PER_SEC) % USECS_PER_SEC;
  const d = new Date(Math.floor((local + PG_EPOCH_USECS) / 1000));
  return (
    `${DAY_NAMES[d.getUTCDay()]} ${MONTH_NAMES[d.getUTCMonth()]} ${pad(d.getUTCDate(), 2)} ` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(usecs, 6)} ` +
    `${d.getUTCFullYear()} ${zoneAbbrevAt(zone, nowUtc)}`
  );
}

// ---- format_type ------------------------------------------------------------

const INTERVAL_FULL_RANGE = 0x7fff;
const INTERVAL_FULL_PRECISION = 0xffff;
const YEAR = 1 << 2;
const MONTH = 1 << 1;
const DAY = 1 << 3;
const HOUR = 1 << 10;
const MINUTE = 1 << 11;
const SECOND = 1 << 12;

const INTERVAL_FIELDS = new Map<number, string>([
  [YEAR, ' year'],
  [MONTH, ' month'],
  [DAY, ' day'],
  [HOUR, ' hour'],
  [MINUTE, ' minute'],
  [SECOND, ' second'],
  [YEAR | MONTH, ' year to month'],
  [DAY | HOUR, ' day to hour'],
  [DAY | HOUR | MINUTE, ' day to minute'],
  [DAY | HOUR | MINUTE | SECOND, ' day to second'],
  [HOUR | MINUTE, ' hour to minute'],
  [HOUR | MINUTE | SECOND, ' hour to second'],
  [MINUTE | SECOND, ' minute to second'],
]);

function intervalTypmod(typmod: number): string {
  const range = (typmod >>> 16) & 0x7fff;
  const precision = typmod & 0xffff;
  const fields = range === INTERVAL_FULL_RANGE ? '' : (INTERVAL_FIELDS.get(range) ?? '');
  return precision === INTERVAL_FULL_PRECISION ? fields : `${fields}(${precision})`;
}

/** The typmod decoration format_type() adds after a base type's name. */
function typmodSuffix(typeOid: number, typmod: number): string {
  switch (typeOid) {
    case OID.bpchar:
    case OID.varchar:
      return typmod >= 4 ? `(${typmod - 4})` : '';
    case OID.numeric:
      if (typmod < 4) return '';
      return `(${((typmod - 4) >> 16) & 0xffff},${(typmod - 4) & 0xffff})`;
    case OID.timestamp:
    case OID.timestamptz:
    case OID.time:
    case OID.timetz:
      return `(${typmod})`;
    case OID.interval:
      return intervalTypmod(typmod);
    case OID.bit:
    case OID.varbit:
      return `(${typmod})`;
    default:
      return '';
  }
}

/** format_type(type, typmod); typmod null means "no typmod known". */
export function formatType(typeOid: number, typmod: number | null): string {
  if (typeOid === 0) return '-';
  const t = typeByOid(typeOid);
  if (!t) return '???';
  if (t.elem !== undefined) {
    const elem = typeByOid(t.elem)!;
    // an array of bpchar with an explicit -1 typmod prints as bpchar[], like the element would
    return formatBase(elem.oid, elem.sqlName, typmod, elem.name) + '[]';
  }
  return formatBase(t.oid, t.sqlName, typmod, t.name);
}

function formatBase(typeOid: number, sqlName: string, typmod: number | null, internalName: string): string {
  if (typeOid === OID.bpchar && typmod === -1) return internalName; // "bpchar": char without a length is char(1)
  if (typmod === null || typmod < 0) return sqlName;
  const suffix = typmodSuffix(typeOid, typmod);
  if (suffix === '') return sqlName;
  // time and timestamp put the precision before "with(out) time zone"
  if (typeOid === OID.timestamp) return `timestamp${suffix} without time zone`;
  if (typeOid === OID.timestamptz) return `timestamp${suffix} with time zone`;
  if (typeOid === OID.time) return `time${suffix} without time zone`;
  if (typeOid === OID.timetz) return `time${suffix} with time zone`;
  return sqlName + suffix;
}

// ---- settings -----------------------------------------------------------------

function setConfig(args: (string | boolean | null)[], hooks: { setSetting(n: string, v: string, l: boolean): string }): string {
  const [settingName, value, isLocal] = args as [string | null, string | null, boolean | null];
  if (settingName === null) throw new PgError(SQLSTATE.null_value_not_allowed, 'SET requires parameter name');
  if (value === null) {
    // PostgreSQL resets the setting to its default here; the session hooks cannot express that yet.
    throw new PgError(SQLSTATE.feature_not_supported, 'set_config() with a NULL value is not supported');
  }
  return hooks.setSetting(settingName, value, isLocal ?? false);
}

registerFunction(
  fn('version', [], text, (_a, ctx) => versionString(ctx.hooks.serverVersion()), { volatility: 'stable' }),
  fn('current_database', [], name, (_a, ctx) => ctx.hooks.currentDatabase(), { volatility: 'stable' }),
  fn('current_schema', [], name, (_a, ctx) => ctx.hooks.currentSchema(), { volatility: 'stable' }),
  fn('current_user', [], name, (_a, ctx) => ctx.hooks.currentUser(), { volatility: 'stable' }),
  fn('session_user', [], name, (_a, ctx) => ctx.hooks.sessionUser(), { volatility: 'stable' }),
  fn('pg_backend_pid', [], int4, (_a, ctx) => ctx.hooks.backendPid(), { volatility: 'stable' }),
  fn('pg_cancel_backend', [int4], bool, (a: number[], ctx) => ctx.hooks.cancelBackend(a[0]!), { volatility: 'volatile' }),
  fn('pg_terminate_backend', [int4], bool, (a: number[], ctx) => ctx.hooks.terminateBackend(a[0]!), {
    volatility: 'volatile',
  }),
  fn(
    'pg_sleep',
    [float8],
    voidType,
    (a: number[], ctx) => {
      const secs = a[0]!;
      if (secs > 0) ctx.hooks.requestSleep(secs);
      return '';
    },
    { volatility: 'volatile' },
  ),
  fn('pg_notify', [text, text], voidType, (a: (string | null)[], ctx) => pgNotify(a[0]!, a[1]!, ctx.hooks), {
    strict: false,
    volatility: 'volatile',
  }),
  fn('current_setting', [text], text, (a: string[], ctx) => ctx.hooks.getSetting(a[0]!, false), { volatility: 'stable' }),
  fn('current_setting', [text, bool], text, (a: [string, boolean], ctx) => ctx.hooks.getSetting(a[0], a[1]), {
    volatility: 'stable',
  }),
  fn('set_config', [text, text, bool], text, (a: (string | boolean | null)[], ctx) => setConfig(a, ctx.hooks), {
    strict: false,
    volatility: 'volatile',
  }),
  // Returns the type's OID; regtype output prints it as the type name.
  fn('pg_typeof', [OID.any], regtype, (_a, _ctx, argTypes: number[]) => argTypes[0]!, {
    strict: false,
    volatility: 'stable',
  }),
  fn('format_type', [oid, int4], text, (a: (number | null)[]) => (a[0] === null ? null : formatType(a[0]!, a[1] ?? null)), {
    strict: false,
    volatility: 'stable',
  }),
  fn('pg_is_in_recovery', [], bool, () => false, { volatility: 'volatile' }),
  fn('pg_client_encoding', [], name, () => 'UTF8', { volatility: 'stable' }),
  fn('pg_postmaster_start_time', [], timestamptz, () => START_TIME, { volatility: 'stable' }),
  fn('now', [], timestamptz, (_a, ctx) => ctx.transactionTimestamp, { volatility: 'stable' }),
  fn('transaction_timestamp', [], timestamptz, (_a, ctx) => ctx.transactionTimestamp, { volatility: 'stable' }),
  fn('statement_timestamp', [], timestamptz, (_a, ctx) => ctx.statementTimestamp, { volatility: 'stable' }),
  fn('clock_timestamp', [], timestamptz, () => clockTimestamp(), { volatility: 'volatile' }),
  fn('timeofday', [], text, (_a, ctx) => timeOfDay(clockTimestamp(), ctx.io.timeZone), { volatility: 'volatile' }),
);
