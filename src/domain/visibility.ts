import { and, eq, inArray, isNull, not, or, type Placeholder, type SQL, sql } from 'drizzle-orm';
import type { TicketRow } from '../db/schema/index.ts';
import { ticketEvents, tickets } from '../db/schema/index.ts';

/**
 * Who is looking: a party, and the engagements it may see through this token (an internal
 * party's one engagement; an MSP token's engagements, possibly narrowed). Visibility is the
 * engagement condition AND the party rule, on every read path.
 */
export interface Sight {
  partyId: string;
  engagementIds: readonly string[];
}

/**
 * The party rule, in SQL and in TypeScript: a party sees the tickets it owns and the shared
 * ones; a confidential ticket is seen by its owner only. Never used alone on a read path:
 * `ticketVisibleIn` and `canSee` add the engagement condition.
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

/** The engagement condition: the ticket belongs to one of the engagements the viewer may see. */
export function ticketInEngagements(engagementIds: readonly string[] | Placeholder): SQL {
  if (Array.isArray(engagementIds)) {
    return engagementIds.length ? inArray(tickets.engagementId, [...engagementIds]) : sql`false`;
  }
  return sql`${tickets.engagementId} = any(${engagementIds}::uuid[])`;
}

/** Owning party, or shared within the engagement: both conditions, for SQL reads. */
export function ticketVisibleIn(sight: Sight): SQL {
  return and(ticketInEngagements(sight.engagementIds), ticketVisibleTo(sight.partyId))!;
}

/** The same rule for a row already loaded (node lookups, subscriptions, the write path). */
export function canSee(
  sight: Sight,
  ticket: Pick<TicketRow, 'engagementId' | 'ownerPartyId' | 'shared' | 'confidential'>,
): boolean {
  return sight.engagementIds.includes(ticket.engagementId) && canSeeTicket(sight.partyId, ticket);
}

/** Events restricted to a party (internal comments) are hidden from the others. */
export function eventVisibleTo(partyId: string): SQL {
  return or(isNull(ticketEvents.restrictedToPartyId), eq(ticketEvents.restrictedToPartyId, partyId))!;
}

export function canSeeEvent(partyId: string, event: { restrictedToPartyId: string | null }): boolean {
  return event.restrictedToPartyId === null || event.restrictedToPartyId === partyId;
}
