/**
 * Incident reads and writes: `check`, `getTicket`, `createTicket` (idempotent through
 * `correlation_id`), `updateTicket` (PATCH of only the fields present).
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
import type { SnIncident } from './api-types.ts';
import * as sn from './client.ts';
import type { ServiceNowConfig } from './config.ts';
import { toPriorityFields, toShortDescription, toStateFields, toTicketRecord } from './mapping.ts';
import { andQuery, equals } from './query.ts';
import { findUserByEmail, loadUsersFor } from './users.ts';

type Ctx = ConnectorContext<ServiceNowConfig>;

export function parseSysId(externalId: string, what = 'incident'): string {
  if (!/^[0-9a-f]{32}$/.test(externalId)) {
    throw new ConnectorError(
      'bad_request',
      `"${externalId.slice(0, 40)}" is not a ServiceNow ${what} sys_id`,
    );
  }
  return externalId;
}

export async function toRecord(ctx: Ctx, http: AxiosInstance, incident: SnIncident): Promise<TicketRecord> {
  const users = await loadUsersFor(http, [incident]);
  return toTicketRecord(incident, { maps: ctx.maps, instanceUrl: ctx.config.instanceUrl, users });
}

const CHECK_REASONS: Partial<Record<ConnectorError['kind'], string>> = {
  auth: 'ServiceNow rejected the credentials or the user may not read incidents: check username, password (and the OAuth client for auth "oauth"), and the itil + REST roles',
  not_found: 'ServiceNow answered 404: check instanceUrl (e.g. https://acme.service-now.com, without /api)',
  rate_limited: 'ServiceNow is rate limiting this user (an Inbound REST rate limit rule); try again later',
  bad_request:
    'ServiceNow refused the request: check instanceUrl (the instance address, without /api) and scopeQuery',
};

/** One incident read with the connection's scope proves URL, credentials, roles and the scope query. */
export async function checkConnection(ctx: Ctx): Promise<CheckResult> {
  try {
    const page = await sn.withSn(ctx, (http) =>
      sn.listIncidents(http, { query: andQuery(ctx.config.scopeQuery, 'ORDERBYsys_id'), limit: 1 }),
    );
    const total = page.total === undefined ? '' : `, ${page.total} incident(s) in scope`;
    return { ok: true, detail: `ServiceNow ${new URL(ctx.config.instanceUrl).host}${total}` };
  } catch (err) {
    if (!isConnectorError(err)) return { ok: false, reason: 'unexpected error while checking ServiceNow' };
    const reason = CHECK_REASONS[err.kind];
    if (reason) return { ok: false, reason };
    return {
      ok: false,
      reason: `ServiceNow is unreachable or failing (${err.kind}${err.status ? ` ${err.status}` : ''})`,
    };
  }
}

export async function getTicket(ctx: Ctx, externalId: string): Promise<TicketRecord | null> {
  const sysId = parseSysId(externalId);
  try {
    return await sn.withSn(ctx, async (http) => toRecord(ctx, http, await sn.getIncident(http, sysId)));
  } catch (err) {
    if (isConnectorError(err) && err.kind === 'not_found') return null;
    throw err;
  }
}

async function findCorrelated(http: AxiosInstance, hubTicketId: string): Promise<SnIncident | undefined> {
  const query = andQuery(equals('correlation_id', hubTicketId), 'ORDERBYsys_created_on^ORDERBYsys_id');
  return (await sn.listIncidents(http, { query, limit: 1 })).records[0];
}

function stateOptions(config: ServiceNowConfig) {
  return {
    closeCode: config.resolveCloseCode,
    closeNotes: config.resolveCloseNotes,
    holdReason: config.holdReason,
  };
}

async function callerFor(ctx: Ctx, http: AxiosInstance, email: string | null): Promise<string | undefined> {
  const byEmail = email ? await findUserByEmail(http, email) : undefined;
  return byEmail?.sys_id ?? ctx.config.callerId;
}

/**
 * Looks for an incident already carrying `hubTicketId` in `correlation_id` first, so a retry after a
 * crash links instead of duplicating (two racing creates can still both miss: the Table API has no
 * unique constraint to lean on). A title cut to fit is kept whole in the description.
 */
export async function createTicket(ctx: Ctx, draft: TicketDraft): Promise<TicketRecord> {
  const { config, maps } = ctx;
  if (draft.hubTicketId.length > 100)
    throw new ConnectorError('bad_request', 'hub ticket id exceeds correlation_id');
  // Before any request: a company outside the connection's scope is refused, nothing written.
  const company = resolveCreateScope(ctx, draft, config.company ?? null);
  const group = draft.queue ?? config.assignmentGroup;
  return sn.withSn(ctx, async (http) => {
    const existing = await findCorrelated(http, draft.hubTicketId);
    if (existing) return toRecord(ctx, http, existing);
    const title = toShortDescription(draft.title);
    const description = [title.truncated ? draft.title : null, draft.description]
      .filter(Boolean)
      .join('\n\n');
    const body: Record<string, string> = {
      short_description: title.value,
      description,
      correlation_id: draft.hubTicketId,
      correlation_display: 'co-managed ticket hub',
      ...toStateFields(maps.status.fromCanonical[draft.status], stateOptions(config)),
      ...toPriorityFields(maps.priority.fromCanonical[draft.priority], config.priorityWrite),
    };
    if (draft.assigneeExternalId) body['assigned_to'] = parseSysId(draft.assigneeExternalId, 'user');
    if (group) body['assignment_group'] = parseSysId(group, 'assignment group');
    if (company) body['company'] = parseSysId(company, 'company');
    const caller = await callerFor(ctx, http, draft.requesterEmail);
    if (caller) body['caller_id'] = caller;
    return toRecord(ctx, http, await sn.createIncident(http, body));
  });
}

/** The PATCH body for a sparse patch; `null` assignee writes '' (clears the reference). */
export function toPatchBody(ctx: Ctx, patch: TicketPatch): Record<string, string> {
  const { config, maps } = ctx;
  const body: Record<string, string> = {};
  if (patch.title !== undefined) body['short_description'] = toShortDescription(patch.title).value;
  if (patch.status !== undefined) {
    Object.assign(body, toStateFields(maps.status.fromCanonical[patch.status], stateOptions(config)));
  }
  if (patch.priority !== undefined) {
    Object.assign(body, toPriorityFields(maps.priority.fromCanonical[patch.priority], config.priorityWrite));
  }
  if (patch.assigneeExternalId === null) body['assigned_to'] = '';
  else if (patch.assigneeExternalId !== undefined)
    body['assigned_to'] = parseSysId(patch.assigneeExternalId, 'user');
  // https://www.servicenow.com/docs/bundle/latest/page/integrate/inbound-rest/concept/c_TableAPI.html
  if (patch.description !== undefined) body['description'] = patch.description ?? '';
  return body;
}

export async function updateTicket(ctx: Ctx, externalId: string, patch: TicketPatch): Promise<TicketRecord> {
  const sysId = parseSysId(externalId);
  const body = toPatchBody(ctx, patch);
  return sn.withSn(ctx, async (http) => {
    const incident =
      Object.keys(body).length === 0
        ? await sn.getIncident(http, sysId)
        : await sn.patchIncident(http, sysId, body);
    return toRecord(ctx, http, incident);
  });
}
