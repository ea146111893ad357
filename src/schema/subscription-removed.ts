import { filter, pipe } from 'graphql-yoga';
import { leftViewOf } from '../domain/visibility.ts';
import type { DispatchedEvent } from '../pubsub.ts';
import { builder } from './builder.ts';
import { encodeId } from './global-id.ts';

interface Removal {
  ticketId: string;
  engagementId: string;
  number: number;
  eventId: number;
}

const TicketRemovedFromViewRef = builder.objectRef<Removal>('TicketRemovedFromView').implement({
  description:
    'A ticket your party could see has left its view (it was unshared, made confidential or handed away). Drop it; nothing about its new state is told.',
  fields: (t) => ({
    ticketId: t.id({
      description: 'The Ticket id you knew it by.',
      resolve: (r) => encodeId('Ticket', r.ticketId),
    }),
    key: t.string({
      description: 'Its display key, e.g. ACME-42.',
      resolve: async (r, _a, ctx) =>
        `${(await ctx.loaders.engagement.load(r.engagementId))?.keyPrefix ?? 'HUB'}-${r.number}`,
    }),
    eventId: t.string({
      description: 'The event that removed it (a TicketEvent id you cannot read).',
      resolve: (r) => String(r.eventId),
    }),
  }),
});

builder.subscriptionField('ticketRemovedFromView', (t) =>
  t.field({
    type: TicketRemovedFromViewRef,
    description:
      "One message per ticket that leaves your party's view, as the change commits; subscribe beside `ticketEvents` to keep a board in step. Only the id and key are sent.",
    subscribe: (_root, _args, ctx) => {
      const { partyId, engagementIds } = ctx.viewer;
      // Another customer's ticket was never in view: nothing about it is told, not even its id.
      return pipe(
        ctx.pubsub.subscribe('ticketEvent'),
        filter(
          ({ event, ticket }: DispatchedEvent) =>
            engagementIds.includes(ticket.engagementId) && leftViewOf(partyId, event.changes, ticket),
        ),
      );
    },
    resolve: ({ event, ticket }: DispatchedEvent): Removal => ({
      ticketId: ticket.id,
      engagementId: ticket.engagementId,
      number: ticket.number,
      eventId: event.id,
    }),
  }),
);
