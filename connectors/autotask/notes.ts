/**
 * Ticket notes <-> hub comments. `publish` carries visibility (1 All Autotask Users = PUBLIC,
 * 2 Internal Users = INTERNAL); workflow-rule notes (noteType 13) are automation and left out.
 * Notes are listed with `TicketNotes/query` (which filters server-side, as djat does) and written
 * through the parent URL `Tickets/{id}/Notes`. A backfill reads the notes of a whole page of
 * tickets at once with an `in` condition on `ticketID`, so notes cost ceil(notes / 500) requests
 * rather than one (or more) per ticket.
 */
import {
  type CommentDraft,
  type CommentRecord,
  type ConnectorContext,
  ConnectorError,
} from '../../src/connector-kit/index.ts';
import type { AtResource } from './api-types.ts';
import { AtTicketNote } from './api-types.ts';
import { createTicketNote, getTicketNote, queryAll } from './client.ts';
import type { AutotaskConfig } from './config.ts';
import { type AtFilter, type AtQueryBody, cmp, eq } from './filter.ts';
import { AT_WORKFLOW_NOTE_TYPE, toCommentRecord, toNoteBody } from './mapping.ts';
import { loadResourcesSoftly } from './people.ts';
import { withApi } from './session.ts';
import { parseId } from './tickets.ts';

type Ctx = ConnectorContext<AutotaskConfig>;

/** Autotask answers at most 500 records a page; an `in` list holds at most 500 values (UNCONFIRMED for REST). */
export const AT_IN_LIST_MAX = 500;
const NOTE_PAGE = 500;

/** Workflow-rule notes are automation, not comments. */
const notWorkflow = (): AtFilter => cmp('noteq', 'noteType', AT_WORKFLOW_NOTE_TYPE);

function toComments(notes: AtTicketNote[], resources: ReadonlyMap<number, AtResource>): CommentRecord[] {
  return notes
    .map((note) => toCommentRecord(note, resources))
    .sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || Number(a.externalId) - Number(b.externalId),
    );
}

export async function listComments(ctx: Ctx, externalId: string, since?: Date): Promise<CommentRecord[]> {
  const ticketId = parseId(externalId);
  return withApi(ctx, async (api) => {
    const filter: AtFilter[] = [eq('ticketID', ticketId), notWorkflow()];
    if (since) filter.push(cmp('gte', 'createDateTime', since.toISOString()));
    // https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/REST/Entities/TicketNotesEntity.htm
    const notes = await queryAll(api, 'TicketNotes', { MaxRecords: NOTE_PAGE, filter }, AtTicketNote);
    return toComments(notes, await loadResourcesSoftly(ctx, api));
  });
}

/**
 * The notes of many tickets: one `TicketNotes/query` per 500 ticket ids with `ticketID in [...]`,
 * paged through `nextPageUrl`, grouped by ticket (oldest first). Tickets without notes are absent.
 */
export async function listCommentsBulk(
  ctx: Ctx,
  externalIds: string[],
): Promise<Map<string, CommentRecord[]>> {
  const ids = [...new Set(externalIds.map((id) => parseId(id)))];
  if (ids.length === 0) return new Map();
  return withApi(ctx, async (api) => {
    const byTicket = new Map<number, AtTicketNote[]>();
    for (let i = 0; i < ids.length; i += AT_IN_LIST_MAX) {
      const chunk = ids.slice(i, i + AT_IN_LIST_MAX);
      const body: AtQueryBody = {
        MaxRecords: NOTE_PAGE,
        filter: [cmp('in', 'ticketID', chunk), notWorkflow()],
      };
      // https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/REST/API_Calls/REST_Basic_Query_Calls.htm (the `in` operator)
      for (const note of await queryAll(api, 'TicketNotes', body, AtTicketNote)) {
        const list = byTicket.get(note.ticketID);
        if (list) list.push(note);
        else byTicket.set(note.ticketID, [note]);
      }
    }
    const resources = await loadResourcesSoftly(ctx, api);
    const out = new Map<string, CommentRecord[]>();
    for (const [ticketId, notes] of byTicket) out.set(String(ticketId), toComments(notes, resources));
    return out;
  });
}

/**
 * Notes are written by the API user, so `authorName` goes into the note's title; the body (with
 * the hub's origin marker) is written unchanged. The note is read back for the record.
 */
export async function addComment(
  ctx: Ctx,
  externalId: string,
  comment: CommentDraft,
): Promise<CommentRecord> {
  const ticketId = parseId(externalId);
  return withApi(ctx, async (api) => {
    const noteId = await createTicketNote(api, ticketId, toNoteBody(comment, ticketId, ctx.config.noteType));
    const note = await getTicketNote(api, ticketId, noteId);
    if (!note)
      throw new ConnectorError(
        'invalid_response',
        `Autotask note ${noteId} vanished right after it was added`,
      );
    return toCommentRecord(note, await loadResourcesSoftly(ctx, api));
  });
}
