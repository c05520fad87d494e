// Turning client-supplied values into values of a stream's column types, with
// PostgreSQL's rules: text (COPY fields, unknown-typed literals and text-format
// parameters) goes through the column type's input function with the column's
// typmod; typed values go through the assignment cast and then the typmod
// (length) coercion. Everything is looked up once per column, not per row.
import { PgError, SQLSTATE } from '../errors.js';
import { OID, typeByOid } from '../types/oids.js';
import { getTextInput, type IoContext } from '../types/type-io.js';
import type { EvalContext } from '../sql/functions/catalog.js';
import { lookupCast, typmodCoercion } from '../sql/expr/casts.js';
import type { ConvertFn } from '../sql/expr/typed-expr.js';

/** A stream column as ingestion sees it. */
export interface IngestColumn {
  name: string;
  typeOid: number;
  /** -1: none; else as PostgreSQL encodes it (varchar(n): n + 4). */
  typmod: number;
}

/** Converts one non-null value; throws a PgError (22P02, 22003, 22001 ...). */
export type ValueCoercer = (value: unknown, ctx: EvalContext) => unknown;

/** Converts a row of source values (one per column) into column values; `out` is reused when given. */
export type RowCoercer = (values: readonly unknown[], ctx: EvalContext, out?: unknown[]) => unknown[];

/** format_type_be(): the type name without typmod, as PostgreSQL's error texts spell it. */
function typeName(oid: number): string {
  return typeByOid(oid)?.sqlName ?? String(oid);
}

/** 42804, as PostgreSQL raises it when an INSERT expression does not fit its column. */
export function assignmentMismatch(column: IngestColumn, sourceType: number, location = -1): PgError {
  return new PgError(
    SQLSTATE.datatype_mismatch,
    `column "${column.name}" is of type ${typeName(column.typeOid)} but expression is of type ${typeName(sourceType)}`,
    { hint: 'You will need to rewrite or cast the expression.', ...(location >= 0 ? { position: location + 1 } : {}) },
  );
}

// The IoContext text input wants (session settings plus the transaction start,
// for 'now' and 'today'), made once per EvalContext rather than per value.
let lastCtx: EvalContext | null = null;
let lastIo: IoContext | null = null;

function ioOf(ctx: EvalContext): IoContext {
  if (ctx !== lastCtx) {
    lastCtx = ctx;
    lastIo = { ...ctx.io, transactionTimestamp: ctx.transactionTimestamp };
  }
  return lastIo!;
}

/**
 * The conversion of values of `sourceType` into `column`. `sourceType`
 * unknown (or cstring) means text to be read by the column type's input
 * function. Throws 42804 when PostgreSQL has no assignment cast.
 */
export function compileValueCoercion(column: IngestColumn, sourceType: number, location = -1): ValueCoercer {
  const dst = column.typeOid;
  const typmod = column.typmod;
  if (sourceType === OID.unknown || sourceType === OID.cstring) {
    const input = getTextInput(dst);
    return (v, ctx) => input(v as string, typmod, ioOf(ctx));
  }
  const cast = lookupCast(sourceType, dst, 'assignment');
  if (!cast) throw assignmentMismatch(column, sourceType, location);
  const convert: ConvertFn | null = cast.convert;
  const length: ConvertFn | null = typmodCoercion(dst, typmod, false);
  if (convert && length) return (v, ctx) => length(convert(v, ctx), ctx);
  if (convert) return convert;
  if (length) return length;
  return (v) => v;
}

export interface CoercionOptions {
  /**
   * Called when converting column `index` fails: its result becomes the
   * error's CONTEXT line (COPY uses it for 'COPY s, line 3, column val: "abc"').
   */
  errorContext?: (index: number, value: unknown) => string;
  /**
   * Text values (source type unknown) of int2 and int4 columns may come as
   * numbers already read, in range (COPY's CopyInParser integerDigits):
   * those pass as they are.
   */
  integersRead?: boolean;
}

/** Decimal digits an int2 / int4 value always fits in, for readers that make numbers of plain digits (CopyInParser). */
export function integerDigitsOf(typeOid: number): number {
  return typeOid === OID.int4 ? 9 : typeOid === OID.int2 ? 4 : 0;
}

/**
 * The conversion of whole rows: `sourceTypes[i]` is the type of the values
 * given for `columns[i]` (OID.unknown for text). NULL stays NULL (streams
 * have no NOT NULL constraints). Throws 42804 right away when a column
 * cannot take its source type.
 */
export function compileCoercion(columns: readonly IngestColumn[], sourceTypes: readonly number[], options: CoercionOptions = {}): RowCoercer {
  if (sourceTypes.length !== columns.length) {
    throw new PgError(SQLSTATE.internal_error, `${sourceTypes.length} source types for ${columns.length} columns`);
  }
  const fns: (ValueCoercer | null)[] = columns.map((c, i) => {
    const src = sourceTypes[i]!;
    // Same type without typmod: nothing to do.
    if (src === c.typeOid && c.typmod < 0) return null;
    const coerce = compileValueCoercion(c, src);
    if (options.integersRead && src === OID.unknown && integerDigitsOf(c.typeOid) > 0) {
      return (v, ctx) => (typeof v === 'number' ? v : coerce(v, ctx));
    }
    return coerce;
  });
  const n = fns.length;
  const errorContext = options.errorContext;
  return (values, ctx, out) => {
    const row = out ?? new Array(n);
    let i = 0;
    try {
      for (; i < n; i++) {
        const v = values[i];
        const f = fns[i];
        row[i] = v === null || v === undefined ? null : f === null ? v : f(v, ctx);
      }
    } catch (e) {
      if (errorContext && e instanceof PgError) {
        const where = errorContext(i, values[i]);
        e.where = e.where ? `${e.where}\n${where}` : where;
      }
      throw e;
    }
    return row;
  };
}
