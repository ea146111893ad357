/**
 * Comments are RT transactions: `Correspond` (a public reply, mailed to requestors) and
 * `Comment` (internal). Their text lives in attachments, read through the ticket's attachment
 * collection (raw text there; the single-attachment endpoint base64-encodes it).
 */
import type { AxiosInstance } from 'axios';
import {
  type CommentDraft,
  type CommentRecord,
  type ConnectorContext,
  ConnectorError,
} from '../../src/connector-kit/index.ts';
import type { RtCollection } from './api-types.ts';
import * as rt from './client.ts';
import { toCommentRecord, toCommentRecords } from './comment-mapping.ts';
import type { RtConfig } from './config.ts';

/** Every item of a paged REST2 collection. `total` may be null, so stop on a short page. */
async function readAll<T>(fetchPage: (page: number) => Promise<RtCollection<T>>): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page += 1) {
    const result = await fetchPage(page);
    items.push(...result.items);
    if (result.count < result.per_page || result.items.length === 0) return items;
  }
}

async function readComments(http: AxiosInstance, id: string): Promise<CommentRecord[]> {
  const [transactions, attachments] = await Promise.all([
    readAll((page) => rt.getTicketHistory(http, id, page)),
    readAll((page) => rt.getTicketAttachments(http, id, page)),
  ]);
  return toCommentRecords(transactions, attachments);
}

export async function listComments(
  ctx: ConnectorContext<RtConfig>,
  id: string,
  since?: Date,
): Promise<CommentRecord[]> {
  if (!/^\d+$/.test(id)) return [];
  const comments = await readComments(rt.createRtHttp(ctx), id);
  return since ? comments.filter((comment) => comment.createdAt.getTime() >= since.getTime()) : comments;
}

export async function addComment(
  ctx: ConnectorContext<RtConfig>,
  id: string,
  draft: CommentDraft,
): Promise<CommentRecord> {
  if (!/^\d+$/.test(id)) throw new ConnectorError('not_found', `"${id}" is not an RT ticket id`);
  const http = rt.createRtHttp(ctx);
  const kind = draft.visibility === 'PUBLIC' ? 'correspond' : 'comment';
  const transactionId = await rt.addTicketMessage(http, id, kind, draft.body);
  if (transactionId !== null) {
    const [transaction, attachments] = await Promise.all([
      rt.getTransaction(http, transactionId),
      rt.getTransactionAttachments(http, transactionId),
    ]);
    return toCommentRecord(transaction, attachments.items);
  }
  // No Location header (a proxy may drop it): find the newest matching comment instead.
  const visibility = draft.visibility;
  const match = (await readComments(http, id))
    .reverse()
    .find((comment) => comment.visibility === visibility && comment.body.trim() === draft.body.trim());
  if (!match)
    throw new ConnectorError(
      'invalid_response',
      `RT accepted the ${kind} on ticket ${id} but does not list it`,
    );
  return match;
}
