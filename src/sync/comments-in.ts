import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { TicketLinkRow } from '../db/schema/index.ts';
import { commentLinks, ticketLinks } from '../db/schema/index.ts';
import { addComment, type WriteHooks } from '../domain/ticket-store.ts';
import { actorFor } from './apply.ts';
import { resolveInboundPerson } from './people.ts';
import type { ConnectionRuntime } from './runtime.ts';

/** Comments written at nearly the same moment as the last sync may commit late: re-read a little. */
const COMMENT_OVERLAP_MS = 60_000;

/**
 * Copies a tool's new comments into the hub. Comments the hub wrote (origin marker) and
 * comments already known (by their id in that tool) are skipped, so reading the same window
 * twice adds nothing.
 */
export async function syncCommentsIn(
  db: Db,
  rt: ConnectionRuntime,
  link: TicketLinkRow,
  hooks: WriteHooks,
): Promise<number> {
  const since = link.commentsSyncedAt
    ? new Date(link.commentsSyncedAt.getTime() - COMMENT_OVERLAP_MS)
    : undefined;
  const startedAt = new Date();
  const remote = (await rt.connector.listComments(rt.ctx, link.externalId, since)).filter((c) => !c.fromHub);
  let added = 0;
  if (remote.length) {
    const known = new Set(
      (
        await db
          .select({ id: commentLinks.externalId })
          .from(commentLinks)
          .where(
            and(
              eq(commentLinks.connectionId, rt.id),
              inArray(
                commentLinks.externalId,
                remote.map((c) => c.externalId),
              ),
            ),
          )
      ).map((r) => r.id),
    );
    for (const c of remote) {
      if (known.has(c.externalId)) continue;
      await db.transaction(async (tx) => {
        const author = await resolveInboundPerson(tx, rt, c.author);
        // The comment belongs to the party whose tool it was written in: an internal note in
        // RT is the internal team's, whoever typed it.
        const actor = actorFor(rt, author?.name ?? c.author?.name);
        const { comment } = await addComment(
          tx,
          actor,
          link.ticketId,
          {
            body: c.body,
            visibility: c.visibility,
            authorId: author?.id ?? null,
            authorName: author?.name ?? c.author?.name ?? null,
            externalId: c.externalId,
            createdAt: c.createdAt,
          },
          hooks,
        );
        await tx
          .insert(commentLinks)
          .values({ commentId: comment.id, connectionId: rt.id, externalId: c.externalId });
      });
      added++;
    }
  }
  await db.update(ticketLinks).set({ commentsSyncedAt: startedAt }).where(eq(ticketLinks.id, link.id));
  return added;
}
