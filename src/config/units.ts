// Units of integer settings, as PostgreSQL 11's GUC machinery understands
// them: a setting has one base unit (what its value is stored in), users may
// write any unit of the same kind, and SHOW prints the largest unit that
// divides the value exactly ("60000" ms shows as "1min").

export type TimeUnit = 'ms' | 's' | 'min';
export type MemoryUnit = 'kB' | 'MB';
export type SettingUnit = TimeUnit | MemoryUnit;

interface UnitFactor {
  unit: string;
  /** Positive: one `unit` is this many base units. Negative: one base unit is -factor `unit`s. */
  factor: number;
}

// Ordered from the largest unit to the smallest (display relies on it).
const TIME_TABLES: Record<TimeUnit, UnitFactor[]> = {
  ms: [
    { unit: 'd', factor: 86_400_000 },
    { unit: 'h', factor: 3_600_000 },
    { unit: 'min', factor: 60_000 },
    { unit: 's', factor: 1000 },
    { unit: 'ms', factor: 1 },
  ],
  s: [
    { unit: 'd', factor: 86_400 },
    { unit: 'h', factor: 3600 },
    { unit: 'min', factor: 60 },
    { unit: 's', factor: 1 },
    { unit: 'ms', factor: -1000 },
  ],
  min: [
    { unit: 'd', factor: 1440 },
    { unit: 'h', factor: 60 },
    { unit: 'min', factor: 1 },
    { unit: 's', factor: -60 },
    { unit: 'ms', factor: -60_000 },
  ],
};

const MEMORY_TABLES: Record<MemoryUnit, UnitFactor[]> = {
  kB: [
    { unit: 'TB', factor: 1024 * 1024 * 1024 },
    { unit: 'GB', factor: 1024 * 1024 },
    { unit: 'MB', factor: 1024 },
    { unit: 'kB', factor: 1 },
    { unit: 'B', factor: -1024 },
  ],
  MB: [
    { unit: 'TB', factor: 1024 * 1024 },
    { unit: 'GB', factor: 1024 },
    { unit: 'MB', factor: 1 },
    { unit: 'kB', factor: -1024 },
    { unit: 'B', factor: -1024 * 1024 },
  ],
};

export const TIME_UNITS_HINT = 'Valid units for this parameter are "ms", "s", "min", "h", and "d".';
export const MEMORY_UNITS_HINT = 'Valid units for this parameter are "B", "kB", "MB", "GB", and "TB".';
export const INTEGER_RANGE_HINT = 'Value exceeds integer range.';

export const INT32_MAX = 2147483647;
export const INT32_MIN = -2147483648;

function tableFor(base: SettingUnit): UnitFactor[] {
  return base === 'kB' || base === 'MB' ? MEMORY_TABLES[base] : TIME_TABLES[base];
}

export function isMemoryUnit(unit: SettingUnit): unit is MemoryUnit {
  return unit === 'kB' || unit === 'MB';
}

export function unitsHint(base: SettingUnit): string {
  return isMemoryUnit(base) ? MEMORY_UNITS_HINT : TIME_UNITS_HINT;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * C strtol(s, &end, 0): optional leading space and sign, then hex ("0x"),
 * octal (leading "0") or decimal digits. Returns the value and where parsing
 * stopped (`end === start` means no digits).
 */
function strtol(s: string): { value: number; end: number } {
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let negative = false;
  if (s[i] === '+' || s[i] === '-') {
    negative = s[i] === '-';
    i++;
  }
  let radix = 10;
  if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && /[0-9a-fA-F]/.test(s[i + 2] ?? '')) {
    radix = 16;
    i += 2;
  } else if (s[i] === '0') {
    radix = 8;
  }
  const digitsStart = i;
  let value = 0;
  for (; i < s.length; i++) {
    const d = parseInt(s[i]!, radix);
    if (Number.isNaN(d)) break;
    value = value * radix + d;
  }
  if (i === digitsStart) return { value: 0, end: 0 };
  return { value: negative ? -value : value, end: i };
}

export type IntParseResult = { ok: true; value: number } | { ok: false; hint?: string };

/**
 * Parses an integer setting value the way PostgreSQL 11 does: an integer
 * (decimal, 0x hex or 0-prefixed octal), optional spaces, then optionally a
 * unit (case-sensitive) when the setting has one. Converting to a coarser base
 * unit truncates ("1500ms" is 1 for a setting in seconds). Fractions are not
 * accepted (PostgreSQL 12 started rounding them).
 */
export function parseIntWithUnit(text: string, base: SettingUnit | undefined): IntParseResult {
  const { value, end } = strtol(text);
  if (end === 0) return { ok: false };
  if (!Number.isSafeInteger(value) || value > INT32_MAX || value < INT32_MIN) {
    return { ok: false, hint: INTEGER_RANGE_HINT };
  }
  let i = end;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  if (i === text.length) return { ok: true, value };
  if (base === undefined) return { ok: false };
  const unitStart = i;
  while (i < text.length && isAsciiLetter(text.charCodeAt(i))) i++;
  const unit = text.slice(unitStart, i);
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  const entry = tableFor(base).find((u) => u.unit === unit);
  if (entry === undefined || i !== text.length) return { ok: false, hint: unitsHint(base) };
  const converted = entry.factor > 0 ? value * entry.factor : Math.trunc(value / -entry.factor);
  if (converted > INT32_MAX || converted < INT32_MIN) return { ok: false, hint: INTEGER_RANGE_HINT };
  return { ok: true, value: converted };
}

/** How SHOW prints an integer setting: positive values get the largest exact unit. */
export function formatIntWithUnit(value: number, base: SettingUnit | undefined): string {
  if (base === undefined || value <= 0) return String(value);
  for (const u of tableFor(base)) {
    if (u.factor < 0) return `${value * -u.factor}${u.unit}`;
    if (value % u.factor === 0) return `${value / u.factor}${u.unit}`;
  }
  return String(value);
}

function parseInBase(text: string, base: SettingUnit, kind: string): number {
  const r = parseIntWithUnit(text, base);
  if (!r.ok) throw new RangeError(`invalid ${kind} "${text}"${r.hint ? `: ${r.hint}` : ''}`);
  return r.value;
}

/**
 * Parses a memory amount such as "256MB", "8kB" or "1024" (a bare number is
 * already in `base`) into `base` units. Throws RangeError on bad input.
 */
export function parseMemory(text: string, base: MemoryUnit = 'kB'): number {
  return parseInBase(text, base, 'memory amount');
}

/**
 * Parses a duration such as "50ms", "5s" or "1min" (a bare number is already
 * in `base`) into `base` units. Throws RangeError on bad input.
 */
export function parseDuration(text: string, base: TimeUnit = 'ms'): number {
  return parseInBase(text, base, 'duration');
}
