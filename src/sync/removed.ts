/**
 * A ticket's copy deleted or merged away in a tool. Noticed wherever the engine reads the copy
 * (a webhook hint, a delivery's read before writing): it is recorded as an event on the ticket
 * (REMOVED_IN_TOOL / MERGED_IN_TOOL, so subscribers and the dashboard see it), the link shows it,
 * and the connection's `onRemoved` policy applies. A merge follows the surviving ticket.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { TicketRecord } from '../connector-kit/records.ts';
import type { Db } from '../db/client.ts';
import type { TicketLinkRow } from '../db/schema/index.ts';
import { syncOutbox, ticketLinks } from '../db/schema/index.ts';
import { changeTicket, noteTicketEvent, type WriteHooks } from '../domain/ticket-store.ts';
import { actorFor, applyInbound } from './apply.ts';
import { OUTBOX_CHANNEL } from './planner.ts';
import type { ConnectionRuntime } from './runtime.ts';

export type Removal = { as: 'deleted' } | { as: 'merged'; into: TicketRecord };

/**
 * What reading a linked copy says: null while it is there; deleted when the tool has no such
 * ticket; merged when the tool answers with another ticket (RT and others follow a merged
 * ticket's id to the survivor).
 */
export function removalOf(externalId: string, record: TicketRecord | null): Removal | null {
  if (!record) return { as: 'deleted' };
  if (record.externalId !== externalId) return { as: 'merged', into: record };
  return null;
}

/** Records the removal once and applies the policy; a link already marked removed is left alone. */
export async function handleRemoved(
  db: Db,
  rt: ConnectionRuntime,
  link: TicketLinkRow,
  removal: Removal,
  hooks: WriteHooks,
): Promise<void> {
  if (link.removedAt) return;
  const actor = actorFor(rt);
  if (removal.as === 'merged') {
    const survivor = removal.into;
    const [taken] = await db
      .select({ ticketId: ticketLinks.ticketId })
      .from(ticketLinks)
      .where(and(eq(ticketLinks.connectionId, rt.id), eq(ticketLinks.externalId, survivor.externalId)));
    const change = { field: `${rt.id} ticket`, from: link.externalId, to: survivor.externalId };
    if (!taken) {
      // Follow the merge: the link now names the survivor, whose state is merged like any read.
      await db
        .update(ticketLinks)
        .set({ externalId: survivor.externalId, externalUrl: survivor.externalUrl ?? link.externalUrl })
        .where(eq(ticketLinks.id, link.id));
      await noteTicketEvent(db, actor, link.ticketId, 'MERGED_IN_TOOL', [change]);
      await applyInbound(db, rt, survivor, hooks);
      return;
    }
    // The survivor is another hub ticket's copy: this ticket keeps its history, unlinked there.
    await markRemoved(db, link, 'merged', survivor.externalId);
    await noteTicketEvent(db, actor, link.ticketId, 'MERGED_IN_TOOL', [change]);
    return;
  }

  const policy = rt.def.onRemoved;
  await noteTicketEvent(db, actor, link.ticketId, 'REMOVED_IN_TOOL', [
    { field: `${rt.id} ticket`, from: link.externalId, to: null },
    { field: 'onRemoved', from: null, to: policy },
  ]);
  if (policy === 'recreate') {
    // A new copy: the link goes, and a delivery creates the ticket in the tool again.
    await db.transaction(async (tx) => {
      await tx.delete(ticketLinks).where(eq(ticketLinks.id, link.id));
      await tx
        .insert(syncOutbox)
        .values({ connectionId: rt.id, ticketId: link.ticketId, kind: 'ticket' })
        .onConflictDoNothing();
      await tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
    });
    return;
  }
  await markRemoved(db, link, 'deleted', null);
  if (policy === 'close') {
    await changeTicket(db, actor, link.ticketId, { compute: () => ({ status: 'CLOSED' }) }, hooks);
  }
}

async function markRemoved(
  db: Db,
  link: TicketLinkRow,
  as: 'deleted' | 'merged',
  mergedInto: string | null,
): Promise<void> {
  await db
    .update(ticketLinks)
    .set({ removedAt: new Date(), removedAs: as, mergedInto })
    .where(eq(ticketLinks.id, link.id));
}
