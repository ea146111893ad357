/**
 * Incremental pulls. RT's LastUpdated has one-second precision and many tickets can share a
 * second, so pages use keyset pagination on (LastUpdated, id) with a fresh TicketSQL query per
 * page: a ticket that changes mid-pull moves to the end and is read again, never skipped. The
 * cursor is the UTC ISO time of the last ticket seen; the next pull restarts inclusively
 * `overlapSeconds` before it.
 */
import {
  type ConnectorContext,
  ConnectorError,
  type Page,
  scopeIsEmpty,
  type TicketRecord,
} from '../../src/connector-kit/index.ts';
import { createRtHttp, searchTickets } from './client.ts';
import type { RtConfig } from './config.ts';
import { toTicketRecord } from './mapping.ts';
import { afterKeyQuery, changedSinceQuery } from './ticket-sql.ts';

export function parseCursor(cursor: string): Date {
  const at = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(cursor) ? new Date(cursor) : null;
  if (!at || Number.isNaN(at.getTime())) {
    throw new ConnectorError('bad_request', 'the Request Tracker cursor is not a UTC ISO timestamp');
  }
  return at;
}

export async function* pullTickets(
  ctx: ConnectorContext<RtConfig>,
  cursor: string | null,
): AsyncGenerator<Page<TicketRecord>> {
  // Scoped to no queue: nothing to ask RT for.
  if (scopeIsEmpty(ctx)) return;
  const http = createRtHttp(ctx);
  const { pageSize, overlapSeconds, timeZone, baseUrl } = ctx.config;
  // The queue is RT's customer key: a scoped connection reads its scope's queues (server-side).
  const queue = ctx.scopeKeys ?? ctx.config.queue;
  const from = cursor === null ? null : new Date(parseCursor(cursor).getTime() - overlapSeconds * 1000);
  let query = changedSinceQuery(queue, from, timeZone);
  let fetched = 0;
  let total: number | undefined;
  let lastCursor = cursor;
  for (;;) {
    const page = await searchTickets(http, query, { perPage: pageSize });
    total ??= page.total ?? undefined;
    const records = page.items.map((item) => toTicketRecord(item, ctx.maps, baseUrl));
    fetched += records.length;
    const last = records.at(-1);
    if (last) lastCursor = last.updatedAt.toISOString();
    // An empty first page still reports the cursor, so the engine's checkpoint stays put.
    if (last || fetched === 0) yield { records, cursor: lastCursor, progress: { fetched, total } };
    if (!last || page.count < page.per_page) return;
    query = afterKeyQuery(queue, last.updatedAt, last.externalId, timeZone);
  }
}
