import { inArray } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { CommentRow, TicketEventRow, TicketRow } from '../../db/schema/index.ts';
import { courtIntervals, engagements, ticketClocks } from '../../db/schema/index.ts';
import { loadPolicies, nextClock, updateClocks } from './clocks.ts';
import { decideCourt, updateCourt } from './court.ts';
import { recordCommitmentEvents } from './events.ts';
import { clockColumns } from './schedule.ts';

/**
 * What every ticket write does for commitments, inside its transaction: move the ticket's
 * clocks and its court, and record what that changed (SLA_BREACHED on a re-target past the
 * target, SLA_MET, COURT_CHANGED) under the write's source.
 */
export async function commitmentsAfterWrite(
  tx: Tx,
  ticket: TicketRow,
  source: string,
  now: Date,
  comment?: CommentRow,
): Promise<TicketEventRow[]> {
  const events = [...(await updateClocks(tx, ticket, comment, now)), ...(await updateCourt(tx, ticket, now))];
  return recordCommitmentEvents(tx, ticket, source, events);
}

/**
 * The same for a page of brand-new tickets written in bulk (a pull's batched path): their first
 * clocks (counted from each ticket's creation in its tool) and first court, a few statements per
 * page. Nothing to announce: a first court is no change, and a fresh clock is neither met nor
 * breached until the timer or the next write says so.
 */
export async function commitmentsForNewTickets(
  tx: Tx,
  created: TicketRow[],
  comments: CommentRow[],
  now: Date,
): Promise<void> {
  if (created.length === 0) return;
  const engagementIds = [...new Set(created.map((t) => t.engagementId))];
  const rows = await tx.select().from(engagements).where(inArray(engagements.id, engagementIds));
  const policies = new Map(
    await Promise.all(engagementIds.map(async (id) => [id, await loadPolicies(tx, id)] as const)),
  );
  const clocks: (typeof ticketClocks.$inferInsert)[] = [];
  const courts: (typeof courtIntervals.$inferInsert)[] = [];
  for (const ticket of created) {
    for (const pc of policies.get(ticket.engagementId) ?? []) {
      const clock = nextClock(pc, null, ticket, undefined, ticket.createdAt);
      if (!clock) continue;
      clocks.push({
        ...clockColumns(pc.calendar.calendar, clock, pc.policy.warningPercents, []),
        ticketId: ticket.id,
        policyId: pc.policy.id,
        obligatedPartyId: pc.policy.obligatedPartyId,
        startedAt: ticket.createdAt,
        updatedAt: now,
      });
    }
    const engagement = rows.find((e) => e.id === ticket.engagementId);
    const last = comments
      .filter((c) => c.ticketId === ticket.id && c.visibility === 'PUBLIC')
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
    const court = engagement && decideCourt({ ticket, engagement, lastPublicComment: last ?? null });
    if (court) courts.push({ ticketId: ticket.id, ...court, startedAt: now });
  }
  if (clocks.length > 0) await tx.insert(ticketClocks).values(clocks);
  if (courts.length > 0) await tx.insert(courtIntervals).values(courts);
}
