// Rewrites of a continuous view's target list for aggregates whose exact
// state would grow without bound, done as PipelineDB does: the view stores a
// sketch and reads an estimate from it.
//
//   count(DISTINCT x)                              -> hll_cardinality(hll_agg(x))         int8
//   percentile_cont(f) WITHIN GROUP (ORDER BY x)   -> dist_quantile(dist_agg(x), f)       float8
//   percentile_cont(ARRAY[f1, ...]) WITHIN GROUP (ORDER BY x)
//        -> CASE WHEN dist_agg(x) IS NULL THEN NULL
//                ELSE ARRAY[dist_quantile(dist_agg(x), f1), ...] END                      float8[]
//   array_agg(DISTINCT x)                          -> set_agg(x)                           x[]
//
// The rewrite is on the raw parse tree, before analysis, so the rewritten
// expressions are typed like any other (count(DISTINCT x) + 1 is int8 + int4).
// Identical dist_agg(x) calls share one state. Output column names are taken
// from the original tree by the caller.
import { PgError, SQLSTATE } from '../errors.js';
import { nameList, type AstNode } from '../sql/expr/ast.js';

function unsupported(message: string, location: number | undefined): PgError {
  return new PgError(SQLSTATE.feature_not_supported, message, location !== undefined && location >= 0 ? { position: location + 1 } : {});
}

function funcCall(name: string, args: AstNode[], location: number, filter?: AstNode): AstNode {
  const fc: AstNode = { funcname: [{ String: { sval: name } }], args, funcformat: 'COERCE_EXPLICIT_CALL', location };
  if (filter) fc.agg_filter = filter;
  return { FuncCall: fc };
}

/** The unqualified (or pg_catalog-qualified) name of a function call, else null. */
function builtinName(fc: AstNode): string | null {
  const names = nameList(fc.funcname);
  if (names.length > 2 || (names.length === 2 && names[0] !== 'pg_catalog')) return null;
  return names[names.length - 1];
}

function rewriteCountDistinct(fc: AstNode): AstNode {
  const loc: number = fc.location ?? -1;
  // hll_cardinality(NULL) is 0, which is count(DISTINCT x) over no non-NULL rows.
  return funcCall('hll_cardinality', [funcCall('hll_agg', fc.args, loc, fc.agg_filter)], loc);
}

/** The fraction list of the array form: ARRAY[...] or a string literal cast to an array, else null. */
function fractionList(arg: AstNode): AstNode[] | null {
  if (arg.A_ArrayExpr) return (arg.A_ArrayExpr.elements ?? []) as AstNode[];
  const tc = arg.TypeCast;
  if (tc && tc.typeName?.arrayBounds && tc.arg?.A_Const?.sval) {
    const text = String(tc.arg.A_Const.sval.sval).trim();
    if (!text.startsWith('{') || !text.endsWith('}')) return null;
    const loc: number = tc.arg.A_Const.location ?? -1;
    const inner = text.slice(1, -1).trim();
    if (inner === '') return [];
    return inner.split(',').map((s) => ({
      TypeCast: {
        arg: { A_Const: { sval: { sval: s.trim() }, location: loc } },
        typeName: { names: [{ String: { sval: 'float8' } }], typemod: -1, location: loc },
        location: loc,
      },
    }));
  }
  return null;
}

/** A numeric literal fraction's value, or null when the fraction is not a plain literal. */
function literalFraction(node: AstNode): number | null {
  const c = node.A_Const;
  if (!c) return null;
  if (c.fval) return Number(c.fval.fval);
  if (c.ival) return Number(c.ival.ival ?? 0);
  return null;
}

function checkFraction(node: AstNode): void {
  const f = literalFraction(node);
  if (f !== null && !(f >= 0 && f <= 1)) {
    // PostgreSQL's message, raised here at CREATE rather than at each read.
    throw new PgError(SQLSTATE.numeric_value_out_of_range, `percentile value ${f} is not between 0 and 1`);
  }
}

function rewritePercentileCont(fc: AstNode): AstNode {
  const loc: number = fc.location ?? -1;
  const args = (fc.args ?? []) as AstNode[];
  const order = (fc.agg_order ?? []) as AstNode[];
  if (args.length !== 1 || order.length !== 1) return { FuncCall: fc };
  const sb = order[0].SortBy;
  if (sb.sortby_dir === 'SORTBY_DESC' || sb.sortby_dir === 'SORTBY_USING') {
    throw unsupported('percentile_cont with a descending or USING ordering is not supported in continuous views yet', loc);
  }
  const digest = (): AstNode => funcCall('dist_agg', [sb.node], loc, fc.agg_filter);
  const arg = args[0];
  const list = fractionList(arg);
  if (list === null) {
    if (arg.A_ArrayExpr || arg.TypeCast?.typeName?.arrayBounds) {
      throw unsupported('percentile_cont in continuous views needs an ARRAY[...] or literal array of fractions', loc);
    }
    checkFraction(arg);
    return funcCall('dist_quantile', [digest(), arg], loc);
  }
  list.forEach(checkFraction);
  const array: AstNode = { A_ArrayExpr: { elements: list.map((f) => funcCall('dist_quantile', [digest(), f], loc)), location: loc } };
  // No non-NULL input: PostgreSQL's percentile_cont gives NULL, not an array of NULLs.
  return {
    CaseExpr: {
      args: [
        {
          CaseWhen: {
            expr: { NullTest: { arg: digest(), nulltesttype: 'IS_NULL', location: loc } },
            result: { TypeCast: { arg: { A_Const: { isnull: true, location: loc } }, typeName: { names: [{ String: { sval: 'float8' } }], typemod: -1, arrayBounds: [{ Integer: { ival: -1 } }], location: loc }, location: loc } },
            location: loc,
          },
        },
      ],
      defresult: array,
      location: loc,
    },
  };
}

/**
 * Returns the target expression with count(DISTINCT x) and percentile_cont
 * calls replaced by their sketch forms (the input tree is not modified).
 * Calls of other shapes are left for the analyzer and planner to refuse.
 */
export function rewriteSketchAggregates(node: AstNode): AstNode {
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map(rewriteSketchAggregates);
  const out: AstNode = {};
  for (const key in node) {
    const v = node[key];
    if (key === 'FuncCall' && v && !v.over) {
      const fc: AstNode = { ...v, args: v.args ? rewriteSketchAggregates(v.args) : v.args };
      const name = builtinName(fc);
      if (name === 'count' && fc.agg_distinct && (fc.args?.length ?? 0) === 1 && !fc.agg_star) {
        return rewriteCountDistinct(fc);
      }
      if (name === 'percentile_cont' && fc.agg_within_group) return rewritePercentileCont(fc);
      if (name === 'array_agg' && fc.agg_distinct && !fc.agg_order && (fc.args?.length ?? 0) === 1) {
        return funcCall('set_agg', fc.args, fc.location ?? -1, fc.agg_filter);
      }
      out[key] = fc;
      continue;
    }
    out[key] = v !== null && typeof v === 'object' ? rewriteSketchAggregates(v) : v;
  }
  return out;
}
