/**
 * The memory vendor's wire format and one function per endpoint, laid out as a real connector's
 * `api-types.ts` + `client.ts` would be: responses are zod-checked with `parseWith`.
 */
import type { AxiosInstance } from 'axios';
import { z } from 'zod';
import type { ConnectorContext } from '../contract.ts';
import { isConnectorError } from '../errors.ts';
import { parseWith } from '../http.ts';

export const MemTicketSchema = z.object({
  id: z.number().int(),
  subject: z.string(),
  body: z.string().nullable(),
  state: z.string(),
  urgency: z.string(),
  owner: z.string().nullable(),
  xref: z.string().nullable(),
  customer: z.string(),
  kind: z.string().nullable(),
  created: z.coerce.date(),
  updated: z.coerce.date(),
});
export type MemTicket = z.infer<typeof MemTicketSchema>;

export const MemCommentSchema = z.object({
  id: z.number().int(),
  text: z.string(),
  private: z.boolean(),
  author: z.string(),
  created: z.coerce.date(),
});
export type MemComment = z.infer<typeof MemCommentSchema>;

const MemListSchema = z.object({ items: z.array(MemTicketSchema), has_more: z.boolean() });
const MemTicketEnvelope = z.object({ ticket: MemTicketSchema });
const MemCommentsEnvelope = z.object({ comments: z.array(MemCommentSchema) });
const MemCommentEnvelope = z.object({ comment: MemCommentSchema });

export interface MemoryConfigShape {
  baseUrl: string;
  apiToken: string;
}

export function memoryClient(ctx: ConnectorContext<MemoryConfigShape>): AxiosInstance {
  // Called in every operation: the kit's factory returns the same client for the same options.
  return ctx.http({
    baseURL: ctx.config.baseUrl,
    headers: { authorization: `Bearer ${ctx.config.apiToken}` },
  });
}

export async function getMe(http: AxiosInstance): Promise<void> {
  await http.get('/api/me');
}

export interface ListParams {
  updated_since?: string;
  updated_after?: string;
  after_id?: number;
  xref?: string;
  /** Comma-separated customers: the server-side scope filter. */
  customer?: string;
  offset?: number;
  limit: number;
}

export async function listTickets(http: AxiosInstance, params: ListParams) {
  const { data } = await http.get('/api/tickets', { params });
  return parseWith(MemListSchema, data, { method: 'GET', path: '/api/tickets' });
}

export async function getTicketById(http: AxiosInstance, id: string): Promise<MemTicket | null> {
  const path = `/api/tickets/${encodeURIComponent(id)}`;
  try {
    const { data } = await http.get(path);
    return parseWith(MemTicketEnvelope, data, { method: 'GET', path }).ticket;
  } catch (err) {
    if (isConnectorError(err) && err.kind === 'not_found') return null;
    throw err;
  }
}

export async function postTicket(http: AxiosInstance, fields: Record<string, unknown>): Promise<MemTicket> {
  const { data } = await http.post('/api/tickets', fields);
  return parseWith(MemTicketEnvelope, data, { method: 'POST', path: '/api/tickets' }).ticket;
}

export async function patchTicket(http: AxiosInstance, id: string, fields: Record<string, unknown>) {
  const path = `/api/tickets/${encodeURIComponent(id)}`;
  const { data } = await http.patch(path, fields);
  return parseWith(MemTicketEnvelope, data, { method: 'PATCH', path }).ticket;
}

export async function getComments(http: AxiosInstance, id: string): Promise<MemComment[]> {
  const path = `/api/tickets/${encodeURIComponent(id)}/comments`;
  const { data } = await http.get(path);
  return parseWith(MemCommentsEnvelope, data, { method: 'GET', path }).comments;
}

export async function postComment(http: AxiosInstance, id: string, fields: Record<string, unknown>) {
  const path = `/api/tickets/${encodeURIComponent(id)}/comments`;
  const { data } = await http.post(path, fields);
  return parseWith(MemCommentEnvelope, data, { method: 'POST', path }).comment;
}
