// Array functions for the one-dimensional arrays this server supports
// (PostgreSQL 11 "Array Functions and Operators"), and unnest.
import { PgError, SQLSTATE } from '../../errors.js';
import { OID, arrayOf, elementOf } from '../../types/oids.js';
import { PgArray } from '../../types/values.js';
import { registerFunction } from './catalog.js';
import { fn } from './define.js';
import { INTERRUPT_MASK } from './row-meter.js';
import { valuesNotDistinct } from './value-equality.js';
import { valueToText } from './value-text.js';
import type { EvalContext } from './catalog.js';

const { anyarray, anyelement, int4, text, _int4 } = OID;

function isArrayType(t: number): boolean {
  return elementOf(t) !== undefined || t === anyarray;
}

/** Result type of functions returning "anyarray" given an array and/or element argument. */
function arrayResult(arrayArg: number, elemArg: number): (t: number[]) => number {
  return (t) => {
    const a = t[arrayArg];
    if (a !== undefined && isArrayType(a)) return a;
    return arrayOf(t[elemArg] ?? OID.unknown) ?? anyarray;
  };
}

function elemTypeOf(arr: PgArray | null, arrayType: number | undefined, elemType?: number): number {
  if (arr) return arr.elemType;
  if (arrayType !== undefined) {
    const e = elementOf(arrayType);
    if (e !== undefined) return e;
  }
  return elemType ?? OID.unknown;
}

function dims(a: PgArray): string | null {
  if (a.items.length === 0) return null;
  return `[${a.lower}:${a.lower + a.items.length - 1}]`;
}

/** array_length / array_upper / array_lower: only dimension 1 exists. */
function dimensionInfo(a: PgArray, dim: number, what: 'length' | 'lower' | 'upper'): number | null {
  if (dim !== 1 || a.items.length === 0) return null;
  if (what === 'length') return a.items.length;
  if (what === 'lower') return a.lower;
  return a.lower + a.items.length - 1;
}

function arrayAppend(args: [PgArray | null, unknown], argTypes: number[]): PgArray {
  const [arr, elem] = args;
  if (!arr) return new PgArray(elemTypeOf(null, argTypes[0], argTypes[1]), [elem]);
  return new PgArray(arr.elemType, [...arr.items, elem], arr.items.length === 0 ? 1 : arr.lower);
}

function arrayPrepend(args: [unknown, PgArray | null], argTypes: number[]): PgArray {
  const [elem, arr] = args;
  if (!arr) return new PgArray(elemTypeOf(null, argTypes[1], argTypes[0]), [elem]);
  return new PgArray(arr.elemType, [elem, ...arr.items], arr.items.length === 0 ? 1 : arr.lower);
}

function arrayCat(args: [PgArray | null, PgArray | null]): PgArray | null {
  const [a, b] = args;
  if (!a) return b;
  if (!b) return a;
  if (a.items.length === 0) return b;
  if (b.items.length === 0) return a;
  return new PgArray(a.elemType, [...a.items, ...b.items], a.lower);
}

function arrayPosition(args: [PgArray | null, unknown, (number | null)?], withStart: boolean): number | null {
  const [arr, elem] = args;
  if (!arr) return null;
  let from = 0;
  if (withStart) {
    const start = args[2];
    if (start === null || start === undefined) {
      throw new PgError(SQLSTATE.null_value_not_allowed, 'initial position must not be null');
    }
    from = Math.max(start - arr.lower, 0);
  }
  for (let i = from; i < arr.items.length; i++) {
    if (valuesNotDistinct(arr.items[i], elem, arr.elemType)) return arr.lower + i;
  }
  return null;
}

function arrayPositions(args: [PgArray | null, unknown]): PgArray | null {
  const [arr, elem] = args;
  if (!arr) return null;
  const out: number[] = [];
  for (let i = 0; i < arr.items.length; i++) {
    if (valuesNotDistinct(arr.items[i], elem, arr.elemType)) out.push(arr.lower + i);
  }
  return new PgArray(int4, out);
}

function arrayRemove(args: [PgArray | null, unknown]): PgArray | null {
  const [arr, elem] = args;
  if (!arr) return null;
  const items = arr.items.filter((v) => !valuesNotDistinct(v, elem, arr.elemType));
  if (items.length === arr.items.length) return arr;
  return new PgArray(arr.elemType, items, items.length === 0 ? 1 : arr.lower);
}

function arrayReplace(args: [PgArray | null, unknown, unknown]): PgArray | null {
  const [arr, search, replacement] = args;
  if (!arr) return null;
  const items = arr.items.map((v) => (valuesNotDistinct(v, search, arr.elemType) ? replacement : v));
  return new PgArray(arr.elemType, items, arr.lower);
}

/** PostgreSQL's limit on the number of elements in one array (1 GB of 8-byte datums). */
const MAX_ARRAY_SIZE = 134217727;

