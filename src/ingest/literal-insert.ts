// The fast path for simple-query INSERTs made only of literals:
//   INSERT INTO name [(col, ...)] VALUES (lit, ...), (lit, ...) [;]
// with numbers, 'strings', NULL, TRUE, FALSE and DEFAULT. Such statements
// (the bulk of what load generators send) are recognized with one pass over
// the text instead of the libpg-query parse, JSON decode and expression
// analysis, which cost far more than the rows themselves. Anything else
// (comments, casts, E'' strings, operators, several statements, reserved
// words as names ...) is refused with null: use the full path then, which
// also produces the syntax errors.
//
// Literal types follow PostgreSQL: integers are int4 when they fit, else
// int8, else numeric; numbers with a point or exponent are numeric; strings
// are unknown and read by the column type's input function.
import { PgError, SQLSTATE } from '../errors.js';
import { OID } from '../types/oids.js';
import { parseNumeric } from '../types/numeric.js';
import { getTextInput } from '../types/type-io.js';
import type { EvalContext } from '../sql/functions/catalog.js';
import { lookupCast, typmodCoercion } from '../sql/expr/casts.js';
import { withPosition } from '../sql/expr/coerce.js';
import { checkArity, insertableColumns, resolveTargetColumns, type NamedTarget, type StreamTarget } from './insert-rows.js';
import { valuesListsLengthError } from '../sql/select/values.js';
import { FlatRows } from '../engine/statement-rows.js';
import { Int32List } from '../engine/int32-list.js';
import { assignmentMismatch, type IngestColumn } from './stream-coercion.js';

/** What the scan found; values are int4 number, int8 bigint, Numeric, string (unknown), boolean or null. */
export interface LiteralInsert {
  schema: string | null;
  relation: string;
  /** The column list, or null when absent. */
  columns: NamedTarget[] | null;
  /**
   * The values, row after row. One flat list rather than an array per row:
   * a 1,000-row statement's row arrays were most of what the main thread
   * allocated under a 1,000-row INSERT load (about 180 of 270 bytes per row).
   */
  values: unknown[];
  /** Where each row ends in `values` (exclusive); the rows' count is its length. */
  rowEnds: Int32Array;
  /** 0-based query offsets of each value, as `values`. */
  locations: Int32Array;
}

/** Slots at most that a scan's value list is given up front (see presized). */
const MAX_PRESIZED_VALUES = 1 << 20;
/** Scratch lists grown past this many entries are dropped after the scan that grew them. */
const MAX_KEPT_SCRATCH = 1 << 20;

/** Scratch for a scan's offsets, reused from scan to scan: the result gets an exact copy. */
let scratchLocations = new Int32List(4096);
let scratchRowEnds = new Int32List(1024);

/**
 * `values` (its first `count` used) moved into an array of `estimate`
 * slots: the rest of a statement's rows are most often like its first, and
 * an array grown by appends copies itself over and over (under a 1,000-row
 * INSERT load those copies were most of what the scan allocated).
 */
function presized(values: unknown[], count: number, estimate: number): unknown[] {
  // Capped: a first row much shorter than the rest would ask for far too
  // many slots (and past 2^25 V8 makes a slow dictionary array); a
  // statement with more values grows the array past the cap as before.
  const slots = Math.min(Math.ceil(estimate), MAX_PRESIZED_VALUES);
  if (slots <= count) return values;
  const out: unknown[] = new Array(slots);
  for (let k = 0; k < count; k++) out[k] = values[k];
  return out;
}

/** Keywords that cannot be unquoted table or column names (reserved and type/function-name keywords). */
const NOT_COL_ID = new Set(
  ('all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create ' +
    'current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc ' +
    'distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral ' +
    'leading limit localtime localtimestamp not null offset on only or order placing primary references returning ' +
    'select session_user some symmetric table then to trailing true union unique user using variadic when where window ' +
    'with authorization binary collation concurrently cross current_schema freeze full ilike inner is isnull join left ' +
    'like natural notnull outer overlaps right similar tablesample verbose').split(' '),
);

const INT4_MIN = -2147483648;
const INT4_MAX = 2147483647;
const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;

class Scan {
  i = 0;
  constructor(readonly s: string) {}

