import { and, eq, sql } from 'drizzle-orm';
import { computeBackoffMs } from '../connector-kit/backoff.ts';
import type { Db } from '../db/client.ts';
import type { SyncOutboxRow } from '../db/schema/index.ts';
import { connections, syncOutbox, ticketLinks } from '../db/schema/index.ts';

/** After this many failed attempts a delivery is parked until an admin replays it. */
export const MAX_DELIVERY_ATTEMPTS = 8;

/**
 * Claims due deliveries for the given connections, oldest first, at most one in flight per
 * (tool, ticket) so changes reach each tool in order. `FOR UPDATE SKIP LOCKED` plus a lease
 * makes each row belong to exactly one replica; a replica that dies lets its lease expire.
 */
export async function claimDeliveries(
  db: Db,
  connectionIds: string[],
  limit: number,
  leaseMs: number,
): Promise<SyncOutboxRow[]> {
  if (connectionIds.length === 0) return [];
  const ids = sql.join(
    connectionIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const result = await db.execute(sql`
    update sync_outbox set locked_until = now() + ${`${leaseMs} milliseconds`}::interval, attempts = attempts + 1
    where id in (
      select o.id from sync_outbox o
      where o.state = 'pending' and o.next_attempt_at <= now()
        and (o.locked_until is null or o.locked_until < now())
        and o.connection_id in (${ids})
        and not exists (
          select 1 from sync_outbox p
          where p.connection_id = o.connection_id and p.ticket_id = o.ticket_id and p.id < o.id
        )
      order by o.id
      limit ${limit}
      for update skip locked
    )
    returning id, connection_id, ticket_id, kind, comment_id, attempts`);
  const rows = (result as unknown as { rows: Record<string, unknown>[] }).rows;
  return rows.map((r) => ({
    id: Number(r.id),
    connectionId: String(r.connection_id),
    ticketId: String(r.ticket_id),
    kind: r.kind as 'ticket' | 'comment',
    commentId: (r.comment_id as string | null) ?? null,
    attempts: Number(r.attempts),
    state: 'pending',
    nextAttemptAt: new Date(),
    lockedUntil: null,
    lastError: null,
    createdAt: new Date(),
  }));
}

/**
 * Every claim bumps `attempts`, so (id, attempts) names one claim: completing or failing a row
 * another replica has claimed since (after this one's lease lapsed) changes nothing; the new
 * owner's state-based delivery finds the tool already up to date.
 */
const ownClaim = (row: SyncOutboxRow) =>
  and(eq(syncOutbox.id, row.id), eq(syncOutbox.attempts, row.attempts));

export async function completeDelivery(db: Db, row: SyncOutboxRow): Promise<void> {
  await db.delete(syncOutbox).where(ownClaim(row));
  await db
    .update(ticketLinks)
    .set({ lastError: null })
    .where(
      and(
        eq(ticketLinks.ticketId, row.ticketId),
        eq(ticketLinks.connectionId, row.connectionId),
        sql`${ticketLinks.lastError} is not null`,
      ),
    );
}

/** Schedules a retry with backoff, or parks the delivery and shows the error on ticket and connection. */
export async function failDelivery(
  db: Db,
  row: SyncOutboxRow,
  message: string,
  retryAfterMs?: number,
  permanent = false,
): Promise<'retry' | 'parked'> {
  const text = message.slice(0, 1000);
  if (permanent || row.attempts >= MAX_DELIVERY_ATTEMPTS) {
    await db.transaction(async (tx) => {
      await tx
        .update(syncOutbox)
        .set({ state: 'parked', lastError: text, lockedUntil: null })
        .where(ownClaim(row));
      await tx
        .update(ticketLinks)
        .set({ lastError: text })
        .where(and(eq(ticketLinks.ticketId, row.ticketId), eq(ticketLinks.connectionId, row.connectionId)));
      await tx
        .update(connections)
        .set({ lastError: text, lastErrorAt: new Date() })
        .where(eq(connections.id, row.connectionId));
    });
    return 'parked';
  }
  const delay = computeBackoffMs(row.attempts, { baseMs: 500, maxMs: 5 * 60_000, retryAfterMs });
  const at = new Date(Date.now() + delay);
  // locked_until stays set (to the retry time): the row keeps its place in the per-ticket order.
  await db
    .update(syncOutbox)
    .set({ nextAttemptAt: at, lockedUntil: at, lastError: text })
    .where(ownClaim(row));
  return 'retry';
}

/**
 * Extends the leases of claims this replica still holds, given as id -> attempts; returns the
 * ids still held (a missing one was taken over after its lease lapsed, e.g. a frozen process).
 */
export async function renewClaims(
  db: Db,
  table: 'sync_outbox' | 'inbound_queue',
  held: ReadonlyMap<number, number>,
  leaseMs: number,
): Promise<Set<number>> {
  if (held.size === 0) return new Set();
  const pairs = sql.join(
    [...held].map(([id, attempts]) => sql`(${id}::bigint, ${attempts}::int)`),
    sql`, `,
  );
  const result = await db.execute(sql`
    update ${sql.raw(table)} set locked_until = now() + ${`${leaseMs} milliseconds`}::interval
    where (id, attempts) in (${pairs}) and locked_until is not null
    returning id`);
  const rows = (result as unknown as { rows: { id: unknown }[] }).rows;
  return new Set(rows.map((r) => Number(r.id)));
}

/** Puts a connection's parked deliveries back in line; returns how many. */
export async function replayParked(db: Db, connectionId: string): Promise<number> {
  const rows = await db
    .update(syncOutbox)
    .set({
      state: 'pending',
      attempts: 0,
      nextAttemptAt: new Date(),
      lockedUntil: new Date(0),
      lastError: null,
    })
    .where(and(eq(syncOutbox.connectionId, connectionId), eq(syncOutbox.state, 'parked')))
    .returning({ id: syncOutbox.id });
  return rows.length;
}
