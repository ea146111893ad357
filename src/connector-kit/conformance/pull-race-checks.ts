/**
 * The races that lose tickets: many tickets sharing one timestamp (page boundaries and cursors
 * landing inside them) and changes made while a pull is running. They need harness levers
 * (a settable clock, a hook after each page) and are skipped with a reason without them.
 */
import {
  type CheckTarget,
  collectPull,
  ensure,
  listSome,
  missingFrom,
  type PullResult,
  pageSizeOf,
  seed,
  skip,
  uniqueTag,
} from './support.ts';

function requireClock<C>(t: CheckTarget<C>): void {
  if (!t.clock.controllable) {
    skip(
      'the harness has no controllable clock (capabilities.controllableClock and setClock), so tickets cannot be made to share one timestamp',
    );
  }
}

export async function checkSameTimestampAcrossPages<C>(t: CheckTarget<C>): Promise<void> {
  requireClock(t);
  t.clock.advance();
  const before = await collectPull(t, null);
  const at = t.clock.advance()!;
  const seeded = await seed(t, pageSizeOf(t.harness) + 3, `same-time ${uniqueTag()}`);
  const after = await collectPull(t, before.lastCursor);
  const missing = missingFrom(seeded, after);
  ensure(
    missing.length === 0,
    `${missing.length} of ${seeded.length} tickets sharing one update time (${at.toISOString()}) were missed when a page boundary fell among them (${listSome(missing)}): page with the vendor's next link, page number or offset, or keyset on (updated, id); never start the next page at "updated > last seen"`,
  );
}

export async function checkSameTimestampAtCursor<C>(t: CheckTarget<C>): Promise<void> {
  requireClock(t);
  const at = t.clock.advance()!;
  const tag = uniqueTag();
  await seed(t, 2, `at-cursor ${tag} first`);
  const first = await collectPull(t, null);
  ensure(first.lastCursor !== null, 'pullTickets(null) yielded no page with a non-null cursor');
  const later = await seed(t, 2, `at-cursor ${tag} later`);
  const second = await collectPull(t, first.lastCursor);
  const missing = missingFrom(later, second);
  ensure(
    missing.length === 0,
    `tickets written at the cursor's own time (${at.toISOString()}) after the pull that produced it were missed (${listSome(missing)}): resume with updated >= cursor (inclusive), not >, and let the engine dedupe`,
  );
}

interface MidPull {
  seeded: string[];
  touchedId: string;
  touchedTitle: string;
  createdId: string;
  during: PullResult;
  next: PullResult;
}

/**
 * Seeds a few pages of tickets, then pulls; after the first page is served the oldest seeded
 * ticket (already returned) is changed and a new one is created. Then pulls again from the
 * final cursor, as the engine would on its next run.
 */
async function runMidPullScenario<C>(t: CheckTarget<C>, label: string): Promise<MidPull> {
  const register = t.harness.onNextPageServed?.bind(t.harness);
  if (!register) skip('the harness has no onNextPageServed lever, so nothing can change while a pull runs');
  const tag = uniqueTag();
  // An anchor alone at the newest time makes the next pull start right at the seeded tickets,
  // so the first page served contains the ticket the scenario changes.
  t.clock.advance();
  await seed(t, 1, `${label} ${tag} anchor`);
  const base = await collectPull(t, null);
  t.clock.advance();
  const seeded = await seed(t, 2 * pageSizeOf(t.harness) + 1, `${label} ${tag}`);
  const touchedId = seeded[0]!;
  const touchedTitle = `${label} ${tag} changed during pull`;
  let createdId: string | undefined;
  register(async () => {
    t.clock.advance();
    await t.harness.touchTicket(touchedId, touchedTitle);
    [createdId] = await t.harness.seedTickets(1, { titlePrefix: `${label} ${tag} created during pull` });
  });
  const during = await collectPull(t, base.lastCursor);
  ensure(
    createdId,
    'the onNextPageServed callback never ran (or seedTickets returned nothing): the harness must call it right after serving the next list page',
  );
  const next = await collectPull(t, during.lastCursor ?? base.lastCursor);
  return { seeded, touchedId, touchedTitle, createdId, during, next };
}

export async function checkChangeDuringPull<C>(t: CheckTarget<C>): Promise<void> {
  const run = await runMidPullScenario(t, 'mid-pull');
  const latest = run.next.latest.get(run.touchedId) ?? run.during.latest.get(run.touchedId);
  ensure(
    latest?.title === run.touchedTitle,
    `ticket ${run.touchedId}, changed while a pull ran, came back ${latest ? `titled "${latest.title}"` : 'from neither that pull nor the next one'}: the next pull must start at or before the change (inclusive cursor)`,
  );
  ensure(
    run.next.latest.has(run.createdId),
    `ticket ${run.createdId}, created while a pull ran, was not returned by the next pull from that pull's final cursor: the final cursor must not move past what the pull saw, and must be inclusive`,
  );
}

export async function checkNoSkipDuringPull<C>(t: CheckTarget<C>): Promise<void> {
  const run = await runMidPullScenario(t, 'no-skip');
  const missing = missingFrom(run.seeded, run.during, run.next);
  ensure(
    missing.length === 0,
    `changing a ticket already returned on page 1 made the pull skip ${listSome(missing)}, and the next pull did not return them either: page-number or offset pagination sorted by last-updated shifts tickets across page boundaries when one moves to the end; use keyset pagination (updated >= last updated, then id) or re-read from the oldest unconfirmed time`,
  );
}
