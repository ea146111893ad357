/**
 * Pure mapping between Autotask records and the hub's canonical records. Statuses and priorities
 * are picklist integers whose labels differ per tenant, so the maps are keyed by *label* (a
 * numeric value as a string also works in a connection's overrides, and wins over a label); `lookups.ts` reads the
 * picklists.
 */
import {
  type CommentDraft,
  type CommentRecord,
  type CommentVisibility,
  hasOriginMarker,
  type Mappings,
  type PersonRef,
  type TicketRecord,
} from '../../src/connector-kit/index.ts';
import type { AtResource, AtTicket, AtTicketNote } from './api-types.ts';
import type { TicketPicklists } from './lookups.ts';

/**
 * New (1), Complete (5) and Waiting Customer (7) are Autotask system statuses; the rest are the
 * stock labels of one public tenant (djat's mapping). Autotask has no separate "closed": Complete
 * reads as RESOLVED (the safer reading: the other side may still want a confirmation step), and
 * both RESOLVED and CLOSED are written as Complete.
 */
export const autotaskDefaultMappings: Mappings = {
  status: {
    toCanonical: {
      New: 'NEW',
      Dispatched: 'OPEN',
      Escalate: 'OPEN',
      'In Progress': 'IN_PROGRESS',
      'Change Order': 'IN_PROGRESS',
      'Waiting Customer': 'WAITING',
      'Waiting Materials': 'WAITING',
      'Waiting Vendor': 'WAITING',
      'Waiting Approval': 'WAITING',
      Complete: 'RESOLVED',
    },
    fromCanonical: {
      NEW: 'New',
      OPEN: 'Dispatched',
      IN_PROGRESS: 'In Progress',
      WAITING: 'Waiting Customer',
      RESOLVED: 'Complete',
      CLOSED: 'Complete',
    },
  },
  priority: {
    toCanonical: { Critical: 'CRITICAL', High: 'HIGH', Medium: 'MEDIUM', Low: 'LOW' },
    fromCanonical: { CRITICAL: 'Critical', HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low' },
  },
};

/** Statuses that survive a write and a read unchanged (CLOSED reads back as RESOLVED). */
export const ROUND_TRIP_STATUSES = ['NEW', 'OPEN', 'IN_PROGRESS', 'WAITING', 'RESOLVED'] as const;

export const AT_COMPLETE_STATUS = 5;
export const AT_TITLE_MAX = 255;
/** `publish`: 1 = All Autotask Users, 2 = Internal Users (djat `Note.PUBLISH_CHOICES`). */
export const AT_PUBLISH_ALL_USERS = 1;
export const AT_PUBLISH_INTERNAL = 2;
/** noteType 13 is the system "Workflow Rule Note": automation, not a person's comment. */
export const AT_WORKFLOW_NOTE_TYPE = 13;

/** Autotask times are UTC; a value without a zone designator is read as UTC. */
export function parseAtDate(value: string): Date {
  const withZone = /(Z|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value}Z`;
  return new Date(withZone);
}

export function toAtTitle(title: string): string {
  const clean = title.replace(/\s+/g, ' ').trim() || '(no subject)';
  if (clean.length <= AT_TITLE_MAX) return clean;
  let kept = '';
  for (const point of clean) {
    if (kept.length + point.length > AT_TITLE_MAX - 1) break;
    kept += point;
  }
  return `${kept.trimEnd()}…`;
}

/** The ticket in the web UI (deep-link path UNCONFIRMED). */
export function toTicketUrl(webUrl: string | null, id: number): string | null {
  if (!webUrl) return null;
  return `${webUrl.replace(/\/+$/, '')}/Mvc/ServiceDesk/TicketDetail.mvc?workspace=False&mode=0&TicketID=${id}`;
}

/** The hub ticket id the ticket carries: `externalID`, or the named UDF. */
export function correlationOf(ticket: AtTicket, udfName?: string): string | null {
  if (!udfName) return ticket.externalID || null;
  const udfs = Array.isArray(ticket.userDefinedFields) ? ticket.userDefinedFields : [];
  return udfs.find((u) => u.name.toLowerCase() === udfName.toLowerCase())?.value || null;
}

export function toPerson(id: number, resources?: ReadonlyMap<number, AtResource>): PersonRef {
  const r = resources?.get(id);
  const name = r ? [r.firstName, r.lastName].filter(Boolean).join(' ') : '';
  return { externalId: String(id), name: name || null, email: r?.email ?? null };
}

export interface TicketMappingContext {
  maps: Mappings;
  picklists: TicketPicklists;
  resources?: ReadonlyMap<number, AtResource>;
  webUrl: string | null;
  correlationUdf?: string;
}

/** A numeric key only exists when a connection set it on purpose, so it beats a (default) label. */
function labelled(map: Record<string, string>, label: string | undefined, value: number) {
  return map[String(value)] ?? (label === undefined ? undefined : map[label]);
}

/**
 * Autotask ticket -> canonical record. An unknown status falls back to RESOLVED for Complete and
 * OPEN otherwise; an unknown priority to MEDIUM, so a tenant's new label never breaks a pull.
 */
export function toTicketRecord(ticket: AtTicket, ctx: TicketMappingContext): TicketRecord {
  const statusLabel = ctx.picklists.status.byValue.get(ticket.status);
  const priority = ticket.priority ?? null;
  const priorityLabel = priority === null ? undefined : ctx.picklists.priority.byValue.get(priority);
  const status = labelled(ctx.maps.status.toCanonical, statusLabel, ticket.status);
  return {
    externalId: String(ticket.id),
    externalUrl: toTicketUrl(ctx.webUrl, ticket.id),
    title: ticket.title,
    description: ticket.description ?? null,
    status: (status ??
      (ticket.status === AT_COMPLETE_STATUS ? 'RESOLVED' : 'OPEN')) as TicketRecord['status'],
    rawStatus: statusLabel ?? String(ticket.status),
    priority: ((priority === null
      ? undefined
      : labelled(ctx.maps.priority.toCanonical, priorityLabel, priority)) ??
      'MEDIUM') as TicketRecord['priority'],
    assignee: ticket.assignedResourceID ? toPerson(ticket.assignedResourceID, ctx.resources) : null,
    requester: ticket.contactID
      ? { externalId: `contact:${ticket.contactID}`, name: null, email: null }
      : null,
    queue: ticket.queueID ? (ctx.picklists.queueID.byValue.get(ticket.queueID) ?? null) : null,
    category: ticket.issueType
      ? (ctx.picklists.issueType.byValue.get(ticket.issueType) ?? String(ticket.issueType))
      : null,
    // The customer: the company id as a string (what a connection's scope and company map name).
    scopeKey: String(ticket.companyID),
    correlationId: correlationOf(ticket, ctx.correlationUdf),
    createdAt: parseAtDate(ticket.createDate),
    updatedAt: parseAtDate(ticket.lastActivityDate),
  };
}

/** Only "All Autotask Users" is public; any other or unknown publish value stays internal. */
export function toVisibility(publish: number): CommentVisibility {
  return publish === AT_PUBLISH_ALL_USERS ? 'PUBLIC' : 'INTERNAL';
}

export function toCommentRecord(
  note: AtTicketNote,
  resources?: ReadonlyMap<number, AtResource>,
): CommentRecord {
  const body = note.description ?? '';
  const author: PersonRef | null = note.creatorResourceID
    ? toPerson(note.creatorResourceID, resources)
    : note.createdByContactID
      ? { externalId: `contact:${note.createdByContactID}`, name: null, email: null }
      : null;
  return {
    externalId: String(note.id),
    body,
    visibility: toVisibility(note.publish),
    author,
    createdAt: parseAtDate(note.createDateTime),
    fromHub: hasOriginMarker(body),
  };
}

/** Canonical comment -> the body of `POST /Tickets/{id}/Notes`. */
export function toNoteBody(
  comment: CommentDraft,
  ticketId: number,
  noteType: number,
): Record<string, unknown> {
  const title = comment.authorName ? `Update from ${comment.authorName}` : 'Update via co-managed hub';
  return {
    ticketID: ticketId,
    title: title.slice(0, 250),
    description: comment.body,
    noteType,
    publish: comment.visibility === 'PUBLIC' ? AT_PUBLISH_ALL_USERS : AT_PUBLISH_INTERNAL,
  };
}
