import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { CommentRecord, PersonRef, TicketRecord } from '../connector-kit/records.ts';
import type { Db, Tx } from '../db/client.ts';
import type { CommentRow, TicketEventRow, TicketRow } from '../db/schema/index.ts';
import { lifecycleTimestamps } from '../domain/changes.ts';
import { commitmentsForNewTickets } from '../domain/commitments/on-write.ts';
import { routeCreatedBatch } from '../domain/routing/store.ts';
import type { WriteHooks, WriteNotice } from '../domain/ticket-store.ts';
import { actorFor, sideOf } from './apply.ts';
import { areaOf, loadAreaEntries } from './area-sync.ts';
import {
  type Drawn,
  drawIds,
  insertComments,
  insertEvents,
  insertLinks,
  insertTickets,
  notifyEvents,
} from './backfill-sql.ts';
import { resolveInboundPerson } from './people.ts';
import { mirrorsDescription, stateFromRecord } from './remote-state.ts';
import type { ConnectionRuntime } from './runtime.ts';
import { engagementOfRecord } from './scope.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Comment reads in flight at once for one page (the connector's own limiter still applies). */
const COMMENT_READS = 8;

/**
 * Splits a pulled page into records the hub has never seen (no link, no correlation id of
 * ours) and the rest. Only the first kind may take the batched path: it has nothing to merge.
 */
export async function partitionNew(
  db: Db,
  rt: ConnectionRuntime,
  records: TicketRecord[],
): Promise<{ fresh: TicketRecord[]; known: TicketRecord[] }> {
  if (records.length === 0) return { fresh: [], known: [] };
  // One JSON parameter, not one bind parameter per id: a page may hold 10,000 records.
  const ids = JSON.stringify(records.map((r) => r.externalId));
  const result = (await db.execute(sql`
    select external_id from ticket_links
    where connection_id = ${rt.id}
      and external_id = any(array(select json_array_elements_text(${ids}::json)))`)) as unknown as {
    rows: { external_id: string }[];
  };
  const linked = new Set(result.rows.map((r) => r.external_id));
  const fresh: TicketRecord[] = [];
  const known: TicketRecord[] = [];
  const seen = new Set<string>();
  for (const r of records) {
    const isNew =
      !linked.has(r.externalId) &&
      !seen.has(r.externalId) &&
      !(r.correlationId && UUID.test(r.correlationId));
    seen.add(r.externalId);
    (isNew ? fresh : known).push(r);
  }
  return { fresh, known };
}

/**
 * Creates a page of brand-new tickets with their links, comments, comment links and events
 * in one transaction: what `applyInbound` + `syncCommentsIn` would write for each record one
 * by one (same rows, same events in the same per-ticket order, the write hooks told of every
 * write, inside the transaction), with one statement per table (`backfill-sql.ts`). Comments
 * are read before the transaction (`prefetched`: by the pull, while the previous page was being
 * written) so no lock is held across HTTP.
 */
