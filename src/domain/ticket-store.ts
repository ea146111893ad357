import { eq, sql } from 'drizzle-orm';
import type { TicketPriority, TicketStatus } from '../connector-kit/records.ts';
import type { DbOrTx, Tx } from '../db/client.ts';
import type { CommentRow, EventType, FieldChange, TicketEventRow, TicketRow } from '../db/schema/index.ts';
import { comments, ticketEvents, tickets } from '../db/schema/index.ts';
import { AppError, notFound } from '../errors.ts';
import { diffTicket, lifecycleTimestamps, type TicketChangeSet } from './changes.ts';
import { commitmentsAfterWrite } from './commitments/on-write.ts';
import { confidentialTo, draftChangeEvents, type EventDraft } from './event-drafts.ts';
import { assertSightRules } from './ownership.ts';
import type { RoutingReason } from './routing/rules.ts';
import { routeAfterWrite, routingMarks } from './routing/store.ts';
import { canSee, type Sight } from './visibility.ts';

/** The channel every committed event id is announced on (delivered at commit, in commit order). */
export const EVENTS_CHANNEL = 'hub_events';

/** Who made a change, and through which door. */
export interface Actor {
  partyId: string;
  /** The engagements the actor may touch: a token's, or a connection's. */
  engagementIds: readonly string[];
  name: string;
  /** `API` for GraphQL, or the connection id for changes that came from a tool. */
  source: string;
  connectionId?: string | null;
  /** Why an owner change happens (REASSIGNED events carry it); unset means MANUAL. */
  routingReason?: RoutingReason;
  /** The matrix rule behind a ROUTING_RULE change. */
  routingRuleId?: string | null;
}

/** Called inside the write's transaction; the sync engine plans outbox deliveries here. */
export interface WriteHooks {
  afterWrite?(tx: Tx, write: WriteNotice): Promise<void>;
  /**
   * Optional, for writers that batch (a backfill page): the same as calling `afterWrite` for each
   * write in order, in one go. Writers that batch fall back to `afterWrite` per write without it.
   */
  afterWriteBatch?(tx: Tx, writes: WriteNotice[]): Promise<void>;
}

/** One write, as the hooks hear of it inside its transaction. */
export interface WriteNotice {
  ticket: TicketRow;
  actor: Actor;
  events: TicketEventRow[];
  comment?: CommentRow;
}

export interface WriteResult {
  ticket: TicketRow;
  events: TicketEventRow[];
}

export interface NewTicket {
  /** The engagement it belongs to, for good; the actor must be allowed in it. */
  engagementId: string;
  title: string;
  description?: string | null;
  status?: TicketStatus;
  priority?: TicketPriority;
  ownerPartyId: string;
  assigneeId?: string | null;
  requesterId?: string | null;
  serviceArea?: string | null;
  category?: string | null;
  /** MANUAL when the creator chose the owner (a hand-off at creation): the matrix leaves it alone. */
  routingReason?: RoutingReason | null;
  confidential?: boolean;
  shared?: boolean;
  createdAt?: Date;
}

export async function createTicket(
  db: DbOrTx,
  actor: Actor,
  input: NewTicket,
  hooks: WriteHooks = {},
): Promise<WriteResult> {
  if (!actor.engagementIds.includes(input.engagementId)) throw notFound('Engagement', input.engagementId);
  if (input.confidential && input.ownerPartyId !== actor.partyId) {
    throw new AppError('BAD_USER_INPUT', 'A confidential ticket cannot be handed to another party.', {
      field: 'input.confidential',
    });
  }
  return db.transaction(async (tx) => {
    const now = input.createdAt ?? new Date();
    const status = input.status ?? 'NEW';
    const [ticket] = await tx
      .insert(tickets)
      .values({
        ...input,
        status,
        originPartyId: actor.partyId,
        shared: input.confidential ? false : (input.shared ?? input.ownerPartyId !== actor.partyId),
        createdAt: now,
        updatedAt: now,
        ...lifecycleTimestamps('NEW', status, now),
      })
      .returning();
    if (!ticket) throw new Error('ticket insert returned no row');
    const events = await recordEvents(tx, actor, ticket, [
      { type: 'CREATED', changes: [], restrictedToPartyId: confidentialTo(ticket) },
    ]);
    await hooks.afterWrite?.(tx, { ticket, actor, events });
    const routed = await routeAfterWrite(tx, { ticket, actor, events }, hooks);
    await commitmentsAfterWrite(tx, routed, actor.source, now);
    return { ticket: routed, events };
  });
}

export interface ChangeOptions {
  /** When given, a different current version is a VERSION_CONFLICT. */
  expectedVersion?: number | null | undefined;
  /** Compute the change set from the locked current row; throw AppError to refuse. */
  compute: (current: TicketRow) => TicketChangeSet;
  now?: Date;
  /** When the change happened at its source (a tool's own timestamp); drives the field merge. */
  sourceTime?: Date;
}

/**
 * The single write path for ticket fields: lock the row, check version and visibility,
 * diff, update, append events and announce them, all in one transaction. A change that
 * changes nothing writes nothing and emits nothing (this is what keeps sync idempotent).
 */
