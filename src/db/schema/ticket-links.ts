import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { connections } from './connections.ts';
import { tickets } from './tickets.ts';

/** One row per ticket per external system. Unique external identity keeps upserts idempotent. */
export const ticketLinks = pgTable(
  'ticket_links',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    connectionId: text('connection_id')
      .notNull()
      .references(() => connections.id),
    externalId: text('external_id').notNull(),
    externalUrl: text('external_url'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    lastSyncedAt: timestamp('last_synced_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [
    unique('ticket_links_external_uq').on(t.connectionId, t.externalId),
    unique('ticket_links_ticket_connection_uq').on(t.ticketId, t.connectionId),
    index('ticket_links_ticket_idx').on(t.ticketId),
  ],
);

export type TicketLinkRow = typeof ticketLinks.$inferSelect;
