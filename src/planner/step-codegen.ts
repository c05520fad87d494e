// Builds a plan's step(states, row, ctx) as one generated function.
//
// Why generated: closures made by one function literal share V8's type
// feedback, so a loop over per-aggregate stepper closures makes every call
// site inside them megamorphic once a plan has more than a few aggregates
// (cv1's six aggregates: ~270 ns/row as closures, ~125 ns/row generated).
// A function compiled per plan has its own feedback: each aggregate's
// argument evaluation and step call stay monomorphic and inlinable.
//
// Only integers are spliced into the source; every function and value the
// code uses is passed in as an argument, so no query text reaches the code.
import type { EvalContext } from '../sql/functions/catalog.js';
import type { EvalFn } from '../sql/expr/typed-expr.js';
import type { AggregateImpl } from '../sql/aggregates/aggregate.js';
import type { FixedKind } from './state-codecs.js';
import { SMALL_SUM, fixedFieldWidth } from './fixed-fields.js';

export interface StepSlot {
  impl: AggregateImpl;
  args: EvalFn[];
  /** Skip the row when an argument is NULL. */
  strict: boolean;
  /** FILTER (WHERE ...), or null. */
  filter: ((row: unknown[], ctx: EvalContext) => boolean) | null;
}

/** A hidden state that keeps the first non-NULL value of a group column. */
export interface RepresentativeSlot {
  stateIndex: number;
  groupFn: EvalFn;
}

export type StepFn = (states: unknown[], row: unknown[], ctx: EvalContext) => void;

/**
 * Aggregate j's state is states[j]. Argument arrays handed to impl.step are
 * reused across rows: the supported aggregates read them and never keep them.
 */
export function generateStep(slots: readonly StepSlot[], reps: readonly RepresentativeSlot[]): StepFn {
  const prelude: string[] = [];
  const body: string[] = [];
  slots.forEach((slot, j) => {
    prelude.push(`const m${j} = M[${j}];`);
    if (slot.filter) prelude.push(`const w${j} = W[${j}];`);
    slot.args.forEach((_, k) => prelude.push(`const f${j}_${k} = F[${j}][${k}];`));
    if (slot.args.length > 0) prelude.push(`const a${j} = A[${j}];`);

    let stmt: string;
    if (slot.args.length === 0) {
      stmt = `s[${j}] = m${j}.step(s[${j}], NO_ARGS, ctx);`;
    } else {
      const vals = slot.args.map((_, k) => `v${j}_${k}`);
      const evals = slot.args.map((_, k) => `const v${j}_${k} = f${j}_${k}(row, ctx);`).join(' ');
      const stores = vals.map((v, k) => `a${j}[${k}] = ${v};`).join(' ');
      const call = `${stores} s[${j}] = m${j}.step(s[${j}], a${j}, ctx);`;
      stmt = slot.strict ? `${evals} if (${vals.map((v) => `${v} !== null`).join(' && ')}) { ${call} }` : `${evals} ${call}`;
    }
    body.push(slot.filter ? `if (w${j}(row, ctx)) { ${stmt} }` : `{ ${stmt} }`);
  });
  reps.forEach((r, i) => {
    prelude.push(`const g${i} = R[${i}];`);
    body.push(`if (s[${r.stateIndex}] === null) s[${r.stateIndex}] = g${i}(row, ctx);`);
  });
  const source = `'use strict';\n${prelude.join('\n')}\nreturn function step(s, row, ctx) {\n${body.join('\n')}\n};`;
  const make = new Function('M', 'F', 'W', 'A', 'R', 'NO_ARGS', source) as (...deps: unknown[]) => StepFn;
  return make(
    slots.map((s) => s.impl),
    slots.map((s) => s.args),
    slots.map((s) => s.filter),
    slots.map((s) => new Array<unknown>(s.args.length).fill(null)),
    reps.map((r) => r.groupFn),
    [],
  );
}

/**
 * step() of a view whose states are all fixed kinds (fixed-fields.ts), over
 * a record of doubles: the fields of one group start at `at` of `r`.
 * Returns false, possibly with the row half applied, when a value needs
 * the object form (an int8 argument or a sum past 2^50 in magnitude): the
 * caller then steps the whole batch in the object form instead.
 */
export type FixedStepFn = (r: Float64Array, at: number, row: unknown[], ctx: EvalContext) => boolean;

/** A FixedStepFn for these slots (kinds[j]: slot j's fixed kind), or null when one is not steppable so. */
export function generateFixedStep(slots: readonly StepSlot[], kinds: readonly FixedKind[]): FixedStepFn | null {
  const prelude: string[] = [];
  const body: string[] = [];
  let field = 0;
  for (let j = 0; j < slots.length; j++) {
    const slot = slots[j]!;
    const kind = kinds[j]!;
    const at = `at + ${field}`;
    field += fixedFieldWidth(kind);
    if (slot.filter) prelude.push(`const w${j} = W[${j}];`);
    let stmt: string;
    if (slot.args.length === 0) {
      // count(*)
      if (kind !== 'count') return null;
      stmt = `r[${at}] += 1;`;
    } else {
      // Every aggregate of these kinds with an argument ignores NULLs (strict) and takes one.
      if (slot.args.length !== 1 || !slot.strict) return null;
      prelude.push(`const f${j} = F[${j}];`);
      // int8 arguments are bigints: small ones are added as numbers, as IntSum does.
      const toNumber = `if (typeof v !== 'number') { if (!(v < BIG && v > -BIG)) return false; v = Number(v); }`;
      const sum = (a: string) => `const x = ${a}; if (!(x < SMALL && x > -SMALL)) return false;`;
      switch (kind) {
        case 'count':
          stmt = `r[${at}] += 1;`;
          break;
        case 'intsum':
          stmt = `${toNumber} const a = r[${at}]; ${sum('a !== a ? v : a + v')} r[${at}] = x;`;
          break;
        case 'intavg':
          stmt = `${toNumber} ${sum(`r[${at} + 1] + v`)} r[${at}] += 1; r[${at} + 1] = x;`;
          break;
        case 'min':
          stmt = `const a = r[${at}]; if (a !== a || v < a) r[${at}] = v;`;
          break;
        case 'max':
          stmt = `const a = r[${at}]; if (a !== a || v > a) r[${at}] = v;`;
          break;
      }
      stmt = `let v = f${j}(row, ctx); if (v !== null) { ${stmt} }`;
    }
    body.push(slot.filter ? `if (w${j}(row, ctx)) { ${stmt} }` : `{ ${stmt} }`);
  }
  const source = `'use strict';\n${prelude.join('\n')}\nreturn function fixedStep(r, at, row, ctx) {\n${body.join('\n')}\nreturn true;\n};`;
  const make = new Function('F', 'W', 'SMALL', 'BIG', source) as (...deps: unknown[]) => FixedStepFn;
  return make(
    slots.map((s) => s.args[0] ?? null),
    slots.map((s) => s.filter),
    SMALL_SUM,
    BigInt(SMALL_SUM),
  );
}
