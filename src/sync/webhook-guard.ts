/**
 * What keeps unauthenticated webhook traffic from costing the hub (or the vendor quota) much:
 * a token bucket per connection, checked before the body is read or a signature verified,
 * and a short per-ticket window that coalesces hints. A replayed valid callback (CW signs no
 * timestamp and sends no delivery id) then costs at most one vendor fetch per ticket per
 * window, however often it is replayed; a real change inside the window is fetched at the
 * window's end, never dropped (the inbound queue keeps one waiting hint per ticket).
 */

const MAX_TRACKED_TICKETS = 10_000;

export interface WebhookGuardOptions {
  /** Requests per connection per minute; the bucket holds as many. */
  ratePerMinute: number;
  /** Hints for one ticket closer together than this wait for the window's end. */
  ticketWindowMs: number;
  now?: () => number;
}

export type WebhookGuard = ReturnType<typeof createWebhookGuard>;

export function createWebhookGuard(opts: WebhookGuardOptions) {
  const now = opts.now ?? Date.now;
  const buckets = new Map<string, { tokens: number; at: number }>();
  /** When the last hint for `connection\nexternalId` was (or will be) due. */
  const lastDue = new Map<string, number>();

  return {
    /** Takes one token; null when admitted, else the seconds until the next one. */
    admit(connectionId: string): number | null {
      const t = now();
      const perMs = opts.ratePerMinute / 60_000;
      const b = buckets.get(connectionId) ?? { tokens: opts.ratePerMinute, at: t };
      b.tokens = Math.min(opts.ratePerMinute, b.tokens + (t - b.at) * perMs);
      b.at = t;
      buckets.set(connectionId, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return null;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000));
    },
    /** How long to hold a verified hint for this ticket before it is fetched (0: now). */
    delayFor(connectionId: string, externalId: string): number {
      const key = `${connectionId}\n${externalId}`;
      const t = now();
      const prev = lastDue.get(key);
      // A hint already waiting absorbs this one; one fetched less than a window ago makes this
      // one wait for the window's end; otherwise it is due now.
      const due =
        prev === undefined || t >= prev + opts.ticketWindowMs
          ? t
          : t < prev
            ? prev
            : prev + opts.ticketWindowMs;
      lastDue.delete(key); // re-insert: the map stays in last-used order for eviction
      lastDue.set(key, due);
      if (lastDue.size > MAX_TRACKED_TICKETS) lastDue.delete(lastDue.keys().next().value as string);
      return due - t;
    },
  };
}
