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
 *
 * Between two reads of ThresholdInformation the client keeps its own count: the snapshot's other
 * usage (what is not ours) is taken as constant, and our own requests enter and leave the rolling
 * window as we sent them (`estimateUsed`). A long backfill then knows when its own early requests
 * free the budget (`ownFreedInMs`) without polling the threshold for it; the polls (which count
 * too) only watch for other integrations.
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

export interface ReadDueOptions {
  /** Re-read after this many requests. */
  every: number;
  /** Re-read a snapshot this old once `minSent` requests went out since it was read. */
  maxAgeMs: number;
  /** Default 1: a snapshot is not re-read for its age alone while the client is idle or slow. */
  minSent?: number;
  /** Re-read a snapshot this old whatever was sent. Default: never. */
  staleMs?: number;
}

/** Whether the snapshot is due for a re-read. */
export function thresholdReadDue(
  readAtMs: number | null,
  sentSinceRead: number,
  nowMs: number,
  options: ReadDueOptions,
): boolean {
  if (readAtMs === null) return true;
  const age = nowMs - readAtMs;
  if (sentSinceRead >= options.every || age >= (options.staleMs ?? Number.POSITIVE_INFINITY)) return true;
  return age >= options.maxAgeMs && sentSinceRead >= Math.max(1, options.minSent ?? 1);
}

/** Our requests (start times, any order) inside the rolling window that ends at `atMs`. */
export function ownInWindow(stamps: readonly number[], atMs: number, timeframeMs: number): number {
  let n = 0;
  for (const s of stamps) if (s > atMs - timeframeMs && s <= atMs) n++;
  return n;
}

/**
 * The threshold's count now: the snapshot's usage by others (read at `readAtMs`), assumed
 * unchanged, plus our requests still inside the window, including those already given a slot
 * that have not gone out yet.
 */
export function estimateUsed(
  snapshot: ThresholdSnapshot,
  readAtMs: number,
  stamps: readonly number[],
  nowMs: number,
): number {
  const others = Math.max(0, snapshot.used - ownInWindow(stamps, readAtMs, snapshot.timeframeMs));
  return others + stamps.filter((s) => s > nowMs - snapshot.timeframeMs).length;
}

/**
 * Milliseconds until `count` of our requests have left the window (the oldest first), or null
 * when fewer than `count` of ours are in it: then only other integrations can free the budget.
 */
export function ownFreedInMs(
  stamps: readonly number[],
  nowMs: number,
  timeframeMs: number,
  count: number,
): number | null {
  const inWindow = stamps.filter((s) => s > nowMs - timeframeMs).sort((a, b) => a - b);
  const leaving = inWindow[Math.max(1, count) - 1];
  return leaving === undefined ? null : Math.max(0, leaving + timeframeMs - nowMs + 1);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Number.isFinite(value) ? value : min));
}
