// Wall-clock time in PostgreSQL's representation: microseconds since 2000-01-01 UTC.
import { PG_EPOCH_USECS } from '../types/values.js';

const originMs = performance.now();
const originUsecs = Date.now() * 1000 - PG_EPOCH_USECS;

/**
 * Microsecond resolution: Date.now() anchors, the monotonic clock advances
 * within the process. performance.now() is a double of milliseconds with
 * sub-microsecond precision for years of uptime, and costs a fraction of
 * hrtime.bigint() (every statement reads the clock).
 */
export function currentTimestamp(): number {
  return originUsecs + Math.floor((performance.now() - originMs) * 1000);
}
