/**
 * Pure mapping between ConnectWise records and the hub's canonical records. Statuses and
 * priorities are mapped by *name* (ids differ per tenant and, for statuses, per board); the
 * client resolves names to ids.
 */
import {
  type CommentDraft,
  type CommentRecord,
  hasOriginMarker,
  type Mappings,
  type PersonRef,
  type TicketRecord,
} from '../../src/connector-kit/index.ts';
import type { CwMember, CwNote, CwTicket } from './api-types.ts';

/**
 * CW's out-of-the-box service board statuses and priorities as seen in production syncs
 * (django-connectwise fixtures). Tenants rename them freely: connections override entries.
 */
export const connectWiseDefaultMappings: Mappings = {
  status: {
    toCanonical: {
      New: 'NEW',
      'New (email connector)': 'NEW',
      Assigned: 'OPEN',
      'Re-Opened': 'OPEN',
      'Customer Updated': 'OPEN',
      'In Progress': 'IN_PROGRESS',
      Scheduled: 'IN_PROGRESS',
      'Waiting Customer': 'WAITING',
      'Waiting on Customer': 'WAITING',
      Resolved: 'RESOLVED',
      Completed: 'RESOLVED',
      Closed: 'CLOSED',
      '>Closed': 'CLOSED',
    },
    fromCanonical: {
      NEW: 'New',
      OPEN: 'Assigned',
      IN_PROGRESS: 'In Progress',
      WAITING: 'Waiting Customer',
      RESOLVED: 'Resolved',
      CLOSED: 'Closed',
    },
  },
  priority: {
    toCanonical: {
      'Priority 1 - Emergency Response': 'CRITICAL',
      'Priority 2 - Quick Response': 'HIGH',
      'Priority 3 - Normal Response': 'MEDIUM',
      'Priority 4 - Scheduled Maintenance': 'LOW',
      'Priority 5 - Next Time': 'LOW',
      'Priority 1 - Critical': 'CRITICAL',
      'Priority 2 - High': 'HIGH',
      'Priority 3 - Medium': 'MEDIUM',
      'Priority 4 - Low': 'LOW',
    },
    fromCanonical: {
      CRITICAL: 'Priority 1 - Emergency Response',
      HIGH: 'Priority 2 - Quick Response',
      MEDIUM: 'Priority 3 - Normal Response',
      LOW: 'Priority 4 - Scheduled Maintenance',
    },
  },
};

/** CW's `summary` limit. */
export const CW_SUMMARY_MAX = 100;

/**
 * Fit a title into `summary`: CW (.NET) counts UTF-16 units, so the cut is made by units, but
 * only between whole code points (never half an emoji); whitespace is collapsed, and an
 * ellipsis shows a person it was shortened.
 */
export function toCwSummary(title: string): { summary: string; truncated: boolean } {
  const clean = title.replace(/\s+/g, ' ').trim() || '(no subject)';
  if (clean.length <= CW_SUMMARY_MAX) return { summary: clean, truncated: false };
  let kept = '';
  for (const point of clean) {
    if (kept.length + point.length > CW_SUMMARY_MAX - 1) break;
    kept += point;
  }
  return { summary: `${kept.trimEnd()}…`, truncated: true };
}

/**
 * The ticket's page in the CW web UI. The API host `api-na.myconnectwise.net` serves the UI
 * as `na.myconnectwise.net`; the deep-link path is the long-standing `fv_sr100_request.rails`
 * one (UNCONFIRMED for every codebase).
 */
export function toCwTicketUrl(baseUrl: string, companyId: string, ticketId: number): string {
  const url = new URL(baseUrl);
  const codebase = url.pathname.split('/apis/')[0] ?? '';
  const host = url.host.replace(/^api-/, '');
  const query = `service_recid=${ticketId}&companyName=${encodeURIComponent(companyId)}`;
  return `${url.protocol}//${host}${codebase}/services/system_io/Service/fv_sr100_request.rails?${query}`;
}

export interface TicketMappingContext {
  maps: Mappings;
  baseUrl: string;
  companyId: string;
  /** Members by id, to fill in the owner's email (references carry none). */
  members?: ReadonlyMap<number, CwMember>;
}

