/**
 * Pure translation between RT REST2 records and the hub's canonical records. No I/O.
 */
import {
  ConnectorError,
  type Mappings,
  type PersonRef,
  type TicketDraft,
  type TicketPatch,
  type TicketPriority,
  type TicketRecord,
  type TicketStatus,
} from '../../src/connector-kit/index.ts';
import type { RtTicket, RtUserRef } from './api-types.ts';
import { CORRELATION_FIELD } from './ticket-sql.ts';

/**
 * RT's default lifecycle. Reads are many-to-one (rejected and deleted are both "closed");
 * writes pick the faithful RT status: IN_PROGRESS is RT's `open` (RT has no separate
 * "being worked on" state) and CLOSED is `resolved` (`rejected` means "declined", and
 * `deleted` hides the ticket from every search). So NEW, OPEN, WAITING and RESOLVED
 * round-trip; IN_PROGRESS reads back as OPEN and CLOSED as RESOLVED.
 */
export const RT_STATUS_TO_CANONICAL: Record<string, TicketStatus> = {
  new: 'NEW',
  open: 'OPEN',
  stalled: 'WAITING',
  resolved: 'RESOLVED',
  rejected: 'CLOSED',
  deleted: 'CLOSED',
};
export const CANONICAL_TO_RT_STATUS: Record<TicketStatus, string> = {
  NEW: 'new',
  OPEN: 'open',
  IN_PROGRESS: 'open',
  WAITING: 'stalled',
  RESOLVED: 'resolved',
  CLOSED: 'resolved',
};
export const ROUND_TRIP_STATUSES: TicketStatus[] = ['NEW', 'OPEN', 'WAITING', 'RESOLVED'];

/**
 * RT priorities are integers (the UI's Low/Medium/High are 0/50/100). Exact entries in the
 * connection's map win; any other number falls in a band of 25: 0-24 LOW, 25-49 MEDIUM,
 * 50-74 HIGH, 75 and up CRITICAL. Writes use the band's representative value.
 */
export const RT_PRIORITY_BANDS: Array<{ min: number; priority: TicketPriority }> = [
  { min: 75, priority: 'CRITICAL' },
  { min: 50, priority: 'HIGH' },
  { min: 25, priority: 'MEDIUM' },
];
export const CANONICAL_TO_RT_PRIORITY: Record<TicketPriority, string> = {
  LOW: '0',
  MEDIUM: '25',
  HIGH: '50',
  CRITICAL: '100',
};

export const rtDefaultMappings: Mappings = {
  status: { toCanonical: RT_STATUS_TO_CANONICAL, fromCanonical: CANONICAL_TO_RT_STATUS },
  priority: {
    toCanonical: Object.fromEntries(
      Object.entries(CANONICAL_TO_RT_PRIORITY).map(([k, v]) => [v, k]),
    ) as Record<string, TicketPriority>,
    fromCanonical: CANONICAL_TO_RT_PRIORITY,
  },
};

/** Unknown statuses (a custom lifecycle) read as OPEN; `rawStatus` keeps RT's value. */
export function toCanonicalStatus(raw: string, maps: Mappings): TicketStatus {
  return maps.status.toCanonical[raw] ?? maps.status.toCanonical[raw.toLowerCase()] ?? 'OPEN';
}

export function toCanonicalPriority(raw: string | number, maps: Mappings): TicketPriority {
  const exact = maps.priority.toCanonical[String(raw)];
  if (exact) return exact;
  const value = Number(raw);
  if (!Number.isFinite(value)) return 'MEDIUM';
  return RT_PRIORITY_BANDS.find((band) => value >= band.min)?.priority ?? 'LOW';
}

export function toPersonRef(user: RtUserRef | undefined): PersonRef | null {
  if (!user || user.id === 'Nobody') return null;
  const email = user.EmailAddress || (user.id.includes('@') ? user.id : null);
  return { externalId: user.id, name: user.RealName || user.Name || user.id, email: email || null };
}

