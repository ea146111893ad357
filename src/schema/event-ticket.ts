import type { TicketEventRow, TicketRow } from '../db/schema/index.ts';
import { builder } from './builder.ts';
import { TicketEventRef } from './event.ts';
import { TicketRef } from './ticket.ts';

/**
 * The ticket as dispatched with an event. Kept beside the (shared, immutable) event object
 * so every subscriber reads the same snapshot without another query.
 */
const snapshots = new WeakMap<TicketEventRow, TicketRow>();

export function attachTicket(event: TicketEventRow, ticket: TicketRow): TicketEventRow {
  snapshots.set(event, ticket);
  return event;
}

builder.objectField(TicketEventRef, 'ticket', (t) =>
  t.field({
    type: TicketRef,
    description: 'The ticket after the change (for history entries: as it is now).',
    resolve: async (e, _a, ctx) => snapshots.get(e) ?? (await ctx.loaders.ticket.load(e.ticketId))!,
  }),
);
