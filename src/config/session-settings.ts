// Per-connection settings layered over the server's: values from the
// StartupMessage, then SET / SET LOCAL / RESET with PostgreSQL's
// transactional behaviour (a SET inside a transaction that rolls back is
// undone; SET LOCAL lasts until the transaction ends; savepoints nest).
//
// Layers, highest first: values the session itself fixes (is_superuser,
// session_authorization), the value in effect in the current transaction,
// the startup-packet value, the server's value. "Following" (no entry) means
// falling through to the next layer, which is what RESET and SET ... TO
// DEFAULT do, so a reload of the file reaches sessions that did not SET.
import { PgError, SQLSTATE } from '../errors.js';
import type { TypeIoContext } from '../types/io-context.js';
import { defaultIoContext } from '../types/io-context.js';
import { parseCanonicalDateStyle } from './datestyle.js';
import { flattenSetArgs, type SetArg } from './set-args.js';
import { keyOf, resolveSettingName, unrecognizedParameter, type ResolvedName } from './setting-names.js';
import { formatSettingValue, parseSettingValue } from './setting-values.js';
import {
  compareSettingNames,
  findSetting,
  REPORTED_SETTINGS,
  SETTING_DEFINITIONS,
  type SettingDef,
  type SettingValue,
} from './settings-definitions.js';
import { cannotChange, type ServerSettings } from './server-settings.js';
import { parseStartupOptions } from './startup-options.js';

/** Settings whose value is fixed per transaction from a default (transaction_read_only ...). */
const TRANSACTION_SCOPED = SETTING_DEFINITIONS.filter((d) => d.transactionScopedDefault !== undefined);
/** Each transaction-scoped setting's key and the setting it starts from (looked up once). */
const TRANSACTION_SCOPED_SOURCES = TRANSACTION_SCOPED.map((def) => ({ key: keyOf(def), def, source: findSetting(def.transactionScopedDefault!)! }));
const SOURCE_OF = new Map(TRANSACTION_SCOPED_SOURCES.map((t) => [t.def, t.source]));

export interface SessionSettingsOptions {
  /** Whether the session's user is a superuser (is_superuser; allows superuser-context settings). */
  superuser?: boolean;
  /** session_authorization: the authenticated user name. */
  sessionUser?: string;
}

/** Identifies a savepoint level for release()/rollbackTo(). */
export interface SavepointToken {
  readonly depth: number;
}

export interface ShowAllRow {
  name: string;
  setting: string;
  description: string;
}

/** State of one setting when a transaction level first touched it. */
interface Snapshot {
  session: SettingValue | undefined;
  current: SettingValue | undefined;
}

const SHOW_ALL_DEFS: readonly SettingDef[] = SETTING_DEFINITIONS.filter((d) => !d.noShowAll).sort((a, b) =>
  compareSettingNames(a.name, b.name),
);

// Settings that feed the TypeIoContext.
const IO_KEYS = new Set(['datestyle', 'intervalstyle', 'timezone', 'extra_float_digits', 'bytea_output']);
const STARTUP_SKIPPED = new Set(['user', 'database', 'options', 'replication']);

function setTo(map: Map<string, SettingValue>, key: string, v: SettingValue | undefined): void {
  if (v === undefined) map.delete(key);
  else map.set(key, v);
}

export class SessionSettings {
  private readonly server: ServerSettings;
  /** Values fixed by the session (is_superuser, session_authorization); not transactional. */
  private readonly fixed = new Map<string, SettingValue>();
  /** From the StartupMessage: the session's reset values. */
  private readonly startup = new Map<string, SettingValue>();
  /** Value each setting keeps after the current transaction commits (SET without LOCAL). */
  private readonly sessionVals = new Map<string, SettingValue>();
  /** Value in effect now (includes SET LOCAL). */
  private readonly currentVals = new Map<string, SettingValue>();
  /** Custom placeholders known to this session: key -> name as first written. */
  private readonly placeholderNames = new Map<string, string>();
  /** levels[i] holds snapshots for transaction nesting level i + 1; created on first touch. */
  private levels: Array<Map<string, Snapshot> | undefined> = [];
  private depth = 0;
  /** transaction_* values fixed from their defaults when the current transaction started. */
  private readonly transactionDefaults = new Map<string, SettingValue>();
  private readonly io: TypeIoContext = defaultIoContext();
  private readonly lastReported = new Map<string, string>();
  /** Reported settings SET since the last reportedChanges() (reported even when unchanged, as PostgreSQL 11 does). */
  private readonly forcedReports = new Set<string>();
  private reportCheckNeeded = false;
  private seenGeneration: number;

