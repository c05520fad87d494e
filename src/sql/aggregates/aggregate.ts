// The aggregate interface. Ad-hoc SELECTs use it to aggregate rows; the
// continuous-view engine uses the same methods for partial aggregation:
// workers init/step, combiners merge and serialize, reads call final.
import type { EvalContext } from '../functions/catalog.js';

export interface AggregateImpl<State = unknown> {
  /** Result type OID of final(). */
  readonly resultType: number;
  /** A fresh state for an empty group. */
  init(): State;
  /**
   * Folds one input row's argument values into the state and returns the new
   * state (which may be the same object, mutated). Strict aggregates never see
   * NULL arguments: the caller skips such rows.
   */
  step(state: State, args: unknown[], ctx?: EvalContext): State;
  /** Combines two partial states (neither is used afterwards). */
  merge(a: State, b: State): State;
  /** The aggregate's value for a state; NULL is `null`. */
  final(state: State, ctx?: EvalContext): unknown;
  serialize(state: State): Uint8Array;
  deserialize(bytes: Uint8Array): State;
}

/** One ORDER BY column of a WITHIN GROUP clause, as the aggregate's final sort uses it. */
export interface WithinGroupOrder {
  desc: boolean;
  nullsFirst: boolean;
  location: number;
}

/** A registered aggregate signature; `create` builds the implementation for the resolved argument types. */
export interface AggregateDef {
  name: string;
  args: number[];
  ret: number | ((argTypes: number[]) => number);
  /** true (the default for built-ins): rows with a NULL argument are skipped. */
  strict: boolean;
  /**
   * Set for aggregates called with WITHIN GROUP: 'ordered' (args are the direct
   * arguments then the ORDER BY values) or 'hypothetical' (as many direct
   * arguments as ORDER BY columns, paired up by type). Steps get direct
   * arguments then ORDER BY values; `order` gives the ORDER BY directions and
   * `constDirect` the direct arguments' values when they are constants (an
   * empty group still checks them, as PostgreSQL's final functions do).
   */
  withinGroup?: 'ordered' | 'hypothetical';
  create(argTypes: number[], order?: readonly WithinGroupOrder[], constDirect?: readonly unknown[]): AggregateImpl;
  /**
   * An implementation with a bounded state for continuous views, when
   * create()'s keeps every input (PipelineDB's combinable variants of the
   * hypothetical-set aggregates). Same arguments and result.
   */
  createStreaming?(argTypes: number[], order?: readonly WithinGroupOrder[], constDirect?: readonly unknown[]): AggregateImpl;
}

const registry = new Map<string, AggregateDef[]>();

export function registerAggregate(...defs: AggregateDef[]): void {
  for (const d of defs) {
    let list = registry.get(d.name);
    if (!list) registry.set(d.name, (list = []));
    list.push(d);
  }
}

export function aggregateCandidates(name: string): readonly AggregateDef[] {
  return registry.get(name) ?? [];
}

export function isAggregateName(name: string): boolean {
  return registry.has(name);
}
