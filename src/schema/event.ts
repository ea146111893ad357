import type { FieldChange, TicketEventRow } from '../db/schema/index.ts';
import { builder } from './builder.ts';
import { CommentRef } from './comment.ts';
import { PartyKindEnum, TicketEventTypeEnum } from './enums.ts';
import { encodeId } from './global-id.ts';
import { eventCursor, forwardPageSize, toConnection } from './pagination.ts';
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
    field: t.exposeString('field', { nullable: false }),
    from: t.string({ nullable: true, resolve: (c) => display(c.from) }),
    to: t.string({ nullable: true, resolve: (c) => display(c.to) }),
  }),
});

TicketEventRef.implement({
  description: 'One change to a ticket: the history entry and the subscription payload.',
  fields: (t) => ({
    id: t.string({
      nullable: false,
      description: 'Monotonic event id; per ticket, events are ordered by it.',
      resolve: (e) => String(e.id),
    }),
    type: t.field({ type: TicketEventTypeEnum, nullable: false, resolve: (e) => e.type }),
    changes: t.field({ type: [FieldChangeRef], nullable: false, resolve: (e) => e.changes }),
    ticketVersion: t.exposeInt('ticketVersion', { nullable: false }),
    actorName: t.exposeString('actorName', {
      nullable: false,
      description: 'Who made the change: a token name or a tool user.',
    }),
    actorParty: t.field({
      type: PartyRef,
      nullable: false,
      resolve: async (e, _a, ctx) => (await ctx.loaders.party.load(e.actorPartyId))!,
    }),
    side: t.field({
      type: PartyKindEnum,
      nullable: false,
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
      nullable: false,
      description: '`API`, or the connection id the change came in through.',
    }),
    comment: t.field({
      type: CommentRef,
      nullable: true,
      resolve: async (e, _a, ctx) => {
        return e.commentId ? ctx.loaders.comment.load(e.commentId) : null;
      },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: false }),
  }),
});

/** One connection type for every list of events: recentEvents and a ticket's history. */
export const TicketEventConnection = builder.connectionObject(
  { type: TicketEventRef, name: 'TicketEventConnection' },
  { name: 'TicketEventEdge' },
);

builder.objectField(TicketRef, 'history', (t) =>
  t.connection(
    {
      type: TicketEventRef,
      description: "Every change, oldest first. Events about another party's internal comments are left out.",
      resolve: async (ticket, args, ctx) => {
        const first = forwardPageSize(args);
        const after = args.after ? eventCursor.decode(args.after) : null;
        // Batched: a page of tickets that each show history costs one query (page-loaders.ts).
        const rows = await ctx.loaders.historyPage.load({
          ticketId: ticket.id,
          partyId: ctx.viewer.partyId,
          first,
          after: after === null ? null : String(after),
        });
        return toConnection(rows, first, (e) => eventCursor.encode(e.id));
      },
    },
    TicketEventConnection,
  ),
);
