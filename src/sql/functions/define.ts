// Shorthand for building FunctionDefs: most built-ins are strict and immutable,
// so those are the defaults and only the exceptions are spelled out.
import type { EvalContext, FunctionDef, Volatility } from './catalog.js';

export interface DefOptions {
  strict?: boolean;
  volatility?: Volatility;
  variadic?: number;
  returnsSet?: boolean;
  lazy?: FunctionDef['lazy'];
}

export function fn(
  name: string,
  args: number[],
  ret: number | ((argTypes: number[]) => number),
  impl: (args: any, ctx: EvalContext, argTypes: number[]) => unknown,
  opts: DefOptions = {},
): FunctionDef {
  const def: FunctionDef = {
    name,
    args,
    ret,
    strict: opts.strict ?? true,
    volatility: opts.volatility ?? 'immutable',
    impl,
  };
  if (opts.variadic !== undefined) def.variadic = opts.variadic;
  if (opts.returnsSet) def.returnsSet = true;
  if (opts.lazy) def.lazy = opts.lazy;
  return def;
}
