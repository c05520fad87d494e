// Transaction-block state of one session, as PostgreSQL's xact.c sees it from
// the client's side: idle, inside BEGIN, or failed (only ROLLBACK accepted).
// A statement outside BEGIN runs in an implicit transaction that ends with it
// (or, for a multi-statement simple Query, with the last statement).
import { PgError, SQLSTATE } from '../errors.js';

export type TransactionStatus = 'I' | 'T' | 'E';

/** TransactionStmt kinds that still run in a failed transaction (PostgreSQL's IsTransactionExitStmt). */
const EXIT_STATEMENT_KINDS = new Set(['TRANS_STMT_COMMIT', 'TRANS_STMT_PREPARE', 'TRANS_STMT_ROLLBACK', 'TRANS_STMT_ROLLBACK_TO']);

export function isTransactionExitKind(transactionStmtKind: string): boolean {
  return EXIT_STATEMENT_KINDS.has(transactionStmtKind);
}

export function failedTransactionError(): PgError {
  return new PgError(SQLSTATE.in_failed_sql_transaction, 'current transaction is aborted, commands ignored until end of transaction block');
}

/** Something whose changes follow the transaction (settings, pending notifications). */
export interface TransactionParticipant {
  begin(): void;
  commit(): void;
  rollback(): void;
  /** Returns a token for rollbackTo / release. */
  savepoint(): unknown;
  rollbackTo(token: unknown): void;
  release(token: unknown): void;
}

interface Savepoint {
  name: string;
  tokens: unknown[];
}

export class TransactionState {
  /** true while in a transaction (explicit or implicit). */
  private active = false;
  /** true after BEGIN until COMMIT/ROLLBACK. */
  private explicit = false;
  private failed = false;
  /** A simple Query of several statements runs them as one implicit transaction block. */
  private multiStatement = false;
  private savepoints: Savepoint[] = [];
  /** now(): fixed at the start of each transaction. */
  startTimestamp = 0;

  constructor(private readonly participants: TransactionParticipant[], private readonly clock: () => number) {}

  /** The ReadyForQuery status byte. */
  get status(): TransactionStatus {
    if (!this.explicit) return 'I';
    return this.failed ? 'E' : 'T';
  }

  get inBlock(): boolean {
    return this.explicit;
  }

  /** Inside BEGIN, or among the statements of a multi-statement Query (PostgreSQL's implicit block). */
  get inTransactionBlock(): boolean {
    return this.explicit || this.multiStatement;
  }

  /** Set by the simple-query flow for the duration of a Query that holds several statements. */
  setMultiStatement(on: boolean): void {
    this.multiStatement = on;
  }

  get isFailed(): boolean {
    return this.failed;
  }

  /** Starts an implicit transaction if none is active (before each statement). */
  ensureStarted(): void {
    if (this.active) return;
    this.active = true;
    this.startTimestamp = this.clock();
    for (const p of this.participants) p.begin();
  }

  /** Ends an implicit transaction after its statement(s) succeeded. */
  finishImplicit(): void {
    if (this.active && !this.explicit) this.commitInternal();
  }

  /** An error: an implicit transaction rolls back, an explicit one becomes failed. */
  markFailed(): void {
    if (!this.active) return;
    if (this.explicit) this.failed = true;
    else this.rollbackInternal();
  }

  /** BEGIN / START TRANSACTION. Returns a warning message when already inside a block. */
  begin(): string | null {
    this.ensureStarted();
    if (this.explicit) return 'there is already a transaction in progress';
    this.explicit = true;
    return null;
  }

  /** COMMIT / END. Returns the command tag and an optional warning. */
  commit(): { tag: string; warning: string | null } {
    if (!this.explicit) {
      this.finishImplicit();
      return { tag: 'COMMIT', warning: 'there is no transaction in progress' };
    }
    if (this.failed) {
      this.rollbackInternal();
      return { tag: 'ROLLBACK', warning: null };
    }
    this.commitInternal();
    return { tag: 'COMMIT', warning: null };
  }

  /** ROLLBACK / ABORT. */
  rollback(): { warning: string | null } {
    if (!this.explicit) {
      if (this.active) this.rollbackInternal();
      return { warning: 'there is no transaction in progress' };
    }
    this.rollbackInternal();
    return { warning: null };
  }

  savepoint(name: string): void {
    this.requireBlock('SAVEPOINT');
    this.savepoints.push({ name, tokens: this.participants.map((p) => p.savepoint()) });
  }

  release(name: string): void {
    this.requireBlock('RELEASE SAVEPOINT');
    const i = this.findSavepoint(name);
    for (let j = this.savepoints.length - 1; j >= i; j--) {
      const sp = this.savepoints[j]!;
      this.participants.forEach((p, k) => p.release(sp.tokens[k]));
    }
    this.savepoints.length = i;
  }

  rollbackTo(name: string): void {
    this.requireBlock('ROLLBACK TO SAVEPOINT');
    const i = this.findSavepoint(name);
    const sp = this.savepoints[i]!;
    this.participants.forEach((p, k) => p.rollbackTo(sp.tokens[k]));
    // The savepoint itself stays, later ones are gone.
    this.savepoints.length = i + 1;
    sp.tokens = this.participants.map((p) => p.savepoint());
    this.failed = false;
  }

  /** For statements that may not run inside a transaction block (CREATE DATABASE ...). */
  preventInBlock(what: string): void {
    if (this.inTransactionBlock) throw new PgError(SQLSTATE.active_sql_transaction, `${what} cannot run inside a transaction block`);
  }

  private requireBlock(what: string): void {
    if (!this.explicit) throw new PgError(SQLSTATE.no_active_sql_transaction, `${what} can only be used in transaction blocks`);
  }

  private findSavepoint(name: string): number {
    for (let i = this.savepoints.length - 1; i >= 0; i--) if (this.savepoints[i]!.name === name) return i;
    throw new PgError(SQLSTATE.invalid_savepoint_specification, `savepoint "${name}" does not exist`);
  }

  /**
   * A failed commit rolls the transaction back, as in PostgreSQL. Only the
   * catalog can fail (a conflicting concurrent commit), and it commits first,
   * before anything else has become visible.
   */
  private commitInternal(): void {
    try {
      for (const p of this.participants) p.commit();
    } catch (e) {
      this.rollbackInternal();
      throw e;
    }
    this.reset();
  }

  private rollbackInternal(): void {
    for (const p of this.participants) p.rollback();
    this.reset();
  }

  private reset(): void {
    this.active = false;
    this.explicit = false;
    this.failed = false;
    this.savepoints = [];
  }
}
