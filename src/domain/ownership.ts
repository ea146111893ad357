import { AppError } from '../errors.ts';
import type { TicketSight } from './visibility.ts';

/**
 * Who may move a ticket and who may hide it, checked inside the write path for every change,
 * whatever door it came through (GraphQL, a tool, a bulk path):
 *
 * - Only the owning party hands a ticket to another party; the party that opened it may also
 *   take it back. Nobody else takes a ticket over. (Routing by rule and escalation go through
 *   `mayChangeOwner` too, as their own kind of authority.)
 * - Only the owner makes a ticket confidential or unshared, and only while it holds a ticket it
 *   opened itself: the party that opened a ticket never loses sight of it.
 * - A confidential ticket is never handed over.
 */
export function mayChangeOwner(actorPartyId: string, ticket: TicketSight): boolean {
  return actorPartyId === ticket.ownerPartyId || actorPartyId === ticket.originPartyId;
}

export function assertSightRules(actorPartyId: string, before: TicketSight, after: TicketSight): void {
  if (after.ownerPartyId !== before.ownerPartyId) {
    if (!mayChangeOwner(actorPartyId, before)) {
      throw new AppError(
        'FORBIDDEN',
        'Only the owning party can hand this ticket to another party (the party that opened it can take it back). Ask the owner to hand it off.',
      );
    }
    if (before.confidential || after.confidential) {
      throw new AppError(
        'BAD_USER_INPUT',
        'A confidential ticket cannot be handed to another party; clear confidential first.',
        { field: 'input.ownerParty' },
      );
    }
  }
  const hiding = (after.confidential && !before.confidential) || (!after.shared && before.shared);
  if (!hiding) return;
  if (actorPartyId !== before.ownerPartyId) {
    throw new AppError('FORBIDDEN', 'Only the owning party can make a ticket confidential or unshared.');
  }
  if (after.ownerPartyId !== after.originPartyId) {
    throw new AppError(
      'FORBIDDEN',
      'This ticket was opened by another party, which keeps sight of it: it cannot be made confidential or unshared. Hand it back to that party if it should be kept from others.',
    );
  }
}
