/**
 * Ticket actions <-> hub comments. Halo keeps notes, e-mails and system events on one list of
 * actions; `hiddenfromuser` tells an internal note from one the end user can see.
 */
import type { CommentDraft, CommentRecord, ConnectorContext } from '../../src/connector-kit/index.ts';
import * as halo from './client.ts';
import type { HaloConfig } from './config.ts';
import { toCommentRecord, toHaloAction } from './mapping.ts';
import { parseHaloId } from './tickets.ts';

type Ctx = ConnectorContext<HaloConfig>;

/**
 * Every note on the ticket, oldest first (Halo lists newest first). Actions without text (status
 * changes, time entries) are left out; `since` is applied here because whether `startdate` on
 * `/api/Actions` filters on creation time is UNCONFIRMED.
 */
export async function listComments(ctx: Ctx, externalId: string, since?: Date): Promise<CommentRecord[]> {
  const actions = await halo.listActions(ctx, parseHaloId(externalId));
  return actions
    .filter((action) => (action.note ?? action.note_html ?? '').trim() !== '')
    .map(toCommentRecord)
    .filter((c) => since === undefined || c.createdAt.getTime() >= since.getTime())
    .sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || Number(a.externalId) - Number(b.externalId),
    );
}

/**
 * Actions are recorded as the API application's agent, so `authorName` cannot become Halo's
 * author; the body, origin marker included, is written unchanged.
 */
export async function addComment(
  ctx: Ctx,
  externalId: string,
  comment: CommentDraft,
): Promise<CommentRecord> {
  const body = toHaloAction(parseHaloId(externalId), comment, ctx.config);
  return toCommentRecord(await halo.createAction(ctx, body));
}
