// The suite's classic view, compiled in process for the per-thread benchmarks:
// cv1 = SELECT id, count(*), avg(val), min(val), max(val), sum(val) FROM s GROUP BY id.
import { OID } from '../src/types/oids.js';
import type { TypeIoContext } from '../src/types/io-context.js';
import { compileContinuousPlan } from '../src/planner/compile-plan.js';
import type { CompiledContinuousPlan } from '../src/planner/continuous-plan.js';

export function compileCv1(io: TypeIoContext): CompiledContinuousPlan {
  return compileContinuousPlan(
    {
      name: 'cv1',
      query: 'SELECT id, count(*), avg(val), min(val), max(val), sum(val) FROM s GROUP BY id',
      stream: { name: 's', columns: [{ name: 'id', typeOid: OID.int4, typmod: -1 }, { name: 'val', typeOid: OID.int4, typmod: -1 }] },
    },
    io,
  );
}
