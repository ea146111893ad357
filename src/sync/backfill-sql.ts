/**
 * The statements a backfill page is written with: one per table, rows passed as a single JSON
 * parameter and expanded by `json_to_recordset` (no bind-parameter limit, no per-row ORM cost; the
 * same SQL on Postgres and PGlite). Ticket numbers and event ids are drawn from their sequences
 * first, so no statement has to return rows.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import type { CommentRow, TicketEventRow, TicketRow } from '../db/schema/index.ts';
import { EVENTS_CHANNEL } from '../domain/ticket-store.ts';

/** A `\\uD800`-`\\uDFFF` escape in JSON text, not itself escaped (an even run of backslashes before it). */
const LONE_SURROGATE = /(?<!\\)((?:\\\\)*)\\u[dD][89a-fA-F][0-9a-fA-F]{2}/g;
/** Ids per NOTIFY payload (payloads must stay under 8,000 bytes). */
const NOTIFY_IDS = 400;

export interface Drawn {
  /** The transaction's `now()`: what the events' `created_at` default gives. */
  now: Date;
  numbers: number[];
  eventIds: number[];
}

/** Ticket numbers and event ids drawn from their sequences, ascending, and the transaction time. */
export async function drawIds(tx: Tx, tickets: number, events: number): Promise<Drawn> {
  const result = (await tx.execute(sql`
    select now() as now,
      (select string_agg(nextval(s::regclass)::text, ',') from generate_series(1, ${tickets}::int),
        (select pg_get_serial_sequence('tickets', 'number') as s) q) as numbers,
      (select string_agg(nextval(s::regclass)::text, ',') from generate_series(1, ${events}::int),
        (select pg_get_serial_sequence('ticket_events', 'id') as s) q) as event_ids`)) as unknown as {
    rows: { now: Date | string; numbers: string | null; event_ids: string | null }[];
  };
  const row = result.rows[0]!;
  const list = (text: string | null) =>
    text
      ? text
          .split(',')
          .map(Number)
          .sort((a, b) => a - b)
      : [];
  return { now: new Date(row.now), numbers: list(row.numbers), eventIds: list(row.event_ids) };
}

/** `insert into <table> (<columns>) select <columns> from json_to_recordset($rows) as x(<column> <type>, ...)`. */
async function insertJson(tx: Tx, table: string, columns: [name: string, type: string][], rows: object[]) {
  if (rows.length === 0) return;
  const names = columns.map(([name]) => name).join(', ');
  // JSON.stringify escapes only lone surrogates (pairs stay literal), which Postgres refuses in
  // json text; they become U+FFFD, as the driver's UTF-8 encoding of a plain parameter would make them.
  const json = JSON.stringify(rows).replace(LONE_SURROGATE, '$1\\ufffd');
  const types = columns.map(([name, type]) => `${name} ${type}`).join(', ');
  await tx.execute(
    sql`insert into ${sql.identifier(table)} (${sql.raw(names)}) select ${sql.raw(names)} from json_to_recordset(${json}::json) as x(${sql.raw(types)})`,
  );
}

