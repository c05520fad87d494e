// Live sessions by backend pid, for CancelRequest, pg_cancel_backend() and
// shutdown. Pids are numbers PostgreSQL clients treat as opaque; ours are
// unique within the server process's lifetime.
import { randomInt } from 'node:crypto';

export interface Backend {
  readonly pid: number;
  readonly secretKey: number;
  readonly user: string;
  readonly database: string;
  /** Interrupts the running statement with 57014 (no effect when idle). */
  cancel(reason: 'user' | 'timeout'): void;
  /** Ends the session with FATAL 57P01. */
  terminate(): void;
}

export class BackendRegistry {
  private readonly backends = new Map<number, Backend>();
  private nextPid = 1000 + randomInt(1, 30000);

  allocate(): { pid: number; secretKey: number } {
    let pid = this.nextPid++;
    while (this.backends.has(pid)) pid = this.nextPid++;
    return { pid, secretKey: randomInt(0, 0x7fffffff) };
  }

  add(backend: Backend): void {
    this.backends.set(backend.pid, backend);
  }

  remove(pid: number): void {
    this.backends.delete(pid);
  }

  get(pid: number): Backend | undefined {
    return this.backends.get(pid);
  }

  /** A CancelRequest: acts only when the key matches, silently otherwise (as PostgreSQL). */
  cancelRequest(pid: number, secretKey: number): void {
    const b = this.backends.get(pid);
    if (b && b.secretKey === secretKey) b.cancel('user');
  }

  countForDatabase(database: string): number {
    let n = 0;
    for (const b of this.backends.values()) if (b.database === database) n++;
    return n;
  }

  all(): IterableIterator<Backend> {
    return this.backends.values();
  }

  get size(): number {
    return this.backends.size;
  }

}
