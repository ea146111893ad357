/**
 * One small function per Freshservice API v2 endpoint the connector uses, each response parsed
 * with zod. Paths are relative to `<baseUrl>/api/v2`. Errors arrive as `ConnectorError` from the
 * kit's HTTP client, which also waits out 429s for their `Retry-After`.
 */
import type { AxiosInstance, AxiosResponse } from 'axios';
import { type ConnectorContext, parseWith } from '../../src/connector-kit/index.ts';
import {
  FsAgentList,
  FsConversationEnvelope,
  FsConversationList,
  FsFilterResult,
  FsTicketEnvelope,
  FsTicketList,
} from './api-types.ts';
import { type FreshserviceConfig, freshserviceAuthHeader } from './config.ts';

export function createFsHttp(ctx: ConnectorContext<FreshserviceConfig>): AxiosInstance {
  return ctx.http({
    baseURL: `${ctx.config.baseUrl}/api/v2`,
    headers: { authorization: freshserviceAuthHeader(ctx.config), 'content-type': 'application/json' },
  });
}

/** The `rel="next"` target of a `Link` header, or null on the last page. */
export function nextLink(res: AxiosResponse): string | null {
  const link: unknown = res.headers.link;
  if (typeof link !== 'string') return null;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part);
    if (m) return m[1]!;
  }
  return null;
}

/** The server's clock from the `Date` header (second precision), or null. */
function serverDate(res: AxiosResponse): Date | null {
  const date: unknown = res.headers.date;
  const ms = typeof date === 'string' ? Date.parse(date) : Number.NaN;
  return Number.isNaN(ms) ? null : new Date(ms);
}

export interface ListTicketsQuery {
  /** ISO 8601; without it Freshservice lists only tickets created in the last 30 days. */
  updatedSince: string;
  page: number;
  perPage: number;
}

/**
 * https://api.freshservice.com/v2/#list_all_tickets
 * `updated_since`, `order_by=updated_at` and `order_type=asc` as the connector uses them are
 * UNCONFIRMED for v2 (see README); paging follows the `Link: <...>; rel="next"` header.
 */
export async function listTickets(http: AxiosInstance, query: ListTicketsQuery) {
  const params = {
    updated_since: query.updatedSince,
    order_by: 'updated_at',
    order_type: 'asc',
    include: 'requester',
    per_page: query.perPage,
    page: query.page,
  };
  const res = await http.get('/tickets', { params });
  const body = parseWith(FsTicketList, res.data, { method: 'GET', path: '/tickets' });
  return { tickets: body.tickets, next: nextLink(res), date: serverDate(res) };
}

// https://api.freshservice.com/v2/#filter_tickets (query="field:'value'", custom fields without cf_)
export async function filterTickets(http: AxiosInstance, query: string) {
  const res = await http.get('/tickets/filter', { params: { query: `"${query}"` } });
  return parseWith(FsFilterResult, res.data, { method: 'GET', path: '/tickets/filter' });
}

// https://api.freshservice.com/v2/#view_a_ticket
export async function getTicket(http: AxiosInstance, id: string) {
  const res = await http.get(`/tickets/${id}`, { params: { include: 'requester' } });
  return parseWith(FsTicketEnvelope, res.data, { method: 'GET', path: '/tickets/{id}' }).ticket;
}

// https://api.freshservice.com/v2/#create_ticket
export async function createTicket(http: AxiosInstance, body: Record<string, unknown>) {
  const res = await http.post('/tickets', body);
  return parseWith(FsTicketEnvelope, res.data, { method: 'POST', path: '/tickets' }).ticket;
}

// https://api.freshservice.com/v2/#update_ticket_priority
export async function updateTicket(http: AxiosInstance, id: string, body: Record<string, unknown>) {
  const res = await http.put(`/tickets/${id}`, body);
  return parseWith(FsTicketEnvelope, res.data, { method: 'PUT', path: '/tickets/{id}' }).ticket;
}

// https://api.freshservice.com/v2/#list_all_agents
export async function listAgents(http: AxiosInstance, page: number) {
  const res = await http.get('/agents', { params: { per_page: 100, page } });
  return {
    agents: parseWith(FsAgentList, res.data, { method: 'GET', path: '/agents' }).agents,
    next: nextLink(res),
  };
}

// https://api.freshservice.com/v2/#list_all_ticket_conversations
export async function listConversations(http: AxiosInstance, id: string, page: number) {
  const res = await http.get(`/tickets/${id}/conversations`, { params: { per_page: 100, page } });
  const body = parseWith(FsConversationList, res.data, {
    method: 'GET',
    path: '/tickets/{id}/conversations',
  });
  return { conversations: body.conversations, next: nextLink(res) };
}

// https://api.freshservice.com/v2/#create_a_note (private: true is an internal note)
export async function createNote(http: AxiosInstance, id: string, body: { body: string; private: boolean }) {
  const res = await http.post(`/tickets/${id}/notes`, body);
  return parseWith(FsConversationEnvelope, res.data, { method: 'POST', path: '/tickets/{id}/notes' })
    .conversation;
}
