/**
 * The simulator's data: users, tickets and comments in Maps, stamped by the simulator's clock at
 * Zendesk's one-second precision, with Zendesk's validation rules on writes.
 */
import { notFound, recordInvalid } from './sim-errors.ts';

export type ZdSimStatus = 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed';
const STATUSES = new Set(['new', 'open', 'pending', 'hold', 'solved', 'closed']);
const PRIORITIES = new Set(['urgent', 'high', 'normal', 'low']);

export interface SimUser {
  id: number;
  name: string;
  email: string;
  role: 'end-user' | 'agent' | 'admin';
  createdMs: number;
}

export interface SimTicket {
  id: number;
  subject: string;
  description: string;
  status: ZdSimStatus;
  priority: string | null;
  requesterId: number;
  submitterId: number;
  assigneeId: number | null;
  groupId: number | null;
  /** The customer organisation (the scope key). */
  organizationId: number | null;
  /** question | incident | problem | task, or null. */
  type: string | null;
  externalId: string | null;
  tags: string[];
  channel: string;
  createdMs: number;
  updatedMs: number;
}

export interface SimComment {
  id: number;
  ticketId: number;
  authorId: number;
  body: string;
  public: boolean;
  auditId: number;
  createdMs: number;
  channel: string;
}

export interface TicketChanges {
  subject?: unknown;
  status?: unknown;
  priority?: unknown;
  assignee_id?: unknown;
  external_id?: unknown;
  organization_id?: unknown;
  group_id?: unknown;
  type?: unknown;
  comment?: unknown;
}

export interface WriteResult {
  ticket: SimTicket;
  auditId: number;
  auditMs: number;
  comment: SimComment | null;
  event: 'created' | 'updated';
  /** Store fields this write changed, with their previous values. */
  changed: Array<{ field: 'subject' | 'status' | 'priority' | 'assigneeId'; previous: unknown }>;
}

