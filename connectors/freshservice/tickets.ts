/**
 * Reading and writing single tickets, and `check()`. Freshservice answers writes with the ticket
 * as it now holds it; the requester's name and email come only with `include=requester` on reads,
 * so a create reads its ticket back once.
 */
import type { AxiosInstance } from 'axios';
import {
  type CheckResult,
  type ConnectorContext,
  ConnectorError,
  isConnectorError,
  resolveCreateScope,
  type TicketDraft,
  type TicketPatch,
  type TicketRecord,
} from '../../src/connector-kit/index.ts';
import { agentDirectory } from './agents.ts';
import type { FsTicket } from './api-types.ts';
import * as fs from './client.ts';
import type { FreshserviceConfig } from './config.ts';
import { filterFieldOf, toFsCreateBody, toFsUpdateBody, toTicketRecord } from './mapping.ts';

type Ctx = ConnectorContext<FreshserviceConfig>;

const isFsId = (id: string) => /^\d{1,15}$/.test(id);

async function toRecord(ctx: Ctx, http: AxiosInstance, ticket: FsTicket): Promise<TicketRecord> {
  const agents = await agentDirectory(ctx, http, [ticket.responder_id]);
  const { maps, config } = ctx;
  return toTicketRecord(ticket, {
    maps,
    agents,
    baseUrl: config.baseUrl,
    correlationField: config.correlationField,
  });
}

async function readTicket(ctx: Ctx, http: AxiosInstance, id: string): Promise<TicketRecord | null> {
  if (!isFsId(id)) return null;
  try {
    return await toRecord(ctx, http, await fs.getTicket(http, id));
  } catch (err) {
    if (isConnectorError(err) && err.kind === 'not_found') return null;
    throw err;
  }
}

export async function getTicket(ctx: Ctx, id: string): Promise<TicketRecord | null> {
  return readTicket(ctx, fs.createFsHttp(ctx), id);
}

/** A department or group id (scope key, area-map queue) as the number Freshservice wants. */
function toFsNumber(value: string, what: string): number {
  if (!isFsId(value)) {
    throw new ConnectorError('bad_request', `"${value.slice(0, 40)}" is not a Freshservice ${what} id`);
  }
  return Number(value);
}

/** Filter-query literal: single quotes delimit values, so they cannot appear in one. */
function correlationQuery(config: FreshserviceConfig, hubTicketId: string): string {
  if (!/^[\w.:-]+$/.test(hubTicketId))
    throw new ConnectorError('bad_request', 'the hub ticket id cannot be searched in Freshservice');
  return `${filterFieldOf(config.correlationField)}:'${hubTicketId}'`;
}

export async function createTicket(ctx: Ctx, draft: TicketDraft): Promise<TicketRecord> {
  // Before any request: a department outside the connection's scope is refused, nothing written.
  const fallback = ctx.config.departmentId === undefined ? null : String(ctx.config.departmentId);
  const department = resolveCreateScope(ctx, draft, fallback);
  const http = fs.createFsHttp(ctx);
  const existing = await fs.filterTickets(http, correlationQuery(ctx.config, draft.hubTicketId));
  // The filter may match loosely; the oldest ticket carrying exactly this id is the link.
  const linked = existing.tickets
    .filter((t) => t.custom_fields?.[ctx.config.correlationField] === draft.hubTicketId)
    .sort((a, b) => a.id - b.id)[0];
  if (linked) return (await readTicket(ctx, http, String(linked.id))) ?? toRecord(ctx, http, linked);
  const body = toFsCreateBody(draft, ctx.maps, ctx.config);
  if (department !== null) body.department_id = toFsNumber(department, 'department');
  if (draft.queue) body.group_id = toFsNumber(draft.queue, 'group');
  const created = await fs.createTicket(http, body);
  return (await readTicket(ctx, http, String(created.id))) ?? toRecord(ctx, http, created);
}

export async function updateTicket(ctx: Ctx, id: string, patch: TicketPatch): Promise<TicketRecord> {
  if (!isFsId(id)) throw new ConnectorError('not_found', `"${id}" is not a Freshservice ticket id`);
  const http = fs.createFsHttp(ctx);
  const body = toFsUpdateBody(patch, ctx.maps);
  if (Object.keys(body).length > 0) return toRecord(ctx, http, await fs.updateTicket(http, id, body));
  const record = await readTicket(ctx, http, id);
  if (!record) throw new ConnectorError('not_found', `Freshservice ticket ${id} does not exist`);
  return record;
}

function reasonFor(err: unknown, config: FreshserviceConfig): string {
  if (!isConnectorError(err)) return 'the Freshservice check failed unexpectedly';
  switch (err.kind) {
    case 'auth':
      return `Freshservice rejected the API key (HTTP ${err.status ?? '?'}): check the key, and that its agent is active and may view tickets`;
    case 'not_found':
      return `no Freshservice API at ${config.baseUrl} (HTTP 404): baseUrl should look like https://<domain>.freshservice.com`;
    case 'bad_request':
      return `Freshservice cannot filter tickets on ${config.correlationField} (HTTP ${err.status ?? '?'}): create it as a single-line text ticket field (see the connector README) or fix correlationField`;
    case 'unavailable':
    case 'rate_limited':
      return `Freshservice did not answer at ${config.baseUrl} (${err.kind}${err.status ? `, HTTP ${err.status}` : ''}): try again later`;
    default:
      return `the answer from ${config.baseUrl} does not look like the Freshservice API (${err.kind})`;
  }
}

/** Lists one ticket (proves the key) and runs the correlation filter (proves the field). */
export async function checkConnection(ctx: Ctx): Promise<CheckResult> {
  try {
    const http = fs.createFsHttp(ctx);
    await fs.listTickets(http, { updatedSince: '1970-01-01T00:00:00Z', page: 1, perPage: 1 });
    await fs.filterTickets(http, correlationQuery(ctx.config, 'hub-check'));
    return {
      ok: true,
      detail: `Freshservice at ${ctx.config.baseUrl}, correlation field ${ctx.config.correlationField}`,
    };
  } catch (err) {
    return { ok: false, reason: reasonFor(err, ctx.config) };
  }
}
