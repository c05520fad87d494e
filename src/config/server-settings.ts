// Server-wide settings: built-in defaults, then the environment (TZ), then
// pipelinedb.conf, then command-line `-c` overrides, then facts the server
// sets itself (data_directory, config_file, hba_file). reload() re-reads the
// file like SIGHUP does in PostgreSQL.
import { join, resolve } from 'node:path';
import { PgError, SQLSTATE } from '../errors.js';
import { readConfFile, type ConfFileError, type ConfItem } from './conf-file.js';
import { resolveSettingName, unrecognizedParameter, type ResolvedName } from './setting-names.js';
import { formatSettingValue, parseSettingValue } from './setting-values.js';
import { RESERVED_PREFIX, SETTING_DEFINITIONS, type SettingDef, type SettingValue } from './settings-definitions.js';
import { timeZoneFromEnvironment } from './timezone.js';

export type SettingSource = 'default' | 'environment' | 'file' | 'command line' | 'override';

/** Where server messages go; pino loggers fit. */
export interface SettingsLogger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export interface ServerSettingsOptions {
  /** The data directory: sets data_directory, and the default config file and hba_file inside it. */
  dataDir?: string;
  /** The configuration file (default: <dataDir>/pipelinedb.conf; none when neither is given). */
  configFile?: string;
  /** Command-line settings (`-c name=value`); they override the file, also across reloads. */
  overrides?: Record<string, string>;
  /** Environment consulted for TZ (default: process.env). */
  env?: Record<string, string | undefined>;
  logger?: SettingsLogger;
}

/** A configuration that prevents the server from starting. */
export class ConfigError extends Error {
  readonly problems: readonly ConfFileError[];

