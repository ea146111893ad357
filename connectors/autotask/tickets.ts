/**
 * Ticket reads and writes: `getTicket` (`{item}`), `createTicket` (idempotent through `externalID`
 * or a UDF), `updateTicket` (sparse PATCH on `/Tickets`). Writes answer `{itemId}` only, so every
 * write reads the ticket back.
 */
import {
  type ConnectorContext,
  ConnectorError,
  isConnectorError,
  type TicketDraft,
  type TicketPatch,
  type TicketRecord,
} from '../../src/connector-kit/index.ts';
import { AtTicket } from './api-types.ts';
import * as at from './client.ts';
import type { AutotaskConfig } from './config.ts';
import { type AtCondition, eq } from './filter.ts';
import {
  defaultRoleOf,
  findContactId,
  loadResources,
  resolvePicklistValue,
  ticketPicklists,
} from './lookups.ts';
import { toAtTitle, toTicketRecord } from './mapping.ts';
import { loadResourcesSoftly } from './people.ts';
import { createCompanyId } from './scope.ts';
import { type AtApi, withApi } from './session.ts';

type Ctx = ConnectorContext<AutotaskConfig>;

/** `externalID` holds at most 50 characters. */
const EXTERNAL_ID_MAX = 50;

export function parseId(externalId: string, what = 'ticket'): number {
  if (!/^\d{1,12}$/.test(externalId)) {
    throw new ConnectorError('bad_request', `"${externalId.slice(0, 20)}" is not an Autotask ${what} id`);
  }
  return Number(externalId);
}

export async function toRecord(ctx: Ctx, api: AtApi, ticket: AtTicket): Promise<TicketRecord> {
  const picklists = await ticketPicklists(ctx, api);
  let resources = await loadResourcesSoftly(ctx, api);
  const assignee = ticket.assignedResourceID;
  // A resource added since the cache was filled: refresh once for its email.
  if (assignee && resources.size > 0 && !resources.has(assignee))
    resources = await loadResources(ctx, api, true);
  return toTicketRecord(ticket, {
    maps: ctx.maps,
    picklists,
    resources,
    webUrl: api.zone.webUrl,
    correlationUdf: ctx.config.correlationUdf,
  });
}

async function readBack(ctx: Ctx, api: AtApi, id: number): Promise<TicketRecord> {
  const ticket = await at.getTicket(api, id);
  if (!ticket)
    throw new ConnectorError('invalid_response', `Autotask ticket ${id} vanished right after a write`);
  return toRecord(ctx, api, ticket);
}

export async function getTicket(ctx: Ctx, externalId: string): Promise<TicketRecord | null> {
  const id = parseId(externalId);
  return withApi(ctx, async (api) => {
    try {
      const ticket = await at.getTicket(api, id);
      return ticket ? await toRecord(ctx, api, ticket) : null;
    } catch (err) {
      if (isConnectorError(err) && err.kind === 'not_found') return null;
      throw err;
    }
  });
}

function correlationCondition(config: AutotaskConfig, hubTicketId: string): AtCondition {
  if (!config.correlationUdf) return eq('externalID', hubTicketId);
  return { ...eq(config.correlationUdf, hubTicketId), udf: true };
}

/**
 * Look for a ticket already carrying `hubTicketId` first, so a retry after a crash links instead
 * of duplicating. (Two creates racing each other can still both miss: Autotask has no unique
 * constraint on externalID.)
 */
export async function createTicket(ctx: Ctx, draft: TicketDraft): Promise<TicketRecord> {
  const { config } = ctx;
  // Before any request: a company outside the connection's scope is refused, nothing written.
  const companyID = createCompanyId(ctx, draft.scopeKey);
  if (!config.correlationUdf && draft.hubTicketId.length > EXTERNAL_ID_MAX) {
    throw new ConnectorError('bad_request', 'hub ticket id does not fit Autotask externalID (50 characters)');
  }
  return withApi(ctx, async (api) => {
    const filter = [correlationCondition(config, draft.hubTicketId), eq('companyID', companyID)];
    const existing = await at.queryPage(api, 'Tickets', { MaxRecords: 1, filter }, AtTicket);
    if (existing.items[0]) return toRecord(ctx, api, existing.items[0]);

    const title = toAtTitle(draft.title);
    // A title cut to fit keeps its full text at the top of the description.
    const cut = title.endsWith('…') && title !== draft.title.trim();
    const description = [cut ? draft.title : null, draft.description].filter(Boolean).join('\n\n');
    const body: Record<string, unknown> = {
      companyID,
      queueID: await createQueueId(ctx, api, draft.queue),
      title,
      status: await resolvePicklistValue(ctx, api, 'status', ctx.maps.status.fromCanonical[draft.status]),
      priority: await resolvePicklistValue(
        ctx,
        api,
        'priority',
        ctx.maps.priority.fromCanonical[draft.priority],
      ),
    };
    if (description) body['description'] = description;
    if (config.correlationUdf)
      body['userDefinedFields'] = [{ name: config.correlationUdf, value: draft.hubTicketId }];
    else body['externalID'] = draft.hubTicketId;
    if (draft.assigneeExternalId) Object.assign(body, await assignment(ctx, api, draft.assigneeExternalId));
    if (draft.requesterEmail) {
      const contactID = await findContactId(api, companyID, draft.requesterEmail);
      if (contactID !== null) body['contactID'] = contactID;
    }
    return readBack(ctx, api, await at.createTicket(api, body));
  });
}

/** The queue a new ticket is filed in: `draft.queue` (a queue label, from the area map), else `queueId`. */
async function createQueueId(ctx: Ctx, api: AtApi, queue: string | null | undefined): Promise<number> {
  return queue ? resolvePicklistValue(ctx, api, 'queueID', queue) : ctx.config.queueId;
}

/** Autotask assigns a resource together with a role: the resource's default service desk role. */
async function assignment(ctx: Ctx, api: AtApi, externalId: string) {
  const resourceId = parseId(externalId, 'resource');
  return {
    assignedResourceID: resourceId,
    assignedResourceRoleID: await defaultRoleOf(ctx, api, resourceId),
  };
}

export async function updateTicket(ctx: Ctx, externalId: string, patch: TicketPatch): Promise<TicketRecord> {
  const id = parseId(externalId);
  return withApi(ctx, async (api) => {
    const body: Record<string, unknown> & { id: number } = { id };
    if (patch.title !== undefined) body['title'] = toAtTitle(patch.title);
    if (patch.status !== undefined) {
      body['status'] = await resolvePicklistValue(
        ctx,
        api,
        'status',
        ctx.maps.status.fromCanonical[patch.status],
      );
    }
    if (patch.priority !== undefined) {
      const label = ctx.maps.priority.fromCanonical[patch.priority];
      body['priority'] = await resolvePicklistValue(ctx, api, 'priority', label);
    }
    if (patch.assigneeExternalId === null)
      Object.assign(body, { assignedResourceID: null, assignedResourceRoleID: null });
    else if (patch.assigneeExternalId !== undefined)
      Object.assign(body, await assignment(ctx, api, patch.assigneeExternalId));
    if (patch.description !== undefined) body['description'] = patch.description;
    if (Object.keys(body).length > 1) await at.patchTicket(api, body);
    return readBack(ctx, api, id);
  });
}
