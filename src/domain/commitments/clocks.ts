/**
 * Moving a ticket's obligations on every write: the ticket store calls `updateClocks` inside the
 * write's transaction (the ticket row is locked), so a GraphQL mutation and a change synced from
 * a tool move clocks the same way.
 */
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type {
  BusinessCalendarRow,
  CommentRow,
  CommitmentPolicyRow,
  TicketClockRow,
  TicketRow,
} from '../../db/schema/index.ts';
import { businessCalendars, commitmentPolicies, ticketClocks } from '../../db/schema/index.ts';
import { isOpenStatus } from '../changes.ts';
import {
  cancelClock,
  meetClock,
  pauseClock,
  resumeClock,
  retargetClock,
  type SlaClock,
  startClock,
} from '../sla-clock.ts';
import { policyCovers, shouldRun, shouldStart, targetMsFor } from './coverage.ts';
import type { CommitmentEvent } from './events.ts';
import { clockColumns, toSlaClock } from './schedule.ts';

export interface PolicyWithCalendar {
  policy: CommitmentPolicyRow;
  calendar: BusinessCalendarRow;
}

export async function loadPolicies(tx: Tx, engagementId: string): Promise<PolicyWithCalendar[]> {
  return tx
    .select({ policy: commitmentPolicies, calendar: businessCalendars })
    .from(commitmentPolicies)
    .innerJoin(businessCalendars, eq(businessCalendars.id, commitmentPolicies.calendarId))
    .where(eq(commitmentPolicies.engagementId, engagementId));
}

/**
 * Only a response the other side can see counts: a PUBLIC comment by the obligated party. An
 * internal note, or a comment by the party the obligation is owed to, leaves the clock running.
 */
export function isFirstResponse(policy: CommitmentPolicyRow, comment: CommentRow | undefined): boolean {
  return !!comment && comment.visibility === 'PUBLIC' && comment.partyId === policy.obligatedPartyId;
}

/** The next state of one obligation after a write, by the rules in the README's "Commitments". */
export function nextClock(
  { policy, calendar }: PolicyWithCalendar,
  clock: SlaClock | null,
  ticket: TicketRow,
  comment: CommentRow | undefined,
  now: Date,
): SlaClock | null {
  const cal = calendar.calendar;
  const target = targetMsFor(policy, ticket.priority);
  const covered = policyCovers(policy, ticket);
  if (!clock) {
    if (!covered || target === null || !shouldStart(policy, ticket)) return null;
    const started = startClock(target, now);
    return shouldRun(policy, ticket) ? started : pauseClock(cal, started, now);
  }
  if (clock.status === 'MET' || clock.status === 'CANCELLED') return clock;
  if (!covered || target === null) return cancelClock(cal, clock, now);
  const met =
    !isOpenStatus(ticket.status) || (policy.metric === 'FIRST_RESPONSE' && isFirstResponse(policy, comment));
  if (met) return meetClock(cal, clock, now);
  let next = target !== clock.targetMs ? retargetClock(cal, clock, target, now) : clock;
  const run = shouldRun(policy, ticket);
  if (run && !next.runningSince) next = resumeClock(next, now);
  if (!run && next.runningSince) next = pauseClock(cal, next, now);
  return next;
}

/** The events a transition produces: a breach and a fulfilment are each announced once. */
export function transitionEvents(
  policy: CommitmentPolicyRow,
  clockId: string,
  before: SlaClock | null,
  after: SlaClock,
): CommitmentEvent[] {
  const out: CommitmentEvent[] = [];
  const about = { partyId: policy.obligatedPartyId, clockId };
  if (after.breachedAt && !before?.breachedAt)
    out.push({
      type: 'SLA_BREACHED',
      ...about,
      changes: [{ field: policy.key, from: null, to: 'BREACHED' }],
    });
  if (after.status === 'MET' && before?.status !== 'MET')
    out.push({ type: 'SLA_MET', ...about, changes: [{ field: policy.key, from: null, to: 'MET' }] });
  return out;
}

const same = (a: SlaClock, b: SlaClock) =>
  a.status === b.status &&
  a.targetMs === b.targetMs &&
  a.spentMs === b.spentMs &&
  a.runningSince?.getTime() === b.runningSince?.getTime() &&
  a.breachedAt?.getTime() === b.breachedAt?.getTime() &&
  a.metAt?.getTime() === b.metAt?.getTime();

/** Starts, pauses, resumes, re-targets, meets or cancels the ticket's obligations; returns the events to record. */
export async function updateClocks(
  tx: Tx,
  ticket: TicketRow,
  comment: CommentRow | undefined,
  now: Date,
): Promise<CommitmentEvent[]> {
  const policies = await loadPolicies(tx, ticket.engagementId);
  if (policies.length === 0) return [];
  const rows = await tx.select().from(ticketClocks).where(eq(ticketClocks.ticketId, ticket.id)).for('update');
  const events: CommitmentEvent[] = [];
  for (const pc of policies) {
    const row = rows.find((r) => r.policyId === pc.policy.id);
    const before = row ? toSlaClock(row) : null;
    const after = nextClock(pc, before, ticket, comment, now);
    if (!after || (before && same(before, after))) continue;
    const saved = await saveClock(tx, pc, ticket, row, after, now);
    events.push(...transitionEvents(pc.policy, saved.id, before, after));
  }
  return events;
}

async function saveClock(
  tx: Tx,
  { policy, calendar }: PolicyWithCalendar,
  ticket: TicketRow,
  row: TicketClockRow | undefined,
  clock: SlaClock,
  now: Date,
): Promise<TicketClockRow> {
  const columns = clockColumns(calendar.calendar, clock, policy.warningPercents, row?.warnedPercents ?? []);
  if (row) {
    const [updated] = await tx
      .update(ticketClocks)
      .set({ ...columns, updatedAt: now })
      .where(and(eq(ticketClocks.id, row.id)))
      .returning();
    return updated!;
  }
  const [inserted] = await tx
    .insert(ticketClocks)
    .values({
      ...columns,
      ticketId: ticket.id,
      policyId: policy.id,
      obligatedPartyId: policy.obligatedPartyId,
      startedAt: now,
      updatedAt: now,
    })
    .returning();
  return inserted!;
}
