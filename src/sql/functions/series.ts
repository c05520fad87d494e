// generate_series over integers and numerics (the date/time forms live in
// datetime-series.ts). Set-returning: each impl returns the rows' values.
import { PgError, SQLSTATE } from '../../errors.js';
import { NUMERIC_ONE, numericAdd, numericCompare } from '../../types/numeric.js';
import { OID } from '../../types/oids.js';
import { Numeric } from '../../types/values.js';
import { registerFunction } from './catalog.js';
import { fn } from './define.js';

const { int4, int8, numeric } = OID;

function zeroStep(): PgError {
  return new PgError(SQLSTATE.invalid_parameter_value, 'step size cannot equal zero');
}

/** int4: stops before a step would overflow, as PostgreSQL does. */
export function seriesInt4(start: number, stop: number, step = 1): number[] {
  if (step === 0) throw zeroStep();
  const out: number[] = [];
  for (let v = start; step > 0 ? v <= stop : v >= stop; v += step) {
    out.push(v);
    if (v + step > 2147483647 || v + step < -2147483648) break;
  }
  return out;
}

export function seriesInt8(start: bigint, stop: bigint, step = 1n): bigint[] {
  if (step === 0n) throw zeroStep();
  const out: bigint[] = [];
  for (let v = start; step > 0n ? v <= stop : v >= stop; v += step) {
    out.push(v);
    if (v + step > 9223372036854775807n || v + step < -9223372036854775808n) break;
  }
  return out;
}

export function seriesNumeric(start: Numeric, stop: Numeric, step: Numeric = NUMERIC_ONE): Numeric[] {
  if (start.isNaN()) throw new PgError(SQLSTATE.invalid_parameter_value, 'start value cannot be NaN');
  if (stop.isNaN()) throw new PgError(SQLSTATE.invalid_parameter_value, 'stop value cannot be NaN');
  if (step.isNaN()) throw new PgError(SQLSTATE.invalid_parameter_value, 'step size cannot be NaN');
  const dir = step.value.cmp(0);
  if (dir === 0) throw zeroStep();
  const out: Numeric[] = [];
  // The first value keeps its own scale; later ones get max(start, step) scale from the addition.
  for (let v = start; dir > 0 ? numericCompare(v, stop) <= 0 : numericCompare(v, stop) >= 0; v = numericAdd(v, step)) {
    out.push(v);
  }
  return out;
}

registerFunction(
  fn('generate_series', [int4, int4], int4, (a: number[]) => seriesInt4(a[0]!, a[1]!), { returnsSet: true }),
  fn('generate_series', [int4, int4, int4], int4, (a: number[]) => seriesInt4(a[0]!, a[1]!, a[2]!), { returnsSet: true }),
  fn('generate_series', [int8, int8], int8, (a: bigint[]) => seriesInt8(a[0]!, a[1]!), { returnsSet: true }),
  fn('generate_series', [int8, int8, int8], int8, (a: bigint[]) => seriesInt8(a[0]!, a[1]!, a[2]!), { returnsSet: true }),
  fn('generate_series', [numeric, numeric], numeric, (a: Numeric[]) => seriesNumeric(a[0]!, a[1]!), { returnsSet: true }),
  fn('generate_series', [numeric, numeric, numeric], numeric, (a: Numeric[]) => seriesNumeric(a[0]!, a[1]!, a[2]!), {
    returnsSet: true,
  }),
);
