/**
 * One small function per RT REST2 endpoint the connector uses, each response parsed with zod.
 * Reference: https://docs.bestpractical.com/rt/5.0.3/RT/REST2.html (paths below are relative
 * to `<baseUrl>/REST/2.0`). Errors arrive as `ConnectorError` from the kit's HTTP client.
 */
import type { AxiosInstance } from 'axios';
import { type ConnectorContext, parseWith } from '../../src/connector-kit/index.ts';
import {
  RtAttachmentCollection,
  RtCreated,
  RtMessages,
  RtQueue,
  RtSystemInfo,
  RtTicket,
  RtTicketCollection,
  RtTransaction,
  RtTransactionCollection,
  RtUserCollection,
} from './api-types.ts';
import { authHeaders, type RtConfig, restRoot } from './config.ts';

export function createRtHttp(ctx: ConnectorContext<RtConfig>): AxiosInstance {
  return ctx.http({ baseURL: restRoot(ctx.config.baseUrl), headers: authHeaders(ctx.config) });
}

/** Sub-fields expanded on every user reference, so one request yields names and emails. */
const USER_FIELDS = 'Name,EmailAddress,RealName';
export const TICKET_FIELDS = 'Subject,Status,Priority,Owner,Queue,Requestor,Created,LastUpdated,CustomFields';
const TICKET_PARAMS = {
  fields: TICKET_FIELDS,
  'fields[Owner]': USER_FIELDS,
  'fields[Requestor]': USER_FIELDS,
  'fields[Queue]': 'Name',
};

// https://docs.bestpractical.com/rt/5.0.3/RT/REST2.html#Users (POST /users: a JSON search)
export async function searchUsersByEmail(http: AxiosInstance, email: string) {
  const res = await http.post('/users', [{ field: 'EmailAddress', operator: '=', value: email }], {
    params: { fields: USER_FIELDS },
  });
  return parseWith(RtUserCollection, res.data, { method: 'POST', path: '/users' });
}

// https://docs.bestpractical.com/rt/5.0.3/RT/REST2.html#Tickets (GET /tickets?query=<TicketSQL>)
export async function searchTickets(
  http: AxiosInstance,
  query: string,
  opts: { perPage: number; page?: number },
) {
  // Repeated orderby/order: sort by LastUpdated, then id, both ascending (keyset pagination).
  const params = new URLSearchParams({ query, ...TICKET_PARAMS, per_page: String(opts.perPage) });
  params.set('page', String(opts.page ?? 1));
  for (const field of ['LastUpdated', 'id']) {
    params.append('orderby', field);
    params.append('order', 'ASC');
  }
  const res = await http.get('/tickets', { params });
  return parseWith(RtTicketCollection, res.data, { method: 'GET', path: '/tickets' });
}

// https://docs.bestpractical.com/rt/5.0.3/RT/REST2.html#Tickets (GET /ticket/:id)
export async function getTicket(http: AxiosInstance, id: string) {
  const res = await http.get(`/ticket/${id}`, { params: TICKET_PARAMS });
  return parseWith(RtTicket, res.data, { method: 'GET', path: '/ticket/:id' });
}

// https://docs.bestpractical.com/rt/5.0.3/RT/REST2.html#Tickets (POST /ticket)
export async function createTicket(http: AxiosInstance, body: Record<string, unknown>): Promise<string> {
  const res = await http.post('/ticket', body);
  return parseWith(RtCreated, res.data, { method: 'POST', path: '/ticket' }).id;
}

/**
 * https://docs.bestpractical.com/rt/5.0.3/RT/REST2.html#Tickets (PUT /ticket/:id)
 * RT answers 200 with one message per change, and also 200 when it refused a change
 * ("That user may not own tickets in that queue"): callers verify by reading the ticket back.
 */
