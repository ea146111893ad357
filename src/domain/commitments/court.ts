/**
 * Ball in court: which party must act on an open ticket now, and since when. Kept as intervals
 * (court_intervals) so reports can add up how long each side held each ticket.
 */
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { CourtIntervalRow, EngagementRow, TicketRow } from '../../db/schema/index.ts';
import { comments, courtIntervals, engagements } from '../../db/schema/index.ts';
import { isOpenStatus } from '../changes.ts';
import type { CommitmentEvent } from './events.ts';
import type { CourtReason } from './types.ts';

export interface Court {
  partyId: string;
  reason: CourtReason;
}

export interface CourtInputs {
  ticket: Pick<
    TicketRow,
    'status' | 'ownerPartyId' | 'shared' | 'confidential' | 'fieldChangedAt' | 'createdAt'
  >;
  engagement: Pick<EngagementRow, 'internalPartyId' | 'mspPartyId'>;
  /** The latest PUBLIC comment on the ticket, if any. */
  lastPublicComment: { partyId: string; createdAt: Date } | null;
  /**
   * A decision someone must take before work goes on (#12's approvals): that party holds the
   * ball whatever the status says. Nothing sets it yet; the hook is here so #12 only fills it.
   */
  pendingDecisionPartyId?: string | null;
}

/**
 * The rule, first match wins:
 * 1. a closed ticket is in nobody's court;
 * 2. a pending decision puts it with the deciding party (DECISION);
 * 3. WAITING on a ticket the other side can see puts it with the other side (WAITING), until
 *    that side answers with a public comment after the ticket started waiting: then it is back
 *    with the owner, even if the tool has not moved the status yet;
 * 4. otherwise the owner holds it (OWNER).
 */
export function decideCourt(input: CourtInputs): Court | null {
  const { ticket, engagement } = input;
  if (!isOpenStatus(ticket.status)) return null;
  if (input.pendingDecisionPartyId) return { partyId: input.pendingDecisionPartyId, reason: 'DECISION' };
  const other =
    ticket.ownerPartyId === engagement.mspPartyId ? engagement.internalPartyId : engagement.mspPartyId;
  const visibleToOther = ticket.shared && !ticket.confidential;
  if (ticket.status === 'WAITING' && visibleToOther) {
    const waitingSince = new Date(ticket.fieldChangedAt.status ?? ticket.createdAt.toISOString());
    const answered =
      input.lastPublicComment &&
      input.lastPublicComment.partyId === other &&
      input.lastPublicComment.createdAt >= waitingSince;
    if (!answered) return { partyId: other, reason: 'WAITING' };
  }
  return { partyId: ticket.ownerPartyId, reason: 'OWNER' };
}

/** The open interval: the ticket's court now, or undefined for a closed ticket (or none yet). */
export async function currentCourt(tx: Tx, ticketId: string): Promise<CourtIntervalRow | undefined> {
  const [row] = await tx
    .select()
    .from(courtIntervals)
    .where(and(eq(courtIntervals.ticketId, ticketId), isNull(courtIntervals.endedAt)));
  return row;
}

/**
 * Re-decides the court after a write (the ticket row is locked by the caller) and, when it moved,
 * closes the open interval and opens the next; returns COURT_CHANGED when the ball moved on an
 * open ticket.
 */
export async function updateCourt(tx: Tx, ticket: TicketRow, now: Date): Promise<CommitmentEvent[]> {
  const [engagement] = await tx.select().from(engagements).where(eq(engagements.id, ticket.engagementId));
  if (!engagement) return [];
  // The last public comment only matters while the ticket waits: skip the read otherwise.
  const [last] =
    ticket.status === 'WAITING'
      ? await tx
          .select({ partyId: comments.partyId, createdAt: comments.createdAt })
          .from(comments)
          .where(and(eq(comments.ticketId, ticket.id), eq(comments.visibility, 'PUBLIC')))
          .orderBy(desc(comments.createdAt))
          .limit(1)
      : [];
  const court = decideCourt({ ticket, engagement, lastPublicComment: last ?? null });
  const open = await currentCourt(tx, ticket.id);
  if (open && court && open.partyId === court.partyId && open.reason === court.reason) return [];
  if (!open && !court) return [];
  if (open) await tx.update(courtIntervals).set({ endedAt: now }).where(eq(courtIntervals.id, open.id));
  if (court) {
    await tx.insert(courtIntervals).values({ ticketId: ticket.id, ...court, startedAt: now });
  }
  // Only a move on an open ticket is news: resolving, closing and reopening are announced by
  // their own events, and a ticket's first court is part of its creation.
  if (!open || !court) return [];
  return [
    {
      type: 'COURT_CHANGED',
      partyId: court.partyId,
      changes: [{ field: 'court', from: open.partyId, to: court.partyId }],
    },
  ];
}