  ws(): void {
    const s = this.s;
    let i = this.i;
    while (isSpace(s.charCodeAt(i))) i++;
    this.i = i;
  }

  /** A keyword (case-insensitive) followed by a non-identifier character. */
  keyword(word: string): boolean {
    const s = this.s;
    const n = word.length;
    for (let k = 0; k < n; k++) if ((s.charCodeAt(this.i + k) | 0x20) !== word.charCodeAt(k)) return false;
    if (isIdentChar(s.charCodeAt(this.i + n))) return false;
    this.i += n;
    return true;
  }

  char(c: number): boolean {
    if (this.s.charCodeAt(this.i) !== c) return false;
    this.i++;
    return true;
  }

  /** An identifier (lower-cased unless quoted), or null. */
  ident(): string | null {
    const s = this.s;
    const start = this.i;
    const c = s.charCodeAt(start);
    if (c === 34 /* " */) {
      let out = '';
      let i = start + 1;
      for (;;) {
        const q = s.indexOf('"', i);
        if (q < 0) return null;
        out += s.slice(i, q);
        if (s.charCodeAt(q + 1) === 34) {
          out += '"';
          i = q + 2;
        } else {
          this.i = q + 1;
          break;
        }
      }
      return out.length === 0 || out.length > 63 ? null : out;
    }
    if (!isIdentStart(c)) return null;
    let i = start + 1;
    while (isIdentChar(s.charCodeAt(i))) i++;
    const word = s.slice(start, i).toLowerCase();
    if (NOT_COL_ID.has(word) || word.length > 63) return null;
    this.i = i;
    return word;
  }
}

/** Whitespace between tokens, as Scan.ws() skips it. */
function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 12;
}

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;
}

function isIdentChar(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
}

const NO_VALUE = Symbol('no literal');

/** One literal at sc.i, or NO_VALUE. */
function literal(sc: Scan): unknown {
  const s = sc.s;
  const start = sc.i;
  let c = s.charCodeAt(start);
  if (c === 39 /* ' */) {
    let out = '';
    let i = start + 1;
    for (;;) {
      const q = s.indexOf("'", i);
      if (q < 0) return NO_VALUE;
      out += s.slice(i, q);
      if (s.charCodeAt(q + 1) === 39) {
        out += "'";
        i = q + 2;
      } else {
        sc.i = q + 1;
        break;
      }
    }
    return out;
  }
  let i = start;
  if (c === 45 /* - */) {
    c = s.charCodeAt(++i);
    if (!((c >= 48 && c <= 57) || c === 46)) return NO_VALUE;
  }
  if ((c >= 48 && c <= 57) || c === 46) {
    const digitsStart = i;
    while ((c = s.charCodeAt(i)) >= 48 && c <= 57) i++;
    let integer = true;
    if (c === 46) {
      integer = false;
      i++;
      while ((c = s.charCodeAt(i)) >= 48 && c <= 57) i++;
      if (i === digitsStart + 1) return NO_VALUE; // a lone "."
    }
    if (c === 101 || c === 69) {
      integer = false;
      i++;
      c = s.charCodeAt(i);
      if (c === 43 || c === 45) i++;
      const expStart = i;
      while ((c = s.charCodeAt(i)) >= 48 && c <= 57) i++;
      if (i === expStart) return NO_VALUE;
    }
    if (isIdentChar(c)) return NO_VALUE; // 1abc, 0x10 ...
    sc.i = i;
    if (integer && i - digitsStart <= 9) {
      // common case: computed from the digits without making a substring
      let n = 0;
      for (let k = digitsStart; k < i; k++) n = n * 10 + (s.charCodeAt(k) - 48);
      return start === digitsStart || n === 0 ? n : -n;
    }
    const text = s.slice(start, i);
    if (integer) {
      if (i - digitsStart <= 10) {
        const n = Number(text);
        if (n >= INT4_MIN && n <= INT4_MAX) return n === 0 ? 0 : n;
      }
      if (i - digitsStart <= 19) {
        const b = BigInt(text);
        if (b >= INT8_MIN && b <= INT8_MAX) return b;
      }
    }
    return parseNumeric(text);
  }
  if (sc.keyword('null') || sc.keyword('default')) return null;
  if (sc.keyword('true')) return true;
  if (sc.keyword('false')) return false;
  return NO_VALUE;
}

