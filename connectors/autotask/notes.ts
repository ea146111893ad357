/**
 * Ticket notes <-> hub comments. `publish` carries visibility (1 All Autotask Users = PUBLIC,
 * 2 Internal Users = INTERNAL); workflow-rule notes (noteType 13) are automation and left out.
 * Notes are listed with `TicketNotes/query` (which filters server-side, as djat does) and written
 * through the parent URL `Tickets/{id}/Notes`.
 */
import {
  type CommentDraft,
  type CommentRecord,
  type ConnectorContext,
  ConnectorError,
} from '../../src/connector-kit/index.ts';
import { AtTicketNote } from './api-types.ts';
import { createTicketNote, getTicketNote, queryAll } from './client.ts';
import type { AutotaskConfig } from './config.ts';
import { type AtFilter, cmp, eq } from './filter.ts';
import { AT_WORKFLOW_NOTE_TYPE, toCommentRecord, toNoteBody } from './mapping.ts';
import { loadResourcesSoftly } from './people.ts';
import { withApi } from './session.ts';
import { parseId } from './tickets.ts';

type Ctx = ConnectorContext<AutotaskConfig>;

export async function listComments(ctx: Ctx, externalId: string, since?: Date): Promise<CommentRecord[]> {
  const ticketId = parseId(externalId);
  return withApi(ctx, async (api) => {
    const filter: AtFilter[] = [eq('ticketID', ticketId), cmp('noteq', 'noteType', AT_WORKFLOW_NOTE_TYPE)];
    if (since) filter.push(cmp('gte', 'createDateTime', since.toISOString()));
    // https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/REST/Entities/TicketNotesEntity.htm
    const notes = await queryAll(api, 'TicketNotes', { MaxRecords: 500, filter }, AtTicketNote);
    const resources = await loadResourcesSoftly(ctx, api);
    return notes
      .map((note) => toCommentRecord(note, resources))
      .sort(
        (a, b) =>
          a.createdAt.getTime() - b.createdAt.getTime() || Number(a.externalId) - Number(b.externalId),
      );
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
