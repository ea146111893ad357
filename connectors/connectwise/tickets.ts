/**
 * Ticket reads and writes: `check`, `getTicket`, `createTicket` (idempotent through
 * `externalXRef`), `updateTicket` (JSON Patch with references by id).
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
import type { CwPatchOperation, CwTicket } from './api-types.ts';
import * as cw from './client.ts';
import { boardsRead, type ConnectWiseConfig } from './config.ts';
import { loadMembers, resolveBoard, resolvePriorityId, resolveStatusId } from './lookups.ts';
import { toCwSummary, toTicketRecord } from './mapping.ts';
import { cwString } from './query.ts';

type Ctx = ConnectorContext<ConnectWiseConfig>;

export function parseTicketId(externalId: string): number {
  if (!/^\d{1,12}$/.test(externalId)) {
    throw new ConnectorError('bad_request', `"${externalId.slice(0, 20)}" is not a ConnectWise ticket id`);
  }
  return Number(externalId);
}

async function toRecord(ctx: Ctx, http: AxiosInstance, ticket: CwTicket): Promise<TicketRecord> {
  const members = await loadMembers(ctx, http);
  const { maps, config } = ctx;
  return toTicketRecord(ticket, { maps, members, baseUrl: config.baseUrl, companyId: config.companyId });
}

/** `/system/info` proves URL, keys and clientId; resolving the board proves the board name. */
export async function checkConnection(ctx: Ctx): Promise<CheckResult> {
  const http = cw.createCwHttp(ctx);
  try {
    const info = await cw.getSystemInfo(http);
    const board = await resolveBoard(ctx, http);
    for (const name of boardsRead(ctx.config)) await resolveBoard(ctx, http, name);
    const unknown = await unknownCompanies(http, ctx.scopeKeys);
    if (unknown.length > 0) {
      return {
        ok: false,
        reason: `ConnectWise has no company with identifier ${unknown.map((c) => `"${c}"`).join(', ')} (named in the connection's scope): check the identifiers in Company > Companies`,
      };
    }
    return { ok: true, detail: `ConnectWise ${info.version ?? '(version unknown)'}, board #${board.id}` };
  } catch (err) {
    if (!isConnectorError(err)) return { ok: false, reason: 'unexpected error while checking ConnectWise' };
    const reasons: Partial<Record<ConnectorError['kind'], string>> = {
      auth: 'ConnectWise rejected the API keys: check companyId, publicKey, privateKey and clientId',
      not_found: 'ConnectWise answered 404: check baseUrl (host and codebase, e.g. /v4_6_release/apis/3.0)',
      unavailable: `ConnectWise is unreachable or failing: ${err.message}`,
      rate_limited: 'ConnectWise is rate limiting this integration; try again later',
    };
    return { ok: false, reason: reasons[err.kind] ?? err.message };
  }
}

/** Scope keys that name no CW company (identifiers compare case-insensitively). */
async function unknownCompanies(http: AxiosInstance, keys: readonly string[] | null): Promise<string[]> {
  if (!keys || keys.length === 0) return [];
  const found = await cw.findCompanies(http, `identifier in (${keys.map(cwString).join(', ')})`);
  const known = new Set(found.map((c) => c.identifier.toLowerCase()));
  return keys.filter((k) => !known.has(k.toLowerCase()));
}

export async function getTicket(ctx: Ctx, externalId: string): Promise<TicketRecord | null> {
  const http = cw.createCwHttp(ctx);
  try {
    return await toRecord(ctx, http, await cw.getTicket(http, parseTicketId(externalId)));
  } catch (err) {
    if (isConnectorError(err) && err.kind === 'not_found') return null;
    throw err;
  }
}

async function findCorrelated(http: AxiosInstance, hubTicketId: string): Promise<CwTicket | undefined> {
  const tickets = await cw.listTickets(http, {
    conditions: `externalXRef=${cwString(hubTicketId)}`,
    orderBy: 'id asc',
    pageSize: 1,
  });
  return tickets[0];
}

/**
 * Look for a ticket already carrying `hubTicketId` in `externalXRef` first, so a retry after a
 * crash links instead of duplicating. (Two creates for one hub ticket racing each other can
 * still both miss: CW has no unique constraint to lean on.) `skipCallback` keeps the hub's own
 * write from coming back as a callback.
 */
