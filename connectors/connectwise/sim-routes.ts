/**
 * The simulator's `/service/...` routes: tickets (list, count, get, create, patch, delete) and
 * their notes. Request bodies are translated into store calls; answers are CW JSON.
 */

import type { SimCallbacks } from './sim-callbacks.ts';
import { badRequest, invalidField } from './sim-errors.ts';
import { filterAndSort, lastUpdatedLowerBound, paginate } from './sim-list.ts';
import type { SimMember } from './sim-seed.ts';
import type { SimNoteInput, SimStore, SimTicketChanges, SimTicketInput } from './sim-store.ts';

type Json = Record<string, unknown>;

export interface SimRequest {
  url: URL;
  params: number[];
  body: unknown;
  actor: SimMember;
  forwardOnly: boolean;
}

export interface SimResponse {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface SimEnv {
  store: SimStore;
  callbacks: SimCallbacks;
  publicOrigin: string;
  /** Runs the `onNextPageServed` hook, if one is armed, once a ticket list page is computed. */
  afterTicketPage: () => Promise<void>;
}

export interface SimRoute {
  method: string;
  /** e.g. `/service/tickets/{id}`; also the key of the write counters. */
  path: string;
  handle(req: SimRequest, env: SimEnv): SimResponse | Promise<SimResponse>;
}

function asObject(body: unknown, resource: string): Json {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest(`${resource} body must be a JSON object`);
  }
  return body as Json;
}

/** `{id}` (or `{name}`/`{identifier}`) reference -> id, through `lookup` for names. */
function refId(
  value: unknown,
  field: string,
  lookup?: (name: string) => number | undefined,
): number | undefined {
  if (value === undefined) return undefined;
  const ref = (typeof value === 'number' ? { id: value } : value) as Json | null;
  if (ref && typeof ref['id'] === 'number') return ref['id'];
  const name = ref?.['name'] ?? ref?.['identifier'];
  const found = typeof name === 'string' ? lookup?.(name) : undefined;
  if (found === undefined)
    throw invalidField('ticket', field, 'InvalidReference', `${field} reference is invalid`);
  return found;
}

function memberLookup(store: SimStore) {
  return (identifier: string) =>
    store.seed.members.find((m) => m.identifier.toLowerCase() === identifier.toLowerCase())?.id;
}

function ticketInput(body: Json, store: SimStore): SimTicketInput {
  const company = body['company'] as Json | undefined;
  return {
    summary: body['summary'] as string,
    boardId: refId(body['board'], 'board'),
    statusId: refId(body['status'], 'status'),
    priorityId: refId(body['priority'], 'priority'),
    ownerId: refId(body['owner'], 'owner', memberLookup(store)),
    typeId: refId(body['type'], 'type'),
    company: company
      ? { id: company['id'] as number | undefined, identifier: company['identifier'] as string | undefined }
      : undefined,
    contactEmailAddress: (body['contactEmailAddress'] as string | undefined) ?? null,
    externalXRef: (body['externalXRef'] as string | undefined) ?? null,
    initialDescription: body['initialDescription'] as string | undefined,
    initialInternalAnalysis: body['initialInternalAnalysis'] as string | undefined,
    initialResolution: body['initialResolution'] as string | undefined,
  };
}

