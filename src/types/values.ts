// How SQL values are represented in memory. Every module (types I/O,
// expressions, aggregates, storage) agrees on this table; SQL NULL is `null`.
//
//   bool                       boolean
//   int2, int4, oid            number (integral)
//   int8                       bigint
//   float4, float8             number
//   numeric                    Numeric (decimal.js value + display scale)
//   text, varchar, bpchar,
//   name, char, unknown        string
//   bytea                      Uint8Array
//   date                       number: days since 2000-01-01; +/-Infinity for 'infinity'
//   time                       number: microseconds since midnight
//   timestamp, timestamptz     number: microseconds since 2000-01-01 00:00:00 (UTC for
//                              timestamptz); +/-Infinity for 'infinity'. Exact to the
//                              microsecond for years 1715..2284; beyond that a double
//                              still holds the value to within a few microseconds.
//   interval                   Interval
//   json                       string (the text exactly as given, as PostgreSQL keeps it)
//   jsonb                      Jsonb (see jsonb.ts): normalized tree
//   uuid                       string, canonical lower-case 8-4-4-4-12 form
//   void                       the empty string (PostgreSQL sends a zero-length value)
//   one-dimensional arrays     PgArray
import { Decimal } from 'decimal.js';

/** decimal.js configured for PostgreSQL numeric: wide precision, round half away from zero. */
export const Dec = Decimal.clone({ precision: 1000, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -9e15, toExpPos: 9e15 });
export type Dec = Decimal;

/** A numeric value: `value` is exact, `dscale` is the number of digits shown after the point. */
export class Numeric {
  private decimal: Decimal | undefined;
  private printed: string | undefined;
  readonly dscale: number;

  constructor(value: Decimal, dscale: number);
  /**
   * A value known by its numeric_out text (plain notation of a finite value,
   * exactly `dscale` fraction digits), or by neither (a subclass that
   * computes its text): reads that only print it build no decimal.js value.
   */
  constructor(value: undefined, dscale: number, text: string | undefined);
  constructor(value: Decimal | undefined, dscale: number, text?: string) {
    this.decimal = value;
    this.dscale = dscale;
    this.printed = text;
  }

  /** numeric_out's text when it is known without decimal.js (e.g. avg() results), else undefined. */
  get text(): string | undefined {
    return (this.printed ??= this.deferredText());
  }

  /** The text of a value made without its text or decimal.js value (subclasses compute it on first use). */
  protected deferredText(): string | undefined {
    return undefined;
  }

  /**
   * numeric_out's text as ASCII bytes at `at` of `out`, when a subclass can
   * write it without making a string (room for numeric.ts's
   * MAX_QUOTIENT_TEXT bytes); answers the end, or -1 when it cannot.
   */
  writeText(_out: Uint8Array, _at: number): number {
    return -1;
  }

  get value(): Decimal {
    return (this.decimal ??= new Dec(this.text!));
  }

  isNaN(): boolean {
    return this.value.isNaN();
  }
}

/** PostgreSQL interval: months, days and microseconds are kept apart, as PostgreSQL does. */
export class Interval {
  constructor(readonly months: number, readonly days: number, readonly micros: number) {}
}

/** A one-dimensional SQL array; `lower` is the lower bound (1 unless written otherwise). */
export class PgArray {
  constructor(readonly elemType: number, readonly items: unknown[], readonly lower = 1) {}
}

export const USECS_PER_SEC = 1_000_000;
export const USECS_PER_DAY = 86_400_000_000;
/** Days from 1970-01-01 to 2000-01-01 (PostgreSQL's epoch). */
export const PG_EPOCH_DAYS = 10_957;
/** Microseconds from the Unix epoch to PostgreSQL's epoch. */
export const PG_EPOCH_USECS = PG_EPOCH_DAYS * USECS_PER_DAY;
