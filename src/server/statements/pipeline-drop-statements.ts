// DROP FOREIGN TABLE (streams; 0.9: DROP STREAM) and DROP VIEW (continuous
// views and transforms; 0.9: DROP CONTINUOUS VIEW / TRANSFORM), with
// PostgreSQL's messages: IF EXISTS notices, wrong-kind errors, and the
// dependency rule that a stream read by continuous queries is only dropped
// with CASCADE, which drops those queries too.
import { quoteIdentifier } from '../../config/identifiers.js';
import { PgError, SQLSTATE } from '../../errors.js';
import type { ContinuousViewEntry, PipelineRelation } from '../../storage/stream-catalog.js';
import type { Session } from '../session.js';
import type { StatementPlan } from '../statement-plan.js';
import { commandTag, notice, pipelineCatalog, qualifiedName, requirePublicSchema } from './pipeline-common.js';
import { requireWritableTransaction } from './role-statements.js';

interface DropKind {
  /** Our relation kind this DROP removes. */
  kind: PipelineRelation['kind'];
  /** "foreign table" / "view", as PostgreSQL names the object type in messages. */
  label: string;
  tag: string;
  /** Hint for a name that is the other kind. */
  wrongKindHint: string;
  /** SQLSTATE of "does not exist" (PostgreSQL uses 42704 for foreign tables, 42P01 for views). */
  missingCode: string;
}

const DROP_KINDS: Record<string, DropKind> = {
  OBJECT_FOREIGN_TABLE: { kind: 'stream', label: 'foreign table', tag: 'DROP FOREIGN TABLE', wrongKindHint: 'Use DROP VIEW to remove a view.', missingCode: SQLSTATE.undefined_object },
  OBJECT_VIEW: { kind: 'view', label: 'view', tag: 'DROP VIEW', wrongKindHint: 'Use DROP FOREIGN TABLE to remove a foreign table.', missingCode: SQLSTATE.undefined_table },
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
    if (rel.kind !== dk.kind) {
      throw new PgError(SQLSTATE.wrong_object_type, `"${name}" is not a ${dk.label}`, { hint: dk.wrongKindHint });
    }
    if (!targets.includes(rel)) targets.push(rel);
  }
  if (targets.length === 0) return;
  const dependents: ContinuousViewEntry[] = [];
  for (const t of targets) {
    if (t.kind !== 'stream') continue;
    for (const v of catalog.viewsReadingStream(dbOid, t.oid)) if (!dependents.includes(v)) dependents.push(v);
  }
  if (dependents.length > 0) {
    const streamName = (v: ContinuousViewEntry) => targets.find((t) => t.oid === v.streamOid)!.name;
    if (!cascade) {
      const first = targets.find((t) => dependents.some((v) => v.streamOid === t.oid))!;
      throw new PgError(SQLSTATE.dependent_objects_still_exist, `cannot drop ${dk.label} ${first.name} because other objects depend on it`, {
        detail: dependents.map((v) => `view ${v.name} depends on ${dk.label} ${streamName(v)}`).join('\n'),
        hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
      });
    }
    if (dependents.length === 1) notice(session, `drop cascades to view ${quoteIdentifier(dependents[0].name)}`);
    else {
      notice(
        session,
        `drop cascades to ${dependents.length} other objects`,
        SQLSTATE.successful_completion,
        dependents.map((v) => `drop cascades to view ${quoteIdentifier(v.name)}`).join('\n'),
      );
    }
  }
  catalog.dropRelations(dbOid, [...dependents.map((v) => v.name), ...targets.map((t) => t.name)]);
}
