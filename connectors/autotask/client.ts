/**
 * One small function per Autotask REST endpoint the hub calls, each with its doc link. Responses
 * are zod-parsed; failures are `ConnectorError`s from the kit's client. Reads return `{item}` or
 * `{items, pageDetails}`; writes answer only `{itemId}`, so callers read the record back.
 */

import type { z } from 'zod';
import { ConnectorError, parseWith } from '../../src/connector-kit/index.ts';
import {
  AtErrorBody,
  AtFieldsInfo,
  AtItemId,
  AtQueryCount,
  AtTicket,
  AtTicketNote,
  atItem,
  atPage,
} from './api-types.ts';
import type { AtFilter, AtQueryBody } from './filter.ts';
import type { AtApi } from './session.ts';

/**
 * Autotask answers many validation failures with HTTP 500 and `{errors: [...]}` (djat), which the
 * kit would treat as a retryable outage. Writes accept 500 here and turn such bodies into
 * `bad_request`, so the engine does not retry a ticket Autotask will never take.
 */
const WRITE_OPTIONS = {
  validateStatus: (status: number) => (status >= 200 && status < 300) || status === 500,
};

function refusedWrite(res: { status: number; data: unknown }, method: string, path: string): void {
  if (res.status !== 500) return;
  const errors = AtErrorBody.safeParse(res.data);
  if (!errors.success)
    throw new ConnectorError('unavailable', 'Autotask failed', { method, path, status: 500 });
  const first = (errors.data.errors[0] ?? 'no reason given').slice(0, 200);
  throw new ConnectorError('bad_request', `Autotask refused the write: ${first}`, {
    method,
    path,
    status: 500,
  });
}

/** Writes may be attributed to another resource (djat sends the header on writes only). */
function writeHeaders(api: AtApi): Record<string, string> {
  const id = api.config.impersonationResourceId;
  return id === undefined ? {} : { ImpersonationResourceId: String(id) };
}

/** Never send the Secret to a host the zone did not name. */
function sameZone(api: AtApi, url: string, path: string): string {
  if (new URL(url, api.zone.apiBase).origin !== new URL(api.zone.apiBase).origin) {
    throw new ConnectorError('invalid_response', 'nextPageUrl points at a foreign host', {
      method: 'POST',
      path,
    });
  }
  return url;
}

export interface AtQueryPage<T> {
  items: T[];
  nextPageUrl: string | null;
}

// https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/REST/API_Calls/REST_Basic_Query_Calls.htm
// Follow-up pages: re-POST the same body to `pageDetails.nextPageUrl` (djat `fetch_resource`).
export async function queryPage<S extends z.ZodType>(
  api: AtApi,
  entity: string,
  body: AtQueryBody,
  item: S,
  nextPageUrl?: string,
): Promise<AtQueryPage<z.output<S>>> {
  const path = `/${entity}/query`;
  const url = nextPageUrl ? sameZone(api, nextPageUrl, path) : path;
  const res = await api.http.post(url, body);
  const page = parseWith(atPage(item), res.data, { method: 'POST', path });
  return { items: page.items as z.output<S>[], nextPageUrl: page.pageDetails.nextPageUrl ?? null };
}

/** Every page of a query, as they come (Autotask orders by id; there is no sort option). */
export async function* queryPages<S extends z.ZodType>(
  api: AtApi,
  entity: string,
  body: AtQueryBody,
  item: S,
): AsyncIterable<z.output<S>[]> {
  let next: string | undefined;
  for (let i = 0; i < 100_000; i++) {
    const page = await queryPage(api, entity, body, item, next);
    yield page.items;
    if (!page.nextPageUrl || page.items.length === 0) return;
    next = page.nextPageUrl;
  }
}

export async function queryAll<S extends z.ZodType>(
  api: AtApi,
  entity: string,
  body: AtQueryBody,
  item: S,
): Promise<z.output<S>[]> {
  const out: z.output<S>[] = [];
  for await (const items of queryPages(api, entity, body, item)) out.push(...items);
  return out;
}

