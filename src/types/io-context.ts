// Session settings that change how values are read and printed. The session
// keeps one of these up to date as settings change, so per-value I/O never
// looks settings up by name.

export interface DateStyle {
  /** Output format. */
  style: 'ISO' | 'Postgres' | 'SQL' | 'German';
  /** Field order for input (and for Postgres/SQL output). */
  order: 'MDY' | 'DMY' | 'YMD';
}

export interface TypeIoContext {
  dateStyle: DateStyle;
  intervalStyle: 'postgres' | 'postgres_verbose' | 'sql_standard' | 'iso_8601';
  /** The TimeZone setting as the user spelled it (IANA name, abbreviation or POSIX offset). */
  timeZone: string;
  /** -15..3; PostgreSQL 11 rules: 0 prints float8 with 15 significant digits, 3 with 17. */
  extraFloatDigits: number;
  byteaOutput: 'hex' | 'escape';
  /** Start of the current transaction (µs since 2000-01-01 UTC), for the literals 'now', 'today' ... */
  transactionTimestamp?: number;
}

export function defaultIoContext(): TypeIoContext {
  return {
    dateStyle: { style: 'ISO', order: 'MDY' },
    intervalStyle: 'postgres',
    timeZone: 'UTC',
    extraFloatDigits: 0,
    byteaOutput: 'hex',
  };
}
