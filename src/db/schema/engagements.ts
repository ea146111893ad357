import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { parties } from './parties.ts';

/**
 * One customer's co-managed relationship: that customer's internal party and the MSP party.
 * A hub serves one or many engagements of one MSP. Every ticket belongs to exactly one
 * engagement (comments and events through their ticket); an internal party belongs to one
 * engagement, the MSP party spans all of them.
 */
export const engagements = pgTable(
  'engagements',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    /** Kebab-case, unique: what connections files and the CLI name (`acme`). */
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    /** Upper-case, unique: ticket keys read `<prefix>-<number>` (`ACME-42`). */
    keyPrefix: text('key_prefix').notNull().unique(),
    /** The customer's own IT team: a party belongs to at most one engagement as its internal side. */
    internalPartyId: uuid('internal_party_id')
      .notNull()
      .unique()
      .references(() => parties.id),
    mspPartyId: uuid('msp_party_id')
      .notNull()
      .references(() => parties.id),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('engagements_msp_idx').on(t.mspPartyId)],
);

export type EngagementRow = typeof engagements.$inferSelect;
