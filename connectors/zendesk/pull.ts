/**
 * `pullTickets` over Zendesk's cursor-based incremental ticket export, oldest change first.
 *
 * Within a pull, pages follow `after_cursor` until `end_of_stream` is true: the cursor is a
 * position in (change time, id) order, so a page boundary inside one second loses nothing and a
 * ticket changed mid-pull moves to the end of the stream instead of pushing others out. Each page's
 * checkpoint carries that cursor plus the newest change time seen; see `cursor.ts` for how the
 * next pull starts from it. The export allows 10 requests a minute; the kit waits out its 429s.
 */
import {
  type ConnectorContext,
  ConnectorError,
  isConnectorError,
  type Page,
  scopeIsEmpty,
  type TicketRecord,
} from '../../src/connector-kit/index.ts';
import type { ZdTicket } from './api-types.ts';
import { createZdHttp, type ExportStart, exportTickets } from './client.ts';
import type { ZendeskConfig } from './config.ts';
import { decodeCursor, encodeCursor, startOf } from './cursor.ts';
import { indexUsers, toTicketRecord } from './mapping.ts';

type Ctx = ConnectorContext<ZendeskConfig>;

const changeTime = (ticket: ZdTicket) =>
  ticket.generated_timestamp ?? Math.floor(Date.parse(ticket.updated_at) / 1000);

export async function* pullTickets(ctx: Ctx, rawCursor: string | null): AsyncIterable<Page<TicketRecord>> {
  const { config, maps } = ctx;
  // Scoped to no organisation: nothing to read. Otherwise the export covers the whole account
  // (it has no organisation filter; see README) and each record carries its organisation.
  if (scopeIsEmpty(ctx)) return;
  const stored = decodeCursor(rawCursor, ctx.log);
  let since = stored?.since ?? 0;
  let start: ExportStart = startOf(stored, config.overlapSeconds);
  const seen = new Set<string>();
  let fetched = 0;
  for (;;) {
    const page = await exportPage(ctx, start, since);
    const users = indexUsers(page.users);
    const records: TicketRecord[] = [];
    for (const ticket of page.tickets) {
      since = Math.max(since, changeTime(ticket));
      const key = `${ticket.id}|${ticket.updated_at}`;
      if (!seen.has(key)) records.push(toTicketRecord(ticket, users, maps, config.baseUrl));
      seen.add(key);
    }
    fetched += records.length;
    const after = page.after_cursor ?? ('cursor' in start ? start.cursor : null);
    yield { records, cursor: encodeCursor({ since, after, eos: page.end_of_stream }), progress: { fetched } };
    if (page.end_of_stream || !page.after_cursor) return;
    if ('cursor' in start && start.cursor === page.after_cursor) {
      // A server that does not advance its cursor would otherwise loop here forever.
      throw new ConnectorError('invalid_response', 'Zendesk returned an export page that does not advance', {
        method: 'GET',
        path: '/incremental/tickets/cursor.json',
      });
    }
    start = { cursor: page.after_cursor };
  }
}

/** One export page; a cursor Zendesk no longer accepts falls back to a time-based start. */
async function exportPage(ctx: Ctx, start: ExportStart, since: number) {
  const http = createZdHttp(ctx);
  try {
    return await exportTickets(http, start, ctx.config.pageSize);
  } catch (err) {
    if (!('cursor' in start) || !isConnectorError(err) || err.kind !== 'bad_request') throw err;
    ctx.log.warn(
      { connectionId: ctx.connectionId },
      'Zendesk refused the stored export cursor; restarting by time',
    );
    return exportTickets(
      http,
      { startTime: Math.max(0, since - ctx.config.overlapSeconds) },
      ctx.config.pageSize,
    );
  }
}
