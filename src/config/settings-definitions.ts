// The table of every setting the server knows: PostgreSQL 11 settings that
// the server honours or that clients and dump files read or set, and
// PipelineDB 1.0's settings under their 1.0 names (pipelinedb.*) with their
// 0.9 names as aliases. Settings accepted only so that clients and dumps work
// say so in their description.
import { checkDateStyle, DEFAULT_DATESTYLE } from './datestyle.js';
import { checkClientEncoding, SERVER_ENCODING } from './encodings.js';
import { checkTimeZone } from './timezone.js';
import type { SettingUnit } from './units.js';
import { INT32_MAX } from './units.js';
import {
  checkDefaultTablespace,
  checkDefaultWithOids,
  checkIdentifierList,
  checkLocale,
  checkStandardConformingStrings,
  checkTimezoneAbbreviations,
  cleanAscii,
} from './value-checks.js';
import { SERVER_VERSION, SERVER_VERSION_NUM } from '../version.js';

export { SERVER_VERSION, SERVER_VERSION_NUM };

export type SettingType = 'bool' | 'int' | 'real' | 'string' | 'enum';
export type SettingValue = boolean | number | string;

/**
 * Where a setting may be changed: 'postmaster' only at server start (config
 * file or command line); 'sighup' also by reloading the config file;
 * 'superuser' by SET from a superuser session; 'user' by any session;
 * 'internal' never (read-only facts such as server_version).
 */
export type SettingContext = 'internal' | 'postmaster' | 'sighup' | 'superuser' | 'user';

export interface SettingDef {
  /** Canonical spelling (SHOW's column name). */
  readonly name: string;
  /** Other accepted names (PipelineDB 0.9). */
  readonly aliases?: readonly string[];
  readonly type: SettingType;
  /** Base unit of an int setting; values are stored in it. */
  readonly unit?: SettingUnit;
  readonly min?: number;
  readonly max?: number;
  /** Accepted values of an enum setting, as SHOW prints them. */
  readonly values?: readonly string[];
  /** Hidden spellings of enum values (accepted, not listed in hints). */
  readonly enumAliases?: Readonly<Record<string, string>>;
  readonly default: SettingValue;
  readonly context: SettingContext;
  readonly description: string;
  readonly category: string;
  /** Sent to clients in ParameterStatus (GUC_REPORT). */
  readonly report?: boolean;
  /** SET accepts a comma-separated list of values (GUC_LIST_INPUT). */
  readonly listInput?: boolean;
  /** List elements given as strings are quoted as identifiers (GUC_LIST_QUOTE). */
  readonly listQuote?: boolean;
  /** Hidden from SHOW ALL. */
  readonly noShowAll?: boolean;
  /** Left out of the example configuration file (and not allowed in it). */
  readonly notInFile?: boolean;
  /** Not touched by RESET ALL. */
  readonly noResetAll?: boolean;
  /**
   * A per-transaction setting: SET lasts until the transaction ends, and
   * outside SET it shows the value of this other setting (transaction_isolation
   * follows default_transaction_isolation).
   */
  readonly transactionScopedDefault?: string;
  /** Validates a string value; `current` is the value in effect. Returns the value to store. */
  readonly checkString?: (value: string, current: string) => string;
  readonly checkBool?: (value: boolean) => void;
}

const CONN = 'Connections and Authentication / Connection Settings';
const AUTH = 'Connections and Authentication / Authentication';
const SSL = 'Connections and Authentication / SSL';
const FILES = 'File Locations';
const LOG_WHEN = 'Reporting and Logging / When to Log';
const LOG_WHAT = 'Reporting and Logging / What to Log';
const STMT = 'Client Connection Defaults / Statement Behavior';
const LOCALE = 'Client Connection Defaults / Locale and Formatting';
const RESOURCE = 'Resource Usage / Memory';
const PLANNER = 'Query Tuning / Planner Method Configuration';
const COMPAT = 'Version and Platform Compatibility / Previous PostgreSQL Versions';
const PRESET = 'Preset Options';
const PIPELINE = 'PipelineDB / Continuous Queries';
const PIPELINE_STREAMS = 'PipelineDB / Streams';
const PIPELINE_RES = 'PipelineDB / Resource Usage';

