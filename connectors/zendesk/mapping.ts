/**
 * Pure mappings between Zendesk Support payloads and the hub's canonical records.
 *
 * Zendesk has six fixed statuses (custom ticket statuses refine them but keep one of these as
 * `status`). `hold` (waiting on a third party) and `pending` (waiting on the requester) both
 * mean WAITING; the hub's IN_PROGRESS has no Zendesk counterpart and is written as `open`, so it
 * does not round-trip (a connection may map `hold` to IN_PROGRESS instead). A ticket without a
 * priority reads as MEDIUM, Zendesk's `normal`.
 */
import {
  type CommentDraft,
  type CommentRecord,
  hasOriginMarker,
  type Mappings,
  type PersonRef,
  type TicketDraft,
  type TicketPatch,
  type TicketPriority,
  type TicketRecord,
  type TicketStatus,
} from '../../src/connector-kit/index.ts';
import type { ZdComment, ZdTicket, ZdUser } from './api-types.ts';

export const zendeskDefaultMappings: Mappings = {
  status: {
    toCanonical: {
      new: 'NEW',
      open: 'OPEN',
      pending: 'WAITING',
      hold: 'WAITING',
      solved: 'RESOLVED',
      closed: 'CLOSED',
    },
    fromCanonical: {
      NEW: 'new',
      OPEN: 'open',
      IN_PROGRESS: 'open',
      WAITING: 'pending',
      RESOLVED: 'solved',
      // Zendesk refuses every update to a closed ticket (422) and closes solved tickets itself
      // after a few days, so the hub writes "done" as solved: later changes can still land.
      CLOSED: 'solved',
    },
  },
  priority: {
    toCanonical: { urgent: 'CRITICAL', high: 'HIGH', normal: 'MEDIUM', low: 'LOW' },
    fromCanonical: { CRITICAL: 'urgent', HIGH: 'high', MEDIUM: 'normal', LOW: 'low' },
  },
};

/**
 * The canonical statuses whose default mapping round-trips (IN_PROGRESS is written as `open`,
 * CLOSED as `solved`).
 */
export const ROUND_TRIP_STATUSES: TicketStatus[] = ['NEW', 'OPEN', 'WAITING', 'RESOLVED'];

export type ZdUsers = ReadonlyMap<number, ZdUser>;

export function indexUsers(users: readonly ZdUser[] | undefined): Map<number, ZdUser> {
  return new Map((users ?? []).map((user) => [user.id, user]));
}

export function toPersonRef(id: number | null | undefined, users: ZdUsers): PersonRef | null {
  if (id === null || id === undefined) return null;
  const user = users.get(id);
  return { externalId: String(id), name: user?.name ?? null, email: user?.email ?? null };
}

export function toCanonicalStatus(status: string, maps: Mappings): TicketStatus {
  // An unknown value (a future Zendesk status) stays visible as rawStatus and reads as OPEN.
  return maps.status.toCanonical[status] ?? 'OPEN';
}

export function toCanonicalPriority(priority: string | null | undefined, maps: Mappings): TicketPriority {
  return (priority ? maps.priority.toCanonical[priority] : undefined) ?? 'MEDIUM';
}

export function toTicketRecord(
  ticket: ZdTicket,
  users: ZdUsers,
  maps: Mappings,
  baseUrl: string,
): TicketRecord {
  return {
    externalId: String(ticket.id),
    externalUrl: `${baseUrl}/agent/tickets/${ticket.id}`,
    title: ticket.subject ?? '',
    description: ticket.description ?? null,
    status: toCanonicalStatus(ticket.status, maps),
    rawStatus: ticket.status,
    priority: toCanonicalPriority(ticket.priority, maps),
    assignee: toPersonRef(ticket.assignee_id, users),
    requester: toPersonRef(ticket.requester_id, users),
    queue: ticket.group_id == null ? null : String(ticket.group_id),
    category: ticket.type ?? null,
    scopeKey: ticket.organization_id == null ? null : String(ticket.organization_id),
    correlationId: ticket.external_id ?? null,
    createdAt: new Date(ticket.created_at),
    updatedAt: new Date(ticket.updated_at),
  };
}

export function toCommentRecord(comment: ZdComment, users: ZdUsers): CommentRecord {
  const body = comment.body ?? comment.plain_body ?? '';
  return {
    externalId: String(comment.id),
    body,
    visibility: comment.public ? 'PUBLIC' : 'INTERNAL',
    author: toPersonRef(comment.author_id, users),
    createdAt: new Date(comment.created_at),
    fromHub: hasOriginMarker(body),
  };
}

/** `ticket.comment` for an update: `public: false` is an internal note, never emailed. */
export function toZdComment(draft: CommentDraft): { body: string; public: boolean } {
  return { body: draft.body, public: draft.visibility === 'PUBLIC' };
}

/**
 * The `ticket` object of `POST /tickets.json`. Zendesk needs a first comment (it becomes the
 * description); the hub's id goes in `external_id`, the correlation key searched before creating.
 */
export function toZdCreateBody(draft: TicketDraft, maps: Mappings): Record<string, unknown> {
  const body: Record<string, unknown> = {
    subject: draft.title,
    comment: { body: draft.description?.trim() ? draft.description : draft.title, public: true },
    status: maps.status.fromCanonical[draft.status],
    priority: maps.priority.fromCanonical[draft.priority],
    external_id: draft.hubTicketId,
  };
  if (draft.assigneeExternalId !== null) body.assignee_id = Number(draft.assigneeExternalId);
  if (draft.requesterEmail) body.requester = { email: draft.requesterEmail, name: draft.requesterEmail };
  return body;
}

/** The `ticket` object of `PUT /tickets/{id}.json` for the fields present in `patch`. */
export function toZdUpdateBody(patch: TicketPatch, maps: Mappings): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (patch.title !== undefined) body.subject = patch.title;
  if (patch.status !== undefined) body.status = maps.status.fromCanonical[patch.status];
  if (patch.priority !== undefined) body.priority = maps.priority.fromCanonical[patch.priority];
  if (patch.assigneeExternalId !== undefined) {
    body.assignee_id = patch.assigneeExternalId === null ? null : Number(patch.assigneeExternalId);
  }
  return body;
}
