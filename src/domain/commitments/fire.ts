/**
 * One step of the clock worker: claim the clocks whose next instant has come, announce the
 * warnings and breaches they reached, and schedule their next instant, all in one transaction.
 *
 * The claim is `FOR UPDATE SKIP LOCKED` on the clock rows, as the outbox claims deliveries; no
 * lease is needed because nothing leaves the database: a replica killed mid-step rolls its
 * transaction back and another takes the same rows, and the announced state (breached_at,
 * warned_percents) commits with its events, so nothing fires twice. Only the partial index on
 * next_fire_at is read: the work follows the clocks coming due, never the open tickets.
 */
import { and, asc, eq, inArray, isNotNull, lte } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { businessCalendars, commitmentPolicies, ticketClocks, tickets } from '../../db/schema/index.ts';
import { checkBreach } from '../sla-clock.ts';
import { type CommitmentEvent, recordCommitmentEvents, TIMER_SOURCE } from './events.ts';
import { clockColumns, dueWarnings, toSlaClock } from './schedule.ts';

/** Fires what is due at `now`; returns how many clocks it handled (the caller loops while full). */
export async function fireDueClocks(db: Db, now: Date, limit = 200): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ clock: ticketClocks, policy: commitmentPolicies, calendar: businessCalendars.calendar })
      .from(ticketClocks)
      .innerJoin(commitmentPolicies, eq(commitmentPolicies.id, ticketClocks.policyId))
      .innerJoin(businessCalendars, eq(businessCalendars.id, commitmentPolicies.calendarId))
      .where(and(isNotNull(ticketClocks.nextFireAt), lte(ticketClocks.nextFireAt, now)))
      .orderBy(asc(ticketClocks.nextFireAt))
      .limit(limit)
      .for('update', { of: ticketClocks, skipLocked: true });
    if (due.length === 0) return 0;
    const ticketIds = [...new Set(due.map((d) => d.clock.ticketId))];
    const versions = await tx
      .select({ id: tickets.id, version: tickets.version })
      .from(tickets)
      .where(inArray(tickets.id, ticketIds));
    for (const { clock: row, policy, calendar } of due) {
      const clock = toSlaClock(row);
      const warned = dueWarnings(calendar, clock, now, policy.warningPercents, row.warnedPercents);
      const after = checkBreach(calendar, clock, now);
      const events: CommitmentEvent[] = [];
      const about = { partyId: row.obligatedPartyId, clockId: row.id };
      // A warning the breach overtakes (a late worker, a re-target) is not worth announcing.
      if (!after.breachedAt || clock.breachedAt)
        for (const p of warned)
          events.push({
            type: 'SLA_WARNING',
            ...about,
            changes: [{ field: policy.key, from: null, to: `${p}%` }],
          });
      if (after.breachedAt && !clock.breachedAt)
        events.push({
          type: 'SLA_BREACHED',
          ...about,
          changes: [{ field: policy.key, from: null, to: 'BREACHED' }],
        });
      const allWarned = [...row.warnedPercents, ...warned];
      await tx
        .update(ticketClocks)
        .set({ ...clockColumns(calendar, after, policy.warningPercents, allWarned), updatedAt: now })
        .where(eq(ticketClocks.id, row.id));
      const ticket = versions.find((v) => v.id === row.ticketId);
      if (ticket) await recordCommitmentEvents(tx, ticket, TIMER_SOURCE, events);
    }
    return due.length;
  });
}
