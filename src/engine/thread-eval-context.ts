// The evaluation context of continuous-query code running outside any
// session (workers, combiners, reads of view state): server-level I/O
// settings, and no session to ask for users, settings or sleeps.
import { PgError, SQLSTATE } from '../errors.js';
import type { EvalContext, SessionHooks } from '../sql/functions/catalog.js';
import type { TypeIoContext } from '../types/io-context.js';
import { SERVER_VERSION } from '../version.js';
import { currentTimestamp } from '../server/clock.js';

function notHere(what: string): never {
  throw new PgError(SQLSTATE.feature_not_supported, `${what} cannot be used in a continuous view`);
}

const hooks: SessionHooks = {
  currentUser: () => 'postgres',
  sessionUser: () => 'postgres',
  currentDatabase: () => notHere('current_database()'),
  currentSchema: () => 'public',
  backendPid: () => 0,
  getSetting: () => notHere('current_setting()'),
  setSetting: () => notHere('set_config()'),
  notify: () => notHere('pg_notify()'),
  requestSleep: () => notHere('pg_sleep()'),
  cancelBackend: () => notHere('pg_cancel_backend()'),
  terminateBackend: () => notHere('pg_terminate_backend()'),
  serverVersion: () => SERVER_VERSION,
};

/** A context for one batch (now() is the batch's processing time). */
export function threadEvalContext(io: TypeIoContext): EvalContext {
  const now = currentTimestamp();
  return {
    io,
    hooks,
    transactionTimestamp: now,
    statementTimestamp: now,
    params: [],
    checkInterrupts: () => {},
    countRows: () => {},
  };
}
