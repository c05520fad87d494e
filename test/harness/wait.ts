// Waiting without fixed sleeps in assertions: polling a probe until it shows
// the wanted value, and waking an event-fed waiter as soon as state changes.

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every `intervalMs` until it returns `want` or `timeoutMs` has passed; returns the last value seen. */
export async function waitUntil<T>(probe: () => T | Promise<T>, want: T, timeoutMs = 10_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got === want || Date.now() > deadline) return got;
    await sleep(intervalMs);
  }
}

/** Lets one async waiter sleep until event handlers report a change (wake) or a timeout passes. */
export class Wakeup {
  private waiter: (() => void) | null = null;

  /** Ends the pending wait(), if there is one. */
  wake(): void {
    const w = this.waiter;
    this.waiter = null;
    if (w) w();
  }

  /** Resolves at the next wake() or after `ms`, whichever comes first. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        resolve();
      }, ms);
      this.waiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
