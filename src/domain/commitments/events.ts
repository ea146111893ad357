import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { EventType, FieldChange, TicketEventRow, TicketRow } from '../../db/schema/index.ts';
import { ticketEvents } from '../../db/schema/index.ts';
import { EVENTS_CHANNEL } from '../ticket-store.ts';

/** The name commitments write under in history: a system actor, like routing's. */
export const COMMITMENTS_ACTOR_NAME = 'commitments';
/** `source` of events the clock worker writes (the write path's carry the change's own source). */
export const TIMER_SOURCE = 'TIMER';

export interface CommitmentEvent {
  type: Extract<EventType, 'SLA_WARNING' | 'SLA_BREACHED' | 'SLA_MET' | 'COURT_CHANGED'>;
  /** The party the event is about: the obligated party, or the party now holding the ball. */
  partyId: string;
  clockId?: string | null;
  changes?: FieldChange[];
}

/**
 * Appends commitment events to the ticket's history and announces them like every other event,
 * so subscriptions and `history` apply the same visibility: an event about a ticket a party may
 * not see never reaches it.
 */
export async function recordCommitmentEvents(
  tx: Tx,
  ticket: Pick<TicketRow, 'id' | 'version'>,
  source: string,
  drafts: CommitmentEvent[],
): Promise<TicketEventRow[]> {
  if (drafts.length === 0) return [];
  const rows = await tx
    .insert(ticketEvents)
    .values(
      drafts.map((d) => ({
        ticketId: ticket.id,
        type: d.type,
        changes: d.changes ?? [],
        ticketVersion: ticket.version,
        actorPartyId: d.partyId,
        actorName: COMMITMENTS_ACTOR_NAME,
        source,
        clockId: d.clockId ?? null,
      })),
    )
    .returning();
  await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${rows.map((r) => r.id).join(',')})`);
  return rows;
}
