import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { connections } from './connections.ts';
import { commentVisibilityEnum } from './enums.ts';
import { parties } from './parties.ts';
import { people } from './people.ts';
import { tickets } from './tickets.ts';

export const comments = pgTable(
  'comments',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    /** The party whose member wrote it; an INTERNAL comment is visible to this party only. */
    partyId: uuid('party_id')
      .notNull()
      .references(() => parties.id),
    authorId: uuid('author_id').references(() => people.id),
    authorName: text('author_name'),
    body: text('body').notNull(),
    visibility: commentVisibilityEnum('visibility').notNull(),
    /** Set when the comment came from (or was first written to) an external system. */
    connectionId: text('connection_id').references(() => connections.id),
    externalId: text('external_id'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index('comments_ticket_idx').on(t.ticketId, t.createdAt),
    unique('comments_external_uq').on(t.connectionId, t.externalId),
  ],
);

export type CommentRow = typeof comments.$inferSelect;