  /** A session's settings after applying its StartupMessage parameters (errors are FATAL PgErrors). */
  static forStartup(
    server: ServerSettings,
    params: Record<string, string> | Iterable<readonly [string, string]>,
    opts: SessionSettingsOptions = {},
  ): SessionSettings {
    const s = new SessionSettings(server, opts);
    s.applyStartupParameters(params);
    return s;
  }

  constructor(server: ServerSettings, opts: SessionSettingsOptions = {}) {
    this.server = server;
    this.fixed.set('is_superuser', opts.superuser ?? false);
    this.fixed.set('session_authorization', opts.sessionUser ?? '');
    this.seenGeneration = server.generation;
    this.refreshIo();
  }

  // ---------------------------------------------------------------- reading

  /** The definition behind a name or alias (any case); undefined for unknown names and placeholders. */
  definition(name: string): SettingDef | undefined {
    return findSetting(name);
  }

  /** The name SHOW uses as its column name: the canonical spelling ("DateStyle", "pipelinedb.num_workers"). */
  canonicalName(name: string): string {
    const r = this.resolveExisting(name);
    return r.kind === 'defined' ? r.def.name : this.placeholderNames.get(r.key) ?? name;
  }

  /** Typed value in effect; throws 42704 for unknown names. Placeholders are strings. */
  get(name: string): SettingValue {
    const r = this.resolveExisting(name);
    return r.kind === 'defined' ? this.effective(r.def) : this.placeholderValue(r.key);
  }

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

  /** The value as SHOW prints it; throws 42704 for unknown names. */
  show(name: string): string {
    const r = this.resolveExisting(name);
    return r.kind === 'defined' ? formatSettingValue(r.def, this.effective(r.def)) : this.placeholderValue(r.key);
  }

  /** SHOW ALL: every visible setting, ordered by name as PostgreSQL orders them. */
  showAll(): ShowAllRow[] {
    return SHOW_ALL_DEFS.map((def) => ({
      name: def.name,
      setting: formatSettingValue(def, this.effective(def)),
      description: def.description,
    }));
  }

  /** current_setting(name [, missing_ok]): null for unknown names when missingOk. */
  currentSetting(name: string, missingOk = false): string | null {
    try {
      return this.show(name);
    } catch (e) {
      if (missingOk && e instanceof PgError && (e.code === SQLSTATE.undefined_object || e.code === SQLSTATE.invalid_name)) {
        return null;
      }
      throw e;
    }
  }

  get isSuperuser(): boolean {
    return this.fixed.get('is_superuser') === true;
  }

  /**
   * The I/O context for value input/output. Always the same object, updated
   * in place whenever DateStyle, IntervalStyle, TimeZone, extra_float_digits
   * or bytea_output change (SET, RESET, transaction end, reload).
   */
  ioContext(): TypeIoContext {
    return this.io;
  }

  // ---------------------------------------------------------------- writing

  /**
   * SET name = args / SET name TO DEFAULT (args null) / SET LOCAL (local).
   * `value` is either the SET argument list (built into text as PostgreSQL
   * does) or already-built text (set_config, startup). Throws PgError:
   * 42704 unknown name, 55P02 not changeable now, 42501 superuser-only,
   * 22023 bad value. SET LOCAL outside a transaction has no effect (the
   * caller warns "SET LOCAL can only be used in transaction blocks").
   */
  set(name: string, value: readonly SetArg[] | string | null, local = false): void {
    const def = findSetting(name);
    const text = Array.isArray(value) ? flattenSetArgs(name, def, value) : (value as string | null);
    const r = resolveSettingName(name, true);
    if (r.kind === 'placeholder') {
      if (!this.placeholderNames.has(r.key)) this.placeholderNames.set(r.key, name);
      this.apply(r.key, text === null ? undefined : text, local);
      return;
    }
    this.checkContext(r.def, name);
    const parsed = text === null ? undefined : parseSettingValue(r.def, text, name, this.effective(r.def));
    this.apply(r.key, parsed, local || r.def.transactionScopedDefault !== undefined);
  }

