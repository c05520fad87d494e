// Compiles a TypedExpr once into a closure over (row, ctx). No AST is walked
// per row. Immutable subtrees whose inputs are all constant are evaluated on
// first use and remembered (errors are raised each time, when evaluated).
import { PgError, SQLSTATE } from '../../errors.js';
import { PgArray } from '../../types/values.js';
import { elementOf } from '../../types/oids.js';
import type { EvalContext } from '../functions/catalog.js';
import type { EvalFn, TypedExpr } from './typed-expr.js';

interface Compiled {
  fn: EvalFn;
  /** The value does not depend on the row, the parameters or the session. */
  constant: boolean;
}

/** Compiles an expression to `(row, ctx) => value` (SQL NULL is `null`). */
export function compile(expr: TypedExpr): EvalFn {
  return compileNode(expr).fn;
}

/** Compiles a boolean condition to a predicate: only `true` passes (NULL and false do not). */
export function compilePredicate(expr: TypedExpr): (row: unknown[], ctx: EvalContext) => boolean {
  const f = compile(expr);
  return (row, ctx) => f(row, ctx) === true;
}

function memo(fn: EvalFn): EvalFn {
  let done = false;
  let value: unknown;
  return (row, ctx) => {
    if (!done) {
      value = fn(row, ctx);
      done = true;
    }
    return value;
  };
}

function folded(fn: EvalFn, childrenConstant: boolean, immutable: boolean): Compiled {
  if (childrenConstant && immutable) return { fn: memo(fn), constant: true };
  return { fn, constant: false };
}

function compileNode(e: TypedExpr): Compiled {
  switch (e.kind) {
    case 'const': {
      const v = e.value;
      return { fn: () => v, constant: true };
    }
    case 'param': {
      const i = e.index;
      return { fn: (_row, ctx) => ctx.params[i] ?? null, constant: false };
    }
    case 'column': {
      const i = e.index;
      return { fn: (row) => row[i], constant: false };
    }
    case 'aggref':
      throw new PgError(SQLSTATE.internal_error, 'aggregate reference outside of an aggregation');
    case 'call':
      return compileCall(e);
    case 'cast': {
      const arg = compileNode(e.arg);
      const a = arg.fn;
      const convert = e.convert;
      return folded(
        (row, ctx) => {
          const v = a(row, ctx);
          return v === null ? null : convert(v, ctx);
        },
        arg.constant,
        e.volatility === 'immutable',
      );
    }
    case 'bool':
      return compileBool(e.op, e.args.map(compileNode));
    case 'nulltest': {
      const arg = compileNode(e.arg);
      const a = arg.fn;
      const fn: EvalFn = e.isNull ? (row, ctx) => a(row, ctx) === null : (row, ctx) => a(row, ctx) !== null;
      return folded(fn, arg.constant, true);
    }
    case 'booltest': {
      const arg = compileNode(e.arg);
      const a = arg.fn;
      let fn: EvalFn;
      switch (e.test) {
        case 'true': fn = (r, c) => a(r, c) === true; break;
        case 'not_true': fn = (r, c) => a(r, c) !== true; break;
        case 'false': fn = (r, c) => a(r, c) === false; break;
        case 'not_false': fn = (r, c) => a(r, c) !== false; break;
        case 'unknown': fn = (r, c) => a(r, c) === null; break;
        default: fn = (r, c) => a(r, c) !== null; break;
      }
      return folded(fn, arg.constant, true);
    }
    case 'case': {
      const conds = e.whens.map((w) => compileNode(w.cond));
      const results = e.whens.map((w) => compileNode(w.result));
      const other = compileNode(e.elseResult);
      const cf = conds.map((c) => c.fn);
      const rf = results.map((c) => c.fn);
      const ef = other.fn;
      const n = cf.length;
      const fn: EvalFn = (row, ctx) => {
        for (let i = 0; i < n; i++) if (cf[i](row, ctx) === true) return rf[i](row, ctx);
        return ef(row, ctx);
      };
      return folded(fn, [...conds, ...results, other].every((c) => c.constant), true);
    }
    case 'coalesce': {
      const args = e.args.map(compileNode);
      const fs = args.map((a) => a.fn);
      const fn: EvalFn = (row, ctx) => {
        for (const f of fs) {
          const v = f(row, ctx);
          if (v !== null) return v;
        }
        return null;
      };
      return folded(fn, args.every((a) => a.constant), true);
    }
    case 'minmax': {
      const args = e.args.map(compileNode);
      const fs = args.map((a) => a.fn);
      const cmp = e.compare;
      const sign = e.greatest ? 1 : -1;
      const fn: EvalFn = (row, ctx) => {
        let best: unknown = null;
        for (const f of fs) {
          const v = f(row, ctx);
          if (v === null) continue;
          if (best === null || cmp(v, best) * sign > 0) best = v;
        }
        return best;
      };
      return folded(fn, args.every((a) => a.constant), true);
    }
    case 'nullif': {
      const l = compileNode(e.left);
      const r = compileNode(e.right);
      const lf = l.fn;
      const rf = r.fn;
      const eq = e.eq;
      const types = e.eqArgTypes;
      const fn: EvalFn = (row, ctx) => {
        const a = lf(row, ctx);
        const b = rf(row, ctx);
        if (a !== null && b !== null && eq([a, b], ctx, types) === true) return null;
        return a;
      };
      return folded(fn, l.constant && r.constant, true);
    }
    case 'distinct': {
      const l = compileNode(e.left);
      const r = compileNode(e.right);
      const lf = l.fn;
      const rf = r.fn;
      const eq = e.eq;
      const types = e.eqArgTypes;
      const negate = e.negate;
      const fn: EvalFn = (row, ctx) => {
        const a = lf(row, ctx);
        const b = rf(row, ctx);
        let distinct: boolean;
        if (a === null || b === null) distinct = a !== b;
        else distinct = eq([a, b], ctx, types) !== true;
        return negate ? !distinct : distinct;
      };
      return folded(fn, l.constant && r.constant, true);
    }
    case 'scalararrayop':
      return compileScalarArrayOp(e);
    case 'array': {
      const elems = e.elements.map(compileNode);
      const fs = elems.map((x) => x.fn);
      const elemType = e.elemType;
      const fn: EvalFn = (row, ctx) => {
        const items = new Array(fs.length);
        for (let i = 0; i < fs.length; i++) items[i] = fs[i](row, ctx);
        return new PgArray(elemType, items);
      };
      return folded(fn, elems.every((x) => x.constant), true);
    }
    case 'subscript':
      return compileSubscript(e);
    case 'subquery':
      return compileSubquery(e);
  }
}

