import { and, eq } from 'drizzle-orm';
import { type TicketRecord, withOriginMarker } from '../connector-kit/records.ts';
import type { Db } from '../db/client.ts';
import type { SyncOutboxRow } from '../db/schema/index.ts';
import { commentLinks, comments, parties, ticketLinks, tickets } from '../db/schema/index.ts';
import { toToolQueue } from '../domain/routing/area-map.ts';
import type { WriteHooks } from '../domain/ticket-store.ts';
import { canSee } from '../domain/visibility.ts';
import { applyInbound } from './apply.ts';
import { areaAfterMove, movedInTool, plannedQueueMove, queueToWrite } from './area-out.ts';
import { areaOf, loadAreaEntries } from './area-sync.ts';
import { resolveOutboundAssignee } from './people.ts';
import {
  desiredState,
  differingFields,
  mirrorsDescription,
  stateFromRecord,
  toPatch,
} from './remote-state.ts';
import { handleRemoved, removalOf } from './removed.ts';
import type { ConnectionRuntime } from './runtime.ts';
import { countOutOfScope, engagementOfRecord, scopeKeyFor } from './scope.ts';

/** Carries out one outbox row against its tool. Throws on failure; the worker retries. */
export async function deliver(
  db: Db,
  rt: ConnectionRuntime,
  row: SyncOutboxRow,
  hooks: WriteHooks,
): Promise<void> {
  if (row.kind === 'comment' && row.commentId) return deliverComment(db, rt, row.commentId, row.attempts > 1);
  return deliverTicket(db, rt, row.ticketId, hooks);
}

/**
 * Makes the tool's copy match the hub. State-based: it writes only the fields that differ from
 * what the tool last held, so a retry after a crash, or several changes coalesced into one
 * row, write exactly what is needed. A missing copy is created through the connector's
 * idempotent `createTicket` (the hub's id is the correlation key), so a crash between the
 * vendor's answer and our commit links the existing copy instead of making a second one.
 */
async function deliverTicket(
  db: Db,
  rt: ConnectionRuntime,
  ticketId: string,
  hooks: WriteHooks,
  mergedOnce = false,
): Promise<void> {
  // One statement, one snapshot: read separately, an inbound change committing in between
  // would pair the old ticket with the new link state and "restore" what the tool just did.
  const [row] = await db
    .select({ ticket: tickets, link: ticketLinks })
    .from(tickets)
    .leftJoin(ticketLinks, and(eq(ticketLinks.ticketId, tickets.id), eq(ticketLinks.connectionId, rt.id)))
    .where(eq(tickets.id, ticketId));
  const ticket = row?.ticket;
  const link = row?.link ?? null;
  // Never a ticket outside the connection's engagements, whatever the outbox says.
  if (!ticket || !canSee(rt, ticket)) return;
  // The copy was deleted or merged away in the tool: nothing to write there any more.
  if (link?.removedAt) return;
  const who = await resolveOutboundAssignee(db, rt, ticket.assigneeId);
  const withDescription = mirrorsDescription(rt.connector);
  const desired = desiredState(ticket, who.externalId, withDescription);
  // An assignee the tool has no user for leaves the tool's owner alone (never "Nobody"); the
  // link says why, until the person can be matched.
  if (who.unmapped) desired.assignee = link?.remoteState?.assignee ?? null;
  if (link && link.notice !== who.unmapped) {
    await db.update(ticketLinks).set({ notice: who.unmapped }).where(eq(ticketLinks.id, link.id));
  }
  const maps = rt.ctx.maps;

  if (!link) {
    const areaEntries = await loadAreaEntries(db, rt.id);
    let record = await rt.connector.createTicket(rt.ctx, {
      hubTicketId: ticket.id,
      title: ticket.title,
      description: ticket.description,
      status: ticket.status,
      priority: ticket.priority,
      assigneeExternalId: desired.assignee,
      requesterEmail: null,
      queue: toToolQueue(areaEntries ?? [], ticket.serviceArea),
      scopeKey: scopeKeyFor(rt.scope, ticket.engagementId),
    });
    // Some tools ignore fields at creation (a status, an owner): set what did not stick.
    const missing = differingFields(desired, stateFromRecord(record, withDescription), maps);
    if (missing.length)
      record = await rt.connector.updateTicket(rt.ctx, record.externalId, toPatch(desired, missing));
    const now = new Date();
    await db
      .insert(ticketLinks)
      .values({
        ticketId,
        connectionId: rt.id,
        externalId: record.externalId,
        externalUrl: record.externalUrl ?? null,
        remoteState: { ...stateFromRecord(record, withDescription), ...pick(desired, missing) },
        // Where the tool filed it is the baseline: only a later move there re-areas the ticket.
        remoteArea: areaEntries ? areaOf(areaEntries, record).serviceArea : null,
        remoteCategory: record.category ?? null,
        remoteUpdatedAt: record.updatedAt,
        commentsSyncedAt: now,
        lastSyncedAt: now,
        notice: who.unmapped,
      })
      .onConflictDoNothing();
    return;
  }

  const fields = differingFields(desired, link.remoteState, maps);
  const move = await plannedQueueMove(db, rt, ticket, link);
  if (fields.length === 0 && !move) return;
  // Read, merge, then write. If the tool changed since we last synced it, merge that first, at
  // the tool's own time (our write would bump it and make an old edit look new); then start
  // over from the merged state. A retry after a crash lands here too: our earlier write is
  // then in the tool, merges as no change, and is not sent again.
  const current = await rt.connector.getTicket(rt.ctx, link.externalId);
  const removal = removalOf(link.externalId, current);
  if (removal) {
    await handleRemoved(db, rt, link, removal, hooks);
    if (removal.as === 'merged' && !mergedOnce) return deliverTicket(db, rt, ticketId, hooks, true);
    return;
  }
  // Moved to a customer outside this connection's scope in the tool: never written to again.
  const currentEngagement = current ? engagementOfRecord(rt.scope, current) : ticket.engagementId;
  if (currentEngagement !== ticket.engagementId) {
    if (currentEngagement === null) await countOutOfScope(db, rt.id, 1, current?.scopeKey ?? null);
    return;
  }
  if (
    current &&
    !mergedOnce &&
    (differingFields(stateFromRecord(current, withDescription), link.remoteState, maps).length > 0 ||
      (move !== null && movedInTool(move, current, link.remoteArea)))
  ) {
    await applyInbound(db, rt, current, hooks);
    return deliverTicket(db, rt, ticketId, hooks, true);
  }
  const patch = toPatch(desired, fields);
  const queue = queueToWrite(rt, move, current, ticket.engagementId);
  if (queue) patch.queue = queue;
  if (Object.keys(patch).length === 0) return;
  const record = await rt.connector.updateTicket(rt.ctx, link.externalId, patch);
  await db
    .update(ticketLinks)
    .set({
      remoteState: {
        ...(link.remoteState ?? stateFromRecord(record, withDescription)),
        ...pick(desired, fields),
      },
      ...(queue && move ? areaAfterMove(move, record) : {}),
      remoteUpdatedAt: record.updatedAt,
      lastSyncedAt: new Date(),
      lastError: null,
    })
    .where(eq(ticketLinks.id, link.id));
}

