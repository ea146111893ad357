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
import { type CheckTarget, call, draftFor, ensure, fail, skip, uniqueTag } from './support.ts';

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

/** What a comparison of two reads of one ticket's comments looks at. */
const shapeOf = (c: CommentRecord) => `${c.externalId} ${c.visibility} fromHub=${c.fromHub} "${c.body}"`;

/**
 * `listCommentsBulk` is what a backfill reads instead of `listComments`, so it must give the same
 * comments: same ids, order, visibility, body and fromHub, for tickets with none, one and several.
 */
export async function checkBulkCommentsMatchPerTicket<C>(t: CheckTarget<C>): Promise<void> {
  const bulk = t.connector.listCommentsBulk;
  if (!bulk) skip('the connector has no listCommentsBulk; backfills read comments per ticket');
  const tag = uniqueTag();
  const [none, one, several] = [
    await createTicketId(t, `bulk none ${tag}`),
    await createTicketId(t, `bulk one ${tag}`),
    await createTicketId(t, `bulk several ${tag}`),
  ];
  await call('harness.addVendorComment', () => t.harness.addVendorComment(one, `only ${tag}`, 'PUBLIC'));
  await call('harness.addVendorComment', () => t.harness.addVendorComment(several, `first ${tag}`, 'PUBLIC'));
  await call('harness.addVendorComment', () =>
    t.harness.addVendorComment(several, `second ${tag}`, 'INTERNAL'),
  );
  const fromHub = {
    body: withOriginMarker(`third ${tag}`),
    visibility: 'INTERNAL' as const,
    authorName: 'Conformance Suite',
  };
  await call('addComment(INTERNAL)', () => t.connector.addComment(t.ctx, several, fromHub));
  const ids = [none, one, several];
  const found = await call('listCommentsBulk', () => bulk(t.ctx, ids));
  ensure(found instanceof Map, 'listCommentsBulk must return a Map from external ticket id to comments');
  for (const [id, comments] of found) {
    ensure(ids.includes(id), `listCommentsBulk returned comments for ${id}, a ticket it was not asked about`);
    for (const comment of comments) {
      const result = CommentRecordSchema.safeParse(comment);
      if (!result.success) {
        fail(
          `listCommentsBulk returned a comment that is not a valid CommentRecord: ${result.error.issues[0]?.message}`,
        );
      }
    }
  }
  for (const [id, what, count] of [
    [none, 'no comments', 0],
    [one, 'one comment', 1],
    [several, 'three comments', 3],
  ] as const) {
    const single = (await list(t, id)).map(shapeOf);
    const many = (found.get(id) ?? []).map(shapeOf);
    ensure(
      single.length === count,
      `listComments of a ticket with ${what} returned ${single.length}: the per-ticket read is the reference here`,
    );
    ensure(
      JSON.stringify(many) === JSON.stringify(single),
      `listCommentsBulk differs from listComments for a ticket with ${what}: bulk gave [${many.join('; ')}], per ticket [${single.join('; ')}]. Return each ticket's comments oldest first, with the same mapping`,
    );
  }
}