  /** SET name TO DEFAULT / SET LOCAL name TO DEFAULT; RESET name is setDefault(name, false). */
  setDefault(name: string, local = false): void {
    this.set(name, null, local);
  }

  /** RESET name: back to the startup-packet or server value (transactional like SET). */
  reset(name: string): void {
    this.set(name, null);
  }

  /** RESET ALL: resets every user- and superuser-settable setting and this session's placeholders. */
  resetAll(): void {
    for (const def of SETTING_DEFINITIONS) {
      if (def.noResetAll || (def.context !== 'user' && def.context !== 'superuser')) continue;
      this.apply(keyOf(def), undefined, false);
    }
    for (const key of this.placeholderNames.keys()) this.apply(key, undefined, false);
  }

  /** set_config(name, value, is_local): null value means DEFAULT; returns the new value as SHOW prints it. */
  setConfig(name: string, value: string | null, isLocal: boolean): string {
    this.set(name, value, isLocal);
    return this.show(name);
  }

  /**
   * Values fixed by the session, outside SET and transactions: is_superuser
   * and session_authorization (after authentication or SET SESSION
   * AUTHORIZATION, whose role checks are the session's job).
   */
  setInternal(name: 'is_superuser' | 'session_authorization', value: SettingValue): void {
    const key = name.toLowerCase();
    this.fixed.set(key, value);
    this.forcedReports.add(key);
  }

  /**
   * Applies the StartupMessage parameters (user, database and replication are
   * skipped; `options` holds -c name=value / --name=value switches, applied
   * first, as PostgreSQL does). Errors are PgErrors with severity FATAL.
   */
  applyStartupParameters(params: Record<string, string> | Iterable<readonly [string, string]>): void {
    const list: Array<readonly [string, string]> = Symbol.iterator in params
      ? [...(params as Iterable<readonly [string, string]>)]
      : Object.entries(params as Record<string, string>);
    const pairs: Array<readonly [string, string]> = [];
    try {
      for (const [k, v] of list) if (k === 'options') pairs.push(...parseStartupOptions(v));
    } catch (e) {
      throw fatal(e);
    }
    for (const [k, v] of list) {
      if (!STARTUP_SKIPPED.has(k) && !k.startsWith('_pq_.')) pairs.push([k, v]);
    }
    for (const [name, text] of pairs) {
      try {
        const r = resolveSettingName(name, true);
        if (r.kind === 'placeholder') {
          if (!this.placeholderNames.has(r.key)) this.placeholderNames.set(r.key, name);
          this.startup.set(r.key, text);
          continue;
        }
        this.checkContext(r.def, name);
        this.startup.set(r.key, parseSettingValue(r.def, text, name, this.effective(r.def)));
      } catch (e) {
        throw fatal(e);
      }
    }
    this.refreshIo();
    this.reportCheckNeeded = true;
  }

  // ------------------------------------------------------------ transactions

  /** These transaction hooks as one object (begin/commit/rollback/savepoint/rollbackTo/release). */
  transactionParticipant(): {
    begin(): void;
    commit(): void;
    rollback(): void;
    savepoint(): SavepointToken;
    rollbackTo(token: unknown): void;
    release(token: unknown): void;
  } {
    return {
      begin: () => this.beginTransaction(),
      commit: () => this.commit(),
      rollback: () => this.rollback(),
      savepoint: () => this.savepoint(),
      rollbackTo: (t) => this.rollbackTo(t as SavepointToken),
      release: (t) => this.release(t as SavepointToken),
    };
  }

  /** Call when a transaction starts (explicit BEGIN or an implicit one around a statement). */
  beginTransaction(): void {
    if (this.levels.length > 0) this.levels = [];
    this.depth = 1;
    // transaction_read_only and friends start from their defaults as they are now;
    // changing a default later in the transaction does not change them.
    this.transactionDefaults.clear();
    for (const t of TRANSACTION_SCOPED_SOURCES) this.transactionDefaults.set(t.key, this.effective(t.source));
  }

  /** Transaction committed: SET values stay, SET LOCAL values end. */
  commit(): void {
    const touched = this.touchedKeys();
    this.levels = [];
    this.depth = 0;
    if (touched === undefined) return;
    for (const key of touched) setTo(this.currentVals, key, this.sessionVals.get(key));
    this.afterChange(touched);
  }

