// Wall-clock time in PostgreSQL's representation: microseconds since 2000-01-01 UTC.
import { PG_EPOCH_USECS } from '../types/values.js';

const originNs = process.hrtime.bigint();
const originUsecs = Date.now() * 1000 - PG_EPOCH_USECS;

/** Microsecond resolution: Date.now() anchors, hrtime advances within the process. */
export function currentTimestamp(): number {
  return originUsecs + Number((process.hrtime.bigint() - originNs) / 1000n);
}
