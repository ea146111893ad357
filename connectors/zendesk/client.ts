/**
 * One small function per Zendesk Support endpoint the connector uses, each response parsed with
 * zod. Paths are relative to `<baseUrl>/api/v2`. Errors arrive as `ConnectorError` from the kit's
 * HTTP client, which also waits out 429s for their `Retry-After`.
 */
import type { AxiosInstance } from 'axios';
import { type ConnectorContext, parseWith } from '../../src/connector-kit/index.ts';
import { ZdCommentList, ZdIncrementalPage, ZdMe, ZdTicketEnvelope, ZdTicketList } from './api-types.ts';
import { type ZendeskConfig, zendeskAuthHeader } from './config.ts';

export function createZdHttp(ctx: ConnectorContext<ZendeskConfig>): AxiosInstance {
  return ctx.http({
    baseURL: `${ctx.config.baseUrl}/api/v2`,
    headers: { authorization: zendeskAuthHeader(ctx.config), 'content-type': 'application/json' },
  });
}

// https://developer.zendesk.com/api-reference/ticketing/users/users/#show-the-currently-authenticated-user
export async function getMe(http: AxiosInstance) {
  const res = await http.get('/users/me.json');
  return parseWith(ZdMe, res.data, { method: 'GET', path: '/users/me.json' }).user;
}

export type ExportStart = { startTime: number } | { cursor: string };

// https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-ticket-export-cursor-based
export async function exportTickets(http: AxiosInstance, start: ExportStart, perPage: number) {
  const params: Record<string, string | number> = { per_page: perPage, include: 'users' };
  if ('cursor' in start) params.cursor = start.cursor;
  else params.start_time = start.startTime;
  const path = '/incremental/tickets/cursor.json';
  const res = await http.get(path, { params });
  return parseWith(ZdIncrementalPage, res.data, { method: 'GET', path });
}

// https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#show-ticket
export async function getTicket(http: AxiosInstance, id: string) {
  const res = await http.get(`/tickets/${id}.json`, { params: { include: 'users' } });
  return parseWith(ZdTicketEnvelope, res.data, { method: 'GET', path: '/tickets/{id}.json' });
}

// https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#list-tickets (external_id filter)
export async function findTicketsByExternalId(http: AxiosInstance, externalId: string) {
  const res = await http.get('/tickets.json', { params: { external_id: externalId, include: 'users' } });
  return parseWith(ZdTicketList, res.data, { method: 'GET', path: '/tickets.json' });
}

// https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#create-ticket
export async function createTicket(http: AxiosInstance, ticket: Record<string, unknown>) {
  const res = await http.post('/tickets.json', { ticket });
  return parseWith(ZdTicketEnvelope, res.data, { method: 'POST', path: '/tickets.json' });
}

/**
 * https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#update-ticket
 * Also how comments are written: `ticket.comment {body, public}`; the answer's audit holds the
 * new `Comment` event. A closed ticket answers 422.
 */
export async function updateTicket(http: AxiosInstance, id: string, ticket: Record<string, unknown>) {
  const res = await http.put(`/tickets/${id}.json`, { ticket });
  return parseWith(ZdTicketEnvelope, res.data, { method: 'PUT', path: '/tickets/{id}.json' });
}

// https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_comments/#list-comments
export async function listComments(http: AxiosInstance, id: string, page: number) {
  const path = `/tickets/${id}/comments.json`;
  const res = await http.get(path, { params: { include: 'users', per_page: 100, page, sort_order: 'asc' } });
  return parseWith(ZdCommentList, res.data, { method: 'GET', path: '/tickets/{id}/comments.json' });
}