  /** Transaction rolled back: every SET made in it is undone. */
  rollback(): void {
    const touched = this.touchedKeys();
    for (let i = this.levels.length - 1; i >= 0; i--) this.restore(this.levels[i]);
    this.levels = [];
    this.depth = 0;
    if (touched !== undefined) this.afterChange(touched);
  }

  /** SAVEPOINT: opens a nested level; returns its token. */
  savepoint(): SavepointToken {
    if (this.depth === 0) throw new PgError(SQLSTATE.no_active_sql_transaction, 'SAVEPOINT can only be used in transaction blocks');
    this.depth++;
    return { depth: this.depth };
  }

  /** RELEASE SAVEPOINT: the level's SETs become part of the enclosing level. */
  release(token: SavepointToken): void {
    while (this.depth >= token.depth && this.depth > 1) {
      const top = this.levels[this.depth - 1];
      this.levels.length = this.depth - 1;
      this.depth--;
      if (top === undefined) continue;
      const below = this.level(this.depth);
      for (const [k, snap] of top) if (!below.has(k)) below.set(k, snap);
    }
  }

  /** ROLLBACK TO SAVEPOINT: undoes SETs made since the savepoint; the savepoint stays open. */
  rollbackTo(token: SavepointToken): void {
    const touched = new Set<string>();
    while (this.depth >= token.depth && this.depth > 1) {
      const top = this.levels[this.depth - 1];
      if (top !== undefined) for (const k of top.keys()) touched.add(k);
      this.restore(top);
      this.levels.length = this.depth - 1;
      if (this.depth === token.depth) break;
      this.depth--;
    }
    if (touched.size > 0) this.afterChange(touched);
  }

  // ------------------------------------------------------- ParameterStatus

  /** Every reported setting with its current value, for the ParameterStatus burst after authentication. */
  reportedAll(): Array<[string, string]> {
    this.syncWithServer();
    const out: Array<[string, string]> = [];
    for (const def of REPORTED_SETTINGS) {
      const v = formatSettingValue(def, this.effective(def));
      this.lastReported.set(keyOf(def), v);
      out.push([def.name, v]);
    }
    this.forcedReports.clear();
    this.reportCheckNeeded = false;
    return out;
  }

  /**
   * Reported settings to send as ParameterStatus now: those SET since the
   * last call (even to the same value) and those whose value changed
   * (transaction end, reload). Cheap when nothing happened.
   */
  reportedChanges(): Array<[string, string]> {
    if (!this.reportCheckNeeded && this.forcedReports.size === 0) return [];
    const out: Array<[string, string]> = [];
    for (const def of REPORTED_SETTINGS) {
      const key = keyOf(def);
      const v = formatSettingValue(def, this.effective(def));
      if (this.forcedReports.has(key) || this.lastReported.get(key) !== v) {
        this.lastReported.set(key, v);
        out.push([def.name, v]);
      }
    }
    this.forcedReports.clear();
    this.reportCheckNeeded = false;
    return out;
  }

  /**
   * Picks up a configuration reload. Call while idle, before reading the next
   * command (PostgreSQL applies SIGHUP between commands too); reads of
   * individual settings always see the server's current values.
   */
  syncWithServer(): void {
    if (this.server.generation === this.seenGeneration) return;
    this.seenGeneration = this.server.generation;
    this.refreshIo();
    this.reportCheckNeeded = true;
  }

  // ---------------------------------------------------------------- internals

  private resolveExisting(name: string): ResolvedName {
    const def = findSetting(name);
    if (def !== undefined) return { kind: 'defined', def, key: keyOf(def) };
    const key = name.toLowerCase();
    if (this.placeholderNames.has(key) || this.server.placeholderValue(key) !== undefined) {
      return { kind: 'placeholder', key };
    }
    throw unrecognizedParameter(name);
  }

  private effective(def: SettingDef): SettingValue {
    const key = keyOf(def);
    const fixed = this.fixed.get(key);
    if (fixed !== undefined) return fixed;
    const cur = this.currentVals.get(key);
    if (cur !== undefined) return cur;
    if (def.transactionScopedDefault !== undefined) {
      return (this.depth > 0 ? this.transactionDefaults.get(key) : undefined) ?? this.effective(SOURCE_OF.get(def)!);
    }
    const st = this.startup.get(key);
    if (st !== undefined) return st;
    return this.server.valueOf(def);
  }

