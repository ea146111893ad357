import { sql } from 'drizzle-orm';
import { index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { connections } from './connections.ts';
import { engagements } from './engagements.ts';
import { parties } from './parties.ts';

/** A person who can request or hold tickets. Matched across systems by email. */
export const people = pgTable(
  'people',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    partyId: uuid('party_id')
      .notNull()
      .references(() => parties.id),
    /**
     * The engagement of an internal party's member; null for the MSP's people, who work across
     * the MSP's engagements (a technician serving forty customers is one person).
     */
    engagementId: uuid('engagement_id').references(() => engagements.id),
    name: text('name').notNull(),
    /** Lower-cased; unique when present. */
    email: text('email').unique(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('people_party_idx').on(t.partyId)],
);

/** The person's identity in one external system (a CW member id, an RT user name...). */
export const personIdentities = pgTable(
  'person_identities',
  {
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    connectionId: text('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    externalId: text('external_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.connectionId, t.externalId] }),
    index('person_identities_person_idx').on(t.personId),
  ],
);

export type PersonRow = typeof people.$inferSelect;
