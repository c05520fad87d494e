// LISTEN / UNLISTEN / NOTIFY. All three are queued in the transaction and
// take effect when it commits, as in PostgreSQL.
import type { StatementPlan } from '../statement-plan.js';

export function planListen(node: any): StatementPlan {
  const channel: string = node.conditionname;
  return {
    kind: 'ListenStmt',
    paramTypes: [],
    columns: null,
    execute(session) {
      session.notifications.queue({ kind: 'listen', channel });
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
      session.notifications.queue(channel === undefined ? { kind: 'unlistenAll' } : { kind: 'unlisten', channel });
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
      session.notifications.notify(channel, payload);
      return { tag: 'NOTIFY' };
    },
  };
}
