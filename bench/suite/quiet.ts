// Waits, before a timed load, until the machine is quiet: the previous load's
// stragglers (a server still writing its last commit, PostgreSQL's
// checkpointer, a pgbench that has not yet exited) would otherwise run in
// the next load's seconds and count against whichever server it measures.
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuTicks } from './steal.js';

/** Idle share of the CPU time (steal left out) a window must reach to count as quiet. */
const QUIET_IDLE = 0.9;
const WINDOW_MS = 500;
/** Longest wait: a machine busy with something else is measured as it is. */
const MAX_WAIT_MS = 20_000;

function idleAndTotal(): { idle: number; total: number } | null {
  const t = cpuTicks();
  return t && { idle: t[3]! + t[4]!, total: t.reduce((a, b) => a + b, 0) - t[7]! };
}

/** Resolves once a WINDOW_MS window was at least QUIET_IDLE idle (or after MAX_WAIT_MS); gives the ms waited. */
export async function waitForQuiet(): Promise<number> {
  const t0 = performance.now();
  let last = idleAndTotal();
  if (!last) return 0;
  while (performance.now() - t0 < MAX_WAIT_MS) {
    await sleep(WINDOW_MS);
    const now = idleAndTotal();
    if (!now) return performance.now() - t0;
    const total = now.total - last.total;
    if (total > 0 && (now.idle - last.idle) / total >= QUIET_IDLE) break;
    last = now;
  }
  return performance.now() - t0;
}
