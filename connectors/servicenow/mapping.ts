/**
 * Pure mapping between ServiceNow incidents / journal entries and the hub's canonical records.
 * States and priorities are mapped by their raw choice values (`state=6`, `priority=2`), which are
 * the same on every instance unless an admin adds choices (connections override entries then).
 */
import {
  type CommentRecord,
  type CommentVisibility,
  hasOriginMarker,
  type Mappings,
  type PersonRef,
  type TicketRecord,
} from '../../src/connector-kit/index.ts';
import type { SnIncident, SnJournalEntry, SnUser } from './api-types.ts';
import { parseGlideDateTime } from './query.ts';

/**
 * Out-of-the-box incident states (1 New, 2 In Progress, 3 On Hold, 6 Resolved, 7 Closed,
 * 8 Canceled) and priorities (1 Critical .. 5 Planning). ServiceNow has no "open but not started"
 * state, so OPEN writes In Progress and reads back as IN_PROGRESS (see README).
 */
export const serviceNowDefaultMappings: Mappings = {
  status: {
    toCanonical: {
      '1': 'NEW',
      '2': 'IN_PROGRESS',
      '3': 'WAITING',
      '6': 'RESOLVED',
      '7': 'CLOSED',
      '8': 'CLOSED',
    },
    fromCanonical: { NEW: '1', OPEN: '2', IN_PROGRESS: '2', WAITING: '3', RESOLVED: '6', CLOSED: '7' },
  },
  priority: {
    toCanonical: { '1': 'CRITICAL', '2': 'HIGH', '3': 'MEDIUM', '4': 'LOW', '5': 'LOW' },
    fromCanonical: { CRITICAL: '1', HIGH: '2', MEDIUM: '3', LOW: '4' },
  },
};

/** States that need more fields (the default data policies and UI policies). */
export const SN_STATE = { onHold: '3', resolved: '6', closed: '7', canceled: '8' } as const;

/**
 * Impact and urgency that the default Priority Lookup Rules turn into each priority
 * (1/1 -> 1 Critical, 1/2 -> 2 High, 2/2 -> 3 Moderate, 2/3 -> 4 Low, 3/3 -> 5 Planning).
 */
export const IMPACT_URGENCY: Record<string, { impact: string; urgency: string }> = {
  '1': { impact: '1', urgency: '1' },
  '2': { impact: '1', urgency: '2' },
  '3': { impact: '2', urgency: '2' },
  '4': { impact: '2', urgency: '3' },
  '5': { impact: '3', urgency: '3' },
};

export interface StateWriteOptions {
  closeCode: string;
  closeNotes: string;
  holdReason: string;
}

/** The fields to write for a target state, with what its policies make mandatory. */
export function toStateFields(state: string, opts: StateWriteOptions): Record<string, string> {
  if (state === SN_STATE.onHold) return { state, hold_reason: opts.holdReason };
  if (state === SN_STATE.resolved || state === SN_STATE.closed) {
    return { state, close_code: opts.closeCode, close_notes: opts.closeNotes };
  }
  return { state };
}

/** The fields to write for a priority value, as impact + urgency or as `priority` itself. */
export function toPriorityFields(
  priority: string,
  mode: 'impact-urgency' | 'priority',
): Record<string, string> {
  const pair = IMPACT_URGENCY[priority];
  return mode === 'impact-urgency' && pair ? { ...pair } : { priority };
}

/** The incident form in the classic UI, inside the navigation frame. */
export function toIncidentUrl(instanceUrl: string, sysId: string): string {
  return `${instanceUrl}/nav_to.do?uri=${encodeURIComponent(`incident.do?sys_id=${sysId}`)}`;
}

export interface IncidentMappingContext {
  maps: Mappings;
  instanceUrl: string;
  /** Users by sys_id, to name assignee and caller (references carry only the sys_id). */
  users?: ReadonlyMap<string, SnUser>;
}

function toPerson(sysId: string, users?: ReadonlyMap<string, SnUser>): PersonRef | null {
  if (!sysId) return null;
  const user = users?.get(sysId);
  return { externalId: sysId, name: user?.name || user?.user_name || null, email: user?.email || null };
}

/**
 * Incident -> canonical record. An unknown state falls back on `active` (CLOSED or OPEN) and an
 * unknown priority on MEDIUM, so an admin's extra choice never breaks a pull.
 */
export function toTicketRecord(incident: SnIncident, ctx: IncidentMappingContext): TicketRecord {
  return {
    externalId: incident.sys_id,
    externalUrl: toIncidentUrl(ctx.instanceUrl, incident.sys_id),
    title: incident.short_description,
    description: incident.description || null,
    status: ctx.maps.status.toCanonical[incident.state] ?? (incident.active === 'false' ? 'CLOSED' : 'OPEN'),
    rawStatus: incident.state || null,
    priority: ctx.maps.priority.toCanonical[incident.priority] ?? 'MEDIUM',
    assignee: toPerson(incident.assigned_to, ctx.users),
    requester: toPerson(incident.caller_id, ctx.users),
    queue: incident.assignment_group || null,
    category: incident.category || null,
    scopeKey: incident.company || null,
    correlationId: incident.correlation_id || null,
    createdAt: parseGlideDateTime(incident.sys_created_on),
    updatedAt: parseGlideDateTime(incident.sys_updated_on),
  };
}

/** `comments` is the customer-visible journal; `work_notes` (and anything else) stays internal. */
export function toVisibility(element: string): CommentVisibility {
  return element === 'comments' ? 'PUBLIC' : 'INTERNAL';
}

export function toJournalElement(visibility: CommentVisibility): 'comments' | 'work_notes' {
  return visibility === 'PUBLIC' ? 'comments' : 'work_notes';
}

/** Journal entry -> canonical comment. `sys_created_by` is a user name, not a sys_id. */
export function toCommentRecord(entry: SnJournalEntry): CommentRecord {
  return {
    externalId: entry.sys_id,
    body: entry.value,
    visibility: toVisibility(entry.element),
    author: entry.sys_created_by ? { externalId: entry.sys_created_by, name: entry.sys_created_by } : null,
    createdAt: parseGlideDateTime(entry.sys_created_on),
    fromHub: hasOriginMarker(entry.value),
  };
}

/** ServiceNow's `short_description` holds 160 characters by default; longer titles are cut. */
export const SN_SHORT_DESCRIPTION_MAX = 160;

export function toShortDescription(title: string): { value: string; truncated: boolean } {
  const clean = title.replace(/\s+/g, ' ').trim() || '(no subject)';
  const points = [...clean];
  if (points.length <= SN_SHORT_DESCRIPTION_MAX) return { value: clean, truncated: false };
  return {
    value: `${points
      .slice(0, SN_SHORT_DESCRIPTION_MAX - 1)
      .join('')
      .trimEnd()}…`,
    truncated: true,
  };
}