  constructor(problems: ConfFileError[], summary: string) {
    super([...problems.map(describeProblem), summary].join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

function describeProblem(p: ConfFileError): string {
  if (p.line === 0 || p.message.includes(' line ')) return p.message;
  return `${p.message} (in file "${p.file}" line ${p.line})`;
}

interface Entry {
  value: SettingValue;
  source: SettingSource;
}

export type SettingChangeListener = (name: string, value: SettingValue) => void;

const CONFIG_FILE_NAME = 'pipelinedb.conf';
const HBA_FILE_NAME = 'pg_hba.conf';

const defaultLogger: SettingsLogger = {
  info: () => {},
  warn: (m) => console.warn(m),
  error: (m) => console.error(m),
};

/** The outcome of validating a configuration file's items. */
interface FileValues {
  /** The value each setting takes from the file (its last valid occurrence). */
  values: Map<SettingDef, { value: SettingValue; item: ConfItem }>;
  /** Settings the file names, valid or not: an invalid one keeps its current value instead of being reset. */
  named: Set<SettingDef>;
  placeholders: Map<string, string>;
  /** All problems in file order. */
  problems: ConfFileError[];
  /** The problems that are unrecognized names: a reload applies nothing when there is one. */
  unrecognized: ConfFileError[];
}

export class ServerSettings {
  readonly configFile: string | undefined;
  private readonly entries = new Map<SettingDef, Entry>();
  /** Custom "a.b" settings from the file or command line: lower-case name -> value. */
  private placeholders = new Map<string, string>();
  private readonly commandLinePlaceholders = new Map<string, string>();
  private readonly baseValues = new Map<SettingDef, Entry>();
  private readonly listeners = new Set<SettingChangeListener>();
  private readonly log: SettingsLogger;
  private gen = 0;

  /** Same as the constructor: reads the file; throws ConfigError when it or the overrides hold errors. */
  static load(opts: ServerSettingsOptions = {}): ServerSettings {
    return new ServerSettings(opts);
  }

  /** Throws ConfigError when the file or the command line holds errors. */
  constructor(opts: ServerSettingsOptions = {}) {
    this.log = opts.logger ?? defaultLogger;
    const dataDir = opts.dataDir !== undefined ? resolve(opts.dataDir) : undefined;
    this.configFile =
      opts.configFile !== undefined ? resolve(opts.configFile) : dataDir !== undefined ? join(dataDir, CONFIG_FILE_NAME) : undefined;

    for (const def of SETTING_DEFINITIONS) this.entries.set(def, { value: def.default, source: 'default' });
    const tz = this.definitionOf('TimeZone');
    this.entries.set(tz, { value: timeZoneFromEnvironment(opts.env ?? process.env), source: 'environment' });
    for (const [def, e] of this.entries) this.baseValues.set(def, e);

    if (this.configFile !== undefined) {
      const read = readConfFile(this.configFile);
      for (const n of read.notices) this.log.info(n);
      const checked = read.errors.length === 0 ? this.checkFileItems(read.items) : undefined;
      const problems = checked?.problems ?? read.errors;
      if (problems.length > 0) throw new ConfigError(problems, `configuration file "${this.configFile}" contains errors`);
      for (const [def, { value }] of checked!.values) this.entries.set(def, { value, source: 'file' });
      this.placeholders = checked!.placeholders;
    }

    const cmdProblems: ConfFileError[] = [];
    for (const [rawName, text] of Object.entries(opts.overrides ?? {})) {
      const name = rawName.replaceAll('-', '_');
      try {
        const r = resolveSettingName(name, true);
        if (r.kind === 'placeholder') {
          this.commandLinePlaceholders.set(r.key, text);
          continue;
        }
        if (r.def.context === 'internal') throw cannotChange(name);
        const value = parseSettingValue(r.def, text, name, this.entries.get(r.def)!.value);
        this.entries.set(r.def, { value, source: 'command line' });
      } catch (e) {
        if (!(e instanceof PgError)) throw e;
        cmdProblems.push({ code: e.code, message: e.message, file: 'command line', line: 0 });
      }
    }
    if (cmdProblems.length > 0) throw new ConfigError(cmdProblems, 'invalid command-line settings');

    if (dataDir !== undefined) {
      this.entries.set(this.definitionOf('data_directory'), { value: dataDir, source: 'override' });
      const hba = this.definitionOf('hba_file');
      const hbaValue = String(this.entries.get(hba)!.value);
      this.entries.set(hba, { value: resolve(dataDir, hbaValue === '' ? HBA_FILE_NAME : hbaValue), source: 'override' });
    }
    if (this.configFile !== undefined) {
      this.entries.set(this.definitionOf('config_file'), { value: this.configFile, source: 'override' });
    }
  }

  /** Increases each time a reload changes something; sessions compare it to pick changes up. */
  get generation(): number {
    return this.gen;
  }

  private definitionOf(name: string): SettingDef {
    const r = resolveSettingName(name, false);
    if (r.kind !== 'defined') throw unrecognizedParameter(name);
    return r.def;
  }

  /** Typed value of a setting (name or alias, any case); throws 42704 for unknown names. */
  get(name: string): SettingValue {
    return this.entries.get(this.definitionOf(name))!.value;
  }

  /** Value of an int or real setting. */
  getNumber(name: string): number {
    return this.typed(name, 'number') as number;
  }

  getBoolean(name: string): boolean {
    return this.typed(name, 'boolean') as boolean;
  }

  getString(name: string): string {
    return this.typed(name, 'string') as string;
  }

  private typed(name: string, type: 'number' | 'boolean' | 'string'): SettingValue {
    const v = this.get(name);
    if (typeof v !== type) throw new PgError(SQLSTATE.internal_error, `setting "${name}" is not of type ${type}`);
    return v;
  }

  /** The value as SHOW prints it. */
  show(name: string): string {
    const def = this.definitionOf(name);
    return formatSettingValue(def, this.entries.get(def)!.value);
  }

  source(name: string): SettingSource {
    return this.entries.get(this.definitionOf(name))!.source;
  }

  /** Value of a custom "a.b" setting given in the file or command line (lower-case key). */
  placeholderValue(key: string): string | undefined {
    return this.commandLinePlaceholders.get(key) ?? this.placeholders.get(key);
  }

  /** Internal: typed value by definition, for sessions. */
  valueOf(def: SettingDef): SettingValue {
    return this.entries.get(def)!.value;
  }

  /** Calls `listener(canonicalName, newValue)` for each setting a reload changes; returns an unsubscribe function. */
  onChange(listener: SettingChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Re-reads the configuration file. Settings changeable at reload take their
   * new values (or their defaults when removed from the file); changed
   * postmaster settings are logged and ignored. As in PostgreSQL, a syntax
   * error or an unrecognized name changes nothing, while an invalid value (or
   * a setting the file may not set) only leaves that setting as it was.
   * Returns the canonical names of changed settings.
   */
  reload(): string[] {
    if (this.configFile === undefined) return [];
    const read = readConfFile(this.configFile);
    for (const n of read.notices) this.log.info(n);
    const checked = read.errors.length === 0 ? this.checkFileItems(read.items) : undefined;
    if (checked === undefined || checked.unrecognized.length > 0) {
      // PostgreSQL stops at the name check and does not validate the values.
      for (const p of checked?.unrecognized ?? read.errors) this.log.error(describeProblem(p));
      this.log.error(`configuration file "${this.configFile}" contains errors; no changes were applied`);
      return [];
    }
    for (const p of checked.problems) this.log.error(describeProblem(p));
    let hasErrors = checked.problems.length > 0;
    const changed: string[] = [];
    for (const def of SETTING_DEFINITIONS) {
      const cur = this.entries.get(def)!;
      if (cur.source === 'command line' || cur.source === 'override' || def.context === 'internal') continue;
      const fromFile = checked.values.get(def);
      if (fromFile === undefined && (checked.named.has(def) || cur.source !== 'file')) continue;
      const next: Entry = fromFile !== undefined ? { value: fromFile.value, source: 'file' } : this.baseValues.get(def)!;
      if (formatSettingValue(def, next.value) === formatSettingValue(def, cur.value)) {
        this.entries.set(def, next);
        continue;
      }
      if (def.context === 'postmaster') {
        // PostgreSQL counts this as an error of the file too.
        this.log.warn(`parameter "${def.name}" cannot be changed without restarting the server`);
        hasErrors = true;
        continue;
      }
      this.entries.set(def, next);
      changed.push(def.name);
      this.log.info(
        fromFile !== undefined
          ? `parameter "${def.name}" changed to "${formatSettingValue(def, next.value)}"`
          : `parameter "${def.name}" removed from configuration file, reset to default`,
      );
    }
    this.placeholders = checked.placeholders;
    if (hasErrors) this.log.error(`configuration file "${this.configFile}" contains errors; unaffected changes were applied`);
    this.gen++;
    for (const name of changed) {
      const value = this.get(name);
      for (const l of this.listeners) l(name, value);
    }
    return changed;
  }

  /**
   * Validates the file's items against the definitions. As in PostgreSQL,
   * only the last occurrence of a name (spelled exactly the same) counts:
   * earlier ones are not even checked. Every unrecognized name is reported.
   */
  private checkFileItems(items: ConfItem[]): FileValues {
    const out: FileValues = { values: new Map(), named: new Set(), placeholders: new Map(), problems: [], unrecognized: [] };
    const lastIndex = new Map<string, number>();
    for (let i = 0; i < items.length; i++) lastIndex.set(items[i]!.name, i);
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      let resolved: ResolvedName;
      try {
        resolved = resolveSettingName(item.name, true);
      } catch (e) {
        if (!(e instanceof PgError)) throw e;
        if (hasReservedPrefix(item.name)) {
          // A well-formed name under our own prefix: an error of this line only.
          out.problems.push({ code: e.code, message: e.message, file: item.file, line: item.line });
        } else {
          const problem = {
            code: SQLSTATE.undefined_object,
            message: `unrecognized configuration parameter "${item.name}" in file "${item.file}" line ${item.line}`,
            file: item.file,
            line: item.line,
          };
          out.problems.push(problem);
          out.unrecognized.push(problem);
        }
        continue;
      }
      if (lastIndex.get(item.name) !== i) continue;
      if (resolved.kind === 'placeholder') {
        out.placeholders.set(resolved.key, item.value);
        continue;
      }
      const def = resolved.def;
      out.named.add(def);
      try {
        if (def.context === 'internal' || def.notInFile) throw cannotChange(item.name);
        const current = out.values.get(def)?.value ?? this.baseValues.get(def)!.value;
        out.values.set(def, { value: parseSettingValue(def, item.value, item.name, current), item });
      } catch (e) {
        if (!(e instanceof PgError)) throw e;
        out.problems.push({ code: e.code, message: e.message, file: item.file, line: item.line });
      }
    }
    return out;
  }
}

function hasReservedPrefix(name: string): boolean {
  const dot = name.indexOf('.');
  return dot > 0 && name.slice(0, dot).toLowerCase() === RESERVED_PREFIX;
}

export function cannotChange(name: string): PgError {
  return new PgError(SQLSTATE.cant_change_runtime_param, `parameter "${name}" cannot be changed`);
}
