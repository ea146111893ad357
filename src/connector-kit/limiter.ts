/**
 * Per-client request limits. Vendors count per credential (Autotask allows 3 concurrent calls per
 * endpoint, ServiceNow and Jira answer 429), so the engine gives each connection its own client and
 * each client its own limiter: one busy tenant cannot starve another.
 */
import { sleep } from './backoff.ts';

export interface RequestLimits {
  maxConcurrency: number;
  /** Undefined or 0 means no rate limit, only the concurrency cap. */
  maxRequestsPerSecond?: number;
}

export interface RequestLimiter {
  /** Resolves when a request may start; call the returned function when it has finished. */
  acquire(signal?: AbortSignal): Promise<() => void>;
  /** Requests currently holding a slot (for logs and tests). */
  readonly inFlight: number;
}

export function createRequestLimiter(limits: RequestLimits, now: () => number = Date.now): RequestLimiter {
  const maxConcurrency = Math.max(1, Math.floor(limits.maxConcurrency));
  const spacingMs = limits.maxRequestsPerSecond ? 1000 / limits.maxRequestsPerSecond : 0;
  const waiting: Array<() => void> = [];
  let inFlight = 0;
  // The earliest moment the next request may start. Requests are spaced evenly rather than
  // allowed in bursts, because vendors that publish a per-second limit usually enforce it that way.
  let nextStartAt = 0;

  const release = () => {
    inFlight -= 1;
    const next = waiting.shift();
    if (next) next();
  };

  const takeSlot = (): Promise<void> => {
    if (inFlight < maxConcurrency) {
      inFlight += 1;
      return Promise.resolve();
    }
    // The slot is handed over directly by `release`, so a late arrival cannot jump the queue.
    return new Promise((resolve) =>
      waiting.push(() => {
        inFlight += 1;
        resolve();
      }),
    );
  };

  return {
    get inFlight() {
      return inFlight;
    },
    async acquire(signal) {
      await takeSlot();
      if (spacingMs > 0) {
        const startAt = Math.max(now(), nextStartAt);
        nextStartAt = startAt + spacingMs;
        try {
          await sleep(startAt - now(), signal);
        } catch (err) {
          release();
          throw err;
        }
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        release();
      };
    },
  };
}