export async function createTicket(ctx: Ctx, draft: TicketDraft): Promise<TicketRecord> {
  // Before any request: a company outside the connection's scope is refused, nothing written.
  const company = resolveCreateScope(ctx, draft, ctx.config.company) ?? ctx.config.company;
  const boardName = draft.queue ? boardNamed(ctx.config, draft.queue) : ctx.config.board;
  const http = cw.createCwHttp(ctx);
  if (draft.hubTicketId.length > 100)
    throw new ConnectorError('bad_request', 'hub ticket id exceeds externalXRef');
  const existing = await findCorrelated(http, draft.hubTicketId);
  if (existing) return toRecord(ctx, http, existing);

  const board = await resolveBoard(ctx, http, boardName);
  const { summary, truncated } = toCwSummary(draft.title);
  const description = [truncated ? draft.title : null, draft.description].filter(Boolean).join('\n\n');
  const body: Record<string, unknown> = {
    summary,
    board: { id: board.id },
    company: { identifier: company },
    status: { id: await resolveStatusId(ctx, http, board.id, ctx.maps.status.fromCanonical[draft.status]) },
    priority: { id: await resolvePriorityId(ctx, http, ctx.maps.priority.fromCanonical[draft.priority]) },
    externalXRef: draft.hubTicketId,
    skipCallback: true,
  };
  if (description) body['initialDescription'] = description;
  if (draft.assigneeExternalId) body['owner'] = { id: parseMemberId(draft.assigneeExternalId) };
  if (draft.requesterEmail) body['contactEmailAddress'] = draft.requesterEmail;
  return toRecord(ctx, http, await cw.createTicket(http, body));
}

/**
 * The board a ticket is filed on or moved to: `queue` (from the area map) when it names one of
 * the boards this connection reads. A board the pulls do not read is refused: the ticket would
 * be created (or moved) there and then never seen again.
 */
function boardNamed(config: ConnectWiseConfig, queue: string): string {
  const read = boardsRead(config);
  const board = read.find((b) => b.toLowerCase() === queue.toLowerCase());
  if (!board) {
    throw new ConnectorError(
      'bad_request',
      `ConnectWise board "${queue}" is not one this connection reads (${read.join(', ')}): add it to the connection's boards`,
    );
  }
  return board;
}

function parseMemberId(externalId: string): number {
  if (!/^\d{1,12}$/.test(externalId)) {
    throw new ConnectorError('bad_request', `"${externalId.slice(0, 20)}" is not a ConnectWise member id`);
  }
  return Number(externalId);
}

async function toPatchOps(ctx: Ctx, http: AxiosInstance, id: number, patch: TicketPatch) {
  const ops: CwPatchOperation[] = [];
  if (patch.title !== undefined)
    ops.push({ op: 'replace', path: 'summary', value: toCwSummary(patch.title).summary });
  if (patch.queue !== undefined || patch.status !== undefined) {
    // Statuses belong to a board: resolve on the board the ticket is on now (or moves to), not
    // the configured one. A board move sets the status too: the old board's means nothing on the
    // new one, so the ticket keeps its canonical status there.
    const current = await cw.getTicket(http, id);
    let boardId = current.board.id;
    if (patch.queue !== undefined) {
      const board = await resolveBoard(ctx, http, boardNamed(ctx.config, patch.queue));
      if (board.id !== boardId) ops.push({ op: 'replace', path: 'board', value: { id: board.id } });
      boardId = board.id;
    }
    const status =
      patch.status ??
      ctx.maps.status.toCanonical[current.status.name ?? ''] ??
      (current.closedFlag ? 'CLOSED' : 'OPEN');
    if (patch.status !== undefined || boardId !== current.board.id) {
      const name = ctx.maps.status.fromCanonical[status];
      ops.push({
        op: 'replace',
        path: 'status',
        value: { id: await resolveStatusId(ctx, http, boardId, name) },
      });
    }
  }
  if (patch.priority !== undefined) {
    const name = ctx.maps.priority.fromCanonical[patch.priority];
    ops.push({ op: 'replace', path: 'priority', value: { id: await resolvePriorityId(ctx, http, name) } });
  }
  if (patch.assigneeExternalId === null) ops.push({ op: 'remove', path: 'owner' });
  else if (patch.assigneeExternalId !== undefined) {
    ops.push({ op: 'replace', path: 'owner', value: { id: parseMemberId(patch.assigneeExternalId) } });
  }
  return ops;
}

export async function updateTicket(ctx: Ctx, externalId: string, patch: TicketPatch): Promise<TicketRecord> {
  const http = cw.createCwHttp(ctx);
  const id = parseTicketId(externalId);
  const ops = await toPatchOps(ctx, http, id, patch);
  if (ops.length === 0) return toRecord(ctx, http, await cw.getTicket(http, id));
  ops.push({ op: 'replace', path: 'skipCallback', value: true });
  return toRecord(ctx, http, await cw.patchTicket(http, id, ops));
}
