/**
 * Ticket notes <-> hub comments. CW keeps Discussion, Internal and Resolution notes on one list,
 * told apart by flags (see `toCommentRecord`).
 */
import type { CommentDraft, CommentRecord, ConnectorContext } from '../../src/connector-kit/index.ts';
import * as cw from './client.ts';
import type { ConnectWiseConfig } from './config.ts';
import { toCommentRecord, toCwNoteBody } from './mapping.ts';
import { parseTicketId } from './tickets.ts';

type Ctx = ConnectorContext<ConnectWiseConfig>;

/**
 * Every note, oldest first. `since` is applied here rather than as a `dateCreated` condition:
 * whether notes accept that condition is UNCONFIRMED, and a ticket's notes fit in a page or two.
 */
export async function listComments(ctx: Ctx, externalId: string, since?: Date): Promise<CommentRecord[]> {
  const http = cw.createCwHttp(ctx);
  const ticketId = parseTicketId(externalId);
  const notes = await cw.listNotes(http, ticketId);
  return notes
    .map(toCommentRecord)
    .filter((c) => since === undefined || c.createdAt.getTime() >= since.getTime())
    .sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || Number(a.externalId) - Number(b.externalId),
    );
}

/**
 * Notes are always written by the API member, so `authorName` cannot be kept as CW's author;
 * the body (with the hub's origin marker) is written unchanged.
 */
export async function addComment(
  ctx: Ctx,
  externalId: string,
  comment: CommentDraft,
): Promise<CommentRecord> {
  const http = cw.createCwHttp(ctx);
  const note = await cw.createNote(http, parseTicketId(externalId), toCwNoteBody(comment));
  return toCommentRecord(note);
}
