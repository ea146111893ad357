/**
 * One small function per ConnectWise endpoint the hub calls. Responses are zod-parsed; errors
 * are mapped to `ConnectorError` by the kit's HTTP client. Endpoint docs live in CW's developer
 * portal (login required); the links below point at the operation in the PSA REST reference.
 */
import type { AxiosInstance } from 'axios';
import type { z } from 'zod';
import { type ConnectorContext, ConnectorError, parseWith } from '../../src/connector-kit/index.ts';
import {
  CwBoard,
  CwBoardStatus,
  CwCallbackEntry,
  CwCompany,
  CwMember,
  CwNote,
  type CwPatchOperation,
  CwPriority,
  CwSystemInfo,
  CwTicket,
  CwTicketList,
} from './api-types.ts';
import type { ConnectWiseConfig } from './config.ts';
import { parseLinkHeader } from './link-header.ts';

/** CW's versioned media type; 2021.1 is what connectwise-rest pins. */
export const CW_ACCEPT = 'application/vnd.connectwise.com+json; version=2021.1';

export function cwAuthorization(config: Pick<ConnectWiseConfig, 'companyId' | 'publicKey' | 'privateKey'>) {
  const raw = `${config.companyId}+${config.publicKey}:${config.privateKey}`;
  return `Basic ${Buffer.from(raw, 'utf8').toString('base64')}`;
}

/** The connection's client; the kit's factory returns the same instance for the same options. */
export function createCwHttp(ctx: ConnectorContext<ConnectWiseConfig>): AxiosInstance {
  const { config } = ctx;
  return ctx.http({
    baseURL: config.baseUrl,
    headers: { authorization: cwAuthorization(config), clientId: config.clientId, accept: CW_ACCEPT },
  });
}

async function get<S extends z.ZodType>(http: AxiosInstance, path: string, schema: S, params?: object) {
  const res = await http.get(path, { params });
  return parseWith(schema, res.data, { method: 'GET', path });
}

export interface CwListParams {
  conditions?: string;
  orderBy?: string;
  page?: number;
  pageSize: number;
}

/** Never send the Basic credentials to a host a `Link` header names unless it is CW's own. */
function sameOrigin(http: AxiosInstance, url: string, path: string): string {
  const base = new URL(http.defaults.baseURL ?? '');
  if (new URL(url, base).origin !== base.origin) {
    throw new ConnectorError('invalid_response', 'Link header points at a foreign host', {
      method: 'GET',
      path,
    });
  }
  return url;
}

const LIST_PAGE_SIZE = 1000;

/**
 * Every record of an id-ordered list, following `Link rel="next"` (which keeps the original query,
 * unlike a hand-built URL) and, should CW send no Link, `page + 1` while pages come back full.
 */
async function listAll<S extends z.ZodType>(
  http: AxiosInstance,
  path: string,
  schema: S,
  params: object = {},
) {
  const items: z.output<S>[] = [];
  const query = { orderBy: 'id asc', ...params, pageSize: LIST_PAGE_SIZE };
  let request: { url: string; params?: object } = { url: path, params: { ...query, page: 1 } };
  for (let page = 1; page <= 10_000; page++) {
    const res = await http.get(request.url, { params: request.params });
    const batch = parseWith(schema.array(), res.data, { method: 'GET', path });
    items.push(...batch);
    const next = parseLinkHeader(typeof res.headers['link'] === 'string' ? res.headers['link'] : undefined)[
      'next'
    ];
    if (next) request = { url: sameOrigin(http, next, path) };
    else if (batch.length >= LIST_PAGE_SIZE) request = { url: path, params: { ...query, page: page + 1 } };
    else break;
  }
  return items;
}

// https://developer.connectwise.com/Products/ConnectWise_PSA/REST#/Tickets/getServiceTickets
export async function listTickets(http: AxiosInstance, params: CwListParams): Promise<CwTicket[]> {
  return get(http, '/service/tickets', CwTicketList, params);
}

// https://developer.connectwise.com/Products/ConnectWise_PSA/REST#/Tickets/getServiceTicketsById
export async function getTicket(http: AxiosInstance, id: number): Promise<CwTicket> {
  return get(http, `/service/tickets/${id}`, CwTicket);
}

