// CREATE EXTENSION pipelinedb and CREATE SERVER pipelinedb: PipelineDB 1.0
// setup scripts run them. Streams work without them (0.9 had neither), so
// they only record that the extension was created, with PostgreSQL's
// "already exists" messages on repetition.
import { PgError, SQLSTATE } from '../../errors.js';
import type { StatementPlan } from '../statement-plan.js';
import { notice, pipelineCatalog } from './pipeline-common.js';
import { PIPELINEDB_SERVER } from './pipeline-stream-statements.js';
import { requireWritableTransaction } from './role-statements.js';

const EXTENSION = 'pipelinedb';

export function planCreateExtension(node: any): StatementPlan {
  return {
    kind: 'CreateExtensionStmt',
    paramTypes: [],
    columns: null,
    execute(session) {
      requireWritableTransaction(session, 'CREATE EXTENSION');
      const name: string = node.extname;
      if (name !== EXTENSION) {
        throw new PgError('58P01', `could not open extension control file "/usr/share/postgresql/11/extension/${name}.control": No such file or directory`);
      }
      if (!session.freshRole()?.superuser) {
        throw new PgError(SQLSTATE.insufficient_privilege, `permission denied to create extension "${name}"`, {
          hint: 'Must be superuser to create this extension.',
        });
      }
      if (!pipelineCatalog(session).createExtension(session.db.oid)) {
        if (!node.if_not_exists) throw new PgError(SQLSTATE.duplicate_object, `extension "${name}" already exists`);
        notice(session, `extension "${name}" already exists, skipping`, SQLSTATE.duplicate_object);
      }
      return { tag: 'CREATE EXTENSION' };
    },
  };
}

/** The pipelinedb server always exists; creating it again is accepted as a no-op. */
export function planCreateServer(node: any): StatementPlan {
  return {
    kind: 'CreateForeignServerStmt',
    paramTypes: [],
    columns: null,
    execute(session) {
      requireWritableTransaction(session, 'CREATE SERVER');
      if (node.servername !== PIPELINEDB_SERVER) {
        throw new PgError(SQLSTATE.feature_not_supported, `foreign servers other than "${PIPELINEDB_SERVER}" are not supported`);
      }
      if (node.if_not_exists) notice(session, `server "${PIPELINEDB_SERVER}" already exists, skipping`, SQLSTATE.duplicate_object);
      return { tag: 'CREATE SERVER' };
    },
  };
}
