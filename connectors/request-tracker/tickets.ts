/**
 * Reading and writing single tickets. RT runs its scrips on every change and may alter the
 * ticket itself (as RT_System), so every write returns the ticket as RT holds it afterwards.
 */

import type { AxiosInstance } from 'axios';
import {
  type ConnectorContext,
  ConnectorError,
  isConnectorError,
  resolveCreateScope,
  type TicketDraft,
  type TicketPatch,
  type TicketRecord,
} from '../../src/connector-kit/index.ts';
import * as rt from './client.ts';
import type { RtConfig } from './config.ts';
import { toCanonicalPriority, toRtCreateBody, toRtUpdateBody, toTicketRecord } from './mapping.ts';
import { byIdQuery, correlationQuery } from './ticket-sql.ts';

/**
 * Statuses RT's default lifecycle accepts on create (`stalled`, `rejected`, `deleted` answer
 * 400 "New tickets can not have status ..."); others are set by a PUT right after creating.
 */
export const CREATABLE_STATUSES = ['new', 'open', 'resolved'] as const;

const isRtId = (id: string) => /^\d+$/.test(id);

async function readTicket(
  ctx: ConnectorContext<RtConfig>,
  http: AxiosInstance,
  id: string,
): Promise<TicketRecord | null> {
  if (!isRtId(id)) return null;
  // The search answers with names and emails of every person in one call...
  const found = await rt.searchTickets(http, byIdQuery(id), { perPage: 1 });
  const item = found.items.find((ticket) => ticket.id === id);
  if (item) return toTicketRecord(item, ctx.maps, ctx.config.baseUrl);
  // ...but never returns deleted tickets, which GET /ticket/:id still does.
  try {
    return toTicketRecord(await rt.getTicket(http, id), ctx.maps, ctx.config.baseUrl);
  } catch (err) {
    if (isConnectorError(err) && err.kind === 'not_found') return null;
    throw err;
  }
}

export async function getTicket(ctx: ConnectorContext<RtConfig>, id: string): Promise<TicketRecord | null> {
  return readTicket(ctx, rt.createRtHttp(ctx), id);
}

export async function createTicket(
  ctx: ConnectorContext<RtConfig>,
  draft: TicketDraft,
): Promise<TicketRecord> {
  const queue = createQueue(ctx, draft);
  const http = rt.createRtHttp(ctx);
  const existing = await rt.searchTickets(http, correlationQuery(draft.hubTicketId), { perPage: 1 });
  const linked = existing.items[0];
  if (linked) return toTicketRecord(linked, ctx.maps, ctx.config.baseUrl);

  const { body, statusAfterCreate } = toRtCreateBody(draft, queue, ctx.maps, CREATABLE_STATUSES);
  const id = await rt.createTicket(http, body);
  if (statusAfterCreate !== null) await rt.updateTicket(http, id, { Status: statusAfterCreate });
  const record = await readTicket(ctx, http, id);
  if (!record) throw new ConnectorError('invalid_response', `RT created ticket ${id} but does not return it`);
  // Failing here would make the engine retry and duplicate the ticket; the link still holds.
  if (record.correlationId !== draft.hubTicketId) {
    ctx.log.warn(
      { connectionId: ctx.connectionId, ticket: id },
      'RT did not store HubTicketId: apply the custom field to the queue and grant ModifyCustomField',
    );
  }
  if (draft.assigneeExternalId && record.assignee?.externalId !== draft.assigneeExternalId) {
    ctx.log.warn({ connectionId: ctx.connectionId, ticket: id }, 'RT did not accept the owner on create');
  }
  return record;
}

/**
 * The queue a new ticket goes in. In RT the queue is both where a ticket sits and whose it is, so
 * `draft.queue` (the area map's pick) wins over `draft.scopeKey`, and either must be inside the
 * connection's scope; with neither, the single scoped queue or the configured `queue`. Refused
 * before any request when outside the scope.
 */
function createQueue(ctx: ConnectorContext<RtConfig>, draft: TicketDraft): string {
  const scopeKey = draft.queue ?? draft.scopeKey ?? null;
  return resolveCreateScope(ctx, { scopeKey }, ctx.config.queue) ?? ctx.config.queue;
}

/** Which requested changes RT did not apply (it answers 200 with a message when it refuses). */
function unapplied(
  body: Record<string, unknown>,
  record: TicketRecord,
  ctx: ConnectorContext<RtConfig>,
): string[] {
  const missed: string[] = [];
  if ('Subject' in body && record.title.trim() !== String(body.Subject).trim()) missed.push('Subject');
  if ('Status' in body && record.rawStatus !== body.Status) missed.push('Status');
  if ('Priority' in body && record.priority !== toCanonicalPriority(String(body.Priority), ctx.maps)) {
    missed.push('Priority');
  }
  const owner = (record.assignee?.externalId ?? 'Nobody').toLowerCase();
  if ('Owner' in body && owner !== String(body.Owner).toLowerCase()) missed.push('Owner');
  if ('Queue' in body && (record.queue ?? '').toLowerCase() !== String(body.Queue).toLowerCase()) {
    missed.push('Queue');
  }
  return missed;
}

export async function updateTicket(
  ctx: ConnectorContext<RtConfig>,
  id: string,
  patch: TicketPatch,
): Promise<TicketRecord> {
  const http = rt.createRtHttp(ctx);
  if (!isRtId(id)) throw new ConnectorError('not_found', `"${id}" is not an RT ticket id`);
  const body = toRtUpdateBody(patch, ctx.maps);
  const messages = Object.keys(body).length > 0 ? await rt.updateTicket(http, id, body) : [];
  const record = await readTicket(ctx, http, id);
  if (!record) throw new ConnectorError('not_found', `RT ticket ${id} does not exist`);
  const missed = unapplied(body, record, ctx);
  if (missed.length > 0) {
    throw new ConnectorError(
      'bad_request',
      `RT did not apply ${missed.join(', ')} to ticket ${id}: ${messages.join('; ') || 'no message'}`,
    );
  }
  return record;
}
