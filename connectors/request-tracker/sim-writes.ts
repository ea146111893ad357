/**
 * RT's write rules, as observed on 5.0.3: what a create, an update and a reply do, the answers
 * RT gives when it refuses (often a 200 with a message), and the one scrip that changes
 * tickets on its own (correspondence reopens new/resolved/rejected tickets as RT_System).
 */
import {
  NOBODY_ID,
  priorityLabel,
  RT_SYSTEM_ID,
  SIM_CREATABLE_STATUSES,
  SIM_REOPENED_BY_CORRESPOND,
  SIM_STATUSES,
  type SimTicket,
  type SimUser,
} from './sim-model.ts';
import type { SimState } from './sim-store.ts';

export type SimResult<T> = ({ ok: true } & T) | { ok: false; status: number; message: string };

export interface SimCreateInput {
  Queue?: unknown;
  Subject?: unknown;
  Status?: unknown;
  Priority?: unknown;
  Owner?: unknown;
  Requestor?: unknown;
  Content?: unknown;
  ContentType?: unknown;
  CustomFields?: unknown;
}

const refused = (status: number, message: string) => ({ ok: false as const, status, message });
const isStatus = (status: string) => (SIM_STATUSES as readonly string[]).includes(status);

/** RT stores integers; anything unparsable becomes 0 (a PUT of "abc" sets 0, observed). */
function parsePriority(value: unknown): number {
  const n = typeof value === 'number' ? value : Number.parseInt(String(value ?? '0'), 10);
  return Number.isFinite(n) ? Math.trunc(n) : 0;
}

export function createTicket(
  store: SimState,
  actor: SimUser,
  input: SimCreateInput,
): SimResult<{ id: number }> {
  const queue = store.findQueue(input.Queue);
  if (!queue)
    return refused(403, `No permission to create tickets in the queue '${String(input.Queue ?? '')}'`);
  const status = input.Status === undefined ? 'new' : String(input.Status);
  if (!isStatus(status))
    return refused(400, `Status '${status}' isn't a valid status for tickets in this queue.`);
  if (!SIM_CREATABLE_STATUSES.includes(status)) {
    return refused(400, `New tickets can not have status '${status}' in this queue.`);
  }
  const owner = input.Owner === undefined ? undefined : store.findUser(input.Owner);
  const refs = Array.isArray(input.Requestor) ? input.Requestor : input.Requestor ? [input.Requestor] : [];
  const requestors = refs.map((ref) => store.requestorFor(String(ref))).filter((u) => u !== undefined);
  const at = store.now();
  const ticket = store.addTicket({
    queueId: queue.id,
    subject: String(input.Subject ?? ''),
    status,
    priority: parsePriority(input.Priority),
    // Like RT, an owner that does not exist or may not own is silently left as Nobody.
    ownerId: owner?.canOwn ? owner.id : NOBODY_ID,
    requestorIds: requestors.map((u) => u.id),
    creatorId: actor.id,
    lastUpdatedById: actor.id,
    created: at,
    lastUpdated: at,
    started: null,
    resolved: status === 'resolved' ? at : null,
    told: null,
    customFields: new Map(),
  });
  const txn = store.record(ticket, actor, 'Create');
  if (typeof input.Content === 'string' && input.Content !== '') {
    store.attach(txn, input.Content, String(input.ContentType ?? 'text/plain'));
  }
  store.setCustomFields(ticket, actor, input.CustomFields);
  return { ok: true, id: ticket.id };
}

function setOwner(store: SimState, ticket: SimTicket, actor: SimUser, value: unknown): string | null {
  const owner = store.findUser(value);
  if (!owner) return 'That user does not exist';
  if (owner.id === ticket.ownerId) return null;
  if (!owner.canOwn && owner.id !== NOBODY_ID) return 'That user may not own tickets in that queue';
  const ownedByOther = ticket.ownerId !== NOBODY_ID && ticket.ownerId !== actor.id;
  if (ownedByOther && !actor.superUser && !actor.canReassign) {
    return 'You can only reassign tickets that you own or that are unowned';
  }
  const old = store.userById(ticket.ownerId)?.name ?? 'Nobody';
  const change = { field: 'Owner', oldValue: String(ticket.ownerId), newValue: String(owner.id) };
  store.record(ticket, actor, 'Set', change);
  store.record(ticket, actor, 'SetWatcher', change);
  ticket.ownerId = owner.id;
  return `Owner changed from ${old} to ${owner.name}`;
}

/**
 * REST2 `PUT /ticket/:id` with a role replaces its members (an email, a name or a list of them):
 * https://docs.bestpractical.com/rt/5.0.7/RT/REST2.html#Tickets ("Requestor", "Queue").
 */
