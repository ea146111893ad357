/**
 * Staying under Autotask's request threshold (10,000 requests per rolling hour per database,
 * shared by every integration on the tenant) by slowing down before the cap instead of meeting
 * 429s (or a blocked tenant) at it. A pure function decides; `session.ts` applies the decision.
 *
 * Below `startRatio` of the threshold requests go at once. Above it, requests are spaced so the
 * rest of the budget (minus a reserve for other integrations) would last a whole timeframe:
 * spacing = timeframe / remaining. The rolling window also frees old requests, so this errs on
 * the slow side, which is the point. A spacing longer than `maxWaitMs` is not slept: the call is
 * deferred with a retry-after estimate, so the engine reschedules instead of pinning a worker.
 */

export interface ThresholdSnapshot {
  /** `externalRequestThreshold`. */
  threshold: number;
  /** `requestThresholdTimeframe` in milliseconds. */
  timeframeMs: number;
  /** `currentTimeframeRequestCount` when it was read. */
  used: number;
}

export interface PacingPolicy {
  /** Share of the threshold (0..1) above which requests are spread out. */
  startRatio: number;
  /** Requests left for other integrations on the tenant. */
  reserve: number;
  /** The longest wait worth sleeping; longer ones defer. */
  maxWaitMs: number;
}

export type PacingDecision =
  | { action: 'go'; spacingMs: number }
  | { action: 'defer'; retryAfterSeconds: number };

/**
 * What to do before the next request, given the last snapshot and the requests this client sent
 * since it was read (they are not in `used` yet).
 */
export function decidePacing(
  snapshot: ThresholdSnapshot,
  sentSinceRead: number,
  policy: PacingPolicy,
): PacingDecision {
  const threshold = Math.max(1, snapshot.threshold);
  const used = Math.max(0, snapshot.used) + Math.max(0, sentSinceRead);
  if (used < threshold * clamp(policy.startRatio, 0, 1)) return { action: 'go', spacingMs: 0 };
  const budget = Math.max(1, threshold - Math.max(0, policy.reserve));
  const remaining = budget - used;
  if (remaining <= 0) {
    // Requests leave a rolling window at about the rate they entered it; wait for the excess.
    const excess = used - budget + 1;
    const waitMs = (snapshot.timeframeMs * excess) / Math.max(used, 1);
    return { action: 'defer', retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }
  const spacingMs = Math.ceil(snapshot.timeframeMs / remaining);
  if (spacingMs > policy.maxWaitMs) {
    return { action: 'defer', retryAfterSeconds: Math.max(1, Math.ceil(spacingMs / 1000)) };
  }
  return { action: 'go', spacingMs };
}

/** Milliseconds to sleep so that this request starts `spacingMs` after the previous one. */
export function waitBeforeNext(lastStartMs: number | null, nowMs: number, spacingMs: number): number {
  if (lastStartMs === null || spacingMs <= 0) return 0;
  return Math.max(0, lastStartMs + spacingMs - nowMs);
}

/** Whether the snapshot is due for a re-read. */
export function thresholdReadDue(
  readAtMs: number | null,
  sentSinceRead: number,
  nowMs: number,
  options: { every: number; maxAgeMs: number },
): boolean {
  if (readAtMs === null) return true;
  return sentSinceRead >= options.every || nowMs - readAtMs >= options.maxAgeMs;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Number.isFinite(value) ? value : min));
}
