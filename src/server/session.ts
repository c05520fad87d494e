// One client session after authentication: who it is, its settings, its
// transaction, its prepared statements and portals. The protocol flows
// (simple-query.ts, extended-query.ts) drive it; statements run through it.
import { PgError, SQLSTATE } from '../errors.js';
import type { EvalContext, SessionHooks } from '../sql/functions/catalog.js';
import type { DatabaseEntry, RoleEntry } from '../storage/catalog.js';
import { CatalogTransaction } from '../storage/catalog-transaction.js';
import { StreamCatalogTransaction } from '../storage/stream-catalog-transaction.js';
import { catalogParticipant } from '../storage/catalog-participant.js';
import type { SessionSettings } from '../config/settings.js';
import type { Backend } from './backend-registry.js';
import type { BackendOutput } from './backend-output.js';
import type { ServerContext } from './server-context.js';
import type { ExecResult, RowSink, StatementPlan } from './statement-plan.js';
import { TransactionState, type TransactionParticipant } from './transaction.js';
import { currentTimestamp } from './clock.js';
import { SERVER_VERSION } from '../version.js';
import type { NotificationTarget } from './notification-hub.js';
import type { FrontendMessage } from '../wire/frontend-messages.js';
import { SessionNotifications, type NotificationOwner } from './session-notifications.js';
import { PortalMap } from './portal-map.js';

export interface PreparedStatement {
  name: string;
  plan: StatementPlan | null; // null: empty query string
}

export interface Portal {
  name: string;
  statement: PreparedStatement;
  params: unknown[];
  /** Per-column result formats (0 text, 1 binary), already expanded to the column count. */
  resultFormats: number[];
  /** Set once executed: remaining rows and the completion tag. */
  result: ExecResult | null;
  nextRow: number;
  /**
   * The rows not sent yet of a row-limited Execute of a plan that gives its
   * rows one at a time (StatementPlan.rowsAsRead), or null: they are made
   * as later Executes ask for them, not held (portal-map.ts closes it).
   */
  cursor: Iterator<unknown[]> | null;
}

export type CancelReason = 'user' | 'timeout';


/**
 * Rows one statement may hold in memory at once. Results are materialized
 * before they are sent (but those sent as they are made), so this bounds
 * what a single query can allocate.
 */
export const MAX_STATEMENT_ROWS = 10_000_000;

/** client_min_messages order for the severities a session sends as notices. */
const NOTICE_LEVELS: Record<string, number> = {
  DEBUG5: 0, DEBUG4: 1, DEBUG3: 2, DEBUG2: 3, DEBUG1: 4, DEBUG: 4, LOG: 5, NOTICE: 6, WARNING: 7, ERROR: 8,
  // INFO is sent whatever client_min_messages says.
  INFO: 100,
};

export class Session implements Backend, NotificationTarget, NotificationOwner {
  readonly tx: TransactionState;
  /** The catalog as this session's transaction sees it (its uncommitted role changes on top). */
  readonly catalog: CatalogTransaction;
  /** Streams and continuous views as this session's transaction sees them (its uncommitted DDL on top). */
  readonly streamCatalog: StreamCatalogTransaction;
  readonly prepared = new Map<string, PreparedStatement>();
  readonly portals = new PortalMap();
  readonly hooks: SessionHooks;
  /**
   * The next message from the client, taken out of turn: COPY FROM STDIN
   * reads its CopyData this way while its statement is still running.
   */
  readMessage: () => Promise<FrontendMessage> = () => Promise.reject(new Error('no client input'));
  /** LISTEN/NOTIFY: this transaction's actions and the notifications received. */
  readonly notifications: SessionNotifications;

  private running = false;
  private cancelPending: CancelReason | null = null;
  private wakeSleeper: (() => void) | null = null;
  private sleepRequestedSeconds = 0;
  private statementTimer: NodeJS.Timeout | null = null;
  private statementStart = 0;
  /** Wall-clock ms at which statement_timeout expires (0: none); checked even while the event loop is busy. */
  private statementDeadline = 0;
  /** Rows the running statement holds in memory, against MAX_STATEMENT_ROWS. */
  private statementRows = 0;

