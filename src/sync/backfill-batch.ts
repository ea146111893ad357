import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { CommentRecord, PersonRef, TicketRecord } from '../connector-kit/records.ts';
import type { Db, Tx } from '../db/client.ts';
import type { TicketEventRow, TicketRow } from '../db/schema/index.ts';
import { commentLinks, comments, ticketEvents, ticketLinks, tickets } from '../db/schema/index.ts';
import { lifecycleTimestamps } from '../domain/changes.ts';
import { EVENTS_CHANNEL, type WriteHooks } from '../domain/ticket-store.ts';
import { actorFor } from './apply.ts';
import { resolveInboundPerson } from './people.ts';
import { stateFromRecord } from './remote-state.ts';
import type { ConnectionRuntime } from './runtime.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Comment reads in flight at once for one page (the connector's own limiter still applies). */
const COMMENT_READS = 8;
/** Rows per INSERT statement (keeps bind parameters well under Postgres' 65,535). */
const CHUNK = 500;
/** Ids per NOTIFY payload (payloads must stay under 8,000 bytes). */
const NOTIFY_IDS = 400;

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
  const linked = new Set(
    (
      await db
        .select({ id: ticketLinks.externalId })
        .from(ticketLinks)
        .where(
          and(
            eq(ticketLinks.connectionId, rt.id),
            inArray(
              ticketLinks.externalId,
              records.map((r) => r.externalId),
            ),
          ),
        )
    ).map((r) => r.id),
  );
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
 * in one transaction, with multi-row inserts: what `applyInbound` + `syncCommentsIn` would
 * write for each record one by one (same rows, same events in the same per-ticket order,
 * the write hooks called for every write, inside the transaction), at a fraction of the
 * round trips. Comments are read before the transaction so no lock is held across HTTP.
 */
export async function createPage(
  db: Db,
  rt: ConnectionRuntime,
  records: TicketRecord[],
  hooks: WriteHooks,
): Promise<void> {
  if (records.length === 0) return;
  const startedAt = new Date();
  const remoteComments = await readComments(rt, records);
  await db.transaction(async (tx) => {
    const people = await peopleResolver(tx, rt);
    const actor = actorFor(rt);
    const ticketRows: (typeof tickets.$inferInsert)[] = [];
    const commentRows: (typeof comments.$inferInsert & { id: string; ticketId: string })[] = [];
    for (const [i, record] of records.entries()) {
      const assignee = await people(record.assignee);
      const requester = await people(record.requester);
      const id = randomUUID();
      const list = remoteComments[i]!;
      for (const c of list) {
        const author = await people(c.author);
        commentRows.push({
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
      ticketRows.push({
        id,
        title: record.title,
        description: record.description ?? null,
        status: record.status,
        priority: record.priority,
        ownerPartyId: owner,
        originPartyId: actor.partyId,
        assigneeId: assignee?.id ?? null,
        requesterId: requester?.id ?? null,
        serviceArea: record.queue ?? null,
        shared: owner !== actor.partyId,
        createdAt: record.createdAt,
        // addComment moves updatedAt to each comment's time in turn: the last one stays.
        updatedAt: list.at(-1)?.createdAt ?? record.createdAt,
        ...lifecycleTimestamps('NEW', record.status, record.createdAt),
      });
    }
    const inserted = await insertChunked<TicketRow>(tx, tickets, ticketRows);
    const byId = new Map(inserted.map((t) => [t.id, t]));
    const created = await insertChunked<TicketEventRow>(
      tx,
      ticketEvents,
      inserted.map((t) => eventValues(actor, t, 'CREATED')),
    );
    const savedComments = await insertChunked<typeof comments.$inferSelect>(tx, comments, commentRows);
    const commented = await insertChunked<TicketEventRow>(
      tx,
      ticketEvents,
      savedComments.map((c) => ({
        ...eventValues(actorFor(rt, c.authorName), byId.get(c.ticketId)!, 'COMMENTED'),
        commentId: c.id,
        restrictedToPartyId: c.visibility === 'INTERNAL' ? rt.partyId : null,
      })),
    );
    await insertChunked(
      tx,
      ticketLinks,
      records.map((record, i) => ({
        ticketId: ticketRows[i]!.id!,
        connectionId: rt.id,
        externalId: record.externalId,
        externalUrl: record.externalUrl ?? null,
        remoteState: stateFromRecord(record),
        remoteUpdatedAt: record.updatedAt,
        lastSyncedAt: startedAt,
        commentsSyncedAt: startedAt,
      })),
    );
    await insertChunked(
      tx,
      commentLinks,
      savedComments.map((c) => ({ commentId: c.id, connectionId: rt.id, externalId: c.externalId! })),
    );
    const ids = [...created, ...commented].map((e) => e.id).sort((a, b) => a - b);
    for (let i = 0; i < ids.length; i += NOTIFY_IDS) {
      await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${ids.slice(i, i + NOTIFY_IDS).join(',')})`);
    }
    if (hooks.afterWrite) {
      const createdBy = new Map(created.map((e) => [e.ticketId, e]));
      const commentedBy = new Map(commented.map((e) => [e.commentId, e]));
      for (const t of inserted)
        await hooks.afterWrite(tx, { ticket: t, actor, events: [createdBy.get(t.id)!] });
      for (const c of savedComments) {
        await hooks.afterWrite(tx, {
          ticket: byId.get(c.ticketId)!,
          actor: actorFor(rt, c.authorName),
          events: [commentedBy.get(c.id)!],
          comment: c,
        });
      }
    }
  });
}

function eventValues(actor: ReturnType<typeof actorFor>, ticket: TicketRow, type: 'CREATED' | 'COMMENTED') {
  return {
    ticketId: ticket.id,
    type,
    changes: [],
    ticketVersion: ticket.version,
    actorPartyId: actor.partyId,
    actorName: actor.name,
    source: actor.source,
    connectionId: actor.connectionId ?? null,
  } as typeof ticketEvents.$inferInsert;
}

async function insertChunked<R>(tx: Tx, table: Parameters<Tx['insert']>[0], rows: object[]): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = (await tx
      .insert(table)
      .values(rows.slice(i, i + CHUNK) as never)
      .returning()) as R[];
    out.push(...part);
  }
  return out;
}

async function readComments(rt: ConnectionRuntime, records: TicketRecord[]): Promise<CommentRecord[][]> {
  const out: CommentRecord[][] = new Array(records.length);
  let next = 0;
  const worker = async () => {
    while (next < records.length) {
      const i = next++;
      const list = await rt.connector.listComments(rt.ctx, records[i]!.externalId);
      out[i] = list.filter((c) => !c.fromHub);
    }
  };
  await Promise.all(Array.from({ length: Math.min(COMMENT_READS, records.length) }, worker));
  return out;
}

async function peopleResolver(tx: Tx, rt: ConnectionRuntime) {
  const cache = new Map<string, Awaited<ReturnType<typeof resolveInboundPerson>>>();
  return async (ref: PersonRef | null | undefined) => {
    if (!ref) return null;
    if (!cache.has(ref.externalId)) cache.set(ref.externalId, await resolveInboundPerson(tx, rt, ref));
    return cache.get(ref.externalId) ?? null;
  };
}
