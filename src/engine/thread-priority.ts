// Worker and combiner threads run a little below the main thread's
// priority. The main thread serves every connection: under many concurrent
// clients it is the thread the others wait on, and a worker or combiner,
// woken on its core once per batch, would otherwise preempt it while the
// clients it must answer wait. Profiled under pgbench at 64 clients, the
// main thread waited about 2.2 s per 10 s for a core while the machine was
// 13 % idle; at these values it waited 1.8 s and pgbench's tps rose about
// 15 % (bench/RESULTS.md). A combiner's commit writer thread, which the
// combiner starts after lowering itself, starts at the same niceness (a
// Linux thread inherits its creator's) and keeps it: a commit is what
// makes rows visible, and with the writer 8 steps lower still the
// insert-to-visible p99 at half load went from 60 ms to 325 ms, and at the
// main thread's priority it gave no more throughput (32.1 k against 33.4 k
// tps in three alternating runs).
import { getPriority, setPriority } from 'node:os';

/** How far below the main thread each kind of helper thread runs (nice increments). */
export const THREAD_NICENESS = { worker: 3, combiner: 3 } as const;

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