export async function updateTicket(http: AxiosInstance, id: string, body: Record<string, unknown>) {
  const res = await http.put(`/ticket/${id}`, body);
  return parseWith(RtMessages, res.data, { method: 'PUT', path: '/ticket/:id' });
}

/**
 * https://docs.bestpractical.com/rt/5.0.3/RT/REST2.html#Ticket-Correspondence-and-Comments
 * POST /ticket/:id/correspond (public reply) or /comment (internal). The answer body is only
 * `["Correspondence added"]`; the new transaction is in the `Location` header.
 */
export async function addTicketMessage(
  http: AxiosInstance,
  id: string,
  kind: 'correspond' | 'comment',
  content: string,
): Promise<string | null> {
  const res = await http.post(`/ticket/${id}/${kind}`, { Content: content, ContentType: 'text/plain' });
  parseWith(RtMessages, res.data, { method: 'POST', path: `/ticket/:id/${kind}` });
  const location: unknown = res.headers.location;
  const match = typeof location === 'string' ? /\/transaction\/(\d+)\/?$/.exec(location) : null;
  return match?.[1] ?? null;
}

const TRANSACTION_PARAMS = { fields: 'Type,Created,Creator', 'fields[Creator]': USER_FIELDS };

// https://docs.bestpractical.com/rt/5.0.3/RT/REST2.html#Transactions (GET /ticket/:id/history)
export async function getTicketHistory(http: AxiosInstance, id: string, page: number, perPage = 100) {
  const res = await http.get(`/ticket/${id}/history`, {
    params: { ...TRANSACTION_PARAMS, per_page: perPage, page },
  });
  return parseWith(RtTransactionCollection, res.data, { method: 'GET', path: '/ticket/:id/history' });
}

// https://docs.bestpractical.com/rt/5.0.3/RT/REST2.html#Transactions (GET /transaction/:id)
export async function getTransaction(http: AxiosInstance, id: string) {
  const res = await http.get(`/transaction/${id}`, { params: { 'fields[Creator]': USER_FIELDS } });
  return parseWith(RtTransaction, res.data, { method: 'GET', path: '/transaction/:id' });
}

// Never ask for `Parent` here: on 5.0.3 it makes the whole collection answer 500.
const ATTACHMENT_PARAMS = { fields: 'TransactionId,ContentType,Content,Filename' };

// https://docs.bestpractical.com/rt/5.0.3/RT/REST2.html#Attachments (GET /ticket/:id/attachments)
export async function getTicketAttachments(http: AxiosInstance, id: string, page: number, perPage = 100) {
  const res = await http.get(`/ticket/${id}/attachments`, {
    params: { ...ATTACHMENT_PARAMS, per_page: perPage, page },
  });
  return parseWith(RtAttachmentCollection, res.data, { method: 'GET', path: '/ticket/:id/attachments' });
}

// https://docs.bestpractical.com/rt/5.0.3/RT/REST2.html#Attachments (GET /transaction/:id/attachments)
export async function getTransactionAttachments(http: AxiosInstance, id: string) {
  const res = await http.get(`/transaction/${id}/attachments`, {
    params: { ...ATTACHMENT_PARAMS, per_page: 100 },
  });
  return parseWith(RtAttachmentCollection, res.data, { method: 'GET', path: '/transaction/:id/attachments' });
}

// https://docs.bestpractical.com/rt/5.0.3/RT/REST2.html#Queues (GET /queue/:name)
export async function getQueue(http: AxiosInstance, nameOrId: string) {
  const res = await http.get(`/queue/${encodeURIComponent(nameOrId)}`);
  return parseWith(RtQueue, res.data, { method: 'GET', path: '/queue/:name' });
}

// https://docs.bestpractical.com/rt/5.0.3/RT/REST2.html (GET /rt: version and plugins)
export async function getSystemInfo(http: AxiosInstance) {
  const res = await http.get('/rt');
  return parseWith(RtSystemInfo, res.data, { method: 'GET', path: '/rt' });
}
