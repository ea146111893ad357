/**
 * The simulator's state: tickets, actions, agents, statuses and a settable clock. Every write
 * bumps `last_update` from the clock and reports a change, which the webhook queue turns into an
 * outbound webhook as Halo would.
 */
import {
  API_AGENT_ID,
  DEFAULT_AGENTS,
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENTS,
  DEFAULT_STATUSES,
  type SimAction,
  type SimAgent,
  type SimClient,
  type SimStatus,
  type SimTicket,
} from './sim-model.ts';

export type SimChange =
  | { event: 'New Ticket Logged' | 'Ticket Updated'; ticketId: number }
  | { event: 'Action Added'; ticketId: number; actionId: number };

export interface SimStoreOptions {
  statuses?: SimStatus[];
  clock?: Date;
}

export type TicketFields = Partial<Omit<SimTicket, 'id' | 'dateoccurred' | 'last_update' | 'lastactiondate'>>;

export function createSimStore(options: SimStoreOptions = {}) {
  const tickets = new Map<number, SimTicket>();
  const actions = new Map<number, SimAction>();
  const agents = new Map<number, SimAgent>(DEFAULT_AGENTS.map((a) => [a.id, { ...a }]));
  const statuses: SimStatus[] = (options.statuses ?? DEFAULT_STATUSES).map((s) => ({ ...s }));
  const clients = new Map<number, SimClient>(DEFAULT_CLIENTS.map((c) => [c.id, { ...c }]));
  const listeners: Array<(change: SimChange) => void> = [];
  let nextTicketId = 1001;
  let nextActionId = 5001;
  let frozen: Date | null = options.clock ? new Date(options.clock) : null;
  let lastIssued = 0;

  /** Real time, or the frozen instant; never the same millisecond twice while running. */
  function now(): Date {
    if (frozen) return new Date(frozen);
    lastIssued = Math.max(Date.now(), lastIssued + 1);
    return new Date(lastIssued);
  }

  function emit(change: SimChange): void {
    for (const listener of listeners) listener(change);
  }

  function requireTicket(id: number): SimTicket {
    const ticket = tickets.get(id);
    if (!ticket || ticket.deleted) throw new Error(`no simulated Halo ticket ${id}`);
    return ticket;
  }

  function createTicket(fields: TicketFields): SimTicket {
    const at = now();
    const clientId = fields.client_id ?? DEFAULT_CLIENT_ID;
    const ticket: SimTicket = {
      id: nextTicketId++,
      summary: '',
      details: '',
      status_id: 1,
      priority_id: 3,
      agent_id: 0,
      team: '1st Line Support',
      client_id: clientId,
      client_name: clients.get(clientId)?.name ?? 'Unknown',
      user_id: 0,
      user_name: '',
      tickettype_id: 1,
      category_1: '',
      reportedby: '',
      third_party_id_string: '',
      deleted: false,
      ...fields,
      dateoccurred: at,
      last_update: at,
      lastactiondate: null,
    };
    tickets.set(ticket.id, ticket);
    emit({ event: 'New Ticket Logged', ticketId: ticket.id });
    return ticket;
  }

  function updateTicket(id: number, fields: TicketFields): SimTicket {
    const ticket = requireTicket(id);
    Object.assign(ticket, fields, { last_update: now() });
    if (fields.client_id !== undefined) ticket.client_name = clients.get(fields.client_id)?.name ?? 'Unknown';
    emit({ event: 'Ticket Updated', ticketId: id });
    return ticket;
  }

  function addAction(input: Omit<SimAction, 'id' | 'datetime'>): SimAction {
    const ticket = requireTicket(input.ticket_id);
    const at = now();
    const action: SimAction = { ...input, id: nextActionId++, datetime: at };
    actions.set(action.id, action);
    ticket.last_update = at;
    ticket.lastactiondate = at;
    if (input.new_status !== null) ticket.status_id = input.new_status;
    emit({ event: 'Action Added', ticketId: ticket.id, actionId: action.id });
    return action;
  }

  function addAgent(input: { name: string; email: string }): SimAgent {
    const id = Math.max(0, ...agents.keys()) + 1;
    const agent = { id, name: input.name, email: input.email, is_disabled: false };
    agents.set(id, agent);
    return agent;
  }

  return {
    tickets,
    actions,
    agents,
    statuses,
    clients,
    now,
    setClock(at: Date | null) {
      frozen = at ? new Date(at) : null;
    },
    onChange(listener: (change: SimChange) => void) {
      listeners.push(listener);
    },
    requireTicket,
    createTicket,
    updateTicket,
    addAction,
    addAgent,
    apiAgent: () => agents.get(API_AGENT_ID) as SimAgent,
    agentByEmail: (email: string) =>
      [...agents.values()].find((a) => a.email.toLowerCase() === email.toLowerCase()),
    actionsOf: (ticketId: number) => [...actions.values()].filter((a) => a.ticket_id === ticketId),
  };
}

export type SimStore = ReturnType<typeof createSimStore>;
