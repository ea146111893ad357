import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import type { BusinessCalendar } from '../../domain/business-calendar.ts';
import type {
  ClockStart,
  CommitmentKind,
  CommitmentMetric,
  CourtReason,
  PriorityTargets,
} from '../../domain/commitments/types.ts';
import type { ClockStatus } from '../../domain/sla-clock.ts';
import { engagements } from './engagements.ts';
import { parties } from './parties.ts';
import { tickets } from './tickets.ts';

/** An engagement's named working-time calendars (see src/domain/business-calendar.ts). */
export const businessCalendars = pgTable(
  'business_calendars',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    engagementId: uuid('engagement_id')
      .notNull()
      .references(() => engagements.id, { onDelete: 'cascade' }),
    /** Kebab-case, unique within the engagement: what policies (and routing) name (`berlin-office`). */
    key: text('key').notNull(),
    name: text('name').notNull(),
    calendar: jsonb('calendar').$type<BusinessCalendar>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [unique('business_calendars_engagement_key_uq').on(t.engagementId, t.key)],
);

/** A commitment: the MSP's SLA or the internal team's OLA, for one metric and a set of tickets. */
export const commitmentPolicies = pgTable(
  'commitment_policies',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    engagementId: uuid('engagement_id')
      .notNull()
      .references(() => engagements.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    name: text('name').notNull(),
    kind: text('kind').$type<CommitmentKind>().notNull(),
    /** Who owes it: the engagement's MSP party for an SLA, its internal party for an OLA. */
    obligatedPartyId: uuid('obligated_party_id')
      .notNull()
      .references(() => parties.id),
    metric: text('metric').$type<CommitmentMetric>().notNull(),
    /** Coverage; null: any. */
    serviceAreas: text('service_areas').array(),
    priorities: text('priorities').array().$type<('CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW')[]>(),
    categories: text('categories').array(),
    /** Business minutes allowed per priority; a priority left out is not covered. */
    targets: jsonb('targets').$type<PriorityTargets>().notNull(),
    calendarId: uuid('calendar_id')
      .notNull()
      .references(() => businessCalendars.id),
    pauseStatuses: text('pause_statuses').array().notNull().default(sql`'{}'::text[]`),
    clockStart: text('clock_start').$type<ClockStart>().notNull(),
    warningPercents: integer('warning_percents').array().notNull().default(sql`'{}'::int[]`),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    unique('commitment_policies_engagement_key_uq').on(t.engagementId, t.key),
    index('commitment_policies_engagement_idx').on(t.engagementId),
  ],
);

/**
 * One obligation on one ticket: the persisted form of `SlaClock`. `next_fire_at` is the next
 * instant the timer has something to say (a warning threshold or the due time); its partial
 * index is all the timer reads, so its work follows the clocks coming due, not the open tickets.
 */
export const ticketClocks = pgTable(
  'ticket_clocks',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    policyId: uuid('policy_id')
      .notNull()
      .references(() => commitmentPolicies.id, { onDelete: 'cascade' }),
    obligatedPartyId: uuid('obligated_party_id')
      .notNull()
      .references(() => parties.id),
    status: text('status').$type<ClockStatus>().notNull(),
    targetMs: bigint('target_ms', { mode: 'number' }).notNull(),
    spentMs: bigint('spent_ms', { mode: 'number' }).notNull().default(0),
    runningSince: timestamp('running_since', { withTimezone: true, precision: 3 }),
    breachedAt: timestamp('breached_at', { withTimezone: true, precision: 3 }),
    metAt: timestamp('met_at', { withTimezone: true, precision: 3 }),
    /** When the target is reached if nothing pauses it; null unless counting. */
    dueAt: timestamp('due_at', { withTimezone: true, precision: 3 }),
    nextFireAt: timestamp('next_fire_at', { withTimezone: true, precision: 3 }),
    /** Warning thresholds already announced (each once). */
    warnedPercents: integer('warned_percents').array().notNull().default(sql`'{}'::int[]`),
    startedAt: timestamp('started_at', { withTimezone: true, precision: 3 }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    unique('ticket_clocks_ticket_policy_uq').on(t.ticketId, t.policyId),
    index('ticket_clocks_next_fire_idx').on(t.nextFireAt).where(sql`next_fire_at is not null`),
    index('ticket_clocks_due_idx').on(t.dueAt).where(sql`due_at is not null`),
  ],
);

/** Whose move it is, as intervals: the open one (ended_at null) is the ticket's court now. */
export const courtIntervals = pgTable(
  'court_intervals',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    partyId: uuid('party_id')
      .notNull()
      .references(() => parties.id),
    reason: text('reason').$type<CourtReason>().notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, precision: 3 }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [
    index('court_intervals_ticket_idx').on(t.ticketId, t.startedAt),
    index('court_intervals_open_idx').on(t.partyId, t.startedAt).where(sql`ended_at is null`),
  ],
);

export type BusinessCalendarRow = typeof businessCalendars.$inferSelect;
export type CommitmentPolicyRow = typeof commitmentPolicies.$inferSelect;
export type TicketClockRow = typeof ticketClocks.$inferSelect;
export type CourtIntervalRow = typeof courtIntervals.$inferSelect;
