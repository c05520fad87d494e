// PostgreSQL-style errors. Everything that reaches a client as an ErrorResponse
// or NoticeResponse is a PgError (or is converted into one at the session
// boundary), so SQLSTATE, detail, hint and cursor position travel together.

export type Severity = 'ERROR' | 'FATAL' | 'PANIC' | 'WARNING' | 'NOTICE' | 'DEBUG' | 'INFO' | 'LOG';

/** SQLSTATE codes used across the server (PostgreSQL appendix A names). */
export const SQLSTATE = {
  successful_completion: '00000',
  warning: '01000',
  connection_exception: '08000',
  protocol_violation: '08P01',
  feature_not_supported: '0A000',
  invalid_transaction_state: '25000',
  active_sql_transaction: '25001',
  no_active_sql_transaction: '25P01',
  in_failed_sql_transaction: '25P02',
  invalid_authorization_specification: '28000',
  invalid_password: '28P01',
  invalid_catalog_name: '3D000',
  invalid_cursor_name: '34000',
  invalid_sql_statement_name: '26000',
  invalid_savepoint_specification: '3B001',
  syntax_error: '42601',
  insufficient_privilege: '42501',
  undefined_column: '42703',
  undefined_function: '42883',
  undefined_table: '42P01',
  undefined_object: '42704',
  undefined_parameter: '42P02',
  duplicate_object: '42710',
  duplicate_table: '42P07',
  duplicate_database: '42P04',
  duplicate_column: '42701',
  duplicate_prepared_statement: '42P05',
  duplicate_cursor: '42P03',
  ambiguous_column: '42702',
  ambiguous_function: '42725',
  datatype_mismatch: '42804',
  wrong_object_type: '42809',
  grouping_error: '42803',
  windowing_error: '42P20',
  invalid_column_reference: '42P10',
  invalid_table_definition: '42P16',
  invalid_object_definition: '42P17',
  undefined_pseudo_type: '42P18', // indeterminate_datatype
  indeterminate_datatype: '42P18',
  cannot_coerce: '42846',
  invalid_parameter_value: '22023',
  data_exception: '22000',
  invalid_text_representation: '22P02',
  invalid_binary_representation: '22P03',
  numeric_value_out_of_range: '22003',
  division_by_zero: '22012',
  invalid_datetime_format: '22007',
  datetime_field_overflow: '22008',
  invalid_time_zone_displacement_value: '22009',
  string_data_right_truncation: '22001',
  invalid_escape_sequence: '22025',
  null_value_not_allowed: '22004',
  not_null_violation: '23502',
  unique_violation: '23505',
  character_not_in_repertoire: '22021',
  untranslatable_character: '22P05',
  invalid_regular_expression: '2201B',
  array_subscript_error: '2202E',
  invalid_argument_for_logarithm: '2201E',
  invalid_argument_for_power_function: '2201F',
  invalid_argument_for_width_bucket_function: '2201G',
  invalid_json_text: '22P02',
  dependent_objects_still_exist: '2BP01',
  object_in_use: '55006',
  object_not_in_prerequisite_state: '55000',
  query_canceled: '57014',
  admin_shutdown: '57P01',
  crash_shutdown: '57P02',
  cannot_connect_now: '57P03',
  too_many_connections: '53300',
  program_limit_exceeded: '54000',
  statement_too_complex: '54001',
  configuration_limit_exceeded: '53400',
  out_of_memory: '53200',
  internal_error: 'XX000',
  io_error: '58030',
  invalid_name: '42602',
  reserved_name: '42939',
  cant_change_runtime_param: '55P02',
  read_only_sql_transaction: '25006',
  invalid_cursor_state: '24000',
  ambiguous_parameter: '42P08',
  idle_in_transaction_session_timeout: '25P03',
  cardinality_violation: '21000',
} as const;

export type SqlState = (typeof SQLSTATE)[keyof typeof SQLSTATE];

export interface PgErrorFields {
  severity?: Severity;
  detail?: string;
  hint?: string;
  /** 1-based character position in the client's query text. */
  position?: number;
  /** Position inside an internally generated query (rarely used). */
  internalPosition?: number;
  internalQuery?: string;
  where?: string;
  schema?: string;
  table?: string;
  column?: string;
  dataType?: string;
  constraint?: string;
}

export class PgError extends Error {
  readonly code: string;
  severity: Severity;
  detail?: string;
  hint?: string;
  position?: number;
  internalPosition?: number;
  internalQuery?: string;
  where?: string;
  schema?: string;
  table?: string;
  column?: string;
  dataType?: string;
  constraint?: string;

  constructor(code: string, message: string, fields: PgErrorFields = {}) {
    super(message);
    this.name = 'PgError';
    this.code = code;
    this.severity = fields.severity ?? 'ERROR';
    Object.assign(this, fields);
    if (fields.severity === undefined) this.severity = 'ERROR';
  }
}

/** Shorthand constructors for the errors raised most often. */
export const pgErr = {
  syntax: (message: string, position?: number) => new PgError(SQLSTATE.syntax_error, message, { position }),
  feature: (message: string, position?: number) => new PgError(SQLSTATE.feature_not_supported, message, { position }),
  invalidText: (typeName: string, input: string) =>
    new PgError(SQLSTATE.invalid_text_representation, `invalid input syntax for type ${typeName}: "${input}"`),
  outOfRange: (message: string) => new PgError(SQLSTATE.numeric_value_out_of_range, message),
  divisionByZero: () => new PgError(SQLSTATE.division_by_zero, 'division by zero'),
  internal: (message: string) => new PgError(SQLSTATE.internal_error, message),
};

/** Wraps anything thrown into a PgError so it can be reported to a client. */
export function toPgError(e: unknown): PgError {
  if (e instanceof PgError) return e;
  if (e instanceof RangeError && /Invalid array length|Maximum call stack/.test(e.message)) {
    return new PgError(SQLSTATE.statement_too_complex, e.message);
  }
  const message = e instanceof Error ? e.message : String(e);
  return new PgError(SQLSTATE.internal_error, message);
}
