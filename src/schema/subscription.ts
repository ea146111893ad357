import { and, eq } from 'drizzle-orm';
import { filter, pipe } from 'graphql-yoga';
import type { TicketEventRow } from '../db/schema/index.ts';
import { parties } from '../db/schema/index.ts';
import { engagementIdsBySlug } from '../domain/engagements.ts';
import { partyVisibleIn } from '../domain/people-visibility.ts';
import { canSee, canSeeEvent } from '../domain/visibility.ts';
import { badInput } from '../errors.ts';
import type { DispatchedEvent } from '../pubsub.ts';
import { builder } from './builder.ts';
import { TicketEventTypeEnum } from './enums.ts';
import { TicketEventRef } from './event.ts';
import { attachTicket } from './event-ticket.ts';
import { parseId } from './global-id.ts';

const TicketEventFilter = builder.inputType('TicketEventFilter', {
  description: 'All given conditions must hold. Visibility rules always apply on top.',
  fields: (t) => ({
    ticketId: t.id({ required: false }),
    ownerParty: t.string({
      required: false,
      description: 'Party slug of the ticket owner after the change.',
    }),
    types: t.field({ type: [TicketEventTypeEnum], required: false }),
    engagement: t.stringList({
      required: false,
      description: 'Engagement slugs: only changes to their tickets (within what you may see).',
    }),
  }),
});

builder.subscriptionField('ticketEvents', (t) =>
  t.field({
    type: TicketEventRef,
    description:
      'Every committed change your party may see, once each, in commit order per ticket. `ticket` is the ticket after the change.',
    args: { filter: t.arg({ type: TicketEventFilter, required: false }) },
    subscribe: async (_root, args, ctx) => {
      const f = args.filter ?? {};
      const ticketId = f.ticketId ? parseId(String(f.ticketId), 'Ticket', 'filter.ticketId') : null;
      let ownerPartyId: string | null = null;
      if (f.ownerParty) {
        const [party] = await ctx.db
          .select()
          .from(parties)
          .where(and(eq(parties.slug, f.ownerParty), partyVisibleIn(ctx.viewer)));
        if (!party) throw badInput('filter.ownerParty', `no party with slug "${f.ownerParty}"`);
        ownerPartyId = party.id;
      }
      const types = f.types?.length ? new Set(f.types) : null;
      const engagementIds = f.engagement?.length
        ? new Set(await engagementIdsBySlug(ctx.db, ctx.viewer.engagementIds, f.engagement))
        : null;
      const viewer = ctx.viewer;
      const partyId = viewer.partyId;
      return pipe(
        ctx.pubsub.subscribe('ticketEvent'),
        filter(
          ({ event, ticket }: DispatchedEvent) =>
            canSee(viewer, ticket) &&
            (!engagementIds || engagementIds.has(ticket.engagementId)) &&
            canSeeEvent(partyId, event) &&
            (!ticketId || ticket.id === ticketId) &&
            (!ownerPartyId || ticket.ownerPartyId === ownerPartyId) &&
            (!types || types.has(event.type)),
        ),
      );
    },
    resolve: (dispatched: DispatchedEvent): TicketEventRow =>
      attachTicket(dispatched.event, dispatched.ticket),
  }),
);