/** JSON Patch ops (`path` = field name, or `status/id` with a scalar) -> store changes. */
function patchChanges(body: unknown, store: SimStore): { changes: SimTicketChanges; skipCallback: boolean } {
  if (!Array.isArray(body) || body.length === 0)
    throw badRequest('PATCH body must be a non-empty JSON Patch array');
  const changes: SimTicketChanges = {};
  let skipCallback = false;
  for (const raw of body as Json[]) {
    const op = String(raw?.['op'] ?? '').toLowerCase();
    const path = String(raw?.['path'] ?? '')
      .replace(/^\//, '')
      .toLowerCase();
    if (!['add', 'replace', 'remove'].includes(op)) throw badRequest(`unsupported patch op '${op}'`);
    const value = op === 'remove' ? null : raw['value'];
    const [field, sub] = path.split('/');
    const ref = sub === 'id' ? { id: value } : value;
    switch (field) {
      case 'summary':
        changes.summary = value as string;
        break;
      case 'status':
        changes.statusId = refId(ref, 'status');
        break;
      case 'priority':
        changes.priorityId = refId(ref, 'priority');
        break;
      case 'board':
        changes.boardId = refId(ref, 'board');
        break;
      case 'type':
        changes.typeId = value === null ? null : (refId(ref, 'type') ?? null);
        break;
      case 'company': {
        const company = (ref ?? {}) as Json;
        const identifier = typeof company['identifier'] === 'string' ? company['identifier'] : undefined;
        changes.company = { id: company['id'] as number | undefined, identifier };
        break;
      }
      case 'owner':
        changes.ownerId = value === null ? null : (refId(ref, 'owner', memberLookup(store)) ?? null);
        break;
      case 'externalxref':
        changes.externalXRef = (value as string | null) ?? null;
        break;
      case 'contactemailaddress':
        changes.contactEmailAddress = (value as string | null) ?? null;
        break;
      case 'skipcallback':
        skipCallback = value === true;
        break;
      default:
        throw invalidField('ticket', path, 'InvalidField', `field '${path}' cannot be patched here`);
    }
  }
  return { changes, skipCallback };
}

function noteInput(body: Json): SimNoteInput {
  return {
    text: body['text'] as string,
    detailDescriptionFlag: body['detailDescriptionFlag'] === true,
    internalAnalysisFlag: body['internalAnalysisFlag'] === true,
    resolutionFlag: body['resolutionFlag'] === true,
  };
}

const allTickets = (store: SimStore) => [...store.tickets.values()].map(store.render.ticket);

/** The tickets that can match the request, rendered: those older than a `lastUpdated` bound are skipped. */
function candidateTickets(store: SimStore, url: URL) {
  const since = lastUpdatedLowerBound(url);
  if (since === undefined) return allTickets(store);
  const out = [];
  for (const row of store.tickets.values())
    if (Date.parse(row.lastUpdated) >= since) out.push(store.render.ticket(row));
  return out;
}

export const ticketRoutes: SimRoute[] = [
  {
    method: 'GET',
    path: '/service/tickets',
    async handle(req, env) {
      const sorted = filterAndSort(req.url, candidateTickets(env.store, req.url), req.forwardOnly);
      const page = paginate(req.url, env.publicOrigin, sorted, req.forwardOnly);
      await env.afterTicketPage();
      return page;
    },
  },
  {
    method: 'GET',
    path: '/service/tickets/count',
    handle: (req, env) => ({ body: { count: filterAndSort(req.url, allTickets(env.store), false).length } }),
  },
  {
    method: 'POST',
    path: '/service/tickets',
    handle(req, env) {
      const body = asObject(req.body, 'ticket');
      const row = env.store.createTicket(ticketInput(body, env.store), req.actor, {
        skipCallback: body['skipCallback'] === true,
      });
      return { status: 201, body: env.store.render.ticket(row) };
    },
  },
  {
    method: 'GET',
    path: '/service/tickets/{id}',
    handle: (req, env) => ({ body: env.store.render.ticket(env.store.requireTicket(req.params[0]!)) }),
  },
  {
    method: 'PATCH',
    path: '/service/tickets/{id}',
    handle(req, env) {
      const id = req.params[0]!;
      env.store.requireTicket(id);
      const { changes, skipCallback } = patchChanges(req.body, env.store);
      return {
        body: env.store.render.ticket(env.store.updateTicket(id, changes, req.actor, { skipCallback })),
      };
    },
  },
  {
    method: 'DELETE',
    path: '/service/tickets/{id}',
    handle(req, env) {
      env.store.deleteTicket(req.params[0]!, req.actor);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    path: '/service/tickets/{id}/notes',
    handle(req, env) {
      env.store.requireTicket(req.params[0]!);
      const notes = (env.store.notes.get(req.params[0]!) ?? []).map(env.store.render.note);
      return paginate(req.url, env.publicOrigin, filterAndSort(req.url, notes, false), false);
    },
  },
  {
    method: 'POST',
    path: '/service/tickets/{id}/notes',
    handle(req, env) {
      const body = asObject(req.body, 'ticketNote');
      const note = env.store.addNote(req.params[0]!, noteInput(body), req.actor, {
        skipCallback: body['skipCallback'] === true,
      });
      return { status: 201, body: env.store.render.note(note) };
    },
  },
];