export async function createPage(
  db: Db,
  rt: ConnectionRuntime,
  records: TicketRecord[],
  hooks: WriteHooks,
  prefetched?: PageComments,
): Promise<void> {
  if (records.length === 0) return;
  const missing = prefetched ? records.filter((r) => !prefetched.read.has(r.externalId)) : records;
  const late = missing.length > 0 ? await readPageComments(rt, missing) : null;
  const startedAt = prefetched?.readAt ?? late!.readAt;
  const remoteComments = records.map(
    (r) => prefetched?.byTicket.get(r.externalId) ?? late?.byTicket.get(r.externalId) ?? [],
  );
  await db.transaction(async (tx) => {
    const commentCount = remoteComments.reduce((n, list) => n + list.length, 0);
    const drawn = await drawIds(tx, records.length, records.length + commentCount);
    const { tickets, comments } = await buildRows(tx, rt, records, remoteComments, drawn);
    const { created, commented, writes } = eventsFor(rt, tickets, comments, drawn);
    await insertTickets(tx, tickets);
    await insertComments(tx, comments);
    await insertEvents(tx, [...created, ...commented]);
    await insertLinks(
      tx,
      records.map((record, i) => ({
        ticket_id: tickets[i]!.id,
        connection_id: rt.id,
        external_id: record.externalId,
        external_url: record.externalUrl ?? null,
        remote_state: stateFromRecord(record, mirrorsDescription(rt.connector)),
        remote_area: tickets[i]!.serviceArea,
        remote_category: tickets[i]!.category,
        remote_updated_at: record.updatedAt,
        last_synced_at: startedAt,
        comments_synced_at: startedAt,
      })),
      comments.map((c) => ({ comment_id: c.id, connection_id: rt.id, external_id: c.externalId! })),
    );
    await notifyEvents(
      tx,
      [...created, ...commented].map((e) => e.id),
    );
    await commitmentsForNewTickets(tx, tickets, comments, drawn.now);
    if (hooks.afterWriteBatch) await hooks.afterWriteBatch(tx, writes);
    else if (hooks.afterWrite) for (const write of writes) await hooks.afterWrite(tx, write);
    await routeCreatedBatch(tx, tickets, rt.partyId, hooks);
  });
}

/** The ticket and comment rows `createTicket` and `addComment` would write for these records. */
async function buildRows(
  tx: Tx,
  rt: ConnectionRuntime,
  records: TicketRecord[],
  remoteComments: CommentRecord[][],
  drawn: Drawn,
): Promise<{ tickets: TicketRow[]; comments: CommentRow[] }> {
  const people = await peopleResolver(tx, rt);
  const areas = await loadAreaEntries(tx, rt.id);
  const actor = actorFor(rt);
  const tickets: TicketRow[] = [];
  const comments: CommentRow[] = [];
  for (const [i, record] of records.entries()) {
    // The pull drops records outside the scope before they get here.
    const engagementId = engagementOfRecord(rt.scope, record);
    if (!engagementId)
      throw new Error(`record ${record.externalId} of ${rt.id} is outside every engagement scope`);
    const assignee = await sideOf(tx, engagementId, await people(record.assignee));
    const requester = await sideOf(tx, engagementId, await people(record.requester));
    const id = randomUUID();
    const list = remoteComments[i]!;
    for (const c of list) {
      const author = await people(c.author);
      comments.push({
        id: randomUUID(),
        ticketId: id,
        partyId: rt.partyId,
        authorId: author?.id ?? null,
        authorName: author?.name ?? c.author?.name ?? actorFor(rt, author?.name ?? c.author?.name).name,
        body: c.body,
        visibility: c.visibility,
        connectionId: rt.id,
        externalId: c.externalId,
        createdAt: c.createdAt,
      });
    }
    const owner = assignee && assignee.partyId !== rt.partyId ? assignee.partyId : rt.partyId;
    tickets.push({
      id,
      engagementId,
      number: drawn.numbers[i]!,
      title: record.title,
      description: record.description ?? null,
      status: record.status,
      priority: record.priority,
      ownerPartyId: owner,
      originPartyId: actor.partyId,
      assigneeId: assignee?.id ?? null,
      requesterId: requester?.id ?? null,
      serviceArea: areaOf(areas, record).serviceArea,
      category: record.category ?? null,
      // A backfill imports history as the tool holds it: the matrix routes new tickets, not these.
      routingRuleId: null,
      routingReason: null,
      unrouted: false,
      confidential: false,
      shared: owner !== actor.partyId,
      createdAt: record.createdAt,
      // addComment moves updatedAt to each comment's time in turn: the last one stays.
      updatedAt: list.at(-1)?.createdAt ?? record.createdAt,
      resolvedAt: null,
      closedAt: null,
      ...lifecycleTimestamps('NEW', record.status, record.createdAt),
      fieldChangedAt: {},
      version: 1,
    });
  }
  return { tickets, comments };
}

