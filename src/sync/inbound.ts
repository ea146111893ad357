import { eq, sql } from 'drizzle-orm';
import type { ChangeHint } from '../connector-kit/contract.ts';
import type { Db } from '../db/client.ts';
import type { InboundQueueRow } from '../db/schema/index.ts';
import { inboundQueue, ticketLinks } from '../db/schema/index.ts';
import type { WriteHooks } from '../domain/ticket-store.ts';
import type { Logger } from '../logger.ts';
import { applyInbound } from './apply.ts';
import { syncCommentsIn } from './comments-in.ts';
import type { ConnectionRuntime } from './runtime.ts';
import { sortByScope } from './scope.ts';

export const INBOUND_CHANNEL = 'hub_inbound';
const MAX_INBOUND_ATTEMPTS = 6;

/** Webhooks only enqueue: the answer goes back fast, the work happens in the worker. */
export async function enqueueHints(db: Db, connectionId: string, hints: ChangeHint[]): Promise<void> {
  if (hints.length === 0) return;
  await db.transaction(async (tx) => {
    await tx
      .insert(inboundQueue)
      .values(hints.map((h) => ({ connectionId, externalId: h.externalId, kind: h.kind })))
      .onConflictDoNothing();
    await tx.execute(sql`select pg_notify(${INBOUND_CHANNEL}, '')`);
  });
}

export async function claimHints(
  db: Db,
  connectionIds: string[],
  limit: number,
  leaseMs: number,
): Promise<InboundQueueRow[]> {
  if (connectionIds.length === 0) return [];
  const ids = sql.join(
    connectionIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const result = await db.execute(sql`
    update inbound_queue set locked_until = now() + ${`${leaseMs} milliseconds`}::interval, attempts = attempts + 1
    where id in (
      select id from inbound_queue
      where next_attempt_at <= now() and (locked_until is null or locked_until < now())
        and connection_id in (${ids})
      order by id limit ${limit}
      for update skip locked)
    returning id, connection_id, external_id, kind, attempts`);
  return (result as unknown as { rows: Record<string, unknown>[] }).rows.map((r) => ({
    id: Number(r.id),
    connectionId: String(r.connection_id),
    externalId: String(r.external_id),
    kind: r.kind as InboundQueueRow['kind'],
    attempts: Number(r.attempts),
    nextAttemptAt: new Date(),
    lockedUntil: null,
    lastError: null,
    receivedAt: new Date(),
  }));
}

/** Fetches the authoritative record for a hint and applies it (thin webhook payloads are never trusted). */
export async function processHint(
  db: Db,
  rt: ConnectionRuntime,
  hint: InboundQueueRow,
  hooks: WriteHooks,
  log: Logger,
): Promise<void> {
  const fetched = await rt.connector.getTicket(rt.ctx, hint.externalId);
  // A webhook about another customer's ticket is dropped (and counted) like a pulled one.
  const record = fetched && (await sortByScope(db, rt.id, rt.scope, [fetched], log)).inScope[0]?.record;
  if (fetched && !record) {
    await db.delete(inboundQueue).where(eq(inboundQueue.id, hint.id));
    return;
  }
  if (record) {
    const { link, commentsDue } = await applyInbound(db, rt, record, hooks);
    if (commentsDue || hint.kind === 'comment') await syncCommentsIn(db, rt, link, hooks);
  } else {
    // Deleted in the tool: keep the hub's ticket (the other side may still need it), drop the link's claim.
    await db
      .update(ticketLinks)
      .set({ lastError: 'deleted in the tool' })
      .where(sql`${ticketLinks.connectionId} = ${rt.id} and ${ticketLinks.externalId} = ${hint.externalId}`);
  }
  await db.delete(inboundQueue).where(eq(inboundQueue.id, hint.id));
}

export async function failHint(db: Db, hint: InboundQueueRow, message: string): Promise<void> {
  if (hint.attempts >= MAX_INBOUND_ATTEMPTS) {
    // The reconciling poll is the backstop for a hint we could not process.
    await db.delete(inboundQueue).where(eq(inboundQueue.id, hint.id));
    return;
  }
  const at = new Date(Date.now() + Math.min(60_000, 500 * 2 ** hint.attempts));
  await db
    .update(inboundQueue)
    .set({ nextAttemptAt: at, lockedUntil: at, lastError: message.slice(0, 1000) })
    .where(eq(inboundQueue.id, hint.id));
}
