// Gives an idle helper thread's young generation back to the system.
//
// Under load V8 grows each thread's young generation and keeps every page
// resident. It shrinks it again only in a full GC that finds allocation
// slow over the last five seconds, and a thread with nothing to do
// allocates nothing, so that GC never comes: after a 5,000,000-row COPY
// into cv1 the server's four threads held 128 MB of empty young generation
// (main 32, combiner 64, worker and commit writer 16 each), a quarter of
// its RSS (bench/RESULTS.md). So each helper thread watches its own event
// loop, and once it has been all but idle for IDLE_TICKS checks in a row
// it runs a full GC, which also frees the batch buffers that died in its
// old generation. A thread that is busy, or whose young generation is
// already small, is left alone. Whether the young generation's regrowth
// slows the next bulk load is not shown: a COPY after 12 s idle ran 6 %
// slower on average, inside the noise (ten alternated pairs).
//
// The main thread does not do this. Its young generation (32 MB) serves
// every connection, and regrown from 1 MB it made point reads after an
// idle spell about 12 % slower (28.5 k against 32.2 k tps, twelve rounds
// each; bench/RESULTS.md). Releasing only the helpers' cost nothing
// measurable there (30.9 k against 30.5 k).
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/** How often a thread looks at its event loop. */
export const CHECK_MS = 2_000;
/** Checks in a row the loop must be idle for: V8 shrinks only after five quiet seconds. */
export const IDLE_TICKS = 3;
/** A loop busier than this share of a check's time is not idle. */
export const IDLE_UTILIZATION = 0.02;
/** A young generation at most this large is not worth a GC (V8 shrinks it to 1 MB). */
export const SMALL_YOUNG_BYTES = 4 * 1024 * 1024;

/**
 * Full GCs at most per idle stretch. V8 sometimes keeps the young generation
 * after the first (it shrinks only when it measured some allocation, and
 * a thread idle since its last GC measured none); the next check's GC then
 * finds the allocation its predecessor made and gives the pages back.
 */
export const MAX_COLLECTIONS = 3;

/** The decision, apart from V8 and the clock: fed one check at a time. */
export class IdleDetector {
  private idleTicks = 0;
  private collections = 0;

  /** Whether to collect now, given the loop's utilization since the last check and the young generation's resident bytes. */
  tick(utilization: number, youngBytes: number): boolean {
    if (utilization > IDLE_UTILIZATION) {
      this.idleTicks = 0;
      this.collections = 0;
      return false;
    }
    if (++this.idleTicks < IDLE_TICKS || youngBytes <= SMALL_YOUNG_BYTES || this.collections >= MAX_COLLECTIONS) return false;
    this.collections++;
    return true;
  }
}

/** Resident bytes of this thread's young generation (new space and its large objects). */
export function youngGenerationBytes(): number {
  let bytes = 0;
  for (const s of getHeapSpaceStatistics()) {
    if (s.space_name === 'new_space' || s.space_name === 'new_large_object_space') bytes += s.physical_space_size;
  }
  return bytes;
}

let fullGc: (() => void) | null = null;

/** Runs a full GC of this thread's heap (V8's `gc`, exposed once per thread). */
export function collectFully(): void {
  if (!fullGc) {
    // --expose-gc puts `gc` on contexts made from now on; the flag is process-wide and setting it again is harmless.
    setFlagsFromString('--expose-gc');
    fullGc = runInNewContext('gc') as () => void;
  }
  fullGc();
}

/** Starts the calling thread's idle check (its timer never keeps the thread alive). */
export function releaseHeapWhenIdle(): void {
  const detector = new IdleDetector();
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const used = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    if (detector.tick(used, youngGenerationBytes())) collectFully();
  }, CHECK_MS);
  timer.unref();
}
