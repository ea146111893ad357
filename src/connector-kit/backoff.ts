/**
 * Retry timing as pure functions, so the policy is tested without clocks (like ofetch's retry.ts).
 */

export interface BackoffOptions {
  /** The first step; step n is `baseMs * 2^n` before jitter. */
  baseMs: number;
  /** Ceiling of one step before jitter. */
  maxMs: number;
  /** What the vendor asked for; when present it wins, because the vendor knows its own window. */
  retryAfterMs?: number;
  /** Source of randomness in [0, 1); injectable for tests. */
  random?: () => number;
}

/**
 * Milliseconds to wait before retry number `attempt` (0-based). Without `Retry-After` it uses
 * "full jitter" (a uniform draw in [0, step]): many clients that failed together then spread out
 * instead of hammering the vendor in lockstep.
 */
export function computeBackoffMs(attempt: number, options: BackoffOptions): number {
  if (options.retryAfterMs !== undefined && Number.isFinite(options.retryAfterMs)) {
    return Math.max(0, Math.ceil(options.retryAfterMs));
  }
  const random = options.random ?? Math.random;
  const exponent = Math.min(Math.max(0, attempt), 30);
  const step = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  return Math.floor(random() * Math.max(0, step));
}

/**
 * `Retry-After` as milliseconds from `now`: either delta-seconds or an HTTP date. Returns
 * undefined when absent or unreadable, so the caller falls back to its own backoff.
 */
export function parseRetryAfter(
  value: string | undefined | null,
  now: Date = new Date(),
): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

/** A timer that an abort signal can cut short; rejects with the signal's reason. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
