import type { EventType, FieldChange, TicketRow } from '../db/schema/index.ts';
import { changesFor, classifyChanges } from './changes.ts';

/** One event to append, with the party it is restricted to (null: whoever may see the ticket). */
export interface EventDraft {
  type: EventType;
  changes: FieldChange[];
  commentId?: string;
  restrictedToPartyId?: string | null;
}

type Sight = Pick<TicketRow, 'ownerPartyId' | 'confidential'>;

/** The fields whose change discloses a confidential ticket: the only part the other party may read. */
const DISCLOSURE_FIELDS: ReadonlySet<string> = new Set(['confidential', 'shared']);

/**
 * Who may ever read an event is decided when it is written, never recomputed from the ticket's
 * current state: history outlives confidentiality. An event written while the ticket is
 * confidential (before or after the change) stays with the owning party for good, even once the
 * ticket is shared. A change that lifts confidentiality is split: the fields it changed under
 * confidentiality (a secret title being replaced, say) stay restricted, and only the disclosure
 * itself (`confidential`, `shared`) is open, so the other party's subscribers see the ticket
 * arrive without its past.
 */
export function draftChangeEvents(before: Sight, after: Sight, changes: FieldChange[]): EventDraft[] {
  const drafts = (cs: FieldChange[], restrictedToPartyId: string | null): EventDraft[] =>
    classifyChanges(cs).map((type) => ({ type, changes: changesFor(type, cs), restrictedToPartyId }));
  if (!before.confidential && !after.confidential) return drafts(changes, null);
  // A confidential ticket never changes hands, so its owner before is its owner after.
  const owner = before.ownerPartyId;
  if (after.confidential) return drafts(changes, owner);
  return [
    ...drafts(
      changes.filter((c) => !DISCLOSURE_FIELDS.has(c.field)),
      owner,
    ),
    ...drafts(
      changes.filter((c) => DISCLOSURE_FIELDS.has(c.field)),
      null,
    ),
  ];
}

/** The party an event about this ticket is restricted to when written now, before any other rule. */
export function confidentialTo(ticket: Sight): string | null {
  return ticket.confidential ? ticket.ownerPartyId : null;
}
