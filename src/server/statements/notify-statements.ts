// LISTEN / UNLISTEN / NOTIFY. All three are queued in the transaction and
// take effect when it commits, as in PostgreSQL.
import { PgError, SQLSTATE } from '../../errors.js';
import type { StatementPlan } from '../statement-plan.js';

/** PostgreSQL's limit on a NOTIFY payload (NOTIFY_PAYLOAD_MAX_LENGTH - 1). */
const MAX_PAYLOAD_BYTES = 7999;

export function planListen(node: any): StatementPlan {
  const channel: string = node.conditionname;
  return {
    kind: 'ListenStmt',
    paramTypes: [],
    columns: null,
    execute(session) {
      session.queueNotification({ kind: 'listen', channel });
      return { tag: 'LISTEN' };
    },
  };
}

export function planUnlisten(node: any): StatementPlan {
  const channel: string | undefined = node.conditionname;
  return {
    kind: 'UnlistenStmt',
    paramTypes: [],
    columns: null,
    execute(session) {
      session.queueNotification(channel === undefined ? { kind: 'unlistenAll' } : { kind: 'unlisten', channel });
      return { tag: 'UNLISTEN' };
    },
  };
}

export function planNotify(node: any): StatementPlan {
  const channel: string = node.conditionname;
  const payload: string = node.payload ?? '';
  return {
    kind: 'NotifyStmt',
    paramTypes: [],
    columns: null,
    execute(session) {
      if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) throw new PgError(SQLSTATE.invalid_parameter_value, 'payload string too long');
      session.queueNotification({ kind: 'notify', channel, payload });
      return { tag: 'NOTIFY' };
    },
  };
}
