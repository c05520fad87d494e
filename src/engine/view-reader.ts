// Reads of continuous views: a view is a relation whose rows are its
// committed groups, finalized. Plans are compiled once per view definition
// on the main thread and reused by every read.
import type { Relation } from '../sql/select/relation.js';
import { compileContinuousPlan } from '../planner/compile-plan.js';
import type { CompiledContinuousPlan, ContinuousViewDefinition } from '../planner/continuous-plan.js';
import type { TypeIoContext } from '../types/io-context.js';
import type { Engine } from './engine.js';

export class ViewReader {
  /** Compiled plans by view OID, valid for the definition text they were compiled from. */
  private readonly plans = new Map<number, { query: string; plan: CompiledContinuousPlan }>();

  constructor(private readonly engine: Engine, private readonly io: TypeIoContext) {}

  plan(viewOid: number, definition: ContinuousViewDefinition): CompiledContinuousPlan {
    const cached = this.plans.get(viewOid);
    if (cached && cached.query === definition.query) return cached.plan;
    const plan = compileContinuousPlan(definition, this.io);
    this.plans.set(viewOid, { query: definition.query, plan });
    return plan;
  }

  /**
   * The view as a relation: its output columns, and rows finalized from
   * committed state. When every group-key element is an output column, the
   * relation is keyed by those columns and reads one group by its key.
   */
  relation(viewOid: number, definition: ContinuousViewDefinition): Relation {
    const plan = this.plan(viewOid, definition);
    const engine = this.engine;
    const relation: Relation = {
      columns: plan.outputColumns.map((c) => ({ name: c.name, type: c.typeOid, typmod: c.typmod })),
      *scan(ctx) {
        let n = 0;
        for (const { key, state } of engine.scan(viewOid)) {
          if ((++n & 4095) === 0) ctx.checkInterrupts();
          yield plan.finalize(plan.decodeKey(key), plan.deserializeStates(state), ctx);
        }
      },
    };
    const keyColumns = plan.keyOutputColumns;
    if (keyColumns.every((c) => c !== null)) {
      relation.keyColumns = keyColumns as readonly number[];
      relation.lookup = (keyValues, ctx) => {
        const key = plan.encodeKey(keyValues);
        const state = engine.get(viewOid, key);
        if (state === undefined) return null;
        // Finalized from the decoded canonical key, as the scan does, so both show the same values.
        return plan.finalize(plan.decodeKey(key), plan.deserializeStates(state), ctx);
      };
    }
    return relation;
  }

  forget(viewOid: number): void {
    this.plans.delete(viewOid);
  }
}
