// Aggregate-state plumbing shared by the sketch aggregates: a state is the
// sketch object or null (no rows yet: the aggregate's value is NULL, as
// PipelineDB's sketch aggregates have no initial state); serialized, null is
// the empty byte string and a sketch its SQL value's bytes.
import type { AggregateImpl } from './aggregate.js';

export interface SketchStateOps<S> {
  resultType: number;
  /** Folds one row (non-NULL sketch-relevant arguments) into the state, creating it when null. */
  step(state: S | null, args: unknown[]): S | null;
  merge(a: S, b: S): S;
  toBytes(s: S): Uint8Array;
  fromBytes(b: Uint8Array): S;
}

const EMPTY = new Uint8Array(0);

export function sketchAggregate<S>(ops: SketchStateOps<S>): AggregateImpl<S | null> {
  return {
    resultType: ops.resultType,
    init: () => null,
    step: (s, args) => ops.step(s, args),
    merge: (a, b) => (a === null ? b : b === null ? a : ops.merge(a, b)),
    final: (s) => (s === null ? null : ops.toBytes(s)),
    serialize: (s) => (s === null ? EMPTY : ops.toBytes(s)),
    deserialize: (b) => (b.length === 0 ? null : ops.fromBytes(b)),
  };
}
