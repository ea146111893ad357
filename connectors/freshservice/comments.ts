/**
 * Comments are Freshservice conversations: notes (`private: true` internal, `private: false`
 * public, shown to the requester in the portal) and replies (public, emailed). The hub writes
 * notes only, with `POST /tickets/{id}/notes`, and reads every conversation.
 */
import {
  type CommentDraft,
  type CommentRecord,
  type ConnectorContext,
  ConnectorError,
} from '../../src/connector-kit/index.ts';
import { agentDirectory } from './agents.ts';
import type { FsConversation } from './api-types.ts';
import * as fs from './client.ts';
import type { FreshserviceConfig } from './config.ts';
import { toCommentRecord, toHtml } from './mapping.ts';

type Ctx = ConnectorContext<FreshserviceConfig>;

const MAX_PAGES = 100;
const isFsId = (id: string) => /^\d{1,15}$/.test(id);

export async function listComments(ctx: Ctx, id: string, since?: Date): Promise<CommentRecord[]> {
  if (!isFsId(id)) return [];
  const http = fs.createFsHttp(ctx);
  const conversations: FsConversation[] = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const result = await fs.listConversations(http, id, page);
    conversations.push(...result.conversations);
    if (!result.next || result.conversations.length === 0) break;
  }
  const agents = await agentDirectory(
    ctx,
    http,
    conversations.map((c) => c.user_id),
  );
  return conversations
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id)
    .map((c) => toCommentRecord(c, agents))
    .filter((c) => !since || c.createdAt.getTime() >= since.getTime());
}

export async function addComment(ctx: Ctx, id: string, draft: CommentDraft): Promise<CommentRecord> {
  if (!isFsId(id)) throw new ConnectorError('not_found', `"${id}" is not a Freshservice ticket id`);
  const http = fs.createFsHttp(ctx);
  const note = await fs.createNote(http, id, {
    body: toHtml(draft.body),
    private: draft.visibility === 'INTERNAL',
  });
  return toCommentRecord(note, await agentDirectory(ctx, http, [note.user_id]));
}
