import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { partyKindEnum } from './enums.ts';

/** The two sides of a co-managed engagement (more are allowed, e.g. a second MSP). */
export const parties = pgTable('parties', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  kind: partyKindEnum('kind').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

export type PartyRow = typeof parties.$inferSelect;
