// generate_series over integers and numerics (the date/time forms live in
// datetime.ts). Set-returning: each impl returns the rows' values. The number
// of values is computed from start/stop/step first and reported to
// ctx.countRows before anything is allocated, so a huge series fails at once.
import { PgError, SQLSTATE } from '../../errors.js';
import { NUMERIC_ONE, numericAdd, numericCompare } from '../../types/numeric.js';
import { OID } from '../../types/oids.js';
import { Numeric } from '../../types/values.js';
import { registerFunction, type EvalContext } from './catalog.js';
import { fn } from './define.js';
import { INTERRUPT_MASK } from './row-meter.js';

const { int4, int8, numeric } = OID;

function zeroStep(): PgError {
  return new PgError(SQLSTATE.invalid_parameter_value, 'step size cannot equal zero');
}

/**
 * int4. Every value lies between start and stop, so none overflows (PostgreSQL
 * stops where the next step would overflow, which is past stop anyway).
 */
export function seriesInt4(ctx: EvalContext, start: number, stop: number, step = 1): number[] {
  const count = int4Count(start, stop, step);
  ctx.countRows(count);
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    if ((i & INTERRUPT_MASK) === INTERRUPT_MASK) ctx.checkInterrupts();
    out[i] = start + i * step;
  }
  return out;
}

/** How many values an int4 series has. */
function int4Count(start: number, stop: number, step: number): number {
  if (step === 0) throw zeroStep();
  const span = (stop - start) / step;
  return span < 0 ? 0 : Math.floor(span) + 1;
}

/** How many values an int8 series has. */
function int8Count(start: bigint, stop: bigint, step: bigint): number {
  if (step === 0n) throw zeroStep();
  const diff = stop - start;
  // Same signs: bigint division truncates, which is the floor here.
  return diff !== 0n && diff > 0n !== step > 0n ? 0 : Number(diff / step + 1n);
}

export function seriesInt8(ctx: EvalContext, start: bigint, stop: bigint, step = 1n): bigint[] {
  const count = int8Count(start, stop, step);
  ctx.countRows(count);
  const out = new Array<bigint>(count);
  let v = start;
  for (let i = 0; i < count; i++, v += step) {
    if ((i & INTERRUPT_MASK) === INTERRUPT_MASK) ctx.checkInterrupts();
    out[i] = v;
  }
  return out;
}

export function seriesNumeric(ctx: EvalContext, start: Numeric, stop: Numeric, step: Numeric = NUMERIC_ONE): Numeric[] {
  if (start.isNaN()) throw new PgError(SQLSTATE.invalid_parameter_value, 'start value cannot be NaN');
  if (stop.isNaN()) throw new PgError(SQLSTATE.invalid_parameter_value, 'stop value cannot be NaN');
  if (step.isNaN()) throw new PgError(SQLSTATE.invalid_parameter_value, 'step size cannot be NaN');
  const dir = step.value.cmp(0);
  if (dir === 0) throw zeroStep();
  // The count (for the memory check only) may be off by one at extreme precisions; the loop decides the values.
  const span = stop.value.minus(start.value).div(step.value);
  ctx.countRows(span.lt(0) ? 0 : span.floor().toNumber() + 1);
  const out: Numeric[] = [];
  // The first value keeps its own scale; later ones get max(start, step) scale from the addition.
  for (let v = start; dir > 0 ? numericCompare(v, stop) <= 0 : numericCompare(v, stop) >= 0; v = numericAdd(v, step)) {
    if ((out.length & INTERRUPT_MASK) === INTERRUPT_MASK) ctx.checkInterrupts();
    out.push(v);
  }
  return out;
}

const set = { returnsSet: true };

/** int4 and int8 series one value at a time (FunctionDef.lazy): the same values as seriesInt4 / seriesInt8, uncounted. */
function* lazyInt4(start: number, stop: number, step = 1): Iterable<number> {
  const count = int4Count(start, stop, step);
  for (let i = 0; i < count; i++) yield start + i * step;
}

function* lazyInt8(start: bigint, stop: bigint, step = 1n): Iterable<bigint> {
  const count = int8Count(start, stop, step);
  let v = start;
  for (let i = 0; i < count; i++, v += step) yield v;
}

// With two arguments a[2] is undefined and the step defaults to 1.
const int4Series = {
  impl: (a: number[], ctx: EvalContext) => seriesInt4(ctx, a[0]!, a[1]!, a[2]),
  opts: { ...set, lazy: (a: unknown[]) => lazyInt4(a[0] as number, a[1] as number, a[2] as number | undefined) },
};
const int8Series = {
  impl: (a: bigint[], ctx: EvalContext) => seriesInt8(ctx, a[0]!, a[1]!, a[2]),
  opts: { ...set, lazy: (a: unknown[]) => lazyInt8(a[0] as bigint, a[1] as bigint, a[2] as bigint | undefined) },
};

registerFunction(
  fn('generate_series', [int4, int4], int4, int4Series.impl, int4Series.opts),
  fn('generate_series', [int4, int4, int4], int4, int4Series.impl, int4Series.opts),
  fn('generate_series', [int8, int8], int8, int8Series.impl, int8Series.opts),
  fn('generate_series', [int8, int8, int8], int8, int8Series.impl, int8Series.opts),
  fn('generate_series', [numeric, numeric], numeric, (a: Numeric[], ctx) => seriesNumeric(ctx, a[0]!, a[1]!), set),
  fn('generate_series', [numeric, numeric, numeric], numeric, (a: Numeric[], ctx) => seriesNumeric(ctx, a[0]!, a[1]!, a[2]!), set),
);
