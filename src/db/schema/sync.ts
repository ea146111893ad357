import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { comments } from './comments.ts';
import { connections } from './connections.ts';
import { tickets } from './tickets.ts';

/**
 * The transactional outbox: written in the same transaction as the change it delivers.
 * A `ticket` row means "make the tool's copy match the hub" (state-based, so retries and
 * coalesced changes are safe); a `comment` row means "copy this comment there once".
 */
export const syncOutbox = pgTable(
  'sync_outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    connectionId: text('connection_id')
      .notNull()
      .references(() => connections.id),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<'ticket' | 'comment'>().notNull(),
    commentId: uuid('comment_id').references(() => comments.id, { onDelete: 'cascade' }),
    /** pending, or parked after failing for the whole retry window or permanently. */
    state: text('state').$type<'pending' | 'parked'>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** When the first of the current run of failures happened; null while nothing failed. */
    failingSince: timestamp('failing_since', { withTimezone: true, precision: 3 }),
    /** Parked because the tool said the call can never succeed (not because it kept failing). */
    permanent: boolean('permanent').notNull().default(false),
    /**
     * The replica holding the claim. Its claim is void once its session-level advisory lock is
     * gone (the process or its database session died), even while `locked_until` lies ahead.
     */
    claimedBy: text('claimed_by'),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** A claim: the replica delivering it holds it until then; a crash lets it expire. */
    lockedUntil: timestamp('locked_until', { withTimezone: true, precision: 3 }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index('sync_outbox_due_idx').on(t.state, t.nextAttemptAt),
    index('sync_outbox_ticket_idx').on(t.connectionId, t.ticketId, t.id),
    // At most one pending "sync this ticket" per tool: later changes ride along with it.
    uniqueIndex('sync_outbox_pending_ticket_uq')
      .on(t.connectionId, t.ticketId)
      .where(sql`kind = 'ticket' and state = 'pending' and locked_until is null`),
  ],
);

/** Change hints from webhooks, waiting for the authoritative record to be fetched. */
export const inboundQueue = pgTable(
  'inbound_queue',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    connectionId: text('connection_id')
      .notNull()
      .references(() => connections.id),
    externalId: text('external_id').notNull(),
    kind: text('kind').$type<'ticket' | 'comment' | 'deleted'>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    lockedUntil: timestamp('locked_until', { withTimezone: true, precision: 3 }),
    /** The replica holding the claim (see `sync_outbox.claimed_by`). */
    claimedBy: text('claimed_by'),
    lastError: text('last_error'),
    receivedAt: timestamp('received_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('inbound_queue_waiting_uq').on(t.connectionId, t.externalId).where(sql`locked_until is null`),
    index('inbound_queue_due_idx').on(t.nextAttemptAt),
  ],
);

/** A comment's copy in one tool: written once, recognised when it comes back. */
export const commentLinks = pgTable(
  'comment_links',
  {
    commentId: uuid('comment_id')
      .notNull()
      .references(() => comments.id, { onDelete: 'cascade' }),
    connectionId: text('connection_id')
      .notNull()
      .references(() => connections.id),
    externalId: text('external_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    unique('comment_links_external_uq').on(t.connectionId, t.externalId),
    unique('comment_links_comment_uq').on(t.commentId, t.connectionId),
  ],
);

export type SyncOutboxRow = typeof syncOutbox.$inferSelect;
export type InboundQueueRow = typeof inboundQueue.$inferSelect;
