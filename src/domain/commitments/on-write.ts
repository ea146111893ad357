import type { Tx } from '../../db/client.ts';
import type { CommentRow, TicketEventRow, TicketRow } from '../../db/schema/index.ts';
import { updateClocks } from './clocks.ts';
import { updateCourt } from './court.ts';
import { recordCommitmentEvents } from './events.ts';

/**
 * What every ticket write does for commitments, inside its transaction: move the ticket's
 * clocks and its court, and record what that changed (SLA_BREACHED on a re-target past the
 * target, SLA_MET, COURT_CHANGED) under the write's source.
 */
export async function commitmentsAfterWrite(
  tx: Tx,
  ticket: TicketRow,
  source: string,
  now: Date,
  comment?: CommentRow,
): Promise<TicketEventRow[]> {
  const events = [...(await updateClocks(tx, ticket, comment, now)), ...(await updateCourt(tx, ticket, now))];
  return recordCommitmentEvents(tx, ticket, source, events);
}