/** Recognizes a literal-only INSERT ... VALUES statement; null when it is anything else. */
export function scanLiteralInsert(sql: string): LiteralInsert | null {
  const sc = new Scan(sql);
  sc.ws();
  if (!sc.keyword('insert')) return null;
  sc.ws();
  if (!sc.keyword('into')) return null;
  sc.ws();
  let relation = sc.ident();
  if (relation === null) return null;
  let schema: string | null = null;
  if (sc.char(46 /* . */)) {
    schema = relation;
    relation = sc.ident();
    if (relation === null) return null;
  }
  sc.ws();
  let columns: NamedTarget[] | null = null;
  if (sc.char(40 /* ( */)) {
    columns = [];
    for (;;) {
      sc.ws();
      const location = sc.i;
      const name = sc.ident();
      if (name === null) return null;
      columns.push({ name, location });
      sc.ws();
      if (sc.char(41 /* ) */)) break;
      if (!sc.char(44 /* , */)) return null;
    }
    sc.ws();
  }
  if (!sc.keyword('values')) return null;
  // The rows, the bulk of the text: scanned with a local index, and a plain
  // integer of up to 9 digits (most values of a load) read inline; any other
  // value by literal(). Through Scan's methods alone this loop cost three
  // times as much per row.
  let values: unknown[] = [];
  let count = 0;
  const locs = scratchLocations;
  const ends = scratchRowEnds;
  locs.clear();
  ends.clear();
  const s = sql;
  const rowsStart = sc.i;
  let i = rowsStart;
  for (;;) {
    let c = s.charCodeAt(i);
    while (isSpace(c)) c = s.charCodeAt(++i);
    if (c !== 40 /* ( */) return null;
    i++;
    for (;;) {
      c = s.charCodeAt(i);
      while (isSpace(c)) c = s.charCodeAt(++i);
      locs.push(i);
      let j = c === 45 /* - */ ? i + 1 : i;
      const digitsStart = j;
      let d = s.charCodeAt(j);
      let n = 0;
      while (d >= 48 && d <= 57) {
        n = n * 10 + (d - 48);
        d = s.charCodeAt(++j);
      }
      if (j > digitsStart && j - digitsStart <= 9 && d !== 46 /* . */ && d !== 101 && d !== 69 /* e E */ && !isIdentChar(d)) {
        // "-0" reads as 0, not -0.
        values[count++] = c === 45 && n !== 0 ? -n : n;
        i = j;
      } else {
        sc.i = i;
        const v = literal(sc);
        if (v === NO_VALUE) return null;
        values[count++] = v;
        i = sc.i;
      }
      c = s.charCodeAt(i);
      while (isSpace(c)) c = s.charCodeAt(++i);
      i++;
      if (c === 41 /* ) */) break;
      if (c !== 44 /* , */) return null;
    }
    ends.push(count);
    c = s.charCodeAt(i);
    while (isSpace(c)) c = s.charCodeAt(++i);
    if (c !== 44) break;
    if (ends.length === 1) values = presized(values, count, ((s.length - rowsStart) / (i - rowsStart)) * count * 1.05);
    i++;
  }
  sc.i = i;
  if (sc.char(59 /* ; */)) sc.ws();
  if (sc.i !== sql.length) return null;
  values.length = count;
  const result = { schema, relation, columns, values, rowEnds: ends.copy(), locations: locs.copy() };
  // One huge statement does not keep its scratch for the life of the process.
  if (locs.capacity > MAX_KEPT_SCRATCH) scratchLocations = new Int32List(4096);
  if (ends.capacity > MAX_KEPT_SCRATCH) scratchRowEnds = new Int32List(1024);
  return result;
}

type Coerce = (v: unknown, ctx: EvalContext) => unknown;

// Literal kinds, as small integers for per-column lookup tables.
const KIND_TYPES = [OID.int4, OID.int8, OID.unknown, OID.bool, OID.numeric];

function literalKind(v: unknown): number {
  switch (typeof v) {
    case 'number': return 0;
    case 'bigint': return 1;
    case 'string': return 2;
    case 'boolean': return 3;
    default: return 4; // Numeric
  }
}

/**
 * How a literal of `type` becomes a value of `col`, as the analyzer coerces
 * constants: strings through the input function (typmod only for interval),
 * then the typmod; other literals through the assignment cast.
 */
