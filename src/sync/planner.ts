import { sql } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { syncOutbox } from '../db/schema/index.ts';
import type { WriteHooks, WriteNotice } from '../domain/ticket-store.ts';
import { canSee } from '../domain/visibility.ts';
import { type ConnectionRuntime, matchesSharing } from './runtime.ts';

export const OUTBOX_CHANNEL = 'hub_outbox';

/** Outbox rows per INSERT (five bind parameters each). */
const OUTBOX_CHUNK = 2000;

/**
 * Decides, inside the writing transaction, which tools must hear about a change, and writes
 * their outbox rows there: a change and its deliveries commit together or not at all.
 *
 * A tool gets a ticket when its party may see it (never a confidential ticket of another
 * party) and it is already linked there, or owned by that party (a hand-off), or matches the
 * connection's sharing rules. The tool a change came from is skipped: it already has it.
 * A comment crosses only if PUBLIC, or INTERNAL to a tool of its own party.
 *
 * A batch (a backfill page) is planned as its writes would be one by one, with one read of the
 * tickets' links and one insert; writes no other tool could want cost no query at all.
 */
export function createOutboxPlanner(runtimes: () => ConnectionRuntime[]): WriteHooks {
  const plan = async (tx: Tx, writes: WriteNotice[]) => {
    const all = runtimes();
    if (all.length === 0) return;
    const planned = writes
      .map((write) => ({ write, targets: all.filter((rt) => mayReceive(rt, write)) }))
      .filter((p) => p.targets.length > 0);
    if (planned.length === 0) return;
    const linked = await linksOf(tx, [...new Set(planned.map((p) => p.write.ticket.id))]);
    const rows: (typeof syncOutbox.$inferInsert)[] = [];
    // One pending "sync this ticket" row per tool and ticket: a later one would hit the unique index.
    const ticketRows = new Set<string>();
    const pushTicket = (connectionId: string, ticketId: string) => {
      const key = `${connectionId}|${ticketId}`;
      if (ticketRows.has(key)) return;
      ticketRows.add(key);
      rows.push({ connectionId, ticketId, kind: 'ticket' });
    };
    for (const { write, targets } of planned) {
      const { ticket, comment } = write;
      const links = linked.get(ticket.id);
      for (const rt of targets) {
        const isLinked = links?.has(rt.id) ?? false;
        const eligible =
          isLinked || ticket.ownerPartyId === rt.partyId || matchesSharing(rt.def.sharing, ticket);
        if (!eligible) continue;
        if (!comment || !isLinked) pushTicket(rt.id, ticket.id);
        if (comment) {
          rows.push({ connectionId: rt.id, ticketId: ticket.id, kind: 'comment', commentId: comment.id });
        }
      }
    }
    if (rows.length === 0) return;
    // A pending "sync this ticket" row already covers later changes: the conflict is the point.
    for (let i = 0; i < rows.length; i += OUTBOX_CHUNK) {
      await tx
        .insert(syncOutbox)
        .values(rows.slice(i, i + OUTBOX_CHUNK))
        .onConflictDoNothing();
    }
    await tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
  };
  return {
    afterWrite: (tx, write) => plan(tx, [write]),
    afterWriteBatch: plan,
  };
}

/** Whether `rt` could want this write at all, before looking at links: not its source, visible, and a comment it may see. */
function mayReceive(rt: ConnectionRuntime, { ticket, actor, comment }: WriteNotice): boolean {
  if (rt.id === actor.connectionId) return false;
  // Never across engagements: a connection hears only of its own engagements' tickets.
  if (!canSee(rt, ticket)) return false;
  return !(comment && comment.visibility === 'INTERNAL' && comment.partyId !== rt.partyId);
}

/** The connections each ticket is linked to, in one query (`= any` keeps it on the ticket index). */
async function linksOf(tx: Tx, ticketIds: string[]): Promise<Map<string, Set<string>>> {
  // Ticket ids are uuids the database generated or checked, so the array literal needs no quoting.
  const ids = `{${ticketIds.join(',')}}`;
  const result = (await tx.execute(
    sql`select ticket_id, connection_id from ticket_links where ticket_id = any(${ids}::uuid[])`,
  )) as unknown as { rows: { ticket_id: string; connection_id: string }[] };
  const out = new Map<string, Set<string>>();
  for (const { ticket_id, connection_id } of result.rows) {
    const set = out.get(ticket_id);
    if (set) set.add(connection_id);
    else out.set(ticket_id, new Set([connection_id]));
  }
  return out;
}