function toOwner(ticket: CwTicket, members?: ReadonlyMap<number, CwMember>): PersonRef | null {
  if (!ticket.owner) return null;
  const member = members?.get(ticket.owner.id);
  const fullName = member ? [member.firstName, member.lastName].filter(Boolean).join(' ') : '';
  return {
    externalId: String(ticket.owner.id),
    name: ticket.owner.name ?? (fullName || ticket.owner.identifier || null),
    email: member?.officeEmail ?? null,
  };
}

function toRequester(ticket: CwTicket): PersonRef | null {
  const email = ticket.contactEmailAddress ?? null;
  const id = ticket.contact?.id !== undefined ? String(ticket.contact.id) : email;
  if (!id) return null;
  return { externalId: id, name: ticket.contactName ?? ticket.contact?.name ?? null, email };
}

/**
 * CW ticket -> canonical record. A status name the map does not know falls back on CW's own
 * `closedFlag` (CLOSED or OPEN), and an unknown priority on MEDIUM, so a renamed status never
 * breaks a pull. `initialDescription` is write-only in CW, so `description` is left out.
 */
export function toTicketRecord(ticket: CwTicket, ctx: TicketMappingContext): TicketRecord {
  const statusName = ticket.status.name ?? '';
  const priorityName = ticket.priority?.name ?? '';
  return {
    externalId: String(ticket.id),
    externalUrl: toCwTicketUrl(ctx.baseUrl, ctx.companyId, ticket.id),
    title: ticket.summary,
    status: ctx.maps.status.toCanonical[statusName] ?? (ticket.closedFlag ? 'CLOSED' : 'OPEN'),
    rawStatus: statusName || null,
    priority: ctx.maps.priority.toCanonical[priorityName] ?? 'MEDIUM',
    assignee: toOwner(ticket, ctx.members),
    requester: toRequester(ticket),
    queue: ticket.board.name ?? null,
    category: ticket.type?.name ?? null,
    scopeKey: toCwScopeKey(ticket),
    correlationId: ticket.externalXRef || null,
    createdAt: new Date(ticket._info.dateEntered),
    updatedAt: new Date(ticket._info.lastUpdated),
  };
}

/**
 * The ticket's customer: its company's identifier (what a connection's scope and company map
 * name, and what `company/identifier` filters on), or the company id when CW omits the identifier.
 */
export function toCwScopeKey(ticket: CwTicket): string | null {
  if (!ticket.company) return null;
  return ticket.company.identifier ?? String(ticket.company.id);
}

/**
 * CW note -> canonical comment. A note is PUBLIC only when it is on the Discussion or
 * Resolution tab and not also flagged Internal; a note with no flag stays INTERNAL. When in
 * doubt, keep it inside the party that wrote it.
 */
export function toCommentRecord(note: CwNote): CommentRecord {
  const shown = note.detailDescriptionFlag === true || note.resolutionFlag === true;
  const body = note.text ?? '';
  const author: PersonRef | null = note.member
    ? {
        externalId: String(note.member.id),
        name: note.member.name ?? note.member.identifier ?? null,
        email: null,
      }
    : note.contact
      ? { externalId: `contact:${note.contact.id}`, name: note.contact.name ?? null, email: null }
      : note.createdBy
        ? { externalId: note.createdBy, name: note.createdBy, email: null }
        : null;
  return {
    externalId: String(note.id),
    body,
    visibility: shown && note.internalAnalysisFlag !== true ? 'PUBLIC' : 'INTERNAL',
    author,
    createdAt: new Date(note.dateCreated),
    fromHub: hasOriginMarker(body),
  };
}

/** Canonical comment -> the body of `POST /service/tickets/{id}/notes`. */
export function toCwNoteBody(comment: CommentDraft): Record<string, unknown> {
  const isPublic = comment.visibility === 'PUBLIC';
  return {
    text: comment.body,
    detailDescriptionFlag: isPublic,
    internalAnalysisFlag: !isPublic,
    resolutionFlag: false,
  };
}