// https://developer.connectwise.com/Products/ConnectWise_PSA/REST#/Tickets/postServiceTickets
export async function createTicket(http: AxiosInstance, body: Record<string, unknown>): Promise<CwTicket> {
  const res = await http.post('/service/tickets', body);
  return parseWith(CwTicket, res.data, { method: 'POST', path: '/service/tickets' });
}

// https://developer.connectwise.com/Products/ConnectWise_PSA/REST#/Tickets/patchServiceTicketsById
export async function patchTicket(
  http: AxiosInstance,
  id: number,
  ops: CwPatchOperation[],
): Promise<CwTicket> {
  const path = `/service/tickets/${id}`;
  const res = await http.patch(path, ops);
  return parseWith(CwTicket, res.data, { method: 'PATCH', path });
}

// https://developer.connectwise.com/Products/ConnectWise_PSA/REST#/TicketNotes/getServiceTicketsByParentIdNotes
export async function listNotes(http: AxiosInstance, ticketId: number) {
  return listAll(http, `/service/tickets/${ticketId}/notes`, CwNote);
}

// https://developer.connectwise.com/Products/ConnectWise_PSA/REST#/TicketNotes/postServiceTicketsByParentIdNotes
export async function createNote(http: AxiosInstance, ticketId: number, body: Record<string, unknown>) {
  const path = `/service/tickets/${ticketId}/notes`;
  const res = await http.post(path, body);
  return parseWith(CwNote, res.data, { method: 'POST', path });
}

// https://developer.connectwise.com/Products/ConnectWise_PSA/REST#/Boards/getServiceBoards
export async function findBoardsByName(http: AxiosInstance, conditions: string) {
  return get(http, '/service/boards', CwBoard.array(), { conditions, pageSize: 10 });
}

// https://developer.connectwise.com/Products/ConnectWise_PSA/REST#/Companies/getCompanyCompanies
export async function findCompanies(http: AxiosInstance, conditions: string) {
  return get(http, '/company/companies', CwCompany.array(), { conditions, pageSize: 1000 });
}

// https://developer.connectwise.com/Products/ConnectWise_PSA/REST#/BoardStatuses/getServiceBoardsByParentIdStatuses
export async function listBoardStatuses(http: AxiosInstance, boardId: number) {
  return get(http, `/service/boards/${boardId}/statuses`, CwBoardStatus.array(), { pageSize: 1000 });
}

// https://developer.connectwise.com/Products/ConnectWise_PSA/REST#/Priorities/getServicePriorities
export async function listPriorities(http: AxiosInstance) {
  return get(http, '/service/priorities', CwPriority.array(), { pageSize: 1000 });
}

// https://developer.connectwise.com/Products/ConnectWise_PSA/REST#/Members/getSystemMembers
export async function listMembers(http: AxiosInstance) {
  return listAll(http, '/system/members', CwMember);
}

// https://developer.connectwise.com/Products/ConnectWise_PSA/REST#/Info/getSystemInfo
export async function getSystemInfo(http: AxiosInstance) {
  return get(http, '/system/info', CwSystemInfo);
}

// https://developer.connectwise.com/Products/ConnectWise_PSA/REST#/Callbacks/getSystemCallbacks
export async function listCallbacks(http: AxiosInstance) {
  return listAll(http, '/system/callbacks', CwCallbackEntry);
}

// https://developer.connectwise.com/Products/ConnectWise_PSA/REST#/Callbacks/postSystemCallbacks
export async function createCallback(http: AxiosInstance, body: Record<string, unknown>) {
  const res = await http.post('/system/callbacks', body);
  return parseWith(CwCallbackEntry, res.data, { method: 'POST', path: '/system/callbacks' });
}

// https://developer.connectwise.com/Products/ConnectWise_PSA/REST#/Callbacks/patchSystemCallbacksById
export async function patchCallback(http: AxiosInstance, id: number, ops: CwPatchOperation[]) {
  const path = `/system/callbacks/${id}`;
  const res = await http.patch(path, ops);
  return parseWith(CwCallbackEntry, res.data, { method: 'PATCH', path });
}
