import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import type { RoutingReason } from '../../domain/routing/rules.ts';
import { engagements } from './engagements.ts';
import { ticketPriorityEnum, ticketStatusEnum } from './enums.ts';
import { parties } from './parties.ts';
import { people } from './people.ts';
import { routingRules } from './routing.ts';

/** The canonical ticket: one row however many tools mirror it. */
export const tickets = pgTable(
  'tickets',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    /** The customer relationship the ticket belongs to; never changes. */
    engagementId: uuid('engagement_id')
      .notNull()
      .references(() => engagements.id),
    /** Human-friendly number, unique across the hub, shown as `<engagement key prefix>-<n>` (ACME-42). */
    number: bigserial('number', { mode: 'number' }).notNull().unique(),
    title: text('title').notNull(),
    description: text('description'),
    status: ticketStatusEnum('status').notNull().default('NEW'),
    priority: ticketPriorityEnum('priority').notNull().default('MEDIUM'),
    /** Who is responsible now. Changes on hand-off. */
    ownerPartyId: uuid('owner_party_id')
      .notNull()
      .references(() => parties.id),
    /** Who opened it. Never changes. */
    originPartyId: uuid('origin_party_id')
      .notNull()
      .references(() => parties.id),
    assigneeId: uuid('assignee_id').references(() => people.id),
    requesterId: uuid('requester_id').references(() => people.id),
    serviceArea: text('service_area'),
    /** Visible to, and mirrored to, the owning party only. Cannot be shared. */
    confidential: boolean('confidential').notNull().default(false),
    /** Visible to every party (set on hand-off, or explicitly). */
    shared: boolean('shared').notNull().default(false),
    /** The tool's type or category (from the area map's source record): rules may match on it. */
    category: text('category'),
    /** The matrix rule that set the owner (null: a person's hand-off, no matrix, or none matched). */
    routingRuleId: uuid('routing_rule_id').references(() => routingRules.id, { onDelete: 'set null' }),
    /** Why the owner holds it: ROUTING_RULE, MANUAL or ESCALATION; null: never routed. */
    routingReason: text('routing_reason').$type<RoutingReason>(),
    /** No rule covers the ticket: flagged to both parties' admins until a rule or a person takes it. */
    unrouted: boolean('unrouted').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, precision: 3 }),
    closedAt: timestamp('closed_at', { withTimezone: true, precision: 3 }),
    /** When each field last changed in the hub: the merge compares it with a tool's change time. */
    fieldChangedAt: jsonb('field_changed_at').$type<Record<string, string>>().notNull().default({}),
    /** Optimistic concurrency: bumped on every change. */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('tickets_owner_idx').on(t.ownerPartyId),
    index('tickets_engagement_idx').on(t.engagementId, t.updatedAt, t.id),
    index('tickets_updated_idx').on(t.updatedAt, t.id),
    index('tickets_created_idx').on(t.createdAt, t.id),
    index('tickets_status_idx').on(t.status),
    index('tickets_assignee_idx').on(t.assigneeId),
    index('tickets_unrouted_idx').on(t.unrouted).where(sql`unrouted`),
  ],
);

export type TicketRow = typeof tickets.$inferSelect;
