import { inArray } from 'drizzle-orm';
import type { TicketRow } from '../db/schema/index.ts';
import { tickets } from '../db/schema/index.ts';
import { canSee } from '../domain/visibility.ts';
import { builder } from './builder.ts';
import { EngagementRef } from './engagement.ts';
import { TicketPriorityEnum, TicketStatusEnum } from './enums.ts';
import { UUID } from './global-id.ts';
import { PartyRef } from './party.ts';
import { PersonRef } from './person.ts';
import { TicketRoutingRef } from './routing-types.ts';
import { TicketLinkRef } from './ticket-link.ts';

export const TicketRef = builder.objectRef<TicketRow>('Ticket');

builder.node(TicketRef, {
  description: 'The canonical ticket, however many tools mirror it.',
  id: { resolve: (t) => t.id },
  // Visibility is enforced here too: node(id) must not reveal what a list would hide.
  loadMany: async (ids, ctx) => {
    const valid = ids.filter((id) => UUID.test(id));
    const rows = valid.length ? await ctx.db.select().from(tickets).where(inArray(tickets.id, valid)) : [];
    return ids.map((id) => {
      const row = rows.find((r) => r.id === id);
      return row && canSee(ctx.viewer, row) ? row : null;
    });
  },
  fields: (t) => ({
    number: t.exposeInt('number', { nullable: false }),
    key: t.string({
      nullable: false,
      description:
        "Display key: the engagement's key prefix and the number, e.g. ACME-42 (HUB-42 on a one-customer hub).",
      resolve: async (r, _a, ctx) =>
        `${(await ctx.loaders.engagement.load(r.engagementId))?.keyPrefix ?? 'HUB'}-${r.number}`,
    }),
    engagement: t.field({
      type: EngagementRef,
      nullable: false,
      description: 'The customer relationship the ticket belongs to.',
      resolve: async (r, _a, ctx) => (await ctx.loaders.engagement.load(r.engagementId))!,
    }),
    title: t.exposeString('title', { nullable: false }),
    description: t.exposeString('description', { nullable: true }),
    status: t.field({ type: TicketStatusEnum, nullable: false, resolve: (r) => r.status }),
    priority: t.field({ type: TicketPriorityEnum, nullable: false, resolve: (r) => r.priority }),
    ownerParty: t.field({
      type: PartyRef,
      nullable: false,
      description: 'The party responsible for the ticket now.',
      resolve: async (r, _a, ctx) => (await ctx.loaders.party.load(r.ownerPartyId))!,
    }),
    originParty: t.field({
      type: PartyRef,
      nullable: false,
      description: 'The party that opened the ticket.',
      resolve: async (r, _a, ctx) => (await ctx.loaders.party.load(r.originPartyId))!,
    }),
    assignee: t.field({
      type: PersonRef,
      nullable: true,
      resolve: (r, _a, ctx) => (r.assigneeId ? ctx.loaders.person.load(r.assigneeId) : null),
    }),
    requester: t.field({
      type: PersonRef,
      nullable: true,
      resolve: (r, _a, ctx) => (r.requesterId ? ctx.loaders.person.load(r.requesterId) : null),
    }),
    serviceArea: t.exposeString('serviceArea', { nullable: true }),
    category: t.exposeString('category', {
      nullable: true,
      description: "The tool's type or category; matrix rules may match on it.",
    }),
    routing: t.field({
      type: TicketRoutingRef,
      description: 'Which matrix rule set the owner and why, or UNROUTED.',
      resolve: (r) => r,
    }),
    confidential: t.exposeBoolean('confidential', {
      nullable: false,
      description: 'Seen by, and mirrored to, the owning party only.',
    }),
    shared: t.exposeBoolean('shared', {
      nullable: false,
      description: 'Seen by every party (set on hand-off).',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: false }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: false }),
    resolvedAt: t.expose('resolvedAt', { type: 'DateTime', nullable: true }),
    closedAt: t.expose('closedAt', { type: 'DateTime', nullable: true }),
    version: t.exposeInt('version', {
      nullable: false,
      description: 'Bumped on every change; send it back as expectedVersion to avoid overwriting others.',
    }),
    links: t.field({
      type: [TicketLinkRef],
      nullable: false,
      description: 'Where this ticket lives in external tools.',
      resolve: (r, _a, ctx) => ctx.loaders.linksByTicket.load(r.id),
    }),
    goneFromTools: t.stringList({
      nullable: false,
      description:
        'The tools whose copy of this ticket was deleted or merged away, each as `<connection name> (deleted)` or `(merged)`; empty when every copy is there. Strings, so a list of cards can ask for it within the query cost limit (`links` are objects).',
      resolve: async (r, _a, ctx) => {
        const gone = (await ctx.loaders.linksByTicket.load(r.id)).filter((l) => l.removedAt);
        return Promise.all(
          gone.map(async (l) => {
            const name = (await ctx.loaders.connection.load(l.connectionId))?.name ?? l.connectionId;
            return `${name} (${l.removedAs === 'merged' ? 'merged' : 'deleted'})`;
          }),
        );
      },
    }),
  }),
});
