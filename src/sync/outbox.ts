import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { SyncOutboxRow } from '../db/schema/index.ts';
import { syncOutbox, ticketLinks } from '../db/schema/index.ts';
import { ownerGone } from './presence.ts';

/**
 * Claims due deliveries for the given connections, oldest first, at most one in flight per
 * (tool, ticket) so changes reach each tool in order. `FOR UPDATE SKIP LOCKED` plus a lease
 * makes each row belong to exactly one replica. A claim whose replica is gone (its presence lock
 * released: the process or its session died) is taken over at once; a live replica's is not.
 * A parked row holds nothing up: later changes to the same ticket go ahead without it.
 * `now` is the engine's clock (retry times are written with it too).
 */
export async function claimDeliveries(
  db: Db,
  connectionIds: string[],
  limit: number,
  leaseMs: number,
  owner: string,
  now: Date,
): Promise<SyncOutboxRow[]> {
  if (connectionIds.length === 0) return [];
  const ids = sql.join(
    connectionIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const at = now.toISOString();
  const result = await db.execute(sql`
    update sync_outbox set locked_until = ${at}::timestamptz + ${`${leaseMs} milliseconds`}::interval,
      attempts = attempts + 1, claimed_by = ${owner}
    where id in (
      select o.id from sync_outbox o
      where o.state = 'pending' and o.next_attempt_at <= ${at}::timestamptz
        and (o.locked_until is null or o.locked_until < ${at}::timestamptz
          or (o.claimed_by is not null and ${ownerGone(sql`o.claimed_by`)}))
        and o.connection_id in (${ids})
        and not exists (
          select 1 from sync_outbox p
          where p.connection_id = o.connection_id and p.ticket_id = o.ticket_id and p.id < o.id
            and p.state = 'pending'
        )
      order by o.id
      limit ${limit}
      for update skip locked
    )
    returning id, connection_id, ticket_id, kind, comment_id, attempts, failing_since, created_at`);
  const rows = (result as unknown as { rows: Record<string, unknown>[] }).rows;
  return rows.map((r) => ({
    id: Number(r.id),
    connectionId: String(r.connection_id),
    ticketId: String(r.ticket_id),
    kind: r.kind as 'ticket' | 'comment',
    commentId: (r.comment_id as string | null) ?? null,
    attempts: Number(r.attempts),
    failingSince: r.failing_since ? new Date(r.failing_since as string) : null,
    permanent: false,
    claimedBy: owner,
    state: 'pending',
    nextAttemptAt: now,
    lockedUntil: null,
    lastError: null,
    createdAt: new Date(r.created_at as string),
  }));
}

/**
 * Every claim bumps `attempts`, so (id, attempts) names one claim: completing or failing a row
 * another replica has claimed since (after this one's lease lapsed) changes nothing; the new
 * owner's state-based delivery finds the tool already up to date.
 */
export const ownClaim = (row: SyncOutboxRow) =>
  and(eq(syncOutbox.id, row.id), eq(syncOutbox.attempts, row.attempts));

/**
 * Removes a delivered row. The tool answers again, so rows parked because an outage outlasted
 * the retry window go back in line by themselves: once the vendor is back no replay is needed.
 * (Rows the tool refused for good stay parked.)
 */
export async function completeDelivery(db: Db, row: SyncOutboxRow, now: Date = new Date()): Promise<void> {
  await db.delete(syncOutbox).where(ownClaim(row));
  await db
    .update(syncOutbox)
    .set({ ...BACK_IN_LINE, nextAttemptAt: now })
    .where(
      and(
        eq(syncOutbox.connectionId, row.connectionId),
        eq(syncOutbox.state, 'parked'),
        eq(syncOutbox.permanent, false),
      ),
    );
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

/**
 * Extends the leases of claims this replica still holds, given as id -> attempts; returns the
 * ids still held (a missing one was taken over after its lease lapsed, e.g. a frozen process).
 */
export async function renewClaims(
  db: Db,
  table: 'sync_outbox' | 'inbound_queue',
  held: ReadonlyMap<number, number>,
  leaseMs: number,
  now: Date = new Date(),
): Promise<Set<number>> {
  if (held.size === 0) return new Set();
  const pairs = sql.join(
    [...held].map(([id, attempts]) => sql`(${id}::bigint, ${attempts}::int)`),
    sql`, `,
  );
  const result = await db.execute(sql`
    update ${sql.raw(table)} set locked_until = ${now.toISOString()}::timestamptz + ${`${leaseMs} milliseconds`}::interval
    where (id, attempts) in (${pairs}) and locked_until is not null
    returning id`);
  const rows = (result as unknown as { rows: { id: unknown }[] }).rows;
  return new Set(rows.map((r) => Number(r.id)));
}

/**
 * A parked row made pending again. `locked_until` in the past (not null) keeps it out of the
 * "one waiting ticket row" unique index, next to a newer pending row for the same ticket.
 */
const BACK_IN_LINE = {
  state: 'pending',
  attempts: 0,
  failingSince: null,
  permanent: false,
  claimedBy: null,
  lockedUntil: new Date(0),
} as const;

/** Puts a connection's parked deliveries back in line; returns how many. */
export async function replayParked(db: Db, connectionId: string): Promise<number> {
  const rows = await db
    .update(syncOutbox)
    .set({ ...BACK_IN_LINE, nextAttemptAt: new Date(), lastError: null })
    .where(and(eq(syncOutbox.connectionId, connectionId), eq(syncOutbox.state, 'parked')))
    .returning({ id: syncOutbox.id });
  return rows.length;
}
