/**
 * The simulator's `/api` routes. ASP.NET routing is case-insensitive, so paths match either way.
 * POSTs take arrays, as Halo's do: an element with `id` updates, one without creates.
 */
import { fieldError, notFound, SimHaloError } from './sim-errors.ts';
import { listTickets } from './sim-list.ts';
import { PRIORITY_IDS } from './sim-model.ts';
import { renderAction, renderAgent, renderStatus, renderTicket } from './sim-render.ts';
import type { SimStore, TicketFields } from './sim-store.ts';

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

export interface SimAnswer {
  status?: number;
  body: unknown;
  /** Set on ticket list pages: the server runs `onNextPageServed` hooks before sending. */
  listPage?: boolean;
  /** `METHOD /path` of a write, for the write counters. */
  write?: string;
}

function elements(body: unknown): Record<string, unknown>[] {
  if (!Array.isArray(body) || body.length === 0) {
    throw new SimHaloError(400, { '': 'The request body must be a non-empty JSON array.' });
  }
  return body.map((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw fieldError(i, '', 'Not an object.');
    return item as Record<string, unknown>;
  });
}

function optionalInt(item: Record<string, unknown>, i: number, field: string): number | undefined {
  const value = item[field];
  if (value === undefined) return undefined;
  if (!Number.isInteger(value))
    throw fieldError(i, field, `The JSON value could not be converted to System.Int32.`);
  return value as number;
}

