import { and, eq, inArray, isNull, not, or, type Placeholder, type SQL, sql } from 'drizzle-orm';
import type { FieldChange, TicketRow } from '../db/schema/index.ts';
import { comments, ticketEvents, tickets } from '../db/schema/index.ts';

/**
 * Who is looking: a party, and the engagements it may see through this token (an internal
 * party's one engagement; an MSP token's engagements, possibly narrowed). Visibility is the
 * engagement condition AND the party rule, on every read path.
 */
export interface Sight {
  partyId: string;
  engagementIds: readonly string[];
}

/** The ticket fields the party rule reads. */
export type TicketSight = Pick<TicketRow, 'ownerPartyId' | 'originPartyId' | 'shared' | 'confidential'>;

/**
 * The party rule, in SQL: a party sees the tickets it owns, the tickets it opened (whoever
 * holds them now: see ownership.ts), and the shared ones; a confidential ticket is seen by its
 * owner only (and only the party that opened a ticket can hold it confidential). Never used
 * alone on a read path: `ticketVisibleIn` and `canSee` add the engagement condition.
 */
export function ticketVisibleToParty(partyId: string | Placeholder): SQL {
  return or(
    eq(tickets.ownerPartyId, partyId),
    eq(tickets.originPartyId, partyId),
    and(eq(tickets.shared, true), not(tickets.confidential)),
  )!;
}

/** The party rule in TypeScript; the same as `ticketVisibleToParty`. */
export function canSeeTicketByParty(partyId: string, ticket: TicketSight): boolean {
  return (
    ticket.ownerPartyId === partyId ||
    ticket.originPartyId === partyId ||
    (ticket.shared && !ticket.confidential)
  );
}

/**
 * The party rule under its older name; `ticketVisibleIn` and `canSee` add the engagement
 * condition for read paths.
 */
export function ticketVisibleTo(partyId: string | Placeholder): SQL {
  return ticketVisibleToParty(partyId);
}

export function canSeeTicket(partyId: string, ticket: TicketSight): boolean {
  return canSeeTicketByParty(partyId, ticket);
}

const SIGHT_FIELDS: ReadonlySet<string> = new Set([
  'ownerPartyId',
  'originPartyId',
  'shared',
  'confidential',
]);

/**
 * Whether this event took the ticket out of the party's sight: seen before the change, not
 * after it. Read from the event's own changes, so it holds whatever the ticket became since.
 */
export function leftViewOf(partyId: string, changes: readonly FieldChange[], ticket: TicketSight): boolean {
  const touched = changes.filter((c) => SIGHT_FIELDS.has(c.field));
  if (touched.length === 0) return false;
  const before: Record<string, unknown> = { ...ticket };
  const after: Record<string, unknown> = { ...ticket };
  for (const c of touched) {
    before[c.field] = c.from;
    after[c.field] = c.to;
  }
  return canSeeTicket(partyId, before as TicketSight) && !canSeeTicket(partyId, after as TicketSight);
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
export function canSee(sight: Sight, ticket: TicketSight & Pick<TicketRow, 'engagementId'>): boolean {
  return sight.engagementIds.includes(ticket.engagementId) && canSeeTicket(sight.partyId, ticket);
}

/** Events restricted to a party (internal comments, confidential changes) are hidden from the others. */
export function eventVisibleTo(partyId: string): SQL {
  return or(isNull(ticketEvents.restrictedToPartyId), eq(ticketEvents.restrictedToPartyId, partyId))!;
}

export function canSeeEvent(partyId: string, event: { restrictedToPartyId: string | null }): boolean {
  return event.restrictedToPartyId === null || event.restrictedToPartyId === partyId;
}

/**
 * Comments, on top of their ticket's visibility: an INTERNAL comment is seen by its author's
 * party only, and a comment whose COMMENTED event is restricted (written while the ticket was
 * confidential) by that party only, even once the ticket is shared. The event decides, so the
 * rule needs no second record of the restriction.
 */
export function commentVisibleTo(partyId: string): SQL {
  return and(
    or(eq(comments.visibility, 'PUBLIC'), eq(comments.partyId, partyId)),
    sql`not exists (select 1 from ${ticketEvents} where ${ticketEvents.ticketId} = ${comments.ticketId}
      and ${ticketEvents.commentId} = ${comments.id}
      and ${ticketEvents.restrictedToPartyId} is not null and ${ticketEvents.restrictedToPartyId} <> ${partyId})`,
  )!;
}
