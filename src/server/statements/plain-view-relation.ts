// A plain (non-continuous) view read as a relation. Its stored SELECT is
// parsed and planned again at every read, against what it reads now, so the
// rows always reflect the current contents of the views underneath; the
// columns are the stored ones (aliases applied).
import { PgError, SQLSTATE } from '../../errors.js';
import { parseStatements } from '../../sql/parse-statements.js';
import type { Relation, SelectPlan } from '../../sql/select/relation.js';
import type { PlainViewEntry } from '../../storage/stream-catalog.js';

/** 42P17: a view that reads itself, directly or through other views (CREATE OR REPLACE can make one). */
export function viewRecursionError(view: PlainViewEntry): PgError {
  return new PgError(SQLSTATE.invalid_object_definition, `infinite recursion detected in rules for relation "${view.name}"`);
}

/** The stored SELECT's parse tree. */
function storedSelect(view: PlainViewEntry): unknown {
  const statements = parseStatements(view.query);
  if (statements.length !== 1 || statements[0].kind !== 'SelectStmt') {
    throw new PgError(SQLSTATE.internal_error, `view "${view.name}" has an invalid stored definition`);
  }
  return statements[0].node.SelectStmt;
}

/**
 * The view as a relation of its first `width` columns (a view that read it
 * when it had fewer columns keeps seeing those, as PostgreSQL's stored
 * query does); `plan` plans the stored SELECT in the reading session.
 */
export function plainViewRelation(view: PlainViewEntry, width: number, plan: (select: unknown) => SelectPlan): Relation {
  let planned: SelectPlan;
  try {
    planned = plan(storedSelect(view));
  } catch (e) {
    // Positions would point into the stored text, not into the reading query.
    if (e instanceof PgError) e.position = undefined;
    throw e;
  }
  const stored = view.columns;
  if (planned.columns.length !== stored.length || planned.columns.some((c, i) => c.typeOid !== stored[i].typeOid)) {
    throw new PgError(SQLSTATE.internal_error, `the definition of view "${view.name}" no longer matches its columns`);
  }
  const columns = stored.slice(0, width).map((c) => ({ name: c.name, type: c.typeOid, typmod: c.typmod }));
  return {
    columns,
    scan: width === stored.length ? (ctx) => planned.run(ctx) : (ctx) => planned.run(ctx).map((row) => row.slice(0, width)),
  };
}
