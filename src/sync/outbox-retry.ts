/**
 * What happens after a delivery failed: retry later, or park. A tool that is down, slow or
 * rate limiting is waited out for the whole retry window (an outage of hours), with capped
 * backoff and the vendor's `Retry-After` honoured; a call the tool refuses for good (bad
 * credentials, an invalid request: `ConnectorError.retryable === false`) is parked at once with
 * the reason, because repeating it cannot succeed.
 */
import { and, eq } from 'drizzle-orm';
import { computeBackoffMs } from '../connector-kit/backoff.ts';
import { isConnectorError } from '../connector-kit/errors.ts';
import type { Db } from '../db/client.ts';
import type { SyncOutboxRow } from '../db/schema/index.ts';
import { connections, syncOutbox, ticketLinks } from '../db/schema/index.ts';
import { ownClaim } from './outbox.ts';

export interface DeliveryRetryPolicy {
  /** How long a delivery keeps being retried after its first failure before it is parked. */
  retryWindowMs: number;
  /** A delivery is tried at least this often before it can be parked for time. */
  minAttempts: number;
  /** First backoff step; it doubles per attempt (full jitter) up to `maxDelayMs`. */
  baseDelayMs: number;
  /** Ceiling of one wait, so a tool that is back is noticed within minutes. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: DeliveryRetryPolicy = {
  retryWindowMs: 6 * 60 * 60_000,
  minAttempts: 8,
  baseDelayMs: 1000,
  maxDelayMs: 5 * 60_000,
};

/** How a failure is handled: from the connector's error kind when it has one. */
export interface DeliveryFailure {
  message: string;
  /** The vendor's `Retry-After`, in milliseconds. */
  retryAfterMs?: number;
  /** True when repeating the call can never succeed. */
  permanent: boolean;
}

export function toDeliveryFailure(err: unknown): DeliveryFailure {
  const message = err instanceof Error ? err.message : String(err);
  if (!isConnectorError(err)) return { message, permanent: false };
  return {
    message,
    permanent: !err.retryable,
    ...(err.retryAfterSeconds ? { retryAfterMs: err.retryAfterSeconds * 1000 } : {}),
  };
}

export type FailOutcome = { outcome: 'retry'; nextAttemptAt: Date } | { outcome: 'parked' };

/**
 * Schedules a retry with backoff, or parks the row (permanent failure, or failing for longer
 * than the window). Either way the reason is shown: on the connection's health right away, and
 * on the ticket's link once parked.
 */
export async function failDelivery(
  db: Db,
  row: SyncOutboxRow,
  failure: DeliveryFailure,
  now: Date,
  policy: DeliveryRetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<FailOutcome> {
  const text = (
    failure.permanent ? `not retried, the tool refused it: ${failure.message}` : failure.message
  ).slice(0, 1000);
  const since = row.failingSince ?? now;
  const outlasted =
    row.attempts >= policy.minAttempts && now.getTime() - since.getTime() >= policy.retryWindowMs;
  return db.transaction(async (tx) => {
    await tx
      .update(connections)
      .set({ lastError: `delivery: ${text}`, lastErrorAt: now })
      .where(eq(connections.id, row.connectionId));
    if (failure.permanent || outlasted) {
      await tx
        .update(syncOutbox)
        .set({
          state: 'parked',
          lastError: text,
          lockedUntil: null,
          claimedBy: null,
          failingSince: since,
          permanent: failure.permanent,
        })
        .where(ownClaim(row));
      await tx
        .update(ticketLinks)
        .set({ lastError: text })
        .where(and(eq(ticketLinks.ticketId, row.ticketId), eq(ticketLinks.connectionId, row.connectionId)));
      return { outcome: 'parked' };
    }
    const delay = computeBackoffMs(row.attempts - 1, {
      baseMs: policy.baseDelayMs,
      maxMs: policy.maxDelayMs,
      ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}),
    });
    const at = new Date(now.getTime() + delay);
    // locked_until stays set (to the retry time): the row keeps its place in the per-ticket order.
    await tx
      .update(syncOutbox)
      .set({ nextAttemptAt: at, lockedUntil: at, claimedBy: null, lastError: text, failingSince: since })
      .where(ownClaim(row));
    return { outcome: 'retry', nextAttemptAt: at };
  });
}
