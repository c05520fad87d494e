// Waits, before a timed load, until the machine is quiet: the previous load's
// stragglers (a server still writing its last commit, PostgreSQL's
// checkpointer, a pgbench that has not yet exited) would otherwise run in
// the next load's seconds and count against whichever server it measures.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Idle share of the CPU time (steal left out) a window must reach to count as quiet. */
const QUIET_IDLE = 0.9;
const WINDOW_MS = 500;
/** Longest wait: a machine busy with something else is measured as it is. */
const MAX_WAIT_MS = 20_000;

function idleAndTotal(): { idle: number; total: number } | null {
  try {
    // cpu  user nice system idle iowait irq softirq steal (clock ticks)
    const t = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    if (t.length < 8 || t.some((x) => !Number.isFinite(x))) return null;
    return { idle: t[3]! + t[4]!, total: t.reduce((a, b) => a + b, 0) - t[7]! };
  } catch {
    return null;
  }
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
