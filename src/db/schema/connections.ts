import { boolean, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
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
  /** Non-secret settings only; secrets stay in the environment and are resolved at start. */
  settings: jsonb('settings').notNull().default({}),
  paused: boolean('paused').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

export type ConnectionRow = typeof connections.$inferSelect;
