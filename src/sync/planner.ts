import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { syncOutbox, ticketLinks } from '../db/schema/index.ts';
import type { WriteHooks } from '../domain/ticket-store.ts';
import { canSeeTicket } from '../domain/visibility.ts';
import { type ConnectionRuntime, matchesSharing } from './runtime.ts';

export const OUTBOX_CHANNEL = 'hub_outbox';

/**
 * Decides, inside the writing transaction, which tools must hear about a change, and writes
 * their outbox rows there: a change and its deliveries commit together or not at all.
 *
 * A tool gets a ticket when its party may see it (never a confidential ticket of another
 * party) and it is already linked there, or owned by that party (a hand-off), or matches the
 * connection's sharing rules. The tool a change came from is skipped: it already has it.
 * A comment crosses only if PUBLIC, or INTERNAL to a tool of its own party.
 */
export function createOutboxPlanner(runtimes: () => ConnectionRuntime[]): WriteHooks {
  return {
    async afterWrite(tx: Tx, { ticket, actor, comment }) {
      const all = runtimes();
      if (all.length === 0) return;
      const linked = new Set(
        (
          await tx
            .select({ id: ticketLinks.connectionId })
            .from(ticketLinks)
            .where(eq(ticketLinks.ticketId, ticket.id))
        ).map((r) => r.id),
      );
      const rows: (typeof syncOutbox.$inferInsert)[] = [];
      for (const rt of all) {
        if (rt.id === actor.connectionId) continue;
        if (!canSeeTicket(rt.partyId, ticket)) continue;
        const eligible =
          linked.has(rt.id) || ticket.ownerPartyId === rt.partyId || matchesSharing(rt.def.sharing, ticket);
        if (!eligible) continue;
        if (comment) {
          if (comment.visibility === 'INTERNAL' && comment.partyId !== rt.partyId) continue;
          if (!linked.has(rt.id)) rows.push({ connectionId: rt.id, ticketId: ticket.id, kind: 'ticket' });
          rows.push({ connectionId: rt.id, ticketId: ticket.id, kind: 'comment', commentId: comment.id });
        } else {
          rows.push({ connectionId: rt.id, ticketId: ticket.id, kind: 'ticket' });
        }
      }
      if (rows.length === 0) return;
      // A pending "sync this ticket" row already covers later changes: the conflict is the point.
      await tx.insert(syncOutbox).values(rows).onConflictDoNothing();
      await tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
    },
  };
}
