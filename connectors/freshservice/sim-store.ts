/**
 * The simulator's data: agents, requesters, tickets and conversations in Maps, stamped by the
 * simulator's clock at one-second precision, with Freshservice's validation rules on writes.
 */
import { notFound, validation } from './sim-errors.ts';

export interface SimAgent {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
}

export interface SimRequester {
  id: number;
  name: string;
  email: string;
}

export interface SimTicket {
  id: number;
  subject: string;
  descriptionHtml: string;
  status: number;
  priority: number;
  source: number;
  requesterId: number;
  responderId: number | null;
  groupId: number | null;
  /** The department: in MSP mode Freshservice calls departments "companies" (the customer). */
  departmentId: number | null;
  category: string | null;
  customFields: Record<string, string | null>;
  createdMs: number;
  updatedMs: number;
}

export interface SimConversation {
  id: number;
  ticketId: number;
  userId: number;
  bodyHtml: string;
  private: boolean;
  /** 0 reply, 2 note (Freshworks conversation sources). */
  source: number;
  createdMs: number;
}

export interface TicketInput {
  subject?: unknown;
  description?: unknown;
  status?: unknown;
  priority?: unknown;
  responder_id?: unknown;
  group_id?: unknown;
  department_id?: unknown;
  category?: unknown;
  custom_fields?: unknown;
  email?: unknown;
  requester_id?: unknown;
}

export type SimChange = { ticket: SimTicket; event: 'ticket_created' | 'ticket_updated' | 'note_added' };

export function createSimStore(now: () => Date, customFieldNames: string[]) {
  const agents = new Map<number, SimAgent>();
  const requesters = new Map<number, SimRequester>();
  const tickets = new Map<number, SimTicket>();
  const conversations = new Map<number, SimConversation[]>();
  let nextPersonId = 27_000_101_001;
  let nextTicketId = 1;
  let nextConversationId = 27_001_500_001;
  const stamp = () => Math.floor(now().getTime() / 1000) * 1000;

  function addAgent(input: Omit<SimAgent, 'id'>): SimAgent {
    const agent = { id: nextPersonId++, ...input };
    agents.set(agent.id, agent);
    return agent;
  }
  const agentByEmail = (email: string) =>
    [...agents.values()].find((a) => a.email.toLowerCase() === email.trim().toLowerCase());
  function requesterFor(email: string): SimRequester {
    const found = [...requesters.values()].find((r) => r.email.toLowerCase() === email.toLowerCase());
    if (found) return found;
    const created = { id: nextPersonId++, name: email.split('@')[0] ?? email, email };
    requesters.set(created.id, created);
    return created;
  }
  function requireTicket(id: number): SimTicket {
    const ticket = tickets.get(id);
    if (!ticket) throw notFound();
    return ticket;
  }

  /** Validates and applies `input` to a copy of `base`; throws Freshservice's 400s. */
  function applied(base: SimTicket, input: TicketInput): SimTicket {
    const next = { ...base, customFields: { ...base.customFields } };
    if (input.subject !== undefined) {
      if (typeof input.subject !== 'string' || input.subject.trim() === '')
        throw validation('subject', 'It should not be blank', 'missing_field');
      next.subject = input.subject;
    }
    if (input.description !== undefined) next.descriptionHtml = String(input.description);
    if (input.status !== undefined) {
      if (![2, 3, 4, 5].includes(input.status as number))
        throw validation('status', "It should be one of these values: '2,3,4,5'");
      next.status = input.status as number;
    }
    if (input.priority !== undefined) {
      if (![1, 2, 3, 4].includes(input.priority as number))
        throw validation('priority', "It should be one of these values: '1,2,3,4'");
      next.priority = input.priority as number;
    }
    if (input.responder_id !== undefined) {
      if (input.responder_id !== null && !agents.has(input.responder_id as number)) {
        throw validation('responder_id', 'There is no agent matching the given responder_id');
      }
      next.responderId = input.responder_id as number | null;
    }
    for (const [field, key] of [
      ['group_id', 'groupId'],
      ['department_id', 'departmentId'],
    ] as const) {
      const value = input[field];
      if (value === undefined) continue;
      if (value !== null && (!Number.isInteger(value) || (value as number) < 1))
        throw validation(field, 'It should be a Positive Integer', 'datatype_mismatch');
      next[key] = value as number | null;
    }
    if (input.category !== undefined) next.category = input.category === null ? null : String(input.category);
    if (input.custom_fields !== undefined) {
      for (const [name, value] of Object.entries(input.custom_fields as Record<string, unknown>)) {
        if (!customFieldNames.includes(name))
          throw validation(name, 'Unexpected/invalid field in request', 'invalid_field');
        next.customFields[name] = value === null ? null : String(value);
      }
    }
    return next;
  }

  function createTicket(input: TicketInput): SimChange {
    let requesterId: number;
    if (typeof input.requester_id === 'number') requesterId = input.requester_id;
    else if (typeof input.email === 'string' && input.email.includes('@'))
      requesterId = requesterFor(input.email).id;
    else
      throw validation(
        'requester_id',
        'Please fill at least 1 of requester_id, phone, email fields',
        'missing_field',
      );
    if (typeof input.description !== 'string' || input.description.trim() === '') {
      throw validation('description', 'It should not be blank', 'missing_field');
    }
    const at = stamp();
    const blank: SimTicket = {
      id: nextTicketId,
      subject: '',
      descriptionHtml: '',
      status: 2,
      priority: 1,
      source: 2,
      requesterId,
      responderId: null,
      groupId: null,
      departmentId: null,
      category: null,
      customFields: Object.fromEntries(customFieldNames.map((name) => [name, null])),
      createdMs: at,
      updatedMs: at,
    };
    const ticket = applied(blank, { subject: '', ...input });
    nextTicketId += 1;
    tickets.set(ticket.id, ticket);
    conversations.set(ticket.id, []);
    return { ticket, event: 'ticket_created' };
  }

  function updateTicket(id: number, input: TicketInput): SimChange {
    const ticket = applied(requireTicket(id), input);
    ticket.updatedMs = stamp();
    tickets.set(id, ticket);
    return { ticket, event: 'ticket_updated' };
  }

  function addConversation(
    id: number,
    input: { body?: unknown; private?: unknown },
    userId: number,
    source: number,
  ) {
    const ticket = requireTicket(id);
    if (typeof input.body !== 'string' || input.body.trim() === '')
      throw validation('body', 'It should not be blank', 'missing_field');
    const conversation: SimConversation = {
      id: nextConversationId++,
      ticketId: id,
      userId,
      bodyHtml: input.body,
      private: source === 2 ? input.private !== false : false,
      source,
      createdMs: stamp(),
    };
    conversations.get(id)?.push(conversation);
    ticket.updatedMs = stamp();
    return { conversation, change: { ticket, event: 'note_added' } satisfies SimChange };
  }

  return {
    agents,
    requesters,
    tickets,
    conversations,
    customFieldNames,
    stamp,
    addAgent,
    agentByEmail,
    requesterFor,
    requireTicket,
    createTicket,
    updateTicket,
    addConversation,
  };
}

export type SimStore = ReturnType<typeof createSimStore>;