export function insertTickets(tx: Tx, rows: TicketRow[]) {
  return insertJson(
    tx,
    'tickets',
    [
      ['id', 'uuid'],
      ['engagement_id', 'uuid'],
      ['number', 'bigint'],
      ['title', 'text'],
      ['description', 'text'],
      ['status', 'ticket_status'],
      ['priority', 'ticket_priority'],
      ['owner_party_id', 'uuid'],
      ['origin_party_id', 'uuid'],
      ['assignee_id', 'uuid'],
      ['requester_id', 'uuid'],
      ['service_area', 'text'],
      ['category', 'text'],
      ['shared', 'boolean'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
      ['resolved_at', 'timestamptz'],
      ['closed_at', 'timestamptz'],
    ],
    rows.map((t) => ({
      id: t.id,
      engagement_id: t.engagementId,
      number: t.number,
      title: t.title,
      description: t.description,
      status: t.status,
      priority: t.priority,
      owner_party_id: t.ownerPartyId,
      origin_party_id: t.originPartyId,
      assignee_id: t.assigneeId,
      requester_id: t.requesterId,
      service_area: t.serviceArea,
      category: t.category,
      shared: t.shared,
      created_at: t.createdAt,
      updated_at: t.updatedAt,
      resolved_at: t.resolvedAt,
      closed_at: t.closedAt,
    })),
  );
}

export function insertComments(tx: Tx, rows: CommentRow[]) {
  return insertJson(
    tx,
    'comments',
    [
      ['id', 'uuid'],
      ['ticket_id', 'uuid'],
      ['party_id', 'uuid'],
      ['author_id', 'uuid'],
      ['author_name', 'text'],
      ['body', 'text'],
      ['visibility', 'comment_visibility'],
      ['connection_id', 'text'],
      ['external_id', 'text'],
      ['created_at', 'timestamptz'],
    ],
    rows.map((c) => ({
      id: c.id,
      ticket_id: c.ticketId,
      party_id: c.partyId,
      author_id: c.authorId,
      author_name: c.authorName,
      body: c.body,
      visibility: c.visibility,
      connection_id: c.connectionId,
      external_id: c.externalId,
      created_at: c.createdAt,
    })),
  );
}

/** Events keep the `changes` and `created_at` defaults (`[]`, the transaction's `now()`). */
export function insertEvents(tx: Tx, rows: TicketEventRow[]) {
  return insertJson(
    tx,
    'ticket_events',
    [
      ['id', 'bigint'],
      ['ticket_id', 'uuid'],
      ['type', 'event_type'],
      ['ticket_version', 'integer'],
      ['actor_party_id', 'uuid'],
      ['actor_name', 'text'],
      ['source', 'text'],
      ['connection_id', 'text'],
      ['comment_id', 'uuid'],
      ['restricted_to_party_id', 'uuid'],
    ],
    rows.map((e) => ({
      id: e.id,
      ticket_id: e.ticketId,
      type: e.type,
      ticket_version: e.ticketVersion,
      actor_party_id: e.actorPartyId,
      actor_name: e.actorName,
      source: e.source,
      connection_id: e.connectionId,
      comment_id: e.commentId,
      restricted_to_party_id: e.restrictedToPartyId,
    })),
  );
}

export async function insertLinks(tx: Tx, ticketLinkRows: object[], commentLinkRows: object[]) {
  await insertJson(
    tx,
    'ticket_links',
    [
      ['ticket_id', 'uuid'],
      ['connection_id', 'text'],
      ['external_id', 'text'],
      ['external_url', 'text'],
      ['remote_state', 'jsonb'],
      ['remote_area', 'text'],
      ['remote_category', 'text'],
      ['remote_updated_at', 'timestamptz'],
      ['last_synced_at', 'timestamptz'],
      ['comments_synced_at', 'timestamptz'],
    ],
    ticketLinkRows,
  );
  await insertJson(
    tx,
    'comment_links',
    [
      ['comment_id', 'uuid'],
      ['connection_id', 'text'],
      ['external_id', 'text'],
    ],
    commentLinkRows,
  );
}

/**
 * Announces committed-to-be event ids, ascending, `NOTIFY_IDS` per payload, in one statement
 * (notifications go out at commit, in the order they were made).
 */
export async function notifyEvents(tx: Tx, ids: number[]): Promise<void> {
  const payloads: string[] = [];
  for (let i = 0; i < ids.length; i += NOTIFY_IDS) payloads.push(ids.slice(i, i + NOTIFY_IDS).join(','));
  if (payloads.length === 0) return;
  await tx.execute(
    sql`select pg_notify(${EVENTS_CHANNEL}, p) from json_array_elements_text(${JSON.stringify(payloads)}::json) with ordinality as x(p, n) order by n`,
  );
}
