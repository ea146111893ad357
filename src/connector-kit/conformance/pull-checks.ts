/**
 * Reading changes: a full backfill, the order of pages, and incremental pulls from a cursor.
 * Cursor bugs lose tickets silently in production, so these are the checks that matter most.
 */
import {
  type CheckTarget,
  call,
  collectPull,
  ensure,
  listSome,
  missingFrom,
  pageSizeOf,
  seed,
  uniqueTag,
} from './support.ts';

export async function checkBackfillPages<C>(t: CheckTarget<C>): Promise<void> {
  const size = pageSizeOf(t.harness);
  t.clock.advance();
  const seeded = await seed(t, 2 * size + 1, `backfill ${uniqueTag()}`);
  const pull = await collectPull(t, null);
  ensure(
    pull.pages.length >= 3,
    `pullTickets(null) yielded ${pull.pages.length} page(s) for at least ${seeded.length} tickets with harness.pageSize ${size}: yield one Page per vendor page, and make validConfig's page size equal harness.pageSize`,
  );
  const nullPage = pull.pages.findIndex((page) => page.cursor === null);
  ensure(
    nullPage === -1,
    `page ${nullPage + 1} of ${pull.pages.length} from pullTickets(null) has cursor null: every page needs a cursor the engine can resume from if it stops right after applying that page`,
  );
  const missing = missingFrom(seeded, pull);
  ensure(
    missing.length === 0,
    `pullTickets(null) missed ${missing.length} of ${seeded.length} seeded tickets (${listSome(missing)}): follow the vendor's pagination to the last page`,
  );
}

export async function checkOldestFirst<C>(t: CheckTarget<C>): Promise<void> {
  t.clock.advance();
  await seed(t, pageSizeOf(t.harness) + 1, `order ${uniqueTag()}`);
  const pull = await collectPull(t, null);
  for (let i = 1; i < pull.records.length; i += 1) {
    const before = pull.records[i - 1]!;
    const after = pull.records[i]!;
    ensure(
      after.updatedAt.getTime() >= before.updatedAt.getTime(),
      `pullTickets(null) returned ticket ${after.externalId} (updated ${after.updatedAt.toISOString()}) after ticket ${before.externalId} (updated ${before.updatedAt.toISOString()}): sort the vendor query by last-updated ascending, or a page's cursor can jump past tickets still on later pages`,
    );
  }
}

export async function checkIncremental<C>(t: CheckTarget<C>): Promise<void> {
  const tag = uniqueTag();
  t.clock.advance();
  const seeded = await seed(t, Math.max(2 * pageSizeOf(t.harness) + 1, 8), `incremental ${tag}`);
  // A later ticket alone at the newest time, so the cursor sits clearly after the seeded ones.
  t.clock.advance();
  await seed(t, 1, `incremental ${tag} anchor`);
  const full = await collectPull(t, null);
  ensure(full.lastCursor !== null, 'pullTickets(null) yielded no page with a non-null cursor');

  t.clock.advance();
  const touched = [seeded[0]!, seeded[seeded.length - 1]!];
  const titles = touched.map((_, i) => `incremental ${tag} changed ${i}`);
  for (const [i, id] of touched.entries()) {
    await call('harness.touchTicket', () => t.harness.touchTicket(id, titles[i]!));
  }
  const incremental = await collectPull(t, full.lastCursor);
  for (const [i, id] of touched.entries()) {
    const record = incremental.latest.get(id);
    ensure(
      record,
      `pullTickets(cursor) did not return ticket ${id}, changed after the full pull that produced the cursor: filter on the vendor's last-updated field with the cursor inclusive (>=)`,
    );
    ensure(
      record.title === titles[i],
      `pullTickets(cursor) returned ticket ${id} titled "${record.title}" instead of "${titles[i]}": map the record from the response, not from a cache`,
    );
  }
  if (!t.clock.controllable) {
    t.note(
      'no controllable clock: "much smaller than a full pull" is not asserted, as an overlap window may cover every ticket seeded moments ago',
    );
    return;
  }
  ensure(
    incremental.latest.size <= full.latest.size / 2,
    `pullTickets(cursor) returned ${incremental.latest.size} distinct tickets after 2 changes, against ${full.latest.size} in a full pull an hour earlier: the cursor is not narrowing the vendor query (an overlap window of minutes is fine)`,
  );
}
