// The analyzed ("typed") expression tree. The analyzer turns libpg-query AST
// nodes into these; the compiler turns these into closures. Every node knows
// its result type OID and typmod (-1 when there is none).
import type { EvalContext, Volatility } from '../functions/catalog.js';

export type EvalFn = (row: unknown[], ctx: EvalContext) => unknown;

/** A value conversion used by casts and coercions: input is never NULL. */
export type ConvertFn = (value: unknown, ctx: EvalContext) => unknown;

interface Base {
  type: number;
  typmod: number;
  /** 0-based character offset in the query text, -1 when unknown. */
  location: number;
}

export interface ConstExpr extends Base {
  kind: 'const';
  value: unknown;
}

/** $n. `index` is 0-based; the type may be fixed later by coercion of an unknown param. */
export interface ParamExpr extends Base {
  kind: 'param';
  index: number;
}

/** A column of the current input row. */
export interface ColumnExpr extends Base {
  kind: 'column';
  index: number;
  name: string;
}

/** A call to a function or an operator implementation. */
export interface CallExpr extends Base {
  kind: 'call';
  /** SQL name (for column naming and messages). */
  name: string;
  isOperator: boolean;
  args: TypedExpr[];
  argTypes: number[];
  strict: boolean;
  volatility: Volatility;
  returnsSet: boolean;
  impl: (args: unknown[], ctx: EvalContext, argTypes: number[]) => unknown;
  /** A set-returning function's values one at a time (FunctionDef.lazy), when it has that form. */
  lazy?: (args: unknown[], ctx: EvalContext) => Iterable<unknown>;
}

/** A type conversion (explicit cast, implicit coercion or typmod application). */
export interface CastExpr extends Base {
  kind: 'cast';
  arg: TypedExpr;
  convert: ConvertFn;
  volatility: Volatility;
  /** true when written by the user (::type / CAST), which names the column after the type. */
  explicit: boolean;
}

export interface BoolExpr extends Base {
  kind: 'bool';
  op: 'and' | 'or' | 'not';
  args: TypedExpr[];
}

export interface NullTestExpr extends Base {
  kind: 'nulltest';
  arg: TypedExpr;
  isNull: boolean;
}

export interface BoolTestExpr extends Base {
  kind: 'booltest';
  arg: TypedExpr;
  test: 'true' | 'not_true' | 'false' | 'not_false' | 'unknown' | 'not_unknown';
}

export interface CaseExpr extends Base {
  kind: 'case';
  whens: { cond: TypedExpr; result: TypedExpr }[];
  elseResult: TypedExpr;
}

export interface CoalesceExpr extends Base {
  kind: 'coalesce';
  args: TypedExpr[];
}

export interface MinMaxExpr extends Base {
  kind: 'minmax';
  greatest: boolean;
  args: TypedExpr[];
  compare: (a: unknown, b: unknown) => number;
}

/** NULLIF(a, b): `eq` is the resolved = operator. */
export interface NullIfExpr extends Base {
  kind: 'nullif';
  left: TypedExpr;
  right: TypedExpr;
  eq: (args: unknown[], ctx: EvalContext, argTypes: number[]) => unknown;
  eqArgTypes: number[];
}

/** a IS [NOT] DISTINCT FROM b */
export interface DistinctExpr extends Base {
  kind: 'distinct';
  left: TypedExpr;
  right: TypedExpr;
  negate: boolean;
  eq: (args: unknown[], ctx: EvalContext, argTypes: number[]) => unknown;
  eqArgTypes: number[];
}

/** scalar op ANY/ALL (array) */
export interface ScalarArrayOpExpr extends Base {
  kind: 'scalararrayop';
  useOr: boolean;
  left: TypedExpr;
  right: TypedExpr;
  opName: string;
  op: (args: unknown[], ctx: EvalContext, argTypes: number[]) => unknown;
  opArgTypes: number[];
  opStrict: boolean;
}

export interface ArrayExpr extends Base {
  kind: 'array';
  elemType: number;
  elements: TypedExpr[];
}

/** arr[i] or arr[lo:hi] (one subscript per dimension; we keep one-dimensional arrays). */
export interface SubscriptExpr extends Base {
  kind: 'subscript';
  arg: TypedExpr;
  slice: boolean;
  lower: TypedExpr | null;
  upper: TypedExpr | null;
}

/** Reference to the result of aggregate number `index` in the grouped row. */
export interface AggRefExpr extends Base {
  kind: 'aggref';
  index: number;
}

/** A value computed once per statement by a sub-select (scalar subquery, EXISTS, IN/ANY). */
export interface SubqueryExpr extends Base {
  kind: 'subquery';
  subKind: 'expr' | 'exists' | 'any' | 'all' | 'array';
  /** Runs the sub-select and returns its rows. */
  run: (ctx: EvalContext) => unknown[][];
  /** For ANY/ALL: the left-hand operand and comparison operator. */
  test?: TypedExpr;
  op?: (args: unknown[], ctx: EvalContext, argTypes: number[]) => unknown;
  opArgTypes?: number[];
  /** For ANY/ALL: the right operand, evaluated on a one-column row holding a sub-select value. */
  right?: TypedExpr;
}

