/**
 * What people in RT do, for tests and the demo: create, change and answer tickets directly in
 * the simulator's state (no HTTP, so these never count as API requests or writes). They follow
 * the same rules as REST2 writes, scrips included, and throw with RT's message when RT refuses.
 */
import { HUB_TICKET_ID_CF, type SimTicket, type SimUser } from './sim-model.ts';
import type { SimStore } from './sim-store.ts';

export interface SimTicketInput {
  subject: string;
  queue?: string;
  status?: string;
  priority?: number;
  owner?: string;
  requestor?: string;
  content?: string;
  /** Stored in the HubTicketId custom field. */
  hubTicketId?: string;
}

export interface SimTicketChanges {
  subject?: string;
  status?: string;
  priority?: number;
  owner?: string;
  /** Requestor emails or names (replaces the role's members). */
  requestor?: string | string[];
  queue?: string;
  hubTicketId?: string;
}

export interface SimVendorActions {
  /** Creates a ticket as `as` (default `hub-alice`); returns its id. */
  createTicket(input: SimTicketInput, as?: string): string;
  /** Changes a ticket as `as`; returns RT's messages. */
  updateTicket(id: string, changes: SimTicketChanges, as?: string): string[];
  /** A public reply (Correspond) or, with `internal`, a comment; returns the transaction id. */
  reply(id: string, body: string, opts?: { internal?: boolean; as?: string; html?: boolean }): string;
  /** The ticket as the simulator holds it (deleted ones included). */
  ticket(id: string): SimTicket | undefined;
  addUser(user: {
    name: string;
    email?: string;
    realName?: string;
    password?: string;
    timeZone?: string;
    canOwn?: boolean;
  }): SimUser;
  /** The user's Timezone preference (TicketSQL dates are read in it); undefined clears it. */
  setUserTimeZone(name: string, timeZone: string | undefined): void;
  /** A new queue, with HubTicketId applied unless told otherwise; returns its id. */
  addQueue(name: string, opts?: { hubTicketId?: boolean }): string;
}

export function createVendorActions(store: SimStore): SimVendorActions {
  const actor = (name = 'hub-alice'): SimUser => {
    const user = store.findUser(name);
    if (!user) throw new Error(`no simulated RT user ${name}`);
    return user;
  };
  return {
    createTicket(input, as) {
      const result = store.createTicket(actor(as), {
        Queue: input.queue ?? 'General',
        Subject: input.subject,
        Status: input.status,
        Priority: input.priority,
        Owner: input.owner,
        Requestor: input.requestor,
        Content: input.content,
        CustomFields: input.hubTicketId === undefined ? undefined : { HubTicketId: input.hubTicketId },
      });
      if (!result.ok) throw new Error(result.message);
      return String(result.id);
    },
    updateTicket(id, changes, as) {
      const body: Record<string, unknown> = {};
      if (changes.subject !== undefined) body.Subject = changes.subject;
      if (changes.status !== undefined) body.Status = changes.status;
      if (changes.priority !== undefined) body.Priority = changes.priority;
      if (changes.owner !== undefined) body.Owner = changes.owner;
      if (changes.requestor !== undefined) body.Requestor = changes.requestor;
      if (changes.queue !== undefined) body.Queue = changes.queue;
      if (changes.hubTicketId !== undefined) body.CustomFields = { HubTicketId: changes.hubTicketId };
      const result = store.updateTicket(actor(as), Number(id), body);
      if (!result.ok) throw new Error(result.message);
      return result.messages;
    },
    reply(id, body, opts = {}) {
      const kind = opts.internal ? 'comment' : 'correspond';
      const result = store.addMessage(
        actor(opts.as),
        Number(id),
        kind,
        body,
        opts.html ? 'text/html' : 'text/plain',
      );
      if (!result.ok) throw new Error(result.message);
      return String(result.transactionId);
    },
    ticket: (id) => store.tickets.get(Number(id)),
    addUser(user) {
      const created: SimUser = {
        id: Math.max(...store.users.map((u) => u.id)) + 1,
        name: user.name,
        realName: user.realName ?? '',
        email: user.email ?? '',
        password: user.password,
        timeZone: user.timeZone,
        superUser: false,
        canOwn: user.canOwn ?? true,
      };
      store.users.push(created);
      return created;
    },
    setUserTimeZone(name, timeZone) {
      actor(name).timeZone = timeZone;
    },
    addQueue(name, opts = {}) {
      const id = Math.max(...store.queues.map((q) => q.id)) + 1;
      const customFieldIds = opts.hubTicketId === false ? [] : [HUB_TICKET_ID_CF];
      store.queues.push({ id, name, description: '', created: store.now(), customFieldIds });
      return String(id);
    },
  };
}
