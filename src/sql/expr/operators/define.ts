// Shorthand for operator definitions: most are strict and immutable.
import { registerOperator, type EvalContext, type Volatility } from '../../functions/catalog.js';
import type { OperatorDefEx } from '../analyze-operators.js';

export function op(
  name: string,
  left: number | null,
  right: number,
  ret: number | ((argTypes: number[]) => number),
  impl: (args: any[], ctx: EvalContext, argTypes: number[]) => unknown,
  opts: { strict?: boolean; volatility?: Volatility } = {},
): OperatorDefEx {
  return { name, left, right, ret, impl, strict: opts.strict ?? true, volatility: opts.volatility ?? 'immutable' };
}

export function register(...defs: OperatorDefEx[]): void {
  registerOperator(...defs);
}