// https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/REST/API_Calls/REST_Basic_Query_Calls.htm (query/count)
export async function countQuery(api: AtApi, entity: string, filter: AtFilter[]): Promise<number> {
  const path = `/${entity}/query/count`;
  const res = await api.http.post(path, { filter });
  return parseWith(AtQueryCount, res.data, { method: 'POST', path }).queryCount;
}

// https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/REST/Entities/TicketsEntity.htm (GET by id answers `{item: null}` for an unknown id)
export async function getTicket(api: AtApi, id: number): Promise<AtTicket | null> {
  const path = `/Tickets/${id}`;
  const res = await api.http.get(path);
  return parseWith(atItem(AtTicket), res.data, { method: 'GET', path }).item;
}

// https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/REST/Entities/TicketsEntity.htm (create answers `{itemId}` only)
export async function createTicket(api: AtApi, body: Record<string, unknown>): Promise<number> {
  const res = await api.http.post('/Tickets', body, { headers: writeHeaders(api), ...WRITE_OPTIONS });
  refusedWrite(res, 'POST', '/Tickets');
  return parseWith(AtItemId, res.data, { method: 'POST', path: '/Tickets' }).itemId;
}

// https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/REST/Entities/TicketsEntity.htm (PATCH is a sparse update; PUT would null missing fields)
export async function patchTicket(
  api: AtApi,
  body: Record<string, unknown> & { id: number },
): Promise<number> {
  const res = await api.http.patch('/Tickets', body, { headers: writeHeaders(api), ...WRITE_OPTIONS });
  refusedWrite(res, 'PATCH', '/Tickets');
  return parseWith(AtItemId, res.data, { method: 'PATCH', path: '/Tickets' }).itemId;
}

// https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/REST/Entities/TicketNotesEntity.htm (child entities are written through the parent URL)
export async function createTicketNote(api: AtApi, ticketId: number, body: Record<string, unknown>) {
  const path = `/Tickets/${ticketId}/Notes`;
  const res = await api.http.post(path, body, { headers: writeHeaders(api), ...WRITE_OPTIONS });
  refusedWrite(res, 'POST', path);
  return parseWith(AtItemId, res.data, { method: 'POST', path }).itemId;
}

// https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/REST/Entities/TicketNotesEntity.htm
export async function getTicketNote(
  api: AtApi,
  ticketId: number,
  noteId: number,
): Promise<AtTicketNote | null> {
  const path = `/Tickets/${ticketId}/Notes/${noteId}`;
  const res = await api.http.get(path);
  return parseWith(atItem(AtTicketNote), res.data, { method: 'GET', path }).item;
}

// https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/REST/API_Calls/REST_Entity_Information_Calls.htm (picklists are tenant-specific)
export async function getFieldsInfo(api: AtApi, entity: string): Promise<AtFieldsInfo> {
  const path = `/${entity}/entityInformation/fields`;
  const res = await api.http.get(path);
  return parseWith(AtFieldsInfo, res.data, { method: 'GET', path });
}

// https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/Webhooks/REST_WebhooksEntity.htm
export async function createEntity(api: AtApi, path: string, body: Record<string, unknown>): Promise<number> {
  const res = await api.http.post(path, body, { headers: writeHeaders(api), ...WRITE_OPTIONS });
  refusedWrite(res, 'POST', path);
  return parseWith(AtItemId, res.data, { method: 'POST', path }).itemId;
}

// https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/Webhooks/REST_WebhooksEntity.htm
export async function patchEntity(api: AtApi, path: string, body: Record<string, unknown>): Promise<number> {
  const res = await api.http.patch(path, body, { headers: writeHeaders(api), ...WRITE_OPTIONS });
  refusedWrite(res, 'PATCH', path);
  return parseWith(AtItemId, res.data, { method: 'PATCH', path }).itemId;
}
