import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Page } from '../connector-kit/contract.ts';
import type { TicketRecord } from '../connector-kit/records.ts';
import type { Db } from '../db/client.ts';
import { connections } from '../db/schema/index.ts';
import type { WriteHooks } from '../domain/ticket-store.ts';
import type { Logger } from '../logger.ts';
import { applyInbound } from './apply.ts';
import { createPage, type PageComments, partitionNew, readPageComments } from './backfill-batch.ts';
import { syncCommentsIn } from './comments-in.ts';
import type { ConnectionRuntime } from './runtime.ts';
import { engagementOfRecord, sortByScope } from './scope.ts';

export interface PullOptions {
  db: Db;
  rt: ConnectionRuntime;
  hooks: WriteHooks;
  log: Logger;
  /** This replica's name, for the lease. */
  owner: string;
  leaseMs: number;
}

/** A page fetched ahead of its turn, with the comments of the records that looked new then. */
interface Ahead {
  page: Page<TicketRecord>;
  comments: PageComments;
}

export interface PullResult {
  ran: boolean;
  records: number;
  pages: number;
}

/**
 * Takes the connection's pull lease if nobody holds it, so a pull never runs twice at once
 * for one connection across replicas. The lease is renewed after every page.
 */
export async function claimPullLease(
  db: Db,
  id: string,
  owner: string,
  leaseMs: number,
): Promise<{ cursor: string | null; backfillDone: boolean; backfillFetched: number } | null> {
  const until = new Date(Date.now() + leaseMs);
  const [row] = await db
    .update(connections)
    .set({ pullLeaseOwner: owner, pullLeaseUntil: until })
    .where(
      and(
        eq(connections.id, id),
        eq(connections.paused, false),
        or(
          isNull(connections.pullLeaseUntil),
          lt(connections.pullLeaseUntil, sql`now()`),
          eq(connections.pullLeaseOwner, owner),
        ),
      ),
    )
    .returning({
      cursor: connections.cursor,
      backfillDone: connections.backfillDone,
      backfillFetched: connections.backfillFetched,
    });
  return row ?? null;
}

/**
 * One reconciling pull: every record changed since the stored cursor, page by page. The
 * cursor is saved only after a page is fully applied, so a crash re-reads at most one page
 * (the merge makes that harmless). A first pull (no cursor) is the backfill; its progress is
 * logged and kept on the connection for GraphQL.
 *
 * While a page is written, the next one is already being fetched with the comments of its
 * records the hub has not seen: the vendor's time and the database's overlap instead of adding
 * up. Which records are new is decided again once the previous page has committed.
 */
export async function runPull(opts: PullOptions): Promise<PullResult> {
  const { db, rt, hooks, log, owner, leaseMs } = opts;
  const lease = await claimPullLease(db, rt.id, owner, leaseMs);
  if (!lease) return { ran: false, records: 0, pages: 0 };
  const backfill = lease.cursor === null;
  let fetched = backfill ? 0 : lease.backfillFetched;
  let records = 0;
  let pages = 0;
  const startedAt = new Date();
  const pulled = rt.connector.pullTickets(rt.ctx, lease.cursor)[Symbol.asyncIterator]();
  const fetchAhead = async (): Promise<Ahead | null> => {
    const next = await pulled.next();
    if (next.done) return null;
    // Only to read ahead: the page is sorted by scope (and the outside counted) on its turn.
    const inScope = next.value.records.filter((r) => engagementOfRecord(rt.scope, r) !== null);
    const { fresh } = await partitionNew(db, rt, inScope);
    return { page: next.value, comments: await readPageComments(rt, fresh) };
  };
  let ahead: Promise<Ahead | null> | null = fetchAhead();
  try {
    for (;;) {
      const current = await ahead;
      ahead = null;
      if (!current) break;
      const { page } = current;
      ahead = fetchAhead();
      // Awaited on the next turn; a failure here must not surface as unhandled meanwhile.
      ahead.catch(() => {});
      // Records the hub has never seen are created a page at a time (a backfill is mostly
      // those); anything already linked goes through the per-record merge.
      // Records outside every engagement scope are dropped here, before anything is stored.
      const { inScope } = await sortByScope(db, rt.id, rt.scope, page.records, log);
      const { fresh, known } = await partitionNew(
        db,
        rt,
        inScope.map((s) => s.record),
      );
      await createPage(db, rt, fresh, hooks, current.comments);
      for (const record of known) {
        const { link, commentsDue } = await applyInbound(db, rt, record, hooks);
        if (commentsDue) await syncCommentsIn(db, rt, link, hooks);
      }
      records += page.records.length;
      pages++;
      if (backfill) fetched += page.records.length;
      await db
        .update(connections)
        .set({
          cursor: page.cursor ?? lease.cursor,
          pullLeaseUntil: new Date(Date.now() + leaseMs),
          ...(backfill ? { backfillFetched: fetched, backfillTotal: page.progress?.total ?? null } : {}),
        })
        .where(eq(connections.id, rt.id));
      if (backfill) {
        log.info({ connection: rt.id, fetched, total: page.progress?.total }, 'backfill progress');
      }
    }
    await db
      .update(connections)
      .set({
        lastPullAt: startedAt,
        lastSuccessAt: startedAt,
        lastError: null,
        backfillDone: true,
        pullLeaseUntil: null,
        pullLeaseOwner: null,
      })
      .where(eq(connections.id, rt.id));
    if (backfill) log.info({ connection: rt.id, fetched }, 'backfill complete');
    return { ran: true, records, pages };
  } catch (err) {
    // A page fetched ahead is dropped, and the vendor's pager closed, before the lease is let go.
    await ahead?.catch(() => {});
    await pulled.return?.().catch(() => {});
    const message = err instanceof Error ? err.message : String(err);
    log.warn({ connection: rt.id, err: message }, 'pull failed; will retry on the next interval');
    await db
      .update(connections)
      .set({
        lastPullAt: startedAt,
        lastError: message.slice(0, 1000),
        lastErrorAt: new Date(),
        pullLeaseUntil: null,
        pullLeaseOwner: null,
      })
      .where(eq(connections.id, rt.id));
    throw err;
  }
}
