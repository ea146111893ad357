import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { connections } from './connections.ts';
import { tickets } from './tickets.ts';

export interface RemoteState {
  title: string;
  status: string;
  priority: string;
  /** The tool's id for the assignee, or null. */
  assignee: string | null;
  /**
   * The tool's description, only for connectors that can update it (`Connector.updatable`).
   * Absent: not mirrored, or a link stored before descriptions were; the next read sets it.
   */
  description?: string | null;
  /**
   * The tool's id for the requester as last read (inbound only: a change there moves the hub's
   * requester). Absent on links stored before requesters were followed; the next read sets it.
   */
  requester?: string | null;
}

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
    /**
     * What the hub believes the tool holds for the mirrored fields: what it last read there or
     * last wrote there. Inbound records are diffed against it (so an echo of our own write is
     * no change), and outbound deliveries write only what differs from it.
     */
    remoteState: jsonb('remote_state').$type<RemoteState>(),
    /** The service area and category the tool's record mapped to when last read: a move there re-areas the ticket. */
    remoteArea: text('remote_area'),
    remoteCategory: text('remote_category'),
    /** The tool's own last-change time for this ticket, as last seen. */
    remoteUpdatedAt: timestamp('remote_updated_at', { withTimezone: true, precision: 3 }),
    /** Comments created at or after this time are read on the next inbound sync. */
    commentsSyncedAt: timestamp('comments_synced_at', { withTimezone: true, precision: 3 }),
    /** The last delivery error to this tool, shown on the ticket until a delivery succeeds. */
    lastError: text('last_error'),
    /**
     * Something the hub could not carry over that is not a failed delivery, e.g. an assignee the
     * tool has no user for (the tool's owner was then left as it was). Cleared once it resolves.
     */
    notice: text('notice'),
    /** When the tool's copy was found deleted or merged away; null while it exists. */
    removedAt: timestamp('removed_at', { withTimezone: true, precision: 3 }),
    /** `deleted` or `merged` (into `mergedInto`, the surviving ticket's id in the tool). */
    removedAs: text('removed_as').$type<'deleted' | 'merged'>(),
    mergedInto: text('merged_into'),
  },
  (t) => [
    unique('ticket_links_external_uq').on(t.connectionId, t.externalId),
    unique('ticket_links_ticket_connection_uq').on(t.ticketId, t.connectionId),
    index('ticket_links_ticket_idx').on(t.ticketId),
  ],
);

export type TicketLinkRow = typeof ticketLinks.$inferSelect;
