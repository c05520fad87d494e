// What a DROP takes with it, found and reported as PostgreSQL's
// findDependentObjects / reportDependentObjects do: dependents are visited
// depth first, newest first, each listed once with the object it was reached
// from, and the list is reported in reverse visiting order (so a view comes
// before the views built on it).
import {
  DROP_CASCADE_HINT,
  describeRelation,
  type DependentRelation,
  type PipelineRelation,
  type StreamCatalogReader,
} from '../../storage/stream-catalog.js';
import { PgError, SQLSTATE } from '../../errors.js';

export interface Dependent {
  rel: DependentRelation;
  /** The object it was reached from (what the report says it depends on). */
  on: PipelineRelation;
}

/** Everything that depends on the targets, directly or not, in PostgreSQL's report order; the targets themselves excluded. */
export function dependentsToDrop(catalog: StreamCatalogReader, dbOid: number, targets: readonly PipelineRelation[]): Dependent[] {
  const visited = new Set<number>();
  const postOrder: { rel: PipelineRelation; on: PipelineRelation | null }[] = [];
  const visit = (rel: PipelineRelation, on: PipelineRelation | null): void => {
    if (visited.has(rel.oid)) return;
    visited.add(rel.oid);
    const dependents = catalog.dependentsOf(dbOid, rel.oid).sort((a, b) => b.oid - a.oid);
    for (const d of dependents) visit(d, rel);
    postOrder.push({ rel, on });
  };
  for (const t of targets) visit(t, null);
  const targetOids = new Set(targets.map((t) => t.oid));
  const out: Dependent[] = [];
  for (let i = postOrder.length - 1; i >= 0; i--) {
    const { rel, on } = postOrder[i];
    if (!targetOids.has(rel.oid)) out.push({ rel: rel as DependentRelation, on: on! });
  }
  return out;
}

/** 2BP01 for a DROP without CASCADE; one named object is named in the message, several are not. */
export function dependentsError(targets: readonly PipelineRelation[], dependents: readonly Dependent[]): PgError {
  const message =
    targets.length === 1
      ? `cannot drop ${describeRelation(targets[0])} because other objects depend on it`
      : 'cannot drop desired object(s) because other objects depend on them';
  return new PgError(SQLSTATE.dependent_objects_still_exist, message, {
    detail: dependents.map((d) => `${describeRelation(d.rel)} depends on ${describeRelation(d.on)}`).join('\n'),
    hint: DROP_CASCADE_HINT,
  });
}

/** The NOTICE of a DROP ... CASCADE: its message and DETAIL (none for a single object). */
export function cascadeNotice(dependents: readonly Dependent[]): { message: string; detail?: string } {
  if (dependents.length === 1) return { message: `drop cascades to ${describeRelation(dependents[0].rel)}` };
  return {
    message: `drop cascades to ${dependents.length} other objects`,
    detail: dependents.map((d) => `drop cascades to ${describeRelation(d.rel)}`).join('\n'),
  };
}
