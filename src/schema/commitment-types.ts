import { and, asc, eq, isNull } from 'drizzle-orm';
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../connector-kit/records.ts';
import type {
  BusinessCalendarRow,
  CommitmentPolicyRow,
  CourtIntervalRow,
  TicketClockRow,
} from '../db/schema/index.ts';
import { businessCalendars, commitmentPolicies, courtIntervals, ticketClocks } from '../db/schema/index.ts';
import { WEEKDAYS } from '../domain/business-calendar.ts';
import { toSlaClock } from '../domain/commitments/schedule.ts';
import {
  CLOCK_STARTS,
  COMMITMENT_KINDS,
  COMMITMENT_METRICS,
  COURT_REASONS,
} from '../domain/commitments/types.ts';
import { CLOCK_STATUSES, remainingMs } from '../domain/sla-clock.ts';
import { builder } from './builder.ts';
import { TicketPriorityEnum, TicketStatusEnum } from './enums.ts';
import { encodeId } from './global-id.ts';
import { PartyRef } from './party.ts';
import { TicketRef } from './ticket.ts';

export const ClockStatusEnum = builder.enumType('ClockStatus', { values: CLOCK_STATUSES });
export const CommitmentKindEnum = builder.enumType('CommitmentKind', {
  values: COMMITMENT_KINDS,
  description: "SLA: the MSP's contract; OLA: the internal team's promise to the MSP.",
});
export const CommitmentMetricEnum = builder.enumType('CommitmentMetric', {
  values: COMMITMENT_METRICS,
  description:
    'FIRST_RESPONSE: met by a PUBLIC comment of the obligated party (or resolution); RESOLUTION: met when the ticket is resolved.',
});
export const ClockStartEnum = builder.enumType('ClockStart', {
  values: CLOCK_STARTS,
  description:
    'ON_CREATE: counts from creation; ON_HANDOFF: counts only while the obligated party owns the ticket (a hand-back pauses it, the next hand-over resumes the same obligation).',
});
export const CourtReasonEnum = builder.enumType('CourtReason', { values: COURT_REASONS });
export const WeekdayEnum = builder.enumType('Weekday', {
  values: WEEKDAYS.map((d) => d.toUpperCase()) as Uppercase<(typeof WEEKDAYS)[number]>[],
});

const WorkingSpanRef = builder
  .objectRef<{ day: string; start: string; end: string }>('WorkingSpan')
  .implement({
    fields: (t) => ({
      day: t.field({ type: WeekdayEnum, resolve: (s) => s.day.toUpperCase() as never }),
      start: t.exposeString('start'),
      end: t.exposeString('end'),
    }),
  });

export const BusinessCalendarRef = builder.objectRef<BusinessCalendarRow>('BusinessCalendar').implement({
  description: 'Working time an obligation counts in: a time zone, weekly hours and holidays, or 24x7.',
  fields: (t) => ({
    id: t.id({ resolve: (c) => encodeId('BusinessCalendar', c.id) }),
    key: t.exposeString('key'),
    name: t.exposeString('name'),
    timeZone: t.string({ resolve: (c) => c.calendar.timeZone }),
    roundTheClock: t.boolean({ resolve: (c) => c.calendar.hours === '24x7' }),
    weeklyHours: t.field({
      type: [WorkingSpanRef],
      description: 'Empty for a 24x7 calendar.',
      resolve: (c) => {
        const hours = c.calendar.hours;
        if (hours === '24x7') return [];
        return WEEKDAYS.flatMap((day) => (hours[day] ?? []).map((s) => ({ day, ...s })));
      },
    }),
    holidays: t.stringList({ resolve: (c) => c.calendar.holidays }),
  }),
});

const PriorityTargetRef = builder
  .objectRef<{ priority: (typeof TICKET_PRIORITIES)[number]; minutes: number }>('PriorityTarget')
  .implement({
    fields: (t) => ({
      priority: t.field({ type: TicketPriorityEnum, resolve: (p) => p.priority }),
      minutes: t.exposeInt('minutes', { description: 'Business minutes.' }),
    }),
  });

export const CommitmentPolicyRef = builder.objectRef<CommitmentPolicyRow>('CommitmentPolicy').implement({
  description: 'A commitment one party owes on a set of tickets: a target per priority in business time.',
  fields: (t) => ({
    id: t.id({ resolve: (p) => encodeId('CommitmentPolicy', p.id) }),
    key: t.exposeString('key'),
    name: t.exposeString('name'),
    kind: t.field({ type: CommitmentKindEnum, resolve: (p) => p.kind }),
    metric: t.field({ type: CommitmentMetricEnum, resolve: (p) => p.metric }),
    obligatedParty: t.field({
      type: PartyRef,
      resolve: async (p, _a, ctx) => (await ctx.loaders.party.load(p.obligatedPartyId))!,
    }),
    serviceAreas: t.stringList({ nullable: true, description: 'Null: any.', resolve: (p) => p.serviceAreas }),
    priorities: t.field({
      type: [TicketPriorityEnum],
      nullable: true,
      description: 'Null: any priority with a target.',
      resolve: (p) => p.priorities ?? null,
    }),
    categories: t.stringList({ nullable: true, description: 'Null: any.', resolve: (p) => p.categories }),
    targets: t.field({
      type: [PriorityTargetRef],
      resolve: (p) =>
        TICKET_PRIORITIES.flatMap((priority) => {
          const minutes = p.targets[priority];
          return minutes ? [{ priority, minutes }] : [];
        }),
    }),
    calendar: t.field({
      type: BusinessCalendarRef,
      resolve: async (p, _a, ctx) =>
        (await ctx.db.select().from(businessCalendars).where(eq(businessCalendars.id, p.calendarId)))[0]!,
    }),
    pauseStatuses: t.field({
      type: [TicketStatusEnum],
      resolve: (p) =>
        p.pauseStatuses.filter((s) => (TICKET_STATUSES as readonly string[]).includes(s)) as never,
    }),
    clockStart: t.field({ type: ClockStartEnum, resolve: (p) => p.clockStart }),
    warningPercents: t.field({ type: ['Int'], resolve: (p) => p.warningPercents }),
  }),
});