function compileCall(e: Extract<TypedExpr, { kind: 'call' }>): Compiled {
  const args = e.args.map(compileNode);
  const fs = args.map((a) => a.fn);
  const impl = e.impl;
  const types = e.argTypes;
  const n = fs.length;
  let fn: EvalFn;
  if (e.strict) {
    if (n === 0) fn = (_row, ctx) => impl([], ctx, types);
    else if (n === 1) {
      const f0 = fs[0];
      fn = (row, ctx) => {
        const a = f0(row, ctx);
        return a === null ? null : impl([a], ctx, types);
      };
    } else if (n === 2) {
      const f0 = fs[0];
      const f1 = fs[1];
      fn = (row, ctx) => {
        const a = f0(row, ctx);
        if (a === null) return null;
        const b = f1(row, ctx);
        return b === null ? null : impl([a, b], ctx, types);
      };
    } else {
      fn = (row, ctx) => {
        const vals = new Array(n);
        for (let i = 0; i < n; i++) {
          const v = fs[i](row, ctx);
          if (v === null) return null;
          vals[i] = v;
        }
        return impl(vals, ctx, types);
      };
    }
  } else {
    fn = (row, ctx) => {
      const vals = new Array(n);
      for (let i = 0; i < n; i++) vals[i] = fs[i](row, ctx);
      return impl(vals, ctx, types);
    };
  }
  const resultFn: EvalFn = (row, ctx) => {
    const v = fn(row, ctx);
    return v === undefined ? null : v;
  };
  return folded(resultFn, args.every((a) => a.constant), e.volatility === 'immutable' && !e.returnsSet);
}

function compileBool(op: 'and' | 'or' | 'not', args: Compiled[]): Compiled {
  const fs = args.map((a) => a.fn);
  const constant = args.every((a) => a.constant);
  if (op === 'not') {
    const f = fs[0];
    return folded((row, ctx) => {
      const v = f(row, ctx);
      return v === null ? null : !v;
    }, constant, true);
  }
  // Three-valued logic: a decisive value wins over NULL.
  const decisive = op === 'or';
  return folded((row, ctx) => {
    let sawNull = false;
    for (const f of fs) {
      const v = f(row, ctx);
      if (v === decisive) return decisive;
      if (v === null) sawNull = true;
    }
    return sawNull ? null : !decisive;
  }, constant, true);
}

