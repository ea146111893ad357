import type { TicketStatus } from '../connector-kit/records.ts';
import type { EventType, FieldChange, TicketRow } from '../db/schema/index.ts';

/** The ticket fields a change may touch; everything else is derived or fixed. */
export const MUTABLE_FIELDS = [
  'title',
  'description',
  'status',
  'priority',
  'ownerPartyId',
  'assigneeId',
  'requesterId',
  'serviceArea',
  'category',
  'confidential',
  'shared',
  'routingRuleId',
  'routingReason',
  'unrouted',
] as const;
export type MutableField = (typeof MUTABLE_FIELDS)[number];
export type TicketFields = Pick<TicketRow, MutableField>;
export type TicketChangeSet = Partial<TicketFields>;

/** Field-level differences between the current row and a proposed change set. */
export function diffTicket(current: TicketFields, next: TicketChangeSet): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of MUTABLE_FIELDS) {
    if (!(field in next)) continue;
    const to = next[field] ?? null;
    const from = current[field] ?? null;
    if (to !== from) changes.push({ field, from, to });
  }
  return changes;
}

const CLOSED_STATES: ReadonlySet<TicketStatus> = new Set(['RESOLVED', 'CLOSED']);

export function isOpenStatus(status: TicketStatus): boolean {
  return !CLOSED_STATES.has(status);
}

/**
 * Which events a set of field changes produces. A change that both closes and reassigns a
 * ticket yields CLOSED and REASSIGNED: subscribers filter on types, and each matters alone.
 */
export function classifyChanges(changes: FieldChange[]): EventType[] {
  const types: EventType[] = [];
  const byField = new Map(changes.map((c) => [c.field, c]));
  if (byField.has('ownerPartyId') || byField.has('assigneeId')) types.push('REASSIGNED');
  const status = byField.get('status');
  if (status) {
    const from = status.from as TicketStatus;
    const to = status.to as TicketStatus;
    if (to === 'CLOSED') types.push('CLOSED');
    else if (to === 'RESOLVED') types.push('RESOLVED');
    else if (!isOpenStatus(from)) types.push('REOPENED');
    else types.push('STATUS_CHANGED');
  }
  const rest = changes.filter(
    (c) => c.field !== 'ownerPartyId' && c.field !== 'assigneeId' && c.field !== 'status',
  );
  // Routing's marks ride along with the hand-off they explain; alone (a ticket flagged UNROUTED)
  // they are an update like any other.
  const quiet = byField.has('ownerPartyId') && rest.every((c) => ROUTING_FIELDS.has(c.field));
  if (rest.length > 0 && !status && !quiet) types.push('UPDATED');
  return types;
}

/** The fields routing keeps on a ticket (which rule owns it, why, whether none does). */
const ROUTING_FIELDS: ReadonlySet<string> = new Set(['routingRuleId', 'routingReason', 'unrouted']);

/** Split the changes among the events so each event carries the fields it is about. */
export function changesFor(type: EventType, changes: FieldChange[]): FieldChange[] {
  const handOff = changes.some((c) => c.field === 'ownerPartyId');
  const isAssign = (c: FieldChange) =>
    c.field === 'ownerPartyId' || c.field === 'assigneeId' || (handOff && ROUTING_FIELDS.has(c.field));
  return changes.filter((c) => (type === 'REASSIGNED' ? isAssign(c) : !isAssign(c)));
}

/** Timestamps that follow from a status change. */
export function lifecycleTimestamps(
  from: TicketStatus,
  to: TicketStatus,
  now: Date,
): { resolvedAt?: Date | null; closedAt?: Date | null } {
  if (from === to) return {};
  if (to === 'RESOLVED') return { resolvedAt: now, closedAt: null };
  if (to === 'CLOSED') return from === 'RESOLVED' ? { closedAt: now } : { resolvedAt: now, closedAt: now };
  return { resolvedAt: null, closedAt: null };
}
