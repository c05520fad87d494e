// DROP FOREIGN TABLE (streams; 0.9: DROP STREAM) and DROP VIEW (continuous
// views, transforms and plain views; 0.9: DROP CONTINUOUS VIEW / TRANSFORM),
// with PostgreSQL's messages: IF EXISTS notices, wrong-kind errors, and the
// dependency rule that a relation others read (a stream read by continuous
// queries, a view read by plain views) is only dropped with CASCADE, which
// drops those readers too, transitively (drop-dependencies.ts).
import { PgError, SQLSTATE } from '../../errors.js';
import type { PipelineRelation } from '../../storage/stream-catalog.js';
import type { Session } from '../session.js';
import type { StatementPlan } from '../statement-plan.js';
import { cascadeNotice, dependentsError, dependentsToDrop } from './drop-dependencies.js';
import { commandTag, notice, pipelineCatalog, qualifiedName, requirePublicSchema } from './pipeline-common.js';
import { requireWritableTransaction } from './role-statements.js';

interface DropKind {
  /** Our relation kinds this DROP removes. */
  kinds: readonly PipelineRelation['kind'][];
  /** "foreign table" / "view", as PostgreSQL names the object type in messages. */
  label: string;
  tag: string;
  /** Hint for a name that is the other kind. */
  wrongKindHint: string;
  /** SQLSTATE of "does not exist" (PostgreSQL uses 42704 for foreign tables, 42P01 for views). */
  missingCode: string;
}

const DROP_KINDS: Record<string, DropKind> = {
  OBJECT_FOREIGN_TABLE: { kinds: ['stream'], label: 'foreign table', tag: 'DROP FOREIGN TABLE', wrongKindHint: 'Use DROP VIEW to remove a view.', missingCode: SQLSTATE.undefined_object },
  OBJECT_VIEW: { kinds: ['view', 'sqlview'], label: 'view', tag: 'DROP VIEW', wrongKindHint: 'Use DROP FOREIGN TABLE to remove a foreign table.', missingCode: SQLSTATE.undefined_table },
};

/** Whether this DROP is about streams or views (other DROPs are not ours). */
export function isPipelineDrop(node: any): boolean {
  return node.removeType in DROP_KINDS;
}

export function planDropPipelineRelations(node: any, statementText: string): StatementPlan {
  const dk = DROP_KINDS[node.removeType];
  return {
    kind: 'DropStmt',
    paramTypes: [],
    columns: null,
    execute(session) {
      const tag = commandTag(statementText, dk.tag);
      requireWritableTransaction(session, dk.tag);
      dropRelations(session, dk, node.objects ?? [], Boolean(node.missing_ok), node.behavior === 'DROP_CASCADE');
      return { tag };
    },
  };
}

function dropRelations(session: Session, dk: DropKind, objects: any[], missingOk: boolean, cascade: boolean): void {
  const catalog = pipelineCatalog(session);
  const dbOid = session.db.oid;
  const targets: PipelineRelation[] = [];
  for (const obj of objects) {
    const { schema, name } = qualifiedName(obj);
    requirePublicSchema(schema);
    const rel = catalog.relationByName(dbOid, name);
    if (!rel) {
      if (!missingOk) throw new PgError(dk.missingCode, `${dk.label} "${name}" does not exist`);
      notice(session, `${dk.label} "${name}" does not exist, skipping`);
      continue;
    }
    if (!dk.kinds.includes(rel.kind)) {
      throw new PgError(SQLSTATE.wrong_object_type, `"${name}" is not a ${dk.label}`, { hint: dk.wrongKindHint });
    }
    if (!targets.includes(rel)) targets.push(rel);
  }
  if (targets.length === 0) return;
  const dependents = dependentsToDrop(catalog, dbOid, targets);
  if (dependents.length > 0) {
    if (!cascade) throw dependentsError(targets, dependents);
    const n = cascadeNotice(dependents);
    notice(session, n.message, SQLSTATE.successful_completion, n.detail);
  }
  catalog.dropRelations(dbOid, [...dependents.map((d) => d.rel.name), ...targets.map((t) => t.name)]);
}
