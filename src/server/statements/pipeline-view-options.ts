// CREATE VIEW ... WITH (...) options of continuous queries, checked the way
// PipelineDB 1.0 checks them: the action, the sliding window (sw,
// step_factor), the TTL (ttl, ttl_column), fillfactor and a transform's
// outputfunc. Options PipelineDB does not know are ignored, as it ignores
// them.
import { PgError, SQLSTATE } from '../../errors.js';
import { OID } from '../../types/oids.js';
import type { TypeIoContext } from '../../types/io-context.js';
import { textIn } from '../../sql/expr/type-bridge.js';
import type { ContinuousAction, ContinuousViewOptions, OutputFunction, StreamColumn } from '../../storage/stream-catalog.js';

export type ViewAction = ContinuousAction | 'dumped';

const USEC_PER_SEC = 1_000_000;
const SECS_PER_DAY = 86_400;
/** PostgreSQL's interval epoch: a month counts 30 days, a year 365.25. */
const DAYS_PER_MONTH = 30;

function defElems(options: any[] | undefined): any[] {
  return (options ?? []).map((o) => o.DefElem).filter(Boolean);
}

function option(options: any[] | undefined, name: string): any | undefined {
  return defElems(options).find((d) => d.defname.toLowerCase() === name);
}

function stringValue(arg: any): string | null {
  if (arg?.String) return arg.String.sval;
  return null;
}

/** The action option; null when none is given. 0.9's CREATE CONTINUOUS VIEW / TRANSFORM arrive with one. */
export function viewAction(options: any[] | undefined): ViewAction | null {
  const def = option(options, 'action');
  if (!def) return null;
  let value: string | null = stringValue(def.arg);
  if (value === null && def.arg?.TypeName) {
    const names = def.arg.TypeName.names ?? [];
    if (names.length !== 1) throw new PgError(SQLSTATE.internal_error, 'invalid action');
    value = names[0].String.sval;
  }
  if (value === null) throw new PgError(SQLSTATE.internal_error, 'invalid action');
  switch (value.toLowerCase()) {
    case 'materialize':
      return 'materialize';
    case 'transform':
      return 'transform';
    case 'dumped':
      return 'dumped';
    default:
      throw new PgError(SQLSTATE.internal_error, `invalid action "${value}"`);
  }
}

/** Seconds in an interval the way PostgreSQL's EXTRACT(epoch) counts them, truncated to an integer. */
function intervalSeconds(text: string, io: TypeIoContext): number {
  const iv = textIn(OID.interval, text, -1, io) as { months: number; days: number; micros: bigint | number };
  const micros = Number(iv.micros);
  const months = iv.months;
  const years = Math.trunc(months / 12);
  const seconds = years * 365.25 * SECS_PER_DAY + (months % 12) * DAYS_PER_MONTH * SECS_PER_DAY + iv.days * SECS_PER_DAY + micros / USEC_PER_SEC;
  return Math.trunc(seconds);
}

/** Whether a WHERE clause mentions clock_timestamp() (a sliding window written out). */
export function hasClockTimestamp(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some(hasClockTimestamp);
  const obj = node as Record<string, any>;
  const fc = obj.FuncCall;
  if (fc) {
    const names: any[] = fc.funcname ?? [];
    if (names.map((n) => n.String?.sval).join('.') === 'clock_timestamp') return true;
  }
  for (const key in obj) if (hasClockTimestamp(obj[key])) return true;
  return false;
}

export interface WindowOptions {
  sw: string | null;
  stepFactor: number | null;
  /** The window is given by `sw` or by a clock_timestamp() predicate. */
  isSlidingWindow: boolean;
}

/** sw and step_factor, checked before the query (PipelineDB applies them to the query first). */
export function readWindowOptions(options: any[] | undefined, whereClause: unknown, io: TypeIoContext): WindowOptions {
  const whereWindow = hasClockTimestamp(whereClause);
  const swDef = option(options, 'sw') ?? option(options, 'max_age');
  let sw: string | null = null;
  if (swDef) {
    if (whereWindow) {
      throw new PgError(SQLSTATE.internal_error, 'cannot specify both "sw" and a sliding window expression in the WHERE clause');
    }
    sw = stringValue(swDef.arg);
    if (sw === null) {
      throw new PgError(SQLSTATE.invalid_parameter_value, '"sw" must be a valid interval string', {
        hint: "For example, ... WITH (sw = '1 hour') ...",
      });
    }
    if (intervalSeconds(sw, io) < 1) throw new PgError(SQLSTATE.internal_error, 'sliding window must be at least 1 second');
  }
  const isSlidingWindow = whereWindow || sw !== null;
  let stepFactor: number | null = null;
  const sf = option(options, 'step_factor');
  if (sf) {
    if (!isSlidingWindow) throw new PgError(SQLSTATE.internal_error, 'can only specify "step_factor" for sliding window queries');
    const arg = sf.arg;
    let factor: number;
    if (arg?.Integer) factor = arg.Integer.ival ?? 0;
    else if (arg?.String) factor = Number.parseFloat(arg.String.sval) || 0;
    else if (arg?.Float) factor = 100 * Number.parseFloat(arg.Float.fval);
    else throw new PgError(SQLSTATE.internal_error, 'failed to parse "step_factor"');
    stepFactor = factor;
    if (!(factor > 0 && factor <= 50)) {
      throw new PgError(SQLSTATE.invalid_parameter_value, '"step_factor" must be a valid float in the range 0..50', {
        hint: 'For example, ... WITH (step_factor = 25) ...',
      });
    }
  }
  return { sw, stepFactor, isSlidingWindow };
}