type ClockView = {
  clock: TicketClockRow;
  policy: CommitmentPolicyRow;
  calendar: BusinessCalendarRow['calendar'];
};

export const TicketClockRef = builder.objectRef<ClockView>('TicketClock').implement({
  description: "One obligation's clock on a ticket (an SLA or OLA target), in the policy's business time.",
  fields: (t) => ({
    id: t.id({ resolve: (v) => encodeId('TicketClock', v.clock.id) }),
    policy: t.field({ type: CommitmentPolicyRef, resolve: (v) => v.policy }),
    kind: t.field({ type: CommitmentKindEnum, resolve: (v) => v.policy.kind }),
    metric: t.field({ type: CommitmentMetricEnum, resolve: (v) => v.policy.metric }),
    obligatedParty: t.field({
      type: PartyRef,
      resolve: async (v, _a, ctx) => (await ctx.loaders.party.load(v.clock.obligatedPartyId))!,
    }),
    status: t.field({ type: ClockStatusEnum, resolve: (v) => v.clock.status }),
    targetMinutes: t.int({ resolve: (v) => Math.round(Number(v.clock.targetMs) / 60_000) }),
    dueAt: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'When the target is (or was) reached if nothing pauses the clock; null while paused or done.',
      resolve: (v) => v.clock.dueAt,
    }),
    remainingSeconds: t.int({
      description: 'Business time left now (negative once past due); frozen while paused.',
      resolve: (v) => Math.floor(remainingMs(v.calendar, toSlaClock(v.clock), new Date()) / 1000),
    }),
    breachedAt: t.field({ type: 'DateTime', nullable: true, resolve: (v) => v.clock.breachedAt }),
    metAt: t.field({ type: 'DateTime', nullable: true, resolve: (v) => v.clock.metAt }),
    warnedPercents: t.field({ type: ['Int'], resolve: (v) => v.clock.warnedPercents }),
    startedAt: t.field({ type: 'DateTime', resolve: (v) => v.clock.startedAt }),
  }),
});

export const BallInCourtRef = builder.objectRef<CourtIntervalRow>('BallInCourt').implement({
  description: 'Which party must act now, why, and since when.',
  fields: (t) => ({
    party: t.field({
      type: PartyRef,
      resolve: async (c, _a, ctx) => (await ctx.loaders.party.load(c.partyId))!,
    }),
    reason: t.field({ type: CourtReasonEnum, resolve: (c) => c.reason }),
    since: t.field({ type: 'DateTime', resolve: (c) => c.startedAt }),
    until: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the ball moved on; null for the current holder.',
      resolve: (c) => c.endedAt,
    }),
  }),
});

// The ticket is already visible to the viewer (resolvers below hang off it): its clocks and
// court are seen by whoever sees the ticket, both sides alike.
builder.objectFields(TicketRef, (t) => ({
  clocks: t.field({
    type: [TicketClockRef],
    description: "The ticket's obligations (SLA and OLA), oldest first.",
    resolve: (ticket, _a, ctx) =>
      ctx.db
        .select({ clock: ticketClocks, policy: commitmentPolicies, calendar: businessCalendars.calendar })
        .from(ticketClocks)
        .innerJoin(commitmentPolicies, eq(commitmentPolicies.id, ticketClocks.policyId))
        .innerJoin(businessCalendars, eq(businessCalendars.id, commitmentPolicies.calendarId))
        .where(eq(ticketClocks.ticketId, ticket.id))
        .orderBy(asc(ticketClocks.startedAt), asc(commitmentPolicies.key)),
  }),
  ballInCourt: t.field({
    type: BallInCourtRef,
    nullable: true,
    description: 'Whose move it is now; null once the ticket is resolved or closed.',
    resolve: async (ticket, _a, ctx) => {
      const [row] = await ctx.db
        .select()
        .from(courtIntervals)
        .where(and(eq(courtIntervals.ticketId, ticket.id), isNull(courtIntervals.endedAt)));
      return row ?? null;
    },
  }),
  courtHistory: t.field({
    type: [BallInCourtRef],
    description: 'Every interval of the ball in court, oldest first (for reporting).',
    resolve: (ticket, _a, ctx) =>
      ctx.db
        .select()
        .from(courtIntervals)
        .where(eq(courtIntervals.ticketId, ticket.id))
        .orderBy(asc(courtIntervals.startedAt), asc(courtIntervals.id)),
  }),
}));
