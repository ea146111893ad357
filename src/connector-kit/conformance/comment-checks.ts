/**
 * Comments keep their visibility both ways (an internal note must never become a public reply),
 * and the hub recognises its own comments coming back, which is how comment echoes stop.
 */
import {
  type CommentRecord,
  CommentRecordSchema,
  type CommentVisibility,
  withOriginMarker,
} from '../records.ts';
import { type CheckTarget, call, draftFor, ensure, fail, uniqueTag } from './support.ts';

async function createTicketId<C>(t: CheckTarget<C>, title: string): Promise<string> {
  const record = await call('createTicket', () => t.connector.createTicket(t.ctx, draftFor(t, title)));
  return record.externalId;
}

async function list<C>(t: CheckTarget<C>, ticketId: string): Promise<CommentRecord[]> {
  const comments = await call('listComments', () => t.connector.listComments(t.ctx, ticketId));
  for (const comment of comments) {
    const result = CommentRecordSchema.safeParse(comment);
    if (!result.success) {
      fail(
        `listComments returned a comment that is not a valid CommentRecord: ${result.error.issues[0]?.message}`,
      );
    }
  }
  return comments;
}

function find(comments: CommentRecord[], text: string, where: string): CommentRecord {
  const found = comments.find((comment) => comment.body.includes(text));
  ensure(
    found,
    `${where}: no comment contains "${text}" (got ${comments.length} comments): map the vendor's comment body text`,
  );
  return found;
}

export async function checkHubCommentsKeepVisibility<C>(t: CheckTarget<C>): Promise<void> {
  const ticketId = await createTicketId(t, `hub comments ${uniqueTag()}`);
  const texts: Record<CommentVisibility, string> = {
    PUBLIC: `public reply ${uniqueTag()}`,
    INTERNAL: `internal note ${uniqueTag()}`,
  };
  for (const visibility of ['PUBLIC', 'INTERNAL'] as const) {
    const draft = { body: withOriginMarker(texts[visibility]), visibility, authorName: 'Conformance Suite' };
    const added = await call(`addComment(${visibility})`, () =>
      t.connector.addComment(t.ctx, ticketId, draft),
    );
    ensure(
      added.visibility === visibility,
      `addComment(${visibility}) returned visibility ${added.visibility}: write ${visibility === 'INTERNAL' ? 'an internal note (private, not emailed)' : 'a public reply'} and map it back`,
    );
  }
  const comments = await list(t, ticketId);
  for (const visibility of ['PUBLIC', 'INTERNAL'] as const) {
    const comment = find(comments, texts[visibility], 'listComments after addComment');
    ensure(
      comment.visibility === visibility,
      `a hub comment written ${visibility} came back from listComments as ${comment.visibility}: ${visibility === 'INTERNAL' ? 'an internal note leaking out as public is the worst bug a co-managed hub can have' : 'map the vendor visibility flag both ways'}`,
    );
    ensure(
      comment.fromHub === true,
      `a hub comment came back with fromHub ${comment.fromHub}: set fromHub = hasOriginMarker(body), keeping the marker in the body the vendor returns`,
    );
  }
}

export async function checkVendorCommentsKeepVisibility<C>(t: CheckTarget<C>): Promise<void> {
  const ticketId = await createTicketId(t, `vendor comments ${uniqueTag()}`);
  const texts: Record<CommentVisibility, string> = {
    INTERNAL: `vendor internal ${uniqueTag()}`,
    PUBLIC: `vendor public ${uniqueTag()}`,
  };
  for (const visibility of ['INTERNAL', 'PUBLIC'] as const) {
    await call('harness.addVendorComment', () =>
      t.harness.addVendorComment(ticketId, texts[visibility], visibility),
    );
  }
  const comments = await list(t, ticketId);
  for (const visibility of ['INTERNAL', 'PUBLIC'] as const) {
    const comment = find(comments, texts[visibility], 'listComments after a vendor user commented');
    ensure(
      comment.visibility === visibility,
      `a vendor ${visibility} comment came back as ${comment.visibility}: read the vendor's internal/private flag`,
    );
    ensure(comment.fromHub === false, 'a comment written by a vendor user came back with fromHub true');
  }
}
