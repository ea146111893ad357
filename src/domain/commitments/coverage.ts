/**
 * Which policies cover a ticket, and what each one asks of it: pure, so the write path, the
 * timer and `previewCommitmentPolicy` all decide the same way.
 */
import type { TicketStatus } from '../../connector-kit/records.ts';
import type { CommitmentPolicyRow, TicketRow } from '../../db/schema/index.ts';
import { isOpenStatus } from '../changes.ts';

export type CoveredTicket = Pick<TicketRow, 'serviceArea' | 'priority' | 'category'>;

/** Whether the policy's coverage (areas, priorities, categories; null = any) includes the ticket. */
export function policyCovers(
  policy: Pick<CommitmentPolicyRow, 'serviceAreas' | 'priorities' | 'categories' | 'targets'>,
  ticket: CoveredTicket,
): boolean {
  if (policy.serviceAreas && !(ticket.serviceArea && policy.serviceAreas.includes(ticket.serviceArea)))
    return false;
  if (policy.priorities && !policy.priorities.includes(ticket.priority)) return false;
  if (policy.categories && !(ticket.category && policy.categories.includes(ticket.category))) return false;
  return targetMsFor(policy, ticket.priority) !== null;
}

/** The target for a priority in business milliseconds, or null when the policy sets none. */
export function targetMsFor(
  policy: Pick<CommitmentPolicyRow, 'targets'>,
  priority: TicketRow['priority'],
): number | null {
  const minutes = policy.targets[priority];
  return minutes && minutes > 0 ? minutes * 60_000 : null;
}

/**
 * Whether the obligation's time counts now: the ticket is open, not in a pausing status, and
 * (for an ON_HANDOFF commitment) in the obligated party's hands. A hand-back therefore pauses
 * the obligation, and the next hand-over resumes the same one: no fresh deadline.
 */
export function shouldRun(
  policy: Pick<CommitmentPolicyRow, 'pauseStatuses' | 'clockStart' | 'obligatedPartyId'>,
  ticket: Pick<TicketRow, 'status' | 'ownerPartyId'>,
): boolean {
  if (!isOpenStatus(ticket.status)) return false;
  if (policy.pauseStatuses.includes(ticket.status as TicketStatus)) return false;
  return policy.clockStart === 'ON_CREATE' || ticket.ownerPartyId === policy.obligatedPartyId;
}

/** Whether a clock should exist yet: ON_CREATE at once, ON_HANDOFF at the first hand-over. */
export function shouldStart(
  policy: Pick<CommitmentPolicyRow, 'clockStart' | 'obligatedPartyId'>,
  ticket: Pick<TicketRow, 'status' | 'ownerPartyId'>,
): boolean {
  if (!isOpenStatus(ticket.status)) return false;
  return policy.clockStart === 'ON_CREATE' || ticket.ownerPartyId === policy.obligatedPartyId;
}
