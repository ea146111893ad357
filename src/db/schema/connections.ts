import { boolean, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { engagements } from './engagements.ts';
import { parties } from './parties.ts';

/**
 * A configured connector instance that belongs to a party. The id is the stable slug from
 * the connections file (e.g. `msp-connectwise`), so webhook URLs survive restarts.
 */
export const connections = pgTable('connections', {
  id: text('id').primaryKey(),
  partyId: uuid('party_id')
    .notNull()
    .references(() => parties.id),
  connector: text('connector').notNull(),
  name: text('name').notNull(),
  /** The one engagement this connection serves (a helpdesk, or a PSA for one customer). */
  engagementId: uuid('engagement_id').references(() => engagements.id),
  /**
   * For an MSP's PSA serving many customers: the tool's customer key (a company id) ->
   * engagement id. Null when the connection serves one engagement.
   */
  engagementMap: jsonb('engagement_map').$type<Record<string, string>>(),
  /** Records pulled or webhooked that fell outside every scope: dropped, never stored, counted here. */
  outOfScopeCount: integer('out_of_scope_count').notNull().default(0),
  outOfScopeAt: timestamp('out_of_scope_at', { withTimezone: true, precision: 3 }),
  /** The customer key of the last dropped record (a company id, never a secret), to help fix the map. */
  outOfScopeLastKey: text('out_of_scope_last_key'),
  /** Non-secret settings only; secrets stay in the environment and are resolved at start. */
  settings: jsonb('settings').notNull().default({}),
  paused: boolean('paused').notNull().default(false),
  /** The connector's pull cursor after the last applied page; null means "backfill next". */
  cursor: text('cursor'),
  lastPullAt: timestamp('last_pull_at', { withTimezone: true, precision: 3 }),
  lastSuccessAt: timestamp('last_success_at', { withTimezone: true, precision: 3 }),
  lastError: text('last_error'),
  lastErrorAt: timestamp('last_error_at', { withTimezone: true, precision: 3 }),
  backfillDone: boolean('backfill_done').notNull().default(false),
  backfillFetched: integer('backfill_fetched').notNull().default(0),
  backfillTotal: integer('backfill_total'),
  /** Which replica runs this connection's pull, and until when (a lease, renewed per page). */
  pullLeaseOwner: text('pull_lease_owner'),
  pullLeaseUntil: timestamp('pull_lease_until', { withTimezone: true, precision: 3 }),
  createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

export type ConnectionRow = typeof connections.$inferSelect;
