/**
 * Pure mapping between HaloPSA records and the hub's canonical records. Statuses and priorities
 * are mapped by *id* as text (`"9"`): Halo tickets carry `status_id` / `priority_id`, and ids are
 * instance-configurable, so a connection overrides entries to match its `GET /api/Status` list.
 */
import {
  type CommentDraft,
  type CommentRecord,
  hasOriginMarker,
  type Mappings,
  type PersonRef,
  type TicketRecord,
} from '../../src/connector-kit/index.ts';
import type { HaloAction, HaloAgent, HaloTicket } from './api-types.ts';

/**
 * Defaults modelled on a fresh Halo instance. Only `9 = Closed` has even community support
 * (a public SQL snippet uses `status <> 9` for open); every other id is UNCONFIRMED, and `check()`
 * reports mapped ids the instance's `GET /api/Status` does not list.
 */
export const haloDefaultMappings: Mappings = {
  status: {
    toCanonical: {
      '1': 'NEW',
      '2': 'IN_PROGRESS',
      '3': 'OPEN',
      '4': 'WAITING',
      '5': 'WAITING',
      '8': 'OPEN',
      '9': 'CLOSED',
      '10': 'RESOLVED',
    },
    fromCanonical: {
      NEW: '1',
      OPEN: '3',
      IN_PROGRESS: '2',
      WAITING: '4',
      RESOLVED: '10',
      CLOSED: '9',
    },
  },
  priority: {
    toCanonical: { '1': 'CRITICAL', '2': 'HIGH', '3': 'MEDIUM', '4': 'LOW' },
    fromCanonical: { CRITICAL: '1', HIGH: '2', MEDIUM: '3', LOW: '4' },
  },
};

/** Halo's dates carry no zone designator but are UTC: read them as such. */
export function parseHaloDate(text: string): Date {
  const zoned = /(Z|[+-]\d\d:?\d\d)$/i.test(text) ? text : `${text}Z`;
  return new Date(zoned);
}

/** A date as Halo writes them: ISO UTC with milliseconds and without `Z`. */
export function toHaloDate(at: Date): string {
  return at.toISOString().replace(/Z$/, '');
}

/** Halo's `summary` is nvarchar(255) in the spec's examples (UNCONFIRMED): longer titles are cut. */
export const HALO_SUMMARY_MAX = 255;

export function toHaloSummary(title: string): string {
  const clean = title.replace(/\s+/g, ' ').trim() || '(no subject)';
  if (clean.length <= HALO_SUMMARY_MAX) return clean;
  let kept = '';
  for (const point of clean) {
    if (kept.length + point.length > HALO_SUMMARY_MAX - 1) break;
    kept += point;
  }
  return `${kept.trimEnd()}…`;
}

/** The ticket's page in Halo's agent UI (`/ticket?id=`; path UNCONFIRMED across versions). */
export function toHaloTicketUrl(baseUrl: string, id: number): string {
  return `${baseUrl}/ticket?id=${id}`;
}

/** `agent_id` 0 or null means unassigned. */
export function assignedAgentId(ticket: Pick<HaloTicket, 'agent_id'>): number | null {
  return ticket.agent_id ? ticket.agent_id : null;
}

export interface TicketMappingContext {
  maps: Mappings;
  baseUrl: string;
  /** Agents by id, for the assignee's name and email (tickets carry only `agent_id`). */
  agents?: ReadonlyMap<number, HaloAgent>;
}

function toAssignee(ticket: HaloTicket, agents?: ReadonlyMap<number, HaloAgent>): PersonRef | null {
  const id = assignedAgentId(ticket);
  if (id === null) return null;
  const agent = agents?.get(id);
  return { externalId: String(id), name: agent?.name ?? null, email: agent?.email ?? null };
}

/**
 * Halo ticket -> canonical record. An unmapped status id reads as OPEN and an unmapped priority
 * as MEDIUM, so an instance-specific status never breaks a pull; `rawStatus` keeps the id.
 */
export function toTicketRecord(ticket: HaloTicket, ctx: TicketMappingContext): TicketRecord {
  const statusId = String(ticket.status_id);
  const priorityId = ticket.priority_id == null ? '' : String(ticket.priority_id);
  return {
    externalId: String(ticket.id),
    externalUrl: toHaloTicketUrl(ctx.baseUrl, ticket.id),
    title: ticket.summary ?? '',
    description: ticket.details ?? null,
    status: ctx.maps.status.toCanonical[statusId] ?? 'OPEN',
    rawStatus: statusId,
    priority: ctx.maps.priority.toCanonical[priorityId] ?? 'MEDIUM',
    assignee: toAssignee(ticket, ctx.agents),
    requester: ticket.user_id ? { externalId: String(ticket.user_id), name: ticket.user_name ?? null } : null,
    queue: ticket.team || null,
    category: ticket.category_1 || null,
    // The customer: the Halo client id as a string (what a connection's scope and client map name).
    scopeKey: ticket.client_id ? String(ticket.client_id) : null,
    correlationId: ticket.third_party_id_string || null,
    createdAt: parseHaloDate(ticket.dateoccurred ?? ticket.last_update),
    updatedAt: parseHaloDate(ticket.last_update),
  };
}

/**
 * Halo action -> canonical comment. Only `hiddenfromuser === false` is PUBLIC: a missing flag,
 * or a private note, stays INTERNAL (leaking an internal note is the worse mistake).
 */
export function toCommentRecord(action: HaloAction): CommentRecord {
  const body = action.note ?? stripHtml(action.note_html ?? '');
  const isPublic = action.hiddenfromuser === false && action.private_note !== true;
  const created = action.datetime ?? action.actiondatecreated;
  return {
    externalId: String(action.id),
    body,
    visibility: isPublic ? 'PUBLIC' : 'INTERNAL',
    author: action.who_agentid
      ? { externalId: String(action.who_agentid), name: action.who ?? null }
      : action.who
        ? { externalId: `who:${action.who}`, name: action.who }
        : null,
    createdAt: created ? parseHaloDate(created) : new Date(0),
    fromHub: hasOriginMarker(body),
  };
}

function stripHtml(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .trim();
}

export interface ActionOutcomes {
  publicOutcome: string;
  internalOutcome: string;
}

/** Canonical comment -> one element of `POST /api/Actions`. No e-mail goes out from a hub write. */
export function toHaloAction(ticketId: number, comment: CommentDraft, outcomes: ActionOutcomes) {
  const internal = comment.visibility === 'INTERNAL';
  return {
    ticket_id: ticketId,
    note: comment.body,
    outcome: internal ? outcomes.internalOutcome : outcomes.publicOutcome,
    hiddenfromuser: internal,
    sendemail: false,
  };
}
