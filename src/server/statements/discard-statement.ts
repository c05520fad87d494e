// DISCARD ALL | PLANS | SEQUENCES | TEMP: what a connection pooler sends
// between clients.
import { PgError, SQLSTATE } from '../../errors.js';
import type { StatementPlan } from '../statement-plan.js';

export function planDiscard(node: any): StatementPlan {
  const target: string = node.target;
  return {
    kind: 'DiscardStmt',
    paramTypes: [],
    columns: null,
    execute(session) {
      switch (target) {
        case 'DISCARD_ALL':
          session.tx.preventInBlock('DISCARD ALL');
          session.settings.resetAll();
          session.prepared.clear();
          session.portals.clear();
          session.notifications.queue({ kind: 'unlistenAll' });
          return { tag: 'DISCARD ALL' };
        case 'DISCARD_PLANS':
          return { tag: 'DISCARD PLANS' };
        case 'DISCARD_SEQUENCES':
          return { tag: 'DISCARD SEQUENCES' };
        case 'DISCARD_TEMP':
          return { tag: 'DISCARD TEMP' };
        default:
          throw new PgError(SQLSTATE.syntax_error, 'unrecognized DISCARD target');
      }
    },
  };
}