export type TypedExpr =
  | ConstExpr
  | ParamExpr
  | ColumnExpr
  | CallExpr
  | CastExpr
  | BoolExpr
  | NullTestExpr
  | BoolTestExpr
  | CaseExpr
  | CoalesceExpr
  | MinMaxExpr
  | NullIfExpr
  | DistinctExpr
  | ScalarArrayOpExpr
  | ArrayExpr
  | SubscriptExpr
  | AggRefExpr
  | SubqueryExpr;

/** The direct sub-expressions of a node (for generic walks). */
export function childrenOf(e: TypedExpr): TypedExpr[] {
  switch (e.kind) {
    case 'const':
    case 'param':
    case 'column':
    case 'aggref':
      return [];
    case 'call':
    case 'bool':
    case 'coalesce':
    case 'minmax':
      return e.args;
    case 'cast':
    case 'nulltest':
    case 'booltest':
      return [e.arg];
    case 'case': {
      const out: TypedExpr[] = [];
      for (const w of e.whens) out.push(w.cond, w.result);
      out.push(e.elseResult);
      return out;
    }
    case 'nullif':
    case 'distinct':
    case 'scalararrayop':
      return [e.left, e.right];
    case 'array':
      return e.elements;
    case 'subscript': {
      const out: TypedExpr[] = [e.arg];
      if (e.lower) out.push(e.lower);
      if (e.upper) out.push(e.upper);
      return out;
    }
    case 'subquery':
      return e.test ? [e.test] : [];
  }
}

export function makeConst(value: unknown, type: number, typmod = -1, location = -1): ConstExpr {
  return { kind: 'const', value, type, typmod, location };
}

/** A shallow copy of `e` with every direct sub-expression replaced by f(child). */
export function mapChildren(e: TypedExpr, f: (c: TypedExpr) => TypedExpr): TypedExpr {
  switch (e.kind) {
    case 'const':
    case 'param':
    case 'column':
    case 'aggref':
      return e;
    case 'call':
    case 'bool':
    case 'coalesce':
    case 'minmax':
      return { ...e, args: e.args.map(f) } as TypedExpr;
    case 'cast':
    case 'nulltest':
    case 'booltest':
      return { ...e, arg: f(e.arg) } as TypedExpr;
    case 'case':
      return { ...e, whens: e.whens.map((w) => ({ cond: f(w.cond), result: f(w.result) })), elseResult: f(e.elseResult) };
    case 'nullif':
    case 'distinct':
    case 'scalararrayop':
      return { ...e, left: f(e.left), right: f(e.right) } as TypedExpr;
    case 'array':
      return { ...e, elements: e.elements.map(f) };
    case 'subscript':
      return { ...e, arg: f(e.arg), lower: e.lower && f(e.lower), upper: e.upper && f(e.upper) };
    case 'subquery':
      return e.test ? { ...e, test: f(e.test) } : e;
  }
}

const identities = new WeakMap<object, number>();
let nextIdentity = 1;
function identity(o: object): number {
  let id = identities.get(o);
  if (id === undefined) identities.set(o, (id = nextIdentity++));
  return id;
}

/** A string equal for structurally identical expressions (GROUP BY matching). */
export function fingerprint(e: TypedExpr): string {
  const kids = () => childrenOf(e).map(fingerprint).join(',');
  switch (e.kind) {
    case 'const': {
      const v = e.value;
      const shown = v === null || typeof v !== 'object' ? typeof v + ':' + String(v) : 'obj#' + identity(v as object);
      return `K${e.type}:${shown}`;
    }
    case 'param':
      return `P${e.index}:${e.type}`;
    case 'column':
      return `C${e.index}`;
    case 'aggref':
      return `A${e.index}`;
    case 'call':
      return `F${identity(e.impl)}(${kids()})`;
    case 'cast':
      return `X${identity(e.convert)}:${e.type}(${kids()})`;
    case 'bool':
      return `B${e.op}(${kids()})`;
    case 'nulltest':
      return `N${e.isNull}(${kids()})`;
    case 'booltest':
      return `T${e.test}(${kids()})`;
    case 'subscript':
      return `S${e.slice}${e.lower ? 'l' : ''}${e.upper ? 'u' : ''}(${kids()})`;
    case 'subquery':
      return `Q#${identity(e.run)}(${kids()})`;
    case 'scalararrayop':
      return `O${identity(e.op)}${e.useOr}(${kids()})`;
    case 'distinct':
      return `D${e.negate}(${kids()})`;
    case 'minmax':
      return `M${e.greatest}(${kids()})`;
    default:
      return `${e.kind}:${e.type}(${kids()})`;
  }
}
