/**
 * `pullTickets`: tickets by `updated_at` ascending with `updated_since`, oldest first.
 *
 * Freshservice pages by page number (`Link: rel="next"`), which loses tickets when one moves to the
 * end of the order mid-pull. So a page number is only ever used inside one second: when a page
 * ends at a later time than it started, the next request starts again at page 1 from that time
 * (inclusive, re-reading the ties). When more tickets share a second than fit on a page, page
 * numbers within that second can still skip one if a ticket leaves it mid-pull; a ticket newer than
 * the server's clock at the first page (the `Date` header) proves a change happened, and the cursor
 * then stays at that second, so the next pull re-reads it. Each cursor is the UTC ISO time from
 * which the next pull restarts, `overlapSeconds` earlier and inclusive.
 */
import {
  type ConnectorContext,
  ConnectorError,
  type Page,
  scopeIsEmpty,
  type TicketRecord,
} from '../../src/connector-kit/index.ts';
import { agentDirectory } from './agents.ts';
import { createFsHttp, listTickets } from './client.ts';
import type { FreshserviceConfig } from './config.ts';
import { toTicketRecord } from './mapping.ts';

type Ctx = ConnectorContext<FreshserviceConfig>;

const EPOCH = '1970-01-01T00:00:00Z';
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function parseCursor(cursor: string | null, log?: Ctx['log']): number | null {
  if (cursor === null || cursor === '') return null;
  const ms = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(cursor) ? Date.parse(cursor) : Number.NaN;
  if (!Number.isNaN(ms)) return ms;
  log?.warn({ cursorLength: cursor.length }, 'unreadable Freshservice cursor; starting a full pull');
  return null;
}

export async function* pullTickets(ctx: Ctx, rawCursor: string | null): AsyncIterable<Page<TicketRecord>> {
  const { config, maps } = ctx;
  // Scoped to no department: nothing to read. Otherwise the whole account is read (see README:
  // the list endpoint cannot filter by department) and each record carries its department.
  if (scopeIsEmpty(ctx)) return;
  const http = createFsHttp(ctx);
  const stored = parseCursor(rawCursor, ctx.log);
  let since = stored === null ? Date.parse(EPOCH) : Math.max(0, stored - config.overlapSeconds * 1000);
  let page = 1;
  let position = stored ?? since;
  let serverStart: number | null = null;
  let groupFloor = Number.POSITIVE_INFINITY;
  let changedMidPull = false;
  const seen = new Set<string>();
  let fetched = 0;
  for (let requests = 0; ; requests += 1) {
    if (requests > 100_000)
      throw new ConnectorError('invalid_response', 'Freshservice pull does not advance');
    const result = await listTickets(http, { updatedSince: iso(since), page, perPage: config.pageSize });
    serverStart ??= result.date ? result.date.getTime() : null;
    const agents = await agentDirectory(
      ctx,
      http,
      result.tickets.map((t) => t.responder_id),
    );
    const opts = { maps, agents, baseUrl: config.baseUrl, correlationField: config.correlationField };
    const records: TicketRecord[] = [];
    for (const ticket of result.tickets) {
      if (serverStart !== null && Date.parse(ticket.updated_at) > serverStart) changedMidPull = true;
      const key = `${ticket.id}|${ticket.updated_at}`;
      if (!seen.has(key)) records.push(toTicketRecord(ticket, opts));
      seen.add(key);
    }
    fetched += records.length;
    if (page > 1) groupFloor = Math.min(groupFloor, since);
    const last = result.tickets.at(-1);
    const lastMs = last ? Date.parse(last.updated_at) : null;
    if (lastMs !== null) position = Math.max(position, lastMs);
    const cursor = iso(changedMidPull ? Math.min(position, groupFloor) : position);
    yield { records, cursor, progress: { fetched } };
    if (!result.next || lastMs === null) return;
    if (lastMs > since) {
      since = lastMs;
      page = 1;
    } else page += 1;
  }
}
