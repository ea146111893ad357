/**
 * The simulator's state: RT's records, lookups that behave like RT's (names are
 * case-insensitive, ids work too), the clock, and the primitives every write uses (a
 * transaction per change that bumps LastUpdated, attachments, status times, custom fields).
 * The rules of each write are in `sim-writes.ts`.
 */
import {
  defaultUsers,
  HUB_TICKET_ID_CF,
  SIM_INACTIVE_STATUSES,
  type SimAttachment,
  type SimCustomField,
  type SimQueue,
  type SimTicket,
  type SimTransaction,
  type SimUser,
} from './sim-model.ts';
import { addMessage, createTicket, type SimCreateInput, updateTicket } from './sim-writes.ts';

function createSimState() {
  const users: SimUser[] = defaultUsers();
  const queues: SimQueue[] = [
    {
      id: 1,
      name: 'General',
      description: 'The default queue',
      created: new Date(),
      customFieldIds: [HUB_TICKET_ID_CF],
    },
  ];
  const customFields: SimCustomField[] = [{ id: HUB_TICKET_ID_CF, name: 'HubTicketId' }];
  const tickets = new Map<number, SimTicket>();
  const transactions: SimTransaction[] = [];
  const attachments: SimAttachment[] = [];
  const seq = { ticket: 0, transaction: 100, attachment: 0 };
  let fixedClock: Date | null = null;

  /** RT keeps whole seconds; a set clock stays put until set again. */
  const now = () => new Date(Math.floor((fixedClock ?? new Date()).getTime() / 1000) * 1000);

  const findUser = (ref: unknown): SimUser | undefined => {
    const key = String(ref ?? '').toLowerCase();
    return users.find((u) => u.name.toLowerCase() === key || String(u.id) === key);
  };
  const userById = (id: number) => users.find((u) => u.id === id);
  const findQueue = (ref: unknown) => {
    const key = String(ref ?? '').toLowerCase();
    return queues.find((q) => q.name.toLowerCase() === key || String(q.id) === key);
  };
  const findCustomField = (ref: string) =>
    customFields.find((cf) => cf.name.toLowerCase() === ref.toLowerCase() || String(cf.id) === ref);

  /** RT creates a user for an unknown requestor email; anything that is not an email is dropped. */
  function requestorFor(ref: string): SimUser | undefined {
    const existing = findUser(ref) ?? users.find((u) => u.email.toLowerCase() === ref.toLowerCase());
    if (existing) return existing;
    if (!/^[^\s@]+@[^\s@]+$/.test(ref)) return undefined;
    const id = Math.max(...users.map((u) => u.id)) + 1;
    const user: SimUser = { id, name: ref, realName: '', email: ref, superUser: false, canOwn: false };
    users.push(user);
    return user;
  }

  function addTicket(ticket: Omit<SimTicket, 'id'>): SimTicket {
    const created = { ...ticket, id: ++seq.ticket };
    tickets.set(created.id, created);
    return created;
  }

  /** Every change is a transaction, and every transaction bumps LastUpdated. */
  function record(ticket: SimTicket, actor: SimUser, type: string, change: Partial<SimTransaction> = {}) {
    const txn: SimTransaction = {
      id: ++seq.transaction,
      ticketId: ticket.id,
      type,
      field: '',
      oldValue: '',
      newValue: '',
      data: '',
      creatorId: actor.id,
      created: now(),
      ...change,
    };
    transactions.push(txn);
    ticket.lastUpdated = txn.created;
    ticket.lastUpdatedById = actor.id;
    return txn;
  }

  function attach(txn: SimTransaction, content: string, contentType: string) {
    const { creatorId, created } = txn;
    attachments.push({
      id: ++seq.attachment,
      transactionId: txn.id,
      contentType,
      content,
      filename: '',
      creatorId,
      created,
    });
  }

  /** A status change, with the Started/Resolved times RT keeps. */
  function setStatus(ticket: SimTicket, actor: SimUser, status: string) {
    const txn = record(ticket, actor, 'Status', {
      field: 'Status',
      oldValue: ticket.status,
      newValue: status,
    });
    if (ticket.status === 'new' && !SIM_INACTIVE_STATUSES.includes(status)) ticket.started ??= txn.created;
    ticket.resolved = SIM_INACTIVE_STATUSES.includes(status) ? txn.created : null;
    ticket.status = status;
  }

  /** `{"HubTicketId": "x"}` (by name or id) -> messages, as RT answers them. */
  function setCustomFields(ticket: SimTicket, actor: SimUser, input: unknown): string[] {
    if (!input || typeof input !== 'object') return [];
    const messages: string[] = [];
    for (const [key, raw] of Object.entries(input as Record<string, unknown>)) {
      const cf = findCustomField(key);
      const queue = queues.find((q) => q.id === ticket.queueId);
      if (!cf || !queue?.customFieldIds.includes(cf.id)) continue; // RT ignores CFs not applied to the queue
      const value = String(Array.isArray(raw) ? (raw[0] ?? '') : (raw ?? ''));
      const old = ticket.customFields.get(cf.id)?.[0];
      if (old === value) continue;
      ticket.customFields.set(cf.id, value === '' ? [] : [value]);
      record(ticket, actor, 'CustomField', { field: String(cf.id), oldValue: old ?? '', newValue: value });
      messages.push(
        old === undefined ? `${cf.name} ${value} added` : `${cf.name} ${old} changed to ${value}`,
      );
    }
    return messages;
  }

  return {
    users,
    queues,
    customFields,
    tickets,
    transactions,
    attachments,
    now,
    setClock(at: Date | null) {
      fixedClock = at === null ? null : new Date(at.getTime());
    },
    findUser,
    userById,
    findQueue,
    findCustomField,
    requestorFor,
    addTicket,
    record,
    attach,
    setStatus,
    setCustomFields,
  };
}

/** The state and its primitives, which RT's write rules (`sim-writes.ts`) work on. */
export type SimState = ReturnType<typeof createSimState>;

export function createSimStore() {
  const state = createSimState();
  return {
    ...state,
    createTicket: (actor: SimUser, input: SimCreateInput) => createTicket(state, actor, input),
    updateTicket: (actor: SimUser, id: number, input: Record<string, unknown>) =>
      updateTicket(state, actor, id, input),
    addMessage: (
      actor: SimUser,
      id: number,
      kind: 'correspond' | 'comment',
      content: string,
      contentType?: string,
    ) => addMessage(state, actor, id, kind, content, contentType),
  };
}

export type SimStore = ReturnType<typeof createSimStore>;
