/**
 * The simulator's request limits, as Autotask enforces them per database:
 * - the request threshold: at most `threshold` requests per rolling (scaled) hour, reported by
 *   `GET /ThresholdInformation` and answered 429 beyond it (Autotask's exact status is
 *   UNCONFIRMED; libraries treat 429 as retryable);
 * - the thread limit: at most 3 concurrent requests per integration code and object endpoint
 *   (General/ThreadLimiting.htm), 429 beyond it. zoneInformation is exempt from both.
 * Time here is real time (scaled), not the simulator's data clock.
 */

export interface SimLimitOptions {
  /** Requests per timeframe. Default 10,000. */
  threshold?: number;
  /** Length of the "hour" in real milliseconds. Default 3,600,000; tests shrink it. */
  hourMs?: number;
  /** Concurrent requests per integration code and endpoint. Default 3. */
  threadLimit?: number;
}

export function createSimLimits(options: SimLimitOptions = {}, clock: () => number = Date.now) {
  let threshold = options.threshold ?? 10_000;
  let hourMs = options.hourMs ?? 3_600_000;
  const threadLimit = options.threadLimit ?? 3;
  const stamps: number[] = [];
  const inFlight = new Map<string, number>();
  let thresholdRejections = 0;
  let threadRejections = 0;

  const prune = () => {
    const cutoff = clock() - hourMs;
    while (stamps.length > 0 && (stamps[0] ?? 0) <= cutoff) stamps.shift();
  };

  return {
    get threshold() {
      return threshold;
    },
    get hourMs() {
      return hourMs;
    },
    /** Changes the threshold or the timeframe from now on (requests already counted stay). */
    configure(next: Pick<SimLimitOptions, 'threshold' | 'hourMs'>) {
      threshold = next.threshold ?? threshold;
      hourMs = next.hourMs ?? hourMs;
    },
    used(): number {
      prune();
      return stamps.length;
    },
    /** Counts a request, or returns the seconds to wait when the threshold is used up. */
    admit(): { ok: true } | { ok: false; retryAfterSeconds: number } {
      prune();
      if (stamps.length >= threshold) {
        thresholdRejections++;
        const oldest = stamps[0] ?? clock();
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + hourMs - clock()) / 1000)) };
      }
      stamps.push(clock());
      return { ok: true };
    },
    /** Takes a thread slot for `key`; returns the release, or null when the limit is reached. */
    enter(key: string): (() => void) | null {
      const current = inFlight.get(key) ?? 0;
      if (current >= threadLimit) {
        threadRejections++;
        return null;
      }
      inFlight.set(key, current + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
      };
    },
    rejections: () => ({ threshold: thresholdRejections, thread: threadRejections }),
    reset() {
      stamps.length = 0;
      thresholdRejections = 0;
      threadRejections = 0;
    },
    /** `GET /ThresholdInformation`; the timeframe in (possibly fractional) minutes. */
    info() {
      return {
        externalRequestThreshold: threshold,
        requestThresholdTimeframe: hourMs / 60_000,
        currentTimeframeRequestCount: this.used(),
      };
    },
  };
}

export type SimLimits = ReturnType<typeof createSimLimits>;
