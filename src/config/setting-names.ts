// Resolving a setting name to its definition, or to a custom placeholder
// ("myapp.tenant"), with PostgreSQL's errors for names that are neither.
import { PgError, SQLSTATE } from '../errors.js';
import { findSetting, RESERVED_PREFIX, SETTING_KEYS, type SettingDef } from './settings-definitions.js';

export type ResolvedName =
  | { kind: 'defined'; def: SettingDef; key: string }
  | { kind: 'placeholder'; key: string };

const CUSTOM_NAME_RE = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)+$/;

export function unrecognizedParameter(name: string): PgError {
  return new PgError(SQLSTATE.undefined_object, `unrecognized configuration parameter "${name}"`);
}

/** Registry key of a setting: its canonical name in lower case. */
export function keyOf(def: SettingDef): string {
  return SETTING_KEYS.get(def) ?? def.name.toLowerCase();
}

/**
 * Resolves a name. Names with a dot that are not defined are custom
 * placeholders when `allowPlaceholder` (SET, config file, startup); their
 * form must be identifier.identifier and the "pipelinedb." prefix is
 * reserved. Anything else is 42704 unrecognized configuration parameter.
 */
export function resolveSettingName(name: string, allowPlaceholder: boolean): ResolvedName {
  const def = findSetting(name);
  if (def !== undefined) return { kind: 'defined', def, key: keyOf(def) };
  const dot = name.indexOf('.');
  if (!allowPlaceholder || dot < 0) throw unrecognizedParameter(name);
  if (!CUSTOM_NAME_RE.test(name)) {
    throw new PgError(SQLSTATE.invalid_name, `invalid configuration parameter name "${name}"`, {
      detail: 'Custom parameter names must be two or more simple identifiers separated by dots.',
    });
  }
  if (name.slice(0, dot).toLowerCase() === RESERVED_PREFIX) {
    throw new PgError(SQLSTATE.invalid_name, `invalid configuration parameter name "${name}"`, {
      detail: `"${RESERVED_PREFIX}" is a reserved prefix.`,
    });
  }
  return { kind: 'placeholder', key: name.toLowerCase() };
}
