/**
 * Ticket reads and writes: `check`, `getTicket`, `createTicket` (idempotent through
 * `third_party_id_string`) and `updateTicket`. Halo creates and updates with the same call: an
 * array POSTed to `/api/Tickets`, where an element with `id` updates that ticket.
 */
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
import type { HaloTicket } from './api-types.ts';
import * as halo from './client.ts';
import type { HaloConfig } from './config.ts';
import { loadAgents } from './lookups.ts';
import { assignedAgentId, toHaloSummary, toTicketRecord } from './mapping.ts';
import { toClientId } from './pull.ts';

type Ctx = ConnectorContext<HaloConfig>;

export function parseHaloId(externalId: string, what = 'ticket'): number {
  if (!/^\d{1,10}$/.test(externalId) || Number(externalId) < 1) {
    throw new ConnectorError('bad_request', `"${externalId.slice(0, 20)}" is not a HaloPSA ${what} id`);
  }
  return Number(externalId);
}

export async function toRecord(ctx: Ctx, ticket: HaloTicket): Promise<TicketRecord> {
  const agentId = assignedAgentId(ticket);
  const agents = await loadAgents(ctx, agentId === null ? [] : [agentId]);
  return toTicketRecord(ticket, { maps: ctx.maps, baseUrl: ctx.config.baseUrl, agents });
}

const CHECK_REASONS: Partial<Record<ConnectorError['kind'], string>> = {
  auth: "HaloPSA rejected the client credentials or token: check clientId, clientSecret, tenant and the application's permissions",
  not_found: 'HaloPSA answered 404: check baseUrl (https://{host}, without /api) and authServerUrl',
  rate_limited: 'HaloPSA is rate limiting this integration; try again later',
};

/**
 * A token proves the credentials; `GET /api/Status` proves the API and the permissions, and
 * that every status id the connection writes exists on this instance.
 */
export async function checkConnection(ctx: Ctx): Promise<CheckResult> {
  try {
    const statuses = new Set((await halo.listStatuses(ctx)).map((s) => String(s.id)));
    const unknown = Object.entries(ctx.maps.status.fromCanonical).filter(([, id]) => !statuses.has(id));
    if (unknown.length > 0) {
      const list = unknown.map(([status, id]) => `${status} -> ${id}`).join(', ');
      return {
        ok: false,
        reason: `status ids not found in GET /api/Status: ${list}; override the status map`,
      };
    }
    await halo.listTickets(ctx, { page_size: 1, page_no: 1 });
    return { ok: true, detail: `${statuses.size} statuses` };
  } catch (err) {
    if (!isConnectorError(err)) return { ok: false, reason: 'unexpected error while checking HaloPSA' };
    const fallback =
      err.kind === 'unavailable' ? `HaloPSA is unreachable or failing: ${err.message}` : err.message;
    return { ok: false, reason: CHECK_REASONS[err.kind] ?? fallback };
  }
}

export async function getTicket(ctx: Ctx, externalId: string): Promise<TicketRecord | null> {
  try {
    const ticket = await halo.getTicket(ctx, parseHaloId(externalId));
    return ticket.deleted ? null : await toRecord(ctx, ticket);
  } catch (err) {
    if (isConnectorError(err) && err.kind === 'not_found') return null;
    throw err;
  }
}

/**
 * The ticket already carrying `hubTicketId`. Halo offers no filter on `third_party_id_string`, so
 * this uses the free-text `search` and matches exactly here (whether `search` covers that field
 * is UNCONFIRMED; the simulator assumes it does).
 */
export async function findCorrelated(ctx: Ctx, hubTicketId: string): Promise<HaloTicket | undefined> {
  const list = await halo.listTickets(ctx, { search: hubTicketId, page_size: 100, page_no: 1, order: 'id' });
  return list.tickets.find((t) => t.third_party_id_string === hubTicketId && !t.deleted);
}

/** Look for the correlation key first, so a retry after a crash links instead of duplicating. */
export async function createTicket(ctx: Ctx, draft: TicketDraft): Promise<TicketRecord> {
  // Before any request: a client outside the connection's scope is refused, nothing written.
  const fallback = ctx.config.customerId === undefined ? null : String(ctx.config.customerId);
  const clientKey = resolveCreateScope(ctx, draft, fallback);
  const existing = await findCorrelated(ctx, draft.hubTicketId);
  if (existing) return toRecord(ctx, existing);
  const { config, maps } = ctx;
  const body: Record<string, unknown> = {
    summary: toHaloSummary(draft.title),
    details: draft.description ?? '',
    status_id: mappedId(maps.status.fromCanonical[draft.status], 'status'),
    priority_id: mappedId(maps.priority.fromCanonical[draft.priority], 'priority'),
    third_party_id_string: draft.hubTicketId,
  };
  if (clientKey !== null) body['client_id'] = toClientId(clientKey);
  if (config.ticketTypeId !== undefined) body['tickettype_id'] = config.ticketTypeId;
  // The area map's team (Halo's queue) wins over the configured one.
  const team = draft.queue ?? config.teamName;
  if (team !== undefined) body['team'] = team;
  if (draft.assigneeExternalId) body['agent_id'] = parseHaloId(draft.assigneeExternalId, 'agent');
  if (draft.requesterEmail) body['reportedby'] = draft.requesterEmail;
  return toRecord(ctx, await halo.saveTicket(ctx, body));
}

/** A mapped status or priority id as Halo wants it: an int. A non-numeric override is a config error. */
export function mappedId(value: string, what: string): number {
  if (!/^\d{1,9}$/.test(value)) {
    throw new ConnectorError(
      'bad_request',
      `the ${what} map names "${value.slice(0, 20)}", not a HaloPSA id`,
    );
  }
  return Number(value);
}

export function toTicketUpdate(ctx: Ctx, id: number, patch: TicketPatch): Record<string, unknown> {
  const body: Record<string, unknown> = { id };
  if (patch.title !== undefined) body['summary'] = toHaloSummary(patch.title);
  if (patch.status !== undefined)
    body['status_id'] = mappedId(ctx.maps.status.fromCanonical[patch.status], 'status');
  if (patch.priority !== undefined)
    body['priority_id'] = mappedId(ctx.maps.priority.fromCanonical[patch.priority], 'priority');
  // Halo stores "no agent" as 0 (UNCONFIRMED that null is refused; 0 is what unassigned tickets show).
  if (patch.assigneeExternalId === null) body['agent_id'] = 0;
  else if (patch.assigneeExternalId !== undefined) {
    body['agent_id'] = parseHaloId(patch.assigneeExternalId, 'agent');
  }
  return body;
}

export async function updateTicket(ctx: Ctx, externalId: string, patch: TicketPatch): Promise<TicketRecord> {
  const id = parseHaloId(externalId);
  const body = toTicketUpdate(ctx, id, patch);
  if (Object.keys(body).length === 1) return toRecord(ctx, await halo.getTicket(ctx, id));
  return toRecord(ctx, await halo.saveTicket(ctx, body));
}
