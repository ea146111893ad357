/**
 * Nested lists fetched in batches: a page of 100 tickets that each show `comments` and
 * `history` costs one query per list, not one per ticket (#15 item 5). Every ticket's slice is
 * cut in SQL with `row_number() over (partition by ticket_id …)`, so a ticket with thousands
 * of comments still reads `first + 1` of them.
 */
import DataLoader from 'dataloader';
import { and, asc, eq, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from './db/client.ts';
import type { CommentRow, TicketEventRow } from './db/schema/index.ts';
import { comments, ticketEvents } from './db/schema/index.ts';
import { commentVisibleTo, eventVisibleTo } from './domain/visibility.ts';

/** One ticket's page: who asks, how many, after what (already decoded). */
export interface PageKey {
  ticketId: string;
  partyId: string;
  first: number;
  /** Comments: `createdAt|id`; history: an event id. Null for the first page. */
  after: string | null;
}

/** Keys that can share one query (same viewer, size and cursor); the ticket ids vary. */
const groupOf = (k: PageKey) => `${k.partyId}\n${k.first}\n${k.after ?? ''}`;

function pagedLoader<Row extends { ticketId: string }>(
  load: (ticketIds: string[], sample: PageKey) => Promise<Row[]>,
): DataLoader<PageKey, Row[], string> {
  return new DataLoader<PageKey, Row[], string>(
    async (keys) => {
      const groups = new Map<string, PageKey[]>();
      for (const k of keys) groups.set(groupOf(k), [...(groups.get(groupOf(k)) ?? []), k]);
      const results = new Map<string, Row[]>();
      await Promise.all(
        [...groups.values()].map(async (group) => {
          const rows = await load([...new Set(group.map((k) => k.ticketId))], group[0]!);
          for (const row of rows) {
            const key = `${groupOf(group[0]!)}\n${row.ticketId}`;
            results.set(key, [...(results.get(key) ?? []), row]);
          }
        }),
      );
      return keys.map((k) => results.get(`${groupOf(k)}\n${k.ticketId}`) ?? []);
    },
    { cacheKeyFn: (k) => `${groupOf(k)}\n${k.ticketId}` },
  );
}

/** `first + 1` rows per ticket in `order`, from a table filtered by `where`. */
async function perTicket<Row extends { ticketId: string }>(
  db: Db,
  table: typeof comments | typeof ticketEvents,
  ticketId: AnyPgColumn,
  order: AnyPgColumn[],
  where: SQL,
  first: number,
): Promise<Row[]> {
  const rank = sql<number>`row_number() over (partition by ${ticketId} order by ${sql.join(order, sql`, `)})`;
  const ranked = db
    .select({ rankedId: sql`${table.id}`.as('ranked_id'), rank: rank.as('rank') })
    .from(table)
    .where(where)
    .as('ranked');
  const rows = await db
    .select({ row: table })
    .from(table)
    .innerJoin(ranked, eq(ranked.rankedId, table.id))
    .where(lte(ranked.rank, first + 1))
    .orderBy(...order.map((c) => asc(c)));
  return rows.map((r) => r.row as unknown as Row);
}

export function createPageLoaders(db: Db) {
  return {
    /**
     * A ticket's comments, oldest first, as its party may see them: another party's INTERNAL
     * ones and those written while the ticket was confidential are left out.
     */
    commentsPage: pagedLoader<CommentRow>((ids, k) => {
      const [afterAt, afterId] = k.after ? k.after.split('|') : [];
      return perTicket<CommentRow>(
        db,
        comments,
        comments.ticketId,
        [comments.createdAt, comments.id],
        and(
          inArray(comments.ticketId, ids),
          commentVisibleTo(k.partyId),
          afterAt && afterId
            ? sql`(${comments.createdAt}, ${comments.id}) > (${new Date(afterAt)}, ${afterId})`
            : undefined,
        )!,
        k.first,
      );
    }),
    /** A ticket's events, oldest first, as its party may see them. */
    historyPage: pagedLoader<TicketEventRow>((ids, k) =>
      perTicket<TicketEventRow>(
        db,
        ticketEvents,
        ticketEvents.ticketId,
        [ticketEvents.id],
        and(
          inArray(ticketEvents.ticketId, ids),
          eventVisibleTo(k.partyId),
          k.after ? sql`${ticketEvents.id} > ${Number(k.after)}` : undefined,
        )!,
        k.first,
      ),
    ),
    /** Comments by id (an event's comment). */
    comment: new DataLoader<string, CommentRow | null>(async (ids) => {
      const rows = await db
        .select()
        .from(comments)
        .where(inArray(comments.id, [...ids]));
      return ids.map((id) => rows.find((r) => r.id === id) ?? null);
    }),
  };
}
