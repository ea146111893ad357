import { and, eq, sql } from 'drizzle-orm';
import type { TicketRecord } from '../connector-kit/records.ts';
import type { Db, Tx } from '../db/client.ts';
import type { TicketLinkRow, TicketRow } from '../db/schema/index.ts';
import { syncOutbox, ticketLinks, tickets } from '../db/schema/index.ts';
import type { TicketChangeSet } from '../domain/changes.ts';
import { type Actor, changeTicket, createTicket, type WriteHooks } from '../domain/ticket-store.ts';
import { resolveInboundPerson } from './people.ts';
import { OUTBOX_CHANNEL } from './planner.ts';
import { differingFields, type MirroredField, stateFromRecord } from './remote-state.ts';
import type { ConnectionRuntime } from './runtime.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ApplyResult {
  link: TicketLinkRow;
  /**
   * The tool's copy may have new comments: it changed at or after the last time we read them.
   * Inclusive, with slack, because tools keep whole seconds (a note added in the same second
   * as the previous change does not move `updatedAt`) and clocks differ a little.
   */
  commentsDue: boolean;
}

const COMMENT_SLACK_MS = 2000;

function commentsDue(link: TicketLinkRow, record: TicketRecord): boolean {
  return (
    !link.commentsSyncedAt || record.updatedAt.getTime() >= link.commentsSyncedAt.getTime() - COMMENT_SLACK_MS
  );
}

export function actorFor(rt: ConnectionRuntime, name?: string | null): Actor {
  return { partyId: rt.partyId, name: name || rt.def.name, source: rt.id, connectionId: rt.id };
}

/**
 * Merges what a tool says about one ticket into the hub. Only fields that changed in the tool
 * since we last saw it are candidates (an echo of our own write is no change at all), and each
 * goes through the field-level merge: the newer change by source time wins; on an exact tie the
 * owning party's side wins. Fields the hub keeps are sent back to the tool. Re-applying the
 * same record writes nothing.
 */
export async function applyInbound(
  db: Db,
  rt: ConnectionRuntime,
  record: TicketRecord,
  hooks: WriteHooks,
): Promise<ApplyResult> {
  return db.transaction(async (tx) => {
    const [link] = await tx
      .select()
      .from(ticketLinks)
      .where(and(eq(ticketLinks.connectionId, rt.id), eq(ticketLinks.externalId, record.externalId)))
      .for('update');
    if (!link) return { link: await linkOrCreate(tx, rt, record, hooks), commentsDue: true };

    const advanced = !link.remoteUpdatedAt || record.updatedAt > link.remoteUpdatedAt;
    const remote = stateFromRecord(record);
    const changed = differingFields(remote, link.remoteState, rt.ctx.maps);
    if (changed.length === 0) {
      if (!advanced) return { link, commentsDue: commentsDue(link, record) };
      const [updated] = await tx
        .update(ticketLinks)
        .set({ remoteUpdatedAt: record.updatedAt, lastSyncedAt: new Date() })
        .where(eq(ticketLinks.id, link.id))
        .returning();
      return { link: updated ?? link, commentsDue: commentsDue(link, record) };
    }

    const assignee = changed.includes('assignee')
      ? await resolveInboundPerson(tx, rt, record.assignee)
      : null;
    const kept: MirroredField[] = [];
    await changeTicket(
      tx,
      actorFor(rt),
      link.ticketId,
      {
        compute: (current) => mergeFields(current, changed, record, assignee, rt, kept),
        sourceTime: record.updatedAt,
      },
      hooks,
    );
    const [updated] = await tx
      .update(ticketLinks)
      .set({ remoteState: remote, remoteUpdatedAt: record.updatedAt, lastSyncedAt: new Date() })
      .where(eq(ticketLinks.id, link.id))
      .returning();
    if (kept.length) {
      // The hub's newer values win: queue a delivery so the tool converges on them.
      await tx
        .insert(syncOutbox)
        .values({ connectionId: rt.id, ticketId: link.ticketId, kind: 'ticket' })
        .onConflictDoNothing();
      await tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
    }
    return { link: updated ?? link, commentsDue: commentsDue(link, record) };
  });
}

const HUB_FIELD: Record<MirroredField, keyof TicketRow> = {
  title: 'title',
  status: 'status',
  priority: 'priority',
  assignee: 'assigneeId',
};

function mergeFields(
  current: TicketRow,
  changed: MirroredField[],
  record: TicketRecord,
  assignee: { id: string; partyId: string } | null,
  rt: ConnectionRuntime,
  kept: MirroredField[],
): TicketChangeSet {
  const next: TicketChangeSet = {};
  for (const field of changed) {
    const hubAt = new Date(current.fieldChangedAt[HUB_FIELD[field]] ?? current.createdAt);
    const toolWins =
      record.updatedAt > hubAt ||
      (record.updatedAt.getTime() === hubAt.getTime() && rt.partyId === current.ownerPartyId);
    if (!toolWins) {
      kept.push(field);
      continue;
    }
    if (field === 'title') next.title = record.title;
    if (field === 'status') next.status = record.status;
    if (field === 'priority') next.priority = record.priority;
    if (field === 'assignee') {
      next.assigneeId = assignee?.id ?? null;
      // Giving the ticket to someone of the other party is a hand-off.
      if (assignee && assignee.partyId !== current.ownerPartyId && !current.confidential) {
        next.ownerPartyId = assignee.partyId;
        next.shared = true;
      }
    }
  }
  return next;
}

/** A record we have no link for: the hub's own copy coming back (correlation id), or a new ticket. */
async function linkOrCreate(
  tx: Tx,
  rt: ConnectionRuntime,
  record: TicketRecord,
  hooks: WriteHooks,
): Promise<TicketLinkRow> {
  const remote = stateFromRecord(record);
  let ticketId: string | null = null;
  if (record.correlationId && UUID.test(record.correlationId)) {
    const [own] = await tx
      .select({ id: tickets.id })
      .from(tickets)
      .where(eq(tickets.id, record.correlationId));
    ticketId = own?.id ?? null;
  }
  if (!ticketId) {
    const assignee = await resolveInboundPerson(tx, rt, record.assignee);
    const requester = await resolveInboundPerson(tx, rt, record.requester);
    const owner = assignee && assignee.partyId !== rt.partyId ? assignee.partyId : rt.partyId;
    const { ticket } = await createTicket(
      tx,
      actorFor(rt),
      {
        title: record.title,
        description: record.description ?? null,
        status: record.status,
        priority: record.priority,
        ownerPartyId: owner,
        assigneeId: assignee?.id ?? null,
        requesterId: requester?.id ?? null,
        serviceArea: record.queue ?? null,
        createdAt: record.createdAt,
      },
      hooks,
    );
    ticketId = ticket.id;
  }
  const [link] = await tx
    .insert(ticketLinks)
    .values({
      ticketId,
      connectionId: rt.id,
      externalId: record.externalId,
      externalUrl: record.externalUrl ?? null,
      remoteState: remote,
      remoteUpdatedAt: record.updatedAt,
      lastSyncedAt: new Date(),
    })
    .returning();
  if (!link) throw new Error('link insert returned no row');
  return link;
}
