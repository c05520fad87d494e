// Helpers for the function-library tests: call a registered function the way
// the analyzer would once it has resolved the overload.
import { PgError, SQLSTATE } from '../../errors.js';
import { defaultIoContext } from '../../types/io-context.js';
import { functionCandidates, type EvalContext, type FunctionDef, type SessionHooks } from './catalog.js';

export function testHooks(overrides: Partial<SessionHooks> = {}): SessionHooks {
  const settings = new Map<string, string>([['search_path', '"$user", public']]);
  return {
    currentUser: () => 'alice',
    sessionUser: () => 'alice',
    currentDatabase: () => 'pipeline',
    currentSchema: () => 'public',
    backendPid: () => 4242,
    getSetting: (name, missingOk) => {
      const v = settings.get(name);
      if (v === undefined && !missingOk) throw new Error(`unrecognized configuration parameter "${name}"`);
      return v ?? null;
    },
    setSetting: (name, value) => {
      settings.set(name, value);
      return value;
    },
    requestSleep: () => {},
    cancelBackend: (pid) => pid === 4242,
    terminateBackend: (pid) => pid === 4242,
    serverVersion: () => '11.22',
    notify: () => {},
    ...overrides,
  };
}

export interface TestLimitOptions {
  /** countRows throws 53200 once more than this many rows were counted (default: the server's 10M). */
  rowLimit?: number;
  /** checkInterrupts throws 57014 on its Nth call (default: never). */
  interruptAfter?: number;
}

/**
 * checkInterrupts / countRows for tests, with the counts they saw. Spread it
 * into testContext() overrides to exercise the limits.
 */
export class TestLimits {
  rowsCounted = 0;
  interruptChecks = 0;
  readonly rowLimit: number;
  readonly interruptAfter: number;

  constructor(opts: TestLimitOptions = {}) {
    this.rowLimit = opts.rowLimit ?? 10_000_000;
    this.interruptAfter = opts.interruptAfter ?? Infinity;
  }

  readonly checkInterrupts = (): void => {
    if (++this.interruptChecks >= this.interruptAfter) {
      throw new PgError(SQLSTATE.query_canceled, 'canceling statement due to user request');
    }
  };

  readonly countRows = (n: number): void => {
    this.rowsCounted += n;
    if (!(this.rowsCounted <= this.rowLimit)) throw new PgError(SQLSTATE.out_of_memory, 'out of memory');
  };
}

export function testContext(overrides: Partial<EvalContext> = {}): EvalContext {
  const limits = new TestLimits();
  return {
    io: defaultIoContext(),
    hooks: testHooks(),
    transactionTimestamp: 0,
    statementTimestamp: 0,
    params: [],
    checkInterrupts: limits.checkInterrupts,
    countRows: limits.countRows,
    ...overrides,
  };
}

/** The overload of `name` whose declared argument types are exactly `argTypes`. */
export function findDef(name: string, argTypes: number[]): FunctionDef {
  const def = functionCandidates(name).find(
    (d) => d.args.length === argTypes.length && d.args.every((t, i) => t === argTypes[i]),
  );
  if (!def) throw new Error(`no ${name}(${argTypes.join(',')}) registered`);
  return def;
}

/** Calls name(args) with the given declared types, applying strictness like the executor. */
export function call(name: string, argTypes: number[], args: unknown[], ctx: EvalContext = testContext(), actualTypes = argTypes): unknown {
  const def = findDef(name, argTypes);
  if (def.strict && args.some((a) => a === null)) return null;
  return def.impl(args, ctx, actualTypes);
}

/** Calls the VARIADIC overload of `name` whose fixed arguments are `fixed`, with the actual argument types. */
export function callVariadic(name: string, fixed: number[], args: unknown[], argTypes: number[], ctx: EvalContext = testContext()): unknown {
  const def = functionCandidates(name).find(
    (d) => d.variadic !== undefined && d.args.length === fixed.length && d.args.every((t, i) => t === fixed[i]),
  );
  if (!def) throw new Error(`no variadic ${name}(${fixed.join(',')}, ...) registered`);
  if (def.strict && args.some((a) => a === null)) return null;
  return def.impl(args, ctx, argTypes);
}