function arrayFill(args: [unknown, PgArray | null, (PgArray | null)?], argTypes: number[], ctx: EvalContext): PgArray {
  const [value, dimsArr, lbounds] = args;
  if (!dimsArr || lbounds === null) {
    throw new PgError(SQLSTATE.null_value_not_allowed, 'dimension array or low bound array cannot be null');
  }
  if (dimsArr.items.length > 1) {
    throw new PgError(SQLSTATE.feature_not_supported, 'multidimensional arrays are not supported');
  }
  if (lbounds && lbounds.items.length !== dimsArr.items.length) {
    throw new PgError(SQLSTATE.array_subscript_error, 'wrong number of array subscripts', {
      detail: 'Low bound array has different size than dimensions array.',
    });
  }
  const elemType = argTypes[0] ?? OID.unknown;
  if (dimsArr.items.length === 0) return new PgArray(elemType, []);
  const n = dimsArr.items[0] as number | null;
  const lower = lbounds ? (lbounds.items[0] as number | null) : 1;
  if (n === null || lower === null) {
    throw new PgError(SQLSTATE.null_value_not_allowed, 'dimension values cannot be null');
  }
  if (n <= 0) return new PgArray(elemType, []);
  if (n > MAX_ARRAY_SIZE) {
    throw new PgError(SQLSTATE.program_limit_exceeded, `array size exceeds the maximum allowed (${MAX_ARRAY_SIZE})`);
  }
  // A tiny call can ask for a huge array: its elements count against the statement's memory like rows.
  ctx.countRows(n);
  return new PgArray(elemType, new Array(n).fill(value), lower);
}

function generateSubscripts(a: PgArray, dim: number, reverse: boolean, ctx: EvalContext): number[] {
  if (dim !== 1 || a.items.length === 0) return [];
  const n = a.items.length;
  ctx.countRows(n);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    if ((i & INTERRUPT_MASK) === INTERRUPT_MASK) ctx.checkInterrupts();
    out[i] = reverse ? a.lower + n - 1 - i : a.lower + i;
  }
  return out;
}

/** unnest(): the elements themselves are the rows; they are counted because each becomes a row. */
function unnest(a: PgArray, ctx: EvalContext): unknown[] {
  ctx.countRows(a.items.length);
  return a.items;
}

/** array_to_string(arr, delimiter [, null_string]): NULL elements are skipped unless null_string is given. */
function arrayToString(args: [PgArray | null, string | null, (string | null)?], ctx: EvalContext): string | null {
  const [arr, delim] = args;
  const nullStr = args[2] ?? null;
  if (!arr || delim === null) return null;
  let out = '';
  let first = true;
  for (const v of arr.items) {
    let piece: string;
    if (v === null || v === undefined) {
      if (nullStr === null) continue;
      piece = nullStr;
    } else piece = valueToText(v, arr.elemType, ctx.io);
    out += first ? piece : delim + piece;
    first = false;
  }
  return out;
}

const elementResult = (t: number[]) => elementOf(t[0]!) ?? anyelement;

registerFunction(
  fn('array_length', [anyarray, int4], int4, (a: [PgArray, number]) => dimensionInfo(a[0], a[1], 'length')),
  fn('array_lower', [anyarray, int4], int4, (a: [PgArray, number]) => dimensionInfo(a[0], a[1], 'lower')),
  fn('array_upper', [anyarray, int4], int4, (a: [PgArray, number]) => dimensionInfo(a[0], a[1], 'upper')),
  fn('array_ndims', [anyarray], int4, (a: [PgArray]) => (a[0].items.length === 0 ? null : 1)),
  fn('array_dims', [anyarray], text, (a: [PgArray]) => dims(a[0])),
  fn('cardinality', [anyarray], int4, (a: [PgArray]) => a[0].items.length),
  fn('array_append', [anyarray, anyelement], arrayResult(0, 1), (a, _c, t) => arrayAppend(a, t), { strict: false }),
  fn('array_prepend', [anyelement, anyarray], arrayResult(1, 0), (a, _c, t) => arrayPrepend(a, t), { strict: false }),
  fn('array_cat', [anyarray, anyarray], arrayResult(0, 1), (a) => arrayCat(a), { strict: false }),
  fn('array_position', [anyarray, anyelement], int4, (a) => arrayPosition(a, false), { strict: false }),
  fn('array_position', [anyarray, anyelement, int4], int4, (a) => arrayPosition(a, true), { strict: false }),
  fn('array_positions', [anyarray, anyelement], _int4, (a) => arrayPositions(a), { strict: false }),
  fn('array_remove', [anyarray, anyelement], arrayResult(0, 1), (a) => arrayRemove(a), { strict: false }),
  fn('array_replace', [anyarray, anyelement, anyelement], arrayResult(0, 1), (a) => arrayReplace(a), { strict: false }),
  fn('array_fill', [anyelement, _int4], arrayResult(-1, 0), (a, ctx, t) => arrayFill(a, t, ctx), { strict: false }),
  fn('array_fill', [anyelement, _int4, _int4], arrayResult(-1, 0), (a, ctx, t) => arrayFill(a, t, ctx), { strict: false }),
  fn('array_to_string', [anyarray, text], text, (a, ctx) => arrayToString(a, ctx), { volatility: 'stable' }),
  fn('array_to_string', [anyarray, text, text], text, (a, ctx) => arrayToString(a, ctx), { strict: false, volatility: 'stable' }),
  fn('unnest', [anyarray], elementResult, (a: [PgArray], ctx) => unnest(a[0], ctx), { returnsSet: true }),
  fn('generate_subscripts', [anyarray, int4], int4, (a: [PgArray, number], ctx) => generateSubscripts(a[0], a[1], false, ctx), {
    returnsSet: true,
  }),
  fn(
    'generate_subscripts',
    [anyarray, int4, OID.bool],
    int4,
    (a: [PgArray, number, boolean], ctx) => generateSubscripts(a[0], a[1], a[2], ctx),
    { returnsSet: true },
  ),
);