function compileScalarArrayOp(e: Extract<TypedExpr, { kind: 'scalararrayop' }>): Compiled {
  const l = compileNode(e.left);
  const r = compileNode(e.right);
  const lf = l.fn;
  const rf = r.fn;
  const op = e.op;
  const types = e.opArgTypes;
  const strict = e.opStrict;
  const useOr = e.useOr;
  const fn: EvalFn = (row, ctx) => {
    const arr = rf(row, ctx) as PgArray | null;
    if (arr === null) return null;
    const items = arr.items;
    if (items.length === 0) return !useOr;
    const x = lf(row, ctx);
    if (x === null && strict) return null;
    let sawNull = false;
    for (let i = 0; i < items.length; i++) {
      const y = items[i];
      const res = y === null && strict ? null : op([x, y], ctx, types);
      if (res === null) sawNull = true;
      else if (res === useOr) return useOr;
    }
    return sawNull ? null : !useOr;
  };
  return folded(fn, l.constant && r.constant, true);
}

function compileSubscript(e: Extract<TypedExpr, { kind: 'subscript' }>): Compiled {
  const a = compileNode(e.arg);
  const lo = e.lower ? compileNode(e.lower) : null;
  const hi = e.upper ? compileNode(e.upper) : null;
  const af = a.fn;
  const lf = lo?.fn ?? null;
  const hf = hi?.fn ?? null;
  const constant = a.constant && (lo?.constant ?? true) && (hi?.constant ?? true);
  if (!e.slice) {
    const idx = hf!;
    return folded((row, ctx) => {
      const arr = af(row, ctx) as PgArray | null;
      if (arr === null) return null;
      const i = idx(row, ctx) as number | null;
      if (i === null) return null;
      const k = i - arr.lower;
      return k >= 0 && k < arr.items.length ? arr.items[k] : null;
    }, constant, true);
  }
  return folded((row, ctx) => {
    const arr = af(row, ctx) as PgArray | null;
    if (arr === null) return null;
    const first = arr.lower;
    const last = arr.lower + arr.items.length - 1;
    let from = first;
    let to = last;
    if (lf) {
      const v = lf(row, ctx) as number | null;
      if (v === null) return null;
      from = Math.max(v, first);
    }
    if (hf) {
      const v = hf(row, ctx) as number | null;
      if (v === null) return null;
      to = Math.min(v, last);
    }
    if (from > to) return new PgArray(arr.elemType, []);
    return new PgArray(arr.elemType, arr.items.slice(from - first, to - first + 1));
  }, constant, true);
}

function compileSubquery(e: Extract<TypedExpr, { kind: 'subquery' }>): Compiled {
  const run = e.run;
  switch (e.subKind) {
    case 'exists':
      return { fn: (_row, ctx) => run(ctx).length > 0, constant: false };
    case 'expr':
      return {
        fn: (_row, ctx) => {
          const rows = run(ctx);
          if (rows.length > 1) {
            throw new PgError('21000', 'more than one row returned by a subquery used as an expression');
          }
          return rows.length ? rows[0][0] : null;
        },
        constant: false,
      };
    case 'array': {
      const elemType = elementOf(e.type) ?? 0;
      return {
        fn: (_row, ctx) => new PgArray(elemType, run(ctx).map((r) => r[0])),
        constant: false,
      };
    }
    default: {
      const useOr = e.subKind === 'any';
      const test = compileNode(e.test!).fn;
      const right = compileNode(e.right!).fn;
      const op = e.op!;
      const types = e.opArgTypes!;
      const one: unknown[] = [null];
      return {
        fn: (row, ctx) => {
          const rows = run(ctx);
          if (rows.length === 0) return !useOr;
          const x = test(row, ctx);
          let sawNull = false;
          for (const r of rows) {
            one[0] = r[0];
            const y = r[0] === null ? null : right(one, ctx);
            const res = x === null || y === null ? null : op([x, y], ctx, types);
            if (res === null) sawNull = true;
            else if (res === useOr) return useOr;
          }
          return sawNull ? null : !useOr;
        },
        constant: false,
      };
    }
  }
}
