import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { RoutingReason } from '../../domain/routing/rules.ts';
import { comments } from './comments.ts';
import { connections } from './connections.ts';
import { eventTypeEnum } from './enums.ts';
import { parties } from './parties.ts';
import { tickets } from './tickets.ts';

export interface FieldChange {
  field: string;
  from: string | number | boolean | null;
  to: string | number | boolean | null;
}

/** Append-only history. Never updated or deleted; subscriptions are fed from it. */
export const ticketEvents = pgTable(
  'ticket_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    type: eventTypeEnum('type').notNull(),
    changes: jsonb('changes').$type<FieldChange[]>().notNull().default([]),
    /** The ticket's version after this change: orders events per ticket. */
    ticketVersion: integer('ticket_version').notNull(),
    actorPartyId: uuid('actor_party_id')
      .notNull()
      .references(() => parties.id),
    /** A display name: the token's name, a vendor user, or `sync`. Never a secret. */
    actorName: text('actor_name').notNull(),
    /** `API` for GraphQL mutations, or the connection id a change came in through. */
    source: text('source').notNull(),
    connectionId: text('connection_id').references(() => connections.id),
    commentId: uuid('comment_id').references(() => comments.id),
    /** When set, only this party may see the event (an internal comment). */
    restrictedToPartyId: uuid('restricted_to_party_id').references(() => parties.id),
    /** On REASSIGNED: why (ROUTING_RULE, MANUAL, ESCALATION) and which rule; kept after the rule is deleted. */
    routingReason: text('routing_reason').$type<RoutingReason>(),
    routingRuleId: uuid('routing_rule_id'),
    /** On SLA_* events: the obligation's clock (ticket_clocks.id). */
    clockId: uuid('clock_id'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('ticket_events_ticket_idx').on(t.ticketId, t.id)],
);

export type TicketEventRow = typeof ticketEvents.$inferSelect;