const MESSAGE_LEVELS_CLIENT = ['debug5', 'debug4', 'debug3', 'debug2', 'debug1', 'log', 'notice', 'warning', 'error'];
const MESSAGE_LEVELS_SERVER = [
  'debug5', 'debug4', 'debug3', 'debug2', 'debug1', 'info', 'notice', 'warning', 'error', 'log', 'fatal', 'panic',
];
const ISOLATION_LEVELS = ['serializable', 'repeatable read', 'read committed', 'read uncommitted'];
const COMPAT_NOTE = ' Accepted for compatibility; it has no effect here.';

export const SETTING_DEFINITIONS: readonly SettingDef[] = [
  // --- Connections and authentication ---
  {
    name: 'listen_addresses', type: 'string', default: '127.0.0.1', context: 'postmaster', category: CONN, listInput: true,
    description: 'Comma-separated IP addresses or host names to listen on; "*" means all interfaces.',
  },
  {
    name: 'port', type: 'int', default: 5432, min: 1, max: 65535, context: 'postmaster', category: CONN,
    description: 'TCP port the server listens on.',
  },
  {
    name: 'max_connections', type: 'int', default: 100, min: 1, max: 262143, context: 'postmaster', category: CONN,
    description: 'Largest number of client sessions open at once.',
  },
  {
    name: 'superuser_reserved_connections', type: 'int', default: 3, min: 0, max: 262143, context: 'postmaster',
    category: CONN, description: 'How many of max_connections only superusers may use.',
  },
  {
    name: 'authentication_timeout', type: 'int', unit: 's', default: 60, min: 1, max: 600, context: 'sighup',
    category: AUTH, description: 'Longest time a client may take to finish authenticating.',
  },
  {
    name: 'password_encryption', type: 'enum', values: ['md5', 'scram-sha-256'],
    enumAliases: { on: 'md5', true: 'md5', yes: 'md5', '1': 'md5' }, default: 'scram-sha-256', context: 'user',
    category: AUTH,
    description: 'How CREATE/ALTER ROLE ... PASSWORD stores new passwords (PostgreSQL 11 defaulted to md5).',
  },
  {
    name: 'ssl', type: 'bool', default: false, context: 'sighup', category: SSL,
    description: 'Whether clients may upgrade connections to TLS.',
  },
  {
    name: 'ssl_cert_file', type: 'string', default: 'server.crt', context: 'sighup', category: SSL,
    description: 'TLS certificate file; relative paths are resolved against the data directory.',
  },
  {
    name: 'ssl_key_file', type: 'string', default: 'server.key', context: 'sighup', category: SSL,
    description: 'TLS private key file; relative paths are resolved against the data directory.',
  },

  // --- File locations (set by the server from its data directory) ---
  {
    name: 'data_directory', type: 'string', default: '', context: 'postmaster', category: FILES, notInFile: true,
    description: 'The data directory in use.',
  },
  {
    name: 'config_file', type: 'string', default: '', context: 'postmaster', category: FILES, notInFile: true,
    description: 'The main configuration file in use.',
  },
  {
    name: 'hba_file', type: 'string', default: '', context: 'postmaster', category: FILES,
    description: 'Host-based authentication file; empty means pg_hba.conf in the data directory.',
  },

  // --- Logging ---
  {
    name: 'log_min_messages', type: 'enum', values: MESSAGE_LEVELS_SERVER, default: 'warning', context: 'superuser',
    category: LOG_WHEN, description: 'Least severe message level written to the server log.',
  },
  {
    name: 'log_min_duration_statement', type: 'int', unit: 'ms', default: -1, min: -1, max: INT32_MAX,
    context: 'superuser', category: LOG_WHEN,
    description: 'Logs statements running at least this long; -1 turns it off, 0 logs all.',
  },
  {
    name: 'log_connections', type: 'bool', default: false, context: 'sighup', category: LOG_WHAT,
    description: 'Logs each connection attempt and successful authentication.',
  },
  {
    name: 'log_disconnections', type: 'bool', default: false, context: 'sighup', category: LOG_WHAT,
    description: 'Logs the end of each session with its duration.',
  },
  {
    name: 'log_statement', type: 'enum', values: ['none', 'ddl', 'mod', 'all'], default: 'none', context: 'superuser',
    category: LOG_WHAT, description: 'Which kinds of statements are written to the server log.',
  },

  // --- Client connection defaults: statement behaviour ---
  {
    name: 'client_min_messages', type: 'enum', values: MESSAGE_LEVELS_CLIENT, enumAliases: { info: 'info', debug: 'debug2' },
    default: 'notice', context: 'user', category: STMT,
    description: 'Least severe message level sent to the client.',
  },
  {
    name: 'search_path', type: 'string', default: '"$user", public', context: 'user', category: STMT,
    listInput: true, listQuote: true, checkString: checkIdentifierList,
    description: 'Schemas searched, in order, for names given without a schema.',
  },
  {
    name: 'default_tablespace', type: 'string', default: '', context: 'user', category: STMT,
    checkString: checkDefaultTablespace,
    description: 'Tablespace for new tables and indexes; only pg_default exists.' + COMPAT_NOTE,
  },
  {
    name: 'default_transaction_isolation', type: 'enum', values: ISOLATION_LEVELS, default: 'read committed',
    context: 'user', category: STMT, description: 'Isolation level new transactions start with.',
  },
  {
    name: 'default_transaction_read_only', type: 'bool', default: false, context: 'user', category: STMT,
    description: 'Whether new transactions start read-only.',
  },
  {
    name: 'default_transaction_deferrable', type: 'bool', default: false, context: 'user', category: STMT,
    description: 'Whether new serializable read-only transactions start deferrable.' + COMPAT_NOTE,
  },
  {
    name: 'transaction_isolation', type: 'enum', values: ISOLATION_LEVELS, default: 'read committed', context: 'user',
    category: STMT, notInFile: true, noResetAll: true, transactionScopedDefault: 'default_transaction_isolation',
    description: "The current transaction's isolation level.",
  },
  {
    name: 'transaction_read_only', type: 'bool', default: false, context: 'user', category: STMT, notInFile: true,
    noResetAll: true, transactionScopedDefault: 'default_transaction_read_only',
    description: 'Whether the current transaction is read-only.',
  },
  {
    name: 'transaction_deferrable', type: 'bool', default: false, context: 'user', category: STMT, notInFile: true,
    noResetAll: true, transactionScopedDefault: 'default_transaction_deferrable',
    description: 'Whether the current transaction is deferrable.' + COMPAT_NOTE,
  },
  {
    name: 'statement_timeout', type: 'int', unit: 'ms', default: 0, min: 0, max: INT32_MAX, context: 'user',
    category: STMT, description: 'Cancels statements running longer than this; 0 turns it off.',
  },
  // The planner method switches scripts often SET; accepted so those scripts run.
  ...['bitmapscan', 'hashagg', 'hashjoin', 'indexonlyscan', 'indexscan', 'material', 'mergejoin', 'nestloop', 'seqscan', 'sort', 'tidscan'].map(
    (method): SettingDef => ({
      name: `enable_${method}`, type: 'bool', default: true, context: 'user', category: PLANNER,
      description: 'Planner method switch.' + COMPAT_NOTE,
    }),
  ),
  {
    name: 'work_mem', type: 'int', unit: 'kB', default: 4096, min: 64, max: INT32_MAX, context: 'user',
    category: RESOURCE, description: 'Memory a sort or hash may use before spilling to disk.' + COMPAT_NOTE,
  },
  {
    name: 'maintenance_work_mem', type: 'int', unit: 'kB', default: 65536, min: 1024, max: INT32_MAX, context: 'user',
    category: RESOURCE, description: 'Memory for maintenance operations.' + COMPAT_NOTE,
  },
  {
    name: 'effective_cache_size', type: 'int', unit: 'kB', default: 4194304, min: 8, max: INT32_MAX, context: 'user',
    category: RESOURCE, description: "The planner's assumption about the size of the disk cache." + COMPAT_NOTE,
  },
  {
    name: 'synchronous_commit', type: 'enum', values: ['local', 'remote_write', 'remote_apply', 'on', 'off'], default: 'on',
    context: 'user', category: STMT, description: 'Synchronization level of transaction commits.' + COMPAT_NOTE,
  },
  {
    name: 'lock_timeout', type: 'int', unit: 'ms', default: 0, min: 0, max: INT32_MAX, context: 'user', category: STMT,
    description: 'Longest wait for a lock; 0 turns it off.' + COMPAT_NOTE,
  },
  {
    name: 'idle_in_transaction_session_timeout', type: 'int', unit: 'ms', default: 0, min: 0, max: INT32_MAX,
    context: 'user', category: STMT,
    description: 'Ends sessions that stay idle inside a transaction longer than this; 0 turns it off.',
  },
  {
    name: 'bytea_output', type: 'enum', values: ['escape', 'hex'], default: 'hex', context: 'user', category: STMT,
    description: 'Text output format of bytea values.',
  },
  {
    name: 'xmloption', type: 'enum', values: ['content', 'document'], default: 'content', context: 'user',
    category: STMT, description: 'Whether implicit XML parsing expects documents or content.' + COMPAT_NOTE,
  },
  {
    name: 'check_function_bodies', type: 'bool', default: true, context: 'user', category: STMT,
    description: 'Whether CREATE FUNCTION checks the function body.' + COMPAT_NOTE,
  },
  {
    name: 'row_security', type: 'bool', default: true, context: 'user', category: STMT,
    description: 'Whether row security policies apply.' + COMPAT_NOTE,
  },

  // --- Client connection defaults: locale and formatting ---
  {
    name: 'DateStyle', type: 'string', default: DEFAULT_DATESTYLE, context: 'user', category: LOCALE, report: true,
    listInput: true, checkString: checkDateStyle,
    description: 'Output format of dates and times, and the field order used to read ambiguous dates.',
  },
  {
    name: 'IntervalStyle', type: 'enum', values: ['postgres', 'postgres_verbose', 'sql_standard', 'iso_8601'],
    default: 'postgres', context: 'user', category: LOCALE, report: true,
    description: 'Output format of interval values.',
  },
  {
    name: 'TimeZone', type: 'string', default: 'UTC', context: 'user', category: LOCALE, report: true,
    checkString: (v) => checkTimeZone(v),
    description: 'Time zone used to display and read timestamps (default: TZ from the environment, else UTC).',
  },
  {
    name: 'timezone_abbreviations', type: 'string', default: 'Default', context: 'user', category: LOCALE,
    checkString: checkTimezoneAbbreviations,
    description: 'Set of time zone abbreviations accepted in timestamp input; only Default exists.',
  },
  {
    name: 'extra_float_digits', type: 'int', default: 0, min: -15, max: 3, context: 'user', category: LOCALE,
    description: 'Adjusts the digits printed for float4/float8 (PostgreSQL 11 rules: 3 prints exact values).',
  },
  {
    name: 'client_encoding', type: 'string', default: 'UTF8', context: 'user', category: LOCALE, report: true,
    checkString: (v) => checkClientEncoding(v),
    description: "The client's character encoding: UTF8 or SQL_ASCII (bytes passed through).",
  },
  {
    name: 'lc_messages', type: 'string', default: 'C', context: 'superuser', category: LOCALE, checkString: checkLocale,
    description: 'Language of messages; only the C locale exists.',
  },
  {
    name: 'lc_monetary', type: 'string', default: 'C', context: 'user', category: LOCALE, checkString: checkLocale,
    description: 'Locale for formatting money amounts; only the C locale exists.',
  },
  {
    name: 'lc_numeric', type: 'string', default: 'C', context: 'user', category: LOCALE, checkString: checkLocale,
    description: 'Locale for formatting numbers; only the C locale exists.',
  },
  {
    name: 'lc_time', type: 'string', default: 'C', context: 'user', category: LOCALE, checkString: checkLocale,
    description: 'Locale for formatting dates and times; only the C locale exists.',
  },
  {
    name: 'application_name', type: 'string', default: '', context: 'user', category: LOCALE, report: true,
    checkString: (v) => cleanAscii(v),
    description: 'Name of the client application, shown in statistics and logs.',
  },
  {
    name: 'cluster_name', type: 'string', default: '', context: 'postmaster', category: CONN,
    checkString: (v) => cleanAscii(v),
    description: 'Name identifying this server instance.' + COMPAT_NOTE,
  },

  // --- Compatibility with older PostgreSQL versions ---
  {
    name: 'standard_conforming_strings', type: 'bool', default: true, context: 'user', category: COMPAT, report: true,
    checkBool: checkStandardConformingStrings,
    description: "Whether '...' strings treat backslashes literally; only on is supported.",
  },
  {
    name: 'default_with_oids', type: 'bool', default: false, context: 'user', category: COMPAT,
    checkBool: checkDefaultWithOids,
    description: 'Whether new tables get OIDs; only off is supported.',
  },

  // --- Preset, read-only ---
  {
    name: 'server_version', type: 'string', default: SERVER_VERSION, context: 'internal', category: PRESET,
    report: true, notInFile: true, description: 'The PostgreSQL version this server presents itself as.',
  },
  {
    name: 'server_version_num', type: 'int', default: SERVER_VERSION_NUM, min: SERVER_VERSION_NUM,
    max: SERVER_VERSION_NUM, context: 'internal', category: PRESET, notInFile: true,
    description: 'The presented PostgreSQL version as an integer.',
  },
  {
    name: 'server_encoding', type: 'string', default: SERVER_ENCODING, context: 'internal', category: PRESET,
    report: true, notInFile: true, description: 'Character encoding of stored text.',
  },
  {
    name: 'integer_datetimes', type: 'bool', default: true, context: 'internal', category: PRESET, report: true,
    notInFile: true, description: 'Timestamps are stored as 64-bit integer microseconds.',
  },
  {
    name: 'max_identifier_length', type: 'int', default: 63, min: 63, max: 63, context: 'internal', category: PRESET,
    notInFile: true, description: 'Longest identifier, in bytes.',
  },
  {
    name: 'is_superuser', type: 'bool', default: false, context: 'internal', category: PRESET, report: true,
    noShowAll: true, notInFile: true, noResetAll: true,
    description: 'Whether the current user is a superuser.',
  },
  {
    name: 'session_authorization', type: 'string', default: '', context: 'internal', category: PRESET, report: true,
    noShowAll: true, notInFile: true, noResetAll: true,
    description: 'The session user name (changed by SET SESSION AUTHORIZATION through the session).',
  },

  // --- PipelineDB 1.0 (aliases: PipelineDB 0.9 names) ---
  {
    name: 'pipelinedb.num_workers', aliases: ['continuous_query_num_workers'], type: 'int', default: 1, min: 1,
    max: 1024, context: 'postmaster', category: PIPELINE,
    description: 'Number of worker threads running continuous query plans on stream batches.',
  },
  {
    name: 'pipelinedb.num_combiners', aliases: ['continuous_query_num_combiners'], type: 'int', default: 1, min: 1,
    max: 1024, context: 'postmaster', category: PIPELINE,
    description: 'Number of combiner threads merging partial results into continuous views.',
  },
  {
    name: 'pipelinedb.num_queues', aliases: ['continuous_query_num_queues'], type: 'int', default: 1, min: 1,
    max: 1024, context: 'postmaster', category: PIPELINE,
    description: 'Number of IPC queue processes in PipelineDB.' + COMPAT_NOTE,
  },
  {
    name: 'pipelinedb.num_reapers', aliases: ['continuous_query_num_reapers'], type: 'int', default: 1, min: 1,
    max: 1024, context: 'postmaster', category: PIPELINE,
    description: 'Number of reapers removing expired rows of TTL and sliding-window views.',
  },
  {
    name: 'pipelinedb.stream_insert_level', aliases: ['stream_insert_level'], type: 'enum',
    values: ['async', 'sync_receive', 'sync_commit'], default: 'sync_receive', context: 'user',
    category: PIPELINE_STREAMS,
    description: 'When a stream INSERT returns: buffered (async), taken by a worker (sync_receive), or committed by every combiner it reached (sync_commit).',
  },
  {
    name: 'pipelinedb.stream_targets', aliases: ['stream_targets'], type: 'string', default: '', context: 'user',
    category: PIPELINE_STREAMS,
    // A plain string, as in PipelineDB: split into view names (identifier rules) when a write uses it.
    description: 'Continuous views and transforms that stream writes of this session feed; empty means all.',
  },
  {
    name: 'pipelinedb.sliding_window_step_factor', aliases: ['sliding_window_step_factor'], type: 'real', default: 5,
    min: 0, max: 50, context: 'postmaster', category: PIPELINE,
    description: 'Default step of a sliding window, as a percentage of the window size.',
  },
  {
    name: 'pipelinedb.continuous_queries_enabled', aliases: ['continuous_queries_enabled'], type: 'bool',
    default: true, context: 'postmaster', category: PIPELINE,
    description: 'Whether continuous queries run as soon as they are created.',
  },
  {
    name: 'pipelinedb.batch_mem', type: 'int', unit: 'kB', default: 262144, min: 8192, max: INT32_MAX,
    context: 'postmaster', category: PIPELINE_RES,
    description: 'Memory a batch of stream rows may use before it is handed to workers.',
  },
  {
    name: 'pipelinedb.batch_size', aliases: ['continuous_query_batch_size'], type: 'int', default: 10000, min: 10,
    max: INT32_MAX, context: 'postmaster', category: PIPELINE_RES,
    description: 'Largest number of stream rows collected into one batch.',
  },
  {
    name: 'pipelinedb.commit_interval', aliases: ['continuous_query_commit_interval'], type: 'int', unit: 'ms',
    default: 50, min: 0, max: 60000, context: 'postmaster', category: PIPELINE_RES,
    description: 'How long combiners merge in memory before committing view state.',
  },
  {
    name: 'pipelinedb.ipc_hwm', type: 'int', default: 10, min: 1, max: INT32_MAX, context: 'postmaster',
    category: PIPELINE_RES, description: 'High-water mark of queued messages between workers and combiners.',
  },
  {
    name: 'pipelinedb.max_wait', aliases: ['continuous_query_max_wait'], type: 'int', unit: 'ms', default: 50, min: 1,
    max: 60000, context: 'postmaster', category: PIPELINE_RES,
    description: 'Longest time a partial batch waits for more rows before it is processed.',
  },
  {
    name: 'pipelinedb.ttl_expiration_batch_size', aliases: ['continuous_query_ttl_expiration_batch_size'],
    type: 'int', default: 10000, min: 0, max: INT32_MAX, context: 'postmaster', category: PIPELINE,
    description: 'Most expired rows a reaper deletes at a time; 0 means no limit.',
  },
  {
    name: 'pipelinedb.ttl_expiration_threshold', aliases: ['continuous_query_ttl_expiration_threshold'], type: 'int',
    default: 5, min: 0, max: 100, context: 'postmaster', category: PIPELINE,
    description: "Percentage of a view's TTL that must pass before the reaper visits it again.",
  },
  {
    name: 'pipelinedb.queue_mem', type: 'int', unit: 'kB', default: 262144, min: 8192, max: INT32_MAX,
    context: 'postmaster', category: PIPELINE_RES,
    description: 'Memory of each PipelineDB queue process.' + COMPAT_NOTE,
  },
  {
    name: 'pipelinedb.fillfactor', aliases: ['continuous_view_fillfactor'], type: 'int', default: 50, min: 1, max: 100,
    context: 'postmaster', category: PIPELINE_RES,
    description: 'Default fillfactor of materialization tables.' + COMPAT_NOTE,
  },
  {
    name: 'pipelinedb.combiner_work_mem', aliases: ['continuous_query_combiner_work_mem'], type: 'int', unit: 'kB',
    default: 262144, min: 16384, max: INT32_MAX, context: 'postmaster', category: PIPELINE_RES,
    description: 'Memory each combiner may use to cache view groups across commits (estimated).',
  },
  {
    name: 'pipelinedb.anonymous_update_checks', aliases: ['anonymous_update_checks'], type: 'bool', default: false,
    context: 'user', category: PIPELINE,
    description: 'PipelineDB checked for new versions when on (its default); this server never does.' + COMPAT_NOTE,
  },
  {
    name: 'pipelinedb.matrels_writable', aliases: ['continuous_query_materialization_table_updatable'], type: 'bool',
    default: false, context: 'user', category: PIPELINE,
    description: 'Whether materialization tables may be modified directly.',
  },
  {
    name: 'pipelinedb.log_partitions', type: 'bool', default: false, context: 'user', category: PIPELINE,
    description: 'Logs partitions created by combiners.' + COMPAT_NOTE,
  },
];

