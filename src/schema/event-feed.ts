import { and, desc, eq, gt, inArray, lt } from 'drizzle-orm';
import { ticketEvents, tickets } from '../db/schema/index.ts';
import { eventVisibleTo, ticketVisibleIn } from '../domain/visibility.ts';
import { badInput } from '../errors.ts';
import { builder } from './builder.ts';
import { TicketEventTypeEnum } from './enums.ts';
import { TicketEventRef } from './event.ts';
import { decodeSimpleCursor, encodeSimpleCursor, pageSize, toConnection } from './pagination.ts';

builder.queryField('recentEvents', (t) =>
  t.connection({
    type: TicketEventRef,
    description:
      'Changes across every ticket your token may see, newest first. `sinceId` returns only events after that id: a client that lost its subscription catches up with it.',
    args: {
      types: t.arg({ type: [TicketEventTypeEnum], required: false }),
      sinceId: t.arg.string({
        required: false,
        description: 'An event id (TicketEvent.id); only later events.',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const first = pageSize(args.first);
      const since = args.sinceId ? Number(args.sinceId) : null;
      if (since !== null && !Number.isSafeInteger(since)) throw badInput('sinceId', 'must be an event id');
      const before = args.after ? Number(decodeSimpleCursor(args.after)) : null;
      const rows = await ctx.db
        .select({ event: ticketEvents })
        .from(ticketEvents)
        .innerJoin(tickets, eq(tickets.id, ticketEvents.ticketId))
        .where(
          and(
            ticketVisibleIn(ctx.viewer),
            eventVisibleTo(ctx.viewer.partyId),
            args.types?.length ? inArray(ticketEvents.type, args.types) : undefined,
            since !== null ? gt(ticketEvents.id, since) : undefined,
            before !== null && Number.isSafeInteger(before) ? lt(ticketEvents.id, before) : undefined,
          ),
        )
        .orderBy(desc(ticketEvents.id))
        .limit(first + 1);
      return toConnection(
        rows.map((r) => r.event),
        first,
        (e) => encodeSimpleCursor(e.id),
      );
    },
  }),
);