/** RT's times are UTC ISO with `Z`; the epoch means "not set". */
export function parseRtDate(value: string | undefined): Date | null {
  if (!value || value.startsWith('1970-01-01')) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function required<T>(value: T | null | undefined, field: string, id: string): T {
  if (value === undefined || value === null) {
    throw new ConnectorError('invalid_response', `RT ticket ${id} came without a usable ${field}`);
  }
  return value;
}

export function correlationIdOf(ticket: RtTicket): string | null {
  const field = ticket.CustomFields?.find((cf) => cf.name === CORRELATION_FIELD);
  const value = field?.values[0];
  return typeof value === 'string' && value !== '' ? value : null;
}

export function toTicketRecord(ticket: RtTicket, maps: Mappings, webBaseUrl: string): TicketRecord {
  const id = ticket.id;
  const rawStatus = required(ticket.Status, 'Status', id);
  return {
    externalId: id,
    externalUrl: `${webBaseUrl.replace(/\/+$/, '')}/Ticket/Display.html?id=${id}`,
    title: required(ticket.Subject, 'Subject', id),
    status: toCanonicalStatus(rawStatus, maps),
    rawStatus,
    priority: toCanonicalPriority(ticket.Priority ?? '0', maps),
    assignee: toPersonRef(ticket.Owner),
    requester: toPersonRef(ticket.Requestor?.[0]),
    queue: ticket.Queue?.Name ?? ticket.Queue?.id ?? null,
    // The queue is the customer key (RT has no company); ids only when RT withheld the name.
    scopeKey: ticket.Queue?.Name ?? ticket.Queue?.id ?? null,
    correlationId: correlationIdOf(ticket),
    createdAt: required(parseRtDate(ticket.Created), 'Created', id),
    updatedAt: required(parseRtDate(ticket.LastUpdated), 'LastUpdated', id),
  };
}

/** RT wants an integer priority; a non-numeric override is passed through for RT to judge. */
function toRtPriority(value: string): number | string {
  return /^-?\d+$/.test(value) ? Number(value) : value;
}

/** The JSON for `POST /ticket`. `initialStatus` is only sent when RT accepts it at creation. */
export function toRtCreateBody(
  draft: TicketDraft,
  queue: string,
  maps: Mappings,
  creatableStatuses: readonly string[],
): { body: Record<string, unknown>; statusAfterCreate: string | null } {
  const status = maps.status.fromCanonical[draft.status];
  const body: Record<string, unknown> = {
    Queue: queue,
    Subject: draft.title,
    Priority: toRtPriority(maps.priority.fromCanonical[draft.priority]),
    CustomFields: { [CORRELATION_FIELD]: draft.hubTicketId },
  };
  if (draft.description) {
    body.Content = draft.description;
    body.ContentType = 'text/plain';
  }
  if (draft.assigneeExternalId) body.Owner = draft.assigneeExternalId;
  if (draft.requesterEmail) body.Requestor = draft.requesterEmail;
  const creatable = creatableStatuses.includes(status);
  if (creatable) body.Status = status;
  return { body, statusAfterCreate: creatable ? null : status };
}

/** The JSON for `PUT /ticket/:id`; only the patch's fields. `null` assignee is RT's `Nobody`. */
export function toRtUpdateBody(patch: TicketPatch, maps: Mappings): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (patch.title !== undefined) body.Subject = patch.title;
  if (patch.status !== undefined) body.Status = maps.status.fromCanonical[patch.status];
  if (patch.priority !== undefined) body.Priority = toRtPriority(maps.priority.fromCanonical[patch.priority]);
  if (patch.assigneeExternalId !== undefined) body.Owner = patch.assigneeExternalId ?? 'Nobody';
  // https://docs.bestpractical.com/rt/5.0.7/RT/REST2.html#Tickets: Queue takes a name or id.
  if (patch.queue !== undefined) body.Queue = patch.queue;
  return body;
}
