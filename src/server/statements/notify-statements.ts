// LISTEN / UNLISTEN / NOTIFY. Notifications are queued in the transaction and
// delivered to listeners when it commits.
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
      session.listening.add(channel);
      session.server.notifications.listen(session, channel);
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
      if (channel === undefined) {
        session.listening.clear();
        session.server.notifications.unlistenAll(session);
      } else {
        session.listening.delete(channel);
        session.server.notifications.unlisten(session, channel);
      }
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
      const pending = session.pendingNotifies;
      // PostgreSQL folds duplicate notifications within one transaction.
      if (!pending.some((n) => n.channel === channel && n.payload === payload)) pending.push({ channel, payload });
      return { tag: 'NOTIFY' };
    },
  };
}
