// The catalogs' part in a session's transaction: role changes and stream /
// continuous view changes follow BEGIN, COMMIT, ROLLBACK and savepoints
// together, and commit in one LMDB write transaction, so a commit that
// conflicts with another session's in either catalog writes neither.
import type { TransactionParticipant } from '../server/transaction.js';
import type { CatalogTransaction } from './catalog-transaction.js';
import type { StreamCatalogTransaction } from './stream-catalog-transaction.js';

export function catalogParticipant(roles: CatalogTransaction, streams: StreamCatalogTransaction): TransactionParticipant {
  const commitRoles = (): void => roles.commit();
  return {
    begin() {
      roles.begin();
      streams.begin();
    },
    commit() {
      streams.commitWith(commitRoles);
    },
    rollback() {
      roles.rollback();
      streams.rollback();
    },
    savepoint() {
      return [roles.savepoint(), streams.savepoint()];
    },
    rollbackTo(token) {
      const [r, s] = token as [unknown, unknown];
      roles.rollbackTo(r);
      streams.rollbackTo(s);
    },
    release() {
      roles.release();
      streams.release();
    },
  };
}
