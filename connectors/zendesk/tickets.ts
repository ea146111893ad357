/**
 * Reading and writing single tickets, and `check()`. Zendesk answers writes with the ticket but
 * without sideloaded users, so each write reads the ticket back with `include=users` to return
 * assignee and requester emails, which is how the hub matches people across tools.
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
import type { ZdTicketEnvelope } from './api-types.ts';
import * as zd from './client.ts';
import type { ZendeskConfig } from './config.ts';
import { indexUsers, toTicketRecord, toZdCreateBody, toZdUpdateBody } from './mapping.ts';

type Ctx = ConnectorContext<ZendeskConfig>;

const isZdId = (id: string) => /^\d{1,15}$/.test(id);

function toRecord(ctx: Ctx, envelope: Pick<ZdTicketEnvelope, 'ticket' | 'users'>): TicketRecord {
  return toTicketRecord(envelope.ticket, indexUsers(envelope.users), ctx.maps, ctx.config.baseUrl);
}

async function readTicket(ctx: Ctx, http: AxiosInstance, id: string): Promise<TicketRecord | null> {
  if (!isZdId(id)) return null;
  try {
    return toRecord(ctx, await zd.getTicket(http, id));
  } catch (err) {
    if (isConnectorError(err) && err.kind === 'not_found') return null;
    throw err;
  }
}

export async function getTicket(ctx: Ctx, id: string): Promise<TicketRecord | null> {
  return readTicket(ctx, zd.createZdHttp(ctx), id);
}

/** An organisation or group id (scope key, area-map queue) as the number Zendesk wants. */
function toZdNumber(value: string, what: string): number {
  if (!isZdId(value)) {
    throw new ConnectorError('bad_request', `"${value.slice(0, 40)}" is not a Zendesk ${what} id`);
  }
  return Number(value);
}

export async function createTicket(ctx: Ctx, draft: TicketDraft): Promise<TicketRecord> {
  // Before any request: an organisation outside the connection's scope is refused, nothing written.
  const fallback = ctx.config.organizationId === undefined ? null : String(ctx.config.organizationId);
  const organization = resolveCreateScope(ctx, draft, fallback);
  const http = zd.createZdHttp(ctx);
  const existing = await zd.findTicketsByExternalId(http, draft.hubTicketId);
  // external_id is not unique in Zendesk; the oldest carrier is the link, as on every retry.
  const linked = [...existing.tickets].sort((a, b) => a.id - b.id)[0];
  if (linked) return toRecord(ctx, { ticket: linked, users: existing.users });
  const body = toZdCreateBody(draft, ctx.maps);
  if (organization !== null) body.organization_id = toZdNumber(organization, 'organization');
  if (draft.queue) body.group_id = toZdNumber(draft.queue, 'group');
  const created = await zd.createTicket(http, body);
  return (await readTicket(ctx, http, String(created.ticket.id))) ?? toRecord(ctx, created);
}

export async function updateTicket(ctx: Ctx, id: string, patch: TicketPatch): Promise<TicketRecord> {
  if (!isZdId(id)) throw new ConnectorError('not_found', `"${id}" is not a Zendesk ticket id`);
  const http = zd.createZdHttp(ctx);
  const body = toZdUpdateBody(patch, ctx.maps);
  if (Object.keys(body).length > 0) await zd.updateTicket(http, id, body);
  const record = await readTicket(ctx, http, id);
  if (!record) throw new ConnectorError('not_found', `Zendesk ticket ${id} does not exist`);
  return record;
}

function reasonFor(err: unknown, config: ZendeskConfig): string {
  if (!isConnectorError(err)) return 'the Zendesk check failed unexpectedly';
  switch (err.kind) {
    case 'auth':
      return `Zendesk rejected the API token for ${config.email} (HTTP ${err.status ?? '?'}): check the email, the token, and that token access is enabled in Admin Center`;
    case 'not_found':
      return `no Zendesk API at ${config.baseUrl} (HTTP 404): baseUrl should look like https://<subdomain>.zendesk.com`;
    case 'unavailable':
    case 'rate_limited':
      return `Zendesk did not answer at ${config.baseUrl} (${err.kind}${err.status ? `, HTTP ${err.status}` : ''}): try again later`;
    case 'invalid_response':
      return `the answer from ${config.baseUrl} does not look like the Zendesk API: is baseUrl right?`;
    default:
      return `Zendesk refused the check (${err.kind}${err.status ? `, HTTP ${err.status}` : ''})`;
  }
}

export async function checkConnection(ctx: Ctx): Promise<CheckResult> {
  try {
    const me = await zd.getMe(zd.createZdHttp(ctx));
    // users/me answers an anonymous user (id null) rather than 401 when no credentials arrived.
    if (me.id === null)
      return { ok: false, reason: 'Zendesk treated the request as anonymous: check email and apiToken' };
    if (me.role !== 'agent' && me.role !== 'admin') {
      return {
        ok: false,
        reason: `${ctx.config.email} is a Zendesk ${me.role ?? 'end-user'}: the hub needs an agent or admin`,
      };
    }
    return { ok: true, detail: `signed in as ${me.name ?? me.email ?? me.id} (${me.role})` };
  } catch (err) {
    return { ok: false, reason: reasonFor(err, ctx.config) };
  }
}
