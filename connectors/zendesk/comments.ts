/**
 * Comments are Zendesk ticket comments: `public: true` is a reply the requester sees (and is
 * emailed), `public: false` an internal note. They are written through a ticket update with
 * `ticket.comment`; the update's audit carries the new comment. A ticket's first comment is its
 * description (Zendesk needs one to create a ticket), already mapped as the ticket's description.
 */
import {
  type CommentDraft,
  type CommentRecord,
  type ConnectorContext,
  ConnectorError,
} from '../../src/connector-kit/index.ts';
import { type ZdComment, ZdCommentEvent, type ZdUser } from './api-types.ts';
import * as zd from './client.ts';
import type { ZendeskConfig } from './config.ts';
import { indexUsers, toCommentRecord, toZdComment } from './mapping.ts';

type Ctx = ConnectorContext<ZendeskConfig>;

const MAX_PAGES = 100;

async function readComments(ctx: Ctx, id: string): Promise<CommentRecord[]> {
  const http = zd.createZdHttp(ctx);
  const comments: ZdComment[] = [];
  const users: ZdUser[] = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const result = await zd.listComments(http, id, page);
    comments.push(...result.comments);
    users.push(...(result.users ?? []));
    if (!result.next_page || result.comments.length === 0) break;
  }
  const byUser = indexUsers(users);
  return comments
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id)
    .slice(1)
    .map((comment) => toCommentRecord(comment, byUser));
}

export async function listComments(ctx: Ctx, id: string, since?: Date): Promise<CommentRecord[]> {
  if (!/^\d{1,15}$/.test(id)) return [];
  const comments = await readComments(ctx, id);
  return since ? comments.filter((comment) => comment.createdAt.getTime() >= since.getTime()) : comments;
}

export async function addComment(ctx: Ctx, id: string, draft: CommentDraft): Promise<CommentRecord> {
  if (!/^\d{1,15}$/.test(id)) throw new ConnectorError('not_found', `"${id}" is not a Zendesk ticket id`);
  const http = zd.createZdHttp(ctx);
  const updated = await zd.updateTicket(http, id, { comment: toZdComment(draft) });
  const event = updated.audit?.events.find((e) => e.type === 'Comment');
  const parsed = ZdCommentEvent.omit({ created_at: true }).safeParse(event);
  if (parsed.success) {
    const createdAt = updated.audit?.created_at ?? updated.ticket.updated_at;
    return toCommentRecord({ ...parsed.data, created_at: createdAt }, new Map());
  }
  // No audit in the answer: find the newest comment with this body and visibility instead.
  const match = (await readComments(ctx, id))
    .reverse()
    .find((c) => c.visibility === draft.visibility && c.body.trim() === draft.body.trim());
  if (!match)
    throw new ConnectorError(
      'invalid_response',
      `Zendesk accepted the comment on ticket ${id} but does not list it`,
    );
  return match;
}
