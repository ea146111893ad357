import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { roleEnum } from './enums.ts';
import { parties } from './parties.ts';

/** API tokens are stored as SHA-256 hashes; the clear token is shown once, at creation. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    partyId: uuid('party_id')
      .notNull()
      .references(() => parties.id),
    role: roleEnum('role').notNull(),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    /** The first characters of the token, so a person can tell tokens apart in listings. */
    tokenPrefix: text('token_prefix').notNull(),
    /**
     * The engagements an MSP token may see; null means every engagement of its party. An internal
     * party's token always sees its party's one engagement, whatever this holds.
     */
    engagementIds: uuid('engagement_ids').array(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [index('api_tokens_party_idx').on(t.partyId)],
);

export type ApiTokenRow = typeof apiTokens.$inferSelect;
