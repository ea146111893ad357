/**
 * A tool changing a ticket's requester moves the hub's requester, matched by e-mail like the
 * assignee. Compared with what the link last read, so an unchanged tool never reverts a change
 * made in the hub; a record without a requester, or one matching nobody on the engagement's
 * sides, leaves the hub's requester alone (a pull page that omits it clears nothing).
 */
import { eq } from 'drizzle-orm';
import type { TicketRecord } from '../connector-kit/records.ts';
import type { Tx } from '../db/client.ts';
import type { TicketLinkRow } from '../db/schema/index.ts';
import { ticketLinks, tickets } from '../db/schema/index.ts';
import { changeTicket, type WriteHooks } from '../domain/ticket-store.ts';
import { actorFor, sideOf } from './apply.ts';
import { resolveInboundPerson } from './people.ts';
import type { ConnectionRuntime } from './runtime.ts';

/** Returns the link with its requester baseline brought up to date. */
export async function syncRequesterIn(
  tx: Tx,
  rt: ConnectionRuntime,
  link: TicketLinkRow,
  record: TicketRecord,
  engagementId: string,
  hooks: WriteHooks,
): Promise<TicketLinkRow> {
  const seen = record.requester?.externalId ?? null;
  const base = link.remoteState?.requester;
  if (seen === null || base === seen) return link;
  // A link stored before requesters were followed only learns its baseline: who changed it is unknown.
  if (base !== undefined) {
    const person = await sideOf(tx, engagementId, await resolveInboundPerson(tx, rt, record.requester));
    const [hub] = await tx
      .select({ requesterId: tickets.requesterId })
      .from(tickets)
      .where(eq(tickets.id, link.ticketId));
    if (person && hub && hub.requesterId !== person.id) {
      await changeTicket(
        tx,
        actorFor(rt),
        link.ticketId,
        { compute: () => ({ requesterId: person.id }), sourceTime: record.updatedAt },
        hooks,
      );
    }
  }
  const remoteState = link.remoteState ? { ...link.remoteState, requester: seen } : null;
  if (!remoteState) return link;
  const [updated] = await tx
    .update(ticketLinks)
    .set({ remoteState })
    .where(eq(ticketLinks.id, link.id))
    .returning();
  return updated ?? link;
}
