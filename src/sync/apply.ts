import { and, eq, or, sql } from 'drizzle-orm';
import type { TicketRecord } from '../connector-kit/records.ts';
import type { Db, Tx } from '../db/client.ts';
import type { TicketLinkRow, TicketRow } from '../db/schema/index.ts';
import { engagements, syncOutbox, ticketLinks, tickets } from '../db/schema/index.ts';
import type { TicketChangeSet } from '../domain/changes.ts';
import { mayChangeOwner } from '../domain/ownership.ts';
import { type Actor, changeTicket, createTicket, type WriteHooks } from '../domain/ticket-store.ts';
import { areaOf, loadAreaEntries, syncAreaIn } from './area-sync.ts';
import { externalIdFor, resolveInboundPerson } from './people.ts';
import { OUTBOX_CHANNEL } from './planner.ts';
import {
  desiredState,
  differingFields,
  type MirroredField,
  mirrorsDescription,
  sameInTool,
  stateFromRecord,
} from './remote-state.ts';
import { syncRequesterIn } from './requester-sync.ts';
import type { ConnectionRuntime } from './runtime.ts';
import { engagementOfRecord } from './scope.ts';

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
  return {
    partyId: rt.partyId,
    engagementIds: rt.engagementIds,
    name: name || rt.def.name,
    source: rt.id,
    connectionId: rt.id,
  };
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
  const engagementId = engagementOfRecord(rt.scope, record);
  // Callers drop (and count) records outside the scope before they get here: this is the backstop.
  if (!engagementId)
    throw new Error(`record ${record.externalId} of ${rt.id} is outside every engagement scope`);
  return db.transaction(async (tx) => {
    let [link] = await tx
      .select()
      .from(ticketLinks)
      .where(and(eq(ticketLinks.connectionId, rt.id), eq(ticketLinks.externalId, record.externalId)))
      .for('update');
    if (!link) {
      const correlated = await linkByCorrelation(tx, rt, record, engagementId);
      if (!correlated) {
        return { link: await createFromRecord(tx, rt, record, engagementId, hooks), commentsDue: true };
      }
      link = correlated;
    }
    // A record now filed under another customer (its company changed in the PSA) is not merged
    // into this one's ticket: that would show one customer's data to another.
    const [{ ticketEngagement } = { ticketEngagement: null }] = await tx
      .select({ ticketEngagement: tickets.engagementId })
      .from(tickets)
      .where(eq(tickets.id, link.ticketId));
    if (ticketEngagement !== engagementId) return { link, commentsDue: false };

    // A record older than the tool state we already hold was read before a later read or our
    // own write there (a page fetched while a delivery wrote): what differs in it is history,
    // and merging it would revert the tool's newer state in the hub. Equal times still merge:
    // tools keep whole seconds, so a change in the same second as our write looks the same.
    if (link.remoteUpdatedAt && record.updatedAt < link.remoteUpdatedAt) {
      return { link, commentsDue: commentsDue(link, record) };
    }
    const advanced = !link.remoteUpdatedAt || record.updatedAt > link.remoteUpdatedAt;
    // A board or category move in the tool moves the ticket's area (and re-routes it).
    await syncAreaIn(tx, rt, link, record, hooks);
    link = await syncRequesterIn(tx, rt, link, record, engagementId, hooks);
    const withDescription = mirrorsDescription(rt.connector);
    const remote = stateFromRecord(record, withDescription);
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

    // What the hub holds now, in the tool's terms, to tell whether the hub changed a field too.
    // Locked, and before the merge reads it again: read unlocked, another tool's change
    // committing in between would be merged against but not seen here, so the merge would take
    // this (possibly older) change as uncontested and overwrite the newer one.
    const [hubNow] = await tx.select().from(tickets).where(eq(tickets.id, link.ticketId)).for('update');
    const hubState = hubNow
      ? desiredState(hubNow, await externalIdFor(tx, rt, hubNow.assigneeId), withDescription)
      : null;
    // A tool value that is what the hub already holds, in the tool's terms, is no change: RT
    // moving `new` to `open` on a reply while the hub holds IN_PROGRESS (also `open` in RT) must
    // not turn the hub's IN_PROGRESS into OPEN, and so overwrite the other tool's status.
    const toApply = changed.filter((f) => !(hubState && sameInTool(f, remote[f], hubState[f], rt.ctx.maps)));
    if (toApply.length === 0) {
      const [updated] = await tx
        .update(ticketLinks)
        .set({ remoteState: remote, remoteUpdatedAt: record.updatedAt, lastSyncedAt: new Date() })
        .where(eq(ticketLinks.id, link.id))
        .returning();
      return { link: updated ?? link, commentsDue: commentsDue(link, record) };
    }
    const assignee = toApply.includes('assignee')
      ? await sideOf(tx, engagementId, await resolveInboundPerson(tx, rt, record.assignee))
      : null;
    const base = link.remoteState;
    const hubChanged = (f: MirroredField) =>
      hubState !== null && base !== null && !sameInTool(f, hubState[f], base[f], rt.ctx.maps);
    const kept: MirroredField[] = [];
    await changeTicket(
      tx,
      actorFor(rt),
      link.ticketId,
      {
        compute: (current) => mergeFields(current, toApply, record, assignee, rt, hubChanged, kept),
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
  description: 'description',
};

/** Tools keep whole seconds: changes closer than this are a tie, not an order. */
const SAME_MOMENT_MS = 1000;

/**
 * A three-way merge per field. The base is what the tool held when we last synced it. A field
 * only the tool changed takes the tool's value; a field both sides changed is a conflict: the
 * newer change by source time wins, and within a second the owning party's side wins.
 */
function mergeFields(
  current: TicketRow,
  changed: MirroredField[],
  record: TicketRecord,
  assignee: { id: string; partyId: string } | null,
  rt: ConnectionRuntime,
  hubChanged: (field: MirroredField) => boolean,
  kept: MirroredField[],
): TicketChangeSet {
  const next: TicketChangeSet = {};
  for (const field of changed) {
    const hubAt = new Date(current.fieldChangedAt[HUB_FIELD[field]] ?? current.createdAt);
    const gap = record.updatedAt.getTime() - hubAt.getTime();
    const toolWins =
      !hubChanged(field) ||
      gap >= SAME_MOMENT_MS ||
      (Math.abs(gap) < SAME_MOMENT_MS && rt.partyId === current.ownerPartyId);
    if (!toolWins) {
      kept.push(field);
      continue;
    }
    if (field === 'title') next.title = record.title;
    if (field === 'status') next.status = record.status;
    if (field === 'priority') next.priority = record.priority;
    if (field === 'description') next.description = record.description ?? null;
    if (field === 'assignee') {
      const handOff = assignee !== null && assignee.partyId !== current.ownerPartyId && !current.confidential;
      // Giving the ticket to someone of the other party is a hand-off, which only the owner's
      // tool (or the tool of the party that opened it) may make: from any other tool the hub
      // keeps its holder and sends it back (src/domain/ownership.ts).
      if (handOff && !mayChangeOwner(rt.partyId, current)) {
        kept.push(field);
        continue;
      }
      next.assigneeId = assignee?.id ?? null;
      if (handOff) {
        next.ownerPartyId = assignee.partyId;
        next.shared = true;
      }
    }
  }
  return next;
}

/**
 * The hub's own copy coming back before the delivery that made it recorded its link (the
 * tool's webhook can beat our commit). Linked with the hub's state as the merge base, so
 * whatever the tool changed since is merged like any other change, not lost.
 */
async function linkByCorrelation(
  tx: Tx,
  rt: ConnectionRuntime,
  record: TicketRecord,
  engagementId: string,
): Promise<TicketLinkRow | null> {
  if (!record.correlationId || !UUID.test(record.correlationId)) return null;
  const [own] = await tx.select().from(tickets).where(eq(tickets.id, record.correlationId));
  // A correlation id naming another engagement's ticket is never linked (it would cross customers).
  if (!own || own.engagementId !== engagementId) return null;
  const base = desiredState(
    own,
    await externalIdFor(tx, rt, own.assigneeId),
    mirrorsDescription(rt.connector),
  );
  await tx
    .insert(ticketLinks)
    .values({
      ticketId: own.id,
      connectionId: rt.id,
      externalId: record.externalId,
      externalUrl: record.externalUrl ?? null,
      remoteState: base,
    })
    .onConflictDoNothing();
  const [link] = await tx
    .select()
    .from(ticketLinks)
    .where(and(eq(ticketLinks.connectionId, rt.id), eq(ticketLinks.externalId, record.externalId)))
    .for('update');
  return link ?? null;
}

/** A ticket first seen in the tool: a new hub ticket owned by the tool's party (or a hand-off). */
async function createFromRecord(
  tx: Tx,
  rt: ConnectionRuntime,
  record: TicketRecord,
  engagementId: string,
  hooks: WriteHooks,
): Promise<TicketLinkRow> {
  const assignee = await sideOf(tx, engagementId, await resolveInboundPerson(tx, rt, record.assignee));
  const requester = await sideOf(tx, engagementId, await resolveInboundPerson(tx, rt, record.requester));
  const owner = assignee && assignee.partyId !== rt.partyId ? assignee.partyId : rt.partyId;
  const area = areaOf(await loadAreaEntries(tx, rt.id), record);
  const { ticket } = await createTicket(
    tx,
    actorFor(rt),
    {
      engagementId,
      title: record.title,
      description: record.description ?? null,
      status: record.status,
      priority: record.priority,
      ownerPartyId: owner,
      assigneeId: assignee?.id ?? null,
      requesterId: requester?.id ?? null,
      serviceArea: area.serviceArea,
      category: area.category,
      // Given to the other party's person in the tool: a person's hand-off, which the matrix keeps.
      routingReason: owner !== rt.partyId ? 'MANUAL' : null,
      createdAt: record.createdAt,
    },
    hooks,
  );
  const [link] = await tx
    .insert(ticketLinks)
    .values({
      ticketId: ticket.id,
      connectionId: rt.id,
      externalId: record.externalId,
      externalUrl: record.externalUrl ?? null,
      remoteState: stateFromRecord(record, mirrorsDescription(rt.connector)),
      remoteArea: area.serviceArea,
      remoteCategory: area.category,
      remoteUpdatedAt: record.updatedAt,
      lastSyncedAt: new Date(),
    })
    .returning();
  if (!link) throw new Error('link insert returned no row');
  return link;
}

/**
 * The person, when their party is a side of the engagement; null otherwise. A tool's user
 * matched by e-mail to another customer's person never lands on this customer's ticket (nor
 * hands it to that customer's team).
 */
export async function sideOf<P extends { partyId: string }>(
  tx: Tx,
  engagementId: string,
  person: P | null,
): Promise<P | null> {
  if (!person) return null;
  const [side] = await tx
    .select({ id: engagements.id })
    .from(engagements)
    .where(
      and(
        eq(engagements.id, engagementId),
        or(eq(engagements.internalPartyId, person.partyId), eq(engagements.mspPartyId, person.partyId)),
      ),
    );
  return side ? person : null;
}
