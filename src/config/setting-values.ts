// Turning a setting's text into its typed value (with PostgreSQL's errors)
// and its typed value back into the text SHOW prints.
import { PgError, SQLSTATE } from '../errors.js';
import { CheckFailure } from './check-failure.js';
import type { SettingDef, SettingValue } from './settings-definitions.js';
import { formatIntWithUnit, parseIntWithUnit } from './units.js';

/**
 * PostgreSQL's parse_bool: true/false/yes/no/on/off (and unique prefixes,
 * "o" alone being ambiguous), 1 and 0, any letter case.
 */
export function parseBool(text: string): boolean | undefined {
  const v = text.toLowerCase();
  if (v.length === 0) return undefined;
  const prefixOf = (word: string, minLen: number) => v.length >= minLen && word.startsWith(v);
  switch (v[0]) {
    case 't': return prefixOf('true', 1) ? true : undefined;
    case 'f': return prefixOf('false', 1) ? false : undefined;
    case 'y': return prefixOf('yes', 1) ? true : undefined;
    case 'n': return prefixOf('no', 1) ? false : undefined;
    case 'o':
      if (prefixOf('on', 2)) return true;
      if (prefixOf('off', 2)) return false;
      return undefined;
    case '1': return v === '1' ? true : undefined;
    case '0': return v === '0' ? false : undefined;
    default: return undefined;
  }
}

const REAL_RE = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const INFINITY_RE = /^\s*[+-]?inf(inity)?\s*$/i;

function parseReal(text: string): number | undefined {
  if (REAL_RE.test(text)) return Number(text);
  if (INFINITY_RE.test(text)) return text.includes('-') ? -Infinity : Infinity;
  return undefined;
}

/** C's printf("%g"): 6 significant digits, trailing zeros dropped, exponent form outside 1e-4 .. 1e6. */
export function formatG(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(Number(v.toPrecision(6)))));
  if (exp < -4 || exp >= 6) {
    const [mant, e] = v.toExponential(5).split('e') as [string, string];
    const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
    const en = Number(e);
    return `${m}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  }
  const fixed = v.toFixed(Math.max(0, 5 - exp));
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

export function invalidValueError(name: string, value: string, fields: { detail?: string; hint?: string } = {}): PgError {
  return new PgError(SQLSTATE.invalid_parameter_value, `invalid value for parameter "${name}": "${value}"`, fields);
}

/**
 * Parses `text` as a value of `def`. `nameForErrors` is the name as the user
 * wrote it (PostgreSQL's messages for ints, reals, booleans and enums use it;
 * validation hooks report the canonical name). `current` is the value in
 * effect, which some hooks build on (DateStyle). Throws PgError.
 */
export function parseSettingValue(def: SettingDef, text: string, nameForErrors: string, current: SettingValue): SettingValue {
  switch (def.type) {
    case 'bool': {
      const b = parseBool(text);
      if (b === undefined) {
        throw new PgError(SQLSTATE.invalid_parameter_value, `parameter "${nameForErrors}" requires a Boolean value`);
      }
      if (def.checkBool) runCheck(def, text, () => def.checkBool!(b));
      return b;
    }
    case 'int': {
      const r = parseIntWithUnit(text, def.unit);
      if (!r.ok) throw invalidValueError(nameForErrors, text, { hint: r.hint });
      if (r.value < def.min! || r.value > def.max!) {
        throw new PgError(
          SQLSTATE.invalid_parameter_value,
          `${r.value} is outside the valid range for parameter "${nameForErrors}" (${def.min} .. ${def.max})`,
        );
      }
      return r.value;
    }
    case 'real': {
      const v = parseReal(text);
      if (v === undefined) throw invalidValueError(nameForErrors, text);
      if (v < def.min! || v > def.max!) {
        throw new PgError(
          SQLSTATE.invalid_parameter_value,
          `${formatG(v)} is outside the valid range for parameter "${nameForErrors}" (${formatG(def.min!)} .. ${formatG(def.max!)})`,
        );
      }
      return v;
    }
    case 'enum': {
      const lower = text.toLowerCase();
      const hit = def.values!.find((v) => v === lower) ?? def.enumAliases?.[lower];
      if (hit === undefined) {
        throw invalidValueError(nameForErrors, text, { hint: `Available values: ${def.values!.join(', ')}.` });
      }
      return hit;
    }
    case 'string':
      return def.checkString ? runCheck(def, text, () => def.checkString!(text, String(current))) : text;
  }
}

function runCheck<T>(def: SettingDef, text: string, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (!(e instanceof CheckFailure)) throw e;
    if (e.replacesMessage) throw new PgError(e.code!, e.message, { detail: e.detail, hint: e.hint });
    throw invalidValueError(def.name, text, { detail: e.detail, hint: e.hint });
  }
}

/** The text SHOW prints for a value of `def`. */
export function formatSettingValue(def: SettingDef, value: SettingValue): string {
  switch (def.type) {
    case 'bool': return value ? 'on' : 'off';
    case 'int': return formatIntWithUnit(value as number, def.unit);
    case 'real': return formatG(value as number);
    default: return value as string;
  }
}