function optionalString(item: Record<string, unknown>, i: number, field: string): string | undefined {
  const value = item[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw fieldError(i, field, 'The JSON value could not be converted to System.String.');
  return value;
}

function toTicketFields(store: SimStore, item: Record<string, unknown>, i: number): TicketFields {
  const fields: TicketFields = {};
  const summary = optionalString(item, i, 'summary');
  if (summary !== undefined) fields.summary = summary;
  const details = optionalString(item, i, 'details');
  if (details !== undefined) fields.details = details;
  for (const key of ['team', 'third_party_id_string', 'reportedby', 'category_1'] as const) {
    const value = optionalString(item, i, key);
    if (value !== undefined) fields[key] = value;
  }
  const statusId = optionalInt(item, i, 'status_id');
  if (statusId !== undefined && !store.statuses.some((s) => s.id === statusId)) {
    throw fieldError(i, 'status_id', `Status ${statusId} does not exist.`);
  }
  if (statusId !== undefined) fields.status_id = statusId;
  const priorityId = optionalInt(item, i, 'priority_id');
  if (priorityId !== undefined && !PRIORITY_IDS.includes(priorityId)) {
    throw fieldError(i, 'priority_id', `Priority ${priorityId} does not exist.`);
  }
  if (priorityId !== undefined) fields.priority_id = priorityId;
  const agentId = optionalInt(item, i, 'agent_id');
  if (agentId !== undefined && agentId !== 0 && !store.agents.has(agentId)) {
    throw fieldError(i, 'agent_id', `Agent ${agentId} does not exist.`);
  }
  if (agentId !== undefined) fields.agent_id = agentId;
  for (const key of ['client_id', 'tickettype_id', 'user_id'] as const) {
    const value = optionalInt(item, i, key);
    if (value !== undefined) fields[key] = value;
  }
  return fields;
}

function postTickets(store: SimStore, body: unknown): SimAnswer {
  const items = elements(body);
  // Validate every element before writing any, so a bad element leaves nothing half-saved.
  const plans = items.map((item, i) => {
    const id = optionalInt(item, i, 'id');
    const existing = id !== undefined && id > 0 ? store.tickets.get(id) : undefined;
    if (id !== undefined && id > 0 && (!existing || existing.deleted)) throw notFound('Ticket', id);
    const fields = toTicketFields(store, item, i);
    if ((id === undefined || id <= 0) && !fields.summary?.trim())
      throw fieldError(i, 'summary', 'Please enter a Summary.');
    return { id, fields };
  });
  const saved = plans.map(({ id, fields }) =>
    id !== undefined && id > 0 ? store.updateTicket(id, fields) : store.createTicket(fields),
  );
  const rendered = saved.map((t) => renderTicket(store, t));
  return { status: 201, body: rendered.length === 1 ? rendered[0] : rendered, write: 'POST /Tickets' };
}

function postActions(store: SimStore, body: unknown): SimAnswer {
  const items = elements(body);
  const plans = items.map((item, i) => {
    const ticketId = optionalInt(item, i, 'ticket_id');
    if (ticketId === undefined) throw fieldError(i, 'ticket_id', 'Please select a Ticket.');
    const ticket = store.tickets.get(ticketId);
    if (!ticket || ticket.deleted) throw notFound('Ticket', ticketId);
    const newStatus = optionalInt(item, i, 'new_status');
    if (newStatus !== undefined && !store.statuses.some((s) => s.id === newStatus)) {
      throw fieldError(i, 'new_status', `Status ${newStatus} does not exist.`);
    }
    const note = optionalString(item, i, 'note') ?? optionalString(item, i, 'note_html') ?? '';
    // Halo's default for an API action without the flag is UNCONFIRMED; hiding it is the safe guess.
    const hidden = item['hiddenfromuser'] === undefined ? true : item['hiddenfromuser'] === true;
    const outcome = optionalString(item, i, 'outcome') ?? (hidden ? 'Private Note' : 'Public Note');
    return { ticket_id: ticketId, note, outcome, hiddenfromuser: hidden, new_status: newStatus ?? null };
  });
  const agent = store.apiAgent();
  const saved = plans.map((p) => store.addAction({ ...p, who: agent.name, who_agentid: agent.id }));
  const rendered = saved.map(renderAction);
  return { status: 201, body: rendered.length === 1 ? rendered[0] : rendered, write: 'POST /Actions' };
}

function listActions(store: SimStore, query: URLSearchParams): SimAnswer {
  const raw = query.get('ticket_id');
  if (!raw || !/^\d+$/.test(raw)) throw fieldError(null, 'ticket_id', 'Please specify a ticket_id.');
  const ticket = store.tickets.get(Number(raw));
  if (!ticket || ticket.deleted) throw notFound('Ticket', Number(raw));
  // Newest first, as Halo's ticket history shows them (order UNCONFIRMED for the API).
  const actions = store.actionsOf(ticket.id).sort((a, b) => b.id - a.id);
  return { body: { record_count: actions.length, actions: actions.map(renderAction) } };
}

export function routeApi(store: SimStore, req: SimRequest): SimAnswer {
  const path = req.path.toLowerCase().replace(/\/+$/, '');
  const byId = /^\/tickets\/(\d+)$/.exec(path);
  if (req.method === 'GET' && path === '/tickets') {
    const result = listTickets(store.tickets.values(), req.query);
    return {
      body: { ...result, tickets: result.tickets.map((t) => renderTicket(store, t)) },
      listPage: true,
    };
  }
  if (req.method === 'GET' && byId) {
    const ticket = store.tickets.get(Number(byId[1]));
    if (!ticket || ticket.deleted) throw notFound('Ticket', Number(byId[1]));
    return { body: renderTicket(store, ticket) };
  }
  if (req.method === 'POST' && path === '/tickets') return postTickets(store, req.body);
  if (req.method === 'GET' && path === '/actions') return listActions(store, req.query);
  if (req.method === 'POST' && path === '/actions') return postActions(store, req.body);
  if (req.method === 'GET' && path === '/agent') return { body: [...store.agents.values()].map(renderAgent) };
  if (req.method === 'GET' && path === '/status') return { body: store.statuses.map(renderStatus) };
  throw new SimHaloError(404, { message: `No HTTP resource was found that matches ${req.path}.` });
}
