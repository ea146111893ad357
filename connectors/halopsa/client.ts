/**
 * One small function per HaloPSA endpoint the hub calls. Every call carries a bearer token from
 * `auth.ts` (refreshed once on a 401) and goes through the kit's HTTP client (retries on 429 after
 * `Retry-After`, limits, `ConnectorError` mapping); every response is zod-parsed. Halo documents
 * its API per instance at `{baseUrl}/apidoc` and publicly at halopsa.com/apidoc; the OpenAPI spec
 * (`Faults`, `Actions`) is the source for paths and parameters.
 */
import type { AxiosInstance } from 'axios';
import type { z } from 'zod';
import { type ConnectorContext, parseWith } from '../../src/connector-kit/index.ts';
import {
  type HaloAction,
  HaloActionList,
  HaloActionWriteResult,
  HaloAgent,
  HaloStatus,
  HaloTicket,
  HaloTicketList,
  HaloTicketWriteResult,
} from './api-types.ts';
import { withToken } from './auth.ts';
import { apiUrlOf, type HaloConfig } from './config.ts';

type Ctx = ConnectorContext<HaloConfig>;

export type HaloParams = Record<string, string | number | boolean | undefined>;

function http(ctx: Ctx): AxiosInstance {
  // No auth header here: tokens rotate, and the kit caches one client (one limiter) per options.
  return ctx.http({ baseURL: apiUrlOf(ctx.config), maxRequestsPerSecond: ctx.config.maxRequestsPerSecond });
}

async function get<S extends z.ZodType>(ctx: Ctx, path: string, schema: S, params?: HaloParams) {
  const res = await withToken(ctx, (authorization) =>
    http(ctx).get(path, { params, headers: { authorization } }),
  );
  return parseWith(schema, res.data, { method: 'GET', path });
}

async function post<S extends z.ZodType>(ctx: Ctx, path: string, body: unknown, schema: S) {
  const res = await withToken(ctx, (authorization) =>
    http(ctx).post(path, body, { headers: { authorization } }),
  );
  return parseWith(schema, res.data, { method: 'POST', path });
}

/** A POST of a one-element array answers the saved object (or, UNCONFIRMED, an array of them). */
function single<T>(result: T | T[]): T {
  return Array.isArray(result) ? (result[0] as T) : result;
}

// https://halopsa.com/apidoc/resources/tickets (GET /api/Tickets: pageinate, page_size <= 100, page_no)
export async function listTickets(ctx: Ctx, params: HaloParams): Promise<HaloTicketList> {
  return get(ctx, '/Tickets', HaloTicketList, { pageinate: true, ...params });
}

// https://halopsa.com/apidoc/resources/tickets (GET /api/Tickets/{id})
export async function getTicket(ctx: Ctx, id: number): Promise<HaloTicket> {
  return get(ctx, `/Tickets/${id}`, HaloTicket, { includedetails: true, nocache: true });
}

/** Create (no `id`) or update (with `id`): Halo saves tickets by POSTing an array to one path. */
// https://halopsa.com/apidoc/resources/tickets (POST /api/Tickets, body: array of Faults)
export async function saveTicket(ctx: Ctx, ticket: Record<string, unknown>): Promise<HaloTicket> {
  return single(await post(ctx, '/Tickets', [ticket], HaloTicketWriteResult));
}

// https://halopsa.com/apidoc/resources/actions (GET /api/Actions?ticket_id=N)
export async function listActions(ctx: Ctx, ticketId: number): Promise<HaloAction[]> {
  const list = await get(ctx, '/Actions', HaloActionList, { ticket_id: ticketId, excludesys: true });
  return list.actions;
}

// https://halopsa.com/apidoc/resources/actions (POST /api/Actions, body: array of Actions)
export async function createAction(ctx: Ctx, action: Record<string, unknown>): Promise<HaloAction> {
  return single(await post(ctx, '/Actions', [action], HaloActionWriteResult));
}

// https://halopsa.com/apidoc/resources/agents (GET /api/Agent)
export async function listAgents(ctx: Ctx): Promise<HaloAgent[]> {
  return get(ctx, '/Agent', HaloAgent.array());
}

// https://halopsa.com/apidoc/resources/status (GET /api/Status)
export async function listStatuses(ctx: Ctx): Promise<HaloStatus[]> {
  return get(ctx, '/Status', HaloStatus.array());
}