/** Prefix reserved for PipelineDB settings: unknown names under it are errors, not placeholders. */
export const RESERVED_PREFIX = 'pipelinedb';

const BY_NAME = new Map<string, SettingDef>();
/** Each definition's registry key: its name in lower case. */
export const SETTING_KEYS = new Map<SettingDef, string>();
for (const def of SETTING_DEFINITIONS) {
  BY_NAME.set(def.name.toLowerCase(), def);
  SETTING_KEYS.set(def, def.name.toLowerCase());
  for (const a of def.aliases ?? []) BY_NAME.set(a.toLowerCase(), def);
}

/** The definition for a name or alias, any letter case; undefined when unknown. */
export function findSetting(name: string): SettingDef | undefined {
  // The server's own lookups (once or more per statement) pass lower-case names.
  return BY_NAME.get(name) ?? BY_NAME.get(name.toLowerCase());
}

/** Definitions of settings reported to clients in ParameterStatus, in name order (PostgreSQL's startup order). */
export const REPORTED_SETTINGS: readonly SettingDef[] = SETTING_DEFINITIONS.filter((d) => d.report).sort((a, b) =>
  compareSettingNames(a.name, b.name),
);

/** PostgreSQL orders setting names case-insensitively. */
export function compareSettingNames(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  return la < lb ? -1 : la > lb ? 1 : 0;
}