export async function changeTicket(
  db: DbOrTx,
  actor: Actor,
  ticketId: string,
  opts: ChangeOptions,
  hooks: WriteHooks = {},
): Promise<WriteResult> {
  return db.transaction(async (tx) => {
    const current = await lockVisibleTicket(tx, actor, ticketId);
    if (opts.expectedVersion != null && opts.expectedVersion !== current.version) {
      throw new AppError(
        'VERSION_CONFLICT',
        `Ticket was changed by someone else: you sent version ${opts.expectedVersion}, it is now at version ${current.version}. Reload it and apply your change again.`,
        { currentVersion: current.version },
      );
    }
    const computed = opts.compute(current);
    const next = { ...computed, ...routingMarks(current, computed, actor) };
    const changes = diffTicket(current, next);
    if (changes.length === 0) return { ticket: current, events: [] };
    const now = opts.now ?? new Date();
    const set: Partial<TicketRow> = Object.fromEntries(changes.map((c) => [c.field, c.to]));
    assertSightRules(actor.partyId, current, { ...current, ...set });
    set.fieldChangedAt = {
      ...current.fieldChangedAt,
      ...Object.fromEntries(changes.map((c) => [c.field, (opts.sourceTime ?? now).toISOString()])),
    };
    if (next.status && next.status !== current.status) {
      Object.assign(set, lifecycleTimestamps(current.status, next.status, now));
    }
    const [ticket] = await tx
      .update(tickets)
      .set({ ...set, updatedAt: now, version: current.version + 1 })
      .where(eq(tickets.id, ticketId))
      .returning();
    if (!ticket) throw new Error('ticket update returned no row');
    const events = await recordEvents(tx, actor, ticket, draftChangeEvents(current, ticket, changes));
    await hooks.afterWrite?.(tx, { ticket, actor, events });
    const routed = await routeAfterWrite(tx, { ticket, actor, events }, hooks);
    await commitmentsAfterWrite(tx, routed, actor.source, now);
    return { ticket: routed, events };
  });
}

/**
 * Records an event about a ticket that changes none of its fields (its copy in a tool was
 * deleted or merged there), through the same event log and announcement as every change.
 */
export async function noteTicketEvent(
  db: DbOrTx,
  actor: Actor,
  ticketId: string,
  type: EventType,
  changes: FieldChange[],
): Promise<TicketEventRow[]> {
  return db.transaction(async (tx) => {
    const ticket = await lockVisibleTicket(tx, actor, ticketId);
    // About a confidential ticket, the note stays with its owner like every other event.
    return recordEvents(tx, actor, ticket, [{ type, changes, restrictedToPartyId: confidentialTo(ticket) }]);
  });
}

export interface NewComment {
  body: string;
  visibility: 'PUBLIC' | 'INTERNAL';
  authorId?: string | null;
  authorName?: string | null;
  externalId?: string | null;
  createdAt?: Date;
}

export async function addComment(
  db: DbOrTx,
  actor: Actor,
  ticketId: string,
  input: NewComment,
  hooks: WriteHooks = {},
): Promise<{ comment: CommentRow; ticket: TicketRow; events: TicketEventRow[] }> {
  return db.transaction(async (tx) => {
    const ticket = await lockVisibleTicket(tx, actor, ticketId);
    const [comment] = await tx
      .insert(comments)
      .values({
        ...input,
        createdAt: input.createdAt ?? new Date(),
        ticketId,
        partyId: actor.partyId,
        authorName: input.authorName ?? actor.name,
        connectionId: actor.connectionId ?? null,
      })
      .returning();
    if (!comment) throw new Error('comment insert returned no row');
    const [bumped] = await tx
      .update(tickets)
      .set({ updatedAt: comment.createdAt })
      .where(eq(tickets.id, ticketId))
      .returning();
    const events = await recordEvents(tx, actor, bumped ?? ticket, [
      {
        type: 'COMMENTED',
        changes: [],
        commentId: comment.id,
        // An internal comment stays with its author's party; any comment on a confidential
        // ticket stays with the owner, even after the ticket is shared.
        restrictedToPartyId: comment.visibility === 'INTERNAL' ? actor.partyId : confidentialTo(ticket),
      },
    ]);
    await hooks.afterWrite?.(tx, { ticket: bumped ?? ticket, actor, events, comment });
    await commitmentsAfterWrite(tx, bumped ?? ticket, actor.source, comment.createdAt, comment);
    return { comment, ticket: bumped ?? ticket, events };
  });
}

/** Row-locks the ticket; an invisible ticket is reported as missing, not as forbidden. */
export async function lockVisibleTicket(tx: Tx, sight: Sight, ticketId: string): Promise<TicketRow> {
  const [row] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for('update');
  if (!row || !canSee(sight, row)) throw notFound('Ticket', ticketId);
  return row;
}

async function recordEvents(
  tx: Tx,
  actor: Actor,
  ticket: TicketRow,
  drafts: EventDraft[],
): Promise<TicketEventRow[]> {
  if (drafts.length === 0) return [];
  const rows = await tx
    .insert(ticketEvents)
    .values(
      drafts.map((d) => ({
        ticketId: ticket.id,
        type: d.type,
        changes: d.changes,
        ticketVersion: ticket.version,
        actorPartyId: actor.partyId,
        actorName: actor.name,
        source: actor.source,
        connectionId: actor.connectionId ?? null,
        commentId: d.commentId ?? null,
        restrictedToPartyId: d.restrictedToPartyId ?? null,
        ...(d.type === 'REASSIGNED'
          ? { routingReason: actor.routingReason ?? 'MANUAL', routingRuleId: actor.routingRuleId ?? null }
          : {}),
      })),
    )
    .returning();
  // NOTIFY inside the transaction: Postgres delivers it only on commit, in commit order.
  await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${rows.map((r) => r.id).join(',')})`);
  return rows;
}