  private placeholderValue(key: string): string {
    const v = this.currentVals.get(key) ?? this.startup.get(key) ?? this.server.placeholderValue(key) ?? '';
    return String(v);
  }

  /** Who may change `def` from a session (SET, set_config, StartupMessage). */
  private checkContext(def: SettingDef, name: string): void {
    switch (def.context) {
      case 'internal':
        throw cannotChange(name);
      case 'postmaster':
        throw new PgError(SQLSTATE.cant_change_runtime_param, `parameter "${name}" cannot be changed without restarting the server`);
      case 'sighup':
        throw new PgError(SQLSTATE.cant_change_runtime_param, `parameter "${name}" cannot be changed now`);
      case 'superuser':
        if (!this.isSuperuser) {
          throw new PgError(SQLSTATE.insufficient_privilege, `permission denied to set parameter "${name}"`);
        }
        return;
      case 'user':
        return;
    }
  }

  private level(depth: number): Map<string, Snapshot> {
    let m = this.levels[depth - 1];
    if (m === undefined) {
      m = new Map();
      this.levels[depth - 1] = m;
    }
    return m;
  }

  /** Records `key`'s state at the current level before its first change there. */
  private snapshot(key: string): void {
    if (this.depth === 0) return;
    const lvl = this.level(this.depth);
    if (!lvl.has(key)) lvl.set(key, { session: this.sessionVals.get(key), current: this.currentVals.get(key) });
  }

  private restore(lvl: Map<string, Snapshot> | undefined): void {
    if (lvl === undefined) return;
    for (const [key, snap] of lvl) {
      setTo(this.sessionVals, key, snap.session);
      setTo(this.currentVals, key, snap.current);
    }
    lvl.clear();
  }

  /** Sets `key` to `value` (undefined: follow the startup/server value), for the session or, when local, for the transaction. */
  private apply(key: string, value: SettingValue | undefined, local: boolean): void {
    if (local) {
      if (this.depth === 0) return;
      this.snapshot(key);
      setTo(this.currentVals, key, value);
    } else {
      this.snapshot(key);
      setTo(this.sessionVals, key, value);
      setTo(this.currentVals, key, value);
    }
    if (REPORTED_KEYS.has(key)) this.forcedReports.add(key);
    if (IO_KEYS.has(key)) this.refreshIo();
  }

  private touchedKeys(): Set<string> | undefined {
    let out: Set<string> | undefined;
    for (const lvl of this.levels) {
      if (lvl === undefined || lvl.size === 0) continue;
      out ??= new Set();
      for (const k of lvl.keys()) out.add(k);
    }
    return out;
  }

  private afterChange(keys: Set<string>): void {
    let io = false;
    for (const k of keys) {
      if (REPORTED_KEYS.has(k)) this.reportCheckNeeded = true;
      if (IO_KEYS.has(k)) io = true;
    }
    if (io) this.refreshIo();
  }

  private refreshIo(): void {
    this.io.dateStyle = parseCanonicalDateStyle(this.effective(DEF_DATESTYLE) as string);
    this.io.intervalStyle = this.effective(DEF_INTERVALSTYLE) as TypeIoContext['intervalStyle'];
    this.io.timeZone = this.effective(DEF_TIMEZONE) as string;
    this.io.extraFloatDigits = this.effective(DEF_EXTRA_FLOAT_DIGITS) as number;
    this.io.byteaOutput = this.effective(DEF_BYTEA_OUTPUT) as TypeIoContext['byteaOutput'];
  }
}

const REPORTED_KEYS = new Set(REPORTED_SETTINGS.map(keyOf));
const DEF_DATESTYLE = findSetting('DateStyle')!;
const DEF_INTERVALSTYLE = findSetting('IntervalStyle')!;
const DEF_TIMEZONE = findSetting('TimeZone')!;
const DEF_EXTRA_FLOAT_DIGITS = findSetting('extra_float_digits')!;
const DEF_BYTEA_OUTPUT = findSetting('bytea_output')!;

function fatal(e: unknown): unknown {
  if (e instanceof PgError) e.severity = 'FATAL';
  return e;
}
