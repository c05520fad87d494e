// The contract between the command line (src/cli) and the server process.

export type ShutdownMode = 'smart' | 'fast' | 'immediate';

export interface ServerOptions {
  /** The data directory (created by initDataDirectory). */
  dataDir: string;
  /**
   * Settings given on the command line (`-c name=value`, `-p` as port,
   * `-h` as listen_addresses). They override pipelinedb.conf.
   */
  settings: Record<string, string>;
}

export interface RunningServer {
  /** The TCP port actually listened on. */
  readonly port: number;
  /** Resolves once the server has stopped completely (sockets closed, state flushed); the caller removes the pid file. */
  readonly closed: Promise<void>;
  /** smart: wait for sessions to end; fast: end sessions, flush, exit; immediate: exit without flushing. */
  shutdown(mode: ShutdownMode): Promise<void>;
  /** Re-reads pipelinedb.conf and pg_hba.conf (SIGHUP). */
  reload(): void;
}

export interface InitOptions {
  /** Name of the bootstrap superuser (default: the OS user running init, else "postgres"). */
  superuser: string;
}