  constructor(
    readonly server: ServerContext,
    readonly pid: number,
    readonly secretKey: number,
    public role: RoleEntry,
    readonly db: DatabaseEntry,
    readonly settings: SessionSettings,
    readonly out: BackendOutput,
    private readonly onTerminate: () => void,
  ) {
    const portalsParticipant: TransactionParticipant = {
      begin: () => {
        this.settings.ioContext().transactionTimestamp = this.tx.startTimestamp;
      },
      commit: () => this.endTransaction(true),
      rollback: () => this.endTransaction(false),
      savepoint: () => this.notifications.savepoint(),
      rollbackTo: (n) => this.notifications.rollbackTo(n as number),
      release: () => {},
    };
    this.catalog = new CatalogTransaction(server.catalog);
    this.streamCatalog = new StreamCatalogTransaction(server.catalog.pipeline());
    this.notifications = new SessionNotifications(this, server.notifications);
    // The catalogs commit first (together): theirs is the one commit that can fail.
    this.tx = new TransactionState(
      [catalogParticipant(this.catalog, this.streamCatalog), settings.transactionParticipant(), portalsParticipant],
      currentTimestamp,
    );
    this.hooks = this.makeHooks();
  }

  /**
   * The session's role as the catalog has it now: privileges follow ALTER ROLE
   * and DROP ROLE by other sessions at once. undefined once the role is dropped.
   */
  freshRole(): RoleEntry | undefined {
    return this.catalog.getRoleByOid(this.role.oid);
  }

  get user(): string {
    return this.role.name;
  }

  get database(): string {
    return this.db.name;
  }

  // --- Backend (cancel / terminate) ------------------------------------------

  cancel(reason: CancelReason): void {
    if (!this.running) return; // PostgreSQL ignores a cancel that arrives between statements
    this.cancelPending = reason;
    this.wakeSleeper?.();
  }

  terminate(): void {
    this.onTerminate();
  }

  /** Throws 57014 when a cancel is pending (the equivalent of CHECK_FOR_INTERRUPTS). */
  checkInterrupts(): void {
    if (this.statementDeadline !== 0 && this.cancelPending === null && Date.now() >= this.statementDeadline) {
      this.cancelPending = 'timeout';
    }
    const reason = this.cancelPending;
    if (reason === null) return;
    this.cancelPending = null;
    throw new PgError(
      SQLSTATE.query_canceled,
      reason === 'timeout' ? 'canceling statement due to statement timeout' : 'canceling statement due to user request',
    );
  }

  // --- statement execution ---------------------------------------------------

  evalContext(params: unknown[]): EvalContext {
    return {
      io: this.settings.ioContext(),
      hooks: this.hooks,
      transactionTimestamp: this.tx.startTimestamp,
      statementTimestamp: this.statementStart,
      params,
      checkInterrupts: this.checkInterruptsFn,
      countRows: this.countRowsFn,
    };
  }

  /**
   * Runs a plan inside the statement's interrupt scope (statement_timeout,
   * cancel, pg_sleep). With a `sink`, rows the plan can give one at a time
   * go to it as they are made (result.sentRows).
   */
  executePlan(plan: StatementPlan, params: unknown[], sink?: RowSink): Promise<ExecResult> {
    return this.runStatement(async () => {
      const asRead = sink && plan.rowsAsRead ? plan.rowsAsRead(this, params) : null;
      return asRead ? { tag: plan.copyOutAsRead ? 'COPY' : 'SELECT', sentRows: await sink!(asRead) } : plan.execute(this, params);
    });
  }

  /** Runs `body` (a statement, or a later Execute of a portal's cursor) inside the statement's interrupt scope. */
  async runStatement<T>(body: () => Promise<T>): Promise<T> {
    this.beginStatement();
    try {
      const result = await body();
      if (this.sleepRequestedSeconds > 0) await this.sleep(this.sleepRequestedSeconds);
      this.checkInterrupts();
      return result;
    } finally {
      this.endStatement();
      this.reportParameterChanges();
    }
  }

  private beginStatement(): void {
    this.running = true;
    this.cancelPending = null;
    this.sleepRequestedSeconds = 0;
    this.statementStart = currentTimestamp();
    this.statementRows = 0;
    const timeoutMs = this.settings.getNumber('statement_timeout');
    this.statementDeadline = timeoutMs > 0 ? Date.now() + timeoutMs : 0;
    if (timeoutMs > 0) this.statementTimer = setTimeout(() => this.cancel('timeout'), timeoutMs);
  }

  private readonly checkInterruptsFn = (): void => this.checkInterrupts();

  private readonly countRowsFn = (n: number): void => {
    this.statementRows += n;
    if (this.statementRows > MAX_STATEMENT_ROWS) {
      throw new PgError(SQLSTATE.out_of_memory, 'out of memory', {
        detail: `The statement would hold more than ${MAX_STATEMENT_ROWS} rows in memory.`,
      });
    }
  };

