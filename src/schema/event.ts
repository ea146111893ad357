import { and, asc, eq, gt } from 'drizzle-orm';
import type { FieldChange, TicketEventRow } from '../db/schema/index.ts';
import { comments, ticketEvents } from '../db/schema/index.ts';
import { eventVisibleTo } from '../domain/visibility.ts';
import { builder } from './builder.ts';
import { CommentRef } from './comment.ts';
import { PartyKindEnum, TicketEventTypeEnum } from './enums.ts';
import { encodeId } from './global-id.ts';
import { decodeSimpleCursor, encodeSimpleCursor, pageSize, toConnection } from './pagination.ts';
import { PartyRef } from './party.ts';
import { RoutingReasonEnum } from './routing-types.ts';
import { TicketRef } from './ticket.ts';

export const TicketEventRef = builder.objectRef<TicketEventRow>('TicketEvent');
const FieldChangeRef = builder.objectRef<FieldChange>('FieldChange');

/** Values are stored raw; party ids are shown as slugs so a person can read the history. */
function display(value: FieldChange['from']): string | null {
  return value === null ? null : String(value);
}

FieldChangeRef.implement({
  description: 'One field that changed, from what to what (as text; party and person fields as ids).',
  fields: (t) => ({
    field: t.exposeString('field'),
    from: t.string({ nullable: true, resolve: (c) => display(c.from) }),
    to: t.string({ nullable: true, resolve: (c) => display(c.to) }),
  }),
});

TicketEventRef.implement({
  description: 'One change to a ticket: the history entry and the subscription payload.',
  fields: (t) => ({
    id: t.string({
      description: 'Monotonic event id; per ticket, events are ordered by it.',
      resolve: (e) => String(e.id),
    }),
    type: t.field({ type: TicketEventTypeEnum, resolve: (e) => e.type }),
    changes: t.field({ type: [FieldChangeRef], resolve: (e) => e.changes }),
    ticketVersion: t.exposeInt('ticketVersion'),
    actorName: t.exposeString('actorName', {
      description: 'Who made the change: a token name or a tool user.',
    }),
    actorParty: t.field({
      type: PartyRef,
      resolve: async (e, _a, ctx) => (await ctx.loaders.party.load(e.actorPartyId))!,
    }),
    side: t.field({
      type: PartyKindEnum,
      description: 'Which side the change came from.',
      resolve: async (e, _a, ctx) => (await ctx.loaders.party.load(e.actorPartyId))!.kind,
    }),
    routingReason: t.field({
      type: RoutingReasonEnum,
      nullable: true,
      description: 'On REASSIGNED: why the owner changed (ROUTING_RULE, MANUAL, ESCALATION).',
      resolve: (e) => e.routingReason ?? null,
    }),
    routingRuleId: t.id({
      nullable: true,
      description: 'On a ROUTING_RULE hand-off: the RoutingRule id (it may since have been deleted).',
      resolve: (e) => (e.routingRuleId ? encodeId('RoutingRule', e.routingRuleId) : null),
    }),
    source: t.exposeString('source', {
      description: '`API`, or the connection id the change came in through.',
    }),
    comment: t.field({
      type: CommentRef,
      nullable: true,
      resolve: async (e, _a, ctx) => {
        if (!e.commentId) return null;
        const [row] = await ctx.db.select().from(comments).where(eq(comments.id, e.commentId));
        return row ?? null;
      },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.objectField(TicketRef, 'history', (t) =>
  t.connection({
    type: TicketEventRef,
    description: "Every change, oldest first. Events about another party's internal comments are left out.",
    resolve: async (ticket, args, ctx) => {
      const first = pageSize(args.first);
      const after = args.after ? Number(decodeSimpleCursor(args.after)) : 0;
      const rows = await ctx.db
        .select()
        .from(ticketEvents)
        .where(
          and(
            eq(ticketEvents.ticketId, ticket.id),
            eventVisibleTo(ctx.viewer.partyId),
            Number.isSafeInteger(after) && after > 0 ? gt(ticketEvents.id, after) : undefined,
          ),
        )
        .orderBy(asc(ticketEvents.id))
        .limit(first + 1);
      return toConnection(rows, first, (e) => encodeSimpleCursor(e.id));
    },
  }),
);
