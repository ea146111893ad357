import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { CommentRow, TicketRow } from '../db/schema/index.ts';
import { comments } from '../db/schema/index.ts';
import { addComment } from '../domain/ticket-store.ts';
import { canSee } from '../domain/visibility.ts';
import { actorOf } from './actor.ts';
import { builder } from './builder.ts';
import { CommentVisibilityEnum } from './enums.ts';
import { parseId, UUID } from './global-id.ts';
import { decodeSimpleCursor, encodeSimpleCursor, pageSize, toConnection } from './pagination.ts';
import { PartyRef } from './party.ts';
import { PersonRef } from './person.ts';
import { TicketRef } from './ticket.ts';

export const CommentRef = builder.objectRef<CommentRow>('Comment');

/** An INTERNAL comment is visible to its author party only. */
function commentVisibleTo(partyId: string) {
  return or(eq(comments.visibility, 'PUBLIC'), eq(comments.partyId, partyId))!;
}

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
    body: t.exposeString('body'),
    visibility: t.field({ type: CommentVisibilityEnum, resolve: (c) => c.visibility }),
    authorName: t.exposeString('authorName', { nullable: true }),
    author: t.field({
      type: PersonRef,
      nullable: true,
      resolve: (c, _a, ctx) => (c.authorId ? ctx.loaders.person.load(c.authorId) : null),
    }),
    party: t.field({
      type: PartyRef,
      resolve: async (c, _a, ctx) => (await ctx.loaders.party.load(c.partyId))!,
    }),
    source: t.string({
      description: '`API`, or the id of the connection the comment came in through.',
      resolve: (c) => c.connectionId ?? 'API',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.objectField(TicketRef, 'comments', (t) =>
  t.connection({
    type: CommentRef,
    description: 'Comments, oldest first. INTERNAL comments of another party are never included.',
    resolve: async (ticket, args, ctx) => {
      const first = pageSize(args.first);
      const after = args.after ? decodeSimpleCursor(args.after) : null;
      const [afterAt, afterId] = after ? after.split('|') : [];
      const rows = await ctx.db
        .select()
        .from(comments)
        .where(
          and(
            eq(comments.ticketId, ticket.id),
            commentVisibleTo(ctx.viewer.partyId),
            afterAt && afterId
              ? sql`(${comments.createdAt}, ${comments.id}) > (${new Date(afterAt)}, ${afterId})`
              : undefined,
          ),
        )
        .orderBy(asc(comments.createdAt), asc(comments.id))
        .limit(first + 1);
      return toConnection(rows, first, (c) => encodeSimpleCursor(`${c.createdAt.toISOString()}|${c.id}`));
    },
  }),
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