  private endStatement(): void {
    this.running = false;
    this.cancelPending = null;
    this.statementDeadline = 0;
    if (this.statementTimer) clearTimeout(this.statementTimer);
    this.statementTimer = null;
  }

  /** An interruptible wait; rejects with 57014 when cancelled. */
  private async sleep(seconds: number): Promise<void> {
    this.sleepRequestedSeconds = 0;
    this.checkInterrupts();
    if (!(seconds > 0)) return;
    await this.out.flushAndWait();
    // A cancel may have arrived while the output drained.
    this.checkInterrupts();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.min(seconds * 1000, 2 ** 31 - 1));
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeSleeper = done;
    });
    this.wakeSleeper = null;
    this.checkInterrupts();
  }

  // --- notifications and reported settings -----------------------------------

  get notificationBacklog(): number {
    return this.notifications.unsentBytes;
  }

  /** No statement running and no transaction block: notifications may go out. */
  get idle(): boolean {
    return !this.running && this.tx.status === 'I';
  }

  deliverNotification(senderPid: number, channel: string, payload: string): void {
    this.notifications.receive(senderPid, channel, payload);
  }

  /** Sends notifications received while busy (PostgreSQL delivers them only outside transaction blocks). */
  flushNotifications(): void {
    if (this.idle) this.notifications.send(true);
  }

  /**
   * Ends a protocol cycle: ParameterStatus for changed settings, notifications
   * that arrived (they precede ReadyForQuery, as in PostgreSQL), then ReadyForQuery.
   */
  readyForQuery(): void {
    this.reportParameterChanges();
    if (this.tx.status === 'I') this.notifications.send(false);
    this.out.readyForQuery(this.tx.status);
  }

  /** The client is gone: stop the running statement; nothing it leaves behind may outlive it. */
  close(): void {
    this.notifications.close();
    this.cancel('user');
    this.portals.clear();
  }

  /** A NOTICE or WARNING, sent when client_min_messages lets it through. */
  notice(err: PgError): void {
    const level = NOTICE_LEVELS[err.severity] ?? NOTICE_LEVELS.NOTICE!;
    if (level >= (NOTICE_LEVELS[this.settings.show('client_min_messages').toUpperCase()] ?? NOTICE_LEVELS.NOTICE!)) {
      this.out.notice(err);
    }
  }

  /** ParameterStatus for every reported setting that changed (SET, RESET, rollback of a SET). */
  reportParameterChanges(): void {
    for (const [name, value] of this.settings.reportedChanges()) this.out.parameterStatus(name, value);
  }

  // --- transactions ----------------------------------------------------------

  /** Portals die with their transaction; notification actions happen at commit. */
  private endTransaction(committed: boolean): void {
    this.portals.clear();
    this.notifications.endTransaction(committed);
  }

  // --- hooks for SQL functions -----------------------------------------------

  private makeHooks(): SessionHooks {
    return {
      currentUser: () => this.role.name,
      sessionUser: () => this.role.name,
      currentDatabase: () => this.db.name,
      currentSchema: () => 'public',
      backendPid: () => this.pid,
      getSetting: (name, missingOk) => this.settings.currentSetting(name, missingOk),
      setSetting: (name, value, isLocal) => this.settings.setConfig(name, value, isLocal),
      notify: (channel, payload) => this.notifications.notify(channel, payload),
      requestSleep: (seconds) => {
        this.sleepRequestedSeconds += seconds;
      },
      cancelBackend: (pid) => this.signalBackend(pid, 'canceled', (b) => b.cancel('user')),
      terminateBackend: (pid) => this.signalBackend(pid, 'terminated', (b) => b.terminate()),
      serverVersion: () => SERVER_VERSION,
    };
  }

  private signalBackend(pid: number, what: 'canceled' | 'terminated', act: (b: Backend) => void): boolean {
    const target = this.server.backends.get(pid);
    if (!target) {
      this.notice(new PgError(SQLSTATE.warning, `PID ${pid} is not a PostgreSQL server process`, { severity: 'WARNING' }));
      return false;
    }
    if (!this.freshRole()?.superuser && target.user !== this.role.name) {
      const whose = what === 'canceled' ? 'query is being canceled' : 'process is being terminated';
      throw new PgError(SQLSTATE.insufficient_privilege, `must be a member of the role whose ${whose} or member of pg_signal_backend`);
    }
    act(target);
    return true;
  }
}
