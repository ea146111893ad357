import { and, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { CommentRow, TicketRow } from '../db/schema/index.ts';
import { comments } from '../db/schema/index.ts';
import { addComment } from '../domain/ticket-store.ts';
import { canSee, commentVisibleTo } from '../domain/visibility.ts';
import { actorOf } from './actor.ts';
import { builder } from './builder.ts';
import { CommentVisibilityEnum } from './enums.ts';
import { parseId, UUID } from './global-id.ts';
import { decodeCursor, encodeCursor, forwardPageSize, isIsoTimestamp, toConnection } from './pagination.ts';
import { PartyRef } from './party.ts';
import { PersonRef } from './person.ts';
import { TicketRef } from './ticket.ts';

export const CommentRef = builder.objectRef<CommentRow>('Comment');

builder.node(CommentRef, {
  id: { resolve: (c) => c.id },
  loadMany: async (ids, ctx) => {
    const valid = ids.filter((id) => UUID.test(id));
    const rows = valid.length
      ? await ctx.db
          .select()
          .from(comments)
          .where(and(inArray(comments.id, valid), commentVisibleTo(ctx.viewer.partyId)))
      : [];
    // The comment's ticket must be visible too.
    const visible = await Promise.all(
      rows.map(async (c) => {
        const ticket = await ctx.loaders.ticket.load(c.ticketId);
        return ticket && canSee(ctx.viewer, ticket) ? c : null;
      }),
    );
    return ids.map((id) => visible.find((c) => c?.id === id) ?? null);
  },
  fields: (t) => ({
    body: t.exposeString('body', { nullable: false }),
    visibility: t.field({ type: CommentVisibilityEnum, nullable: false, resolve: (c) => c.visibility }),
    authorName: t.exposeString('authorName', { nullable: true }),
    author: t.field({
      type: PersonRef,
      nullable: true,
      resolve: (c, _a, ctx) => (c.authorId ? ctx.loaders.person.load(c.authorId) : null),
    }),
    party: t.field({
      type: PartyRef,
      nullable: false,
      resolve: async (c, _a, ctx) => (await ctx.loaders.party.load(c.partyId))!,
    }),
    source: t.string({
      nullable: false,
      description: '`API`, or the id of the connection the comment came in through.',
      resolve: (c) => c.connectionId ?? 'API',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: false }),
  }),
});

/** `["comment", createdAt, id]`: the keyset position of a comment in a ticket's thread. */
function parseCommentCursor(v: unknown): [string, string] | null {
  return Array.isArray(v) &&
    v.length === 3 &&
    v[0] === 'comment' &&
    isIsoTimestamp(v[1]) &&
    UUID.test(String(v[2]))
    ? [v[1], String(v[2])]
    : null;
}

builder.objectField(TicketRef, 'comments', (t) =>
  t.connection(
    {
      type: CommentRef,
      description: 'Comments, oldest first. INTERNAL comments of another party are never included.',
      resolve: async (ticket, args, ctx) => {
        const first = forwardPageSize(args);
        const after = args.after ? decodeCursor(args.after, parseCommentCursor) : null;
        // Batched: a page of tickets that each show comments costs one query (page-loaders.ts).
        const rows = await ctx.loaders.commentsPage.load({
          ticketId: ticket.id,
          partyId: ctx.viewer.partyId,
          first,
          after: after ? `${after[0]}|${after[1]}` : null,
        });
        return toConnection(rows, first, (c) => encodeCursor(['comment', c.createdAt.toISOString(), c.id]));
      },
    },
    { name: 'CommentConnection' },
    { name: 'CommentEdge' },
  ),
);

const AddCommentInput = builder.inputType('AddCommentInput', {
  fields: (t) => ({
    ticketId: t.id({ required: true }),
    body: t.string({
      required: true,
      validate: z.string().trim().min(1, 'must not be empty').max(65_536, 'at most 65536 characters'),
    }),
    visibility: t.field({ type: CommentVisibilityEnum, required: false, description: 'Defaults to PUBLIC.' }),
  }),
});

const AddCommentPayload = builder
  .objectRef<{ comment: CommentRow; ticket: TicketRow }>('AddCommentPayload')
  .implement({
    fields: (t) => ({
      comment: t.field({ type: CommentRef, resolve: (p) => p.comment }),
      ticket: t.field({ type: TicketRef, resolve: (p) => p.ticket }),
    }),
  });

builder.mutationField('addComment', (t) =>
  t.field({
    type: AddCommentPayload,
    authScopes: { agent: true },
    args: { input: t.arg({ type: AddCommentInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const ticketId = parseId(String(input.ticketId), 'Ticket', 'input.ticketId');
      const { comment, ticket } = await addComment(
        ctx.db,
        actorOf(ctx.viewer),
        ticketId,
        {
          body: input.body,
          visibility: input.visibility ?? 'PUBLIC',
        },
        ctx.hooks,
      );
      return { comment, ticket };
    },
  }),
);
