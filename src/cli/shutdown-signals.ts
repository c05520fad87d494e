// Which signal asks for which shutdown, and how repeated requests combine.
// As with the postmaster, a later request can only make shutdown more urgent:
// SIGINT during a smart shutdown turns it fast, SIGTERM during a fast one is ignored.
import type { ShutdownMode } from '../server/server-api.js';

export const SHUTDOWN_SIGNALS: ReadonlyArray<readonly [NodeJS.Signals, ShutdownMode]> = [
  ['SIGTERM', 'smart'],
  ['SIGINT', 'fast'],
  ['SIGQUIT', 'immediate'],
];

const URGENCY: Record<ShutdownMode, number> = { smart: 1, fast: 2, immediate: 3 };

/** The mode to switch to, or null when `requested` is not more urgent than `current`. */
export function escalateShutdown(current: ShutdownMode | null, requested: ShutdownMode): ShutdownMode | null {
  if (current !== null && URGENCY[requested] <= URGENCY[current]) return null;
  return requested;
}
