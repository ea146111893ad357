import { z } from 'zod';
import type { TicketRow } from '../db/schema/index.ts';
import { encodeCursor, listTickets, type TicketOrder } from '../domain/ticket-queries.ts';
import { canSee } from '../domain/visibility.ts';
import { builder } from './builder.ts';
import { OrderDirectionEnum, TicketOrderFieldEnum, TicketStatusEnum } from './enums.ts';
import { parseId } from './global-id.ts';
import { forwardPageSize } from './pagination.ts';
import { TicketRef } from './ticket.ts';

/** An edge whose cursor is encoded only when a query selects it: most reads never do. */
class TicketEdge {
  constructor(
    readonly node: TicketRow,
    private readonly order: TicketOrder,
  ) {}
  get cursor(): string {
    return encodeCursor(this.order, this.node);
  }
}

const TicketFilterInput = builder.inputType('TicketFilter', {
  description: 'All given conditions must hold.',
  fields: (t) => ({
    status: t.field({ type: [TicketStatusEnum], required: false }),
    ownerParty: t.string({ required: false, description: 'Party slug, e.g. `msp`.' }),
    assigneeId: t.id({ required: false, description: 'A Person id.' }),
    unassigned: t.boolean({ required: false }),
    connectionId: t.string({ required: false, description: 'Only tickets linked to this connection.' }),
    updatedSince: t.field({ type: 'DateTime', required: false }),
    serviceArea: t.stringList({ required: false, description: 'Service area keys, e.g. ["network"].' }),
    unrouted: t.boolean({
      required: false,
      description: 'Only tickets no matrix rule covers (true) or only routed ones (false).',
    }),
    breached: t.boolean({
      required: false,
      description: 'Only tickets with a breached, unmet obligation (true) or without one (false).',
    }),
    atRiskWithinMinutes: t.int({
      required: false,
      description: 'Only tickets with a running obligation due within this many minutes.',
      validate: z.number().int().min(1, 'at least 1 minute').max(10_080, 'at most a week (10080)'),
    }),
    courtParty: t.string({
      required: false,
      description: "Party slug: only open tickets whose ball is in this party's court now.",
    }),
    engagement: t.stringList({
      required: false,
      description: 'Engagement slugs, e.g. `["acme"]`: only their tickets (within what you may see).',
    }),
    search: t.string({
      required: false,
      description: 'Case-insensitive text in title or description.',
      validate: z.string().max(200, 'at most 200 characters'),
    }),
  }),
});

const TicketOrderInput = builder.inputType('TicketOrder', {
  fields: (t) => ({
    field: t.field({ type: TicketOrderFieldEnum, required: true }),
    direction: t.field({ type: OrderDirectionEnum, required: true }),
  }),
});

builder.queryFields((t) => ({
  tickets: t.connection(
    {
      type: TicketRef,
      description:
        "Tickets your token can see: in its engagements, your party's own and the shared ones. Newest change first by default.",
      args: {
        filter: t.arg({ type: TicketFilterInput, required: false }),
        orderBy: t.arg({ type: TicketOrderInput, required: false }),
      },
      resolve: async (_root, args, ctx) => {
        const filter = args.filter ?? {};
        const order = args.orderBy ?? { field: 'UPDATED_AT' as const, direction: 'DESC' as const };
        const first = forwardPageSize(args);
        const page = await listTickets(ctx.db, ctx.viewer, {
          filter: {
            ...filter,
            assigneeId: filter.assigneeId
              ? parseId(String(filter.assigneeId), 'Person', 'filter.assigneeId')
              : null,
          },
          order,
          first,
          after: args.after ?? null,
        });
        const edges = page.rows.map((node) => new TicketEdge(node, order));
        return {
          edges,
          pageInfo: {
            hasNextPage: page.hasNextPage,
            hasPreviousPage: false,
            get startCursor() {
              return edges[0]?.cursor ?? null;
            },
            get endCursor() {
              return edges.at(-1)?.cursor ?? null;
            },
          },
          totalCount: page.totalCount,
        };
      },
    },
    {
      name: 'TicketConnection',
      fields: (c) => ({
        totalCount: c.int({
          nullable: false,
          description: 'How many tickets match the filter (ignoring pagination).',
          resolve: (conn) => (conn as unknown as { totalCount: () => Promise<number> }).totalCount(),
        }),
      }),
    },
    { name: 'TicketEdge' },
  ),
  ticket: t.field({
    type: TicketRef,
    nullable: true,
    description: 'One ticket, or null when it does not exist or your party cannot see it.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = parseId(String(args.id), 'Ticket');
      const row = await ctx.loaders.ticket.load(id);
      return row && canSee(ctx.viewer, row) ? row : null;
    },
  }),
}));