function pick<T extends object>(obj: T, keys: (keyof T)[]): Partial<T> {
  return Object.fromEntries(keys.map((k) => [k, obj[k]])) as Partial<T>;
}

/** A short reference in the origin marker lets a retry find a comment it already wrote. */
function commentRef(commentId: string): string {
  return `ref:${commentId.slice(0, 8)}`;
}

async function deliverComment(
  db: Db,
  rt: ConnectionRuntime,
  commentId: string,
  isRetry: boolean,
): Promise<void> {
  const [done] = await db
    .select()
    .from(commentLinks)
    .where(and(eq(commentLinks.commentId, commentId), eq(commentLinks.connectionId, rt.id)));
  if (done) return;
  const [row] = await db
    .select({ comment: comments, partyName: parties.name })
    .from(comments)
    .innerJoin(parties, eq(parties.id, comments.partyId))
    .where(eq(comments.id, commentId));
  if (!row) return;
  const { comment } = row;
  const [link] = await db
    .select()
    .from(ticketLinks)
    .where(and(eq(ticketLinks.ticketId, comment.ticketId), eq(ticketLinks.connectionId, rt.id)));
  if (!link) throw new Error(`ticket ${comment.ticketId} is not mirrored to ${rt.id} yet`);
  if (link.removedAt) return;

  const ref = commentRef(comment.id);
  if (isRetry) {
    // The previous attempt may have reached the tool before we could record it.
    const existing = (await rt.connector.listComments(rt.ctx, link.externalId)).find((c) =>
      c.body.includes(ref),
    );
    if (existing) {
      await recordCommentLink(db, comment.id, rt.id, existing.externalId);
      return;
    }
  }
  const author = comment.authorName ? `${comment.authorName} (${row.partyName})` : row.partyName;
  const body = `${withOriginMarker(`${author} wrote:\n\n${comment.body}`)} ${ref}`;
  const before = await rt.connector.getTicket(rt.ctx, link.externalId);
  const created = await rt.connector.addComment(rt.ctx, link.externalId, {
    body,
    visibility: comment.visibility,
    authorName: comment.authorName,
  });
  await recordCommentLink(db, comment.id, rt.id, created.externalId);
  if (before) await undoSideEffects(rt, link.externalId, before);
}

/**
 * Some tools change a ticket when a reply arrives (RT's default scrips reopen a resolved
 * ticket on correspondence). A comment the hub copies over must not reopen what the other
 * side closed, so a status our own write changed is put back. Comparing the tool's state
 * just before and just after the write keeps genuine changes made meanwhile untouched.
 */
async function undoSideEffects(
  rt: ConnectionRuntime,
  externalId: string,
  before: TicketRecord,
): Promise<void> {
  const after = await rt.connector.getTicket(rt.ctx, externalId);
  if (!after || after.status === before.status) return;
  await rt.connector.updateTicket(rt.ctx, externalId, { status: before.status });
}

async function recordCommentLink(
  db: Db,
  commentId: string,
  connectionId: string,
  externalId: string,
): Promise<void> {
  await db.insert(commentLinks).values({ commentId, connectionId, externalId }).onConflictDoNothing();
}
