// SELECT DISTINCT and SELECT DISTINCT ON in a continuous view. A distinct
// view is a grouped view without aggregates: DISTINCT groups by every
// target, DISTINCT ON (...) by its expressions, and each other target keeps
// the value of the first row its group saw (an internal "any value"
// aggregate whose merge keeps the state it already has). The stored groups
// are exact, so a distinct view never drops a tuple; PipelineDB filtered
// tuples through a Bloom filter, whose false positives could.
import { PgError, SQLSTATE } from '../errors.js';
import type { AstNode } from '../sql/expr/ast.js';
import type { AggregateCall, ExprEnv } from '../sql/expr/scope.js';
import { fingerprint, type TypedExpr } from '../sql/expr/typed-expr.js';
import type { AggregateImpl } from '../sql/aggregates/aggregate.js';
import { typeName } from '../sql/expr/coerce.js';
import { resolveGroupBy, type NamedTarget } from './group-clause.js';
import { valueCodecFor } from './value-codec.js';

/** The internal aggregate DISTINCT ON uses for targets outside its key. */
export const ANY_VALUE = 'any_value';

/** State: null until a row is seen, then [value] (the value may be NULL). */
function anyValue(type: number): AggregateImpl<[unknown] | null> {
  return {
    resultType: type,
    init: () => null,
    step: (s, [v]) => s ?? [v],
    merge: (a, b) => a ?? b,
    final: (s) => (s === null ? null : s[0]),
    // Views store this state through state-codecs.ts; these are not used there.
    serialize: () => {
      throw new Error('any_value states are stored by the view state codec');
    },
    deserialize: () => {
      throw new Error('any_value states are stored by the view state codec');
    },
  };
}

/**
 * Turns a DISTINCT [ON] query into group expressions and, for DISTINCT ON,
 * replaces the targets outside the key by any_value aggregates (added with
 * `addAggregate`). Returns the group expressions.
 */
export function planDistinct(
  distinctClause: AstNode[],
  targets: NamedTarget[],
  env: ExprEnv,
  addAggregate: (c: AggregateCall) => number,
): TypedExpr[] {
  const on = distinctClause.length > 0 && Object.keys(distinctClause[0]).length > 0;
  const keys: TypedExpr[] = on ? resolveGroupBy(distinctClause, targets, env) : [];
  if (!on) {
    const seen = new Set<string>();
    for (const t of targets) {
      const fp = fingerprint(t.expr);
      if (!seen.has(fp)) keys.push(t.expr);
      seen.add(fp);
    }
    return keys;
  }
  const keyPrints = new Set(keys.map(fingerprint));
  for (const t of targets) {
    if (keyPrints.has(fingerprint(t.expr))) continue;
    const e = t.expr;
    if (!valueCodecFor(e.type)) {
      throw new PgError(SQLSTATE.feature_not_supported, `continuous views cannot keep type ${typeName(e.type)} outside the DISTINCT ON key yet`, {
        position: e.location + 1,
      });
    }
    const index = addAggregate({
      name: ANY_VALUE,
      args: [e],
      argTypes: [e.type],
      star: false,
      distinct: false,
      order: [],
      filter: null,
      resultType: e.type,
      location: e.location,
      impl: anyValue(e.type),
      strict: false,
    });
    t.expr = { kind: 'aggref', index, type: e.type, typmod: e.typmod, location: e.location };
  }
  return keys;
}