/** ttl / ttl_column against the view's output columns; both or neither, never with a sliding window. */
export function readTtlOptions(
  options: any[] | undefined,
  columns: readonly StreamColumn[],
  isSlidingWindow: boolean,
  io: TypeIoContext,
): { ttl: number | null; ttlColumn: string | null } {
  let ttl: number | null = null;
  let ttlColumn: string | null = null;
  const ttlDef = option(options, 'ttl');
  const colDef = option(options, 'ttl_column');
  if (ttlDef) {
    const text = stringValue(ttlDef.arg);
    if (text === null) throw new PgError(SQLSTATE.internal_error, 'ttl must be expressed as an interval');
    ttl = intervalSeconds(text, io);
    if (ttl === 0) throw new PgError(SQLSTATE.internal_error, 'ttl must be a minimum of 1 second');
  }
  if (colDef) {
    let name = stringValue(colDef.arg);
    if (name === null && colDef.arg?.TypeName) name = (colDef.arg.TypeName.names ?? []).map((n: any) => n.String.sval).join('.');
    if (name === null) throw new PgError(SQLSTATE.internal_error, 'ttl_column must be expressed as a column name');
    const lower = name.toLowerCase();
    const col = columns.find((c) => c.name.toLowerCase() === lower && (c.typeOid === OID.timestamp || c.typeOid === OID.timestamptz));
    if (!col) throw new PgError(SQLSTATE.internal_error, 'ttl_column must refer to a timestamp or timestamptz column');
    ttlColumn = name;
  }
  if (!ttlDef && !colDef) return { ttl: null, ttlColumn: null };
  if (isSlidingWindow) throw new PgError(SQLSTATE.internal_error, 'TTLs cannot be specified in conjunction with sliding windows');
  if (ttlDef && !colDef) throw new PgError(SQLSTATE.internal_error, 'ttl_column must be specified in conjunction with ttl');
  if (colDef && !ttlDef) throw new PgError(SQLSTATE.internal_error, 'ttl must be specified in conjunction with ttl_column');
  return { ttl, ttlColumn };
}

/** fillfactor of the view's storage (10..100, as for tables). */
export function readFillfactor(options: any[] | undefined): number | null {
  const def = option(options, 'fillfactor');
  if (!def) return null;
  const value = def.arg?.Integer ? def.arg.Integer.ival ?? 0 : Number.parseInt(stringValue(def.arg) ?? '', 10);
  if (!Number.isInteger(value)) throw new PgError(SQLSTATE.invalid_parameter_value, `invalid value for integer option "fillfactor": ${stringValue(def.arg)}`);
  if (value < 10 || value > 100) {
    throw new PgError(SQLSTATE.invalid_parameter_value, `value ${value} out of bounds for option "fillfactor"`, {
      detail: 'Valid values are between "10" and "100".',
    });
  }
  return value;
}

/** A transform's outputfunc: a function name with optional string arguments (the grammar reads it as a type name). */
export function readOutputFunction(options: any[] | undefined): OutputFunction | null {
  const def = option(options, 'outputfunc');
  if (!def) return null;
  const tn = def.arg?.TypeName;
  if (!tn) {
    const name = stringValue(def.arg);
    if (name === null) throw new PgError(SQLSTATE.internal_error, 'invalid output function');
    return { name, args: [] };
  }
  const args: string[] = [];
  for (const m of tn.typmods ?? []) {
    const c = m.A_Const;
    if (!c || c.sval === undefined) throw new PgError(SQLSTATE.internal_error, 'invalid output function argument');
    args.push(c.sval.sval ?? '');
  }
  return { name: (tn.names ?? []).map((n: any) => n.String.sval).join('.'), args };
}

export function viewOptions(window: WindowOptions, ttl: { ttl: number | null; ttlColumn: string | null }, fillfactor: number | null): ContinuousViewOptions {
  return { sw: window.sw, stepFactor: window.stepFactor, ttl: ttl.ttl, ttlColumn: ttl.ttlColumn, fillfactor };
}
