// One client session after authentication: who it is, its settings, its
// transaction, its prepared statements and portals. The protocol flows
// (simple-query.ts, extended-query.ts) drive it; statements run through it.
import { PgError, SQLSTATE } from '../errors.js';
import type { EvalContext, SessionHooks } from '../sql/functions/catalog.js';
import type { DatabaseEntry, RoleEntry } from '../storage/catalog.js';
import type { SessionSettings } from '../config/settings.js';
import type { Backend } from './backend-registry.js';
import type { BackendOutput } from './backend-output.js';
import type { ServerContext } from './server-context.js';
import type { ExecResult, StatementPlan } from './statement-plan.js';
import { TransactionState, type TransactionParticipant } from './transaction.js';
import { currentTimestamp } from './clock.js';
import { SERVER_VERSION } from './version.js';
import type { NotificationTarget } from './notification-hub.js';

export interface PreparedStatement {
  name: string;
  sql: string;
  plan: StatementPlan | null; // null: empty query string
  /** true when created by SQL PREPARE (listed as such in pg_prepared_statements). */
  fromSql: boolean;
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
}

export type CancelReason = 'user' | 'timeout';

export class Session implements Backend, NotificationTarget {
  readonly tx: TransactionState;
  readonly prepared = new Map<string, PreparedStatement>();
  readonly portals = new Map<string, Portal>();
  readonly hooks: SessionHooks;
  /** LISTEN channels of this session. */
  readonly listening = new Set<string>();
  /** NOTIFYs issued in the current transaction, delivered at commit. */
  pendingNotifies: { channel: string; payload: string }[] = [];

  /** Notifications received, sent to the client when this session is next idle. */
  private inbox: { senderPid: number; channel: string; payload: string }[] = [];
  private running = false;
  private cancelPending: CancelReason | null = null;
  private wakeSleeper: (() => void) | null = null;
  private sleepRequestedSeconds = 0;
  private statementTimer: NodeJS.Timeout | null = null;
  private statementStart = 0;

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
      savepoint: () => this.pendingNotifies.length,
      rollbackTo: (n) => void (this.pendingNotifies.length = n as number),
      release: () => {},
    };
    this.tx = new TransactionState([settings.transactionParticipant(), portalsParticipant], currentTimestamp);
    this.hooks = this.makeHooks();
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
    };
  }

  /** Runs a plan inside the statement's interrupt scope (statement_timeout, cancel, pg_sleep). */
  async executePlan(plan: StatementPlan, params: unknown[]): Promise<ExecResult> {
    this.beginStatement();
    try {
      const result = await plan.execute(this, params);
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
    const timeoutMs = this.settings.getNumber('statement_timeout');
    if (timeoutMs > 0) this.statementTimer = setTimeout(() => this.cancel('timeout'), timeoutMs);
  }

  private endStatement(): void {
    this.running = false;
    this.cancelPending = null;
    if (this.statementTimer) clearTimeout(this.statementTimer);
    this.statementTimer = null;
  }

  /** An interruptible wait; rejects with 57014 when cancelled. */
  private async sleep(seconds: number): Promise<void> {
    this.sleepRequestedSeconds = 0;
    this.checkInterrupts();
    if (!(seconds > 0)) return;
    await this.out.flushAndWait();
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

  deliverNotification(senderPid: number, channel: string, payload: string): void {
    this.inbox.push({ senderPid, channel, payload });
    if (!this.running && this.tx.status === 'I') this.flushNotifications();
  }

  /** Sends queued notifications; PostgreSQL delivers them only outside transaction blocks. */
  flushNotifications(): void {
    if (this.inbox.length === 0 || this.tx.status !== 'I') return;
    for (const n of this.inbox) this.out.notificationResponse(n.senderPid, n.channel, n.payload);
    this.inbox = [];
    this.out.flush();
  }

  /** ParameterStatus for every reported setting that changed (SET, RESET, rollback of a SET). */
  reportParameterChanges(): void {
    for (const [name, value] of this.settings.reportedChanges()) this.out.parameterStatus(name, value);
  }

  // --- transactions ----------------------------------------------------------

  /** Portals die with their transaction; notifications are delivered at commit. */
  private endTransaction(committed: boolean): void {
    this.portals.clear();
    const notifies = this.pendingNotifies;
    this.pendingNotifies = [];
    if (committed) for (const n of notifies) this.server.notifications.publish(this.pid, n.channel, n.payload);
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
      requestSleep: (seconds) => {
        this.sleepRequestedSeconds += seconds;
      },
      cancelBackend: (pid) => this.signalBackend(pid, (b) => b.cancel('user')),
      terminateBackend: (pid) => this.signalBackend(pid, (b) => b.terminate()),
      serverVersion: () => SERVER_VERSION,
    };
  }

  private signalBackend(pid: number, act: (b: Backend) => void): boolean {
    const target = this.server.backends.get(pid);
    if (!target) {
      this.out.notice(new PgError(SQLSTATE.warning, `PID ${pid} is not a PostgreSQL server process`, { severity: 'WARNING' }));
      return false;
    }
    if (!this.role.superuser && target.user !== this.role.name) {
      throw new PgError(SQLSTATE.insufficient_privilege, 'must be a member of the role whose query is being canceled or member of pg_signal_backend');
    }
    act(target);
    return true;
  }
}
