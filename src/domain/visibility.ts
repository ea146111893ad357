import { and, eq, isNull, not, or, type Placeholder, type SQL } from 'drizzle-orm';
import type { TicketRow } from '../db/schema/index.ts';
import { ticketEvents, tickets } from '../db/schema/index.ts';

/**
 * The one visibility rule, in SQL and in TypeScript: a party sees the tickets it owns and
 * the shared ones; a confidential ticket is seen by its owner only. Every read path
 * (lists, node lookups, comments, history, subscriptions) goes through one of these two.
 */
export function ticketVisibleTo(partyId: string | Placeholder): SQL {
  return or(eq(tickets.ownerPartyId, partyId), and(eq(tickets.shared, true), not(tickets.confidential)))!;
}

export function canSeeTicket(
  partyId: string,
  ticket: Pick<TicketRow, 'ownerPartyId' | 'shared' | 'confidential'>,
): boolean {
  return ticket.ownerPartyId === partyId || (ticket.shared && !ticket.confidential);
}

/** Events restricted to a party (internal comments) are hidden from the others. */
export function eventVisibleTo(partyId: string): SQL {
  return or(isNull(ticketEvents.restrictedToPartyId), eq(ticketEvents.restrictedToPartyId, partyId))!;
}

export function canSeeEvent(partyId: string, event: { restrictedToPartyId: string | null }): boolean {
  return event.restrictedToPartyId === null || event.restrictedToPartyId === partyId;
}