function setRequestors(store: SimState, ticket: SimTicket, actor: SimUser, value: unknown): string | null {
  const refs = Array.isArray(value) ? value : value ? [value] : [];
  const ids = refs.map((ref) => store.requestorFor(String(ref))?.id).filter((id) => id !== undefined);
  if (ids.length === ticket.requestorIds.length && ids.every((id, i) => id === ticket.requestorIds[i]))
    return null;
  const names = (list: number[]) => list.map((id) => store.userById(id)?.name ?? String(id)).join(', ');
  store.record(ticket, actor, 'SetWatcher', {
    field: 'Requestor',
    oldValue: names(ticket.requestorIds),
    newValue: names(ids),
  });
  ticket.requestorIds = ids;
  return `Requestor set to ${names(ids)}`;
}

function setQueue(store: SimState, ticket: SimTicket, actor: SimUser, value: unknown): string | null {
  const queue = store.findQueue(value);
  if (!queue) return `Queue '${String(value ?? '')}' not found`;
  if (queue.id === ticket.queueId) return null;
  const old = store.queues.find((q) => q.id === ticket.queueId)?.name ?? String(ticket.queueId);
  store.record(ticket, actor, 'Set', { field: 'Queue', oldValue: old, newValue: queue.name });
  ticket.queueId = queue.id;
  return `Queue changed from '${old}' to '${queue.name}'`;
}

function setField(
  store: SimState,
  ticket: SimTicket,
  actor: SimUser,
  field: string,
  value: unknown,
): string | null {
  if (field === 'Owner') return setOwner(store, ticket, actor, value);
  if (field === 'Requestor') return setRequestors(store, ticket, actor, value);
  if (field === 'Queue') return setQueue(store, ticket, actor, value);
  if (field === 'Priority') {
    const priority = parsePriority(value);
    if (priority === ticket.priority) return null;
    store.record(ticket, actor, 'Set', {
      field,
      oldValue: String(ticket.priority),
      newValue: String(priority),
    });
    const message = `Priority changed from '${priorityLabel(ticket.priority)}' to '${priorityLabel(priority)}'`;
    ticket.priority = priority;
    return message;
  }
  if (field === 'Status') {
    const status = String(value);
    if (status === ticket.status) return null;
    if (!isStatus(status)) return `Status '${status}' isn't a valid status for this ticket.`;
    const message =
      status === 'deleted' ? 'Ticket deleted' : `Status changed from '${ticket.status}' to '${status}'`;
    store.setStatus(ticket, actor, status);
    return message;
  }
  if (field === 'Subject') {
    const subject = String(value ?? '');
    if (subject === ticket.subject) return null;
    store.record(ticket, actor, 'Set', { field, oldValue: ticket.subject, newValue: subject });
    const message = `Subject changed from '${ticket.subject}' to '${subject}'`;
    ticket.subject = subject;
    return message;
  }
  return null;
}

/** `PUT /ticket/:id`: 200 with one message per change, refusals included, sorted by field. */
export function updateTicket(
  store: SimState,
  actor: SimUser,
  id: number,
  input: Record<string, unknown>,
): SimResult<{ messages: string[] }> {
  const ticket = store.tickets.get(id);
  if (!ticket) return refused(404, 'Resource does not exist; use POST to create');
  const messages: string[] = [];
  for (const field of Object.keys(input).sort()) {
    const message = setField(store, ticket, actor, field, input[field]);
    if (message !== null) messages.push(`Ticket ${id}: ${message}`);
  }
  messages.push(...store.setCustomFields(ticket, actor, input.CustomFields));
  return { ok: true, messages };
}

/** Correspond (public) or Comment (internal), then the reopen scrip for correspondence. */
export function addMessage(
  store: SimState,
  actor: SimUser,
  id: number,
  kind: 'correspond' | 'comment',
  content: string,
  contentType = 'text/plain',
): SimResult<{ transactionId: number }> {
  const ticket = store.tickets.get(id);
  if (!ticket) return refused(400, 'Message could not be recorded');
  const type = kind === 'correspond' ? 'Correspond' : 'Comment';
  const txn = store.record(ticket, actor, type, { data: 'No Subject' });
  store.attach(txn, content, contentType);
  if (kind === 'correspond') {
    ticket.told = txn.created;
    if (SIM_REOPENED_BY_CORRESPOND.includes(ticket.status))
      store.setStatus(ticket, store.userById(RT_SYSTEM_ID)!, 'open');
  }
  return { ok: true, transactionId: txn.id };
}
