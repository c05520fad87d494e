// The configuration system's public surface: the registry classes, the
// settings table, the configuration-file reader and helpers others call.
export { ServerSettings, ConfigError } from './server-settings.js';
export type { ServerSettingsOptions, SettingsLogger, SettingSource, SettingChangeListener } from './server-settings.js';
export { SessionSettings } from './session-settings.js';
export type { SessionSettingsOptions, SavepointToken, ShowAllRow } from './session-settings.js';
export type { SetArg, SetArg as SettingArg } from './set-args.js';
export {
  SETTING_DEFINITIONS,
  REPORTED_SETTINGS,
  SERVER_VERSION,
  SERVER_VERSION_NUM,
  findSetting,
} from './settings-definitions.js';
export type { SettingDef, SettingType, SettingValue, SettingContext } from './settings-definitions.js';
export { readConfFile, parseConfText, MAX_INCLUDE_DEPTH } from './conf-file.js';
export type { ConfItem, ConfFileError, ConfFileResult } from './conf-file.js';
export { parseStartupOptions, splitStartupOptions } from './startup-options.js';
export { parseMemory, parseDuration, parseIntWithUnit, formatIntWithUnit } from './units.js';
export type { SettingUnit, TimeUnit, MemoryUnit } from './units.js';
export { parseBool } from './setting-values.js';
export { quoteIdentifier, splitIdentifierList } from './identifiers.js';
export { renderExampleConf, EXAMPLE_CONF_PATH } from './example-conf.js';
