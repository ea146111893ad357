/**
 * Pure mappings between Freshservice payloads and the hub's canonical records.
 *
 * Freshservice's default statuses are 2 Open, 3 Pending, 4 Resolved, 5 Closed, and priorities
 * 1 Low .. 4 Urgent (ids UNCONFIRMED against primary docs; an account may add custom statuses,
 * which a connection maps with overrides). There is no "new" or "in progress": NEW and
 * IN_PROGRESS are written as Open and do not round-trip. Bodies are HTML: the connector writes
 * escaped text with `<br>` and reads the `*_text` fields Freshservice derives.
 */
import {
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
import type { FsAgent, FsConversation, FsTicket } from './api-types.ts';

export const freshserviceDefaultMappings: Mappings = {
  status: {
    toCanonical: { '2': 'OPEN', '3': 'WAITING', '4': 'RESOLVED', '5': 'CLOSED' },
    fromCanonical: { NEW: '2', OPEN: '2', IN_PROGRESS: '2', WAITING: '3', RESOLVED: '4', CLOSED: '5' },
  },
  priority: {
    toCanonical: { '1': 'LOW', '2': 'MEDIUM', '3': 'HIGH', '4': 'CRITICAL' },
    fromCanonical: { LOW: '1', MEDIUM: '2', HIGH: '3', CRITICAL: '4' },
  },
};

/** Canonical statuses whose default mapping round-trips (NEW and IN_PROGRESS are written as Open). */
export const ROUND_TRIP_STATUSES: TicketStatus[] = ['OPEN', 'WAITING', 'RESOLVED', 'CLOSED'];

export type FsAgents = ReadonlyMap<number, FsAgent>;

export interface MappingOptions {
  maps: Mappings;
  agents: FsAgents;
  baseUrl: string;
  correlationField: string;
}

export function toHtml(text: string): string {
  const escaped = text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
  return `<div>${escaped.replace(/\r?\n/g, '<br>')}</div>`;
}

/** Plain text of an HTML body, for payloads without a `*_text` twin. */
export function fromHtml(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div)>\s*(?=.)/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .trim();
}

export function agentRef(id: number | null | undefined, agents: FsAgents): PersonRef | null {
  if (id === null || id === undefined) return null;
  const agent = agents.get(id);
  const name = [agent?.first_name, agent?.last_name].filter(Boolean).join(' ') || null;
  return { externalId: String(id), name, email: agent?.email ?? null };
}

export function toCanonicalStatus(status: number, maps: Mappings): TicketStatus {
  // A custom status nobody mapped stays visible as rawStatus and reads as OPEN.
  return maps.status.toCanonical[String(status)] ?? 'OPEN';
}

export function toCanonicalPriority(priority: number | null | undefined, maps: Mappings): TicketPriority {
  return (priority == null ? undefined : maps.priority.toCanonical[String(priority)]) ?? 'MEDIUM';
}

export function toTicketRecord(ticket: FsTicket, opts: MappingOptions): TicketRecord {
  const correlation = ticket.custom_fields?.[opts.correlationField];
  const requester = ticket.requester;
  return {
    externalId: String(ticket.id),
    externalUrl: `${opts.baseUrl}/a/tickets/${ticket.id}`,
    title: ticket.subject ?? '',
    description: ticket.description_text ?? (ticket.description ? fromHtml(ticket.description) : null),
    status: toCanonicalStatus(ticket.status, opts.maps),
    rawStatus: String(ticket.status),
    priority: toCanonicalPriority(ticket.priority, opts.maps),
    assignee: agentRef(ticket.responder_id, opts.agents),
    requester:
      ticket.requester_id == null
        ? null
        : {
            externalId: String(ticket.requester_id),
            name: requester?.name ?? null,
            email: requester?.email ?? null,
          },
    queue: ticket.group_id == null ? null : String(ticket.group_id),
    category: ticket.category ?? null,
    scopeKey: ticket.department_id == null ? null : String(ticket.department_id),
    correlationId: typeof correlation === 'string' && correlation !== '' ? correlation : null,
    createdAt: new Date(ticket.created_at),
    updatedAt: new Date(ticket.updated_at),
  };
}

export function toCommentRecord(conversation: FsConversation, agents: FsAgents): CommentRecord {
  const body = conversation.body_text ?? fromHtml(conversation.body ?? '');
  return {
    externalId: String(conversation.id),
    body,
    visibility: conversation.private ? 'INTERNAL' : 'PUBLIC',
    author: agentRef(conversation.user_id, agents),
    createdAt: new Date(conversation.created_at),
    fromHub: hasOriginMarker(body),
  };
}

const asNumber = (value: string) => Number(value);

/** `POST /tickets`: the hub id goes in the correlation custom field, searched before creating. */
export function toFsCreateBody(
  draft: TicketDraft,
  maps: Mappings,
  opts: { correlationField: string; defaultRequesterEmail: string },
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    subject: draft.title,
    description: toHtml(draft.description?.trim() ? draft.description : draft.title),
    email: draft.requesterEmail ?? opts.defaultRequesterEmail,
    status: asNumber(maps.status.fromCanonical[draft.status]),
    priority: asNumber(maps.priority.fromCanonical[draft.priority]),
    custom_fields: { [opts.correlationField]: draft.hubTicketId },
  };
  if (draft.assigneeExternalId !== null) body.responder_id = Number(draft.assigneeExternalId);
  return body;
}

/** `PUT /tickets/{id}` for the fields present in `patch`; `responder_id: null` unassigns. */
export function toFsUpdateBody(patch: TicketPatch, maps: Mappings): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (patch.title !== undefined) body.subject = patch.title;
  if (patch.status !== undefined) body.status = asNumber(maps.status.fromCanonical[patch.status]);
  if (patch.priority !== undefined) body.priority = asNumber(maps.priority.fromCanonical[patch.priority]);
  if (patch.assigneeExternalId !== undefined) {
    body.responder_id = patch.assigneeExternalId === null ? null : Number(patch.assigneeExternalId);
  }
  return body;
}

/** The filter-query field for a custom field: Freshworks drops the `cf_` prefix there (UNCONFIRMED). */
export function filterFieldOf(correlationField: string): string {
  return correlationField.replace(/^cf_/, '');
}