/**
 * Every CREATED event, then every COMMENTED one, ids ascending (each ticket's CREATED before its
 * comments, as per-record writes give), and the writes the hooks hear of, in that order.
 */
function eventsFor(rt: ConnectionRuntime, tickets: TicketRow[], comments: CommentRow[], drawn: Drawn) {
  const actor = actorFor(rt);
  const byId = new Map(tickets.map((t) => [t.id, t]));
  const created = tickets.map((t, i) => eventRow(drawn, i, actor, t, 'CREATED'));
  const commented = comments.map((c, i) => ({
    ...eventRow(drawn, tickets.length + i, actorFor(rt, c.authorName), byId.get(c.ticketId)!, 'COMMENTED'),
    commentId: c.id,
    restrictedToPartyId: c.visibility === 'INTERNAL' ? rt.partyId : null,
  }));
  const writes: WriteNotice[] = [
    ...tickets.map((ticket, i) => ({ ticket, actor, events: [created[i]!] })),
    ...comments.map((comment, i) => ({
      ticket: byId.get(comment.ticketId)!,
      actor: actorFor(rt, comment.authorName),
      events: [commented[i]!],
      comment,
    })),
  ];
  return { created, commented, writes };
}

function eventRow(
  drawn: Drawn,
  index: number,
  actor: ReturnType<typeof actorFor>,
  ticket: TicketRow,
  type: 'CREATED' | 'COMMENTED',
): TicketEventRow {
  return {
    id: drawn.eventIds[index]!,
    ticketId: ticket.id,
    type,
    changes: [],
    ticketVersion: ticket.version,
    actorPartyId: actor.partyId,
    actorName: actor.name,
    source: actor.source,
    connectionId: actor.connectionId ?? null,
    commentId: null,
    restrictedToPartyId: null,
    routingReason: null,
    routingRuleId: null,
    clockId: null,
    createdAt: drawn.now,
  };
}

/** The vendor comments of some records, read ahead of their page's transaction. */
export interface PageComments {
  /** When the read started: the links' `commentsSyncedAt`, so a comment added meanwhile is read later. */
  readAt: Date;
  /** The external ids whose comments were read (a record not among them is read when its page is written). */
  read: Set<string>;
  /** Each ticket's comments not written by the hub, oldest first; absent when it has none. */
  byTicket: Map<string, CommentRecord[]>;
}

/**
 * Reads the comments of `records` (meant for records the hub has not seen): with
 * `listCommentsBulk`, the whole page in as few requests as the connector can; otherwise
 * `listComments` per ticket, a few at a time. Comments the hub wrote itself are dropped.
 */
export async function readPageComments(
  rt: ConnectionRuntime,
  records: TicketRecord[],
): Promise<PageComments> {
  const readAt = new Date();
  const ids = [...new Set(records.map((r) => r.externalId))];
  const byTicket = new Map<string, CommentRecord[]>();
  const keep = (id: string, list: CommentRecord[] | undefined) => {
    const own = (list ?? []).filter((c) => !c.fromHub);
    if (own.length > 0) byTicket.set(id, own);
  };
  if (ids.length > 0 && rt.connector.listCommentsBulk) {
    const found = await rt.connector.listCommentsBulk(rt.ctx, ids);
    for (const id of ids) keep(id, found.get(id));
  } else {
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const id = ids[next++]!;
        keep(id, await rt.connector.listComments(rt.ctx, id));
      }
    };
    await Promise.all(Array.from({ length: Math.min(COMMENT_READS, ids.length) }, worker));
  }
  return { readAt, read: new Set(ids), byTicket };
}

async function peopleResolver(tx: Tx, rt: ConnectionRuntime) {
  const cache = new Map<string, Awaited<ReturnType<typeof resolveInboundPerson>>>();
  return async (ref: PersonRef | null | undefined) => {
    if (!ref) return null;
    if (!cache.has(ref.externalId)) cache.set(ref.externalId, await resolveInboundPerson(tx, rt, ref));
    return cache.get(ref.externalId) ?? null;
  };
}
