import { and, desc, eq, gt, inArray, lt } from 'drizzle-orm';
import { ticketEvents, tickets } from '../db/schema/index.ts';
import { eventVisibleTo, ticketVisibleIn } from '../domain/visibility.ts';
import { badInput } from '../errors.ts';
import { builder } from './builder.ts';
import { TicketEventTypeEnum } from './enums.ts';
import { TicketEventConnection, TicketEventRef } from './event.ts';
import { eventCursor, forwardPageSize, toConnection } from './pagination.ts';

/** Event ids are decimal bigserials: digits only, at most 15 of them (a safe integer). */
function parseEventId(value: string, field: string): number {
  if (!/^\d{1,15}$/.test(value)) {
    throw badInput(
      field,
      `must be an event id (TicketEvent.id: digits, 0 or more), got ${JSON.stringify(value.slice(0, 40))}`,
    );
  }
  return Number(value);
}

builder.queryField('recentEvents', (t) =>
  t.connection(
    {
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
        const first = forwardPageSize(args);
        const since = args.sinceId == null ? null : parseEventId(args.sinceId, 'sinceId');
        const before = args.after ? eventCursor.decode(args.after) : null;
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
              before !== null ? lt(ticketEvents.id, before) : undefined,
            ),
          )
          .orderBy(desc(ticketEvents.id))
          .limit(first + 1);
        return toConnection(
          rows.map((r) => r.event),
          first,
          (e) => eventCursor.encode(e.id),
        );
      },
    },
    TicketEventConnection,
  ),
);
