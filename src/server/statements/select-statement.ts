// SELECT: planned by the SQL layer, run inside the session's interrupt scope.
import { planSelect } from '../../sql/select/plan-select.js';
import { ParamTypes } from '../../sql/expr/scope.js';
import '../../sql/builtins.js';
import type { Session } from '../session.js';
import { computedColumn, type StatementPlan } from '../statement-plan.js';
import { pipelineRelations, rewritePipelineCalls } from './pipeline-relations.js';
import { bindPipelineSession } from './pipeline-functions.js';

export function planSelectStatement(session: Session, node: unknown, paramTypes: number[]): StatementPlan {
  const params = new ParamTypes([...paramTypes], true);
  // Streams, continuous views and the pipelinedb schema's relations and functions.
  rewritePipelineCalls(node);
  bindPipelineSession(session);
  const plan = planSelect(node, { params, io: session.settings.ioContext(), relations: pipelineRelations(session) });
  return {
    kind: 'SelectStmt',
    paramTypes: params.types,
    columns: plan.columns.map((c) => computedColumn(c.name, c.typeOid, c.typmod)),
    execute(s, values) {
      const ctx = s.evalContext(values);
      return { rows: plan.run(ctx), tag: 'SELECT' };
    },
    rowsAsRead: (s, values) => plan.rowsAsRead?.(s.evalContext(values)) ?? null,
  };
}