export function createSimStore(now: () => Date) {
  const users = new Map<number, SimUser>();
  const tickets = new Map<number, SimTicket>();
  const comments = new Map<number, SimComment[]>();
  let nextUserId = 381_000_000_101;
  let nextTicketId = 1;
  let nextCommentId = 9_100_000_001;
  let nextAuditId = 7_200_000_001;
  const stamp = () => Math.floor(now().getTime() / 1000) * 1000;

  function addUser(input: { name: string; email: string; role?: SimUser['role'] }): SimUser {
    const user: SimUser = { id: nextUserId++, role: 'end-user', ...input, createdMs: stamp() };
    users.set(user.id, user);
    return user;
  }

  function userByEmail(email: string): SimUser | undefined {
    const wanted = email.trim().toLowerCase();
    return [...users.values()].find((u) => u.email.toLowerCase() === wanted);
  }

  function requireTicket(id: number): SimTicket {
    const ticket = tickets.get(id);
    if (!ticket) throw notFound();
    return ticket;
  }

  function checkAssignee(value: unknown): number | null {
    if (value === null) return null;
    const user = typeof value === 'number' ? users.get(value) : undefined;
    if (!user || user.role === 'end-user')
      throw recordInvalid('assignee', 'Assignee: is not an agent in this account');
    return user.id;
  }

  /** Applies `changes` as `actorId` would; throws Zendesk's 422s. Nothing is changed on error. */
  function apply(
    ticket: SimTicket,
    changes: TicketChanges,
    actorId: number,
    creating: boolean,
  ): { comment: SimComment | null; changed: WriteResult['changed'] } {
    if (!creating && ticket.status === 'closed') {
      throw recordInvalid('status', 'Status: closed prevents ticket update', 'StatusClosed');
    }
    const next = { ...ticket };
    if (changes.subject !== undefined) next.subject = String(changes.subject ?? '');
    if (changes.status !== undefined) {
      const status = String(changes.status);
      if (!STATUSES.has(status)) throw recordInvalid('status', `Status: ${status} is not valid`);
      // Once a ticket has left `new` it cannot go back (as in the agent UI). UNCONFIRMED for the API.
      if (status === 'new' && ticket.status !== 'new' && !creating) {
        throw recordInvalid('status', 'Status: new is not valid for a ticket that was opened');
      }
      next.status = status as ZdSimStatus;
    }
    if (changes.priority !== undefined) {
      if (changes.priority !== null && !PRIORITIES.has(String(changes.priority))) {
        throw recordInvalid('priority', `Priority: ${String(changes.priority)} is not valid`);
      }
      next.priority = changes.priority === null ? null : String(changes.priority);
    }
    if (changes.assignee_id !== undefined) next.assigneeId = checkAssignee(changes.assignee_id);
    if (changes.external_id !== undefined)
      next.externalId = changes.external_id === null ? null : String(changes.external_id);
    for (const [field, key] of [
      ['organization_id', 'organizationId'],
      ['group_id', 'groupId'],
    ] as const) {
      const value = changes[field];
      if (value === undefined) continue;
      if (value !== null && (!Number.isInteger(value) || (value as number) < 1))
        throw recordInvalid(field, `${field}: ${String(value)} is not valid`);
      next[key] = value as number | null;
    }
    if (changes.type !== undefined) {
      if (
        changes.type !== null &&
        !['question', 'incident', 'problem', 'task'].includes(String(changes.type))
      )
        throw recordInvalid('type', `Type: ${String(changes.type)} is not valid`);
      next.type = changes.type === null ? null : String(changes.type);
    }
    // Zendesk opens a new ticket as soon as someone is assigned.
    if (next.status === 'new' && next.assigneeId !== null) next.status = 'open';
    let comment: SimComment | null = null;
    if (changes.comment !== undefined) {
      const input = changes.comment as { body?: unknown; html_body?: unknown; public?: unknown } | null;
      const body = input?.body ?? input?.html_body;
      if (typeof body !== 'string' || body.trim() === '')
        throw recordInvalid('comment', 'Comment: body cannot be blank', 'BlankValue');
      comment = {
        id: nextCommentId++,
        ticketId: ticket.id,
        authorId: actorId,
        body,
        public: input?.public !== false,
        auditId: 0,
        createdMs: stamp(),
        channel: 'api',
      };
    }
    const changed = (['subject', 'status', 'priority', 'assigneeId'] as const)
      .filter((field) => next[field] !== ticket[field])
      .map((field) => ({ field, previous: ticket[field] }));
    Object.assign(ticket, next, { updatedMs: stamp() });
    return { comment, changed };
  }

  function record(
    ticket: SimTicket,
    { comment, changed }: ReturnType<typeof apply>,
    event: WriteResult['event'],
  ): WriteResult {
    const auditId = nextAuditId++;
    if (comment) {
      comment.auditId = auditId;
      comments.get(ticket.id)?.push(comment);
    }
    return { ticket, auditId, auditMs: ticket.updatedMs, comment, event, changed };
  }

  function createTicket(
    input: TicketChanges & { requesterId?: number },
    actorId: number,
    channel = 'api',
  ): WriteResult {
    if (input.comment === undefined)
      throw recordInvalid('base', 'Description: cannot be blank', 'BlankValue');
    const at = stamp();
    const ticket: SimTicket = {
      id: nextTicketId,
      subject: '',
      description: '',
      status: 'new',
      priority: null,
      requesterId: input.requesterId ?? actorId,
      submitterId: actorId,
      assigneeId: null,
      groupId: 360_000_000_001,
      organizationId: null,
      type: null,
      externalId: null,
      tags: [],
      channel,
      createdMs: at,
      updatedMs: at,
    };
    const applied = apply(ticket, input, actorId, true);
    if (applied.comment) applied.comment.channel = channel;
    ticket.description = applied.comment?.body ?? '';
    nextTicketId += 1;
    tickets.set(ticket.id, ticket);
    comments.set(ticket.id, []);
    return record(ticket, applied, 'created');
  }

  function updateTicket(id: number, changes: TicketChanges, actorId: number): WriteResult {
    const ticket = requireTicket(id);
    return record(ticket, apply(ticket, changes, actorId, false), 'updated');
  }

  return {
    users,
    tickets,
    comments,
    stamp,
    addUser,
    userByEmail,
    requireTicket,
    createTicket,
    updateTicket,
    commentsOf: (id: number) => comments.get(requireTicket(id).id) ?? [],
  };
}

export type SimStore = ReturnType<typeof createSimStore>;
