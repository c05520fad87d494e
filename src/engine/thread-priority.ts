// Helper threads run a little below the main thread's priority. The main
// thread serves every connection: under many concurrent clients it is the
// thread the others wait on, and a worker, combiner or commit writer woken
// on its core would otherwise preempt it while the batch it waits for
// needs it to answer clients. Profiled under pgbench at 64 clients, the
// main thread waited about 2 s per 10 s for a core while the machine was
// 13 % idle; at these niceness values it waited 1.7 s and answered about
// 8 % more transactions (bench/RESULTS.md).
import { getPriority, setPriority } from 'node:os';

/** How far below the main thread each kind of helper thread runs (nice increments). */
export const THREAD_NICENESS = { worker: 3, combiner: 3, commitWriter: 8 } as const;

/**
 * Lowers the calling thread's priority by `by` nice steps. Linux only: there
 * setpriority() on "this process" sets just the calling thread, where other
 * systems would lower the whole server. Lowering needs no privilege; a
 * failure (a sandbox refusing it) leaves the priority as it was.
 */
export function lowerThreadPriority(by: number): void {
  if (process.platform !== 'linux' || by <= 0) return;
  try {
    setPriority(0, Math.min(19, getPriority(0) + by));
  } catch {
    // Priority is an optimisation; the thread works the same without it.
  }
}