function literalCoercion(col: IngestColumn, type: number, location: number): Coerce {
  const length = typmodCoercion(col.typeOid, col.typmod, false);
  let convert: Coerce | null;
  if (type === OID.unknown) {
    const input = getTextInput(col.typeOid);
    const typmod = col.typeOid === OID.interval ? col.typmod : -1;
    convert = (v, ctx) => input(v as string, typmod, { ...ctx.io, transactionTimestamp: ctx.transactionTimestamp });
  } else if (type === col.typeOid) {
    convert = null;
  } else {
    const cast = lookupCast(type, col.typeOid, 'assignment');
    if (!cast) throw assignmentMismatch(col, type, location);
    convert = cast.convert;
  }
  if (convert && length) return (v, ctx) => length(convert!(v, ctx), ctx);
  return convert ?? length ?? ((v) => v);
}

/** A literal INSERT's plan: its rows come out flat. */
export interface LiteralInsertPlan {
  /** Values per row: the declared columns plus arrival_timestamp. */
  readonly width: number;
  execute(ctx: EvalContext): FlatRows;
}

/**
 * Rows of a scanned literal INSERT for `stream` (resolved by the caller from
 * lit.schema / lit.relation), with the same errors as planStreamInsert, raised
 * when it runs. The plan is for one execution: literals are converted then.
 */
export function planLiteralInsert(lit: LiteralInsert, stream: StreamTarget): LiteralInsertPlan {
  const all = insertableColumns(stream);
  const width = all.length;
  const { targets, explicit, locations } = resolveTargetColumns(lit.columns, stream);
  const { values: scanned, rowEnds, locations: at } = lit;
  // Per target column, per literal kind: the conversion, made on first use
  // (undefined: not made yet, null: the value passes as is).
  const cache: (Coerce | null | undefined)[][] = targets.map(() => new Array(KIND_TYPES.length).fill(undefined));
  const cols = targets.map((t) => all[t]!);
  // Outside the row loop: a closure there would cost a context per row.
  const throwArity = (n: number, start: number): void => checkArity(n, targets, explicit, (k) => at[start + k] ?? -1, locations);
  const convertAt = (k: number, kind: number, location: number): Coerce | null => {
    const col = cols[k]!;
    const type = KIND_TYPES[kind]!;
    const f = type === col.typeOid && col.typmod < 0 ? null : literalCoercion(col, type, location);
    cache[k]![kind] = f;
    return f;
  };
  return {
    width,
    execute(ctx) {
      const count = rowEnds.length;
      ctx.countRows(count);
      const values: unknown[] = new Array(count * width).fill(null);
      const firstLength = rowEnds[0]!;
      // PostgreSQL analyzes the rows one by one (each row's length against
      // the first row's, then against the targets, then each string read by
      // its type's input function and each literal's cast looked up) before
      // anything runs; the casts themselves and the length checks run after,
      // at plan or execution time. So an error of those waits until every
      // row is analyzed, the first in row order winning.
      let late: unknown = null;
      let p = 0;
      for (let r = 0; r < count; r++) {
        const n = rowEnds[r]! - p;
        if (r > 0 && n !== firstLength) throw valuesListsLengthError(at[p]!);
        if (n > targets.length || (explicit && n < targets.length)) throwArity(n, p);
        const row = r * width;
        for (let k = 0, end = rowEnds[r]!; p < end; k++, p++) {
          const v = scanned[p];
          if (v === null) continue;
          const kind = literalKind(v);
          let f = cache[k]![kind];
          if (f === undefined) f = convertAt(k, kind, at[p]!);
          if (f === null) {
            values[row + targets[k]!] = v;
            continue;
          }
          try {
            values[row + targets[k]!] = f(v, ctx);
          } catch (e) {
            // Input errors are the analysis's and point at the literal; the
            // length checks (22001) and casts run later there and carry no position.
            if (kind === 2 && e instanceof PgError && e.code !== SQLSTATE.string_data_right_truncation) throw withPosition(e, at[p]!);
            if (!(e instanceof PgError)) throw e;
            late ??= e;
          }
        }
      }
      if (late !== null) throw late;
      return new FlatRows(values, width, count);
    },
  };
}
